import type { Customer } from '../../src/domain/customer.js';

/**
 * A customer as the record holds one, for pure functions that take a Customer
 * (view models, the template context): Ana, known since `at`, with nothing
 * else set; override what a test is about.
 */
export function aCustomer(overrides: Partial<Customer> = {}, at = 1): Customer {
  return {
    id: 7,
    phone: '+5511912345678',
    name: 'Ana',
    birthday: null,
    email: null,
    tags: [],
    consent: { marketing: 'unknown', at: null, source: null, text: null },
    optedOutAt: null,
    whatsappJid: null,
    handoffUntil: null,
    automationPausedAt: null,
    stopReview: null,
    suppressedAt: null,
    warmAt: null,
    coldRefusedAt: null,
    createdAt: at,
    updatedAt: at,
    erasedAt: null,
    ...overrides,
  };
}
