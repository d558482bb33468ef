import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, readPragmas } from '../../src/storage/db.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-db-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('creates the file and its folder, with WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const file = path.join(dir, 'nested', 'data', 'fregues.db');
    const db = openDatabase(file);
    try {
      expect(fs.existsSync(file)).toBe(true);
      expect(readPragmas(db.sqlite)).toEqual({ journalMode: 'wal', synchronous: 2, foreignKeys: 1, busyTimeout: 5000 });
      // Checkpoints every 10,000 pages of WAL, not SQLite's 1,000 (docs/performance.md).
      expect(db.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    } finally {
      db.close();
    }
  });

  it('applies the migrations once and keeps the data on reopening', () => {
    const file = path.join(dir, 'fregues.db');
    const first = openDatabase(file);
    const tables = first.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['customers', 'purchases', 'messages', 'consent_events', '__drizzle_migrations']));
    first.sqlite.prepare("INSERT INTO customers (phone, created_at, updated_at) VALUES ('+5511912345678', 1, 1)").run();
    first.close();

    const second = openDatabase(file);
    try {
      const journal = JSON.parse(fs.readFileSync(new URL('../../db/migrations/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] };
      expect(second.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(journal.entries.length);
      expect(second.sqlite.prepare('SELECT phone FROM customers').pluck().all()).toEqual(['+5511912345678']);
    } finally {
      second.close();
    }
  });

  it('enforces the schema: unique phones and WhatsApp ids, live customers have a phone, no orphan purchase', () => {
    const db = openDatabase(':memory:');
    try {
      const insertCustomer = db.sqlite.prepare('INSERT INTO customers (phone, created_at, updated_at, erased_at) VALUES (?, 1, 1, ?)');
      insertCustomer.run('+5511912345678', null);
      expect(() => insertCustomer.run('+5511912345678', null)).toThrow(/UNIQUE/);
      expect(() => insertCustomer.run(null, null)).toThrow(/CHECK/);
      expect(() => insertCustomer.run('+5521998765432', 5)).toThrow(/CHECK/);
      insertCustomer.run(null, 5);
      insertCustomer.run(null, 6);
      expect(() =>
        db.sqlite.prepare("INSERT INTO purchases (customer_id, items, currency, source, purchased_at, created_at) VALUES (99, '[]', 'BRL', 'api', 1, 1)").run(),
      ).toThrow(/FOREIGN KEY/);
      const insertMessage = db.sqlite.prepare("INSERT INTO messages (customer_id, direction, wa_id, kind, status, created_at) VALUES (1, 'out', ?, 'text', 'sent', 1)");
      insertMessage.run('ABC');
      expect(() => insertMessage.run('ABC')).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });

  it('rolls a failed transaction back whole', () => {
    const db = openDatabase(':memory:');
    try {
      expect(() =>
        db.transaction(() => {
          db.sqlite.prepare("INSERT INTO customers (phone, created_at, updated_at) VALUES ('+5511912345678', 1, 1)").run();
          throw new Error('halfway');
        }),
      ).toThrow('halfway');
      expect(db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
