import type { Customer } from '../../domain/customer.js';
import type { customers } from '../schema.js';

/** A customers row as drizzle types it: the shape every hand-prepared statement below reads back. */
export type CustomerRow = typeof customers.$inferSelect;

/** Every column, named as drizzle names them, for the hand-prepared statements. */
export const CUSTOMER_COLUMNS = [
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
  'warm_at AS warmAt',
  'cold_refused_at AS coldRefusedAt',
  'created_at AS createdAt',
  'updated_at AS updatedAt',
  'erased_at AS erasedAt',
  'erased_stats AS erasedStats',
].join(', ');

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
