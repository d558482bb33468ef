import type { FastifyInstance } from 'fastify';
import type { ChannelStatus } from '../../channels/channel.js';
import { readPragmas, type Database } from '../../storage/db.js';
import { apiSchema } from '../openapi.js';

export interface HealthDeps {
  db: Database;
  channel: ChannelStatus;
  version: string;
  startedAt: number;
}

/**
 * Public: says whether the process, the database and the WhatsApp link work,
 * without revealing paths or data. 503 when the database does not answer.
 */
export function healthRoutes(deps: HealthDeps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const schema = apiSchema({
      tag: 'health',
      public: true,
      summary: 'Whether the process, the database and the WhatsApp link work',
      response: {
        200: 'The database answers: `status` is `ok`, or `degraded` when WhatsApp is not linked or sending is paused.',
        503: 'The database does not answer: `status` is `down`.',
      },
    });
    app.get('/health', { schema }, async (_request, reply) => {
      const database = checkDatabase(deps.db);
      const memory = process.memoryUsage();
      void reply.status(database.ok ? 200 : 503).header('cache-control', 'no-store');
      return {
        status: !database.ok ? 'down' : deps.channel.state === 'open' && !deps.channel.breaker.open ? 'ok' : 'degraded',
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
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
