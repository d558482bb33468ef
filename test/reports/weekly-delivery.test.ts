import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

// The Monday summary through the service's seams: purchases over HTTP, answers through the
// simulator, time moved by the simulator's clock, and what the owner's phone receives.

const OWNER = '+5511900001111';
const FRIDAY = '2026-11-20T13:00:00Z'; // 10:00 in São Paulo, week 2026-W47.

let apps: Shop[] = [];
let dir: string;
afterEach(async () => {
  for (const app of apps) await app.close();
  apps = [];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function service(options: { start?: string; env?: Record<string, string>; dbFile?: string; clock?: ManualClock } = {}): Promise<Shop> {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-weekly-'));
  const app = await createShop({
    flows: SHIPPED_FLOWS,
    clock: options.clock ?? new ManualClock(options.start ?? FRIDAY),
    env: { OWNER_PHONE: OWNER, SHOP_NAME: 'Café da Ana', DATA_DIR: dir, ...options.env },
    ...(options.dbFile ? { dbFile: options.dbFile } : {}),
  });
  apps.push(app);
  return app;
}

/** The summaries the owner's phone got: their first line and when, and the charts. */
function summaries(app: Shop) {
  return app.simulator
    .conversation(OWNER)
    .filter((message) => (message.content.kind === 'text' && message.content.text.startsWith('📊')) || message.content.kind === 'image')
    .map((message) => {
      const { content } = message;
      const what =
        content.kind === 'text' ? content.text.split('\n').slice(0, 3).join(' | ') : content.kind === 'image' ? `[${content.mimetype}] ${content.caption}` : content.kind;
      return { at: new Date(message.at).toISOString(), what };
    });
}

async function buyAndAnswer(app: Shop) {
  await app.buy({ externalId: 'p1', customer: { phone: '+5511912345678', name: 'Ana Souza', consent: { marketing: true } }, items: [{ sku: 'CAFE', name: 'Café', unitPrice: '39.90' }] });
  await app.travel('2h');
}

describe('the weekly summary, delivered', () => {
  it('goes on Monday at 08:00 (quiet hours keep it to 09:00 by default), text then chart, once', async () => {
    const app = await service();
    await buyAndAnswer(app);
    await app.travel({ to: '2026-11-23T13:00:00Z' });
    expect(summaries(app)).toEqual([
      { at: '2026-11-23T12:00:00.000Z', what: '📊 *Resumo da semana, Café da Ana* | 16/11 a 22/11 | ' },
      { at: expect.stringMatching(/^2026-11-23T12:0/), what: '[image/png] NPS e respostas nas últimas 8 semanas' },
    ]);
    const text = app.simulator.conversation(OWNER).find((m) => m.content.kind === 'text' && m.content.text.startsWith('📊'))!;
    expect(text.content.kind === 'text' && text.content.text).toContain('🛒 Pedidos: 1');
    expect(app.repos.reports.find('2026-W47')).toMatchObject({ week: '2026-W47', late: false });
    // More ticks the same week, and the week after's own summary only on its Monday.
    await app.travel('3d');
    expect(summaries(app)).toHaveLength(2);
    await app.travel({ to: '2026-11-30T13:00:00Z' });
    expect(summaries(app).map((s) => s.what.split(' | ')[1] ?? s.what)).toEqual(['16/11 a 22/11', '[image/png] NPS e respostas nas últimas 8 semanas', '23/11 a 29/11', '[image/png] NPS e respostas nas últimas 8 semanas']);
  });

  it('with OWNER_ALERTS_ANYTIME=true it goes at 08:00 sharp', async () => {
    const app = await service({ env: { OWNER_ALERTS_ANYTIME: 'true' } });
    await app.travel({ to: '2026-11-23T12:00:00Z' });
    expect(summaries(app)[0]?.at).toBe('2026-11-23T11:00:00.000Z');
  });

  it('a restart or a clock set back never sends a week twice', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-weekly-'));
    const dbFile = path.join(dir, 'fregues.db');
    const clock = new ManualClock(FRIDAY);
    const first = await service({ dbFile, clock });
    await first.travel({ to: '2026-11-23T13:00:00Z' });
    expect(summaries(first)).toHaveLength(2);
    await first.close();
    apps = apps.filter((app) => app !== first);

    const again = await service({ dbFile, clock });
    await again.travel('1h');
    await again.travel({ to: '2026-11-23T10:00:00Z' }); // set back before Monday 08:00
    await again.travel({ to: '2026-11-23T15:00:00Z' });
    expect(summaries(again)).toEqual([]);
    expect(again.repos.outbox.list({ limit: 100 }).filter((row) => row.dedupeKey.startsWith('weekly:'))).toHaveLength(2);
  });

  it('a week missed while the service was down goes at the next tick, marked late', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-weekly-'));
    const dbFile = path.join(dir, 'fregues.db');
    const clock = new ManualClock(FRIDAY);
    const before = await service({ dbFile, clock });
    await before.travel('1m'); // plans the next summary: Monday 23 at 08:00
    await before.close();
    apps = apps.filter((app) => app !== before);

    // Down from Friday to Wednesday 25, 10:00.
    clock.set(Date.parse('2026-11-25T13:00:00Z'));
    const after = await service({ dbFile, clock });
    await after.travel('1m');
    const text = after.simulator.conversation(OWNER).find((m) => m.content.kind === 'text' && m.content.text.startsWith('📊'));
    expect(text?.content.kind === 'text' && text.content.text.split('\n').slice(0, 3)).toEqual([
      '📊 *Resumo da semana, Café da Ana*',
      '16/11 a 22/11',
      '⏰ Enviado com atraso: o fregues estava fora do ar na hora marcada.',
    ]);
    expect(after.repos.reports.find('2026-W47')?.late).toBe(true);
  });

  it('goes to the shop’s own number when that is OWNER_PHONE (the chat with yourself)', async () => {
    const app = await service({ env: { OWNER_PHONE: '+5511900000000', OWNER_ALERTS_ANYTIME: 'true' } });
    expect(app.simulator.shopPhone).toBe('+5511900000000');
    await app.travel({ to: '2026-11-23T12:00:00Z' });
    const own = app.simulator.conversation('+5511900000000').filter((message) => message.direction === 'out');
    expect(own.map((message) => message.content.kind)).toEqual(['text', 'image']);
    expect(app.repos.outbox.list({ limit: 10 }).every((row) => row.status === 'sent')).toBe(true);
  });

  it('without OWNER_PHONE nothing is queued, and the log says why', async () => {
    const app = await service({ env: { OWNER_PHONE: '' } });
    await app.travel({ to: '2026-11-23T13:00:00Z' });
    expect(app.repos.outbox.list({ limit: 100 }).filter((row) => row.dedupeKey.startsWith('weekly:'))).toEqual([]);
    expect(app.logs.some((line) => line.includes('the weekly summary was not sent: OWNER_PHONE is not set'))).toBe(true);
  });
});

describe('GET /api/reports/weekly and POST /api/reports/weekly/send', () => {
  it('shows a week’s metrics and text; by default the last whole week', async () => {
    const app = await service({ start: '2026-11-24T13:00:00Z' });
    const byDefault = await app.api({ method: 'GET', url: '/api/reports/weekly' });
    expect(byDefault.statusCode).toBe(200);
    expect(byDefault.json()).toMatchObject({ week: '2026-W47', from: '2026-11-16T03:00:00.000Z', to: '2026-11-23T03:00:00.000Z', sent: null });
    const body = (await app.api({ method: 'GET', url: '/api/reports/weekly', query: { week: '2026-W46' } })).json();
    expect(body.week).toBe('2026-W46');
    expect(body.text).toContain('📊 *Resumo da semana, Café da Ana*');
    expect(body.metrics).toMatchObject({ week: '2026-W46', quiet: true, trend: expect.any(Array) });
    expect(body.metrics.trend).toHaveLength(8);
  });

  it('says when the week’s scheduled summary went', async () => {
    const app = await service();
    await app.travel({ to: '2026-11-23T13:00:00Z' });
    const body = (await app.api({ method: 'GET', url: '/api/reports/weekly', query: { week: '2026-W47' } })).json();
    expect(body.sent).toEqual({ at: '2026-11-23T11:00:00.000Z', late: false });
  });

  it.each([['2026-47'], ['2026-W54'], ['amanhã']])('answers week=%j with 400 at query.week', async (week) => {
    const app = await service();
    for (const [method, url] of [['GET', '/api/reports/weekly'], ['POST', '/api/reports/weekly/send']] as const) {
      const response = await app.api({ method, url, query: { week } });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.issues).toEqual([{ path: 'query.week', message: 'use uma semana ISO, como 2026-W47' }]);
    }
  });

  it('sends on request, again if asked again, without taking the scheduled one’s place', async () => {
    const app = await service({ env: { OWNER_ALERTS_ANYTIME: 'true' } });
    for (let i = 0; i < 2; i += 1) {
      const response = await app.api({ method: 'POST', url: '/api/reports/weekly/send', query: { week: '2026-W47' } });
      expect(response.statusCode).toBe(202);
      expect(response.json()).toEqual({ queued: true, week: '2026-W47', late: false, recipients: 1 });
      await app.travel('2m');
    }
    expect(summaries(app)).toHaveLength(4);
    expect(app.repos.reports.find('2026-W47')).toBeUndefined();
    await app.travel({ to: '2026-11-23T12:00:00Z' });
    expect(summaries(app)).toHaveLength(6);
  });

  it('without OWNER_PHONE, 409 with what to do', async () => {
    const app = await service({ env: { OWNER_PHONE: '' } });
    const response = await app.api({ method: 'POST', url: '/api/reports/weekly/send' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ error: { code: 'owner_phone_missing', message: 'Configure OWNER_PHONE para enviar o resumo semanal.' } });
  });

  it('needs the token', async () => {
    const app = await service();
    for (const [method, url] of [['GET', '/api/reports/weekly'], ['POST', '/api/reports/weekly/send']] as const) {
      expect((await app.app.inject({ method, url })).statusCode).toBe(401);
    }
    expect(app.repos.outbox.list({ limit: 10 })).toEqual([]);
  });
});

describe('erasure (LGPD) and the summaries already stored', () => {
  it('takes the erased person’s name and number out of the stored summary, its outbox rows and sent messages', async () => {
    const app = await service({ env: { OWNER_ALERTS_ANYTIME: 'true' } });
    const { id } = (await app.buy({ externalId: 'p1', customer: { phone: '+5511912345678', name: 'Ana Souza', birthday: '1990-11-25' }, items: [{ sku: 'CAFE', name: 'Café' }] })).customer;
    await app.buy({ externalId: 'p2', customer: { phone: '+5511987654321', name: 'Bia Lima', birthday: '1991-11-26' }, items: [{ sku: 'CAFE', name: 'Café' }] });
    await app.travel({ to: '2026-11-23T12:00:00Z' });
    const stored = () => [
      app.repos.reports.find('2026-W47')!.text,
      app.repos.reports.find('2026-W47')!.metrics,
      ...app.repos.outbox.list({ limit: 100 }).filter((row) => row.dedupeKey.startsWith('weekly:')).map((row) => JSON.stringify(row.content)),
      ...(app.db.sqlite.prepare("SELECT coalesce(text, '') || coalesce(payload, '') FROM messages WHERE customer_id IS NULL").pluck().all() as string[]),
    ];
    // The birthdays line names both.
    expect(stored()[0]).toContain('Ana Souza (25/11), Bia Lima (26/11)');

    expect((await app.api({ method: 'DELETE', url: `/api/customers/${id}` })).statusCode).toBe(200);
    const after = stored();
    expect(after.join('\n')).not.toMatch(/Ana Souza|5511912345678/);
    expect(after[0]).toContain('[apagado] (25/11), Bia Lima (26/11)');
    expect(after[1]).toContain('"name":"[apagado]"');
    expect(after.join('\n')).toContain('Bia Lima');
  });
});
