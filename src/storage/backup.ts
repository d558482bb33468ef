/**
 * Backups of the one file that holds the shop: made online with SQLite's
 * backup API (the service keeps running and writing), written under a
 * temporary name and renamed only when whole, so a backup killed halfway
 * never replaces or spoils an older one; rotated to the newest BACKUP_KEEP;
 * checked before anyone relies on one. Putting one back is restore-database.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { messageOf } from '../domain/errors.js';
import { MIGRATIONS_DIR, type Sqlite } from './db.js';
import { ensurePrivateDir, removeQuietly, syncDir, syncFile } from './durable-files.js';
import { PRIVATE_FILE } from './file-modes.js';
import { SUPPRESSION_KEY_FILE } from './repositories/suppressions.js';

/** fregues-20261206-033000-123.db: the moment (UTC) is in the name, so names sort by age and rotation needs no clock. */
const BACKUP_NAME = /^fregues-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-(\d{3})\.db$/;
/** .fregues-….db.<pid>.partial (and its -journal): a backup being written, or one whose process died. */
const PARTIAL_NAME = /^\.fregues-.*\.(\d+)\.partial(-journal|-wal|-shm)?$/;
/** Every page in one step: one read transaction, so another process's writes cannot restart it. */
export const ALL_PAGES = 0x7fffffff;

export interface BackupOptions {
  dir: string;
  /** How many backups to keep, this one included. */
  keep: number;
  /** The backup's moment (its name). */
  now: number;
  /**
   * Pages copied per step, between which the event loop runs. The service copies
   * in steps so requests and sends go on; its own writes reach the copy as they
   * happen. The CLI copies everything in one step (the default).
   */
  pagesPerStep?: number;
  /** Backups never deleted by this rotation (the file a restore reads). */
  protect?: string[];
  /** After each step: pages copied so far, of how many. */
  onProgress?: (copied: number, total: number) => void;
}

export interface BackupResult {
  file: string;
  bytes: number;
  /** Older backups deleted by the rotation. */
  removed: string[];
}

const inFlight = new Set<string>();

/** Copies the database behind `sqlite` into a new backup file in `options.dir`, then rotates. */
export async function backupDatabase(sqlite: Sqlite, options: BackupOptions): Promise<BackupResult> {
  ensurePrivateDir(options.dir);
  removeAbandonedPartials(options.dir);
  const { name, partial } = claimName(options.dir, options.now);
  const file = path.join(options.dir, name);
  inFlight.add(partial);
  try {
    const pages = options.pagesPerStep ?? ALL_PAGES;
    await sqlite.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        options.onProgress?.(totalPages - remainingPages, totalPages);
        return pages;
      },
    });
    // One self-contained file (rollback journal, not WAL): it opens anywhere, even read-only.
    const copy = new BetterSqlite3(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    fs.chmodSync(partial, PRIVATE_FILE);
    syncFile(partial);
    fs.renameSync(partial, file);
    syncDir(options.dir);
  } catch (error) {
    removeQuietly(partial);
    throw error;
  } finally {
    inFlight.delete(partial);
  }
  const removed = rotateBackups(options.dir, options.keep, [file, ...(options.protect ?? [])]);
  if (!sqlite.memory) keepSuppressionKey(path.dirname(sqlite.name), options.dir);
  return { file, bytes: fs.statSync(file).size, removed };
}

/**
 * The suppression list's key lives beside the database, not in it (a copy of
 * the database alone cannot be matched against numbers). A backup without it
 * would restore a list that matches nothing: it is kept beside the backups
 * (0600), and a restore puts it back where the database goes.
 */
export function keepSuppressionKey(from: string, to: string): void {
  const source = path.join(from, SUPPRESSION_KEY_FILE);
  const target = path.join(to, SUPPRESSION_KEY_FILE);
  if (path.resolve(source) === path.resolve(target) || !fs.existsSync(source)) return;
  const key = fs.readFileSync(source);
  if (fs.existsSync(target) && fs.readFileSync(target).equals(key)) return;
  fs.writeFileSync(target, key, { mode: PRIVATE_FILE });
  fs.chmodSync(target, PRIVATE_FILE);
}

/**
 * The same from the database's file, through a connection of its own (the CLI,
 * beside a running service): nothing in the database changes, not even a
 * pending migration, and the one-step copy reads one consistent snapshot.
 */
export async function backupDatabaseFile(databaseFile: string, options: BackupOptions): Promise<BackupResult> {
  const sqlite = new BetterSqlite3(databaseFile, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    return await backupDatabase(sqlite, options);
  } finally {
    sqlite.close();
  }
}

/** The backups in `dir`, newest first, with the moment their names carry. */
export function listBackups(dir: string): { file: string; at: number }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const backups: { file: string; at: number }[] = [];
  for (const name of names) {
    const match = BACKUP_NAME.exec(name);
    if (!match) continue;
    const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, ms = 0] = match.slice(1).map(Number);
    backups.push({ file: path.join(dir, name), at: Date.UTC(year, month - 1, day, hour, minute, second, ms) });
  }
  return backups.sort((a, b) => b.at - a.at);
}

/** Deletes all but the newest `keep` backups; only files with a backup's name are ever touched. */
export function rotateBackups(dir: string, keep: number, protect: string[] = []): string[] {
  const kept = new Set(protect.map((file) => path.resolve(file)));
  const removed: string[] = [];
  for (const { file } of listBackups(dir).slice(keep)) {
    if (kept.has(path.resolve(file))) continue;
    fs.rmSync(file, { force: true });
    removed.push(file);
  }
  return removed;
}

export type BackupProblem = 'missing' | 'not_sqlite' | 'corrupt' | 'not_fregues' | 'newer';
export type BackupCheck = { ok: true; customers: number } | { ok: false; problem: BackupProblem; detail: string };

/**
 * Whether `file` is a whole fregues database this version can run:
 * `PRAGMA integrity_check` passes, it has fregues' tables and migrations, and
 * none newer than this version knows.
 */
export function checkBackupFile(file: string): BackupCheck {
  if (!fs.existsSync(file)) return { ok: false, problem: 'missing', detail: file };
  let sqlite: Sqlite | undefined;
  try {
    sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const problems = sqlite.prepare<[], string>('PRAGMA integrity_check').pluck().all();
    if (problems.length !== 1 || problems[0] !== 'ok') return { ok: false, problem: 'corrupt', detail: problems.slice(0, 3).join('; ') };
    const tables = new Set(sqlite.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all());
    const missing = ['customers', 'outbox', '__drizzle_migrations'].filter((table) => !tables.has(table));
    if (missing.length > 0) return { ok: false, problem: 'not_fregues', detail: missing.join(', ') };
    const applied = sqlite.prepare<[], number | null>('SELECT max(created_at) FROM __drizzle_migrations').pluck().get() ?? 0;
    if (applied > newestMigration()) return { ok: false, problem: 'newer', detail: new Date(applied).toISOString() };
    const customers = sqlite.prepare<[], number>('SELECT count(*) FROM customers').pluck().get() ?? 0;
    return { ok: true, customers };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const detail = messageOf(error);
    if (code === 'SQLITE_NOTADB') return { ok: false, problem: 'not_sqlite', detail };
    return { ok: false, problem: 'corrupt', detail };
  } finally {
    sqlite?.close();
  }
}

/** A file that is not even a database any more, kept byte for byte under a backup's name (so it rotates away too). */
export function copyRawAsBackup(file: string, dir: string, now: number): string {
  ensurePrivateDir(dir);
  const { name, partial } = claimName(dir, now);
  fs.copyFileSync(file, partial);
  fs.chmodSync(partial, PRIVATE_FILE);
  syncFile(partial);
  fs.renameSync(partial, path.join(dir, name));
  return path.join(dir, name);
}

/** A name no other backup has (the next millisecond if two share one), and its partial file, created 0600. */
function claimName(dir: string, now: number): { name: string; partial: string } {
  for (let at = now; ; at += 1) {
    const name = `fregues-${new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '')}.db`;
    if (fs.existsSync(path.join(dir, name))) continue;
    const partial = path.join(dir, `.${name}.${process.pid}.partial`);
    try {
      fs.closeSync(fs.openSync(partial, 'wx', PRIVATE_FILE));
      return { name, partial };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Partial files whose process is gone (killed during a backup), or of this process but not being written. */
function removeAbandonedPartials(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const match = PARTIAL_NAME.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    const file = path.join(dir, name);
    const ours = pid === process.pid;
    if (ours ? !inFlight.has(file.replace(/-(journal|wal|shm)$/, '')) : !isAlive(pid)) removeQuietly(file);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The newest migration this version has (drizzle stores its `when` in created_at). */
function newestMigration(): number {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return Math.max(0, ...journal.entries.map((entry) => entry.when));
}

