import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalPhone } from '../../domain/phone.js';
import type { Database } from '../db.js';

/**
 * The suppression list: numbers of people who said stop and were then erased,
 * kept only as an HMAC of the canonical number under a per-install key, with
 * the date. It remembers the objection (LGPD art. 18 §2) and nothing else: the
 * number cannot be read back, nor matched against another shop's list.
 */
export interface SuppressionList {
  remember(phone: string, at: number): void;
  /** When the number was put on the list, if it is there. */
  since(phone: string): number | undefined;
  /** The person wrote VOLTAR: their objection is withdrawn. */
  forget(phone: string): void;
}

/** The key's file, beside the database; created 0600 on first use. */
export const SUPPRESSION_KEY_FILE = 'suppression-key';

const memoryKeys = new WeakMap<Database, Buffer>();

export function createSuppressionList(db: Database): SuppressionList {
  let key: Buffer | undefined;
  const hashOf = (phone: string) => createHmac('sha256', (key ??= keyFor(db))).update(canonicalPhone(phone)).digest('hex');
  const insert = db.sqlite.prepare<[string, number]>('INSERT INTO suppressions (hash, at) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING');
  const find = db.sqlite.prepare<[string], number>('SELECT at FROM suppressions WHERE hash = ?').pluck();
  const remove = db.sqlite.prepare<[string]>('DELETE FROM suppressions WHERE hash = ?');
  const empty = db.sqlite.prepare<[], number>('SELECT 1 FROM suppressions LIMIT 1').pluck();
  return {
    remember: (phone, at) => {
      insert.run(hashOf(phone), at);
    },
    // Most shops have an empty list: no key file read, no HMAC, on every new customer.
    since: (phone) => (empty.get() === undefined ? undefined : find.get(hashOf(phone))),
    forget: (phone) => {
      if (empty.get() !== undefined) remove.run(hashOf(phone));
    },
  };
}

/** The install's key: DATA_DIR/suppression-key (0600), made on first use; a database in memory gets one of its own. */
function keyFor(db: Database): Buffer {
  if (db.file === ':memory:') {
    let key = memoryKeys.get(db);
    if (!key) memoryKeys.set(db, (key = randomBytes(32)));
    return key;
  }
  const file = path.join(path.dirname(db.file), SUPPRESSION_KEY_FILE);
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  try {
    fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another process (the CLI beside the service) made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
    throw error;
  }
}
