import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/db.js';
import { databaseBefore } from '../helpers/migrations.js';
import { createWebhookEventRepository } from '../../src/storage/repositories/webhook-events.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-webhook-body-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('migration 0016: a webhook keeps its body only until its order is a purchase', () => {
  it('drops the bodies of recorded and duplicate webhooks, keeps the others and every row, and numbers on', () => {
    const file = path.join(dir, 'fregues.db');
    const before = databaseBefore('0016_webhook_body_until_purchase', dir, file);
    before.prepare("INSERT INTO customers (id, phone, created_at, updated_at) VALUES (1, '+5511912345678', 1, 1)").run();
    before.prepare("INSERT INTO purchases (id, customer_id, items, total_cents, currency, source, purchased_at, created_at) VALUES (7, 1, '[]', 1990, 'BRL', 'shopify', 5, 5)").run();
    const insert = before.prepare(
      'INSERT INTO webhook_events (platform, topic, order_ref, received_at, body, status, reason, purchase_id, attempts, next_attempt_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('shopify', 'orders/paid', '1001', 10, '{"id":1001,"email":"ana@example.com"}', 'recorded', null, 7, 1, null, 10);
    insert.run('shopify', 'orders/paid', '1001', 11, '{"id":1001,"email":"ana@example.com"}', 'duplicate', null, 7, 1, null, 11);
    insert.run('woocommerce', 'order.created', '727', 12, '{"id":727}', 'skipped', 'no_phone', null, 1, null, 12);
    insert.run('nuvemshop', 'order/paid', '871254203', 13, '{"store_id":1,"event":"order/paid","id":871254203}', 'retrying', 'api_error: 503', null, 1, 99, null);
    // The last one was erased with its customer: its number is not given again.
    insert.run('shopify', 'orders/paid', '1002', 14, '{"id":1002}', 'skipped', 'no_phone', null, 1, null, 14);
    before.prepare('DELETE FROM webhook_events WHERE id = 5').run();
    before.close();

    const db = openDatabase(file);
    try {
      const rows = db.sqlite.prepare('SELECT id, status, body, purchase_id AS purchaseId FROM webhook_events ORDER BY id').all();
      expect(rows).toEqual([
        { id: 1, status: 'recorded', body: null, purchaseId: 7 },
        { id: 2, status: 'duplicate', body: null, purchaseId: 7 },
        { id: 3, status: 'skipped', body: '{"id":727}', purchaseId: null },
        { id: 4, status: 'retrying', body: '{"store_id":1,"event":"order/paid","id":871254203}', purchaseId: null },
      ]);
      const repository = createWebhookEventRepository(db);
      expect(repository.due(100, 10).map((event) => event.id)).toEqual([4]);
      const next = repository.record({ platform: 'shopify', topic: 'orders/paid', orderRef: '1003', body: '{"id":1003}', receivedAt: 20, status: 'skipped', reason: 'no_phone' });
      expect(next.id).toBe(6);
      // The indexes and the foreign key came back with the table.
      const indexes = db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'webhook_events' ORDER BY name").pluck().all();
      expect(indexes).toEqual(['webhook_events_due_idx', 'webhook_events_platform_idx']);
      db.sqlite.prepare('DELETE FROM purchases WHERE id = 7').run();
      expect(db.sqlite.prepare('SELECT purchase_id FROM webhook_events WHERE id = 1').pluck().get()).toBeNull();
      expect(db.sqlite.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });
});
