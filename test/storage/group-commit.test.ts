import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/storage/db.js';
import { GroupCommit } from '../../src/storage/group-commit.js';

let db: Database;
let commits: number;
let counted: Database;
beforeEach(() => {
  db = openDatabase(':memory:');
  commits = 0;
  // The same database, counting the outermost transactions it runs.
  counted = {
    ...db,
    transaction: <T>(work: () => T): T => {
      if (!db.sqlite.inTransaction) commits += 1;
      return db.transaction(work);
    },
  };
});
afterEach(() => db.close());

const insert = (phone: string) => () =>
  Number(db.sqlite.prepare('INSERT INTO customers (phone, created_at, updated_at) VALUES (?, 1, 1)').run(phone).lastInsertRowid);
const phones = () => db.sqlite.prepare('SELECT phone FROM customers ORDER BY id').pluck().all();

describe('GroupCommit', () => {
  it('commits the writes of one event-loop turn together, and answers each job', async () => {
    const writes = new GroupCommit(counted);
    const results = await Promise.all(['+5511900000001', '+5511900000002', '+5511900000003'].map((phone) => writes.run(insert(phone))));
    expect(results).toEqual([1, 2, 3]);
    expect(commits).toBe(1);
    expect(phones()).toHaveLength(3);
  });

  it('settles a job only after its commit', async () => {
    const writes = new GroupCommit(counted);
    const pending = writes.run(insert('+5511900000001'));
    expect(db.sqlite.inTransaction).toBe(false);
    expect(phones()).toEqual([]);
    await pending;
    expect(phones()).toEqual(['+5511900000001']);
  });

  it('rolls back only the job that failed; the others commit', async () => {
    const writes = new GroupCommit(counted);
    const outcomes = await Promise.allSettled([
      writes.run(insert('+5511900000001')),
      writes.run(() => {
        insert('+5511900000002')();
        throw new Error('half-written job');
      }),
      writes.run(insert('+5511900000001')), // duplicate phone: UNIQUE fails
      writes.run(insert('+5511900000003')),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('half-written job'));
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(phones()).toEqual(['+5511900000001', '+5511900000003']);
  });

  it('rejects every job of a batch whose commit fails, and stores none of them', async () => {
    const failing: Database = {
      ...db,
      transaction: <T>(work: () => T): T =>
        db.transaction(() => {
          work();
          throw new Error('disk I/O error');
        }),
    };
    const writes = new GroupCommit(failing);
    const outcomes = await Promise.allSettled([writes.run(insert('+5511900000001')), writes.run(insert('+5511900000002'))]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(phones()).toEqual([]);
  });

  it('splits a long queue into batches of at most maxBatch', async () => {
    const writes = new GroupCommit(counted, { maxBatch: 2 });
    await Promise.all(Array.from({ length: 5 }, (_, i) => writes.run(insert(`+551190000000${i}`))));
    expect(commits).toBe(3);
    expect(phones()).toHaveLength(5);
  });

  it('runs jobs that come while a batch commits in a later batch', async () => {
    const writes = new GroupCommit(counted);
    await writes.run(insert('+5511900000001'));
    await writes.run(insert('+5511900000002'));
    expect(commits).toBe(2);
  });
});
