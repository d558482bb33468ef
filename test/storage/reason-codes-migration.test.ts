import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readReason } from '../../src/domain/reasons.js';
import { openDatabase } from '../../src/storage/db.js';
import { databaseBefore } from '../helpers/migrations.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-reasons-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What the code before wrote in outbox.last_error, and the code each becomes. */
const STORED = [
  ['daily send cap reached', 'daily_cap'],
  ['paused by the seller', 'seller_pause'],
  ['paused while the owner talks to the customer', 'handoff'],
  ['the service stopped between the claim and the result', 'interrupted'],
  ['due longer ago than the step allows', 'expired'],
  ['superseded by a newer purchase', 'superseded'],
  ['cancelled by the seller', 'cancelled_by_seller'],
  ['outcome unknown; the seller confirmed it arrived', 'resolved_sent'],
  ['outcome unknown; discarded by the seller, treated as not sent', 'resolved_discarded'],
  ['outcome unknown; sent again by the seller, the first attempt may have arrived too: 3EB0FIRSTATTEMPT00000A', 'resent:3EB0FIRSTATTEMPT00000A'],
  // Already codes, or not fregues's words: as they were.
  ['opted_out', 'opted_out'],
  ['no_marketing_consent', 'no_marketing_consent'],
  ['erased', 'erased'],
  ['merged', 'merged'],
  ['failed: injected failure: the message did not reach the phone', 'failed: injected failure: the message did not reach the phone'],
  ['disconnected: the connection dropped', 'disconnected: the connection dropped'],
  ['image not readable: ENOENT: no such file or directory', 'image not readable: ENOENT: no such file or directory'],
  [null, null],
] as const;

describe('migration 0009: reasons stored as codes', () => {
  it('turns the sentences stored before into codes, and leaves everything else as it was', () => {
    const file = path.join(dir, 'fregues.db');
    const before = databaseBefore('0009_reason_codes', dir, file);
    before.prepare("INSERT INTO customers (id, phone, created_at, updated_at) VALUES (1, '+5511912345678', 1, 1)").run();
    const insert = before.prepare(
      `INSERT INTO outbox (dedupe_key, customer_id, purpose, to_phone, marketing, content, wa_id, status, due_at, not_before, expires_at, last_error, created_at)
       VALUES (?, 1, 'customer', '+5511912345678', 0, '{"kind":"text","text":"Oi"}', ?, 'skipped', 1, 1, 2, ?, 1)`,
    );
    STORED.forEach(([stored], index) => insert.run(`key:${index}`, `3EB0${String(index).padStart(18, '0')}`, stored));
    before.close();

    const after = openDatabase(file);
    try {
      const rows = after.sqlite.prepare('SELECT last_error AS lastError FROM outbox ORDER BY id').pluck().all();
      expect(rows).toEqual(STORED.map(([, code]) => code));
      expect(readReason(rows[9] as string)).toEqual({ reason: 'resent', detail: '3EB0FIRSTATTEMPT00000A' });
    } finally {
      after.close();
    }
  });
});
