import type { Reason, StopReason } from '../../domain/reasons.js';
import type { FlowContent } from '../../flows/steps/types.js';
import type { Database } from '../db.js';

/** last_error of a customer message the sender holds while the seller has paused that customer's automation. */
export const HELD_BY_SELLER_PAUSE = 'seller_pause' satisfies Reason;

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'unknown' | 'skipped' | 'expired';

export interface OutboxRow {
  id: number;
  dedupeKey: string;
  runId: number | null;
  stepId: string | null;
  customerId: number | null;
  /** customer: a flow's message; owner: an alert; notice: a reply the customer asked for (an opt-out's confirmation). */
  purpose: 'customer' | 'owner' | 'notice';
  toPhone: string;
  marketing: boolean;
  content: FlowContent;
  waId: string;
  status: OutboxStatus;
  dueAt: number;
  notBefore: number;
  expiresAt: number;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  claimedAt: number | null;
  finishedAt: number | null;
  /** How the message reached its customer, set when claimed (issue 18); null for the owner, notices, or not claimed yet. */
  contact: Contact | null;
}

/** reply: the customer wrote within a day; warm: they wrote before; cold: never (a new chat for WhatsApp). */
export type Contact = 'reply' | 'warm' | 'cold';

export type NewOutboxRow = Pick<
  OutboxRow,
  'dedupeKey' | 'runId' | 'stepId' | 'customerId' | 'purpose' | 'toPhone' | 'marketing' | 'content' | 'waId' | 'dueAt' | 'notBefore' | 'expiresAt'
> & {
  /**
   * 'expired': a step that came too late; 'skipped': a message a flow chose not to send to a cold
   * customer (cold_skipped). Both recorded (finished at once) and never sent. Default 'queued'.
   */
  status?: 'queued' | 'expired' | 'skipped';
  /** Why a skipped row was skipped; absent: cold_skipped. */
  skipReason?: Extract<Reason, 'cold_skipped' | 'no_review_url'>;
};

export interface OutboxRepository {
  /** Inserts what is new; a dedupe key seen before is ignored. Returns how many were new. */
  enqueue(rows: NewOutboxRow[], now: number): number;
  /** The queued message that may go first at `now`. */
  nextDue(now: number): OutboxRow | undefined;
  /** When the next queued message may go. */
  nextNotBefore(): number | null;
  /** queued → sending, with how it reaches the customer; false when another claim got there first. */
  claim(id: number, now: number, contact?: Contact | null): boolean;
  /** A final status, with why: a reason code (src/domain/reasons.ts) or the channel's own error as it came. */
  finish(id: number, status: Exclude<OutboxStatus, 'queued' | 'sending'>, now: number, error?: string | null): void;
  /**
   * sending → sent, after the channel took it; false when something settled the row meanwhile (a
   * 463 receipt that came before the channel's answer reached us).
   */
  finishSent(id: number, now: number): boolean;
  /** Back to the queue, not before `notBefore` (quiet hours, daily cap, a retry); a reason replaces the one stored, null keeps it. */
  defer(id: number, notBefore: number, reason?: Reason | null): void;
  /** sending → queued for a retry after a failure known not to have sent anything (the channel's error), or a handoff pause. */
  retry(id: number, notBefore: number, error: string): void;
  /** Messages that went, or may have gone ('unknown'), since a moment: what the daily cap counts. */
  countSentSince(purpose: 'customer' | 'owner', since: number): number;
  /**
   * Distinct customers a cold message was tried to since a moment (sent, of unknown outcome, or
   * refused: a refused new chat was a reach-out all the same): what the cold budget counts.
   */
  countColdCustomersSince(since: number): number;
  /** Whether a cold message went (or may have gone) to this customer since a moment: a second one spends nothing. */
  coldReachedSince(customerId: number, since: number): boolean;
  /** When the cold and warm messages to this customer since a moment went (sent or unknown): what the contact cap counts. */
  contactTimesSince(customerId: number, since: number): number[];
  /**
   * WhatsApp refused a cold message (463): its row, sent or of unknown outcome (or still being
   * sent), becomes failed with reason cold_refused. Returns the row so changed, or undefined when
   * no cold row of that id was still counted as gone.
   */
  refuseCold(waId: string, now: number): OutboxRow | undefined;
  /** Held rows (queued, last_error one of `reasons`, not_before later than `now`) become due at `now`: returns how many. */
  releaseHeld(reasons: readonly Reason[], now: number): number;
  /** Settles the still-queued customer messages of a run as 'skipped' (the run was superseded or stopped). */
  skipQueuedOfRun(runId: number, reason: StopReason, now: number): number;
  /** Rows claimed and never finished: a crash came between the claim and the result. */
  stuckSending(): OutboxRow[];
  /** A receipt proves an 'unknown' send went out. */
  confirmSent(waId: string, now: number): boolean;
  findByWaId(waId: string): OutboxRow | undefined;
  list(filter: { status?: OutboxStatus | undefined; limit: number; before?: number | undefined }): OutboxRow[];
  countByStatus(): Record<OutboxStatus, number>;
  find(id: number): OutboxRow | undefined;
  /**
   * Queued rows held past both their due time and `now` (quiet hours, days
   * off, the daily cap, a handoff pause, a retry's wait), newest first, ids
   * below `before`: the candidates for "waiting for the hours allowed".
   */
  heldQueued(now: number, before?: number): OutboxRow[];
  /** unknown → sent: the seller saw that it arrived. Its finished time stays. False when the row is not 'unknown'. */
  resolveUnknownAsSent(id: number, reason: Reason): boolean;
  /** unknown → failed: the seller treats it as not sent. False when the row is not 'unknown'. */
  resolveUnknownAsDiscarded(id: number, now: number, reason: Reason): boolean;
  /**
   * unknown → queued, to go again: under a new WhatsApp id (a resend under the
   * old one would be dropped by the customer's phone as already seen), due
   * now, expiring at `expiresAt`; same row and dedupe key, so nothing can
   * dedupe it away. A receipt for the old id no longer finds this row. False
   * when the row is not 'unknown'.
   */
  requeueUnknown(id: number, change: { waId: string; now: number; expiresAt: number; note: string }): boolean;
}

interface OutboxRecord extends Omit<OutboxRow, 'content' | 'marketing'> {
  content: string;
  marketing: number;
}

const COLUMNS =
  'id, dedupe_key AS dedupeKey, run_id AS runId, step_id AS stepId, customer_id AS customerId, purpose, to_phone AS toPhone, marketing, content, wa_id AS waId, status, due_at AS dueAt, not_before AS notBefore, expires_at AS expiresAt, attempts, last_error AS lastError, created_at AS createdAt, claimed_at AS claimedAt, finished_at AS finishedAt, contact';

function toRow(record: OutboxRecord): OutboxRow {
  return { ...record, marketing: record.marketing === 1, content: JSON.parse(record.content) as FlowContent };
}

export function createOutboxRepository(db: Database): OutboxRepository {
  const { sqlite } = db;
  // Positional, and the row passed field by field: every answer queues its next message here.
  const insert = sqlite.prepare<unknown[]>(
    `INSERT OR IGNORE INTO outbox (dedupe_key, run_id, step_id, customer_id, purpose, to_phone, marketing, content, wa_id, status, due_at, not_before, expires_at, created_at, finished_at, last_error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const nextDue = sqlite.prepare<[number], OutboxRecord>(
    `SELECT ${COLUMNS} FROM outbox WHERE status = 'queued' AND not_before <= ? ORDER BY not_before, id LIMIT 1`,
  );
  const nextNotBefore = sqlite.prepare<[], number | null>("SELECT min(not_before) FROM outbox WHERE status = 'queued'").pluck();
  const claim = sqlite.prepare<[number, string | null, number]>(
    "UPDATE outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1, contact = ? WHERE id = ? AND status = 'queued'",
  );
  // Through outbox_contact_idx (contact, finished_at): 'contact = ...' implies its 'contact IS NOT NULL'.
  const countCold = sqlite
    .prepare<[number], number>(
      "SELECT count(DISTINCT customer_id) FROM outbox WHERE contact = 'cold' AND finished_at >= ? AND status IN ('sent', 'unknown', 'failed')",
    )
    .pluck();
  const coldReached = sqlite
    .prepare<[number, number], number>(
      "SELECT 1 FROM outbox WHERE contact = 'cold' AND finished_at >= ? AND customer_id = ? AND status IN ('sent', 'unknown') LIMIT 1",
    )
    .pluck();
  const contactTimes = sqlite
    .prepare<[number, number], number>(
      "SELECT finished_at FROM outbox WHERE contact IN ('cold', 'warm') AND finished_at >= ? AND customer_id = ? AND status IN ('sent', 'unknown')",
    )
    .pluck();
  const refuseCold = sqlite.prepare<[string, number, string], OutboxRecord>(
    `UPDATE outbox SET status = 'failed', last_error = ?, finished_at = coalesce(finished_at, ?)
     WHERE wa_id = ? AND contact = 'cold' AND status IN ('sending', 'sent', 'unknown') RETURNING ${COLUMNS}`,
  );
  const finish = sqlite.prepare<[string, number, string | null, number]>('UPDATE outbox SET status = ?, finished_at = ?, last_error = ? WHERE id = ?');
  const finishSent = sqlite.prepare<[number, number]>("UPDATE outbox SET status = 'sent', finished_at = ?, last_error = NULL WHERE id = ? AND status = 'sending'");
  const defer = sqlite.prepare<[number, string | null, number]>("UPDATE outbox SET not_before = ?, last_error = coalesce(?, last_error) WHERE id = ? AND status = 'queued'");
  const retry = sqlite.prepare<[number, string, number]>("UPDATE outbox SET status = 'queued', not_before = ?, last_error = ? WHERE id = ? AND status = 'sending'");
  // Two counts so that each uses its partial index ('sent' rows are many, 'unknown' ones few). SQLite
  // uses a partial index only when the query repeats the index's WHERE term, hence the IN (...).
  const countSent = sqlite
    .prepare<{ purpose: string; since: number }, number>(
      `SELECT (SELECT count(*) FROM outbox WHERE status = 'sent' AND purpose = @purpose AND finished_at >= @since)
            + (SELECT count(*) FROM outbox WHERE status IN ('sending', 'unknown') AND status = 'unknown' AND purpose = @purpose AND finished_at >= @since)`,
    )
    .pluck();
  const skipQueued = sqlite.prepare<[number, string, number]>(
    "UPDATE outbox SET status = 'skipped', finished_at = ?, last_error = ? WHERE run_id = ? AND status = 'queued' AND purpose = 'customer'",
  );
  const stuck = sqlite.prepare<[], OutboxRecord>(`SELECT ${COLUMNS} FROM outbox WHERE status = 'sending' ORDER BY id`);
  const confirm = sqlite.prepare<[number, string]>("UPDATE outbox SET status = 'sent', finished_at = ?, last_error = NULL WHERE wa_id = ? AND status = 'unknown'");
  const byWaId = sqlite.prepare<[string], OutboxRecord>(`SELECT ${COLUMNS} FROM outbox WHERE wa_id = ?`);
  const counts = sqlite.prepare<[], { status: OutboxStatus; n: number }>('SELECT status, count(*) AS n FROM outbox GROUP BY status');
  const byId = sqlite.prepare<[number], OutboxRecord>(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`);
  // Through outbox_queue_idx (status = 'queued', not_before): only what waits for a later moment.
  const held = sqlite.prepare<{ now: number; before: number }, OutboxRecord>(
    `SELECT ${COLUMNS} FROM outbox WHERE status = 'queued' AND not_before > @now AND not_before > due_at AND id < @before ORDER BY id DESC`,
  );
  const resolveSent = sqlite.prepare<[string, number]>("UPDATE outbox SET status = 'sent', last_error = ? WHERE id = ? AND status = 'unknown'");
  const resolveDiscarded = sqlite.prepare<[number, string, number]>(
    "UPDATE outbox SET status = 'failed', finished_at = ?, last_error = ? WHERE id = ? AND status = 'unknown'",
  );
  const requeue = sqlite.prepare<{ id: number; waId: string; now: number; expiresAt: number; note: string }>(
    `UPDATE outbox SET status = 'queued', wa_id = @waId, due_at = @now, not_before = @now, expires_at = @expiresAt,
            claimed_at = NULL, finished_at = NULL, last_error = @note
     WHERE id = @id AND status = 'unknown'`,
  );

  return {
    enqueue: (rows, now) =>
      db.transaction(() => {
        let inserted = 0;
        for (const row of rows) {
          const expired = row.status === 'expired';
          const finished = expired || row.status === 'skipped';
          inserted += insert.run(
            row.dedupeKey,
            row.runId,
            row.stepId,
            row.customerId,
            row.purpose,
            row.toPhone,
            row.marketing ? 1 : 0,
            JSON.stringify(row.content),
            row.waId,
            row.status ?? 'queued',
            row.dueAt,
            row.notBefore,
            row.expiresAt,
            now,
            finished ? now : null,
            expired ? ('expired' satisfies Reason) : finished ? (row.skipReason ?? ('cold_skipped' satisfies Reason)) : null,
          ).changes;
        }
        return inserted;
      }),
    nextDue: (now) => {
      const record = nextDue.get(now);
      return record ? toRow(record) : undefined;
    },
    nextNotBefore: () => nextNotBefore.get() ?? null,
    claim: (id, now, contact = null) => claim.run(now, contact, id).changes === 1,
    finish: (id, status, now, error = null) => {
      finish.run(status, now, error, id);
    },
    finishSent: (id, now) => finishSent.run(now, id).changes === 1,
    defer: (id, notBefore, reason = null) => {
      defer.run(notBefore, reason, id);
    },
    retry: (id, notBefore, error) => {
      retry.run(notBefore, error, id);
    },
    countSentSince: (purpose, since) => countSent.get({ purpose, since }) ?? 0,
    countColdCustomersSince: (since) => countCold.get(since) ?? 0,
    coldReachedSince: (customerId, since) => coldReached.get(since, customerId) !== undefined,
    contactTimesSince: (customerId, since) => contactTimes.all(since, customerId),
    refuseCold: (waId, now) => {
      const record = refuseCold.get('cold_refused' satisfies Reason, now, waId);
      return record ? toRow(record) : undefined;
    },
    releaseHeld: (reasons, now) => {
      if (reasons.length === 0) return 0;
      const marks = reasons.map(() => '?').join(', ');
      return sqlite
        .prepare(`UPDATE outbox SET not_before = ? WHERE status = 'queued' AND not_before > ? AND last_error IN (${marks})`)
        .run(now, now, ...reasons).changes;
    },
    skipQueuedOfRun: (runId, reason, now) => skipQueued.run(now, reason, runId).changes,
    stuckSending: () => stuck.all().map(toRow),
    confirmSent: (waId, now) => confirm.run(now, waId).changes === 1,
    findByWaId: (waId) => {
      const record = byWaId.get(waId);
      return record ? toRow(record) : undefined;
    },
    list: ({ status, limit, before }) => {
      const where = [status ? 'status = @status' : null, before ? 'id < @before' : null].filter(Boolean).join(' AND ');
      const sql = `SELECT ${COLUMNS} FROM outbox ${where ? `WHERE ${where}` : ''} ORDER BY id DESC LIMIT @limit`;
      return (sqlite.prepare(sql).all({ status, before, limit }) as OutboxRecord[]).map(toRow);
    },
    countByStatus: () => {
      const result: Record<OutboxStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0, unknown: 0, skipped: 0, expired: 0 };
      for (const { status, n } of counts.all()) result[status] = n;
      return result;
    },
    find: (id) => {
      const record = byId.get(id);
      return record ? toRow(record) : undefined;
    },
    heldQueued: (now, before) => held.all({ now, before: before ?? Number.MAX_SAFE_INTEGER }).map(toRow),
    resolveUnknownAsSent: (id, reason) => resolveSent.run(reason, id).changes === 1,
    resolveUnknownAsDiscarded: (id, now, reason) => resolveDiscarded.run(now, reason, id).changes === 1,
    requeueUnknown: (id, change) => requeue.run({ id, ...change }).changes === 1,
  };
}
