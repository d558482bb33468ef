import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { createTestApp, TEST_TOKEN, type TestApp } from '../helpers/app.js';
import { openPages, type PagesClient } from '../helpers/pages.js';
import { registered } from '../helpers/route-recorder.js';

// Issue 7, point 4: every page and every API route but /health, sign-in and the static files needs
// the session or the token; the token never shows in an address, a header sent back or a log.

vi.mock('fastify', async (importOriginal) => (await import('../helpers/route-recorder.js')).recordingFastify(importOriginal as never));

/** Open to anyone: the health check, the sign-in form's post and the pages' static files. */
// The store platforms' webhooks are authenticated by each platform's signature instead (test/integrations/, test/fuzz/webhooks.fuzz.test.ts);
// the review link's redirect (/r/<token>) by its unguessable, encrypted token (test/reports/post-sale-kpis.test.ts, test/domain/review-link.test.ts).
const PUBLIC = [/^\/health$/, /^\/sign-in$/, /^\/assets\/:name$/, /^\/webhooks\/[a-z]+$/, /^\/r\/:token$/];

let t: TestApp | undefined;
let client: PagesClient | undefined;
afterEach(async () => {
  await t?.close();
  await client?.app.close();
  t = undefined;
  client = undefined;
});

/** The routes the last app registered, less HEAD and OPTIONS. */
function walkable(): { method: string; url: string }[] {
  return registered.filter((route) => route.method !== 'HEAD' && route.method !== 'OPTIONS');
}

/** The form token and secret cookie a page gives a browser with these cookies. */
async function formOf(app: TestApp, cookies: Record<string, string>): Promise<{ token: string; secret: string }> {
  const page = await app.app.inject({ method: 'GET', url: '/connect', cookies });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const secret = page.cookies.find((cookie) => cookie.name === '_csrf')?.value ?? cookies._csrf;
  if (!token || !secret) throw new Error('no form token');
  return { token, secret };
}

/** A browser signed in: its session, and the form token and secret of a page it was then served. */
async function browserSignedIn(app: TestApp): Promise<{ session: string; token: string; secret: string }> {
  const form = await formOf(app, {});
  const signIn = await app.app.inject({
    method: 'POST',
    url: '/sign-in',
    cookies: { _csrf: form.secret },
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: form.token, token: TEST_TOKEN }).toString(),
  });
  const session = signIn.cookies.find((cookie) => cookie.name === 'fregues_session')?.value;
  if (!session) throw new Error(`sign-in failed: ${signIn.statusCode}`);
  const page = await formOf(app, { fregues_session: session, _csrf: form.secret });
  return { session, ...page };
}

/** A route's URL with its parameters filled in, and a body it might take. */
function concrete(url: string): string {
  return url.replace(/:id\b/g, '1').replace(/:name\b/g, 'x').replace(/\*$/, 'x');
}

describe('who may reach what', () => {
  it('every registered route except the public ones refuses a request without a session or token', async () => {
    registered.length = 0;
    // The simulator unlinked, a manual clock: every optional route is registered.
    const clock = new ManualClock('2026-11-20T13:00:00Z');
    const channel = new SimulatorChannel({ clock, linked: false });
    await channel.start();
    t = await createTestApp({ clock, channel });
    const routes = registered.filter((route) => route.method !== 'HEAD' && route.method !== 'OPTIONS');
    expect(routes.length).toBeGreaterThan(40);
    const guarded = routes.filter((route) => !PUBLIC.some((open) => open.test(route.url)));
    const answers: string[] = [];
    for (const route of guarded) {
      for (const cookies of [{}, { fregues_session: 'forged-session-id' }, { fregues_token: TEST_TOKEN }] as Record<string, string>[]) {
        const response = await t.app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          cookies,
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        // 401 (the sign-in form or the JSON error), or 403 for a form post without its CSRF token,
        // which is refused before the session is even looked at.
        if (![401, 403].includes(response.statusCode)) answers.push(`${route.method} ${route.url} ${JSON.stringify(cookies)} → ${response.statusCode}`);
        if (response.statusCode === 403) expect(route.method, `${route.method} ${route.url}`).not.toBe('GET');
      }
    }
    expect(answers).toEqual([]);
    // The guarded set covers the seller's pages and the API, not just a few.
    const urls = new Set(guarded.map((route) => route.url));
    for (const page of ['/', '/customers', '/customers/:id', '/flows', '/flows/:id', '/outbox', '/simulator', '/connect', '/docs', '/api/purchases', '/api/customers']) {
      expect(urls.has(page), page).toBe(true);
    }
  });

  // Issue 16, point 5: a wrong token is counted by the rate limit on every route that takes one.
  it('counts wrong bearer tokens on every route that takes the token, /health included, and answers 429 once over the limit', async () => {
    registered.length = 0;
    const clock = new ManualClock('2026-11-20T13:00:00Z');
    const channel = new SimulatorChannel({ clock, linked: false });
    await channel.start();
    t = await createTestApp({ clock, channel, env: { API_RATE_LIMIT: '2' } });
    const routes = walkable().filter((route) => !PUBLIC.some((open) => open.test(route.url)) || route.url === '/health');
    const answers: string[] = [];
    for (const [index, route] of routes.entries()) {
      // Each route from an address of its own: the limit is per client.
      const remoteAddress = `10.0.${Math.floor(index / 250)}.${(index % 250) + 1}`;
      const codes: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const response = await t.app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          remoteAddress,
          headers: { authorization: `Bearer ${TEST_TOKEN}x` },
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        codes.push(response.statusCode);
      }
      const refused = codes.slice(0, 2).every((code) => code === 401 || (code === 403 && route.method !== 'GET'));
      if (!refused || codes[2] !== 429) answers.push(`${route.method} ${route.url} → ${codes.join(', ')}`);
    }
    expect(answers).toEqual([]);
    expect(routes.length).toBeGreaterThan(40);
  });

  // Issue 16, point 7: a form token serves only the session it was issued with, on every form.
  it('refuses on every form post a session with another browser’s own form cookie and token, or the sign-in form’s (403)', async () => {
    registered.length = 0;
    const clock = new ManualClock('2026-11-20T13:00:00Z');
    const channel = new SimulatorChannel({ clock, linked: false });
    await channel.start();
    t = await createTestApp({ clock, channel });
    const forms = walkable().filter((route) => route.method === 'POST' && !route.url.startsWith('/api/') && !PUBLIC.some((open) => open.test(route.url)));
    expect(forms.length).toBeGreaterThan(10);
    const a = await browserSignedIn(t);
    const b = await browserSignedIn(t);
    const stranger = await formOf(t, {});
    const answers: string[] = [];
    for (const route of [...forms, { method: 'POST', url: '/sign-out' }]) {
      for (const [who, secret, token] of [
        ['B’s', b.secret, b.token],
        ['the sign-in form’s', stranger.secret, stranger.token],
      ] as const) {
        const response = await t.app.inject({
          method: 'POST',
          url: concrete(route.url),
          cookies: { fregues_session: a.session, _csrf: secret },
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: token }).toString(),
        });
        if (response.statusCode !== 403) answers.push(`${route.url} with A’s session and ${who} form token → ${response.statusCode}`);
      }
    }
    expect(answers).toEqual([]);
    // A's session was never used: it still opens the pages.
    expect((await t.app.inject({ method: 'GET', url: '/connect', cookies: { fregues_session: a.session } })).statusCode).toBe(200);
  });

  it('answers /health and the sign-in form without a session, and serves the static files', async () => {
    t = await createTestApp();
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const form = await t.app.inject({ method: 'GET', url: '/customers' });
    expect(form.statusCode).toBe(401);
    expect(form.body).toContain('action="/sign-in"');
    expect((await t.app.inject({ method: 'GET', url: '/assets/fregues.css' })).statusCode).toBe(200);
  });
});

describe('sign-in (issue 16, points 6 and 8)', () => {
  it('signs the owner in with the right token while the wrong ones from the same address are refused (429)', async () => {
    t = await createTestApp();
    const form = await formOf(t, {});
    const attempt = (token: string) =>
      t!.app.inject({
        method: 'POST',
        url: '/sign-in',
        remoteAddress: '203.0.113.7',
        cookies: { _csrf: form.secret },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: form.token, token, next: '/customers' }).toString(),
      });
    const codes: number[] = [];
    for (let i = 0; i < 7; i += 1) codes.push((await attempt(`guess-${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const owner = await attempt(TEST_TOKEN);
    expect(owner.statusCode).toBe(303);
    expect(owner.headers.location).toBe('/customers');
    expect((await attempt('guess-7')).statusCode).toBe(429);
  });

  it('sends to / every next that would leave the site or is no page, however it is written', async () => {
    t = await createTestApp();
    const form = await formOf(t, {});
    const bypasses = [
      // The four of the issue, then their encoded and bent variants.
      '/.//evil.com', '/..//evil.com', '/%2e//evil.com', '/customers/..//evil.com',
      '/%2E//evil.com', '/%2e%2e//evil.com', '/customers/%2e%2e//evil.com', '/././/evil.com', '/customers/./..//evil.com',
      '/%2f/evil.com', '/%2F%2Fevil.com', '/%2f%2fevil.com', '/.%2f/evil.com', '/%5cevil.com', '/%5C%5Cevil.com',
      '/\\evil.com', '/\\/evil.com', '/.\\/evil.com', '\\\\evil.com',
      '/\t/evil.com', '/\n/evil.com', '/\r/evil.com', '/.%09/evil.com', '/%09/evil.com', '/%0a/evil.com', '/%00/evil.com',
      '//evil.com', '///evil.com', '////evil.com', 'https://evil.com', 'http:evil.com', '//evil.com@fregues', 'javascript:alert(1)',
      '/api/customers', '/health', '/assets/x', '/nowhere', '',
    ];
    const answers: string[] = [];
    for (const next of bypasses) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/sign-in',
        cookies: { _csrf: form.secret },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: form.token, token: TEST_TOKEN, next }).toString(),
      });
      if (response.statusCode !== 303 || response.headers.location !== '/') answers.push(`${JSON.stringify(next)} → ${response.statusCode} ${String(response.headers.location)}`);
    }
    expect(answers).toEqual([]);
  });
});

describe('the admin token stays secret', () => {
  it('never appears in a log line, an address or a header sent back, through sign-in, pages, the API and sign-out', async () => {
    client = await openPages();
    const { app } = client;
    const seen: string[] = [];
    for (const url of ['/', '/customers', '/flows', '/outbox', '/simulator', '/connect', '/docs/json']) {
      const response = await client.get(url);
      expect(response.statusCode, url).toBe(200);
      seen.push(JSON.stringify(response.headers), response.body);
    }
    const api = await app.api({ method: 'POST', url: '/api/purchases', payload: { customer: { phone: '(11) 91234-5678' }, items: [{ name: 'Café' }] } });
    expect(api.statusCode).toBe(201);
    seen.push(JSON.stringify(api.headers));
    const wrong = await app.app.inject({ method: 'GET', url: '/api/customers', headers: { authorization: `Bearer ${TEST_TOKEN}x` } });
    expect(wrong.statusCode).toBe(401);
    const out = await client.post('/sign-out');
    seen.push(JSON.stringify(out.headers));

    expect(app.logs.length).toBeGreaterThan(10);
    for (const line of app.logs) expect(line).not.toContain(TEST_TOKEN);
    for (const text of seen) expect(text).not.toContain(TEST_TOKEN);
    // Not even as the session cookie's value: the browser keeps a session id.
    expect(client.cookies.fregues_session).not.toContain(TEST_TOKEN);
  });
});
