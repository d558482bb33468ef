/**
 * Why a message in the outbox was held, skipped or settled: the codes stored
 * in outbox.last_error, translated only where a person reads them (the Envios
 * page maps each to a message with `satisfies Record<Reason, MessageKey>`;
 * docs/api.md lists them). The reasons that stop a run are stored alike as
 * the run's end_reason. Beside these codes, last_error keeps a channel's own
 * error as it came ("failed: …", "not_on_whatsapp: …"), never translated.
 */
export const REASONS = [
  /** Held: DAILY_SEND_CAP messages went today; it waits for the next sendable day. */
  'daily_cap',
  /** Held: the seller paused this customer's automation. */
  'seller_pause',
  /** Held: the owner is talking to the customer (the handoff pause). */
  'handoff',
  /** Unknown: the service stopped between the claim and the channel's answer. */
  'interrupted',
  /** Expired: due longer ago than the step allows; never sent. */
  'expired',
  /** Skipped, and the runs stopped: the customer opted out. */
  'opted_out',
  /** Skipped: a marketing message to a customer without marketing consent. */
  'no_marketing_consent',
  /** Skipped: the customer's data was erased. */
  'erased',
  /** Skipped, and the run stopped: a newer purchase replaced a repurchase reminder. */
  'superseded',
  /** Skipped, and the run stopped: the seller stopped the flow. */
  'cancelled_by_seller',
  /** Skipped, and the run stopped: a duplicate customer was merged into another. */
  'merged',
  /** Unknown, settled by the seller: it arrived. */
  'resolved_sent',
  /** Unknown, settled by the seller: treated as not sent. */
  'resolved_discarded',
  /** Unknown, sent again at the seller's request; stored with the first attempt's WhatsApp id (`resent:<id>`). */
  'resent',
  /** Held: the cold budget of this cycle is spent (WhatsApp's quota less the margin, the warm-up ramp, COLD_DAILY_CAP); it waits for the next cycle or day. */
  'cold_budget',
  /** Held: WhatsApp's reach-out time lock: no new chats until it ends. */
  'reachout_lock',
  /** Held: CONTACT_CAP_PER_WEEK automated messages reached this customer in the last 7 days. */
  'contact_cap',
  /** Failed: WhatsApp refused this cold message (463); never retried, the customer is reached only if they write first. */
  'cold_refused',
  /** Skipped: the customer is cold and the flow says to skip (cold: skip), or WhatsApp refused them before. */
  'cold_skipped',
  /** Skipped: the message names {{ shop.review_url }} and SHOP_REVIEW_URL is not set; sent with a blank link it would make no sense. */
  'no_review_url',
] as const;

export type Reason = (typeof REASONS)[number];

/** Why the flow runner stops a run and skips its queued messages: the same code on both. */
export type StopReason = Extract<Reason, 'opted_out' | 'superseded' | 'cancelled_by_seller'>;

/** A reason with what it refers to (the first attempt of a resend), as stored: `code:detail`. */
export function reasonWithDetail(reason: Reason, detail: string): string {
  return `${reason}:${detail}`;
}

/**
 * The reason a stored last_error holds, with its detail ('' when none), or
 * undefined for a channel's own error or anything else written as it came.
 */
export function readReason(stored: string): { reason: Reason; detail: string } | undefined {
  const colon = stored.indexOf(':');
  const code = colon < 0 ? stored : stored.slice(0, colon);
  return isReason(code) ? { reason: code, detail: colon < 0 ? '' : stored.slice(colon + 1) } : undefined;
}

function isReason(code: string): code is Reason {
  return (REASONS as readonly string[]).includes(code);
}
