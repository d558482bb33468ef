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
const PUBLIC = [/^\/health$/, /^\/sign-in$/, /^\/assets\/:name$/];

let t: TestApp | undefined;
let client: PagesClient | undefined;
afterEach(async () => {
  await t?.close();
  await client?.app.close();
  t = undefined;
  client = undefined;
});

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

  it('answers /health and the sign-in form without a session, and serves the static files', async () => {
    t = await createTestApp();
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const form = await t.app.inject({ method: 'GET', url: '/customers' });
    expect(form.statusCode).toBe(401);
    expect(form.body).toContain('action="/sign-in"');
    expect((await t.app.inject({ method: 'GET', url: '/assets/fregues.css' })).statusCode).toBe(200);
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
