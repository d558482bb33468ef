import type { ConsentEvent, Customer, Message, Purchase } from '../../domain/customer.js';
import type { Run } from '../../flows/run-types.js';
import type { Answer } from './answers.js';
import type { Repositories } from './index.js';
import type { Referral } from './referrals.js';

/**
 * Everything stored about one customer (design.md, The customer record), each
 * list oldest first: what GET /api/customers/:id answers, what its export
 * downloads and what the Clientes page draws its timeline from.
 */
export interface CustomerRecord {
  customer: Customer;
  purchases: Purchase[];
  messages: Message[];
  consentHistory: ConsentEvent[];
  runs: Run[];
  answers: Answer[];
  referrals: Referral[];
}

/**
 * A customer looked up by id or phone: the live one, the tombstone of an
 * erased one (the pages say when; the API answers 410), or nobody.
 */
export type CustomerLookup = { found: 'live'; customer: Customer } | { found: 'erased'; customer: Customer } | { found: 'none' };

/** A record read by id or phone: the whole record of a live customer, or why there is none. */
export type CustomerRecordRead = { found: 'live'; record: CustomerRecord } | Exclude<CustomerLookup, { found: 'live' }>;

type RecordReads = Pick<Repositories, 'customers' | 'purchases' | 'messages' | 'runs' | 'answers' | 'referrals'>;

/** The customer with that id, told apart from an erased one: what every route on one customer starts with. */
export function findCustomer(repos: Pick<Repositories, 'customers'>, id: number): CustomerLookup {
  return lookupOf(repos.customers.findById(id));
}

/** The whole record of the customer with that id (the page and GET /api/customers/:id). */
export function customerRecord(repos: RecordReads, id: number): CustomerRecordRead {
  return recordRead(repos, findCustomer(repos, id));
}

/** The whole record of the customer with that phone (E.164), as GET /api/customers?phone= answers it. */
export function customerRecordByPhone(repos: RecordReads, e164: string): CustomerRecordRead {
  return recordRead(repos, lookupOf(repos.customers.findByPhone(e164)));
}

/** The record of a customer already in hand (just changed by a write in the same request). */
export function readCustomerRecord(repos: RecordReads, customer: Customer): CustomerRecord {
  const id = customer.id;
  return {
    customer,
    purchases: repos.purchases.listByCustomer(id),
    messages: repos.messages.listByCustomer(id),
    consentHistory: repos.customers.listConsentEvents(id),
    runs: repos.runs.listFor(id),
    answers: repos.answers.listFor(id),
    referrals: repos.referrals.listFor(id),
  };
}

function lookupOf(customer: Customer | undefined): CustomerLookup {
  if (!customer) return { found: 'none' };
  return customer.erasedAt === null ? { found: 'live', customer } : { found: 'erased', customer };
}

function recordRead(repos: RecordReads, lookup: CustomerLookup): CustomerRecordRead {
  return lookup.found === 'live' ? { found: 'live', record: readCustomerRecord(repos, lookup.customer) } : lookup;
}
