import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_RUN_STATE } from '../../src/flows/run-types.js';
import { openDatabase, type Database } from '../../src/storage/db.js';
import { createRepositories, type Repositories } from '../../src/storage/repositories/index.js';

let db: Database;
let repos: Repositories;
beforeEach(() => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
  db.sqlite.prepare("INSERT INTO customers (phone, created_at, updated_at) VALUES ('+5511912345678', 1, 1)").run();
});
afterEach(() => db.close());

const newRun = (occurrence: string) => ({
  flowId: 'pos-compra',
  flowHash: 'h1',
  customerId: 1,
  occurrence,
  purchaseId: null,
  stepId: 'oi',
  wakeAt: 1000,
  state: EMPTY_RUN_STATE,
});

describe('runs.create', () => {
  it('answers the run as stored, the same as reading it back', () => {
    const created = repos.runs.create(newRun('manual:1'), 500);
    expect(created).toEqual(repos.runs.find(created!.id));
    expect(created).toMatchObject({ status: 'waiting', stepId: 'oi', wakeAt: 1000, createdAt: 500, updatedAt: 500, endedAt: null, endReason: null });
  });

  it('answers undefined for an occurrence the customer is already enrolled for, inside a transaction too', () => {
    expect(repos.runs.create(newRun('birthday:2026'), 1)).toBeDefined();
    const again = repos.transaction(() => {
      const second = repos.runs.create(newRun('birthday:2026'), 2);
      // The transaction goes on after the refused insert.
      const other = repos.runs.create(newRun('birthday:2027'), 2);
      return { second, other };
    });
    expect(again.second).toBeUndefined();
    expect(again.other).toBeDefined();
    expect(repos.runs.listFor(1).map((run) => run.occurrence)).toEqual(['birthday:2026', 'birthday:2027']);
  });

  it('does not hide any other failure (a customer that does not exist)', () => {
    expect(() => repos.runs.create({ ...newRun('manual:2'), customerId: 99 }, 1)).toThrow(/FOREIGN KEY/);
  });
});
