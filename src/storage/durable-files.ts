/**
 * Files written so that a crash never leaves a half of one in place: synced
 * before they are renamed, the rename synced through the folder, in folders
 * only the service's user may read. Backups and restores are made of these.
 */
import fs from 'node:fs';
import { PRIVATE_DIR } from './file-modes.js';

/** A folder only the service's user may enter, tightened if it was made open (by hand, by an older version). */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) !== 0) fs.chmodSync(dir, mode & PRIVATE_DIR);
}

/** The bytes are on disk, not in the page cache, before the file is renamed into place. */
export function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The rename is durable only once the folder is synced. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems cannot sync a folder; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A file that may not exist (a partial copy, a leftover WAL) is simply gone afterwards. */
export function removeQuietly(file: string): void {
  fs.rmSync(file, { force: true });
}
