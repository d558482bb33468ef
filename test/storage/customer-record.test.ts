import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/storage/db.js';
import { customerRecord, customerRecordByPhone, findCustomer, readCustomerRecord } from '../../src/storage/repositories/customer-record.js';
import { createRepositories, type Repositories } from '../../src/storage/repositories/index.js';

// The one read of a customer's whole record, behind the Clientes page and GET /api/customers/:id.

const ANA = '+5511912345678';
let db: Database;
let repos: Repositories;
beforeEach(() => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
});
afterEach(() => db.close());

describe('customerRecord', () => {
  it('reads the customer and every list of the record, oldest first', () => {
    const ana = repos.customers.create({ phone: ANA, details: { name: 'Ana' } }, 100);
    const purchase = repos.purchases.create({ customerId: ana.id, externalId: 'p1', items: [{ sku: null, name: 'Café', quantity: 1, unitPriceCents: 1000 }], totalCents: 1000, currency: 'BRL', source: 'api', purchasedAt: 150 }, 150);
    repos.messages.record({ customerId: ana.id, direction: 'out', waId: 'w1', kind: 'text', text: 'oi', status: 'sending' }, 200);
    repos.messages.record({ customerId: ana.id, direction: 'in', waId: 'w2', kind: 'text', text: '9', status: 'received' }, 300);
    const answer = repos.answers.record({ customerId: ana.id, runId: null, stepId: 'p', kind: 'nps', value: '9', comment: null, messageWaId: 'w2', at: 300 });
    repos.referrals.record(ana.id, [{ name: 'Carla', phone: '+5521988887777' }], answer.id, 300);
    const optedOut = repos.customers.optOut(ana.id, { source: 'whatsapp', text: 'SAIR' }, 400);

    const read = customerRecord(repos, ana.id);
    expect(read.found).toBe('live');
    const { record } = read as Extract<typeof read, { found: 'live' }>;
    expect(record).toEqual({
      customer: optedOut,
      purchases: [purchase],
      messages: [expect.objectContaining({ waId: 'w1', createdAt: 200 }), expect.objectContaining({ waId: 'w2', createdAt: 300 })],
      consentHistory: [
        expect.objectContaining({ purpose: 'messages', state: 'revoked', source: 'whatsapp', text: 'SAIR', at: 400 }),
        expect.objectContaining({ purpose: 'marketing', state: 'revoked', source: 'whatsapp', text: 'SAIR', at: 400 }),
      ],
      runs: [],
      answers: [answer],
      referrals: [expect.objectContaining({ name: 'Carla', phone: '+5521988887777' })],
    });
    // By phone, and from a customer already in hand: the same record.
    expect(customerRecordByPhone(repos, ANA)).toEqual(read);
    expect(readCustomerRecord(repos, optedOut)).toEqual(record);
  });

  it('tells nobody from an erased customer, whose tombstone the pages show', () => {
    expect(customerRecord(repos, 999)).toEqual({ found: 'none' });
    expect(customerRecordByPhone(repos, ANA)).toEqual({ found: 'none' });
    const ana = repos.customers.create({ phone: ANA, details: { name: 'Ana' } }, 100);
    expect(findCustomer(repos, ana.id)).toEqual({ found: 'live', customer: ana });
    repos.customers.erase(ana.id, 500);
    const erased = customerRecord(repos, ana.id);
    expect(erased).toEqual({ found: 'erased', customer: expect.objectContaining({ id: ana.id, phone: null, name: null, erasedAt: 500 }) });
    expect(findCustomer(repos, ana.id)).toEqual(erased);
    // The number no longer leads to anyone.
    expect(customerRecordByPhone(repos, ANA)).toEqual({ found: 'none' });
  });
});
