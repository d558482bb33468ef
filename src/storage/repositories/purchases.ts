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

  return {
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
