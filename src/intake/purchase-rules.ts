/** What a purchase is once read, and the rules both readers of a purchase body (zod schema, quick path) share. */
import type { ConsentChange, CustomerDetails, PurchaseItem } from '../domain/customer.js';

/** A purchase after validation: phone in E.164, money in integer minor units, times in epoch ms. */
export interface PurchaseInput {
  externalId: string | null;
  customer: { phone: string; details: CustomerDetails; consent: ConsentChange | undefined };
  items: PurchaseItem[];
  totalCents: number | null;
  currency: string;
  source: string;
  purchasedAt: number;
}

/**
 * A purchase whose customer gave no phone: kept as it is (pending_purchases)
 * until someone writes to the shop with its click-to-chat code, then recorded
 * with that person's number as any purchase.
 */
export type PhonelessPurchaseInput = Omit<PurchaseInput, 'customer'> & { customer: Omit<PurchaseInput['customer'], 'phone'> };

export const MAX_ITEMS = 500;
export const MAX_QUANTITY = 100_000;
export const TEXT_LIMITS = { externalId: 200, customerName: 200, sku: 100, itemName: 300, source: 50 } as const;
const FUTURE_TOLERANCE_MS = 5 * 60_000; // shop systems' clocks drift a little
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EARLIEST_PURCHASE = Date.UTC(2000, 0, 1);

/** epoch ms of an ISO 8601 purchase time, or why it is refused. */
export function readPurchaseTime(value: string, now: number): { ok: true; time: number } | { ok: false; problem: 'invalid' | 'in_future' } {
  const parsed = ISO_DATETIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed) || parsed < EARLIEST_PURCHASE) return { ok: false, problem: 'invalid' };
  if (parsed > now + FUTURE_TOLERANCE_MS) return { ok: false, problem: 'in_future' };
  return { ok: true, time: parsed };
}

/** The total when every line has a price; unknown (null) otherwise. */
export function sumItems(items: PurchaseItem[]): number | null {
  let total = 0;
  for (const item of items) {
    if (item.unitPriceCents === null) return null;
    total += item.unitPriceCents * item.quantity;
  }
  return Number.isSafeInteger(total) ? total : null;
}

