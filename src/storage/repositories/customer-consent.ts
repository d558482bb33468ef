import { eq, sql } from 'drizzle-orm';
import type { ConsentChange, ConsentEvent, Customer } from '../../domain/customer.js';
import type { Database } from '../db.js';
import { consentEvents, customers } from '../schema.js';
import { CUSTOMER_COLUMNS, toExistingCustomer, type CustomerRow } from './customer-row.js';
import type { SuppressionList } from './suppressions.js';

/** What the customer agreed to and when, with its history: every grant and revocation is kept. */
export interface CustomerConsent {
  /** Records a grant or revocation when it changes the current state; returns the customer after it. */
  changeConsent(id: number, change: ConsentChange, now: number): Customer;
  listConsentEvents(customerId: number): ConsentEvent[];
  /** The customer asked for no more messages (SAIR): kept with the time, never messaged again. */
  markOptedOut(id: number, at: number): void;
  /**
   * The customer asked to receive nothing more (SAIR): "messages" consent is
   * revoked with when, how and which text, marketing consent too, and the
   * customer is marked opted out. Returns the customer as changed.
   */
  optOut(id: number, change: { source: string; text: string | null }, now: number): Customer;
  /** The customer asked to receive messages again (VOLTAR): the reverse of optOut, recorded the same way. */
  optIn(id: number, change: { source: string; text: string | null }, now: number): Customer;
  /**
   * The customer asked for messages by writing first (a click-to-chat code):
   * a "messages" grant with when, how and the text they sent. Marketing
   * consent and an opt-out are left as they are.
   */
  grantMessages(id: number, change: { source: string; text: string | null }, at: number): void;
}

/** The consent methods of the repository, and what its `create` needs of them. */
export interface CustomerConsentWriter extends CustomerConsent {
  /**
   * A new customer whose number is on the suppression list (an opted-out person
   * who was erased) is opted out again at once: nothing automated until the
   * person writes VOLTAR. Returns the customer as changed, or undefined when the
   * number is not on the list.
   */
  reapplySuppression: (id: number, phone: string, now: number) => Customer | undefined;
}

/** The consent source of an opt-out that the suppression list put back. */
const SUPPRESSION_SOURCE = 'suppression_list';

export function createCustomerConsent(db: Database, suppressions: SuppressionList | undefined): CustomerConsentWriter {
  const { orm } = db;
  const p = sql.placeholder;

  const byId = db.sqlite.prepare<[number], CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ?`);
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

  const mustFind = (id: number): Customer => toExistingCustomer(byId.get(id), id);

  function changeConsent(id: number, change: ConsentChange, now: number): Customer {
    const current = mustFind(id);
    const state = change.marketing ? 'granted' : 'revoked';
    if (current.consent.marketing === state) return current;
    return db.transaction(() => {
      const row = { customerId: id, state, at: now, source: change.source, text: change.text };
      insertConsent.run(row);
      return toExistingCustomer(setConsent.get({ ...row, id }), id);
    });
  }

  return {
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
        if (phone) suppressions?.forget(phone);
        insertMessagesConsent.run(id, 'granted', now, change.source, change.text);
        changeConsent(id, { marketing: true, source: change.source, text: change.text }, now);
        setOptedOut.run(null, now, id);
        return mustFind(id);
      }),
    grantMessages: (id, change, at) => {
      insertMessagesConsent.run(id, 'granted', at, change.source, change.text);
    },
    reapplySuppression: (id, phone, now) => {
      if (suppressions?.since(phone) === undefined) return undefined;
      insertMessagesConsent.run(id, 'revoked', now, SUPPRESSION_SOURCE, null);
      changeConsent(id, { marketing: false, source: SUPPRESSION_SOURCE, text: null }, now);
      setSuppressed.run(now, now, now, id);
      return mustFind(id);
    },
  };
}
