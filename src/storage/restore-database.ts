/**
 * Putting a backup in place of the database: the backup is checked first, and
 * a database that a running service (or any other fregues process) has open is
 * never replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { messageOf } from '../domain/errors.js';
import { ALL_PAGES, backupDatabase, checkBackupFile, copyRawAsBackup, keepSuppressionKey, type BackupProblem } from './backup.js';
import type { Sqlite } from './db.js';
import { ensurePrivateDir, removeQuietly, syncDir, syncFile } from './durable-files.js';
import { PRIVATE_FILE } from './file-modes.js';
import { SUPPRESSION_KEY_FILE } from './repositories/suppressions.js';

export interface RestoreOptions {
  databaseFile: string;
  backupDir: string;
  keep: number;
  now: number;
}

export type RestoreResult =
  | { ok: true; customers: number; /** The database that was replaced, saved as a backup; null when there was none. */ previous: string | null }
  | { ok: false; problem: BackupProblem | 'in_use'; detail: string };

/**
 * Replaces the database with the backup `source`. The backup is first copied
 * next to the database and checked there (what is checked is what is put in
 * place). The current database is then locked exclusively through SQLite:
 * while any fregues process has it open, the lock fails and nothing changes.
 * Holding the lock, it is saved as one more backup, then the checked copy is
 * renamed over it.
 */
export async function restoreDatabase(source: string, options: RestoreOptions): Promise<RestoreResult> {
  if (!fs.existsSync(source)) return { ok: false, problem: 'missing', detail: source };
  const live = options.databaseFile;
  ensurePrivateDir(path.dirname(live));
  const incoming = `${live}.restoring-${process.pid}`;
  try {
    const copied = await copyThroughSqlite(source, incoming);
    if (!copied.ok) return copied;
    const check = checkBackupFile(incoming);
    if (!check.ok) return check;

    let lock: Sqlite | undefined;
    let previous: string | null = null;
    try {
      if (fs.existsSync(live)) {
        const locked = lockExclusively(live);
        if (locked.kind === 'in_use') return { ok: false, problem: 'in_use', detail: locked.detail };
        if (locked.kind === 'locked') {
          lock = locked.sqlite;
          previous = (await backupDatabase(lock, { dir: options.backupDir, keep: options.keep, now: options.now, protect: [source] })).file;
        } else {
          // Not even a database any more (the reason to restore): keep its bytes, named as a backup so it rotates away too.
          previous = copyRawAsBackup(live, options.backupDir, options.now);
        }
      }
      // A WAL or SHM left beside the old file belongs to it: SQLite would replay it into the restored one.
      for (const suffix of ['-wal', '-shm', '-journal']) removeQuietly(`${live}${suffix}`);
      fs.renameSync(incoming, live);
      // The backup's suppression key, when the database's folder has none (a fresh machine).
      if (!fs.existsSync(path.join(path.dirname(live), SUPPRESSION_KEY_FILE))) keepSuppressionKey(path.dirname(source), path.dirname(live));
      syncDir(path.dirname(live));
    } finally {
      lock?.close();
    }
    return { ok: true, customers: check.customers, previous };
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) removeQuietly(`${incoming}${suffix}`);
  }
}

type Lock = { kind: 'locked'; sqlite: Sqlite } | { kind: 'in_use'; detail: string } | { kind: 'unreadable'; detail: string };

/**
 * SQLite's own locks tell whether another connection has the file open: in
 * WAL mode every connection holds a shared lock for as long as it is open,
 * and leaving WAL mode needs the file to oneself. So a connection in
 * exclusive locking mode that manages to switch to the rollback journal is
 * the only one, and keeps the file locked until it closes.
 */
function lockExclusively(file: string): Lock {
  const sqlite = new BetterSqlite3(file, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 0');
    sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.pragma('journal_mode = DELETE');
    // A read takes the lock now (the pragma alone may not, in rollback mode).
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    return { kind: 'locked', sqlite };
  } catch (error) {
    sqlite.close();
    const code = (error as { code?: string }).code ?? '';
    const detail = messageOf(error);
    return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' ? { kind: 'in_use', detail } : { kind: 'unreadable', detail };
  }
}

/** SQLite reads the source (a WAL beside it included) and writes a private copy. */
async function copyThroughSqlite(source: string, target: string): Promise<{ ok: true } | { ok: false; problem: BackupProblem; detail: string }> {
  fs.closeSync(fs.openSync(target, 'w', PRIVATE_FILE));
  let sqlite: Sqlite | undefined;
  try {
    sqlite = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
    await sqlite.backup(target, { progress: () => ALL_PAGES });
    fs.chmodSync(target, PRIVATE_FILE);
    syncFile(target);
    return { ok: true };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const detail = messageOf(error);
    return { ok: false, problem: code === 'SQLITE_NOTADB' ? 'not_sqlite' : 'corrupt', detail };
  } finally {
    sqlite?.close();
  }
}
