import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase } from '../../src/storage/db.js';
import { runFregues } from '../helpers/run-fregues.js';

// `fregues backup` and `fregues restore <file>` on the service's data folder.

let dir: string;
let umask: number;
beforeEach(() => {
  umask = process.umask();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-cli-backup-'));
  const db = openDatabase(path.join(dir, 'data', 'fregues.db'));
  db.sqlite.prepare("INSERT INTO customers (phone, name, created_at, updated_at) VALUES ('+5511912345678', 'Ana', 0, 0)").run();
  db.close();
});
afterEach(() => {
  // The CLI sets umask 077 for its process, which here is the test's.
  process.umask(umask);
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}, at = '2026-12-06T06:30:00Z') {
  return runFregues(args, { cwd: dir, env, clock: new ManualClock(at) });
}
const backupsIn = (folder: string) => fs.readdirSync(folder).sort();

describe('fregues backup', () => {
  it('writes a private backup to DATA_DIR/backups and says where, rotating to BACKUP_KEEP', async () => {
    const first = await run(['backup']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const file = path.join(dir, 'data', 'backups', 'fregues-20261206-063000-000.db');
    expect(first.out).toContain(`Cópia de segurança feita: ${file} (`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(process.umask()).toBe(0o077);

    await run(['backup'], { BACKUP_KEEP: '2' }, '2026-12-07T06:30:00Z');
    const third = await run(['backup'], { BACKUP_KEEP: '2' }, '2026-12-08T06:30:00Z');
    expect(third.out).toContain('Cópias antigas apagadas: 1 (ficam as 2 mais recentes)');
    expect(backupsIn(path.join(dir, 'data', 'backups'))).toEqual(['fregues-20261207-063000-000.db', 'fregues-20261208-063000-000.db']);
  });

  it('to BACKUP_DIR or --dir', async () => {
    expect((await run(['backup'], { BACKUP_DIR: 'copias' })).code).toBe(0);
    expect(backupsIn(path.join(dir, 'copias'))).toEqual(['fregues-20261206-063000-000.db']);
    expect((await run(['backup', '--dir', 'pendrive'], { LOCALE: 'en' })).out).toContain(`Backup made: ${path.join(dir, 'pendrive', 'fregues-20261206-063000-000.db')}`);
  });

  it('says so when there is no database yet', async () => {
    const { code, err } = await run(['backup'], { DATA_DIR: 'vazio' });
    expect(code).toBe(1);
    expect(err).toContain(`Não há banco de dados em ${path.join(dir, 'vazio', 'fregues.db')}`);
    expect(fs.existsSync(path.join(dir, 'vazio'))).toBe(false);
  });
});

describe('fregues restore', () => {
  it('puts a backup in place and keeps the replaced database as a backup', async () => {
    await run(['backup']);
    const db = openDatabase(path.join(dir, 'data', 'fregues.db'));
    db.sqlite.prepare("INSERT INTO customers (phone, name, created_at, updated_at) VALUES ('+5521987654321', 'Bia', 1, 1)").run();
    db.close();

    const { code, out, err } = await run(['restore', 'data/backups/fregues-20261206-063000-000.db'], {}, '2026-12-06T09:00:00Z');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(`Banco ${path.join(dir, 'data', 'fregues.db')} restaurado de data/backups/fregues-20261206-063000-000.db (1 clientes)`);
    expect(out).toContain(`guardado como cópia de segurança: ${path.join(dir, 'data', 'backups', 'fregues-20261206-090000-000.db')}`);
    const restored = openDatabase(path.join(dir, 'data', 'fregues.db'));
    expect(restored.sqlite.prepare('SELECT name FROM customers').pluck().all()).toEqual(['Ana']);
    restored.close();
  });

  it('refuses while the service has the database open, and changes nothing', async () => {
    await run(['backup']);
    const service = openDatabase(path.join(dir, 'data', 'fregues.db'));
    try {
      const { code, err } = await run(['restore', 'data/backups/fregues-20261206-063000-000.db']);
      expect(code).toBe(1);
      expect(err).toContain('está aberto por outro processo (o serviço está no ar?): pare o serviço e rode de novo. Nada foi alterado.');
      expect(backupsIn(path.join(dir, 'data', 'backups'))).toEqual(['fregues-20261206-063000-000.db']);
    } finally {
      service.close();
    }
  });

  it('refuses a file that is not a fregues database, or is damaged, naming the reason', async () => {
    fs.writeFileSync(path.join(dir, 'clientes.csv'), 'telefone\n+5511912345678\n');
    const notSqlite = await run(['restore', 'clientes.csv']);
    expect(notSqlite.code).toBe(1);
    expect(notSqlite.err).toContain('clientes.csv não é um banco de dados SQLite. Nada foi alterado.');

    const other = openDatabase(path.join(dir, 'outro', 'fregues.db'));
    other.sqlite.exec('DROP TABLE outbox');
    other.close();
    const foreign = await run(['restore', 'outro/fregues.db'], { LOCALE: 'es' });
    expect(foreign.err).toContain('outro/fregues.db no es una base de fregues (faltan las tablas outbox). No se cambió nada.');

    const missing = await run(['restore'], { LOCALE: 'en' });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Name the backup: fregues restore');
  });

  it('the help lists both commands', async () => {
    const { out } = await run(['help']);
    expect(out).toContain('backup [--dir pasta]');
    expect(out).toContain('restore <arquivo>');
  });
});
