import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase } from '../../src/storage/db.js';
import { runFregues } from '../helpers/run-fregues.js';

// `fregues report weekly` on the service's data folder: prints the summary, or queues it.

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-cli-report-'));
  fs.cpSync(path.join(ROOT, 'flows'), path.join(dir, 'flows'), { recursive: true });
  // A purchase on Tuesday 17 November 2026 (week 2026-W47).
  const db = openDatabase(path.join(dir, 'data', 'fregues.db'));
  const customer = db.sqlite.prepare("INSERT INTO customers (phone, name, created_at, updated_at) VALUES ('+5511912345678', 'Ana', 0, 0)").run().lastInsertRowid;
  db.sqlite
    .prepare("INSERT INTO purchases (customer_id, items, total_cents, currency, source, purchased_at, created_at) VALUES (?, '[]', 3990, 'BRL', 'api', ?, 0)")
    .run(customer, Date.parse('2026-11-17T15:00:00Z'));
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  return runFregues(args, { cwd: dir, env: { SHOP_NAME: 'Café da Ana', ...env }, clock: new ManualClock('2026-11-24T12:00:00Z') });
}

describe('fregues report weekly', () => {
  it('prints the last whole week’s summary by default, sending nothing', async () => {
    const { code, out, err } = await run(['report', 'weekly']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('📊 *Resumo da semana, Café da Ana*\n16/11 a 22/11');
    expect(out).toContain('🛒 Pedidos: 1');
    const db = openDatabase(path.join(dir, 'data', 'fregues.db'));
    expect(db.sqlite.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    db.close();
  });

  it('prints another week with --week, in LOCALE', async () => {
    const { code, out } = await run(['report', 'weekly', '--week', '2026-W46'], { LOCALE: 'en' });
    expect(code).toBe(0);
    expect(out).toContain('📊 *Weekly summary, Café da Ana*\n11/09 to 11/15');
    expect(out).toContain('A quiet week');
  });

  it('queues it for OWNER_PHONE with --send, chart included', async () => {
    const { code, out } = await run(['report', 'weekly', '--send'], { OWNER_PHONE: '+5511900001111' });
    expect(code).toBe(0);
    expect(out).toContain('Resumo da semana 2026-W47 na fila para 1 número do OWNER_PHONE:');
    const db = openDatabase(path.join(dir, 'data', 'fregues.db'));
    const rows = db.sqlite.prepare("SELECT to_phone AS phone, json_extract(content, '$.kind') AS kind, json_extract(content, '$.file') AS file FROM outbox ORDER BY id").all() as { phone: string; kind: string; file: string | null }[];
    db.close();
    expect(rows.map((row) => [row.phone, row.kind])).toEqual([
      ['+5511900001111', 'text'],
      ['+5511900001111', 'image'],
    ]);
    expect(fs.readFileSync(rows[1]!.file!).subarray(1, 4).toString()).toBe('PNG');
  });

  it.each([
    [['report'], 'Informe o relatório: fregues report weekly'],
    [['report', 'monthly'], 'Comando desconhecido: report monthly'],
    [['report', 'weekly', '--week', '2026-47'], '--week deve ser uma semana ISO, como 2026-W47, não "2026-47"'],
    [['report', 'weekly', '--send'], 'Configure OWNER_PHONE para enviar o resumo semanal.'],
  ])('refuses %j with a clear message', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(1);
    expect(err).toContain(message);
  });
});
