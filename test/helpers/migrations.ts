import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { MIGRATIONS_DIR } from '../../src/storage/db.js';

/**
 * A database as the service left it before migration `tag`: the migrations up to the one before it,
 * applied from a copy of the folder (in `dir`) whose journal stops there. `openDatabase` on the same
 * file then applies `tag` and those after it, as an upgrade does.
 */
export function databaseBefore(tag: string, dir: string, file: string): BetterSqlite3.Database {
  const folder = path.join(dir, 'migrations');
  fs.cpSync(MIGRATIONS_DIR, folder, { recursive: true });
  const journalFile = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const upTo = journal.entries.findIndex((entry) => entry.tag === tag);
  if (upTo < 1) throw new Error(`no migration ${tag} after the first in ${MIGRATIONS_DIR}`);
  fs.writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('foreign_keys = ON');
  migrate(drizzle({ client: sqlite }), { migrationsFolder: folder });
  return sqlite;
}
