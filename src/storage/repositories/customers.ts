import { and, desc, eq, isNull, like, lt, or } from 'drizzle-orm';
import type { ConsentChange, Customer, CustomerDetails, ErasedStats } from '../../domain/customer.js';
import type { Database } from '../db.js';
import { eraseCustomer } from '../erase-customer.js';
import { customers } from '../schema.js';
import { createCustomerConsent, type CustomerConsent } from './customer-consent.js';
import { createCustomerPauses, type CustomerPauses } from './customer-pauses.js';
import { CUSTOMER_COLUMNS, customerFromValues, toCustomer, toExistingCustomer, type CustomerRow } from './customer-row.js';
import type { SuppressionList } from './suppressions.js';

export interface NewCustomer {
  phone: string;
  details: CustomerDetails;
  consent?: ConsentChange | undefined;
  /** The purchase that brings a new customer: written by the insert itself, not by a second UPDATE. */
  lastPurchaseAt?: number | undefined;
}

export interface CustomerListQuery {
  /** Part of a name, or digits of a phone number. */
  search?: string | undefined;
  limit: number;
  /** Return customers with an id below this one (the previous page's last id). */
  before?: number | undefined;
}

/** The customer record's own row; consent (customer-consent.ts) and pauses (customer-pauses.ts) are written apart. */
export interface CustomerRepository extends CustomerConsent, CustomerPauses {
  findById(id: number): Customer | undefined;
  findByPhone(e164: string): Customer | undefined;
  create(input: NewCustomer, now: number): Customer;
  /** Sets the given fields; undefined leaves a field alone, null clears it. */
  update(id: number, details: CustomerDetails, now: number): Customer;
  /** Replaces the tags alone (a flow's tag step, on every answer it follows): nothing read back. */
  setTags(id: number, tags: readonly string[], now: number): void;
  list(query: CustomerListQuery): Customer[];
  /** Erases personal data and messages (LGPD art. 18) and keeps an anonymous tombstone with counts. */
  erase(id: number, now: number): ErasedStats;
  /** Keeps the JID WhatsApp gave for the customer's number. */
  setWhatsappJid(id: number, jid: string, now: number): void;
  /**
   * The customer wrote to the shop (any kind of message): warm from `at` if they
   * were cold, and a 463 refusal is forgotten. Returns whether they were cold.
   */
  markWarm(id: number, at: number): boolean;
  /** WhatsApp refused a cold message to them (463): reached again only if they write first. */
  markColdRefused(id: number, at: number): void;
  /** Remembers a purchase's time when it is the latest (the inactivity trigger asks by it). */
  notePurchase(id: number, purchasedAt: number): void;
  /** Live customers with a birthday on that day ("MM-DD"), with or without the year. */
  withBirthdayOn(monthDay: string): Customer[];
  /** Live customers whose last purchase falls in [from, to), with that purchase's id. */
  lastBoughtBetween(from: number, to: number): { customer: Customer; purchaseId: number }[];
}

export interface CustomerRepositoryOptions {
  /** Opted-out people who were erased: their objection outlives their data. */
  suppressions?: SuppressionList;
}

export function createCustomerRepository(db: Database, options: CustomerRepositoryOptions = {}): CustomerRepository {
  const { orm } = db;
  const { reapplySuppression, ...consent } = createCustomerConsent(db, options.suppressions);

  // Intake looks customers up and creates them on every purchase: these are plain
  // prepared statements, the cheapest way through better-sqlite3.
  const byId = db.sqlite.prepare<[number], CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ?`);
  const byPhone = db.sqlite.prepare<[string], unknown[]>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE phone = ?`).raw();
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
  const insert = db.sqlite.prepare<[string, string | null, string | null, string | null, string, number | null, number, number]>(
    'INSERT INTO customers (phone, name, birthday, email, tags, last_purchase_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const updateTags = db.sqlite.prepare<[string, number, number]>('UPDATE customers SET tags = ?, updated_at = ? WHERE id = ?');
  const notePurchase = db.sqlite.prepare<[number, number, number]>(
    'UPDATE customers SET last_purchase_at = ? WHERE id = ? AND (last_purchase_at IS NULL OR last_purchase_at < ?)',
  );
  const markWarm = db.sqlite.prepare<[number, number, number]>(
    'UPDATE customers SET warm_at = ?, cold_refused_at = NULL, updated_at = ? WHERE id = ? AND warm_at IS NULL',
  );
  const clearRefusal = db.sqlite.prepare<[number]>('UPDATE customers SET cold_refused_at = NULL WHERE id = ? AND cold_refused_at IS NOT NULL');
  const markColdRefused = db.sqlite.prepare<[number, number, number]>(
    'UPDATE customers SET cold_refused_at = ?, updated_at = ? WHERE id = ? AND erased_at IS NULL',
  );
  const birthdayOn = db.sqlite.prepare<[string], CustomerRow>(
    `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE substr(birthday, -5) = ? AND birthday IS NOT NULL AND erased_at IS NULL ORDER BY id`,
  );
  // Read from the purchases made in the window (by their index on the time), each kept when no later
  // purchase of its customer exists: what is due, not every customer. `last_purchase_at` has no index
  // (every returning customer's purchase would rewrite it at a random place: docs/performance.md).
  const lastBought = db.sqlite.prepare<[number, number], CustomerRow & { purchaseId: number }>(
    `SELECT ${CUSTOMER_COLUMNS}, latest.purchaseId
       FROM (SELECT p.customer_id AS customerId, p.id AS purchaseId FROM purchases p
              WHERE p.purchased_at >= ? AND p.purchased_at < ?
                AND NOT EXISTS (SELECT 1 FROM purchases later WHERE later.customer_id = p.customer_id
                                  AND (later.purchased_at > p.purchased_at OR (later.purchased_at = p.purchased_at AND later.id > p.id)))) AS latest
       JOIN customers ON customers.id = latest.customerId
      WHERE erased_at IS NULL ORDER BY customers.id`,
  );
  const mustFind = (id: number): Customer => toExistingCustomer(byId.get(id), id);

  return {
    ...consent,
    ...createCustomerPauses(db),
    findById: (id) => {
      const row = byId.get(id);
      return row ? toCustomer(row) : undefined;
    },
    findByPhone: (phone) => {
      const values = byPhone.get(phone);
      return values ? customerFromValues(values) : undefined;
    },
    create: (input, now) =>
      db.transaction(() => {
        const { name = null, birthday = null, email = null, tags = [] } = input.details;
        const { lastInsertRowid } = insert.run(input.phone, name, birthday, email, JSON.stringify(tags), input.lastPurchaseAt ?? null, now, now);
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
          warmAt: null,
          coldRefusedAt: null,
          createdAt: now,
          updatedAt: now,
          erasedAt: null,
        };
        const given = input.consent ? consent.changeConsent(customer.id, input.consent, now) : customer;
        // A number on the suppression list (an opted-out person who was erased) is stored, but
        // opted out again at once: nothing automated until the person writes VOLTAR.
        return reapplySuppression(customer.id, input.phone, now) ?? given;
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
      return toExistingCustomer(row, id);
    },
    setTags: (id, tags, now) => {
      if (updateTags.run(JSON.stringify(tags), now, id).changes === 0) throw new Error(`customer ${id} does not exist`);
    },
    markWarm: (id, at) => {
      if (markWarm.run(at, at, id).changes > 0) return true;
      clearRefusal.run(id);
      return false;
    },
    markColdRefused: (id, at) => {
      markColdRefused.run(at, at, id);
    },
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
          digits.length >= PHONE_SEARCH_MIN_DIGITS ? or(byName, like(customers.phone, `%${digits}%`))! : byName,
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
    erase: (id, now) =>
      eraseCustomer(db, id, now, options.suppressions ? (phone, at) => options.suppressions!.remember(phone, at) : undefined),
  };
}

/** Digits of a phone a search needs before it looks at phones: fewer would match most of the list. */
export const PHONE_SEARCH_MIN_DIGITS = 3;

function escapeLike(text: string): string {
  // LIKE without ESCAPE treats % and _ as wildcards; searching for them literally is rare enough to drop them.
  return text.replace(/[%_]/g, '');
}
