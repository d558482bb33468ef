import type { LightMyRequestResponse } from 'fastify';
import { TEST_TOKEN } from './app.js';
import { createShop, type Shop } from './shop.js';

/** A signed-in browser on the seller's pages, as app.inject sees it: session cookie, CSRF token and secret. */
export interface PagesClient {
  app: Shop;
  /** GET a page signed in (the session cookie). */
  get(url: string): Promise<LightMyRequestResponse>;
  /** POST a form signed in, with the form token every page's forms carry. */
  post(url: string, fields?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** The form token, for a test that builds its own request. */
  csrf: string;
  /** The cookies a signed-in browser sends with a form (session and CSRF secret). */
  cookies: Record<string, string>;
}

/** createShop, and a client that signed in and read a form token from a page, as a browser would. */
export async function openPages(options: Parameters<typeof createShop>[0] = {}): Promise<PagesClient> {
  const app = await createShop(options);
  // The sign-in form, its token and secret, then the session it opens.
  const page = await app.app.inject({ method: 'GET', url: '/connect' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const secret = page.cookies.find((cookie) => cookie.name === '_csrf')?.value;
  if (!csrf || !secret) throw new Error('no CSRF token on the sign-in form');
  const signIn = await app.app.inject({
    method: 'POST',
    url: '/sign-in',
    cookies: { _csrf: secret },
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, token: TEST_TOKEN }).toString(),
  });
  const session = signIn.cookies.find((cookie) => cookie.name === 'fregues_session')?.value;
  if (!session) throw new Error(`sign-in failed: ${signIn.statusCode}`);
  const cookies = { fregues_session: session, _csrf: secret };
  // Form tokens are bound to the session they were issued with: the signed-in pages' own token.
  const signedIn = await app.app.inject({ method: 'GET', url: '/connect', cookies });
  const token = /name="_csrf" value="([^"]+)"/.exec(signedIn.body)?.[1];
  if (!token) throw new Error('no CSRF token on a signed-in page');
  return {
    app,
    csrf: token,
    cookies,
    get: (url) => app.app.inject({ method: 'GET', url, cookies }),
    post: (url, fields = {}) =>
      app.app.inject({
        method: 'POST',
        url,
        cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
      }),
  };
}
