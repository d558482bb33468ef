import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loggerOptions } from '../../src/logger.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase } from '../../src/storage/db.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('GET /health', () => {
  it('reports process, database and channel without a token', async () => {
    t = await createTestApp({ channel: { kind: 'simulator', state: 'open' } });
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      process: { pid: process.pid, node: process.version, rssBytes: expect.any(Number), uptimeSeconds: expect.any(Number) },
      database: { ok: true },
      channel: { kind: 'simulator', state: 'open' },
    });
  });

  it('is degraded while WhatsApp is not linked', async () => {
    t = await createTestApp({ channel: { kind: 'whatsapp', state: 'qr' } });
    const body = (await t.app.inject({ method: 'GET', url: '/health' })).json();
    expect(body).toMatchObject({ status: 'degraded', channel: { state: 'qr' } });
  });

  it('answers 503 when the database is gone', async () => {
    t = await createTestApp();
    t.db.sqlite.close();
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'down', database: { ok: false } });
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
    const app = await buildApp({ config: loadConfig({}, '/tmp'), db, clock: new ManualClock(), adminToken: 'x'.repeat(32), logger });
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
      await app.close();
      db.close();
    }
  });
});
