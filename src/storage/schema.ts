import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Times are integer epoch milliseconds; money is integer minor units (cents).
// This file is read by drizzle-kit on its own: import nothing of ours here.
// Every index costs each purchase intake a B-tree write: add one with the query that needs it.

export const customers = sqliteTable(
  'customers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // E.164. NULL once the person is erased: the row stays as an anonymous tombstone.
    phone: text('phone'),
    name: text('name'),
    // "YYYY-MM-DD", or "--MM-DD" when the year is unknown.
    birthday: text('birthday'),
    email: text('email'),
    // JSON array of normalized tags.
    tags: text('tags').notNull().default('[]'),
    consentMarketing: text('consent_marketing', { enum: ['granted', 'revoked', 'unknown'] })
      .notNull()
      .default('unknown'),
    consentAt: integer('consent_at'),
    consentSource: text('consent_source'),
    consentText: text('consent_text'),
    optedOutAt: integer('opted_out_at'),
    // The customer's canonical WhatsApp JID, from onWhatsApp before the first send
    // (it settles Brazil's ninth-digit numbers).
    whatsappJid: text('whatsapp_jid'),
    handoffUntil: integer('handoff_until'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    erasedAt: integer('erased_at'),
    // JSON counts kept after erasure (ErasedStats).
    erasedStats: text('erased_stats'),
  },
  (t) => [
    uniqueIndex('customers_phone_unique').on(t.phone),
    check('customers_erased_has_no_phone', sql`${t.erasedAt} IS NULL OR ${t.phone} IS NULL`),
    check('customers_live_has_phone', sql`${t.erasedAt} IS NOT NULL OR ${t.phone} IS NOT NULL`),
  ],
);

// Every grant and revocation, with where and which text: the proof LGPD art. 8 §2 asks for.
export const consentEvents = sqliteTable(
  'consent_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['marketing'] }).notNull(),
    state: text('state', { enum: ['granted', 'revoked'] }).notNull(),
    at: integer('at').notNull(),
    source: text('source').notNull(),
    text: text('text'),
  },
  (t) => [index('consent_events_customer_idx').on(t.customerId, t.at)],
);

export const purchases = sqliteTable(
  'purchases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    externalId: text('external_id'),
    // JSON array of { sku, name, quantity, unitPriceCents }: one row write per purchase,
    // and SKU questions (repurchase flows) are asked of recent purchases with json_each.
    items: text('items').notNull(),
    totalCents: integer('total_cents'),
    currency: text('currency').notNull(),
    source: text('source').notNull(),
    purchasedAt: integer('purchased_at').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('purchases_external_id_unique').on(t.externalId),
    index('purchases_customer_idx').on(t.customerId, t.purchasedAt),
    index('purchases_purchased_at_idx').on(t.purchasedAt),
    check('purchases_total_not_negative', sql`${t.totalCents} IS NULL OR ${t.totalCents} >= 0`),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    customerId: integer('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    // The WhatsApp message id: pre-assigned for outbound, WhatsApp's own for inbound.
    waId: text('wa_id').notNull(),
    kind: text('kind').notNull(),
    text: text('text'),
    // JSON of the structured content (poll options, shared contact, media metadata).
    payload: text('payload'),
    status: text('status', {
      enum: ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'unknown', 'received'],
    }).notNull(),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    deliveredAt: integer('delivered_at'),
    readAt: integer('read_at'),
    error: text('error'),
  },
  (t) => [
    uniqueIndex('messages_wa_id_unique').on(t.waId),
    index('messages_customer_idx').on(t.customerId, t.createdAt),
    index('messages_created_at_idx').on(t.createdAt),
  ],
);

// The linked WhatsApp session (Baileys' AuthenticationState), instead of files:
// creds as one JSON document, and the signal key store by (type, id).
// Values are serialized with Baileys' BufferJSON.
export const whatsappCreds = sqliteTable('whatsapp_creds', {
  id: integer('id').primaryKey(),
  data: text('data').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const whatsappKeys = sqliteTable(
  'whatsapp_keys',
  {
    type: text('type').notNull(),
    id: text('id').notNull(),
    value: text('value').notNull(),
  },
  (t) => [uniqueIndex('whatsapp_keys_type_id').on(t.type, t.id)],
);

// WhatsApp addresses people by LID as well as by phone: what we learned of which is which.
export const whatsappLids = sqliteTable('whatsapp_lids', {
  lid: text('lid').primaryKey(),
  phone: text('phone').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

// What the bot sent, as WhatsApp's protobuf (BufferJSON): Baileys asks for it to
// resend on retry receipts (getMessage), and a poll's secret decrypts its votes.
export const whatsappSent = sqliteTable(
  'whatsapp_sent',
  {
    waId: text('wa_id').primaryKey(),
    jid: text('jid').notNull(),
    message: text('message').notNull(),
    isPoll: integer('is_poll', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('whatsapp_sent_created_at_idx').on(t.createdAt)],
);
