import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Purchase, PurchaseItem } from '../../domain/customer.js';
import type { Database } from '../db.js';
import { purchaseItems, purchases } from '../schema.js';

export interface NewPurchase {
  customerId: number;
  externalId: string | null;
  items: PurchaseItem[];
  totalCents: number | null;
  currency: string;
  source: string;
  purchasedAt: number;
}

export interface PurchaseRepository {
  findByExternalId(externalId: string): Purchase | undefined;
  create(input: NewPurchase, now: number): Purchase;
  listByCustomer(customerId: number): Purchase[];
}

type PurchaseRow = typeof purchases.$inferSelect;
type ItemRow = typeof purchaseItems.$inferSelect;

function toPurchase(row: PurchaseRow, items: ItemRow[]): Purchase {
  return {
    id: row.id,
    customerId: row.customerId,
    externalId: row.externalId,
    items: items.map((item) => ({
      sku: item.sku,
      name: item.name,
      quantity: item.quantity,
      unitPriceCents: item.unitPriceCents,
    })),
    totalCents: row.totalCents,
    currency: row.currency,
    source: row.source,
    purchasedAt: row.purchasedAt,
    createdAt: row.createdAt,
  };
}

export function createPurchaseRepository(db: Database): PurchaseRepository {
  const { orm } = db;
  const p = sql.placeholder;

  const byExternalId = orm.select().from(purchases).where(eq(purchases.externalId, p('externalId'))).prepare();
  const itemsOf = orm
    .select()
    .from(purchaseItems)
    .where(eq(purchaseItems.purchaseId, p('purchaseId')))
    .orderBy(asc(purchaseItems.position))
    .prepare();
  const insert = orm
    .insert(purchases)
    .values({
      customerId: p('customerId'),
      externalId: p('externalId'),
      totalCents: p('totalCents'),
      currency: p('currency'),
      source: p('source'),
      purchasedAt: p('purchasedAt'),
      createdAt: p('now'),
    })
    .returning()
    .prepare();
  const insertItem = orm
    .insert(purchaseItems)
    .values({
      purchaseId: p('purchaseId'),
      position: p('position'),
      sku: p('sku'),
      name: p('name'),
      quantity: p('quantity'),
      unitPriceCents: p('unitPriceCents'),
    })
    .prepare();

  return {
    findByExternalId: (externalId) => {
      const row = byExternalId.get({ externalId });
      return row ? toPurchase(row, itemsOf.all({ purchaseId: row.id })) : undefined;
    },
    create: (input, now) =>
      db.transaction(() => {
        const row = insert.get({ ...input, now });
        if (!row) throw new Error('purchase insert returned nothing');
        input.items.forEach((item, position) => insertItem.run({ purchaseId: row.id, position, ...item }));
        return toPurchase(
          row,
          input.items.map((item, position) => ({ purchaseId: row.id, position, ...item })),
        );
      }),
    listByCustomer: (customerId) => {
      const rows = orm
        .select()
        .from(purchases)
        .where(eq(purchases.customerId, customerId))
        .orderBy(asc(purchases.purchasedAt), asc(purchases.id))
        .all();
      if (rows.length === 0) return [];
      const items = orm
        .select()
        .from(purchaseItems)
        .where(inArray(purchaseItems.purchaseId, rows.map((row) => row.id)))
        .orderBy(asc(purchaseItems.purchaseId), asc(purchaseItems.position))
        .all();
      const byPurchase = new Map<number, ItemRow[]>();
      for (const item of items) {
        const list = byPurchase.get(item.purchaseId);
        if (list) list.push(item);
        else byPurchase.set(item.purchaseId, [item]);
      }
      return rows.map((row) => toPurchase(row, byPurchase.get(row.id) ?? []));
    },
  };
}
