import { afterEach, describe, expect, it } from 'vitest';
import { translate, type Locale } from '../../src/i18n/index.js';
import { prefersHtml } from '../../src/http/not-found-page.js';
import { securityHeaders } from '../../src/http/security-headers.js';
import { TEST_TOKEN } from '../helpers/app.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

// A browser that asks for an address that is no page gets a page in the site's layout; programs
// (no Accept, curl's */*, JSON first, /api, /webhooks, anything but GET) keep the JSON 404.

/** What Chromium and Firefox send when the address bar is followed. */
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let client: PagesClient | undefined;
afterEach(async () => {
  await client?.app.close();
  client = undefined;
});

async function open(locale: Locale = 'pt-BR'): Promise<PagesClient> {
  client = await openPages({ env: { LOCALE: locale } });
  return client;
}

describe('an unknown address asked by a browser', () => {
  it('is a 404 page in the layout and the locale, with the address asked for and a link to the Painel', async () => {
    const { app } = await open();
    const response = await app.app.inject({ method: 'GET', url: '/clientes?busca=ana', headers: { accept: BROWSER } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<html lang="pt-BR">');
    expect(response.body).toContain('<title>Página não encontrada · fregues</title>');
    expect(response.body).toContain('<h1>Página não encontrada</h1>');
    expect(response.body).toContain('<link rel="stylesheet" href="/assets/fregues.css">');
    expect(response.body).toContain('<code>/clientes</code>');
    expect(response.body).not.toContain('busca=ana');
    expect(response.body).toContain('<a href="/">Ir para o Painel</a>');
  });

  it('escapes the address it shows', async () => {
    const { app } = await open();
    const response = await app.app.inject({ method: 'GET', url: "/promo&x'<script>alert(1)</script>", headers: { accept: BROWSER } });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('/promo&amp;x&#39;');
    expect(response.body).not.toContain('<script');
  });

  it('shows at most 200 characters of a long address', async () => {
    const { app } = await open();
    const response = await app.app.inject({ method: 'GET', url: `/${'a'.repeat(1000)}`, headers: { accept: BROWSER } });
    expect(response.body).toContain(`<code>/${'a'.repeat(199)}…</code>`);
  });

  it('is the same page signed in or not: no menu, no sign-out, no banner', async () => {
    const { app, cookies } = await open();
    const anonymous = await app.app.inject({ method: 'GET', url: '/nada', headers: { accept: BROWSER } });
    const signedIn = await app.app.inject({ method: 'GET', url: '/nada', cookies, headers: { accept: BROWSER } });
    const byToken = await app.app.inject({ method: 'GET', url: '/nada', headers: { accept: BROWSER, authorization: `Bearer ${TEST_TOKEN}` } });
    expect(anonymous.body).not.toContain('<nav');
    expect(anonymous.body).not.toContain('/sign-out');
    expect(signedIn.body).toBe(anonymous.body);
    expect(byToken.body).toBe(anonymous.body);
    // The page sets no cookie (no form token, no session).
    expect(signedIn.cookies).toEqual([]);
  });

  it('carries the pages’ security headers, not the data answers’ (whose CSP would block the stylesheet)', async () => {
    const { app } = await open();
    const page = await app.app.inject({ method: 'GET', url: '/nada', headers: { accept: BROWSER } });
    const signIn = await app.app.inject({ method: 'GET', url: '/connect', headers: { accept: BROWSER } });
    expect(signIn.statusCode).toBe(401);
    for (const name of Object.keys(securityHeaders())) expect(page.headers[name], name).toBe(signIn.headers[name]);
    expect(page.headers['content-security-policy']).toContain("style-src 'self'");
  });

  it.each(['en', 'es'] as Locale[])('speaks %s when LOCALE says so', async (locale) => {
    const { app } = await open(locale);
    const response = await app.app.inject({ method: 'GET', url: '/nada', headers: { accept: BROWSER } });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain(`<html lang="${locale}">`);
    expect(response.body).toContain(`<h1>${translate(locale, 'page.title.not_found')}</h1>`);
    expect(response.body).toContain(`<a href="/">${translate(locale, 'page.not_found.back')}</a>`);
    expect(response.body).not.toContain(translate('pt-BR', 'page.title.not_found'));
  });
});

describe('an unknown address asked by a program', () => {
  const JSON_404 = (method: string, url: string) => ({ error: { code: 'not_found', message: `Rota não encontrada: ${method} ${url}` } });

  it.each([
    ['no Accept', {}],
    ['curl’s */*', { accept: '*/*' }],
    ['JSON', { accept: 'application/json' }],
    ['JSON and HTML alike', { accept: 'application/json, text/html' }],
    ['JSON above HTML', { accept: 'text/html;q=0.5, application/json' }],
  ] as const)('keeps the JSON 404 with %s', async (_name, headers) => {
    const { app } = await open();
    const response = await app.app.inject({ method: 'GET', url: '/nada?x=1', headers });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual(JSON_404('GET', '/nada'));
    expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it.each(['HEAD', 'POST', 'DELETE'] as const)('keeps the JSON 404 for %s, whatever the Accept', async (method) => {
    const { app } = await open();
    const response = await app.app.inject({ method, url: '/nada', headers: { accept: BROWSER } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    if (method !== 'HEAD') expect(response.json()).toEqual(JSON_404(method, '/nada'));
  });

  it.each(['/webhooks/nada', '/webhooks/shopify', '/webhooks'])('keeps the JSON 404 for GET %s from a browser', async (url) => {
    const { app } = await open();
    const response = await app.app.inject({ method: 'GET', url, headers: { accept: BROWSER } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual(JSON_404('GET', url));
  });

  it('keeps the API’s own answers under /api from a browser: 401 without the token, the JSON 404 with it', async () => {
    const { app } = await open();
    const anonymous = await app.app.inject({ method: 'GET', url: '/api/nada', headers: { accept: BROWSER } });
    expect(anonymous.statusCode).toBe(401);
    const response = await app.api({ method: 'GET', url: '/api/nada', headers: { accept: BROWSER } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual(JSON_404('GET', '/api/nada'));
  });
});

describe('prefersHtml', () => {
  it.each([
    [BROWSER, true],
    ['text/html', true],
    ['TEXT/HTML; charset=utf-8', true],
    ['application/json;q=0.5, text/html', true],
    [undefined, false],
    ['', false],
    ['*/*', false],
    ['text/*', false],
    ['application/json', false],
    ['application/json, text/html', false],
    ['text/html;q=0', false],
    ['text/html;q=oops', false],
  ])('%s → %s', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });
});
