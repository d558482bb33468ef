import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, backupDatabaseFile, checkBackupFile, listBackups } from '../../src/storage/backup.js';
import { restoreDatabase } from '../../src/storage/restore-database.js';
import { openDatabase, type Database } from '../../src/storage/db.js';

const AT = Date.parse('2026-12-06T06:30:00.000Z');
const DAY = 86_400_000;

let dir: string;
let dataDir: string;
let backupDir: string;
let live: string;
const open: Database[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-backup-'));
  dataDir = path.join(dir, 'data');
  backupDir = path.join(dataDir, 'backups');
  live = path.join(dataDir, 'fregues.db');
});
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function shop(file = live, customers = ['+5511912345678']): Database {
  const db = openDatabase(file);
  open.push(db);
  const insert = db.sqlite.prepare('INSERT INTO customers (phone, name, created_at, updated_at) VALUES (?, ?, 1, 1)');
  db.sqlite.transaction(() => {
    for (const phone of customers) insert.run(phone, `Cliente ${phone.slice(-4)}`);
  })();
  return db;
}

const phones = (file: string) => {
  const sqlite = new BetterSqlite3(file, { readonly: true });
  try {
    return sqlite.prepare('SELECT phone FROM customers ORDER BY phone').pluck().all();
  } finally {
    sqlite.close();
  }
};
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('backupDatabase', () => {
  it('writes one private, self-contained file named by its moment, in a private folder', async () => {
    const db = shop();
    const result = await backupDatabase(db.sqlite, { dir: backupDir, keep: 7, now: AT });
    expect(path.basename(result.file)).toBe('fregues-20261206-063000-000.db');
    expect(modeOf(result.file)).toBe(0o600);
    expect(modeOf(backupDir)).toBe(0o700);
    // Rollback journal, not WAL: the file alone is the whole database, and nothing else is left beside it.
    expect(fs.readdirSync(backupDir)).toEqual(['fregues-20261206-063000-000.db']);
    const copy = new BetterSqlite3(result.file, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    expect(phones(result.file)).toEqual(['+5511912345678']);
    expect(checkBackupFile(result.file)).toEqual({ ok: true, customers: 1 });
    expect(listBackups(backupDir)).toEqual([{ file: result.file, at: AT }]);
  });

  it('keeps the newest BACKUP_KEEP and deletes only files named as backups', async () => {
    const db = shop();
    fs.mkdirSync(backupDir, { recursive: true });
    fs.writeFileSync(path.join(backupDir, 'notas-do-dono.txt'), 'não apague');
    fs.writeFileSync(path.join(backupDir, 'fregues-copia-manual.db'), '');
    const made: string[] = [];
    for (let day = 0; day < 5; day += 1) made.push((await backupDatabase(db.sqlite, { dir: backupDir, keep: 3, now: AT + day * DAY })).file);
    expect(listBackups(backupDir).map((backup) => backup.file)).toEqual(made.slice(2).reverse());
    expect(fs.readdirSync(backupDir).sort()).toEqual([...made.slice(2).map((file) => path.basename(file)), 'fregues-copia-manual.db', 'notas-do-dono.txt'].sort());
  });

  it('two backups in the same millisecond get two names', async () => {
    const db = shop();
    const [first, second] = await Promise.all([
      backupDatabase(db.sqlite, { dir: backupDir, keep: 7, now: AT }),
      backupDatabase(db.sqlite, { dir: backupDir, keep: 7, now: AT }),
    ]);
    expect(new Set([first.file, second.file]).size).toBe(2);
    expect(listBackups(backupDir)).toHaveLength(2);
  });

  it('sees the writes the service makes on its own connection while the copy is under way', async () => {
    const db = shop(live, Array.from({ length: 2000 }, (_, i) => `+55119${String(10_000_000 + i)}`));
    const pending = backupDatabase(db.sqlite, { dir: backupDir, keep: 7, now: AT, pagesPerStep: 1 });
    db.sqlite.prepare("INSERT INTO customers (phone, created_at, updated_at) VALUES ('+5521999990000', 2, 2)").run();
    const result = await pending;
    expect(phones(result.file)).toHaveLength(2001);
    expect(checkBackupFile(result.file)).toEqual({ ok: true, customers: 2001 });
  });

  it('removes what a killed backup left (its process is gone), never a backup being written', async () => {
    const db = shop();
    fs.mkdirSync(backupDir, { recursive: true });
    // A pid that cannot be alive (above the kernel's pid_max).
    const dead = path.join(backupDir, '.fregues-20261205-063000-000.db.99999999.partial');
    fs.writeFileSync(dead, 'half');
    fs.writeFileSync(`${dead}-journal`, 'half');
    const alive = path.join(backupDir, `.fregues-20261205-063000-001.db.${process.ppid}.partial`);
    fs.writeFileSync(alive, 'being written by another process');
    await backupDatabase(db.sqlite, { dir: backupDir, keep: 7, now: AT });
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(`${dead}-journal`)).toBe(false);
    expect(fs.existsSync(alive)).toBe(true);
  });

  it('from the file, as the CLI does beside a running service: one consistent snapshot', async () => {
    const db = shop();
    const result = await backupDatabaseFile(live, { dir: backupDir, keep: 7, now: AT });
    db.sqlite.prepare("INSERT INTO customers (phone, created_at, updated_at) VALUES ('+5521999990000', 2, 2)").run();
    expect(phones(result.file)).toEqual(['+5511912345678']);
  });
});

describe('checkBackupFile', () => {
  it('refuses what is not a fregues database this version can run', () => {
    expect(checkBackupFile(path.join(dir, 'nada.db'))).toMatchObject({ ok: false, problem: 'missing' });

    const text = path.join(dir, 'planilha.db');
    fs.writeFileSync(text, 'telefone;nome\n+5511912345678;Ana\n'.repeat(200));
    expect(checkBackupFile(text)).toMatchObject({ ok: false, problem: 'not_sqlite' });

    const other = path.join(dir, 'outro.db');
    const sqlite = new BetterSqlite3(other);
    sqlite.exec('CREATE TABLE clientes (telefone TEXT)');
    sqlite.close();
    expect(checkBackupFile(other)).toMatchObject({ ok: false, problem: 'not_fregues', detail: 'customers, outbox, __drizzle_migrations' });

    const newer = path.join(dir, 'nova.db');
    shop(newer).sqlite.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('futuro', Date.parse('2099-01-01'));
    expect(checkBackupFile(newer)).toMatchObject({ ok: false, problem: 'newer' });
  });

  it('refuses a file that fails PRAGMA integrity_check', async () => {
    const db = shop(live, Array.from({ length: 3000 }, (_, i) => `+55119${String(10_000_000 + i)}`));
    const { file } = await backupDatabase(db.sqlite, { dir: backupDir, keep: 7, now: AT });
    corruptAPage(file);
    expect(checkBackupFile(file)).toMatchObject({ ok: false, problem: 'corrupt' });
  });
});

/** Overwrites the root page of customers: the file header still says SQLite, the table's b-tree no longer holds together. */
function corruptAPage(file: string): void {
  const sqlite = new BetterSqlite3(file, { readonly: true });
  const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
  const root = sqlite.prepare<[], number>("SELECT rootpage FROM sqlite_master WHERE name = 'customers'").pluck().get()!;
  sqlite.close();
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
  fs.closeSync(fd);
}

describe('restoreDatabase', () => {
  const options = () => ({ databaseFile: live, backupDir, keep: 7, now: AT + DAY });

  it('refuses while the database is open in any process, and changes nothing', async () => {
    const db = shop();
    const { file } = await backupDatabase(db.sqlite, { dir: backupDir, keep: 7, now: AT });
    db.sqlite.prepare("INSERT INTO customers (phone, created_at, updated_at) VALUES ('+5521999990000', 2, 2)").run();
    const result = await restoreDatabase(file, options());
    expect(result).toMatchObject({ ok: false, problem: 'in_use' });
    expect(db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(2);
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(listBackups(backupDir)).toHaveLength(1);
    expect(fs.readdirSync(dataDir).filter((name) => name.includes('restoring'))).toEqual([]);
  });

  it('puts a checked backup in place, keeping the replaced database as one more backup', async () => {
    const db = shop();
    const { file } = await backupDatabase(db.sqlite, { dir: backupDir, keep: 7, now: AT });
    db.sqlite.prepare("INSERT INTO customers (phone, created_at, updated_at) VALUES ('+5521999990000', 2, 2)").run();
    db.close();

    const result = await restoreDatabase(file, options());
    expect(result).toEqual({ ok: true, customers: 1, previous: path.join(backupDir, 'fregues-20261207-063000-000.db') });
    expect(phones(live)).toEqual(['+5511912345678']);
    expect(phones(path.join(backupDir, 'fregues-20261207-063000-000.db'))).toEqual(['+5511912345678', '+5521999990000']);
    expect(modeOf(live)).toBe(0o600);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['backups', 'fregues.db']);
    // The service opens it as always: WAL again, migrations current.
    const reopened = openDatabase(live);
    open.push(reopened);
    expect(reopened.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('into a fresh folder, and never replays a WAL left there by another database', async () => {
    const source = shop(path.join(dir, 'old', 'fregues.db'));
    const { file } = await backupDatabase(source.sqlite, { dir: backupDir, keep: 7, now: AT });
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(`${live}-wal`, 'stale');
    const result = await restoreDatabase(file, options());
    expect(result).toEqual({ ok: true, customers: 1, previous: null });
    expect(fs.existsSync(`${live}-wal`)).toBe(false);
    expect(phones(live)).toEqual(['+5511912345678']);
  });

  it('refuses a damaged or foreign file and leaves the database as it was', async () => {
    const db = shop();
    db.close();
    const before = fs.readFileSync(live);
    const text = path.join(dir, 'clientes.csv');
    fs.writeFileSync(text, 'telefone\n+5511912345678\n');
    expect(await restoreDatabase(text, options())).toMatchObject({ ok: false, problem: 'not_sqlite' });
    expect(await restoreDatabase(path.join(dir, 'nada.db'), options())).toMatchObject({ ok: false, problem: 'missing' });
    expect(fs.readFileSync(live).equals(before)).toBe(true);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['fregues.db']);
  });

  it('replaces a database that no longer opens, keeping its bytes as a backup', async () => {
    const source = shop(path.join(dir, 'old', 'fregues.db'));
    const { file } = await backupDatabase(source.sqlite, { dir: backupDir, keep: 7, now: AT });
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(live, 'this was a database once'.repeat(100));
    const result = await restoreDatabase(file, options());
    expect(result).toMatchObject({ ok: true, customers: 1 });
    expect(phones(live)).toEqual(['+5511912345678']);
    if (result.ok) expect(fs.readFileSync(result.previous!, 'utf8')).toContain('this was a database once');
  });
});
