import { asc, eq } from 'drizzle-orm';
import type { Purchase, PurchaseItem } from '../../domain/customer.js';
import type { Database } from '../db.js';
import { purchases } from '../schema.js';

export type NewPurchase = Omit<Purchase, 'id' | 'createdAt'>;

export interface PurchaseRepository {
  findByExternalId(externalId: string): Purchase | undefined;
  find(id: number): Purchase | undefined;
  create(input: NewPurchase, now: number): Purchase;
  listByCustomer(customerId: number): Purchase[];
  /**
   * The items of the newest purchases, newest first, one per SKU (or name
   * without one), at most `limit`: what the Nova venda page offers to pick.
   */
  recentItems(limit: number): PurchaseItem[];
  /**
   * The purchase is someone else's: its customer wrote with its click-to-chat
   * code from another number (the order had a relative's phone). The purchase,
   * its runs still waiting and their queued messages move to `customerId`
   * (at `phone`); what already happened stays in the first record. Both
   * customers' latest purchase is brought up to date. Returns the runs moved.
   */
  moveTo(purchaseId: number, customer: { id: number; phone: string }, now: number): number;
}

type PurchaseRow = typeof purchases.$inferSelect;

const PURCHASE_COLUMNS =
  'id, customer_id AS customerId, external_id AS externalId, items, total_cents AS totalCents, currency, source, purchased_at AS purchasedAt, created_at AS createdAt';

function toPurchase(row: PurchaseRow): Purchase {
  return { ...row, items: JSON.parse(row.items) as PurchaseItem[] };
}

export function createPurchaseRepository(db: Database): PurchaseRepository {
  const { orm } = db;

  // Intake checks the externalId and inserts on every purchase: plain prepared statements.
  const byId = db.sqlite.prepare<[number], PurchaseRow>(`SELECT ${PURCHASE_COLUMNS} FROM purchases WHERE id = ?`);
  const byExternalId = db.sqlite.prepare<[string], PurchaseRow>(`SELECT ${PURCHASE_COLUMNS} FROM purchases WHERE external_id = ?`);
  const insert = db.sqlite.prepare<[number, string | null, string, number | null, string, string, number, number]>(
    'INSERT INTO purchases (customer_id, external_id, items, total_cents, currency, source, purchased_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );

  const ownerOf = db.sqlite.prepare<[number], number>('SELECT customer_id FROM purchases WHERE id = ?').pluck();
  const movePurchase = db.sqlite.prepare<[number, number]>('UPDATE purchases SET customer_id = ? WHERE id = ?');
  const waitingRuns = db.sqlite
    .prepare<[number, number], number>("SELECT id FROM flow_runs WHERE purchase_id = ? AND customer_id = ? AND status = 'waiting'")
    .pluck();
  const moveRun = db.sqlite.prepare<[number, number, number]>('UPDATE flow_runs SET customer_id = ?, updated_at = ? WHERE id = ?');
  const moveQueued = db.sqlite.prepare<[number, string, number]>(
    "UPDATE outbox SET customer_id = ?, to_phone = ? WHERE run_id = ? AND status = 'queued'",
  );
  const latestPurchase = db.sqlite.prepare<[number, number]>(
    'UPDATE customers SET last_purchase_at = (SELECT max(purchased_at) FROM purchases WHERE customer_id = ?) WHERE id = ?',
  );

  // The newest purchases' items as stored; picked in JS (a few hundred rows at most).
  const newestItems = db.sqlite.prepare<[number], string>('SELECT items FROM purchases ORDER BY id DESC LIMIT ?').pluck();

  return {
    recentItems: (limit) => {
      const seen = new Map<string, PurchaseItem>();
      for (const items of newestItems.all(limit * 4)) {
        for (const item of JSON.parse(items) as PurchaseItem[]) {
          const key = (item.sku ?? `name:${item.name}`).toLowerCase();
          if (!seen.has(key)) seen.set(key, item);
          if (seen.size >= limit) return [...seen.values()];
        }
      }
      return [...seen.values()];
    },
    moveTo: (purchaseId, customer, now) =>
      db.transaction(() => {
        const from = ownerOf.get(purchaseId);
        if (from === undefined || from === customer.id) return 0;
        movePurchase.run(customer.id, purchaseId);
        const runs = waitingRuns.all(purchaseId, from);
        for (const run of runs) {
          moveRun.run(customer.id, now, run);
          moveQueued.run(customer.id, customer.phone, run);
        }
        latestPurchase.run(from, from);
        latestPurchase.run(customer.id, customer.id);
        return runs.length;
      }),
    findByExternalId: (externalId) => {
      const row = byExternalId.get(externalId);
      return row ? toPurchase(row) : undefined;
    },
    find: (id) => {
      const row = byId.get(id);
      return row ? toPurchase(row) : undefined;
    },
    create: (input, now) => {
      const items = input.items.map(({ sku, name, quantity, unitPriceCents }) => ({ sku, name, quantity, unitPriceCents }));
      const { lastInsertRowid } = insert.run(
        input.customerId,
        input.externalId,
        JSON.stringify(items),
        input.totalCents,
        input.currency,
        input.source,
        input.purchasedAt,
        now,
      );
      // Spelled out rather than spread: see runs.ts create.
      return {
        id: Number(lastInsertRowid),
        customerId: input.customerId,
        externalId: input.externalId,
        items,
        totalCents: input.totalCents,
        currency: input.currency,
        source: input.source,
        purchasedAt: input.purchasedAt,
        createdAt: now,
      };
    },
    listByCustomer: (customerId) =>
      orm
        .select()
        .from(purchases)
        .where(eq(purchases.customerId, customerId))
        .orderBy(asc(purchases.purchasedAt), asc(purchases.id))
        .all()
        .map(toPurchase),
  };
}
