import type { Customer, CustomerDetails, Purchase } from '../domain/customer.js';
import { isVaguerBirthday } from '../domain/dates.js';
import type { StartedRun } from '../scheduler/flow-runner.js';
import type { Repositories } from '../storage/repositories/index.js';
import type { PurchaseInput } from './purchase-input.js';

/** Enrols the customer in the flows a purchase starts; runs inside the purchase's transaction. */
export type Enroll = (customer: Customer, purchase: Purchase) => StartedRun[];

export type RecordPurchaseResult =
  | { outcome: 'created'; customer: Customer; purchase: Purchase; runs: StartedRun[] }
  /** The externalId was seen before: nothing was changed or started, the stored purchase is returned. */
  | { outcome: 'duplicate'; customer: Customer; purchase: Purchase; runs: [] };

/**
 * Stores a purchase and creates or updates its customer (matched by phone), in
 * one transaction: a purchase is never stored without its customer, and a
 * repeated externalId changes nothing.
 */
export function recordPurchase(repos: Repositories, input: PurchaseInput, now: number, enroll?: Enroll): RecordPurchaseResult {
  return repos.transaction(() => {
    if (input.externalId !== null) {
      const existing = repos.purchases.findByExternalId(input.externalId);
      if (existing) {
        const customer = repos.customers.findById(existing.customerId);
        if (!customer) throw new Error(`purchase ${existing.id} has no customer ${existing.customerId}`);
        return { outcome: 'duplicate', customer, purchase: existing, runs: [] };
      }
    }

    const { customer, created } = upsertCustomer(repos, input.customer, now, input.purchasedAt);
    const purchase = repos.purchases.create(
      {
        customerId: customer.id,
        externalId: input.externalId,
        items: input.items,
        totalCents: input.totalCents,
        currency: input.currency,
        source: input.source,
        purchasedAt: input.purchasedAt,
      },
      now,
    );
    // A new customer's insert already wrote this purchase as their latest.
    if (!created) repos.customers.notePurchase(customer.id, purchase.purchasedAt);
    // Issue 21: a referred friend who buys converts their referral, with this purchase; the
    // referrer's thank-you is enqueued by the enrolment (rewardConvertedReferral), in this transaction.
    repos.rewards.convertReferral(customer, purchase, now);
    return { outcome: 'created', customer, purchase, runs: enroll ? enroll(customer, purchase) : [] };
  });
}

/**
 * Finds the customer by phone and applies what was given; creates them when new,
 * with `purchasedAt` (the purchase that brings them, if any) as their latest.
 */
export function upsertCustomer(
  repos: Repositories,
  input: PurchaseInput['customer'],
  now: number,
  purchasedAt?: number,
): { customer: Customer; created: boolean } {
  const existing = repos.customers.findByPhone(input.phone);
  if (!existing) {
    const customer = repos.customers.create({ phone: input.phone, details: input.details, consent: input.consent, lastPurchaseAt: purchasedAt }, now);
    return { customer, created: true };
  }
  const changes = changedDetails(existing, input.details);
  let customer = changes ? repos.customers.update(existing.id, changes, now) : existing;
  if (input.consent) customer = repos.customers.changeConsent(customer.id, input.consent, now);
  return { customer, created: false };
}

/** Only what differs, so that a repeat customer's row is not rewritten for nothing. */
function changedDetails(customer: Customer, details: CustomerDetails): CustomerDetails | undefined {
  const changes: CustomerDetails = {};
  if (details.name !== undefined && details.name !== customer.name) changes.name = details.name;
  if (details.birthday !== undefined && details.birthday !== customer.birthday) {
    if (details.birthday === null || !isVaguerBirthday(details.birthday, customer.birthday)) changes.birthday = details.birthday;
  }
  if (details.email !== undefined && details.email !== customer.email) changes.email = details.email;
  if (details.tags !== undefined) {
    const merged = [...new Set([...customer.tags, ...details.tags])];
    if (merged.length !== customer.tags.length) changes.tags = merged;
  }
  return Object.keys(changes).length > 0 ? changes : undefined;
}
