import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { privateDataPaths, restrictNewFiles, tightenDataFiles } from '../../src/storage/file-modes.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-modes-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('file modes', () => {
  it('tightens an existing, wider data folder and the files that hold the shop, and only those', () => {
    const config = loadConfig({ BACKUP_DIR: 'sincronizado' }, dir);
    const data = config.dataDir;
    fs.mkdirSync(path.join(data, 'reports'), { recursive: true, mode: 0o755 });
    fs.chmodSync(data, 0o755);
    fs.chmodSync(path.join(data, 'reports'), 0o755);
    for (const file of ['fregues.db', 'fregues.db-wal', 'fregues.db-shm', 'admin-token', 'reports/2026-W47.png', 'leia-me.txt']) {
      fs.writeFileSync(path.join(data, file), 'x', { mode: 0o644 });
      fs.chmodSync(path.join(data, file), 0o644);
    }
    // BACKUP_DIR may be a folder a sync tool shares with other things: only the backups in it are the shop's.
    fs.mkdirSync(config.backupDir, { mode: 0o755 });
    fs.chmodSync(config.backupDir, 0o755);
    fs.writeFileSync(path.join(config.backupDir, 'fregues-20261206-063000-000.db'), 'x', { mode: 0o644 });
    fs.writeFileSync(path.join(config.backupDir, 'fotos.txt'), 'x', { mode: 0o644 });
    fs.chmodSync(path.join(config.backupDir, 'fregues-20261206-063000-000.db'), 0o644);
    fs.chmodSync(path.join(config.backupDir, 'fotos.txt'), 0o644);
    fs.symlinkSync('/etc/hostname', path.join(data, 'fregues.db-journal'));

    const report = tightenDataFiles(privateDataPaths(config));

    expect(modeOf(data)).toBe(0o700);
    expect(modeOf(path.join(data, 'reports'))).toBe(0o700);
    for (const file of ['fregues.db', 'fregues.db-wal', 'fregues.db-shm', 'admin-token', 'reports/2026-W47.png']) expect(modeOf(path.join(data, file)), file).toBe(0o600);
    expect(modeOf(config.backupDir)).toBe(0o700);
    expect(modeOf(path.join(config.backupDir, 'fregues-20261206-063000-000.db'))).toBe(0o600);
    // What the seller put there is theirs; a link's target is not touched.
    expect(modeOf(path.join(data, 'leia-me.txt'))).toBe(0o644);
    expect(modeOf(path.join(config.backupDir, 'fotos.txt'))).toBe(0o644);
    expect(report.failed).toEqual([]);
    expect(report.tightened).toContainEqual({ path: data, from: 0o755, to: 0o700 });
    expect(report.tightened).toContainEqual({ path: path.join(data, 'fregues.db'), from: 0o644, to: 0o600 });
    expect(report.tightened).toHaveLength(9);

    // Once private, nothing more to say.
    expect(tightenDataFiles(privateDataPaths(config)).tightened).toEqual([]);
  });

  it("umask 077: what the process creates afterwards is its user's only", () => {
    const before = process.umask();
    try {
      expect(restrictNewFiles()).toBe(true);
      fs.writeFileSync(path.join(dir, 'novo'), 'x');
      fs.mkdirSync(path.join(dir, 'pasta'));
      expect(modeOf(path.join(dir, 'novo'))).toBe(0o600);
      expect(modeOf(path.join(dir, 'pasta'))).toBe(0o700);
    } finally {
      process.umask(before);
    }
  });
});
