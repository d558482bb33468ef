import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { assemble } from '../../src/assemble.js';
import { loadConfig } from '../../src/config.js';
import { loggerOptions } from '../../src/logger.js';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase } from '../../src/storage/db.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('GET /health', () => {
  it('reports process, database and channel with the token', async () => {
    t = await createTestApp();
    const response = await t.api({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      process: { pid: process.pid, node: process.version, rssBytes: expect.any(Number), uptimeSeconds: expect.any(Number) },
      database: { ok: true },
      channel: { kind: 'simulator', state: 'open', detail: null, sending: 'allowed', pausedBecause: null, pausedSince: null },
    });
  });

  it('is degraded while the channel is down, and while sending is paused', async () => {
    const channel = new SimulatorChannel({ clock: new ManualClock('2026-11-20T15:00:00Z') });
    t = await createTestApp({ channel });
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'degraded', channel: { state: 'closed' } });

    await channel.start();
    channel.restrictNextSend();
    await channel.send('+5511912345678', { kind: 'text', text: 'Oi' }, { messageId: 'M1' });
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'degraded', channel: { kind: 'simulator', state: 'open', limits: 'ok' } });
    expect((await t.api({ method: 'GET', url: '/health' })).json()).toMatchObject({
      status: 'degraded',
      channel: { state: 'open', sending: 'paused', pausedBecause: 'restricted', pausedSince: '2026-11-20T15:00:00.000Z' },
    });
  });

  it('says WhatsApp’s limits in one word without the token, and the numbers as read with it', async () => {
    t = await createTestApp();
    const cap = {
      total: 50,
      used: 37,
      cycleStart: Date.parse('2026-11-12T03:00:00Z'),
      cycleEnd: Date.parse('2026-12-13T03:00:00Z'),
      status: 'first_warning' as const,
      readAt: Date.parse('2026-11-20T14:59:00Z'),
    };
    const lock = { active: true, endsAt: Date.parse('2026-11-21T18:30:00Z'), kind: 'BIZ_QUALITY', readAt: Date.parse('2026-11-20T14:59:30Z') };
    const publicWord = async () => (await t!.app.inject({ method: 'GET', url: '/health' })).json();

    expect(await publicWord()).toEqual({ status: 'ok', channel: { kind: 'simulator', state: 'open', limits: 'ok' } });
    t.repos.whatsappLimits.save({ cap, lock: null, waVersion: '2.3000.1043857760' });
    expect(await publicWord()).toEqual({ status: 'ok', channel: { kind: 'simulator', state: 'open', limits: 'warning' } });
    t.repos.whatsappLimits.save({ cap: { ...cap, status: 'capped' }, lock: null, waVersion: null });
    expect((await publicWord()).channel.limits).toBe('capped');
    t.repos.whatsappLimits.save({ cap: null, lock, waVersion: null });
    const locked = await publicWord();
    // A lock stops new chats only: warm conversations go on, so the service is not degraded by it.
    expect(locked).toEqual({ status: 'ok', channel: { kind: 'simulator', state: 'open', limits: 'locked' } });
    expect(JSON.stringify(locked)).not.toMatch(/37|50|2026|BIZ/);

    expect((await t.api({ method: 'GET', url: '/health' })).json().channel).toMatchObject({
      limits: 'locked',
      limitsRead: {
        cap: { total: 50, used: 37, cycleStart: '2026-11-12T03:00:00.000Z', cycleEnd: '2026-12-13T03:00:00.000Z', status: 'capped', readAt: '2026-11-20T14:59:00.000Z' },
        lock: { active: true, endsAt: '2026-11-21T18:30:00.000Z', kind: 'BIZ_QUALITY', readAt: '2026-11-20T14:59:30.000Z' },
        waVersion: '2.3000.1043857760',
      },
    });

    // At its end the lock is over, by the service's clock.
    t.clock.set(lock.endsAt);
    expect((await publicWord()).channel.limits).toBe('capped');
    t.clock.set(cap.cycleEnd);
    expect((await publicWord()).channel.limits).toBe('ok');
  });

  it('answers 503 when the database is gone', async () => {
    t = await createTestApp();
    t.db.sqlite.close();
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'down', channel: { kind: 'simulator', state: 'open', limits: null } });
    const details = await t.api({ method: 'GET', url: '/health' });
    expect(details.statusCode).toBe(503);
    expect(details.json()).toMatchObject({ status: 'down', database: { ok: false } });
    t = undefined;
  });
});

describe('errors', () => {
  it('answers unknown routes with 404 in the error format', async () => {
    t = await createTestApp();
    const response = await t.app.inject({ method: 'GET', url: '/nada?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'Rota não encontrada: GET /nada' } });
    const api = await t.api({ method: 'GET', url: '/api/nada' });
    expect(api.statusCode).toBe(404);
  });

  it('answers an address the router cannot read in the error format too (bad percent-encoding, a parameter too long)', async () => {
    // Found by the fuzz suite (test/fuzz/api.fuzz.test.ts): Fastify answered these in its own shape.
    t = await createTestApp();
    for (const [method, url, status] of [
      ['GET', '/api/customers/%zz', 400],
      ['GET', '/api/customers/%E0%A4%A/export', 400],
      ['DELETE', `/api/flows/${'x'.repeat(101)}/runs`, 414],
    ] as const) {
      const response = await t.api({ method, url });
      expect(response.statusCode, url).toBe(status);
      expect(response.headers['content-type'], url).toMatch(/^application\/json/);
      expect(response.json(), url).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
    }
  });

  it('turns an unexpected failure into a 500 that leaks nothing and is logged with its request', async () => {
    const logs: string[] = [];
    const logger = pino(
      loggerOptions('info'),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logs.push(chunk.toString());
          done();
        },
      }),
    );
    const db = openDatabase(':memory:');
    const clock = new ManualClock();
    const { app, close } = await assemble({ config: loadConfig({}, '/tmp'), db, clock, flows: [], adminToken: 'x'.repeat(32), logger, channel: new SimulatorChannel({ clock }) });
    app.get('/boom', async () => {
      throw new Error('SQLITE_CORRUPT: secret internal detail at /var/lib/fregues');
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/boom' });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: { code: 'internal_error', message: 'Erro interno. O problema foi registrado no log.' } });
      expect(response.body).not.toContain('SQLITE');
      const logged = logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'request failed');
      expect(logged).toMatchObject({ level: 50, req: { method: 'GET', url: '/boom' }, err: { message: expect.stringContaining('SQLITE_CORRUPT') } });
    } finally {
      await close();
    }
  });
});
