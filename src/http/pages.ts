import crypto from 'node:crypto';
import fs from 'node:fs';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import view from '@fastify/view';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Eta } from 'eta';
import { translate, translator, type Locale, type MessageKey, type Translate } from '../i18n/index.js';
import { packagePath } from '../package-path.js';
import { bearerToken, tokensMatch } from './auth.js';
import { PAGE_HEADERS } from './security-headers.js';
import type { Config } from '../config.js';
import type { Channel } from '../channels/channel.js';
import type { FlowServices } from '../scheduler/flow-services.js';
import type { RouteContext } from './routes/context.js';
import type { SessionRepository } from '../storage/repositories/sessions.js';
import type { DryRun } from '../simulation/dry-run.js';
import type { Simulation } from '../simulation/simulation.js';
import type { FlowFileStore, LiveFlowControl } from '../flows/flow-editing.js';

/** The session cookie: a random id (its SHA-256 is in the sessions table), never the admin token. */
export const SESSION_COOKIE = 'fregues_session';
const COOKIE_MAX_AGE_S = 30 * 24 * 3600;
const SESSION_MS = COOKIE_MAX_AGE_S * 1000;


/**
 * Where the sign-in page says the admin token is: the service's (the file in DATA_DIR, or
 * ADMIN_TOKEN), or the one the demo printed in the terminal (it makes a new one each start).
 */
export type AdminTokenHint = 'service' | 'demo';

export interface PageContext {
  locale: Locale;
  adminToken: string;
  /** What the sign-in page says about the token; 'service' by default. */
  adminTokenHint?: AdminTokenHint | undefined;
  /** The service's clock (the sign-in lockout counts by it); the system's by default. */
  now?: () => number;
  /** CHANNEL=simulator: the menu shows the Simulador page. */
  simulator?: boolean;
  /** The signed-in browsers. */
  sessions: SessionRepository;
  /**
   * The wall clock sessions expire by (Date.now by default): not the service's
   * clock, which the simulator moves weeks ahead while the seller watches.
   */
  wallNow?: () => number;
  /**
   * The line every signed-in page shows at the top while WhatsApp stops new
   * chats (a time lock, the second warning, the cap): read when a page is drawn.
   */
  banner?: (() => string | null) | undefined;
}

/** The menu of every signed-in page: path and the key of its name, in order. */
export const NAV: readonly { path: string; key: MessageKey; simulatorOnly?: boolean }[] = [
  { path: '/', key: 'page.nav.dashboard' },
  { path: '/sales/new', key: 'page.nav.new_sale' },
  { path: '/customers', key: 'page.nav.customers' },
  { path: '/flows', key: 'page.nav.flows' },
  { path: '/outbox', key: 'page.nav.outbox' },
  { path: '/campaigns', key: 'page.nav.campaigns' },
  { path: '/integrations', key: 'page.nav.integrations' },
  { path: '/simulator', key: 'page.nav.simulator', simulatorOnly: true },
  { path: '/connect', key: 'page.nav.connect' },
  // The seller's page about the API (issue 20), which links to the programmers' reader at /docs.
  { path: '/docs/guide', key: 'page.nav.docs' },
];

/** Wrong tokens a client may try before sign-in is refused for a while. */
export const SIGN_IN_FAILURES_ALLOWED = 5;
export const SIGN_IN_LOCKOUT_MS = 15 * 60_000;
/** Clients remembered at most; past that the oldest records go (an attack from many addresses is not slowed by this anyway). */
const SIGN_IN_CLIENTS_KEPT = 10_000;

/** What the pages of the seller's site read and drive, handed down from buildApp. */
export interface PageDeps extends PageContext {
  /** What the /api routes use: repositories, group commit, clock, intake fields, the flow runner. */
  route: RouteContext;
  config: Config;
  channel: Channel;
  /** The flows' services (runner, scheduler, weekly summary), when the service runs flows. */
  services?: PageFlowServices | undefined;
  /** A flow's dry run on an in-memory copy of everything (the flow page's timeline). */
  dryRun: DryRun;
  /** The flows loaded again whenever a flow file changes: reload() after a save, state() for the files' errors. */
  liveFlows?: LiveFlowControl | undefined;
  /** The flow files as the Fluxos page's editor reads and writes them (issue 20). */
  flowFiles?: FlowFileStore | undefined;
  /** With CHANNEL=simulator: the phones to play and the time to move. */
  simulation?: Simulation | undefined;
}

export type PageFlowServices = Pick<FlowServices, 'runner' | 'scheduler' | 'weekly'>;

export type T = Translate;

/**
 * What every server-rendered page needs: forms, the sign-in cookie, Eta
 * templates (escaping by default) in src/http/views, helmet's page headers and
 * the small static files in src/http/assets.
 */
export async function registerPages(app: FastifyInstance, ctx: PageContext): Promise<void> {
  await app.register(formbody);
  await app.register(cookie);
  // Every form carries a token checked against a secret cookie, on top of the SameSite=Strict
  // sign-in cookie: another site cannot make the seller's browser post to these pages. The token is
  // also bound to the session cookie the page was served with (csrfUserInfo): a secret cookie and
  // token obtained elsewhere (another browser, the sign-in form) do not serve another session.
  await app.register(csrf, {
    cookieOpts: { httpOnly: true, sameSite: 'strict', path: '/', maxAge: COOKIE_MAX_AGE_S },
    getUserInfo: csrfUserInfo,
    // Stable across restarts (a form left open still works) and secret: derived from the admin token.
    csrfOpts: { hmacKey: crypto.createHmac('sha256', ctx.adminToken).update('fregues-csrf').digest() },
  });
  const checkCsrf = (request: FastifyRequest, reply: FastifyReply, done: () => void) => app.csrfProtection(request, reply, done);
  // A form without a valid token (a page left open for weeks, or another site's post) gets a page
  // that says what to do, not the API's JSON; every other error goes to the service's handler.
  app.setErrorHandler<FastifyError>((error, request, reply) => {
    if (!error.code?.startsWith('FST_CSRF_')) throw error;
    request.log.info({ code: error.code }, 'form refused: no valid CSRF token');
    return renderPage(reply.status(403), ctx, 'form-expired', {
      title: translate(ctx.locale, 'page.title.form_expired'),
      signedIn: isSignedIn(request, ctx),
    });
  });
  await app.register(view, {
    engine: { eta: new Eta({ autoEscape: true }) },
    root: packagePath('src', 'http', 'views'),
    layout: 'layout.eta',
    viewExt: 'eta',
  });
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(PAGE_HEADERS);
    done();
  });

  const assets = new Map<string, { body: string; type: string }>();
  for (const [name, type] of [
    ['connect.js', 'text/javascript; charset=utf-8'],
    ['simulator.js', 'text/javascript; charset=utf-8'],
    ['new-sale.js', 'text/javascript; charset=utf-8'],
    ['flow-editor.js', 'text/javascript; charset=utf-8'],
    ['campaign-form.js', 'text/javascript; charset=utf-8'],
    ['fregues.css', 'text/css; charset=utf-8'],
    ['favicon.svg', 'image/svg+xml'],
  ] as const) {
    assets.set(name, { body: fs.readFileSync(packagePath('src', 'http', 'assets', name), 'utf8'), type });
  }
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.callNotFound();
    return reply.type(asset.type).header('cache-control', 'public, max-age=300').send(asset.body);
  });

  const t = translator(ctx.locale);
  const now = ctx.now ?? Date.now;
  // Wrong tokens by client address (request.ip: X-Forwarded-For only with TRUST_PROXY): after
  // SIGN_IN_FAILURES_ALLOWED, wrong tokens from it are refused with 429 until SIGN_IN_LOCKOUT_MS
  // after its first failure. The right token always signs in: the lockout slows a guesser and never
  // locks out the owner, who may share the address (a proxy, the shop's network) with the guesser.
  const failures = new Map<string, { count: number; since: number }>();

  app.post<{ Body: { token?: string; next?: string } }>('/sign-in', { preHandler: checkCsrf }, async (request, reply) => {
    const token = typeof request.body?.token === 'string' ? request.body.token.trim() : '';
    const next = safeNext(request.body?.next);
    const at = now();
    let record = failures.get(request.ip);
    if (record && at - record.since >= SIGN_IN_LOCKOUT_MS) {
      failures.delete(request.ip);
      record = undefined;
    }
    const right = tokensMatch(token, ctx.adminToken);
    if (!right && record && record.count >= SIGN_IN_FAILURES_ALLOWED) {
      const minutes = Math.max(1, Math.ceil((record.since + SIGN_IN_LOCKOUT_MS - at) / 60_000));
      return signInPage(reply.status(429).header('retry-after', String(minutes * 60)), ctx, { wrong: false, locked: t('page.sign_in.locked', { minutes }), next });
    }
    if (!right) {
      if (record) record.count += 1;
      else {
        if (failures.size >= SIGN_IN_CLIENTS_KEPT) failures.delete(failures.keys().next().value!);
        failures.set(request.ip, { count: 1, since: at });
      }
      return signInPage(reply.status(401), ctx, { wrong: true, next });
    }
    // The failures from this address are kept: the owner signing in does not reopen guessing from it.
    // A new session for this browser: a leaked cookie is not the admin token, and signing out ends it.
    const id = crypto.randomBytes(32).toString('base64url');
    const wall = (ctx.wallNow ?? Date.now)();
    ctx.sessions.open({ idHash: sha256(id), tokenFingerprint: fingerprint(ctx.adminToken), expiresAt: wall + SESSION_MS }, wall);
    return reply
      .setCookie(SESSION_COOKIE, id, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        maxAge: COOKIE_MAX_AGE_S,
      })
      .redirect(next, 303);
  });

  app.post('/sign-out', { preHandler: checkCsrf }, async (request, reply) => {
    const id = request.cookies[SESSION_COOKIE];
    if (id !== undefined) ctx.sessions.close(sha256(id));
    return reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' }).redirect('/connect', 303);
  });
}

/** Signed in by the cookie, or by the API's bearer token (for scripts and tests). */
export function isSignedIn(request: FastifyRequest, ctx: PageContext): boolean {
  const { adminToken } = ctx;
  const id = request.cookies[SESSION_COOKIE];
  if (id !== undefined && id.length <= 100 && ctx.sessions.isOpen(sha256(id), fingerprint(adminToken), (ctx.wallNow ?? Date.now)())) return true;
  const given = bearerToken(request.headers.authorization);
  return given !== undefined && tokensMatch(given, adminToken);
}

/** A preHandler for pages: not signed in gets the sign-in form (401), which comes back here after. */
export function requireSignIn(ctx: PageContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (isSignedIn(request, ctx)) return;
    const wantsJson = (request.headers.accept ?? '').includes('application/json');
    if (wantsJson || request.method !== 'GET') {
      await reply.status(401).send({ error: { code: 'unauthorized', message: translate(ctx.locale, 'error.unauthorized') } });
      return;
    }
    await signInPage(reply.status(401), ctx, { wrong: false, next: safeNext(request.url) });
  };
}

/** The sign-in form, saying where the token is (the demo's terminal, or the service's file or variable). */
function signInPage(reply: FastifyReply, ctx: PageContext, data: { wrong: boolean; locked?: string; next: string }) {
  return renderPage(reply, ctx, 'sign-in', {
    title: translate(ctx.locale, 'page.title.sign_in'),
    intro: translate(ctx.locale, ctx.adminTokenHint === 'demo' ? 'page.sign_in.intro_demo' : 'page.sign_in.intro'),
    locked: null,
    signedIn: false,
    ...data,
  });
}

/**
 * Renders a template in the layout. `data.title` names the page; `data.nav`
 * (a NAV path) marks the current menu entry. Every page gets `t`, the form
 * token `csrf`, the menu and, signed in, the WhatsApp limits banner.
 */
export function renderPage(reply: FastifyReply, ctx: PageContext, template: string, data: Record<string, unknown>) {
  const t = translator(ctx.locale);
  const menu = NAV.filter((entry) => !entry.simulatorOnly || ctx.simulator).map((entry) => ({ path: entry.path, name: t(entry.key) }));
  // Only signed-in pages say anything about the account: the sign-in form tells a stranger nothing.
  const banner = data.signedIn === false ? null : (ctx.banner?.() ?? null);
  return reply
    .type('text/html; charset=utf-8')
    .view(template, { lang: ctx.locale, t, signedIn: true, csrf: formToken(reply), menu, nav: null, wide: false, banner, ...data });
}

/**
 * The form token of a page, bound to the session cookie the page was requested with; the secret
 * cookie it is checked against is set when missing, Secure when the page came over HTTPS.
 */
function formToken(reply: FastifyReply): string {
  const { request } = reply;
  // generateCsrf hands its options to setCookie too: userInfo is no cookie attribute @fastify/cookie knows, and is ignored.
  return reply.generateCsrf({ userInfo: csrfUserInfo(request), secure: request.protocol === 'https' });
}

/** What a form token is bound to: the hash of the session cookie sent with the request ("none" without one). */
function csrfUserInfo(request: FastifyRequest): string {
  const id = request.cookies[SESSION_COOKIE];
  return id === undefined || id === '' ? 'none' : sha256(`fregues-form:${id}`);
}

/**
 * For a scope of signed-in pages: every request needs the session (or the
 * bearer token), and every POST the form's CSRF token.
 */
export function guardPages(app: FastifyInstance, ctx: PageContext): void {
  app.addHook('preHandler', requireSignIn(ctx));
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') done();
    else app.csrfProtection(request, reply, done);
  });
}

/** Control characters (browsers drop some of them) and backslashes (some read them as slashes). */
function isUnsafeInPath(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f || char === '\\';
}

/** The first part of the path of every page: a `next` elsewhere (the API, /health, the static files) is refused. */
const PAGE_ROOTS = new Set(['', 'customers', 'flows', 'outbox', 'simulator', 'connect', 'docs', 'card', 'integrations', 'sales', 'campaigns']);
const ORIGIN = 'http://fregues.invalid';

/**
 * Only pages of this site, so that the sign-in form cannot send people
 * elsewhere: `next` is resolved against the service's own origin the way a
 * browser would (dot segments, backslashes, dropped tabs and newlines), and
 * kept only when it stays on that origin and is the path of a page. Anything
 * that needs decoding to be read (an encoded slash, backslash or dot) or holds
 * a character a browser drops or bends is refused rather than guessed: `/`.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.length > 2000) return '/';
  if ([...next].some(isUnsafeInPath) || /%(?:2f|5c|2e|[01][0-9a-f]|7f)/i.test(next.split(/[?#]/, 1)[0]!)) return '/';
  let url: URL;
  try {
    url = new URL(next, ORIGIN);
  } catch {
    return '/';
  }
  const path = url.pathname;
  if (url.origin !== ORIGIN || path.startsWith('//') || !PAGE_ROOTS.has(path.split('/')[1] ?? '')) return '/';
  return `${path}${url.search}`;
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** Which admin token a session was opened with: a new ADMIN_TOKEN ends every session. */
function fingerprint(adminToken: string): string {
  return sha256(`fregues-session:${adminToken}`);
}
