/**
 * The data folder holds every customer and, with WhatsApp linked, the
 * session's keys: only the service's own user may read it. New files are
 * private by the umask; files and folders made before (by an older version,
 * by hand, by a copy) are tightened at start, and the log says which.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

export interface TightenedPath {
  path: string;
  /** The permission bits before, e.g. 0o644. */
  from: number;
  to: number;
}

export interface TightenReport {
  tightened: TightenedPath[];
  /** Paths that could not be changed (owned by another user): the log warns. */
  failed: { path: string; code: string }[];
}

/**
 * umask 077: whatever the process creates from now on (the database, its WAL
 * and SHM, backups, the token) is the service user's only. Returns false where
 * the umask cannot be set (a worker thread, as test runners may use); files
 * are still tightened one by one.
 */
export function restrictNewFiles(): boolean {
  try {
    process.umask(0o077);
    return true;
  } catch {
    return false;
  }
}

export interface PrivatePaths {
  /** Folders of fregues' own: tightened with everything in them. */
  ownDirs: string[];
  /** Folders that may hold other things too (BACKUP_DIR may be a synced folder): only the folder itself. */
  dirs: string[];
  /** Single files; missing ones are skipped. */
  files: string[];
}

/**
 * What holds the shop's data: the data folder itself (not what else a seller
 * put in it), the database with its WAL, SHM and journal, the token, the
 * backups (only the files named as backups) and the weekly charts.
 */
export function privateDataPaths(config: Pick<Config, 'dataDir' | 'databaseFile' | 'adminTokenFile' | 'backupDir'>): PrivatePaths {
  const backups = fs.existsSync(config.backupDir)
    ? fs.readdirSync(config.backupDir).filter((name) => name.startsWith('fregues-') || name.startsWith('.fregues-')).map((name) => path.join(config.backupDir, name))
    : [];
  return {
    ownDirs: [path.join(config.dataDir, 'reports')],
    dirs: [config.dataDir, config.backupDir],
    files: [...['', '-wal', '-shm', '-journal'].map((suffix) => `${config.databaseFile}${suffix}`), config.adminTokenFile, ...backups],
  };
}

/**
 * Removes every permission of group and others from `paths`: folders end at
 * most 0700, files at most 0600. Symbolic links are left alone (their target
 * may be anything); bits are only ever removed, never added.
 */
export function tightenDataFiles(paths: PrivatePaths): TightenReport {
  const report: TightenReport = { tightened: [], failed: [] };
  for (const dir of paths.dirs) visit(dir, report, -1);
  for (const dir of paths.ownDirs) visit(dir, report, 0);
  for (const file of paths.files) visit(file, report, -1);
  return report;
}

/** fregues' own folders are shallow (reports/ holds images). */
const MAX_DEPTH = 3;

/** depth -1: this path only; otherwise its contents too, down to MAX_DEPTH. */
function visit(target: string, report: TightenReport, depth: number): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) return;
  const mode = stat.mode & 0o777;
  if (stat.isDirectory()) {
    tighten(target, mode, mode & PRIVATE_DIR, report);
    if (depth < 0 || depth >= MAX_DEPTH) return;
    let names: string[];
    try {
      names = fs.readdirSync(target);
    } catch {
      return;
    }
    for (const name of names) visit(path.join(target, name), report, depth + 1);
  } else if (stat.isFile()) {
    tighten(target, mode, mode & PRIVATE_FILE, report);
  }
}

function tighten(target: string, from: number, to: number, report: TightenReport): void {
  if (from === to) return;
  try {
    fs.chmodSync(target, to);
    report.tightened.push({ path: target, from, to });
  } catch (error) {
    report.failed.push({ path: target, code: (error as NodeJS.ErrnoException).code ?? String(error) });
  }
}

/** "0644" for the log. */
export function formatMode(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
