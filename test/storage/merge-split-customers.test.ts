import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/storage/db.js';
import { createRepositories } from '../../src/storage/repositories/index.js';
import { mergeSplitCustomers } from '../../src/storage/repositories/merge-split-customers.js';

// split-customers.db was made by the code before the fix (commit 8621a37), through its real
// WhatsApp adapter, inbox and shipped flows (test/fixtures/split-customers/make-fixture.ts):
// Ana (+55 31 99966-8527) bought and got the NPS; WhatsApp addresses her as 553199668527, so her
// answer, the owner's message to her and her SAIR made a second customer, +553199668527.
// Bruno wrote first from a LID whose alt was his 12-digit JID: he exists only in that form.
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/split-customers/split-customers.db');
const NOW = Date.parse('2026-12-01T12:00:00Z');

let dir: string | undefined;
let db: Database | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function openFixture(): Database {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-merge-'));
  const file = path.join(dir, 'fregues.db');
  fs.copyFileSync(FIXTURE, file);
  db = openDatabase(file);
  return db;
}

type Row = Record<string, unknown>;

function snapshot(d: Database) {
  const all = (table: string) => d.sqlite.prepare<[], Row>(`SELECT * FROM ${table} ORDER BY 1`).all();
  return {
    customers: all('customers'),
    messages: all('messages'),
    others: ['answers', 'flow_runs', 'outbox', 'consent_events', 'purchases', 'referrals', 'whatsapp_lids'].map(all),
  };
}

describe('merging customers split by the ninth digit, on a database the old code made', () => {
  it('the fixture is what the issue saw: two Anas, the answer, pause and SAIR on the duplicate', () => {
    const d = openFixture();
    const rows = d.sqlite.prepare<[], { phone: string; opted_out_at: number | null; handoff_until: number | null }>('SELECT phone, opted_out_at, handoff_until FROM customers ORDER BY id').all();
    expect(rows.map((r) => r.phone)).toEqual(['+5531999668527', '+5531988887777', '+553199668527', '+552187654321']);
    expect(rows[0]!.opted_out_at).toBeNull();
    expect(rows[2]!.opted_out_at).not.toBeNull();
    expect(rows[2]!.handoff_until).not.toBeNull();
  });

  it('moves messages, consent and state to the canonical customer; the most protective state wins', () => {
    const d = openFixture();
    const repos = createRepositories(d);
    const before = snapshot(d);
    const messagesOfDuplicate = d.sqlite.prepare('SELECT count(*) FROM messages WHERE customer_id = 3').pluck().get() as number;
    expect(messagesOfDuplicate).toBeGreaterThan(0);
    const optedOut: number[] = [];

    const report = mergeSplitCustomers(d, NOW, { onOptedOut: (id) => optedOut.push(id) });

    expect(report.merged).toEqual([{ from: '+553199668527', into: '+5531999668527', keptId: 1, droppedId: 3 }]);
    expect(report.renamed).toEqual([{ from: '+552187654321', into: '+5521987654321', id: 4 }]);
    expect(report.lids).toBe(1);
    expect(optedOut).toEqual([1]);

    const ana = repos.customers.findByPhone('+5531999668527')!;
    expect(ana.id).toBe(1);
    expect(ana.name).toBe('Ana Souza'); // the seller's name, not the push name
    expect(ana.optedOutAt).toBe(before.customers.find((c) => c.id === 3)?.opted_out_at);
    expect(ana.handoffUntil).not.toBeNull();
    expect(ana.email).toBe('ana@example.com');
    expect(repos.customers.findByPhone('+553199668527')).toBeUndefined();
    // Every message of both records is Ana's now; none was lost.
    expect(d.sqlite.prepare('SELECT count(*) FROM messages WHERE customer_id = 1').pluck().get()).toBe(before.messages.filter((m) => m.customer_id === 1 || m.customer_id === 3).length);
    expect(d.sqlite.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(before.messages.length);
    // The SAIR and its consent revocation are in her history.
    expect(repos.customers.listConsentEvents(1).some((event) => event.state === 'revoked' && event.text === 'SAIR')).toBe(true);

    const bruno = repos.customers.findByPhone('+5521987654321')!;
    expect(bruno.id).toBe(4);
    expect(d.sqlite.prepare('SELECT phone FROM whatsapp_lids').pluck().all()).toEqual(['+5521987654321']);
    // Carla is untouched.
    expect(snapshot(d).customers.find((c) => c.id === 2)).toEqual(before.customers.find((c) => c.id === 2));
  });

  it('is idempotent: a second start merges nothing and changes nothing', () => {
    const d = openFixture();
    mergeSplitCustomers(d, NOW);
    const after = snapshot(d);
    const again = mergeSplitCustomers(d, NOW + 1000);
    expect(again).toEqual({ merged: [], renamed: [], lids: 0 });
    expect(snapshot(d)).toEqual(after);
  });

  it('runs in one transaction: a failure halfway leaves the database as it was', () => {
    const d = openFixture();
    const before = snapshot(d);
    expect(() =>
      mergeSplitCustomers(d, NOW, {
        onOptedOut: () => {
          throw new Error('disk full');
        },
      }),
    ).toThrow('disk full');
    expect(snapshot(d)).toEqual(before);
  });

  it('clashing enrolments: the canonical run goes on, the duplicate one ends as merged, and a revoked consent holds', () => {
    const d = openFixture();
    const repos = createRepositories(d);
    // A birthday run on both records, and marketing consent granted on one, revoked on the other.
    const insertRun = d.sqlite.prepare(
      `INSERT INTO flow_runs (flow_id, flow_hash, customer_id, occurrence, status, step_id, wake_at, state, created_at, updated_at)
       VALUES ('aniversario', 'h', ?, 'birthday:2027', 'waiting', 's', ?, '{"visits":{},"ask":null,"answer":null}', ?, ?)`,
    );
    insertRun.run(1, NOW + 1000, NOW, NOW);
    insertRun.run(3, NOW + 1000, NOW, NOW);
    d.sqlite.prepare(`UPDATE customers SET consent_marketing = 'granted' WHERE id = 1`).run();
    d.sqlite.prepare(`UPDATE customers SET consent_marketing = 'revoked', tags = '["vip"]' WHERE id = 3`).run();

    mergeSplitCustomers(d, NOW);

    const runs = d.sqlite.prepare<[], { customer_id: number; occurrence: string; status: string; end_reason: string | null }>(
      `SELECT customer_id, occurrence, status, end_reason FROM flow_runs WHERE flow_id = 'aniversario' ORDER BY id`,
    ).all();
    expect(runs).toEqual([
      { customer_id: 1, occurrence: 'birthday:2027', status: 'waiting', end_reason: null },
      { customer_id: 1, occurrence: 'birthday:2027:merged-3', status: 'cancelled', end_reason: 'merged' },
    ]);
    const ana = repos.customers.findById(1)!;
    expect(ana.consent.marketing).toBe('revoked');
    expect(ana.tags).toContain('vip');
  });

  it('keeps when the person first wrote under either number, and a 463 refusal only while both were cold', () => {
    const d = openFixture();
    const repos = createRepositories(d);
    // The duplicate (the 12-digit twin) wrote first; the canonical record had a cold message refused.
    d.sqlite.prepare('UPDATE customers SET warm_at = ?, cold_refused_at = NULL WHERE id = 3').run(NOW - 5000);
    d.sqlite.prepare('UPDATE customers SET warm_at = NULL, cold_refused_at = ? WHERE id = 1').run(NOW - 1000);
    // Bruno (12-digit only) has no twin: renamed, his state untouched.
    const bruno = d.sqlite.prepare<[], { id: number }>("SELECT id FROM customers WHERE phone NOT IN ('+5531999668527', '+553199668527')").get()!;
    d.sqlite.prepare('UPDATE customers SET warm_at = NULL, cold_refused_at = ? WHERE id = ?').run(NOW - 2000, bruno.id);

    mergeSplitCustomers(d, NOW);

    expect(repos.customers.findById(1)).toMatchObject({ warmAt: NOW - 5000, coldRefusedAt: null });
    expect(repos.customers.findById(bruno.id)).toMatchObject({ warmAt: null, coldRefusedAt: NOW - 2000 });
  });

  it('a refusal on both cold records stays, the later one', () => {
    const d = openFixture();
    const repos = createRepositories(d);
    d.sqlite.prepare('UPDATE customers SET warm_at = NULL, cold_refused_at = ? WHERE id = 1').run(NOW - 9000);
    d.sqlite.prepare('UPDATE customers SET warm_at = NULL, cold_refused_at = ? WHERE id = 3').run(NOW - 3000);
    mergeSplitCustomers(d, NOW);
    expect(repos.customers.findById(1)).toMatchObject({ warmAt: null, coldRefusedAt: NOW - 3000 });
  });
});
