import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { translate, type Locale } from '../i18n/index.js';
import { HttpError } from './errors.js';

export interface AdminTokenSource {
  token: string;
  /** Where it came from: the environment, or the file it was read from or written to. */
  origin: { kind: 'env' } | { kind: 'file'; file: string; created: boolean };
}

/**
 * ADMIN_TOKEN when set; otherwise the token kept in DATA_DIR, generated (32
 * random bytes) on the first start and readable only by its owner.
 */
export function resolveAdminToken(envToken: string | undefined, file: string): AdminTokenSource {
  if (envToken !== undefined) return { token: envToken, origin: { kind: 'env' } };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const token = crypto.randomBytes(32).toString('base64url');
  try {
    fs.writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
    return { token, origin: { kind: 'file', file, created: true } };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A copy or restore may have widened the file's mode: a token readable by others is no secret.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const stored = fs.readFileSync(file, 'utf8').trim();
  if (stored.length < 24) throw new Error(`${file}: the stored admin token is shorter than 24 characters; delete the file to generate a new one`);
  return { token: stored, origin: { kind: 'file', file, created: false } };
}

/**
 * Compares in constant time, whatever the lengths: both sides are hashed to
 * 32 bytes first, so neither the content nor the length of the expected token
 * shows in how long the comparison takes.
 */
export function tokensMatch(given: string, expected: string): boolean {
  return tokenMatcher(expected)(given);
}

/**
 * tokensMatch with the expected token hashed once, for a check made on every
 * request: each request then hashes only the token it was given (one-shot
 * `crypto.hash`, a third of what two `createHash` objects cost).
 */
export function tokenMatcher(expected: string): (given: string) => boolean {
  const digest = digestOf(expected);
  return (given) => crypto.timingSafeEqual(digestOf(given), digest) && given.length > 0;
}

function digestOf(token: string): Buffer {
  return crypto.hash('sha256', token, 'buffer');
}

/** The token of an `Authorization: Bearer <token>` header ("Bearer" in any case); undefined for any other header. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')?.[1];
}

/** The 401 of a missing or wrong token, with the header that names the scheme. */
export function unauthorized(locale: Locale): HttpError {
  return new HttpError(401, 'unauthorized', translate(locale, 'error.unauthorized'), undefined, {
    'www-authenticate': 'Bearer realm="fregues"',
  });
}

/**
 * An onRequest hook that lets through only `Authorization: Bearer <token>`.
 * Callback style rather than async: it runs on every /api request. It must be
 * added after the rate limiter's hook, so that failed attempts are counted too.
 */
export function requireBearer(token: string, locale: Locale) {
  const matches = tokenMatcher(token);
  const remembered = acceptedPerConnection();
  return (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void => {
    const header = request.headers.authorization;
    const connection: object | undefined = request.raw.socket ?? undefined;
    if (remembered.accepts(connection, header)) {
      done();
      return;
    }
    const given = bearerToken(header);
    if (given === undefined || !matches(given)) {
      done(unauthorized(locale));
      return;
    }
    remembered.accepted(connection, header!);
    done();
  };
}

/** Headers up to this many bytes are remembered per connection (a bearer header is about 50). */
const REMEMBERED_BYTES = 256;

/**
 * The Authorization header last accepted on each connection: a client that keeps its connection
 * open (a store's integration posting purchases) has its token hashed once, not on every request
 * (1.7 µs each under the intake's load). A header is held against the one remembered for its own
 * connection, both written into the same fixed number of bytes with their length, and compared with
 * timingSafeEqual: how long it takes tells nothing of either one, even when a proxy carries several
 * clients' requests on one connection.
 */
function acceptedPerConnection() {
  const remembered = new WeakMap<object, Buffer>();
  const scratch = Buffer.alloc(REMEMBERED_BYTES);
  const fill = (header: string): boolean => {
    if (header.length > REMEMBERED_BYTES - 2) return false;
    scratch.fill(0);
    scratch.writeUInt16BE(header.length, 0);
    scratch.write(header, 2, 'latin1');
    return true;
  };
  return {
    accepts(connection: object | undefined, header: string | undefined): boolean {
      const known = connection === undefined ? undefined : remembered.get(connection);
      return known !== undefined && header !== undefined && fill(header) && crypto.timingSafeEqual(scratch, known);
    },
    accepted(connection: object | undefined, header: string): void {
      if (connection !== undefined && fill(header)) remembered.set(connection, Buffer.from(scratch));
    },
  };
}
