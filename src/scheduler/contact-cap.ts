import type { Customer } from '../domain/customer.js';
import type { Contact } from '../storage/repositories/outbox.js';

/**
 * How a message reaches its customer, and the per-customer contact budget
 * (issue 18). WhatsApp trusts a chat the customer started: a message within a
 * day of their last one is a reply; to someone who wrote to the shop at any
 * time, a warm message; to someone who never did, a cold one (a new chat,
 * counted against WhatsApp's cap). Automated messages that were not replies
 * count toward CONTACT_CAP_PER_WEEK, over any 7 days: a customer who gets too
 * much from a shop reports it, and reports are what restrict a number.
 */

export type { Contact };

/** A message sent within this long after the customer's last message answers them. */
export const REPLY_WINDOW_MS = 24 * 3_600_000;
/** The contact cap counts what went in this rolling window. */
export const CONTACT_WINDOW_MS = 7 * 24 * 3_600_000;

/** Reply, warm or cold, from when the customer last wrote (null: never, or not kept). */
export function contactOf(customer: Pick<Customer, 'warmAt'>, lastInboundAt: number | null, now: number): Contact {
  if (lastInboundAt !== null && now - lastInboundAt < REPLY_WINDOW_MS) return 'reply';
  return customer.warmAt !== null ? 'warm' : 'cold';
}

/**
 * With `cap` messages allowed in any CONTACT_WINDOW_MS, and the counted ones
 * sent at `sentAt`: null when one more may go at `now`, else the moment it
 * may (when enough of them have left the window).
 */
export function contactCapHold(sentAt: readonly number[], cap: number, now: number): number | null {
  const recent = sentAt.filter((at) => at > now - CONTACT_WINDOW_MS).sort((a, b) => a - b);
  if (recent.length < cap) return null;
  return recent[recent.length - cap]! + CONTACT_WINDOW_MS;
}
