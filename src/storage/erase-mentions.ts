import type { Database } from './db.js';
import type { Needles } from './find-needles.js';

// An erased person's mentions in rows that are not their own (find-needles.ts says how they are
// written): removed from WhatsApp's key store, and scrubbed from every text column of every table.

/** What stands in for an erased person wherever someone else's record mentioned them. */
export const ERASED_MARK = '[apagado]';

/** Tables that never hold a person: the migrations' own, sign-in sessions, flow definitions, the shop's own WhatsApp credentials. */
const NEVER_ABOUT_A_PERSON = new Set(['__drizzle_migrations', 'sessions', 'flow_versions', 'whatsapp_creds']);
/**
 * Other customers' own rows: the person's row is emptied by eraseCustomer, and a namesake's
 * name is theirs, not a mention of the person.
 */
const OTHER_PEOPLE = new Set(['customers']);

/** WhatsApp's session keys that name the number or its LID go; every other text is scrubbed. */
export function eraseMentions(db: Database, needles: Needles): void {
  if (needles.whatsapp.length > 0) deleteWhatsAppKeys(db, needles.whatsapp);
  if (needles.phrases.length > 0 || needles.names.length > 0) scrubEverywhere(db, needles);
}

/** Baileys' key store names people by their number or LID: lid-mapping, sessions, device lists, trust tokens. */
function deleteWhatsAppKeys(db: Database, users: string[]): void {
  const rows = db.sqlite.prepare<[], { type: string; id: string; value: string }>('SELECT type, id, value FROM whatsapp_keys').all();
  const remove = db.sqlite.prepare('DELETE FROM whatsapp_keys WHERE type = ? AND id = ?');
  for (const row of rows) {
    if (users.some((user) => mentionsUser(row.id, user) || mentionsUser(row.value, user))) remove.run(row.type, row.id);
  }
}

/** The user as a whole number: "5511912345678" in "5511912345678.0" or "\"5511912345678\"", not inside a longer number. */
function mentionsUser(text: string, user: string): boolean {
  let at = text.indexOf(user);
  while (at >= 0) {
    const before = text[at - 1];
    const after = text[at + user.length];
    if (!(before && /\d/.test(before)) && !(after && /\d/.test(after))) return true;
    at = text.indexOf(user, at + 1);
  }
  return false;
}

interface Column {
  table: string;
  name: string;
  /** Part of the primary key or a unique index: such a row is removed, never rewritten. */
  key: boolean;
}

/** Every text column of every table that can hold a person, read from the schema itself. */
function textColumns(db: Database): Column[] {
  const tables = db.sqlite
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all()
    .filter((table) => !NEVER_ABOUT_A_PERSON.has(table) && !OTHER_PEOPLE.has(table) && table !== 'whatsapp_keys');
  return tables.flatMap((table) => {
    const keyed = new Set<string>();
    for (const index of db.sqlite.prepare<[], { name: string; unique: number }>(`PRAGMA index_list("${table}")`).all()) {
      if (index.unique !== 1) continue;
      for (const column of db.sqlite.prepare<[], { name: string | null }>(`PRAGMA index_info("${index.name}")`).all()) if (column.name) keyed.add(column.name);
    }
    return db.sqlite
      .prepare<[], { name: string; type: string; pk: number }>(`PRAGMA table_info("${table}")`)
      .all()
      .filter((column) => column.type.toUpperCase() === 'TEXT' || column.type === '' || column.type.toUpperCase() === 'BLOB')
      .map((column) => ({ table, name: column.name, key: column.pk > 0 || keyed.has(column.name) }));
  });
}

function scrubEverywhere(db: Database, needles: Needles): void {
  // Each needle as written, and as it is written inside a JSON string (payloads, states, metrics).
  const phrases = [...new Set(needles.phrases.flatMap((phrase) => [phrase, JSON.stringify(phrase).slice(1, -1)]))];
  const names = [...new Set(needles.names.flatMap((name) => [name, JSON.stringify(name).slice(1, -1)]))];
  const all = [...phrases, ...names];
  const nameRes = names.map((name) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, 'gu'));
  const scrub = (text: string): string => {
    let out = text;
    // Longest first: a form that contains another ("+5511912345678" and "5511912345678") goes whole.
    for (const phrase of [...phrases].sort((a, b) => b.length - a.length)) out = out.split(phrase).join(ERASED_MARK);
    for (const re of nameRes) out = out.replace(re, ERASED_MARK);
    return out;
  };

  // A person mentioned in many rows of one table: each shape of statement is prepared once.
  const prepared = new Map<string, ReturnType<Database['sqlite']['prepare']>>();
  const statement = (text: string) => {
    let found = prepared.get(text);
    if (!found) prepared.set(text, (found = db.sqlite.prepare(text)));
    return found;
  };
  const byTable = new Map<string, Column[]>();
  for (const column of textColumns(db)) byTable.set(column.table, [...(byTable.get(column.table) ?? []), column]);
  for (const [table, columns] of byTable) {
    const params = Object.fromEntries(all.map((needle, index) => [`n${index}`, needle]));
    const where = columns.flatMap((column) => all.map((_needle, index) => `instr("${column.name}", @n${index}) > 0`)).join(' OR ');
    const rows = db.sqlite.prepare<Record<string, string>, Record<string, unknown>>(`SELECT rowid AS "__rowid", * FROM "${table}" WHERE ${where}`).all(params);
    for (const row of rows) {
      const changes = new Map<string, string>();
      let keyHit = false;
      for (const column of columns) {
        const value = row[column.name];
        if (typeof value !== 'string') continue;
        const scrubbed = scrub(value);
        if (scrubbed === value) continue;
        if (column.key) keyHit = true;
        changes.set(column.name, scrubbed);
      }
      if (keyHit) {
        statement(`DELETE FROM "${table}" WHERE rowid = @rowid`).run({ rowid: row.__rowid });
      } else if (changes.size > 0) {
        const sets = [...changes.keys()].map((name, index) => `"${name}" = @v${index}`).join(', ');
        const values = Object.fromEntries([...changes.values()].map((value, index) => [`v${index}`, value]));
        statement(`UPDATE "${table}" SET ${sets} WHERE rowid = @rowid`).run({ ...values, rowid: row.__rowid });
      }
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
