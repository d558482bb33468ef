import type { FastifyInstance } from 'fastify';
import type { ChannelStatus, WhatsAppLimits } from '../../channels/channel.js';
import type { Locale } from '../../i18n/index.js';
import { readPragmas, type Database } from '../../storage/db.js';
import { bearerToken, tokensMatch, unauthorized } from '../auth.js';
import { apiSchema } from '../openapi.js';
import { messageOf } from '../../domain/errors.js';
import { limitsState, presentLimits } from '../view-models/whatsapp-limits.js';

export interface HealthDeps {
  db: Database;
  channel: ChannelStatus;
  version: string;
  startedAt: number;
  /** The details (process, versions, database, the channel's detail) are for the admin token only. */
  adminToken: string;
  locale: Locale;
  /** WhatsApp's limits as last read (repos.whatsappLimits): a state for everyone, the numbers with the token. */
  limits: () => WhatsAppLimits;
  /** The service's clock: whether a time lock is still in force. */
  now: () => number;
}

/**
 * Public: says whether the service is up and the WhatsApp link's state, and
 * nothing else; with the admin token (Authorization: Bearer) also the process,
 * versions, database and the channel's detail. WhatsApp's limits are one word
 * without the token (whether new chats are allowed says little to a stranger,
 * and a monitor needs no more) and the numbers with it. 503 when the database does not
 * answer; 401 for a wrong token (counted by the rate limit, see app.ts).
 */
export function healthRoutes(deps: HealthDeps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const schema = apiSchema({
      tag: 'health',
      public: true,
      summary: 'Whether the service is up and the WhatsApp link’s state; the details with the token',
      response: {
        200: 'The database answers: `status` is `ok`, or `degraded` when WhatsApp is not linked or sending is paused. Without a token only `status` and `channel` (`kind`, `state`, `limits`: `ok`, `warning`, `capped` or `locked`, WhatsApp’s limits on new chats in one word); with `Authorization: Bearer` also `version`, `process`, `database`, the channel’s detail and `limitsRead` (`cap`, `lock`, `waVersion`, as in GET /api/whatsapp).',
        401: 'An `Authorization` header with a wrong token.',
        429: 'rate_limited: requests with an `Authorization` header count against API_RATE_LIMIT a minute from this address.',
        503: 'The database does not answer: `status` is `down`.',
      },
    });
    app.get('/health', { schema }, async (request, reply) => {
      const header = request.headers.authorization;
      const given = header === undefined ? undefined : bearerToken(header);
      if (header !== undefined && (given === undefined || !tokensMatch(given, deps.adminToken))) throw unauthorized(deps.locale);
      const database = checkDatabase(deps.db);
      void reply.status(database.ok ? 200 : 503).header('cache-control', 'no-store');
      const status = !database.ok ? 'down' : deps.channel.state === 'open' && !deps.channel.breaker.open ? 'ok' : 'degraded';
      // Read only while the database answers: the store is in it.
      const limits = database.ok ? deps.limits() : null;
      const limitsWord = limits === null ? null : limitsState(limits, deps.now());
      if (given === undefined) return { status, channel: { kind: deps.channel.kind, state: deps.channel.state, limits: limitsWord } };
      const memory = process.memoryUsage();
      return {
        status,
        version: deps.version,
        process: {
          pid: process.pid,
          node: process.version,
          uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
          rssBytes: memory.rss,
          heapUsedBytes: memory.heapUsed,
        },
        database,
        channel: {
          kind: deps.channel.kind,
          state: deps.channel.state,
          detail: deps.channel.stateDetail,
          sending: deps.channel.breaker.open ? 'paused' : 'allowed',
          pausedBecause: deps.channel.breaker.reason,
          pausedSince: deps.channel.breaker.since === null ? null : new Date(deps.channel.breaker.since).toISOString(),
          limits: limitsWord,
          limitsRead: limits === null ? null : presentLimits(limits),
        },
      };
    });
  };
}

function checkDatabase(db: Database): { ok: boolean; journalMode?: string; synchronous?: string; error?: string } {
  try {
    db.sqlite.prepare('SELECT 1').get();
    const pragmas = readPragmas(db.sqlite);
    return { ok: true, journalMode: pragmas.journalMode, synchronous: ['off', 'normal', 'full', 'extra'][pragmas.synchronous] ?? String(pragmas.synchronous) };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}
