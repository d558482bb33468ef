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
    // The seller paused automation for this customer (until resumed): their flow messages wait.
    automationPausedAt: integer('automation_paused_at'),
    // The customer wrote something that may be a request to stop (the inbox was not sure): their
    // automation is paused (automation_paused_at) until the owner confirms the opt-out or resumes.
    stopReviewAt: integer('stop_review_at'),
    stopReviewText: text('stop_review_text'),
    // Created (or found again) while on the suppression list: an opted-out person was erased, and
    // this number came back by import, purchase or sale; nothing automated until they write VOLTAR.
    suppressedAt: integer('suppressed_at'),
    // When the customer last bought: the daily inactivity trigger and the weekly count of customers
    // at risk ask by it. Not indexed: both read it once a day or a week, while an index would be
    // rewritten at a random place by every returning customer's purchase (docs/performance.md).
    lastPurchaseAt: integer('last_purchase_at'),
    // Warm since: the customer wrote to the shop's number (any kind of message). NULL: cold, a
    // message from us would open a new chat, counted against WhatsApp's cap (issue 18).
    warmAt: integer('warm_at'),
    // WhatsApp refused a cold message to this customer (463): nothing automated starts a chat with
    // them again; cleared when they write ("só se ele escrever primeiro").
    coldRefusedAt: integer('cold_refused_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    erasedAt: integer('erased_at'),
    // JSON counts kept after erasure (ErasedStats).
    erasedStats: text('erased_stats'),
  },
  (t) => [
    uniqueIndex('customers_phone_unique').on(t.phone),
    // The birthday trigger asks for "MM-DD" whether the year is known or not.
    index('customers_birthday_day_idx')
      .on(sql`substr(${t.birthday}, -5)`)
      .where(sql`${t.birthday} IS NOT NULL`),
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
    purpose: text('purpose', { enum: ['marketing', 'messages'] }).notNull(),
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
    // With the total: the segments' aggregate (count, sum, last purchase per customer, issue 21) reads
    // only this index, never the rows (their items JSON makes the table ten times its size).
    index('purchases_customer_idx').on(t.customerId, t.purchasedAt, t.totalCents),
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

// Every version of every flow that ever started a run: a run finishes on the
// version it started with, whatever happens to the file.
export const flowVersions = sqliteTable(
  'flow_versions',
  {
    flowId: text('flow_id').notNull(),
    hash: text('hash').notNull(),
    version: integer('version').notNull(),
    // JSON of the parsed Flow (src/flows/flow-types.ts).
    definition: text('definition').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
  },
  (t) => [uniqueIndex('flow_versions_pk').on(t.flowId, t.hash)],
);

export const flowRuns = sqliteTable(
  'flow_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    flowId: text('flow_id').notNull(),
    flowHash: text('flow_hash').notNull(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    // What enrolled the customer, once: "purchase:12", "birthday:2027", "inactivity:40", "repurchase:12", "manual:…".
    occurrence: text('occurrence').notNull(),
    purchaseId: integer('purchase_id').references(() => purchases.id),
    status: text('status', { enum: ['waiting', 'done', 'cancelled'] }).notNull(),
    // The step to run when woken.
    stepId: text('step_id'),
    wakeAt: integer('wake_at'),
    // JSON RunState: visits per step, the open question, the last answer.
    state: text('state').notNull(),
    endReason: text('end_reason'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    endedAt: integer('ended_at'),
  },
  (t) => [
    // Customer first, so that it also serves "this customer's runs" (a handful each):
    // one index less to update on every purchase.
    uniqueIndex('flow_runs_occurrence_unique').on(t.customerId, t.flowId, t.occurrence),
    // A tick asks only for what is due: the cost follows the due runs, not all of them.
    index('flow_runs_due_idx').on(t.wakeAt).where(sql`${t.status} = 'waiting'`),
  ],
);

// Each message a flow wants sent, once: (run, step, visit) is its dedupe key,
// and its WhatsApp id is chosen before it is sent, so a send whose outcome is
// unknown can be recognized by its receipt and is never blindly repeated.
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    dedupeKey: text('dedupe_key').notNull(),
    runId: integer('run_id').references(() => flowRuns.id, { onDelete: 'set null' }),
    stepId: text('step_id'),
    customerId: integer('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
    // customer: a flow's message; owner: an alert; notice: a reply the customer asked for
    // (the opt-out confirmation), which goes even to an opted-out customer.
    purpose: text('purpose', { enum: ['customer', 'owner', 'notice'] }).notNull(),
    toPhone: text('to_phone').notNull(),
    // Needs the customer's marketing consent when it goes out.
    marketing: integer('marketing', { mode: 'boolean' }).notNull(),
    // JSON OutboundContent; an image by its file under FLOWS_DIR.
    content: text('content').notNull(),
    waId: text('wa_id').notNull(),
    status: text('status', { enum: ['queued', 'sending', 'sent', 'failed', 'unknown', 'skipped', 'expired'] }).notNull(),
    dueAt: integer('due_at').notNull(),
    notBefore: integer('not_before').notNull(),
    expiresAt: integer('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    claimedAt: integer('claimed_at'),
    finishedAt: integer('finished_at'),
    // How the message reached the customer, set when claimed: cold (a new chat, spends the cold
    // budget), warm (counts toward CONTACT_CAP_PER_WEEK), reply (within a conversation the
    // customer started in the last 24 hours: exempt). NULL: not sent yet, or not to a customer.
    contact: text('contact', { enum: ['cold', 'warm', 'reply'] }),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_unique').on(t.dedupeKey),
    uniqueIndex('outbox_wa_id_unique').on(t.waId),
    index('outbox_queue_idx').on(t.notBefore, t.id).where(sql`${t.status} = 'queued'`),
    index('outbox_sending_idx').on(t.status).where(sql`${t.status} IN ('sending', 'unknown')`),
    index('outbox_finished_idx').on(t.purpose, t.finishedAt).where(sql`${t.status} = 'sent'`),
    // The cold budget and the contact cap count what went to customers since a moment.
    index('outbox_contact_idx').on(t.contact, t.finishedAt).where(sql`${t.contact} IS NOT NULL`),
  ],
);

// A purchase that came without a phone number (or that waits for its customer to write first):
// kept until someone writes to the shop with its click-to-chat code, then recorded for that
// person as any purchase. The code is derived from the id (src/domain/opt-in-code.ts).
export const pendingPurchases = sqliteTable('pending_purchases', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  // JSON: the validated purchase, without the customer's phone.
  input: text('input').notNull(),
  createdAt: integer('created_at').notNull(),
  claimedAt: integer('claimed_at'),
  purchaseId: integer('purchase_id').references(() => purchases.id, { onDelete: 'set null' }),
});

// Small facts the scheduler keeps between runs: the last local day the daily
// triggers were evaluated, when the last message went out (for the gap).
export const schedulerState = sqliteTable('scheduler_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

// Every answer a customer gave to a flow's question, as understood: the
// structured part of the record (an NPS of 9 with its comment), linked to the
// message it came from and to the run and step that asked.
export const answers = sqliteTable(
  'answers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    runId: integer('run_id').references(() => flowRuns.id, { onDelete: 'set null' }),
    stepId: text('step_id').notNull(),
    kind: text('kind', { enum: ['nps', 'csat', 'yes_no', 'choice', 'text', 'referral', 'birthday'] }).notNull(),
    value: text('value').notNull(),
    comment: text('comment'),
    // The WhatsApp id of the message (or poll vote) that gave it.
    messageWaId: text('message_wa_id').notNull(),
    at: integer('at').notNull(),
  },
  // By time too: the weekly summary reads a week of answers, eight weeks for its trend.
  (t) => [index('answers_customer_idx').on(t.customerId, t.at), index('answers_run_idx').on(t.runId), index('answers_at_idx').on(t.at)],
);

// People a customer recommended in a referral answer (typed numbers or shared
// contact cards). They did not opt in: never messaged, never made customers.
// A friend given twice by the same customer is one row.
export const referrals = sqliteTable(
  'referrals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    referrerCustomerId: integer('referrer_customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    name: text('name'),
    // E.164.
    phone: text('phone').notNull(),
    // The answer that first gave it.
    answerId: integer('answer_id').references(() => answers.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('referrals_referrer_phone_unique').on(t.referrerCustomerId, t.phone),
    // Issue 21: each purchase asks whether its buyer was referred (src/storage/repositories/rewards.ts).
    index('referrals_phone_idx').on(t.phone),
  ],
);

// One weekly summary per ISO week ("2026-W47", in TIMEZONE): what was sent to
// the owner and when, so that a restart, a repeated tick or a clock set back
// never sends a week twice, and a week missed while the service was down is
// sent late, once.
export const reports = sqliteTable('reports', {
  week: text('week').primaryKey(),
  // The summary as sent, and its metrics (JSON of WeeklyReport).
  text: text('text').notNull(),
  metrics: text('metrics').notNull(),
  // Sent after the week's scheduled moment had passed by more than a day (the service was down).
  late: integer('late', { mode: 'boolean' }).notNull(),
  createdAt: integer('created_at').notNull(),
});

// Who is signed in to the seller's pages: one row per browser that gave the
// admin token. The cookie holds a random session id, never the token; only its
// SHA-256 is stored here, so a copy of the database opens no session. A
// session belongs to the admin token it was opened with (a fingerprint of it):
// changing ADMIN_TOKEN signs every browser out.
export const sessions = sqliteTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    tokenFingerprint: text('token_fingerprint').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_expires_at_idx').on(t.expiresAt)],
);

// The suppression list (LGPD art. 18 §2, the right to object): when a person who had opted out is
// erased, only a keyed hash of their number stays, with the date, and nothing else. The key is
// per install (DATA_DIR/suppression-key), so the hash cannot be matched against numbers elsewhere.
export const suppressions = sqliteTable('suppressions', {
  hash: text('hash').primaryKey(),
  at: integer('at').notNull(),
});

// Every webhook a store platform sent (issue 19), as received: what it became, and, for the
// Nuvemshop order fetch, when it is tried again. The raw body is kept so that a webhook can be
// replayed from the Integrações page; the erasure scrubs bodies that mention an erased person.
export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform', { enum: ['nuvemshop', 'shopify', 'woocommerce'] }).notNull(),
    topic: text('topic').notNull(),
    // The platform's own order id, as text.
    orderRef: text('order_ref'),
    receivedAt: integer('received_at').notNull(),
    // The body as received, while a replay could still change what it became; NULL once its order is a
    // purchase (recorded or duplicate): the purchase holds what fregues uses of it, and the rest of a
    // platform's order (addresses, e-mails, notes) is not kept for nothing.
    body: text('body'),
    status: text('status', { enum: ['pending', 'recorded', 'duplicate', 'skipped', 'retrying', 'failed'] }).notNull(),
    // A code ("no_phone", "topic_ignored", …) or NULL.
    reason: text('reason'),
    purchaseId: integer('purchase_id').references(() => purchases.id, { onDelete: 'set null' }),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at'),
    finishedAt: integer('finished_at'),
  },
  (t) => [
    // The Integrações page: the last webhooks of each platform.
    index('webhook_events_platform_idx').on(t.platform, t.receivedAt),
    // The durable fetch asks only for what is due.
    index('webhook_events_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} IN ('pending', 'retrying')`),
  ],
);

// Issue 21: segments. The built-in RFM segments are computed from the record and are not stored;
// a custom segment is the seller's saved filters (JSON of SegmentFilters, src/segments/filters.ts),
// its id a slug of its name, used by flows (`filter: { segment: … }`) and the API.
export const segments = sqliteTable('segments', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  filters: text('filters').notNull(),
  createdAt: integer('created_at').notNull(),
});

// Issue 21: campaigns. A one-off message to a segment, in 2 or 3 variants at most (A/B). Each
// variant is a one-step flow kept in flow_versions (id `campanha:<id>:<variant>`, never loaded from
// FLOWS_DIR); each recipient gets a run of their variant's flow, occurrence `campaign:<id>`, so that
// pacing, consent, opt-out and answers work as they do for flows.
export const campaigns = sqliteTable('campaigns', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  // A segment id as src/segments names them (built-in RFM ids or a saved segment's slug).
  segmentId: text('segment_id').notNull(),
  // JSON array of { key, message, flowId, flowHash } (src/campaigns/campaign-types.ts).
  variants: text('variants').notNull(),
  sendAt: integer('send_at').notNull(),
  // The seed of the random split between variants: the same seed and members give the same split.
  seed: integer('seed').notNull(),
  attributionDays: integer('attribution_days').notNull().default(7),
  status: text('status', { enum: ['active', 'cancelled'] }).notNull(),
  createdAt: integer('created_at').notNull(),
  cancelledAt: integer('cancelled_at'),
});

// Who a campaign reached or left out: a variant and the run (enrolled), or the reason (excluded).
export const campaignRecipients = sqliteTable(
  'campaign_recipients',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    variant: text('variant'),
    runId: integer('run_id').references(() => flowRuns.id, { onDelete: 'set null' }),
    // A reason code (src/domain/reasons.ts) when left out; NULL when enrolled.
    excluded: text('excluded'),
  },
  (t) => [
    // Also "this campaign's recipients", which every result reads.
    uniqueIndex('campaign_recipients_pk').on(t.campaignId, t.customerId),
    // An answer (answers.run_id) or a run tells its campaign.
    index('campaign_recipients_run_idx').on(t.runId).where(sql`${t.runId} IS NOT NULL`),
    check('campaign_recipients_enrolled_or_excluded', sql`(${t.variant} IS NULL) = (${t.excluded} IS NOT NULL)`),
  ],
);

// Issue 21: loyalty and referral rewards. A referral converts when the friend it names buys (the
// earliest referral of that number, once per friend: the unique customer_id), in the purchase's
// transaction. The seller's reward, per kind (referral, loyalty): a fixed text, or the coupon codes
// they pasted, each given once, in the order pasted (id order): claim_key is what took it (unique:
// a second claim for the same occurrence finds the same code, never a new one).
export const referralConversions = sqliteTable(
  'referral_conversions',
  {
    referralId: integer('referral_id')
      .primaryKey()
      .references(() => referrals.id, { onDelete: 'cascade' }),
    // The friend who bought: one conversion per friend, whoever else had referred them.
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    purchaseId: integer('purchase_id').references(() => purchases.id, { onDelete: 'set null' }),
    convertedAt: integer('converted_at').notNull(),
  },
  (t) => [
    uniqueIndex('referral_conversions_customer_unique').on(t.customerId),
    // The thank-you asks by purchase; the weekly summary by time.
    index('referral_conversions_purchase_idx').on(t.purchaseId),
    index('referral_conversions_at_idx').on(t.convertedAt),
  ],
);

export const rewardSettings = sqliteTable('reward_settings', {
  kind: text('kind', { enum: ['referral', 'loyalty'] }).primaryKey(),
  mode: text('mode', { enum: ['codes', 'text'] }).notNull(),
  // The fixed text (mode text); NULL with codes.
  text: text('text'),
  updatedAt: integer('updated_at').notNull(),
});

export const rewardCodes = sqliteTable(
  'reward_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['referral', 'loyalty'] }).notNull(),
    code: text('code').notNull(),
    // "referral:<referral id>", "run:<run id>": the occurrence that took it; NULL: still free.
    claimKey: text('claim_key'),
    customerId: integer('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    claimedAt: integer('claimed_at'),
  },
  (t) => [
    // A code is given once: never pasted twice for the same kind.
    uniqueIndex('reward_codes_kind_code_unique').on(t.kind, t.code),
    uniqueIndex('reward_codes_claim_unique').on(t.claimKey),
    // The next free code of a kind, in the order pasted.
    index('reward_codes_free_idx').on(t.kind, t.id).where(sql`${t.claimKey} IS NULL`),
  ],
);
