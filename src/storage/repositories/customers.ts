import { and, desc, eq, isNull, like, lt, or, sql } from 'drizzle-orm';
import type {
  ConsentChange,
  ConsentEvent,
  Customer,
  CustomerDetails,
  ErasedStats,
} from '../../domain/customer.js';
import type { Database } from '../db.js';
import { eraseCustomer } from '../erase-customer.js';
import type { SuppressionList } from './suppressions.js';
import { consentEvents, customers } from '../schema.js';
import { HELD_BY_SELLER_PAUSE } from './outbox.js';

export interface NewCustomer {
  phone: string;
  details: CustomerDetails;
  consent?: ConsentChange | undefined;
}

export interface CustomerListQuery {
  /** Part of a name, or digits of a phone number. */
  search?: string | undefined;
  limit: number;
  /** Return customers with an id below this one (the previous page's last id). */
  before?: number | undefined;
}

export interface CustomerRepository {
  findById(id: number): Customer | undefined;
  findByPhone(e164: string): Customer | undefined;
  create(input: NewCustomer, now: number): Customer;
  /** Sets the given fields; undefined leaves a field alone, null clears it. */
  update(id: number, details: CustomerDetails, now: number): Customer;
  /** Replaces the tags alone (a flow's tag step, on every answer it follows): nothing read back. */
  setTags(id: number, tags: readonly string[], now: number): void;
  /** Records a grant or revocation when it changes the current state; returns the customer after it. */
  changeConsent(id: number, change: ConsentChange, now: number): Customer;
  listConsentEvents(customerId: number): ConsentEvent[];
  list(query: CustomerListQuery): Customer[];
  /** Erases personal data and messages (LGPD art. 18) and keeps an anonymous tombstone with counts. */
  erase(id: number, now: number): ErasedStats;
  /** Keeps the JID WhatsApp gave for the customer's number. */
  setWhatsappJid(id: number, jid: string, now: number): void;
  /** The customer asked for no more messages (SAIR): kept with the time, never messaged again. */
  markOptedOut(id: number, at: number): void;
  /** Automation for this customer waits until `until` (the owner is talking to them); a later pause is never shortened. */
  pauseUntil(id: number, until: number, now: number): void;
  /**
   * The seller pauses automation for this customer until resumed (unlike the
   * owner's handoff, which ends by itself). A pause already on keeps its time.
   */
  pauseAutomation(id: number, now: number): Customer;
  /**
   * Ends the seller's pause; the customer's flow messages held by it become due
   * at once (the sender still applies quiet hours, days off and the cap).
   */
  resumeAutomation(id: number, now: number): Customer;
  /**
   * The customer wrote something that may ask to stop the messages: their
   * automation is paused (as the seller's pause, until resumed) and the text
   * kept, for the owner to confirm the opt-out or resume. Resuming or opting
   * out ends the review.
   */
  holdForStopReview(id: number, text: string, now: number): Customer;
  /**
   * The customer asked to receive nothing more (SAIR): "messages" consent is
   * revoked with when, how and which text, marketing consent too, and the
   * customer is marked opted out. Returns the customer as changed.
   */
  optOut(id: number, change: { source: string; text: string | null }, now: number): Customer;
  /** The customer asked to receive messages again (VOLTAR): the reverse of optOut, recorded the same way. */
  optIn(id: number, change: { source: string; text: string | null }, now: number): Customer;
  /** Remembers a purchase's time when it is the latest (the inactivity trigger asks by it). */
  notePurchase(id: number, purchasedAt: number): void;
  /** Live customers with a birthday on that day ("MM-DD"), with or without the year. */
  withBirthdayOn(monthDay: string): Customer[];
  /** Live customers whose last purchase falls in [from, to), with that purchase's id. */
  lastBoughtBetween(from: number, to: number): { customer: Customer; purchaseId: number }[];
}

type CustomerRow = typeof customers.$inferSelect;

/** Every column, named as drizzle names them, for the hand-prepared statements. */
const CUSTOMER_COLUMNS = [
  'id',
  'phone',
  'name',
  'birthday',
  'email',
  'tags',
  'consent_marketing AS consentMarketing',
  'consent_at AS consentAt',
  'consent_source AS consentSource',
  'consent_text AS consentText',
  'opted_out_at AS optedOutAt',
  'whatsapp_jid AS whatsappJid',
  'handoff_until AS handoffUntil',
  'automation_paused_at AS automationPausedAt',
  'stop_review_at AS stopReviewAt',
  'stop_review_text AS stopReviewText',
  'suppressed_at AS suppressedAt',
  'last_purchase_at AS lastPurchaseAt',
  'created_at AS createdAt',
  'updated_at AS updatedAt',
  'erased_at AS erasedAt',
  'erased_stats AS erasedStats',
].join(', ');

function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    phone: row.phone,
    name: row.name,
    birthday: row.birthday,
    email: row.email,
    tags: JSON.parse(row.tags) as string[],
    consent: {
      marketing: row.consentMarketing,
      at: row.consentAt,
      source: row.consentSource,
      text: row.consentText,
    },
    optedOutAt: row.optedOutAt,
    whatsappJid: row.whatsappJid,
    handoffUntil: row.handoffUntil,
    automationPausedAt: row.automationPausedAt,
    stopReview: row.stopReviewAt === null ? null : { at: row.stopReviewAt, text: row.stopReviewText ?? '' },
    suppressedAt: row.suppressedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    erasedAt: row.erasedAt,
  };
}

export interface CustomerRepositoryOptions {
  /** Opted-out people who were erased: their objection outlives their data. */
  suppressions?: SuppressionList;
}

/** The consent source of an opt-out that the suppression list put back. */
const SUPPRESSION_SOURCE = 'suppression_list';

export function createCustomerRepository(db: Database, options: CustomerRepositoryOptions = {}): CustomerRepository {
  const { orm } = db;
  const p = sql.placeholder;

  // Intake looks customers up and creates them on every purchase: these are plain
  // prepared statements, the cheapest way through better-sqlite3.
  const byId = db.sqlite.prepare<[number], CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ?`);
  const byPhone = db.sqlite.prepare<[string], CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE phone = ?`);
  const updateDetails = db.sqlite.prepare<
    [
      {
        id: number;
        now: number;
        setName: number;
        name: string | null;
        setBirthday: number;
        birthday: string | null;
        setEmail: number;
        email: string | null;
        setTags: number;
        tags: string | null;
      },
    ],
    CustomerRow
  >(
    `UPDATE customers SET
       name = CASE WHEN @setName THEN @name ELSE name END,
       birthday = CASE WHEN @setBirthday THEN @birthday ELSE birthday END,
       email = CASE WHEN @setEmail THEN @email ELSE email END,
       tags = CASE WHEN @setTags THEN @tags ELSE tags END,
       updated_at = @now
     WHERE id = @id RETURNING ${CUSTOMER_COLUMNS}`,
  );
  const insert = db.sqlite.prepare<[string, string | null, string | null, string | null, string, number, number]>(
    'INSERT INTO customers (phone, name, birthday, email, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const updateTags = db.sqlite.prepare<[string, number, number]>('UPDATE customers SET tags = ?, updated_at = ? WHERE id = ?');
  const notePurchase = db.sqlite.prepare<[number, number, number]>(
    'UPDATE customers SET last_purchase_at = ? WHERE id = ? AND (last_purchase_at IS NULL OR last_purchase_at < ?)',
  );
  const birthdayOn = db.sqlite.prepare<[string], CustomerRow>(
    `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE substr(birthday, -5) = ? AND birthday IS NOT NULL AND erased_at IS NULL ORDER BY id`,
  );
  const lastBought = db.sqlite.prepare<[number, number], CustomerRow & { purchaseId: number }>(
    `SELECT ${CUSTOMER_COLUMNS},
       (SELECT p.id FROM purchases p WHERE p.customer_id = customers.id ORDER BY p.purchased_at DESC, p.id DESC LIMIT 1) AS purchaseId
     FROM customers WHERE last_purchase_at >= ? AND last_purchase_at < ? AND erased_at IS NULL ORDER BY id`,
  );
  const insertConsent = orm
    .insert(consentEvents)
    .values({
      customerId: p('customerId'),
      purpose: 'marketing',
      state: p('state'),
      at: p('at'),
      source: p('source'),
      text: p('text'),
    })
    .prepare();
  const insertMessagesConsent = db.sqlite.prepare<[number, 'granted' | 'revoked', number, string, string | null]>(
    "INSERT INTO consent_events (customer_id, purpose, state, at, source, text) VALUES (?, 'messages', ?, ?, ?, ?)",
  );
  const setHandoff = db.sqlite.prepare<[number, number, number, number]>(
    'UPDATE customers SET handoff_until = ?, updated_at = ? WHERE id = ? AND (handoff_until IS NULL OR handoff_until < ?)',
  );
  const setAutomationPaused = db.sqlite.prepare<[number, number, number], CustomerRow>(
    `UPDATE customers SET automation_paused_at = coalesce(automation_paused_at, ?), updated_at = ? WHERE id = ? RETURNING ${CUSTOMER_COLUMNS}`,
  );
  const clearAutomationPaused = db.sqlite.prepare<[number, number], CustomerRow>(
    `UPDATE customers SET automation_paused_at = NULL, stop_review_at = NULL, stop_review_text = NULL, updated_at = ? WHERE id = ? RETURNING ${CUSTOMER_COLUMNS}`,
  );
  const setStopReview = db.sqlite.prepare<[number, string, number, number, number], CustomerRow>(
    `UPDATE customers SET stop_review_at = ?, stop_review_text = ?, automation_paused_at = coalesce(automation_paused_at, ?), updated_at = ?
     WHERE id = ? RETURNING ${CUSTOMER_COLUMNS}`,
  );
  // The sender holds a paused customer's messages until they would expire, marked as held by the
  // pause (sender.ts): on resume they are due again from now, or from their own due time if later.
  const releaseHeld = db.sqlite.prepare<{ id: number; now: number; mark: string }>(
    `UPDATE outbox SET not_before = max(due_at, @now), last_error = NULL
     WHERE customer_id = @id AND status = 'queued' AND purpose = 'customer' AND last_error = @mark AND not_before > @now`,
  );
  // Opting out or in ends a stop review; opting in (VOLTAR) also ends a suppression.
  const setOptedOut = db.sqlite.prepare<[number | null, number, number]>(
    `UPDATE customers SET opted_out_at = ?, stop_review_at = NULL, stop_review_text = NULL,
       suppressed_at = CASE WHEN opted_out_at IS NULL THEN suppressed_at ELSE NULL END, updated_at = ? WHERE id = ?`,
  );
  const setSuppressed = db.sqlite.prepare<[number, number, number, number]>(
    'UPDATE customers SET opted_out_at = ?, suppressed_at = ?, updated_at = ? WHERE id = ?',
  );
  const setConsent = orm
    .update(customers)
    .set({
      consentMarketing: sql`${p('state')}`,
      consentAt: sql`${p('at')}`,
      consentSource: sql`${p('source')}`,
      consentText: sql`${p('text')}`,
      updatedAt: sql`${p('at')}`,
    })
    .where(eq(customers.id, p('id')))
    .returning()
    .prepare();

  function mustFind(id: number): Customer {
    const row = byId.get(id);
    if (!row) throw new Error(`customer ${id} does not exist`);
    return toCustomer(row);
  }

  function changeConsent(id: number, change: ConsentChange, now: number): Customer {
    const current = mustFind(id);
    const state = change.marketing ? 'granted' : 'revoked';
    if (current.consent.marketing === state) return current;
    return db.transaction(() => {
      const row = { customerId: id, state, at: now, source: change.source, text: change.text };
      insertConsent.run(row);
      const updated = setConsent.get({ ...row, id });
      if (!updated) throw new Error(`customer ${id} does not exist`);
      return toCustomer(updated);
    });
  }

  return {
    findById: (id) => {
      const row = byId.get(id);
      return row ? toCustomer(row) : undefined;
    },
    findByPhone: (phone) => {
      const row = byPhone.get(phone);
      return row ? toCustomer(row) : undefined;
    },
    create: (input, now) =>
      db.transaction(() => {
        const { name = null, birthday = null, email = null, tags = [] } = input.details;
        const { lastInsertRowid } = insert.run(input.phone, name, birthday, email, JSON.stringify(tags), now, now);
        const customer: Customer = {
          id: Number(lastInsertRowid),
          phone: input.phone,
          name,
          birthday,
          email,
          tags,
          consent: { marketing: 'unknown', at: null, source: null, text: null },
          optedOutAt: null,
          whatsappJid: null,
          handoffUntil: null,
          automationPausedAt: null,
          stopReview: null,
          suppressedAt: null,
          createdAt: now,
          updatedAt: now,
          erasedAt: null,
        };
        const given = input.consent ? changeConsent(customer.id, input.consent, now) : customer;
        // A number on the suppression list (an opted-out person who was erased) is stored, but
        // opted out again at once: nothing automated until the person writes VOLTAR.
        const suppressedSince = options.suppressions?.since(input.phone);
        if (suppressedSince === undefined) return given;
        insertMessagesConsent.run(customer.id, 'revoked', now, SUPPRESSION_SOURCE, null);
        changeConsent(customer.id, { marketing: false, source: SUPPRESSION_SOURCE, text: null }, now);
        setSuppressed.run(now, now, now, customer.id);
        return mustFind(customer.id);
      }),
    update: (id, details, now) => {
      const changes: Partial<typeof customers.$inferInsert> = {};
      if (details.name !== undefined) changes.name = details.name;
      if (details.birthday !== undefined) changes.birthday = details.birthday;
      if (details.email !== undefined) changes.email = details.email;
      if (details.tags !== undefined) changes.tags = JSON.stringify(details.tags);
      if (Object.keys(changes).length === 0) return mustFind(id);
      // One prepared statement for every combination: drizzle built and prepared its
      // UPDATE on every call (about 0.45 ms), and a flow's tag step updates on every answer.
      const row = updateDetails.get({
        id,
        now,
        setName: changes.name === undefined ? 0 : 1,
        name: changes.name ?? null,
        setBirthday: changes.birthday === undefined ? 0 : 1,
        birthday: changes.birthday ?? null,
        setEmail: changes.email === undefined ? 0 : 1,
        email: changes.email ?? null,
        setTags: changes.tags === undefined ? 0 : 1,
        tags: changes.tags ?? null,
      });
      if (!row) throw new Error(`customer ${id} does not exist`);
      return toCustomer(row);
    },
    setTags: (id, tags, now) => {
      if (updateTags.run(JSON.stringify(tags), now, id).changes === 0) throw new Error(`customer ${id} does not exist`);
    },
    changeConsent,
    listConsentEvents: (customerId) =>
      orm
        .select()
        .from(consentEvents)
        .where(eq(consentEvents.customerId, customerId))
        .orderBy(consentEvents.at, consentEvents.id)
        .all(),
    markOptedOut: (id, at) => {
      orm.update(customers).set({ optedOutAt: at, updatedAt: at }).where(eq(customers.id, id)).run();
    },
    pauseUntil: (id, until, now) => {
      setHandoff.run(until, now, id, until);
    },
    pauseAutomation: (id, now) => {
      const row = setAutomationPaused.get(now, now, id);
      if (!row) throw new Error(`customer ${id} does not exist`);
      return toCustomer(row);
    },
    resumeAutomation: (id, now) =>
      db.transaction(() => {
        const row = clearAutomationPaused.get(now, id);
        if (!row) throw new Error(`customer ${id} does not exist`);
        releaseHeld.run({ id, now, mark: HELD_BY_SELLER_PAUSE });
        return toCustomer(row);
      }),
    holdForStopReview: (id, text, now) => {
      const row = setStopReview.get(now, text, now, now, id);
      if (!row) throw new Error(`customer ${id} does not exist`);
      return toCustomer(row);
    },
    optOut: (id, change, now) =>
      db.transaction(() => {
        insertMessagesConsent.run(id, 'revoked', now, change.source, change.text);
        changeConsent(id, { marketing: false, source: change.source, text: change.text }, now);
        setOptedOut.run(now, now, id);
        return mustFind(id);
      }),
    optIn: (id, change, now) =>
      db.transaction(() => {
        const phone = mustFind(id).phone;
        if (phone) options.suppressions?.forget(phone);
        insertMessagesConsent.run(id, 'granted', now, change.source, change.text);
        changeConsent(id, { marketing: true, source: change.source, text: change.text }, now);
        setOptedOut.run(null, now, id);
        return mustFind(id);
      }),
    notePurchase: (id, purchasedAt) => {
      notePurchase.run(purchasedAt, id, purchasedAt);
    },
    withBirthdayOn: (monthDay) => birthdayOn.all(monthDay).map(toCustomer),
    lastBoughtBetween: (from, to) =>
      lastBought.all(from, to).map((row) => ({ customer: toCustomer(row), purchaseId: row.purchaseId })),
    setWhatsappJid: (id, jid, now) => {
      orm.update(customers).set({ whatsappJid: jid, updatedAt: now }).where(eq(customers.id, id)).run();
    },
    list: ({ search, limit, before }) => {
      const conditions = [isNull(customers.erasedAt)];
      if (before !== undefined) conditions.push(lt(customers.id, before));
      const text = search?.trim();
      if (text) {
        const digits = text.replace(/\D/g, '');
        const byName = like(customers.name, `%${escapeLike(text)}%`);
        conditions.push(
          digits.length >= 3 ? or(byName, like(customers.phone, `%${digits}%`))! : byName,
        );
      }
      return orm
        .select()
        .from(customers)
        .where(and(...conditions))
        .orderBy(desc(customers.id))
        .limit(limit)
        .all()
        .map(toCustomer);
    },
    erase: (id, now) => {
      const stats = eraseCustomer(db, id, now, options.suppressions ? (phone, at) => options.suppressions!.remember(phone, at) : undefined);
      // Nothing of the person may stay in the -wal file: copy what was committed into the database
      // (whose freed pages secure_delete zeroes) and empty the WAL. Inside a caller's transaction
      // the caller's commit comes first; it checkpoints when it is done.
      if (!db.sqlite.inTransaction && db.file !== ':memory:') db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      return stats;
    },
  };
}

function escapeLike(text: string): string {
  // LIKE without ESCAPE treats % and _ as wildcards; searching for them literally is rare enough to drop them.
  return text.replace(/[%_]/g, '');
}
