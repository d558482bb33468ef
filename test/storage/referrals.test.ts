import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/storage/db.js';
import { createRepositories, type Repositories } from '../../src/storage/repositories/index.js';

let db: Database;
let repos: Repositories;
let ana: number;
let bruno: number;
beforeEach(() => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
  ana = repos.customers.create({ phone: '+5511912345678', details: { name: 'Ana' } }, 1).id;
  bruno = repos.customers.create({ phone: '+5521998765432', details: { name: 'Bruno' } }, 1).id;
});
afterEach(() => db.close());

function referralAnswer(customerId: number, value: string, at: number) {
  return repos.answers.record({ customerId, runId: null, stepId: 'indique', kind: 'referral', value, comment: null, messageWaId: `WA-${at}`, at });
}

const count = (table: string) => db.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get();

describe('referrals.record', () => {
  it('stores each friend once per referrer, linked to the answer, and answers how many were new', () => {
    const answer = referralAnswer(ana, '+5521988887777,+5531977776666', 100);
    const friends = [{ name: 'Carla', phone: '+5521988887777' }, { name: null, phone: '+5531977776666' }];
    expect(repos.referrals.record(ana, friends, answer.id, 100)).toBe(2);
    expect(repos.referrals.listFor(ana)).toEqual([
      { id: expect.any(Number), referrerCustomerId: ana, name: 'Carla', phone: '+5521988887777', answerId: answer.id, createdAt: 100 },
      { id: expect.any(Number), referrerCustomerId: ana, name: null, phone: '+5531977776666', answerId: answer.id, createdAt: 100 },
    ]);

    // The same friend again, in another answer and twice in one list: nothing new.
    const again = referralAnswer(ana, '+5521988887777', 200);
    const twice = [{ name: null, phone: '+5521988887777' }, { name: null, phone: '+5521988887777' }];
    expect(repos.referrals.record(ana, twice, again.id, 200)).toBe(0);
    expect(repos.referrals.listFor(ana)).toHaveLength(2);
    expect(repos.referrals.listFor(ana)[0]).toMatchObject({ name: 'Carla', answerId: answer.id, createdAt: 100 });

    // Another customer recommending the same friend is their own referral.
    expect(repos.referrals.record(bruno, [{ name: 'Carla S.', phone: '+5521988887777' }], null, 300)).toBe(1);
    expect(repos.referrals.listFor(bruno)).toMatchObject([{ name: 'Carla S.', phone: '+5521988887777', answerId: null }]);
    expect(repos.referrals.record(bruno, [], null, 300)).toBe(0);
  });

  it('fills a missing name when the friend is given again with one, and never replaces a name', () => {
    repos.referrals.record(ana, [{ name: null, phone: '+5521988887777' }, { name: '  ', phone: '+5531977776666' }], null, 100);
    expect(repos.referrals.listFor(ana).map((r) => r.name)).toEqual([null, null]);

    expect(repos.referrals.record(ana, [{ name: 'Carla', phone: '+5521988887777' }], null, 200)).toBe(0);
    expect(repos.referrals.record(ana, [{ name: 'Outra Carla', phone: '+5521988887777' }], null, 300)).toBe(0);
    expect(repos.referrals.listFor(ana).map((r) => r.name)).toEqual(['Carla', null]);
  });

  it('never makes the friends customers', () => {
    repos.referrals.record(ana, [{ name: 'Carla', phone: '+5521988887777' }], null, 100);
    expect(repos.customers.findByPhone('+5521988887777')).toBeUndefined();
    expect(count('customers')).toBe(2);
    expect(count('outbox')).toBe(0);
  });

  it('joins the caller transaction: undone with it', () => {
    expect(() =>
      repos.transaction(() => {
        repos.referrals.record(ana, [{ name: 'Carla', phone: '+5521988887777' }], null, 100);
        throw new Error('later step failed');
      }),
    ).toThrow('later step failed');
    expect(repos.referrals.listFor(ana)).toEqual([]);
  });
});

describe('erasure and referrals', () => {
  it('erasing a customer deletes the people they recommended and every referral of their own number', () => {
    const answer = referralAnswer(ana, '+5521998765432,+5521988887777', 100);
    repos.referrals.record(ana, [{ name: 'Bruno', phone: '+5521998765432' }, { name: 'Carla', phone: '+5521988887777' }], answer.id, 100);
    repos.referrals.record(bruno, [{ name: 'Ana', phone: '+5511912345678' }, { name: 'Davi', phone: '+5541966665555' }], null, 100);

    repos.customers.erase(ana, 500);
    expect(repos.referrals.listFor(ana)).toEqual([]);
    // Bruno's recommendation of Ana named her and carried her number: gone; Davi stays.
    expect(repos.referrals.listFor(bruno).map((r) => r.phone)).toEqual(['+5541966665555']);
    expect(JSON.stringify(db.sqlite.prepare('SELECT * FROM referrals').all())).not.toMatch(/5511912345678|Ana/);

    // Bruno erased too: his own referrals go, and Ana's recommendation of him went with her.
    repos.customers.erase(bruno, 600);
    expect(count('referrals')).toBe(0);
  });

  it('erasing a customer nobody recommended leaves the referrals of others alone', () => {
    repos.referrals.record(ana, [{ name: 'Carla', phone: '+5521988887777' }], null, 100);
    repos.customers.erase(bruno, 500);
    expect(repos.referrals.listFor(ana)).toHaveLength(1);
  });
});
