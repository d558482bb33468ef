import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's settings for answers that are data (JSON), not pages: nothing may
 * load or frame them, browsers must not guess their type, HTTPS is sticky and
 * no referrer leaks. Page-only headers (the long CSP of helmet's defaults,
 * X-DNS-Prefetch-Control, X-Download-Options, Origin-Agent-Cluster...) say
 * nothing about JSON; each header costs every answer about 2 µs of CPU.
 */
export const API_HEADERS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/**
 * The response headers helmet sets with `options`, computed once by running
 * helmet against a recording response.
 *
 * Why not @fastify/helmet: it builds helmet's whole middleware again on every
 * request. The headers are the same for every answer, so they are computed once.
 */
export function securityHeaders(options: HelmetOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  // helmet reports a bad option through `next(error)`; its errors are Error instances.
  if (failure !== undefined) throw failure as Error;
  return headers;
}

/** Sets the security headers on every answer of `app`, error and 404 answers included. */
export function installSecurityHeaders(app: FastifyInstance, options: HelmetOptions = API_HEADERS): void {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}

/**
 * helmet's full set, for pages (the data answers get the short set), less
 * upgrade-insecure-requests: fregues is often reached over plain HTTP (on
 * localhost, on the shop's network), where that directive sends the browser's
 * form posts to an https:// that does not exist. The pages' scope sets them, and
 * so does the root's 404 page (outside that scope).
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = securityHeaders({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
