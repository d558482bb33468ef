import { asc, eq, sql } from 'drizzle-orm';
import type { Message, MessageDirection, MessageStatus } from '../../domain/customer.js';
import type { Database } from '../db.js';
import { messages } from '../schema.js';

export interface NewMessage {
  customerId: number | null;
  direction: MessageDirection;
  waId: string;
  kind: string;
  text: string | null;
  payload?: unknown;
  status: MessageStatus;
  sentAt?: number | null;
}

export type RecordResult = { recorded: true; message: Message } | { recorded: false; existing: Message };

export interface StatusChange {
  status: MessageStatus;
  at: number;
  error?: string | null;
  /** Merged into the stored payload (what the channel asked to keep, for a poll its options). */
  keep?: Record<string, unknown> | null;
}

/**
 * How far a message has got. Receipts arrive out of order and twice; a status
 * only moves forward. 'failed' and 'unknown' can follow anything short of
 * delivered (a 463 arrives after the server's acknowledgement).
 */
const PROGRESS: Record<MessageStatus, number> = {
  queued: 0,
  sending: 1,
  unknown: 2,
  failed: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  received: 5,
};

/** Ends the error of a failed message that will be tried again. */
export const RETRY_SUFFIX = ' (will retry)';

export function moveStatus(current: MessageStatus, next: MessageStatus): boolean {
  if (next === 'failed' || next === 'unknown') return PROGRESS[current] <= PROGRESS.sent && current !== next;
  return PROGRESS[next] > PROGRESS[current];
}

export interface MessageRepository {
  /** Stores a message once: a second message with the same WhatsApp id is reported, not stored. */
  record(input: NewMessage, now: number): RecordResult;
  findByWaId(waId: string): Message | undefined;
  /** A message whose earlier attempt failed without leaving the phone goes out again: back to 'sending'. */
  restartSending(waId: string): void;
  /** Applies a status change if it moves the message forward; returns the message after it. */
  changeStatus(waId: string, change: StatusChange): Message | undefined;
  /**
   * A message that failed and waited for another attempt (its error ends with RETRY_SUFFIX) will
   * have none: its error says why, and what the last attempt met.
   */
  giveUp(waId: string, reason: string): void;
  listByCustomer(customerId: number): Message[];
  /** When the customer's latest message was stored; null when they never wrote (or it was erased). */
  lastInboundAt(customerId: number): number | null;
}

type MessageRow = typeof messages.$inferSelect;

function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    customerId: row.customerId,
    direction: row.direction,
    waId: row.waId,
    kind: row.kind,
    text: row.text,
    payload: row.payload === null ? null : (JSON.parse(row.payload) as unknown),
    status: row.status,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    deliveredAt: row.deliveredAt,
    readAt: row.readAt,
    error: row.error,
  };
}

export function createMessageRepository(db: Database): MessageRepository {
  const { orm } = db;
  const p = sql.placeholder;
  const byWaId = orm.select().from(messages).where(eq(messages.waId, p('waId'))).prepare();
  // By hand rather than through drizzle: every inbound message and every send passes here.
  const insert = db.sqlite
    .prepare<[number | null, MessageDirection, string, string, string | null, string | null, MessageStatus, number, number | null], number>(
      `INSERT INTO messages (customer_id, direction, wa_id, kind, text, payload, status, created_at, sent_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (wa_id) DO NOTHING RETURNING id`,
    )
    .pluck();
  const giveUp = db.sqlite.prepare<[string, string]>(
    `UPDATE messages SET error = ? || ' (last attempt: ' || substr(error, 1, length(error) - ${RETRY_SUFFIX.length}) || ')'
     WHERE wa_id = ? AND status = 'failed' AND substr(error, -${RETRY_SUFFIX.length}) = '${RETRY_SUFFIX}'`,
  );

  // Through messages_customer_idx (customer_id, created_at).
  const lastInbound = db.sqlite
    .prepare<[number], number | null>("SELECT max(created_at) FROM messages WHERE customer_id = ? AND direction = 'in'")
    .pluck();

  return {
    record: (input, now) => {
      const payload = input.payload === undefined || input.payload === null ? null : JSON.stringify(input.payload);
      const sentAt = input.sentAt ?? null;
      const id = insert.get(input.customerId, input.direction, input.waId, input.kind, input.text, payload, input.status, now, sentAt);
      if (id !== undefined) {
        const message: Message = {
          id,
          customerId: input.customerId,
          direction: input.direction,
          waId: input.waId,
          kind: input.kind,
          text: input.text,
          // As read back from the row: what JSON keeps of it.
          payload: payload === null ? null : (JSON.parse(payload) as unknown),
          status: input.status,
          createdAt: now,
          sentAt,
          deliveredAt: null,
          readAt: null,
          error: null,
        };
        return { recorded: true, message };
      }
      const existing = byWaId.get({ waId: input.waId });
      if (!existing) throw new Error(`message ${input.waId} neither inserted nor found`);
      return { recorded: false, existing: toMessage(existing) };
    },
    findByWaId: (waId) => {
      const row = byWaId.get({ waId });
      return row ? toMessage(row) : undefined;
    },
    restartSending: (waId) => {
      orm.update(messages).set({ status: 'sending', error: null }).where(eq(messages.waId, waId)).run();
    },
    changeStatus: (waId, change) => {
      const row = byWaId.get({ waId });
      if (!row) return undefined;
      if (!moveStatus(row.status, change.status)) return toMessage(row);
      const stamp =
        change.status === 'sent'
          ? { sentAt: row.sentAt ?? change.at }
          : change.status === 'delivered'
            ? { deliveredAt: change.at, sentAt: row.sentAt ?? change.at }
            : change.status === 'read'
              ? { readAt: change.at, deliveredAt: row.deliveredAt ?? change.at, sentAt: row.sentAt ?? change.at }
              : {};
      const payload = change.keep ? JSON.stringify({ ...(row.payload === null ? {} : (JSON.parse(row.payload) as object)), ...change.keep }) : undefined;
      const [updated] = orm
        .update(messages)
        .set({
          status: change.status,
          ...stamp,
          ...(change.error === undefined ? {} : { error: change.error }),
          ...(payload === undefined ? {} : { payload }),
        })
        .where(eq(messages.waId, waId))
        .returning()
        .all();
      return updated ? toMessage(updated) : undefined;
    },
    // One statement, no read first: most rows that expire or are refused were never tried.
    giveUp: (waId, reason) => void giveUp.run(reason, waId),
    listByCustomer: (customerId) =>
      orm
        .select()
        .from(messages)
        .where(eq(messages.customerId, customerId))
        .orderBy(asc(messages.createdAt), asc(messages.id))
        .all()
        .map(toMessage),
    lastInboundAt: (customerId) => lastInbound.get(customerId) ?? null,
  };
}
