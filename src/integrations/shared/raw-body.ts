import type { FastifyInstance } from 'fastify';

/**
 * Makes the routes of this (encapsulated) plugin receive their bodies as the bytes that were
 * sent, whatever their content type: a webhook's signature is over those bytes, and is checked
 * before anything is parsed. Only the webhook routes get this; everything else keeps the
 * app's JSON parser.
 */
export function acceptRawBodies(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  const asReceived = (_request: unknown, body: Buffer, done: (error: null, body: Buffer) => void) => {
    done(null, body);
  };
  // By name too, for the content type every platform sends: Fastify finds a named parser at once,
  // where the catch-all is looked for again on every request.
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, asReceived);
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, asReceived);
}

/** The body as received; a request without one is an empty body (its signature still decides). */
export function rawBodyOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
