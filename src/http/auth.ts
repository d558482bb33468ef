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
 * Compares in constant time for tokens of the right length. The length of the
 * token is not a secret (a generated one is always 43 characters), so a token
 * of another length is refused at once.
 */
export function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * An onRequest hook that lets through only `Authorization: Bearer <token>`.
 * Callback style rather than async: it runs on every /api request.
 */
export function requireBearer(token: string, locale: Locale) {
  return (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (match?.[1] === undefined || !tokensMatch(match[1], token)) {
      done(
        new HttpError(401, 'unauthorized', translate(locale, 'error.unauthorized'), undefined, {
          'www-authenticate': 'Bearer realm="fregues"',
        }),
      );
      return;
    }
    done();
  };
}
