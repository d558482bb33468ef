import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase } from '../../src/storage/db.js';
import { runFregues } from '../helpers/run-fregues.js';

// Every word a seller reads from the CLI comes from the catalogue: in pt-BR (LOCALE unset), the output of
// `flows check`, `flows simulate`, `import` and `report` holds no English word. What the seller typed (flow
// ids, file and folder names, a spreadsheet's own column titles, Liquid names in a message) is left out of
// the check, and the inputs are named in Portuguese so that nothing else needs stripping.

const ROOT = path.resolve(import.meta.dirname, '../..');
const CSV_FIXTURES = path.join(ROOT, 'test/fixtures/csv');

/** Words that are never Portuguese, among those the CLI could leak: trigger types, answer outcomes, run end reasons, Node error codes, stray code words. */
const ENGLISH = new Set(
  [
    ...['birthday', 'purchase', 'repurchase', 'inactivity', 'trigger'],
    ...['promoter', 'passive', 'detractor', 'unhappy', 'happy', 'neutral', 'yes', 'answered', 'no_answer'],
    ...['completed', 'superseded', 'step_failed', 'step_missing', 'opted_out', 'cancelled', 'cancelled_by_seller', 'customer_gone', 'end'],
    ...['cold', 'warm', 'skip', 'skipped', 'send', 'wait', 'ask', 'tag', 'step', 'steps', 'flow', 'flows', 'weekly'],
    ...['enoent', 'eisdir', 'eacces', 'eperm', 'error', 'errors', 'failed', 'found', 'invalid', 'missing', 'file', 'read'],
    ...['the', 'and', 'of', 'to', 'is', 'not', 'for', 'with', 'undefined', 'null', 'nan', 'object', 'customer', 'owner', 'answer', 'reason'],
  ].map((word) => word.toLowerCase()),
);

/** The English words of `text`, once each; words joined by `_` count as one (no_answer). */
function englishWords(text: string): string[] {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}_]+/u);
  return [...new Set(words.filter((word) => ENGLISH.has(word)))];
}

/** What the seller typed, taken out: Liquid names in a message ({{ customer.first_name }}) and the given strings. */
function withoutTyped(text: string, typed: string[] = []): string {
  let rest = text.replace(/\{\{.*?\}\}|\{%.*?%\}/g, ' ');
  for (const part of [...typed].sort((a, b) => b.length - a.length)) rest = rest.split(part).join(' ');
  return rest;
}

/** A spreadsheet's column titles, as its header line (the first that is not a `#` comment) has them. */
function columnTitles(file: string): string[] {
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines.find((line) => line.trim() !== '' && !line.startsWith('#')) ?? '';
  return header
    .split(header.includes(';') ? ';' : ',')
    .map((title) => title.replace(/^"|"$/g, '').trim())
    .filter((title) => title !== '');
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-cli-palavras-'));
  // The shipped flows, in a folder named in Portuguese (the folder's name is printed).
  fs.cpSync(path.join(ROOT, 'flows'), path.join(dir, 'fluxos'), { recursive: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  return runFregues(args, {
    cwd: dir,
    env: { FLOWS_DIR: 'fluxos', DATA_DIR: 'dados', SHOP_NAME: 'Café da Ana', ...env },
    clock: new ManualClock('2026-11-24T12:00:00Z'),
  });
}

/** stdout and stderr together: the seller reads both. */
const said = (result: { out: string; err: string }) => `${result.out}\n${result.err}`;

describe('the CLI in pt-BR says no English word', () => {
  it('has a check that finds the words it is meant to find', () => {
    expect(englishWords('gatilho birthday, ↳ promoter: segue para end. Fim do fluxo: completed. ENOENT; cold: skip')).toEqual([
      'birthday',
      'promoter',
      'end',
      'completed',
      'enoent',
      'cold',
      'skip',
    ]);
    expect(englishWords('Fluxos sem erros em fluxos: 4. Nota 9 ou 10: segue para o fim. Arquivo não encontrado: nada.csv')).toEqual([]);
    expect(englishWords(withoutTyped('Oi, {{ customer.first_name }}! Compra de {{ purchase.products }}'))).toEqual([]);
  });

  it('in flows check: each flow, its trigger, its steps and where each answer leads', async () => {
    const result = await run(['flows', 'check']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Fluxos sem erros em fluxos: 4.');
    const typed = ['aniversario', 'pos-compra', 'recompra', 'reconquista'];
    expect(englishWords(withoutTyped(said(result), typed))).toEqual([]);
  });

  it.each([
    ['pos-compra', ['--answers', '9']],
    ['pos-compra', ['--answers', '7']],
    ['pos-compra', ['--answers', '3']],
    ['pos-compra', []],
    ['aniversario', []],
    ['aniversario', ['--warm']],
    ['recompra', ['--days', '60']],
    ['reconquista', ['--days', '200']],
    ['reconquista', ['--days', '200', '--warm']],
  ])('in flows simulate %s %j: the timeline, the branches taken and how the flow ends', async (flow, options) => {
    const result = await run(['flows', 'simulate', flow, '--start', '2026-03-02T09:00', ...options]);
    expect(result.code).toBe(0);
    expect(englishWords(withoutTyped(said(result), [flow]))).toEqual([]);
  });

  it.each(fs.readdirSync(CSV_FIXTURES).filter((file) => file.endsWith('.csv')))('in import of %s, its rows rejected and its notes', async (file) => {
    const csv = path.join(CSV_FIXTURES, file);
    const result = await run(['import', csv]);
    expect([0, 2]).toContain(result.code);
    expect(result.out).toContain('Clientes importados:');
    expect(englishWords(withoutTyped(said(result), [csv, ...columnTitles(csv)]))).toEqual([]);
  });

  it('in import of a file that is not there, or of a folder', async () => {
    fs.mkdirSync(path.join(dir, 'planilhas.csv'));
    const missing = await run(['import', 'nada.csv']);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('Arquivo não encontrado: nada.csv\n');
    const folder = await run(['import', 'planilhas.csv']);
    expect(folder.code).toBe(1);
    for (const result of [missing, folder]) expect(englishWords(withoutTyped(said(result), ['nada.csv', 'planilhas.csv']))).toEqual([]);
  });

  it('in report weekly, printed and queued', async () => {
    // A week (2026-W47) with a purchase, a promoter, a passive and a detractor with a comment, and a referral.
    const db = openDatabase(path.join(dir, 'dados', 'fregues.db'));
    const at = Date.parse('2026-11-18T15:00:00Z');
    const insertCustomer = db.sqlite.prepare('INSERT INTO customers (phone, name, created_at, updated_at) VALUES (?, ?, 0, 0)');
    const insertAnswer = db.sqlite.prepare("INSERT INTO answers (customer_id, step_id, kind, value, comment, message_wa_id, at) VALUES (?, 'pesquisa', 'nps', ?, ?, ?, ?)");
    for (const [index, [phone, name, score, comment]] of [
      ['+5511912345678', 'Ana', '9', null],
      ['+5511912345679', 'Bia', '7', null],
      ['+5511912345670', 'Caio', '3', 'a entrega atrasou'],
    ].entries()) {
      const customer = insertCustomer.run(phone, name).lastInsertRowid;
      db.sqlite
        .prepare("INSERT INTO purchases (customer_id, items, total_cents, currency, source, purchased_at, created_at) VALUES (?, '[]', 3990, 'BRL', 'api', ?, 0)")
        .run(customer, at);
      insertAnswer.run(customer, score, comment, `wa-${index}`, at + 3_600_000);
    }
    db.close();

    const printed = await run(['report', 'weekly']);
    expect(printed.code).toBe(0);
    expect(printed.out).toContain('Resumo da semana');
    const queued = await run(['report', 'weekly', '--send'], { OWNER_PHONE: '+5511900001111' });
    expect(queued.code).toBe(0);
    for (const result of [printed, queued]) expect(englishWords(withoutTyped(said(result), ['OWNER_PHONE', 'WhatsApp']))).toEqual([]);
  });
});
