import { DisconnectReason } from '@whiskeysockets/baileys';
import type { LinkErrorCode } from '../channel.js';

/** Why the channel went down, as the i18n key `whatsapp.detail.<reason>` explains it. */
export type DownReason = 'logged_out' | 'mismatch' | 'banned' | 'replaced' | 'outdated';

export type DisconnectDecision =
  /** Open a new socket after the delay; the session stays. */
  | { action: 'reconnect'; delayMs: number }
  /** WhatsApp refused our WhatsApp Web version (405): ask for the current one and reconnect with it, once. */
  | { action: 'update_version' }
  /** The phone unlinked us: forget the session and open a new socket, which shows a QR. */
  | { action: 'relink'; reason: Extract<DownReason, 'logged_out' | 'mismatch'> }
  /** Reconnecting would not help, or would make things worse: stay down and tell a person. */
  | { action: 'stop'; state: 'banned' | 'closed'; reason: Extract<DownReason, 'banned' | 'replaced' | 'outdated'> };

export const BACKOFF = { baseMs: 1_000, capMs: 60_000 } as const;

/**
 * What to do when WhatsApp closes the connection, by DisconnectReason (facts in
 * shared/notes/baileys-v7.md). `attempt` counts reconnects in a row that did
 * not reach 'open' (0 for the first); `random` is Math.random in production;
 * `versionUpdated`: a 405 already made the adapter fetch the current WhatsApp
 * Web version since the last 'open', so a second one in a row will not be helped.
 */
export function decideOnDisconnect(statusCode: number | undefined, attempt: number, random: () => number, versionUpdated = false): DisconnectDecision {
  switch (statusCode) {
    case DisconnectReason.restartRequired: // 515: normal right after pairing
      return { action: 'reconnect', delayMs: 0 };
    case DisconnectReason.loggedOut: // 401: logged out, or the device was removed on the phone
      return { action: 'relink', reason: 'logged_out' };
    case DisconnectReason.multideviceMismatch: // 411
      return { action: 'relink', reason: 'mismatch' };
    case DisconnectReason.forbidden: // 403: most likely banned; reconnecting makes it worse
      return { action: 'stop', state: 'banned', reason: 'banned' };
    case DisconnectReason.connectionReplaced: // 440: another process has the session
      return { action: 'stop', state: 'closed', reason: 'replaced' };
    case 405: // from CB:failure: the WhatsApp Web version we announced is too old (Baileys #2370)
      return versionUpdated ? { action: 'stop', state: 'closed', reason: 'outdated' } : { action: 'update_version' };
    case undefined:
    default:
      // 428, 408, 500, 503 and anything unknown: the network or WhatsApp hiccuped.
      return { action: 'reconnect', delayMs: backoffDelay(attempt, random) };
  }
}

/** Capped exponential backoff with jitter, so that restarts do not hammer WhatsApp in step. */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Errors of the operating system or of TLS, by Node's `code`, and what each says about reaching WhatsApp. */
const SYSTEM_CODES: Record<string, LinkErrorCode> = {
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'refused',
  EPIPE: 'refused',
  ETIMEDOUT: 'timed_out',
  ESOCKETTIMEDOUT: 'timed_out',
  CERT_NOT_YET_VALID: 'certificate',
  CERT_HAS_EXPIRED: 'certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate',
};

/**
 * What a connection that closed before any QR ran into, from the error Baileys
 * gives in `lastDisconnect`: a Boom whose `output.statusCode` is 408 for every
 * WebSocket error of the system (Baileys' getCodeFromWSError: ENOTFOUND,
 * ECONNREFUSED, "timed out"…) with that error as `data`, 428 for a connection
 * closed or lost, 503 and others from the server.
 */
export function classifyLinkError(error: unknown): { code: LinkErrorCode; statusCode: number | null } {
  const boom = error as { output?: { statusCode?: unknown }; data?: unknown; code?: unknown; message?: unknown } | null | undefined;
  const statusCode = typeof boom?.output?.statusCode === 'number' ? boom.output.statusCode : null;
  const cause = boom?.data as { code?: unknown; message?: unknown } | null | undefined;
  const systemCode = [cause?.code, boom?.code].find((code): code is string => typeof code === 'string');
  const known = systemCode === undefined ? undefined : SYSTEM_CODES[systemCode];
  if (known) return { code: known, statusCode };
  const text = [cause?.message, boom?.message].filter((part): part is string => typeof part === 'string').join(' ');
  if (/certificate|self[- ]signed/i.test(text)) return { code: 'certificate', statusCode };
  if (statusCode === DisconnectReason.timedOut || /timed out/i.test(text)) return { code: 'timed_out', statusCode };
  if (statusCode === DisconnectReason.connectionClosed) return { code: 'connection_closed', statusCode };
  if (statusCode === DisconnectReason.unavailableService) return { code: 'unavailable', statusCode };
  return { code: 'failed', statusCode };
}
