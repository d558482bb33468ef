import type { Database } from '../db.js';
import { createCustomerRepository, type CustomerRepository } from './customers.js';
import { createMessageRepository, type MessageRepository } from './messages.js';
import { createPurchaseRepository, type PurchaseRepository } from './purchases.js';

export type { CustomerRepository, MessageRepository, PurchaseRepository };

/** Every repository over one database, plus its transaction: what use cases receive. */
export interface Repositories {
  customers: CustomerRepository;
  purchases: PurchaseRepository;
  messages: MessageRepository;
  transaction<T>(work: () => T): T;
}

export function createRepositories(db: Database): Repositories {
  return {
    customers: createCustomerRepository(db),
    purchases: createPurchaseRepository(db),
    messages: createMessageRepository(db),
    transaction: (work) => db.transaction(work),
  };
}
