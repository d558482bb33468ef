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

export interface MessageRepository {
  /** Stores a message once: a second message with the same WhatsApp id is reported, not stored. */
  record(input: NewMessage, now: number): RecordResult;
  findByWaId(waId: string): Message | undefined;
  listByCustomer(customerId: number): Message[];
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
  const insert = orm
    .insert(messages)
    .values({
      customerId: p('customerId'),
      direction: p('direction'),
      waId: p('waId'),
      kind: p('kind'),
      text: p('text'),
      payload: p('payload'),
      status: p('status'),
      createdAt: p('now'),
      sentAt: p('sentAt'),
    })
    .onConflictDoNothing({ target: messages.waId })
    .returning()
    .prepare();

  return {
    record: (input, now) => {
      const row = insert.get({
        ...input,
        payload: input.payload === undefined || input.payload === null ? null : JSON.stringify(input.payload),
        sentAt: input.sentAt ?? null,
        now,
      });
      if (row) return { recorded: true, message: toMessage(row) };
      const existing = byWaId.get({ waId: input.waId });
      if (!existing) throw new Error(`message ${input.waId} neither inserted nor found`);
      return { recorded: false, existing: toMessage(existing) };
    },
    findByWaId: (waId) => {
      const row = byWaId.get({ waId });
      return row ? toMessage(row) : undefined;
    },
    listByCustomer: (customerId) =>
      orm
        .select()
        .from(messages)
        .where(eq(messages.customerId, customerId))
        .orderBy(asc(messages.createdAt), asc(messages.id))
        .all()
        .map(toMessage),
  };
}
