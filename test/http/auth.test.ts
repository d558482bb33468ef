import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAdminToken, tokensMatch } from '../../src/http/auth.js';
import { createTestApp, purchaseBody, TEST_TOKEN, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('admin auth on /api', () => {
  const routes = [
    ['POST', '/api/purchases'],
    ['GET', '/api/customers'],
    ['GET', '/api/customers/1'],
    ['PATCH', '/api/customers/1'],
    ['GET', '/api/customers/1/export'],
    ['DELETE', '/api/customers/1'],
    ['POST', '/api/customers/import'],
    ['GET', '/api/does-not-exist'],
  ] as const;

  it.each(routes)('%s %s refuses a request without a token', async (method, url) => {
    const response = await t.app.inject({ method, url });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="fregues"');
    expect(response.json().error.code).toBe('unauthorized');
  });

  it.each([
    ['wrong token', `Bearer ${TEST_TOKEN}x`],
    ['token prefix', `Bearer ${TEST_TOKEN.slice(0, -1)}`],
    ['another scheme', `Basic ${Buffer.from(`admin:${TEST_TOKEN}`).toString('base64')}`],
    ['token without scheme', TEST_TOKEN],
    ['empty bearer', 'Bearer '],
  ])('refuses a %s', async (_name, authorization) => {
    const response = await t.app.inject({ method: 'GET', url: '/api/customers', headers: { authorization } });
    expect(response.statusCode).toBe(401);
  });

  it('lets the right token through, whatever the case of "Bearer"', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await t.app.inject({ method: 'GET', url: '/api/customers', headers: { authorization: `${scheme} ${TEST_TOKEN}` } });
      expect(response.statusCode).toBe(200);
    }
  });

  it('on one kept-alive connection, a token accepted once does not let a wrong one or none through after it', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    let connections = 0;
    t.app.server.on('connection', () => {
      connections += 1;
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (authorization?: string) =>
      new Promise<number>((resolve, reject) => {
        const request = http.get(`${address}/api/customers`, { agent, headers: authorization === undefined ? {} : { authorization } }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.on('error', reject);
      });
    try {
      const statuses = [];
      for (const authorization of [
        `Bearer ${TEST_TOKEN}`,
        `Bearer ${TEST_TOKEN}`,
        `Bearer ${TEST_TOKEN}x`,
        `Bearer ${TEST_TOKEN.slice(0, -1)}`,
        undefined,
        `Bearer ${TEST_TOKEN} `,
        `bearer ${TEST_TOKEN}`,
        `Bearer ${'x'.repeat(300)}`,
        `Bearer ${TEST_TOKEN}`,
      ]) {
        statuses.push(await get(authorization));
      }
      expect(statuses).toEqual([200, 200, 401, 401, 401, 200, 200, 401, 200]);
      expect(connections).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('keeps /health public', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('sends helmet’s headers for data answers on every answer, errors included', async () => {
    const answers = [
      await t.app.inject({ method: 'GET', url: '/health' }),
      await t.app.inject({ method: 'GET', url: '/api/customers' }),
      await t.api({ method: 'GET', url: '/api/customers' }),
      await t.app.inject({ method: 'GET', url: '/nowhere' }),
    ];
    expect(answers.map((response) => response.statusCode)).toEqual([200, 401, 200, 404]);
    for (const response of answers) {
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'content-security-policy': "default-src 'none';frame-ancestors 'none'",
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'referrer-policy': 'no-referrer',
        'cross-origin-resource-policy': 'same-origin',
      });
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('rate-limits /api per client and answers 429 in the error format', async () => {
    const limited = await createTestApp({ env: { API_RATE_LIMIT: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i += 1) codes.push((await limited.api({ method: 'GET', url: '/api/customers' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      expect((await limited.app.inject({ method: 'GET', url: '/health' })).headers['x-ratelimit-remaining']).toBeUndefined();
      const response = await limited.api({ method: 'GET', url: '/api/customers' });
      expect(response.json().error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('Tente de novo') });
      expect(response.headers['retry-after']).toBeDefined();
      expect((await limited.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('tokensMatch', () => {
  it('compares whole tokens of any length', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abd')).toBe(false);
    expect(tokensMatch('ab', 'abc')).toBe(false);
    expect(tokensMatch('', 'abc')).toBe(false);
  });
});

describe('resolveAdminToken', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-token-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uses ADMIN_TOKEN when set and writes nothing', () => {
    const file = path.join(dir, 'data', 'admin-token');
    expect(resolveAdminToken('x'.repeat(30), file)).toEqual({ token: 'x'.repeat(30), origin: { kind: 'env' } });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('generates 32 random bytes on the first start into a file only its owner can read, then reuses it', () => {
    const file = path.join(dir, 'data', 'admin-token');
    const first = resolveAdminToken(undefined, file);
    expect(first.origin).toEqual({ kind: 'file', file, created: true });
    expect(Buffer.from(first.token, 'base64url')).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${first.token}\n`);

    const second = resolveAdminToken(undefined, file);
    expect(second).toEqual({ token: first.token, origin: { kind: 'file', file, created: false } });
    expect(resolveAdminToken(undefined, path.join(dir, 'other')).token).not.toBe(first.token);
  });

  it('closes a token file that was left readable by others', () => {
    const file = path.join(dir, 'admin-token');
    fs.writeFileSync(file, 'y'.repeat(40), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect(resolveAdminToken(undefined, file).token).toBe('y'.repeat(40));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('logs', () => {
  it('never show the token or a whole phone number', async () => {
    await t.api({ method: 'POST', url: '/api/purchases', payload: purchaseBody() });
    await t.api({ method: 'GET', url: '/api/customers?phone=%2B5511912345678' });
    await t.api({ method: 'GET', url: '/api/customers?phone=11912345678' });
    await t.app.inject({ method: 'GET', url: '/api/customers', headers: { authorization: 'Bearer wrong-token-that-is-long-enough' } });
    const text = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(6);
    expect(text).not.toContain(TEST_TOKEN);
    expect(text).not.toContain('wrong-token');
    expect(text).not.toMatch(/5511912345678|11912345678|912345678/);
    expect(text).toContain('phone=%2B*********5678');
    expect(text).toContain('phone=*******5678');
  });
});
