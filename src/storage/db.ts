import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { packagePath } from '../package-path.js';
import * as schema from './schema.js';

export type Orm = BetterSQLite3Database<typeof schema>;
export type Sqlite = BetterSqlite3.Database;

export interface Database {
  readonly sqlite: Sqlite;
  readonly orm: Orm;
  /** The database file, or ':memory:'. */
  readonly file: string;
  /**
   * Runs `work` in one IMMEDIATE transaction: the write lock is taken first, so
   * another process (the CLI importing while the service runs) waits instead of
   * failing halfway. Nested calls join the enclosing transaction.
   */
  transaction<T>(work: () => T): T;
  /** Runs `work` in a savepoint of the current transaction: a throw undoes only its writes. */
  savepoint<T>(work: () => T): T;
  close(): void;
}

export const MIGRATIONS_DIR = packagePath('db', 'migrations');
const BUSY_TIMEOUT_MS = 5_000;

/** How many pages of WAL trigger a checkpoint (SQLite's default is 1,000). */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Opens (creating file and directory when needed) the SQLite database with the
 * pragmas the sending guarantees rely on, and applies pending migrations.
 */
export function openDatabase(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const sqlite = new BetterSqlite3(file);
  try {
    // WAL: readers never block the writer; a committed transaction survives a crash.
    sqlite.pragma('journal_mode = WAL');
    // FULL: a committed transaction also survives power loss (WAL defaults to NORMAL).
    sqlite.pragma('synchronous = FULL');
    // A checkpoint after 10,000 pages of WAL (40 MiB) rather than SQLite's 1,000: under a burst every
    // group commit rewrites the same customer and index pages, a checkpoint copies each page once however
    // many commits changed it, and each checkpoint fsyncs the database file with the event loop waiting
    // (docs/performance.md, "Issue 17"). Recovery after a crash reads at most that much WAL.
    sqlite.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Deleted and overwritten content is zeroed in the file: an erased person cannot be read back
    // from free pages (LGPD art. 18, VI). Its cost is measured in docs/performance.md.
    sqlite.pragma('secure_delete = ON');
    const orm = drizzle({ client: sqlite, schema });
    migrate(orm, { migrationsFolder: MIGRATIONS_DIR });
    return {
      sqlite,
      orm,
      file,
      transaction: <T>(work: () => T): T => {
        // Inside a transaction a failure already rolls back to the enclosing
        // transaction or savepoint: a savepoint of our own would only cost statements.
        if (sqlite.inTransaction) return work();
        return sqlite.transaction(work).immediate();
      },
      savepoint: <T>(work: () => T): T => sqlite.transaction(work)(),
      close: () => {
        if (sqlite.open) sqlite.close();
      },
    };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/** The pragmas in force, for /health and for tests that hold us to them. */
export function readPragmas(sqlite: Sqlite): { journalMode: string; synchronous: number; foreignKeys: number; busyTimeout: number } {
  return {
    journalMode: sqlite.pragma('journal_mode', { simple: true }) as string,
    synchronous: sqlite.pragma('synchronous', { simple: true }) as number,
    foreignKeys: sqlite.pragma('foreign_keys', { simple: true }) as number,
    busyTimeout: sqlite.pragma('busy_timeout', { simple: true }) as number,
  };
}
