import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/db.js';
import { databaseBefore } from '../helpers/migrations.js';
import { createSegmentRepository } from '../../src/storage/repositories/segments.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-segments-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('migration 0012: segments', () => {
  it('adds the segments table and widens the purchases index of a database of the version before, keeping its rows', () => {
    const file = path.join(dir, 'fregues.db');
    const before = databaseBefore('0012_segments', dir, file);
    expect(before.prepare("SELECT name FROM sqlite_master WHERE name = 'segments'").get()).toBeUndefined();
    before.prepare("INSERT INTO customers (id, phone, created_at, updated_at) VALUES (1, '+5511912345678', 1, 1)").run();
    before.prepare("INSERT INTO purchases (customer_id, items, total_cents, currency, source, purchased_at, created_at) VALUES (1, '[]', 1990, 'BRL', 'api', 5, 5)").run();
    before.close();

    const db = openDatabase(file);
    try {
      const repos = { segments: createSegmentRepository(db) };
      expect(repos.segments.facts()).toEqual([
        { id: 1, tagsJson: '[]', birthdayMonth: null, consentGranted: false, warm: false, handoffUntil: null, purchases: 1, totalCents: 1990, lastPurchaseAt: 5, lastNps: null },
      ]);
      // The aggregate of the segments reads the widened index alone, never the purchases' rows.
      const plan = db.sqlite
        .prepare('EXPLAIN QUERY PLAN SELECT customer_id, count(*), sum(total_cents), max(purchased_at) FROM purchases GROUP BY customer_id')
        .all() as { detail: string }[];
      expect(plan.map((row) => row.detail)).toEqual(['SCAN purchases USING COVERING INDEX purchases_customer_idx']);
      expect(repos.segments.createCustom({ id: 'vip', name: 'VIP', filters: '{}', createdAt: 9 })).toBe(true);
      expect(repos.segments.createCustom({ id: 'vip', name: 'Outro', filters: '{}', createdAt: 10 })).toBe(false);
      expect(repos.segments.listCustom()).toEqual([{ id: 'vip', name: 'VIP', filters: '{}', createdAt: 9 }]);
    } finally {
      db.close();
    }
  });
});
