import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase } from '../../src/storage/db.js';
import { runFregues } from '../helpers/run-fregues.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-cli-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}, tty = false) {
  return runFregues(args, { cwd: dir, env, tty, clock: new ManualClock('2026-11-20T12:00:00Z') });
}

function storedNames(): unknown[] {
  const db = openDatabase(path.join(dir, 'data', 'fregues.db'));
  try {
    return db.sqlite.prepare('SELECT name FROM customers ORDER BY id').pluck().all();
  } finally {
    db.close();
  }
}

describe('fregues import', () => {
  it('imports into DATA_DIR (default ./data), prints a summary and exits 0', async () => {
    fs.writeFileSync(path.join(dir, 'clientes.csv'), 'nome;telefone\nAna;11912345678\nBia;21998765432\n');
    const result = await run(['import', 'clientes.csv']);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toBe('Clientes importados: 2 (novos: 2, atualizados: 0). Linhas recusadas: 0.\n');
    expect(storedNames()).toEqual(['Ana', 'Bia']);
  });

  it('lists each rejected row and exits 2', async () => {
    fs.writeFileSync(path.join(dir, 'c.csv'), 'nome,telefone\nAna,11912345678\nRuim,12\n');
    const result = await run(['import', 'c.csv']);
    expect(result.code).toBe(2);
    expect(result.out).toBe('Clientes importados: 1 (novos: 1, atualizados: 0). Linhas recusadas: 1.\n  linha 3: telefone: número curto demais\n');
  });

  it('prints the columns it ignored, each rejected row and which phone it picked', async () => {
    fs.copyFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'csv', 'google-contacts.csv'), path.join(dir, 'google.csv'));
    const result = await run(['import', 'google.csv']);
    expect(result.code).toBe(2);
    expect(result.out.split('\n')).toEqual([
      'Clientes importados: 2 (novos: 2, atualizados: 0). Linhas recusadas: 1.',
      'Colunas ignoradas: Middle Name, Phonetic First Name, Phonetic Middle Name, Phonetic Last Name, Name Prefix, Name Suffix, Nickname, File As, Organization Name, Organization Title, Organization Department, Notes, Photo, Labels, E-mail 1 - Label, Phone 1 - Label, Phone 2 - Label',
      '  linha 5: Phone 1 - Value: não é um celular: o WhatsApp precisa de um número de celular',
      '  linha 3: Phone 1 - Value: escolhido o celular +55 11 98888-7777 entre "+55 11 3333-4444 ::: +55 11 98888-7777"',
      '',
    ]);
    expect(storedNames()).toEqual(['Fernanda Alves', 'Gabriel Moura']);
  });

  it('shows a progress bar on a terminal', async () => {
    fs.writeFileSync(path.join(dir, 'c.csv'), 'telefone\n11912345678\n');
    const result = await run(['import', 'c.csv'], {}, true);
    expect(result.code).toBe(0);
    expect(result.err).toContain('Importando |');
    expect(result.err).toContain('1/1 linhas');
  });

  it('writes nothing with --dry-run', async () => {
    fs.writeFileSync(path.join(dir, 'c.csv'), 'telefone\n11912345678\n');
    const result = await run(['import', 'c.csv', '--dry-run'], { DATA_DIR: 'outro' });
    expect(result.out).toContain('Simulação, nada foi gravado. Clientes que seriam importados: 1 ');
    const db = openDatabase(path.join(dir, 'outro', 'fregues.db'));
    expect(db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(0);
    db.close();
  });

  it('fails with exit 1 and a clear message, writing nothing', async () => {
    expect(await run(['import'])).toMatchObject({ code: 1, err: 'Informe o arquivo: fregues import clientes.csv\n' });
    expect(await run(['import', 'nao-existe.csv'])).toMatchObject({ code: 1, err: 'Arquivo não encontrado: nao-existe.csv\n' });
    fs.writeFileSync(path.join(dir, 'sem-telefone.csv'), 'nome\nAna\n');
    const noPhone = await run(['import', 'sem-telefone.csv']);
    expect(noPhone.code).toBe(1);
    expect(noPhone.err).toContain('nenhuma coluna de telefone');
    const badConfig = await run(['import', 'sem-telefone.csv'], { DEFAULT_COUNTRY: 'XX' });
    expect(badConfig.code).toBe(1);
    expect(badConfig.err).toContain('DEFAULT_COUNTRY="XX"');
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('speaks the LOCALE and knows help, version and unknown commands', async () => {
    fs.writeFileSync(path.join(dir, 'c.csv'), 'phone\n+14155552671\n');
    expect((await run(['import', 'c.csv'], { LOCALE: 'en' })).out).toBe('Customers imported: 1 (new: 1, updated: 0). Rows rejected: 0.\n');
    expect((await run(['help'])).out).toContain('Uso: fregues <comando>');
    expect((await run(['version'])).out).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(await run(['exportar'])).toMatchObject({ code: 1, err: expect.stringContaining('Comando desconhecido: exportar') });
  });
});
