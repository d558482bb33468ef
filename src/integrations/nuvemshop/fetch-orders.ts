import { messageOf } from '../../domain/errors.js';
import type { Clock } from '../../scheduler/clock.js';
import type { WebhookEvent, WebhookEventRepository } from '../../storage/repositories/webhook-events.js';
import type { ApiFailure, NuvemshopApi } from './nuvemshop-api.js';

/** When a failed fetch is tried again, and when it is given up. */
export interface RetryPolicy {
  /** The wait after the first failure; each next one doubles, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all (the first included) before the row is 'failed'. */
  maxAttempts: number;
  /** Past this age (from the webhook's arrival) a failure is final, whatever the count. */
  maxAgeMs: number;
}

// 30 s, 1, 2, 4 … min, then every 3 h: about ten hours of a store API down before giving up.
export const RETRY_POLICY: RetryPolicy = { firstDelayMs: 30_000, maxDelayMs: 3 * 3_600_000, maxAttempts: 12, maxAgeMs: 48 * 3_600_000 };

/** Rows fetched per pass: Nuvemshop allows bursts of 40 calls, then 2 a second. */
const BATCH = 10;

export interface OrderFetcherDeps {
  api: NuvemshopApi;
  events: WebhookEventRepository;
  clock: Clock;
  /** The fetched order into the record through the shared intake path, its row finished in the same commit. */
  settle: (order: Record<string, unknown>, row: WebhookEvent) => Promise<void>;
  policy?: RetryPolicy;
  log: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
}

export interface OrderFetcher {
  /** Fetches every order due now (pending, or retrying whose time came); one pass at a time. Returns how many rows it handled. */
  fetchDueOrders(): Promise<number>;
  /** Fetches this row's order now (right after its webhook was accepted), without waiting for the next tick. */
  fetchSoon(row: WebhookEvent): void;
  /** Resolves when every fetch started so far has stored its outcome. */
  settled(): Promise<void>;
  /** No new fetches; waits for those under way (before the database closes). */
  stop(): Promise<void>;
}

/**
 * The durable fetch of Nuvemshop orders: the webhook_events rows are the
 * state, so a fetch that failed, timed out or was cut by a restart is found
 * again by `due()` and tried with exponential backoff until it succeeds or
 * is given up ('failed' with the last reason). A row is never fetched twice
 * at the same time within this process.
 */
export function createOrderFetcher(deps: OrderFetcherDeps): OrderFetcher {
  const policy = deps.policy ?? RETRY_POLICY;
  const inFlight = new Map<number, Promise<void>>();
  let pass: Promise<number> | undefined;
  let stopped = false;

  function start(row: WebhookEvent): Promise<void> | undefined {
    if (stopped || inFlight.has(row.id)) return undefined;
    const work = handle(row)
      .catch((error: unknown) => {
        deps.log('error', 'a Nuvemshop order fetch could not be stored', { err: error, webhookEventId: row.id });
        // Counted as an attempt like any failure, so that a bug cannot make every tick try it forever.
        try {
          failed(row, { ok: false, reason: 'bad_answer', status: null, detail: messageOf(error), retry: true }, 'internal_error');
        } catch {
          // The database itself fails: the row stays due and is tried at the next tick.
        }
      })
      .finally(() => inFlight.delete(row.id));
    inFlight.set(row.id, work);
    return work;
  }

  async function handle(row: WebhookEvent): Promise<void> {
    if (row.orderRef === null) {
      deps.events.finish(row.id, 'failed', 'no_order', null, deps.clock.now());
      return;
    }
    const fetched = await deps.api.fetchOrder(row.orderRef);
    if (!fetched.ok) {
      failed(row, fetched);
      return;
    }
    await deps.settle(fetched.value, row);
  }

  function failed(row: WebhookEvent, failure: ApiFailure, reason = reasonOf(failure)): void {
    const now = deps.clock.now();
    const attempts = row.attempts + 1;
    const details = { webhookEventId: row.id, order: row.orderRef, attempts, detail: failure.detail };
    if (!failure.retry || attempts >= policy.maxAttempts || now - row.receivedAt >= policy.maxAgeMs) {
      deps.events.finish(row.id, 'failed', reason, null, now);
      deps.log('error', 'a Nuvemshop order could not be fetched: given up', details);
      return;
    }
    const at = now + backoffDelay(attempts, policy);
    deps.events.scheduleRetry(row.id, at, reason);
    deps.log('warn', 'a Nuvemshop order could not be fetched: will try again', { ...details, at: new Date(at).toISOString() });
  }

  return {
    fetchDueOrders: () => {
      pass ??= (async () => {
        if (stopped) return 0;
        const rows = deps.events.due(deps.clock.now(), BATCH).filter((row) => row.platform === 'nuvemshop');
        const started = rows.map(start).filter((work) => work !== undefined);
        await Promise.all(started);
        return started.length;
      })().finally(() => {
        pass = undefined;
      });
      return pass;
    },
    fetchSoon: (row) => {
      void start(row);
    },
    settled: async () => {
      while (inFlight.size > 0 || pass) {
        await Promise.all([...inFlight.values(), pass]);
      }
    },
    stop: async () => {
      stopped = true;
      await Promise.all([...inFlight.values(), pass]);
    },
  };
}

/** The wait before attempt `failures + 1`: doubling from firstDelayMs, capped. */
export function backoffDelay(failures: number, policy: RetryPolicy = RETRY_POLICY): number {
  return Math.min(policy.firstDelayMs * 2 ** Math.max(0, failures - 1), policy.maxDelayMs);
}

/** The code stored on the row (the Integrações page words it: src/http/view-models/integrations.ts); the detail goes to the log. */
function reasonOf(failure: ApiFailure): string {
  switch (failure.reason) {
    case 'timeout':
      return 'api_timeout';
    case 'unreachable':
      return 'api_unreachable';
    case 'not_found':
      return 'order_not_found';
    case 'bad_answer':
      return 'api_error';
    case 'http_error':
      return failure.status === 401 || failure.status === 403 ? 'api_unauthorized' : `api_error: ${failure.status}`;
  }
}
