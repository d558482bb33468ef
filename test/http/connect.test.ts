import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { WhatsAppLimits } from '../../src/channels/channel.js';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { packagePath } from '../../src/package-path.js';
import { createTestApp, TEST_TOKEN, type TestApp } from '../helpers/app.js';
import { FakeChannel } from '../helpers/fake-channel.js';
import { LinkRefusedError } from '../../src/channels/link-refusal.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function open(options: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  t = await createTestApp(options);
  // As a browser would: the forms' token from a rendered page, and its secret cookie with every post.
  const page = await t.app.inject({ method: 'GET', url: '/connect' });
  csrf.token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  FORM.cookie = `_csrf=${page.cookies.find((cookie) => cookie.name === '_csrf')?.value ?? ''}`;
  // A browser signed in beforehand: its session cookie, for the tests of signed-in pages.
  const signIn = await t.app.inject({ method: 'POST', url: '/sign-in', headers: FORM, payload: form({ token: TEST_TOKEN }) });
  SIGNED_IN.cookies = { fregues_session: signIn.cookies.find((cookie) => cookie.name === 'fregues_session')?.value ?? '' };
  // Form tokens are bound to the session they were issued with: the signed-in page's own token.
  const signedIn = await t.app.inject({ method: 'GET', url: '/connect', headers: FORM, ...SIGNED_IN });
  csrf.signedIn = /name="_csrf" value="([^"]+)"/.exec(signedIn.body)?.[1] ?? '';
  return t;
}

/** The form tokens of the page the test opened (every form posts one, as the pages' forms do): before and after signing in. */
const csrf = { token: '', signedIn: '' };

function simulatorOf(app: TestApp): SimulatorChannel {
  return app.channel as SimulatorChannel;
}

const FORM: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
const SIGNED_IN: { cookies: Record<string, string> } = { cookies: {} };

function form(fields: Record<string, string>): string {
  return new URLSearchParams({ _csrf: csrf.token, ...fields }).toString();
}

/** A form of a signed-in page: its token is bound to the session (SIGNED_IN). */
function signedInForm(fields: Record<string, string>): string {
  return new URLSearchParams({ _csrf: csrf.signedIn, ...fields }).toString();
}

function expectPageHeaders(headers: Record<string, unknown>): void {
  const csp = String(headers['content-security-policy']);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'self'");
  expect(headers).toMatchObject({
    'x-frame-options': 'SAMEORIGIN',
    'x-content-type-options': 'nosniff',
    'origin-agent-cluster': '?1',
    'x-dns-prefetch-control': 'off',
  });
}

describe('signing in', () => {
  it('answers GET /connect without a token with the sign-in form (401, HTML, page headers)', async () => {
    const { app } = await open();
    const response = await app.inject({ method: 'GET', url: '/connect' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expectPageHeaders(response.headers);
    expect(response.body).toContain('<html lang="pt-BR">');
    expect(response.body).toContain('<title>Entrar · fregues</title>');
    expect(response.body).toContain('<form method="post" action="/sign-in">');
    expect(response.body).toContain('<input type="hidden" name="next" value="/connect">');
    expect(response.body).toContain('type="password"');
    // Not signed in: no sign-out button, no page content.
    expect(response.body).not.toContain('/sign-out');
    expect(response.body).not.toContain('Modo simulador');
  });

  // BUG (src/http/pages.ts, PAGE_HEADERS = securityHeaders(): helmet's default CSP ends with
  // upgrade-insecure-requests): on a page served over plain HTTP the browser rewrites the page's
  // own requests (/assets/*.js and .css, the POST of the sign-in and /connect forms, the 303 that
  // follows) to https://, which fregues does not serve. Safari does it even on localhost (helmet
  // issues #429, #480); every browser does it on a LAN address (HOST=0.0.0.0). The directive
  // should be dropped when the request did not come over HTTPS (request.protocol), as
  // Strict-Transport-Security is ignored there anyway.
  it('does not ask a browser on plain HTTP to upgrade the page’s requests to HTTPS', async () => {
    const { app } = await open();
    const response = await app.inject({ method: 'GET', url: '/connect' });
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('escapes the address it will come back to', async () => {
    const { app } = await open();
    const response = await app.inject({ method: 'GET', url: '/connect?x="><script>alert(1)</script>' });
    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain('<script>alert(1)</script>');
    expect(response.body).not.toContain('"><script');
    expect(response.body).toMatch(/name="next" value="\/connect\?x=(&quot;|%22)/);
  });

  it('answers /connect/status and the page actions without a token with 401 JSON', async () => {
    const { app, channel } = await open();
    const status = await app.inject({ method: 'GET', url: '/connect/status', headers: { accept: 'application/json' } });
    expect(status.statusCode).toBe(401);
    expect(status.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Token de acesso') } });

    for (const url of ['/connect/logout', '/connect/resume', '/connect/pairing-code']) {
      const response = await app.inject({ method: 'POST', url, headers: FORM, payload: form({ phone: '11912345678' }) });
      expect(response.statusCode, url).toBe(401);
      expect(response.json().error.code, url).toBe('unauthorized');
    }
    expect(channel.state).toBe('open');
  });

  it('answers /connect/status without a token and without Accept: application/json with the sign-in form', async () => {
    // What a browser opening the address gets; connect.js always asks for JSON.
    const { app } = await open();
    const response = await app.inject({ method: 'GET', url: '/connect/status' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('name="next" value="/connect/status"');
  });

  it('refuses a wrong token with the form again (401), keeping where to go, and sets no cookie', async () => {
    const { app } = await open();
    for (const token of ['wrong-token', '', TEST_TOKEN.slice(0, -1), `${TEST_TOKEN}x`]) {
      const response = await app.inject({ method: 'POST', url: '/sign-in', headers: FORM, payload: form({ token, next: '/connect/status' }) });
      expect(response.statusCode, token).toBe(401);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expectPageHeaders(response.headers);
      expect(response.body).toContain('<p class="error" role="alert">Token incorreto.</p>');
      expect(response.body).toContain('name="next" value="/connect/status"');
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  });

  it('after five wrong tokens a client’s wrong tokens are refused for 15 minutes; the right token still signs in; other clients are not', async () => {
    const { app, clock } = await open();
    const attempt = (token: string, remoteAddress = '203.0.113.7') =>
      app.inject({ method: 'POST', url: '/sign-in', headers: FORM, payload: form({ token, next: '/connect' }), remoteAddress });
    for (let i = 0; i < 5; i += 1) expect((await attempt(`wrong-${i}`)).statusCode).toBe(401);
    const locked = await attempt('wrong-5');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('900');
    expect(locked.body).toContain('<p class="error" role="alert">Muitas tentativas com token errado. Tente de novo em 15 min.</p>');
    expect(locked.headers['set-cookie']).toBeUndefined();
    // Issue 16: the owner is never locked out, from that address or another.
    expect((await attempt(TEST_TOKEN)).statusCode).toBe(303);
    expect((await attempt('wrong', '198.51.100.9')).statusCode).toBe(401);

    clock.advance(14 * 60_000);
    expect((await attempt('wrong')).body).toContain('Tente de novo em 1 min.');
    clock.advance(60_000);
    // Fifteen minutes after the first failure: five more are allowed.
    for (let i = 0; i < 5; i += 1) expect((await attempt('wrong')).statusCode).toBe(401);
    expect((await attempt('wrong')).statusCode).toBe(429);
  });

  it('signs in with the right token: 303 to next and an HttpOnly, SameSite=Strict cookie', async () => {
    const { app } = await open();
    const response = await app.inject({ method: 'POST', url: '/sign-in', headers: FORM, payload: form({ token: ` ${TEST_TOKEN} `, next: '/connect/status' }) });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/connect/status');
    expect(response.cookies).toEqual([
      { name: 'fregues_session', value: expect.stringMatching(/^[\w-]{43}$/), httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 30 * 24 * 3600 },
    ]);
    // The cookie is a session of its own, not the admin token, and it opens the pages.
    const session = response.cookies[0]!.value;
    expect(session).not.toBe(TEST_TOKEN);
    expect((await app.inject({ method: 'GET', url: '/connect', cookies: { fregues_session: session } })).statusCode).toBe(200);
    // Each sign-in is a new session.
    const again = await app.inject({ method: 'POST', url: '/sign-in', headers: FORM, payload: form({ token: TEST_TOKEN }) });
    expect(again.cookies[0]!.value).not.toBe(session);
    // Over plain HTTP the cookie cannot be Secure.
    expect(String(response.headers['set-cookie'])).not.toMatch(/secure/i);
  });

  it.each([
    { next: undefined, location: '/' },
    { next: '/connect/status', location: '/connect/status' },
    { next: '/connect?x=1', location: '/connect?x=1' },
    { next: '//evil.example', location: '/' },
    { next: '//evil.example/connect', location: '/' },
    { next: 'https://evil.example', location: '/' },
    { next: '/\\evil.example', location: '/' },
    { next: 'javascript:alert(1)', location: '/' },
    { next: 'connect', location: '/' },
  ])('sends a signed-in person to $location when next is $next', async ({ next, location }) => {
    const { app } = await open();
    const fields: Record<string, string> = { token: TEST_TOKEN };
    if (next !== undefined) fields.next = next;
    const response = await app.inject({ method: 'POST', url: '/sign-in', headers: FORM, payload: form(fields) });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(location);
  });

  // BUG (src/http/pages.ts, safeNext: /^\/(?![/\\])/): a tab after the first slash passes the
  // check, and browsers drop ASCII tabs and newlines when they parse a URL (WHATWG URL), so
  // Location "/\t/evil.example" is followed as "//evil.example": an off-site redirect after
  // sign-in, which safeNext exists to prevent. It should refuse control characters, or check
  // the URL as a browser reads it (new URL(next, 'http://x').origin === 'http://x').
  it('does not redirect off-site through a tab after the first slash', async () => {
    const { app } = await open();
    const response = await app.inject({ method: 'POST', url: '/sign-in', headers: FORM, payload: form({ token: TEST_TOKEN, next: '/\t/evil.example' }) });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
  });

  // BUG (src/http/pages.ts, safeNext): a CR or LF in next passes the check too; Node then refuses
  // the Location header (ERR_INVALID_CHAR) and the right token gets a 500 "internal error"
  // instead of a sign-in. Same fix as above: refuse control characters in next.
  it.each(['/\n/evil.example', '/\r/evil.example'])('signs in, to /, when next is %j', async (next) => {
    const { app } = await open();
    const response = await app.inject({ method: 'POST', url: '/sign-in', headers: FORM, payload: form({ token: TEST_TOKEN, next }) });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
  });

  it('signs out: clears the cookie and goes back to /connect', async () => {
    const { app } = await open();
    const response = await app.inject({ method: 'POST', url: '/sign-out', headers: FORM, payload: signedInForm({}), ...SIGNED_IN });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/connect');
    const [cleared] = response.cookies;
    expect(cleared).toMatchObject({ name: 'fregues_session', value: '', path: '/' });
    expect(cleared?.expires?.getTime() ?? 0).toBeLessThanOrEqual(Date.now());
    // The session is closed on the server too: a copy of the cookie opens nothing any more.
    expect((await app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN })).statusCode).toBe(401);
  });
});

describe('/connect with the simulator', () => {
  it.each([
    { how: 'the cookie', inject: SIGNED_IN },
    { how: 'a Bearer header', inject: { headers: { authorization: `Bearer ${TEST_TOKEN}` } } },
  ])('renders the page in Portuguese when signed in by $how', async ({ inject }) => {
    const { app } = await open();
    const response = await app.inject({ method: 'GET', url: '/connect', ...inject });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expectPageHeaders(response.headers);
    expect(response.body).toContain('<html lang="pt-BR">');
    expect(response.body).toContain('<h1>Conectar o WhatsApp</h1>');
    expect(response.body).toContain('<section id="status" data-state="open"');
    expect(response.body).toContain('<strong id="state-text">Conectado</strong>');
    expect(response.body).toContain('Modo simulador: nenhum número de verdade está ligado, e nada sai para o WhatsApp.');
    expect(response.body).toContain('<form method="post" action="/sign-out">');
    // Linked (SIMULATOR_LINKED's default): the page of the real channel once linked, the QR part hidden.
    expect(response.body).toContain('<section id="qr-section" hidden>');
    expect(response.body).toContain('<img id="qr" alt="QR code para conectar o WhatsApp" width="264" height="264" hidden>');
    expect(response.body).toContain('<section id="linked-section">');
    expect(response.body).toContain('O número da loja está conectado.');
    expect(response.body).toContain('<script src="/assets/connect.js" defer></script>');
  });

  it('refuses a cookie that is no open session, the admin token itself included', async () => {
    const { app } = await open();
    for (const cookies of [{ fregues_session: 'x'.repeat(43) } as Record<string, string>, { fregues_session: TEST_TOKEN }, { fregues_token: TEST_TOKEN }, { fregues_session: 'x'.repeat(100_000) }]) {
      const response = await app.inject({ method: 'GET', url: '/connect', cookies });
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain('action="/sign-in"');
    }
  });

  // BUG (src/http/views/connect.eta): when stateDetail is null the hidden paragraph renders
  // the word "null" (`<%= it.detail %>` with a null value); it should be empty.
  it('leaves the detail paragraph empty when there is no detail', async () => {
    const { app } = await open();
    const response = await app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(response.body).toContain('<p id="state-detail" class="detail" hidden></p>');
  });

  it('returns the state as JSON from /connect/status', async () => {
    const { app } = await open();
    const response = await app.inject({ method: 'GET', url: '/connect/status', ...SIGNED_IN });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({
      state: 'open',
      stateText: 'Conectado',
      detail: null,
      qr: null,
      breaker: { open: false, reason: null, since: null },
      trouble: null,
      linkAgain: false,
    });
  });

  it('answers a pairing code request with an invalid phone with 400 and the page', async () => {
    const { app } = await open();
    const response = await app.inject({ method: 'POST', url: '/connect/pairing-code', headers: FORM, payload: signedInForm({ phone: '(11) 3333-4444' }), ...SIGNED_IN });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<h1>Conectar o WhatsApp</h1>');
  });

  it('answers a pairing code request on the simulator with 409 and the page', async () => {
    const { app } = await open();
    const response = await app.inject({ method: 'POST', url: '/connect/pairing-code', headers: FORM, payload: signedInForm({ phone: '(11) 91234-5678' }), ...SIGNED_IN });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('<h1>Conectar o WhatsApp</h1>');
  });

  // BUG (src/http/views/connect.eta, `<% if (!it.simulator) { %>` wraps the pairing error):
  // on the simulator POST /connect/pairing-code answers 400 / 409 with a page that does not say
  // why: the phone problem ("não é um celular...") and the simulator's refusal ("The simulator
  // needs no linking...") are rendered only inside the section hidden for the simulator. The
  // error paragraph should be shown whatever the channel (or the route should not exist there).
  it.each([
    { phone: '(11) 3333-4444', status: 400, shown: 'Não foi possível gerar o código: não é um celular' },
    { phone: '(11) 91234-5678', status: 409, shown: 'Não foi possível gerar o código: o número da loja já está conectado.' },
  ])('shows on the simulator why a pairing code for $phone was refused', async ({ phone, status, shown }) => {
    const { app } = await open();
    const response = await app.inject({ method: 'POST', url: '/connect/pairing-code', headers: FORM, payload: signedInForm({ phone }), ...SIGNED_IN });
    expect(response.statusCode).toBe(status);
    expect(response.body).toContain(shown);
  });

  it('unlinks on POST /connect/logout (303) and then shows the channel logged out', async () => {
    const { app, channel } = await open();
    const response = await app.inject({ method: 'POST', url: '/connect/logout', headers: FORM, payload: signedInForm({}), ...SIGNED_IN });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/connect');
    expect(channel.state).toBe('logged_out');
    const page = await app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(page.body).toContain('<strong id="state-text">Desconectado: é preciso ligar o número de novo</strong>');
  });

  it('shows an open breaker with its time and reason, and POST /connect/resume closes it', async () => {
    const app = await open();
    const sim = simulatorOf(app);
    sim.restrictNextSend();
    await sim.send('+5511912345678', { kind: 'text', text: 'Oi' }, { messageId: '3EB0RESTRICTED' });
    expect(sim.breaker.open).toBe(true);

    const page = await app.app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    // 15:00 UTC is 12:00 in America/Sao_Paulo.
    expect(page.body).toMatch(/Os envios estão pausados desde 20\/11\/2026,? 12:00: O WhatsApp restringiu envios desta conta \(463\)/);
    expect(page.body).toContain('<form method="post" action="/connect/resume">');
    expect((await app.app.inject({ method: 'GET', url: '/connect/status', ...SIGNED_IN })).json().breaker).toEqual({
      open: true,
      reason: 'restricted',
      since: app.clock.now(),
    });

    const resume = await app.app.inject({ method: 'POST', url: '/connect/resume', headers: FORM, payload: signedInForm({}), ...SIGNED_IN });
    expect(resume.statusCode).toBe(303);
    expect(resume.headers.location).toBe('/connect');
    expect(sim.breaker).toEqual({ open: false, reason: null, since: null });
    const after = await app.app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(after.body).not.toContain('/connect/resume');
  });

  it('gives English page text with LOCALE=en', async () => {
    const { app } = await open({ env: { LOCALE: 'en' } });
    const signIn = await app.inject({ method: 'GET', url: '/connect' });
    expect(signIn.body).toContain('<html lang="en">');
    expect(signIn.body).toContain('<h1>Sign in</h1>');
    expect(signIn.body).toContain('Paste the admin token');

    const wrong = await app.inject({ method: 'POST', url: '/sign-in', headers: FORM, payload: form({ token: 'nope' }) });
    expect(wrong.body).toContain('Wrong token.');

    const page = await app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(page.body).toContain('<h1>Link WhatsApp</h1>');
    expect(page.body).toContain('<strong id="state-text">Connected</strong>');
    expect(page.body).toContain('Simulator mode: no real number is linked and nothing goes out to WhatsApp.');
    expect(page.body).toContain('Sign out');
    expect(page.body).not.toMatch(/Conectado|Entrar|Sair/);
    expect((await app.inject({ method: 'GET', url: '/connect/status', ...SIGNED_IN })).json().stateText).toBe('Connected');
  });
});

describe('/connect with an unlinked simulator (SIMULATOR_LINKED=false)', () => {
  async function openUnlinked(env: Record<string, string> = {}) {
    const clock = new ManualClock('2026-11-20T15:00:00Z');
    const channel = new SimulatorChannel({ clock, linked: false });
    await channel.start();
    const app = await open({ clock, channel, env });
    return { ...app, channel };
  }

  const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/;

  it('shows the QR as the real channel does, the simulator notice, and the button that plays the phone', async () => {
    const { app, channel } = await openUnlinked();
    expect(channel.state).toBe('qr');
    const page = await app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<section id="status" data-state="qr"');
    expect(page.body).toContain('<strong id="state-text">Aguardando a leitura do QR code</strong>');
    expect(page.body).toContain('Modo simulador: nenhum número de verdade está ligado, e nada sai para o WhatsApp.');
    expect(page.body).toContain('<section id="qr-section">');
    const src = /<img id="qr" alt="QR code para conectar o WhatsApp" width="264" height="264" src="([^"]+)">/.exec(page.body)?.[1];
    expect(src).toMatch(PNG_DATA_URL);
    expect(Buffer.from(src!.split(',')[1]!, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(page.body).toContain('<p id="qr-waiting" hidden>');
    expect(page.body).toMatch(/<form method="post" action="\/connect\/simulate-scan" id="simulate-scan"><input type="hidden" name="_csrf" value="[^"]+">\s*<button type="submit">Simular a leitura do QR<\/button>/);
    expect(page.body).toContain('<form method="post" action="/connect/pairing-code">');
    expect(page.body).toContain('<section id="linked-section" hidden>');
  });

  it('reports qr and the QR as a PNG data URL in /connect/status, the same image as the page, and a new one when WhatsApp rotates it', async () => {
    const { app, channel } = await openUnlinked();
    const status = await app.inject({ method: 'GET', url: '/connect/status', ...SIGNED_IN });
    expect(status.statusCode).toBe(200);
    const body = status.json();
    expect(body).toEqual({
      state: 'qr',
      stateText: 'Aguardando a leitura do QR code',
      detail: null,
      qr: expect.stringMatching(PNG_DATA_URL),
      breaker: { open: false, reason: null, since: null },
      trouble: null,
      linkAgain: false,
    });
    const page = await app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(page.body).toContain(`src="${body.qr}"`);

    channel.rotateQr();
    const rotated = (await app.inject({ method: 'GET', url: '/connect/status', ...SIGNED_IN })).json();
    expect(rotated.qr).toMatch(PNG_DATA_URL);
    expect(rotated.qr).not.toBe(body.qr);
  });

  it('links on POST /connect/simulate-scan (303), and then shows the number linked', async () => {
    const { app, channel } = await openUnlinked();
    const response = await app.inject({ method: 'POST', url: '/connect/simulate-scan', headers: FORM, payload: signedInForm({}), ...SIGNED_IN });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/connect');
    expect(channel.state).toBe('open');
    const page = await app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(page.body).toContain('<strong id="state-text">Conectado</strong>');
    expect(page.body).toContain('<section id="qr-section" hidden>');
    expect(page.body).toContain('<section id="linked-section">');
    expect((await app.inject({ method: 'GET', url: '/connect/status', ...SIGNED_IN })).json()).toMatchObject({ state: 'open', qr: null });
  });

  it('stores what customers sent while unlinked once the scan links the number', async () => {
    const { app, channel, repos } = await openUnlinked();
    channel.receiveText('+5511912345678', 'Oi, tem café?');
    expect(repos.customers.findByPhone('+5511912345678')).toBeUndefined();
    await app.inject({ method: 'POST', url: '/connect/simulate-scan', headers: FORM, payload: signedInForm({}), ...SIGNED_IN });
    const customer = repos.customers.findByPhone('+5511912345678');
    expect(repos.messages.listByCustomer(customer!.id).map((m) => m.text)).toEqual(['Oi, tem café?']);
  });

  it('says why a scan is refused once linked (400), and does nothing', async () => {
    const { app, channel } = await openUnlinked();
    channel.scanQr();
    const response = await app.inject({ method: 'POST', url: '/connect/simulate-scan', headers: FORM, payload: signedInForm({}), ...SIGNED_IN });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<p class="error" role="alert">O simulador recusou: o número da loja já está conectado.</p>');
    expect(channel.state).toBe('open');
  });

  it('links by pairing code: the code shows with a button that types it on the phone; a wrong code is refused', async () => {
    const { app, channel } = await openUnlinked();
    const asked = await app.inject({ method: 'POST', url: '/connect/pairing-code', headers: FORM, payload: signedInForm({ phone: '(11) 90000-0000' }), ...SIGNED_IN });
    expect(asked.statusCode).toBe(200);
    const code = /<strong class="code">([1-9A-HJ-NP-TV-Z]{8})<\/strong>/.exec(asked.body)?.[1];
    expect(code).toBeDefined();
    expect(asked.body).toContain(`<input type="hidden" name="code" value="${code}">`);
    expect(asked.body).toContain('Simular: digitar o código no celular');

    const wrong = await app.inject({ method: 'POST', url: '/connect/simulate-code', headers: FORM, payload: signedInForm({ code: '<b>ZZZZ</b>' }), ...SIGNED_IN });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('<p class="error" role="alert">O simulador recusou: o código digitado não é o que foi gerado para esta conexão.</p>');
    expect(wrong.body).not.toContain('<b>ZZZZ</b>');
    expect(channel.state).toBe('qr');

    const typed = await app.inject({ method: 'POST', url: '/connect/simulate-code', headers: FORM, payload: signedInForm({ code: code! }), ...SIGNED_IN });
    expect(typed.statusCode).toBe(303);
    expect(channel.state).toBe('open');
  });

  it('shows a new QR after unlinking, as the real channel re-pairs', async () => {
    const { app, channel } = await openUnlinked();
    const first = channel.qr;
    channel.scanQr();
    const response = await app.inject({ method: 'POST', url: '/connect/logout', headers: FORM, payload: signedInForm({}), ...SIGNED_IN });
    expect(response.statusCode).toBe(303);
    expect(channel.state).toBe('qr');
    expect(channel.qr).not.toBe(first);
    const page = await app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(page.body).toContain('<section id="qr-section">');
    expect(page.body).toMatch(/<img id="qr"[^>]+src="data:image\/png;base64,/);
  });

  it('refuses the simulated scan without the session (401) or without the form token (403)', async () => {
    const { app, channel } = await openUnlinked();
    const anonymous = await app.inject({ method: 'POST', url: '/connect/simulate-scan', headers: FORM, payload: form({}) });
    expect(anonymous.statusCode).toBe(401);
    const forged = await app.inject({ method: 'POST', url: '/connect/simulate-scan', headers: FORM, payload: '', ...SIGNED_IN });
    expect(forged.statusCode).toBe(403);
    expect(channel.state).toBe('qr');
  });

  it('does not exist with the WhatsApp channel (404)', async () => {
    const { app } = await open({ channel: new FakeChannel() });
    for (const url of ['/connect/simulate-scan', '/connect/simulate-code']) {
      const response = await app.inject({ method: 'POST', url, headers: FORM, payload: signedInForm({ code: 'ABCD1234' }), ...SIGNED_IN });
      expect(response.statusCode, url).toBe(404);
    }
  });
});

describe('/connect with the WhatsApp channel (a fake)', () => {
  it('shows the QR as a PNG data URL in /connect/status and in the page', async () => {
    const channel = new FakeChannel();
    const { app } = await open({ channel });
    const status = await app.inject({ method: 'GET', url: '/connect/status', ...SIGNED_IN });
    expect(status.statusCode).toBe(200);
    const body = status.json();
    expect(body).toMatchObject({ state: 'qr', stateText: 'Aguardando a leitura do QR code', detail: null, breaker: { open: false } });
    expect(body.qr).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    const png = Buffer.from(String(body.qr).split(',')[1] ?? '', 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');

    const page = await app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<img id="qr" alt="QR code para conectar o WhatsApp" width="264" height="264" src="${body.qr}">`);
    expect(page.body).toContain('<section id="qr-section">');
    expect(page.body).toContain('<p id="qr-waiting" hidden>');
    expect(page.body).toContain('<form method="post" action="/connect/pairing-code">');
    expect(page.body).toContain('<script src="/assets/connect.js" defer></script>');
    expect(page.body).not.toContain('Modo simulador');
  });

  it('waits for a QR while connecting, and shows none once open', async () => {
    const channel = new FakeChannel();
    channel.state = 'connecting';
    const { app } = await open({ channel });
    const connecting = await app.inject({ method: 'GET', url: '/connect/status', ...SIGNED_IN });
    // A QR text left over from before is not shown outside the 'qr' state.
    expect(connecting.json()).toMatchObject({ state: 'connecting', qr: null });
    const page = await app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(page.body).toContain('<p id="qr-waiting">Esperando o WhatsApp enviar o QR code…</p>');

    channel.state = 'open';
    const linked = await app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(linked.body).toContain('<section id="qr-section" hidden>');
    expect(linked.body).toContain('<section id="linked-section">');
    expect(linked.body).toContain('O número da loja está conectado.');
  });

  it('shows the pairing code for the number typed, asked in E.164', async () => {
    const channel = new FakeChannel();
    const { app } = await open({ channel });
    const response = await app.inject({ method: 'POST', url: '/connect/pairing-code', headers: FORM, payload: signedInForm({ phone: '(11) 91234-5678' }), ...SIGNED_IN });
    expect(response.statusCode).toBe(200);
    expect(channel.pairingRequests).toEqual(['+5511912345678']);
    expect(response.body).toContain('Digite este código no celular: <strong class="code">ABCD1234</strong>');
    expect(response.body).toContain('value="(11) 91234-5678"');
  });

  it('refuses a form posted without the page’s token, or with another session’s, and does nothing (403)', async () => {
    const channel = new FakeChannel();
    const { app } = await open({ channel });
    const posts: { url: string; fields: Record<string, string> }[] = [
      { url: '/connect/pairing-code', fields: { phone: '(11) 91234-5678' } },
      { url: '/connect/logout', fields: {} },
      { url: '/connect/resume', fields: {} },
      { url: '/sign-out', fields: {} },
      { url: '/sign-in', fields: { token: TEST_TOKEN } },
    ];
    const other = await app.inject({ method: 'GET', url: '/connect' });
    const otherSecret = `_csrf=${other.cookies.find((cookie) => cookie.name === '_csrf')!.value}`;
    for (const { url, fields } of posts) {
      const missing = await app.inject({ method: 'POST', url, headers: FORM, payload: new URLSearchParams(fields).toString(), ...SIGNED_IN });
      expect(missing.statusCode, url).toBe(403);
      expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(missing.body).toContain('<p class="error" role="alert">Este formulário expirou ou não veio desta página, e nada foi feito. Recarregue a página e tente de novo.</p>');
      // The token of this page with the secret cookie of another browser.
      const mixed = await app.inject({ method: 'POST', url, headers: { ...FORM, cookie: otherSecret }, payload: signedInForm(fields), ...SIGNED_IN });
      expect(mixed.statusCode, url).toBe(403);
      expect(mixed.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringContaining('fregues_session=')]));
    }
    expect(channel.pairingRequests).toEqual([]);
    expect(channel.state).toBe('qr');
  });

  it('shows the phone problem with 400 and asks the channel nothing', async () => {
    const channel = new FakeChannel();
    const { app } = await open({ channel });
    const response = await app.inject({ method: 'POST', url: '/connect/pairing-code', headers: FORM, payload: signedInForm({ phone: '(11) 3333-4444' }), ...SIGNED_IN });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(
      '<p class="error" role="alert">Não foi possível gerar o código: não é um celular: o WhatsApp precisa de um número de celular</p>',
    );
    expect(channel.pairingRequests).toEqual([]);

    const empty = await app.inject({ method: 'POST', url: '/connect/pairing-code', headers: FORM, payload: signedInForm({}), ...SIGNED_IN });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Não foi possível gerar o código: informe o telefone');
  });

  it("shows the channel's refusal with 409", async () => {
    const channel = new FakeChannel();
    channel.pairing = new Error('Connection Closed');
    const { app } = await open({ channel });
    const response = await app.inject({ method: 'POST', url: '/connect/pairing-code', headers: FORM, payload: signedInForm({ phone: '11912345678' }), ...SIGNED_IN });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain(
      '<p class="error" role="alert">Não foi possível gerar o código: o WhatsApp não respondeu como esperado. Tente de novo em instantes (erro: Connection Closed).</p>',
    );
  });

  // Issue 20: the real channel's refusal read "Não foi possível gerar o código: pairing needs the QR step: …".
  it.each([
    { locale: 'pt-BR', reason: 'not_linking' as const, shown: 'Não foi possível gerar o código: o WhatsApp não está mostrando um QR code agora: espere o QR code aparecer e tente de novo.' },
    { locale: 'pt-BR', reason: 'already_linked' as const, shown: 'Não foi possível gerar o código: o número da loja já está conectado.' },
    { locale: 'en', reason: 'not_linking' as const, shown: 'Could not get a code: WhatsApp is not showing a QR code now: wait for the QR code to appear and try again.' },
    { locale: 'es', reason: 'already_linked' as const, shown: 'No se pudo obtener el código: el número de la tienda ya está vinculado.' },
  ])("says the channel's $reason refusal in $locale's own words", async ({ locale, reason, shown }) => {
    const channel = new FakeChannel();
    channel.pairing = new LinkRefusedError(reason, 'pairing needs the QR step: in English, for the log');
    const { app } = await open({ channel, env: { LOCALE: locale } });
    const response = await app.inject({ method: 'POST', url: '/connect/pairing-code', headers: FORM, payload: signedInForm({ phone: '11912345678' }), ...SIGNED_IN });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain(`<p class="error" role="alert">${shown}</p>`);
    expect(response.body).not.toContain('pairing needs');
  });

  it('escapes what came from a person or from WhatsApp', async () => {
    const channel = new FakeChannel();
    channel.stateDetail = '<b>detail</b> & "quotes"';
    channel.pairing = new Error('<img src=x onerror=alert(1)>');
    const { app } = await open({ channel });

    const typed = '"><script>alert(1)</script>';
    const invalid = await app.inject({ method: 'POST', url: '/connect/pairing-code', headers: FORM, payload: signedInForm({ phone: typed }), ...SIGNED_IN });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).not.toContain('<script>alert(1)</script>');
    expect(invalid.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(invalid.body).toContain('&lt;b&gt;detail&lt;/b&gt; &amp; &quot;quotes&quot;');
    expect(invalid.body).not.toContain('<b>detail</b>');

    const refused = await app.inject({ method: 'POST', url: '/connect/pairing-code', headers: FORM, payload: signedInForm({ phone: '11912345678' }), ...SIGNED_IN });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).not.toContain('<img src=x');
    expect(refused.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('WhatsApp’s limits on /connect', () => {
  const CYCLE_END = Date.parse('2026-12-13T00:30:00Z');
  const LOCK_ENDS = Date.parse('2026-11-21T18:30:00Z');
  /** As the channel reads them: Baileys' fetchNewChatMessageCap and reachoutTimeLock, converted. */
  const READ: WhatsAppLimits = {
    cap: { total: 50, used: 37, cycleStart: Date.parse('2026-11-12T03:00:00Z'), cycleEnd: CYCLE_END, status: 'second_warning', readAt: Date.parse('2026-11-20T14:59:00Z') },
    lock: null,
    waVersion: '2.3000.1043857760',
  };

  it('shows the quota, the warning in words, the WhatsApp Web version in use and the link to the seller’s page', async () => {
    const t = await open({ channel: new FakeChannel({ state: 'open' }) });
    t.repos.whatsappLimits.save(READ);
    const page = await t.app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<section id="whatsapp-limits" data-limits="warning">');
    expect(page.body).toContain('<p id="limits-quota">37 de 50 conversas novas usadas neste ciclo, renova em 12/12</p>');
    expect(page.body).toMatch(/<p class="warning" id="limits-warning">Segundo aviso do WhatsApp: .* ficam paradas até 12\/12\/2026, 21:30;/);
    expect(page.body).not.toContain('id="limits-lock"');
    expect(page.body).toContain('<p class="muted" id="limits-version">Versão do WhatsApp Web em uso: 2.3000.1043857760</p>');
    expect(page.body).toContain('<a href="/connect/whatsapp-limits">O que o WhatsApp limita e o que você pode fazer</a>');
  });

  it('shows a time lock with its end in TIMEZONE; nothing of it once it is over', async () => {
    const t = await open({ channel: new FakeChannel({ state: 'open' }), env: { TIMEZONE: 'America/Manaus' } });
    t.repos.whatsappLimits.save({ ...READ, cap: { ...READ.cap!, status: 'none' }, lock: { active: true, endsAt: LOCK_ENDS, kind: 'BIZ_QUALITY', readAt: t.clock.now() } });
    const locked = await t.app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(locked.body).toContain('data-limits="locked"');
    // 18:30 UTC is 14:30 in Manaus (UTC−4).
    expect(locked.body).toContain('<p class="warning" id="limits-lock">O WhatsApp bloqueou conversas novas desta conta até 21/11/2026, 14:30.');
    expect(locked.body).not.toContain('id="limits-warning"');

    t.clock.set(LOCK_ENDS);
    const over = await t.app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(over.body).toContain('data-limits="ok"');
    expect(over.body).not.toContain('id="limits-lock"');
  });

  it('says the quota is not known yet, and shows no version, before the channel read anything', async () => {
    const { app } = await open();
    const page = await app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(page.body).toContain('<p id="limits-quota">O WhatsApp ainda não informou quantas conversas novas esta conta pode começar neste ciclo.</p>');
    expect(page.body).not.toContain('id="limits-version"');
    expect(page.body).not.toContain('id="limits-banner"');
  });

  it('gives the shop’s click-to-chat link (the printable card’s), its QR and the card, from the number linked or last seen linked', async () => {
    const channel = new FakeChannel({ state: 'open' });
    const t = await open({ channel, env: { SHOP_NAME: 'Café da Ana' } });
    const typed = encodeURIComponent('Oi, Café da Ana! Quero receber as novidades dos meus pedidos por aqui');
    const before = await t.app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    expect(before.body).toContain('O link da loja aparece aqui depois que o número for conectado.');
    expect(before.body).not.toContain('id="shop-qr"');

    channel.linkedPhone = '+5511987654321';
    const linked = await t.app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN });
    const link = `https://wa.me/5511987654321?text=${typed}`;
    expect(linked.body).toContain(`<a id="shop-link-url" class="opt-in-link" href="${link}" rel="noopener noreferrer" target="_blank">${link}</a>`);
    const qr = /<img id="shop-qr" src="data:image\/png;base64,([A-Za-z0-9+/]+=*)" alt="QR code que abre uma conversa com a loja no WhatsApp"/.exec(linked.body)?.[1];
    expect(Buffer.from(qr ?? '', 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(linked.body).toContain('<a href="/card">Imprimir o cartão com o QR code</a>');

    // Disconnected later: the number kept in the store still gives the link.
    channel.linkedPhone = null;
    channel.state = 'closed';
    t.repos.whatsappLimits.noteShopPhone('+5531999668527');
    expect((await t.app.inject({ method: 'GET', url: '/connect', ...SIGNED_IN })).body).toContain(`href="https://wa.me/5531999668527?text=${typed}"`);
  });

  it('serves the seller’s page about the limits (docs/whatsapp-limits.md) to a signed-in browser only', async () => {
    const { app } = await open();
    expect((await app.inject({ method: 'GET', url: '/connect/whatsapp-limits' })).statusCode).toBe(401);
    const page = await app.inject({ method: 'GET', url: '/connect/whatsapp-limits', ...SIGNED_IN });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>O que o WhatsApp limita e o que você pode fazer · fregues</title>');
    expect(page.body).toContain('<article class="document" lang="pt-BR">');
    expect(page.body).toContain('<h2>Por que é tão bom o cliente escrever primeiro</h2>');
    expect(page.body).toContain('<a href="/connect" aria-current="page">');
  });
});

describe('the WhatsApp limits banner', () => {
  const LOCK_ENDS = Date.parse('2026-11-21T18:30:00Z');
  const BANNER = 'O WhatsApp bloqueou conversas novas até 21/11/2026, 15:30. Quem já conversa com a loja continua recebendo.';

  it('shows on every signed-in page while a time lock is in force, with its end in TIMEZONE, and never on the sign-in form', async () => {
    const t = await open();
    t.repos.whatsappLimits.save({ cap: null, lock: { active: true, endsAt: LOCK_ENDS, kind: 'DEFAULT', readAt: t.clock.now() }, waVersion: null });
    for (const url of ['/', '/customers', '/flows', '/outbox', '/simulator', '/connect', '/connect/whatsapp-limits']) {
      const page = await t.app.inject({ method: 'GET', url, ...SIGNED_IN });
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).toContain(`<p class="warning" id="limits-banner" role="status">${BANNER} <a href="/connect#whatsapp-limits">Ver detalhes</a></p>`);
    }
    const signIn = await t.app.inject({ method: 'GET', url: '/connect' });
    expect(signIn.statusCode).toBe(401);
    expect(signIn.body).not.toContain('limits-banner');
    expect(signIn.body).not.toContain('bloqueou');

    t.clock.set(LOCK_ENDS);
    expect((await t.app.inject({ method: 'GET', url: '/outbox', ...SIGNED_IN })).body).not.toContain('limits-banner');
  });

  it('shows at the second warning and at the cap until the cycle ends, not at the first warning', async () => {
    const t = await open();
    const cap = { total: 50, used: 49, cycleStart: null, cycleEnd: Date.parse('2026-11-22T03:00:00Z'), status: 'first_warning' as const, readAt: t.clock.now() };
    t.repos.whatsappLimits.save({ cap, lock: null, waVersion: null });
    expect((await t.app.inject({ method: 'GET', url: '/customers', ...SIGNED_IN })).body).not.toContain('limits-banner');
    t.repos.whatsappLimits.save({ cap: { ...cap, status: 'capped' }, lock: null, waVersion: null });
    expect((await t.app.inject({ method: 'GET', url: '/customers', ...SIGNED_IN })).body).toContain(
      'Limite de conversas novas do WhatsApp atingido: as primeiras mensagens para quem nunca escreveu para a loja estão paradas até 22/11/2026, 00:00.',
    );
    t.clock.set(cap.cycleEnd);
    expect((await t.app.inject({ method: 'GET', url: '/customers', ...SIGNED_IN })).body).not.toContain('limits-banner');
  });
});

describe('assets', () => {
  it.each([
    { name: 'connect.js', type: 'text/javascript; charset=utf-8' },
    { name: 'fregues.css', type: 'text/css; charset=utf-8' },
  ])('serves $name as $type without signing in', async ({ name, type }) => {
    const { app } = await open();
    const response = await app.inject({ method: 'GET', url: `/assets/${name}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(type);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.body).toBe(fs.readFileSync(packagePath('src', 'http', 'assets', name), 'utf8'));
  });

  // Issue 20: `img#qr { display: block }` beat the `hidden` attribute, and a QR-less image showed as a
  // broken-image icon. Every rule of the sheet that gives an element a display must lose to `hidden`:
  // one `[hidden] { display: none !important }`, and no other `!important` display but `none`.
  it('lets the hidden attribute win over every display in the stylesheet', async () => {
    const { app } = await open();
    const css = (await app.inject({ method: 'GET', url: '/assets/fregues.css' })).body.replace(/\/\*[\s\S]*?\*\//g, '');
    const rules = [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map(([, selectors, body]) => ({ selectors: selectors!.split(',').map((s) => s.trim()), body: body! }));
    const hiding = rules.filter((rule) => rule.selectors.includes('[hidden]'));
    expect(hiding.map((rule) => rule.body.replace(/\s+/g, ' ').trim())).toContain('display: none !important;');
    const importantDisplays = rules.flatMap((rule) => [...rule.body.matchAll(/display\s*:\s*([^;]+?)\s*!important/g)].map((m) => m[1]));
    expect(importantDisplays.filter((value) => value !== 'none')).toEqual([]);
    // The rule that hid nothing before: the QR image has a display of its own.
    expect(rules.some((rule) => rule.selectors.includes('img#qr') && /display\s*:\s*block/.test(rule.body))).toBe(true);
  });

  it.each(['nope.js', 'connect.eta', '..%2Fpages.ts', '..%2F..%2F..%2Fpackage.json'])('answers 404 for the asset %s', async (name) => {
    const { app } = await open();
    const response = await app.inject({ method: 'GET', url: `/assets/${name}` });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});
