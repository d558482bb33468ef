import type { Customer } from '../../domain/customer.js';
import { getTableColumns } from 'drizzle-orm';
import { customers } from '../schema.js';

/** A customers row as drizzle types it: the shape every hand-prepared statement below reads back. */
export type CustomerRow = typeof customers.$inferSelect;

/** Every column as SQL names it and as drizzle names it (the row's key), in the schema's order. */
const COLUMNS = Object.entries(getTableColumns(customers)).map(([key, column]) => [column.name, key as keyof CustomerRow] as const);

/** Every column, named as drizzle names them, for the hand-prepared statements. */
export const CUSTOMER_COLUMNS = COLUMNS.map(([column, key]) => (column === key ? column : `${column} AS ${key}`)).join(', ');

const KEYS = COLUMNS.map(([, key]) => key);

/**
 * A customer from the values of CUSTOMER_COLUMNS in their order: what a statement read with `.raw()`
 * gives. The intake looks a customer up by phone on every purchase, and better-sqlite3 builds an
 * array faster than an object of 24 named columns (1 µs less per purchase).
 */
export function customerFromValues(values: readonly unknown[]): Customer {
  const row: Record<string, unknown> = {};
  for (let index = 0; index < KEYS.length; index += 1) row[KEYS[index]!] = values[index];
  return toCustomer(row as CustomerRow);
}

export function toCustomer(row: CustomerRow): Customer {
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
    warmAt: row.warmAt,
    coldRefusedAt: row.coldRefusedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    erasedAt: row.erasedAt,
  };
}

/** The row a change to customer `id` read back: none means the caller named a customer that does not exist, a bug. */
export function toExistingCustomer(row: CustomerRow | undefined, id: number): Customer {
  if (!row) throw new Error(`customer ${id} does not exist`);
  return toCustomer(row);
}
