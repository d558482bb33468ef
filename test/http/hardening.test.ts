import { afterEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, TEST_TOKEN, type TestApp } from '../helpers/app.js';

// Issue 16, points 5, 6, 7, 8, 10 and 11 of what must hold: failed authentication is rate-limited,
// the lockout never locks out the owner, form tokens belong to their session, `next` stays on this
// site, /health tells strangers little, and cookies are Secure over HTTPS.

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A browser: its cookies and the form token of the last page it read. */
interface Browser {
  cookies: Record<string, string>;
  csrf: string;
}

/** Reads a page as `browser`, keeping the cookies it sets and its form token. */
async function read(app: TestApp, browser: Browser, url: string, inject: { remoteAddress?: string; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
  const page = await app.app.inject({ method: 'GET', url, cookies: browser.cookies, ...inject });
  for (const cookie of page.cookies) browser.cookies[cookie.name] = cookie.value;
  browser.csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? browser.csrf;
  return page;
}

async function post(app: TestApp, browser: Browser, url: string, fields: Record<string, string>, inject: { remoteAddress?: string; headers?: Record<string, string> } = {}) {
  return app.app.inject({
    method: 'POST',
    url,
    cookies: browser.cookies,
    ...inject,
    headers: { ...FORM, ...inject.headers },
    payload: new URLSearchParams({ _csrf: browser.csrf, ...fields }).toString(),
  });
}

/** A browser that signed in as a person does: the sign-in form, the post, then a page of the site. */
async function signedIn(app: TestApp): Promise<Browser> {
  const browser: Browser = { cookies: {}, csrf: '' };
  await read(app, browser, '/connect');
  const response = await post(app, browser, '/sign-in', { token: TEST_TOKEN, next: '/connect' });
  expect(response.statusCode).toBe(303);
  browser.cookies.fregues_session = response.cookies.find((cookie) => cookie.name === 'fregues_session')!.value;
  await read(app, browser, '/connect');
  return browser;
}

describe('failed authentication counts against the rate limit (must hold 5)', () => {
  it('answers 429 to wrong bearer tokens once over API_RATE_LIMIT, and then to the client’s right token too', async () => {
    t = await createTestApp({ env: { API_RATE_LIMIT: '3' } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      codes.push((await t.app.inject({ method: 'GET', url: '/api/customers', headers: { authorization: `Bearer wrong-${i}` } })).statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    const limited = await t.app.inject({ method: 'GET', url: '/api/customers' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await t.api({ method: 'GET', url: '/api/customers' })).statusCode).toBe(429);
    expect((await t.app.inject({ method: 'GET', url: '/api/nada', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(429);
    // Another client is not slowed by this one.
    expect((await t.api({ method: 'GET', url: '/api/customers', remoteAddress: '198.51.100.9' })).statusCode).toBe(200);
  });

  it('counts a bearer token tried on the pages and on /health too; a browser with its cookie is not counted', async () => {
    t = await createTestApp({ env: { API_RATE_LIMIT: '2' } });
    const browser = await signedIn(t);
    const codes: number[] = [];
    for (const url of ['/customers', '/health', '/connect']) {
      codes.push((await t.app.inject({ method: 'GET', url, headers: { authorization: 'Bearer wrong-token', accept: 'application/json' } })).statusCode);
    }
    expect(codes).toEqual([401, 401, 429]);
    for (let i = 0; i < 5; i += 1) expect((await t.app.inject({ method: 'GET', url: '/connect', cookies: browser.cookies })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('the sign-in lockout never locks out the owner (must hold 6)', () => {
  it('signs in with the right token while the wrong ones from the same address get 429', async () => {
    t = await createTestApp();
    const browser: Browser = { cookies: {}, csrf: '' };
    await read(t, browser, '/connect');
    const attempt = (token: string, inject: { remoteAddress?: string; headers?: Record<string, string> } = { remoteAddress: '203.0.113.7' }) =>
      post(t!, browser, '/sign-in', { token, next: '/connect' }, inject);
    for (let i = 0; i < 5; i += 1) expect((await attempt(`wrong-${i}`)).statusCode).toBe(401);
    expect((await attempt('wrong-5')).statusCode).toBe(429);
    const owner = await attempt(TEST_TOKEN);
    expect(owner.statusCode).toBe(303);
    expect(owner.cookies.map((cookie) => cookie.name)).toContain('fregues_session');
    // The owner's success does not reopen guessing from that address.
    expect((await attempt('wrong-6')).statusCode).toBe(429);
    // Without TRUST_PROXY, X-Forwarded-For is not read: a guesser cannot escape by changing it.
    expect((await attempt('wrong-7', { remoteAddress: '203.0.113.7', headers: { 'x-forwarded-for': '192.0.2.55' } })).statusCode).toBe(429);
    // Still locked 14 minutes later, open again after 15 (the service's clock).
    t.clock.advance(14 * 60_000);
    expect((await attempt('wrong-8')).statusCode).toBe(429);
    expect((await attempt(TEST_TOKEN)).statusCode).toBe(303);
    t.clock.advance(60_000);
    expect((await attempt('wrong-9')).statusCode).toBe(401);
  });

  it('behind a proxy with TRUST_PROXY, counts each visitor by X-Forwarded-For, not the proxy’s address', async () => {
    t = await createTestApp({ env: { TRUST_PROXY: '1' } });
    const browser: Browser = { cookies: {}, csrf: '' };
    await read(t, browser, '/connect');
    const proxy = '127.0.0.1';
    const from = (visitor: string, token: string) =>
      post(t!, browser, '/sign-in', { token, next: '/connect' }, { remoteAddress: proxy, headers: { 'x-forwarded-for': visitor } });
    for (let i = 0; i < 6; i += 1) await from('192.0.2.66', `wrong-${i}`);
    expect((await from('192.0.2.66', 'wrong')).statusCode).toBe(429);
    expect((await from('198.51.100.20', 'wrong')).statusCode).toBe(401);
    expect((await from('192.0.2.66', TEST_TOKEN)).statusCode).toBe(303);
  });
});

describe('form tokens belong to the session they were issued for (must hold 7)', () => {
  it('refuses a post with A’s session and B’s own form cookie and token (403), and accepts A’s own', async () => {
    t = await createTestApp();
    const a = await signedIn(t);
    const b = await signedIn(t);
    expect(a.cookies.fregues_session).not.toBe(b.cookies.fregues_session);
    const crossed: Browser = { cookies: { fregues_session: a.cookies.fregues_session!, _csrf: b.cookies._csrf! }, csrf: b.csrf };
    const refused = await post(t, crossed, '/connect/resume', {});
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Este formulário expirou');
    // The token of the sign-in form (issued with no session) does not serve a session either.
    const anonymous: Browser = { cookies: {}, csrf: '' };
    await read(t, anonymous, '/connect');
    const withA: Browser = { cookies: { fregues_session: a.cookies.fregues_session!, _csrf: anonymous.cookies._csrf! }, csrf: anonymous.csrf };
    expect((await post(t, withA, '/sign-out', {})).statusCode).toBe(403);
    // A's own page token works, and so does B's with B's session.
    expect((await post(t, a, '/connect/resume', {})).statusCode).toBe(303);
    expect((await post(t, b, '/sign-out', {})).statusCode).toBe(303);
  });
});

describe('sign-in sends people only to this site’s pages (must hold 8)', () => {
  // The bypasses (the four and their encoded variants) are walked in security.test.ts.
  it.each([
    ['/customers/12?notice=saved', '/customers/12?notice=saved'],
    ['/connect/status', '/connect/status'],
    ['/flows/pos-compra', '/flows/pos-compra'],
    ['/outbox?status=unknown', '/outbox?status=unknown'],
    ['/customers/./12', '/customers/12'],
  ])('keeps next %j as %j', async (next, location) => {
    t = await createTestApp();
    const browser: Browser = { cookies: {}, csrf: '' };
    await read(t, browser, '/connect');
    const response = await post(t, browser, '/sign-in', { token: TEST_TOKEN, next });
    expect(response.headers.location).toBe(location);
  });
});

describe('/health (must hold 10)', () => {
  it('tells a caller without the token only whether the service is up and the channel’s state', async () => {
    t = await createTestApp();
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', channel: { kind: 'simulator', state: 'open', limits: 'ok' } });
    expect(response.body).not.toContain(String(process.pid));
    expect(response.body).not.toContain(process.version);
  });

  it('gives the details with the bearer token, and 401 to a wrong one', async () => {
    t = await createTestApp();
    const details = await t.api({ method: 'GET', url: '/health' });
    expect(details.statusCode).toBe(200);
    expect(details.json()).toMatchObject({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      process: { pid: process.pid, node: process.version },
      database: { ok: true, journalMode: expect.any(String), synchronous: expect.any(String) },
      channel: { kind: 'simulator', state: 'open', detail: null, sending: 'allowed' },
    });
    const wrong = await t.app.inject({ method: 'GET', url: '/health', headers: { authorization: 'Bearer wrong-token' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain(String(process.pid));
  });
});

describe('cookies over HTTPS (must hold 11)', () => {
  const cookieLines = (response: LightMyRequestResponse): string[] => [response.headers['set-cookie'] ?? []].flat().map(String);

  it('are Secure behind a proxy that says HTTPS, with TRUST_PROXY, and not over plain HTTP', async () => {
    t = await createTestApp({ env: { TRUST_PROXY: '1' } });
    const https = { headers: { 'x-forwarded-proto': 'https' } };
    const browser: Browser = { cookies: {}, csrf: '' };
    const form = await read(t, browser, '/connect', https);
    expect(cookieLines(form).find((line) => line.startsWith('_csrf='))).toMatch(/; Secure/);
    const signIn = await post(t, browser, '/sign-in', { token: TEST_TOKEN, next: '/connect' }, https);
    expect(cookieLines(signIn).find((line) => line.startsWith('fregues_session='))).toMatch(/; Secure/);
    browser.cookies.fregues_session = signIn.cookies.find((cookie) => cookie.name === 'fregues_session')!.value;
    await read(t, browser, '/connect', https);
    const out = await post(t, browser, '/sign-out', {}, https);
    expect(out.statusCode).toBe(303);
    expect(cookieLines(out).find((line) => line.startsWith('fregues_session='))).toMatch(/; Secure/);

    const plain: Browser = { cookies: {}, csrf: '' };
    const plainForm = await read(t, plain, '/connect');
    expect(cookieLines(plainForm).join('\n')).not.toMatch(/secure/i);
    const plainSignIn = await post(t, plain, '/sign-in', { token: TEST_TOKEN, next: '/connect' });
    expect(cookieLines(plainSignIn).join('\n')).not.toMatch(/secure/i);
  });

  it('ignore X-Forwarded-Proto without TRUST_PROXY', async () => {
    t = await createTestApp();
    const browser: Browser = { cookies: {}, csrf: '' };
    const form = await read(t, browser, '/connect', { headers: { 'x-forwarded-proto': 'https' } });
    expect(String(form.headers['set-cookie'])).not.toMatch(/secure/i);
  });
});
