import type { FastifyReply, FastifyRequest } from 'fastify';
import { Eta } from 'eta';
import { translate, translator, type Locale } from '../i18n/index.js';
import { packagePath } from '../package-path.js';
import { PAGE_HEADERS } from './security-headers.js';


/** Shown at most: an address can be kilobytes long. */
const PATH_SHOWN = 200;

/**
 * The site's layout and views outside @fastify/view, which only the pages'
 * scope has. Escaping by default, as there; the templates ship with the
 * package, so they are compiled once.
 */
const eta = new Eta({ autoEscape: true, views: packagePath('src', 'http', 'views'), cache: true });

/**
 * Whether `accept` (an Accept header) puts HTML first, as a browser's does
 * ("text/html,application/xhtml+xml,...;q=0.8"): text/html named, with a
 * quality above application/json's. No header, curl's "any type" and a tie
 * keep the API's JSON.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  let html = 0;
  let json = 0;
  for (const entry of accept.split(',')) {
    const [range = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    const weight = params.find((param) => param.startsWith('q='));
    const q = weight === undefined ? 1 : Number(weight.slice(2));
    if (!Number.isFinite(q)) continue;
    if (range === 'text/html') html = Math.max(html, q);
    else if (range === 'application/json') json = Math.max(json, q);
  }
  return html > 0 && html > json;
}

/** The part of the site a program talks to: an unknown address there is always answered in JSON. */
function isForPrograms(path: string): boolean {
  return ['/api', '/webhooks'].some((root) => path === root || path.startsWith(`${root}/`));
}

/** A browser asking for a page that does not exist: a GET outside /api and /webhooks that prefers HTML. */
export function asksForPage(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return request.method === 'GET' && !isForPrograms(path) && prefersHtml(request.headers.accept);
}

/**
 * The 404 page, in the site's layout and the configured locale: the address
 * asked for and a link to the Painel. It is drawn as for a visitor who is not
 * signed in (no menu, no banner), so it tells nobody whether they are.
 */
export function renderNotFoundPage(locale: Locale, request: FastifyRequest, reply: FastifyReply) {
  const t = translator(locale);
  const asked = request.url.split('?')[0] ?? '';
  const path = asked.length > PATH_SHOWN ? `${asked.slice(0, PATH_SHOWN)}…` : asked;
  const data = { lang: locale, t, title: translate(locale, 'page.title.not_found'), path, signedIn: false, menu: [], nav: null, wide: false, banner: null };
  const body = eta.render('./not-found', data);
  const html = eta.render('./layout', { ...data, body });
  // The pages' headers over the data answers' short set, whose `default-src 'none'` would block the stylesheet.
  return reply.status(404).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html);
}
