import type { Database } from '../db.js';

export type WebhookPlatform = 'nuvemshop' | 'shopify' | 'woocommerce';
export const WEBHOOK_PLATFORMS: readonly WebhookPlatform[] = ['nuvemshop', 'shopify', 'woocommerce'];

/**
 * pending: accepted, its work not done yet (the Nuvemshop order fetch); retrying: that work failed
 * and waits for next_attempt_at; the others are final.
 */
export type WebhookStatus = 'pending' | 'recorded' | 'duplicate' | 'skipped' | 'retrying' | 'failed';

/** A webhook a store platform sent, as received, and what became of it. */
export interface WebhookEvent {
  id: number;
  platform: WebhookPlatform;
  topic: string;
  /** The platform's own order id, as text; null when the body named none. */
  orderRef: string | null;
  receivedAt: number;
  /**
   * The raw body, as received (what a replay runs again), while a replay could still change what
   * it became; null once its order is a purchase (keepsBody).
   */
  body: string | null;
  status: WebhookStatus;
  /** A code ("no_phone", "topic_ignored", …) or null. */
  reason: string | null;
  purchaseId: number | null;
  attempts: number;
  nextAttemptAt: number | null;
  finishedAt: number | null;
}

/** A stored webhook without its body: what a list of them shows. */
export type WebhookEventSummary = Omit<WebhookEvent, 'body'>;

export interface NewWebhookEvent {
  platform: WebhookPlatform;
  topic: string;
  orderRef: string | null;
  body: string;
  receivedAt: number;
  /** Default 'pending'; a webhook handled at once is recorded with its final status. */
  status?: WebhookStatus;
  reason?: string | null;
  purchaseId?: number | null;
  /** When the pending work is due (default: at once, receivedAt) — only for pending rows. */
  nextAttemptAt?: number | null;
}

export interface WebhookEventRepository {
  record(event: NewWebhookEvent): WebhookEvent;
  /** A final outcome: the row leaves the retry queue and counts one more attempt. */
  finish(id: number, status: Exclude<WebhookStatus, 'pending' | 'retrying'>, reason: string | null, purchaseId: number | null, now: number): void;
  /** The work failed: tried again at `at`, with why it failed. */
  scheduleRetry(id: number, at: number, reason: string): void;
  /** Pending and retrying rows due at `now`, oldest due first. */
  due(now: number, limit: number): WebhookEvent[];
  /** The last webhooks received, newest first, of one platform or of all; their bodies are not read. */
  listRecent(platform: WebhookPlatform | undefined, limit: number): WebhookEventSummary[];
  find(id: number): WebhookEvent | undefined;
}

/**
 * Whether a webhook with this status keeps its body. One whose order became a purchase (recorded)
 * or found it (duplicate) does not: a replay could only find that purchase again, the purchase
 * holds what fregues uses, and the rest of a platform's order (addresses, e-mails, notes) is
 * personal data kept for nothing.
 */
export function keepsBody(status: WebhookStatus): boolean {
  return status !== 'recorded' && status !== 'duplicate';
}

const SUMMARY_COLUMNS = `id, platform, topic, order_ref AS orderRef, received_at AS receivedAt, status, reason,
  purchase_id AS purchaseId, attempts, next_attempt_at AS nextAttemptAt, finished_at AS finishedAt`;
const COLUMNS = `${SUMMARY_COLUMNS}, body`;

export function createWebhookEventRepository(db: Database): WebhookEventRepository {
  const { sqlite } = db;
  const insert = sqlite.prepare<[string, string, string | null, number, string | null, string, string | null, number | null, number, number | null, number | null]>(
    `INSERT INTO webhook_events (platform, topic, order_ref, received_at, body, status, reason, purchase_id, attempts, next_attempt_at, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byId = sqlite.prepare<[number], WebhookEvent>(`SELECT ${COLUMNS} FROM webhook_events WHERE id = ?`);
  const finish = sqlite.prepare<[string, string | null, number | null, number, number, number]>(
    `UPDATE webhook_events SET status = ?, reason = ?, purchase_id = ?, attempts = attempts + 1, next_attempt_at = NULL, finished_at = ?,
       body = CASE WHEN ? THEN body END
     WHERE id = ?`,
  );
  const retry = sqlite.prepare<[number, string, number]>(
    `UPDATE webhook_events SET status = 'retrying', next_attempt_at = ?, reason = ?, attempts = attempts + 1 WHERE id = ?`,
  );
  // Matches webhook_events_due_idx (its WHERE is repeated so that SQLite may use it).
  const due = sqlite.prepare<[number, number], WebhookEvent>(
    `SELECT ${COLUMNS} FROM webhook_events WHERE status IN ('pending', 'retrying') AND next_attempt_at <= ?
     ORDER BY next_attempt_at, id LIMIT ?`,
  );
  const recentOf = sqlite.prepare<[string, number], WebhookEventSummary>(
    `SELECT ${SUMMARY_COLUMNS} FROM webhook_events WHERE platform = ? ORDER BY received_at DESC, id DESC LIMIT ?`,
  );
  const recentAll = sqlite.prepare<[number], WebhookEventSummary>(
    `SELECT ${SUMMARY_COLUMNS} FROM webhook_events ORDER BY received_at DESC, id DESC LIMIT ?`,
  );

  return {
    record: (event) => {
      const status = event.status ?? 'pending';
      const open = status === 'pending' || status === 'retrying';
      const nextAttemptAt = open ? (event.nextAttemptAt ?? event.receivedAt) : null;
      const finishedAt = open ? null : event.receivedAt;
      const row = {
        platform: event.platform,
        topic: event.topic,
        orderRef: event.orderRef,
        receivedAt: event.receivedAt,
        body: keepsBody(status) ? event.body : null,
        status,
        reason: event.reason ?? null,
        purchaseId: event.purchaseId ?? null,
        // Handled at once: that was its one attempt.
        attempts: open ? 0 : 1,
        nextAttemptAt,
        finishedAt,
      };
      const { lastInsertRowid } = insert.run(
        row.platform,
        row.topic,
        row.orderRef,
        row.receivedAt,
        row.body,
        row.status,
        row.reason,
        row.purchaseId,
        row.attempts,
        row.nextAttemptAt,
        row.finishedAt,
      );
      // Every webhook writes one: not read back.
      return { id: Number(lastInsertRowid), ...row };
    },
    finish: (id, status, reason, purchaseId, now) => {
      finish.run(status, reason, purchaseId, now, keepsBody(status) ? 1 : 0, id);
    },
    scheduleRetry: (id, at, reason) => {
      retry.run(at, reason, id);
    },
    due: (now, limit) => due.all(now, limit),
    listRecent: (platform, limit) => (platform ? recentOf.all(platform, limit) : recentAll.all(limit)),
    find: (id) => byId.get(id),
  };
}
