import type { Customer } from '../../domain/customer.js';
import type { Database } from '../db.js';
import { CUSTOMER_COLUMNS, toExistingCustomer, type CustomerRow } from './customer-row.js';
import { HELD_BY_SELLER_PAUSE } from './outbox.js';

/** When automation waits for a person: the owner's handoff, the seller's pause, a possible stop under review. */
export interface CustomerPauses {
  /** Automation for this customer waits until `until` (the owner is talking to them); a later pause is never shortened. */
  pauseUntil(id: number, until: number, now: number): void;
  /**
   * The seller pauses automation for this customer until resumed (unlike the
   * owner's handoff, which ends by itself). A pause already on keeps its time.
   */
  pauseAutomation(id: number, now: number): Customer;
  /**
   * Ends the seller's pause; the customer's flow messages held by it become due
   * at once (the sender still applies quiet hours, days off and the cap).
   */
  resumeAutomation(id: number, now: number): Customer;
  /**
   * The customer wrote something that may ask to stop the messages: their
   * automation is paused (as the seller's pause, until resumed) and the text
   * kept, for the owner to confirm the opt-out or resume. Resuming or opting
   * out ends the review.
   */
  holdForStopReview(id: number, text: string, now: number): Customer;
}

export function createCustomerPauses(db: Database): CustomerPauses {
  const setHandoff = db.sqlite.prepare<[number, number, number, number]>(
    'UPDATE customers SET handoff_until = ?, updated_at = ? WHERE id = ? AND (handoff_until IS NULL OR handoff_until < ?)',
  );
  const setAutomationPaused = db.sqlite.prepare<[number, number, number], CustomerRow>(
    `UPDATE customers SET automation_paused_at = coalesce(automation_paused_at, ?), updated_at = ? WHERE id = ? RETURNING ${CUSTOMER_COLUMNS}`,
  );
  const clearAutomationPaused = db.sqlite.prepare<[number, number], CustomerRow>(
    `UPDATE customers SET automation_paused_at = NULL, stop_review_at = NULL, stop_review_text = NULL, updated_at = ? WHERE id = ? RETURNING ${CUSTOMER_COLUMNS}`,
  );
  const setStopReview = db.sqlite.prepare<[number, string, number, number, number], CustomerRow>(
    `UPDATE customers SET stop_review_at = ?, stop_review_text = ?, automation_paused_at = coalesce(automation_paused_at, ?), updated_at = ?
     WHERE id = ? RETURNING ${CUSTOMER_COLUMNS}`,
  );
  // The sender holds a paused customer's messages until they would expire, marked as held by the
  // pause (send-governor.ts): on resume they are due again from now, or from their own due time if later.
  const releaseHeld = db.sqlite.prepare<{ id: number; now: number; mark: string }>(
    `UPDATE outbox SET not_before = max(due_at, @now), last_error = NULL
     WHERE customer_id = @id AND status = 'queued' AND purpose = 'customer' AND last_error = @mark AND not_before > @now`,
  );

  return {
    pauseUntil: (id, until, now) => {
      setHandoff.run(until, now, id, until);
    },
    pauseAutomation: (id, now) => toExistingCustomer(setAutomationPaused.get(now, now, id), id),
    resumeAutomation: (id, now) =>
      db.transaction(() => {
        const customer = toExistingCustomer(clearAutomationPaused.get(now, id), id);
        releaseHeld.run({ id, now, mark: HELD_BY_SELLER_PAUSE });
        return customer;
      }),
    holdForStopReview: (id, text, now) => toExistingCustomer(setStopReview.get(now, text, now, now, id), id),
  };
}
