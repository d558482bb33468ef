import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay, RETRY_POLICY } from '../../src/integrations/nuvemshop/fetch-orders.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { FakeNuvemshopApi } from './fake-nuvemshop-api.js';
import { brazilianOrder, nuvemshopEnv, ORDER_ID, postWebhook, webhookBody } from './nuvemshop-helpers.js';

let api: FakeNuvemshopApi;
const open: TestApp[] = [];
let dir: string | undefined;

beforeEach(async () => {
  api = await new FakeNuvemshopApi().start();
  api.orders.set(ORDER_ID, brazilianOrder());
});

afterEach(async () => {
  for (const app of open.splice(0)) await app.close();
  await api.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function app(options: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  const made = await createTestApp({ env: nuvemshopEnv(api), ...options });
  open.push(made);
  return made;
}

const rowOf = (t: TestApp) => t.repos.webhookEvents.listRecent('nuvemshop', 1)[0]!;
const purchaseCount = (t: TestApp) => t.db.sqlite.prepare('SELECT count(*) FROM purchases').pluck().get() as number;

describe('the durable Nuvemshop order fetch', () => {
  it('tries again with exponential backoff while the API fails (500), and records the order when it answers', async () => {
    const t = await app();
    api.mode = 'fail';
    await postWebhook(t.app, webhookBody());
    await t.nuvemshop!.fetcher.settled();
    const start = t.clock.now();
    expect(rowOf(t)).toMatchObject({ status: 'retrying', reason: 'api_error: 500', attempts: 1, nextAttemptAt: start + 30_000, purchaseId: null });

    // Not due yet: nothing is asked of the API.
    t.clock.advance(29_999);
    expect(await t.nuvemshop!.fetcher.fetchDueOrders()).toBe(0);
    expect(api.fetchesOf(ORDER_ID)).toBe(1);

    // Each failure doubles the wait: 30 s, 60 s, 120 s.
    t.clock.advance(1);
    expect(await t.nuvemshop!.fetcher.fetchDueOrders()).toBe(1);
    expect(rowOf(t)).toMatchObject({ status: 'retrying', attempts: 2, nextAttemptAt: t.clock.now() + 60_000 });
    t.clock.advance(60_000);
    await t.nuvemshop!.fetcher.fetchDueOrders();
    expect(rowOf(t)).toMatchObject({ status: 'retrying', attempts: 3, nextAttemptAt: t.clock.now() + 120_000 });

    api.mode = 'ok';
    t.clock.advance(120_000);
    await t.nuvemshop!.fetcher.fetchDueOrders();
    expect(rowOf(t)).toMatchObject({ status: 'recorded', reason: null, attempts: 4, nextAttemptAt: null });
    expect(purchaseCount(t)).toBe(1);
    expect(api.fetchesOf(ORDER_ID)).toBe(4);
  });

  it('counts a slow API (past the timeout) as a failure to try again', async () => {
    const t = await app({ nuvemshop: { timeoutMs: 100 } });
    api.mode = 'slow';
    const response = await postWebhook(t.app, webhookBody());
    // Answered without waiting for the store.
    expect(response.json()).toMatchObject({ status: 'pending' });
    await t.nuvemshop!.fetcher.settled();
    expect(rowOf(t)).toMatchObject({ status: 'retrying', reason: 'api_timeout', attempts: 1 });

    api.mode = 'ok';
    t.clock.advance(30_000);
    await t.nuvemshop!.fetcher.fetchDueOrders();
    expect(rowOf(t)).toMatchObject({ status: 'recorded' });
  });

  it('gives up after a bounded number of attempts, with the last reason', async () => {
    const t = await app();
    api.mode = 'fail';
    await postWebhook(t.app, webhookBody());
    await t.nuvemshop!.fetcher.settled();
    for (let attempt = 2; attempt <= RETRY_POLICY.maxAttempts; attempt += 1) {
      t.clock.set(rowOf(t).nextAttemptAt!);
      await t.nuvemshop!.fetcher.fetchDueOrders();
    }
    expect(rowOf(t)).toMatchObject({ status: 'failed', reason: 'api_error: 500', attempts: RETRY_POLICY.maxAttempts, nextAttemptAt: null });
    expect(api.fetchesOf(ORDER_ID)).toBe(RETRY_POLICY.maxAttempts);
    // Given up is final: later ticks leave it.
    t.clock.advance(7 * 86_400_000);
    expect(await t.nuvemshop!.fetcher.fetchDueOrders()).toBe(0);
  });

  it('gives up once the webhook is older than the age limit, whatever the count', async () => {
    const t = await app();
    api.mode = 'fail';
    await postWebhook(t.app, webhookBody());
    await t.nuvemshop!.fetcher.settled();
    t.clock.advance(RETRY_POLICY.maxAgeMs);
    await t.nuvemshop!.fetcher.fetchDueOrders();
    expect(rowOf(t)).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('does not retry an order the store says does not exist (404)', async () => {
    const t = await app();
    api.orders.clear();
    await postWebhook(t.app, webhookBody());
    await t.nuvemshop!.fetcher.settled();
    expect(rowOf(t)).toMatchObject({ status: 'failed', reason: 'order_not_found', attempts: 1 });
  });

  it('says when the token is refused (401), and tries again (the token may be fixed)', async () => {
    const t = await app({ env: nuvemshopEnv(api, { NUVEMSHOP_ACCESS_TOKEN: 'wrong-token' }) });
    await postWebhook(t.app, webhookBody());
    await t.nuvemshop!.fetcher.settled();
    expect(rowOf(t)).toMatchObject({ status: 'retrying', reason: 'api_unauthorized' });
  });

  it('finds a retrying row after a restart and finishes it, from the scheduler\'s tick, when the API is back', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fregues-nuvemshop-'));
    const dbFile = path.join(dir, 'fregues.db');
    const port = await api.stop();
    const first = await createTestApp({ env: nuvemshopEnv(api), dbFile, clock: new ManualClock('2026-11-20T15:00:00Z') });
    await postWebhook(first.app, webhookBody());
    await first.nuvemshop!.fetcher.settled();
    expect(rowOf(first)).toMatchObject({ status: 'retrying', reason: 'api_unreachable' });
    await first.close();

    // The store's API is back; the service starts again over the same database, later.
    await api.start(port);
    const second = await app({ dbFile, clock: new ManualClock('2026-11-20T15:10:00Z') });
    await second.flows.scheduler.tick();
    await second.nuvemshop!.fetcher.settled();
    expect(rowOf(second)).toMatchObject({ status: 'recorded', attempts: 2 });
    expect(purchaseCount(second)).toBe(1);
  });

  it('never fetches one row twice at the same time (a tick while the webhook\'s own fetch is under way)', async () => {
    const t = await app({ nuvemshop: { timeoutMs: 200 } });
    api.mode = 'slow';
    await postWebhook(t.app, webhookBody());
    await t.flows.scheduler.tick();
    await t.nuvemshop!.fetcher.fetchDueOrders();
    await t.nuvemshop!.fetcher.settled();
    expect(api.fetchesOf(ORDER_ID)).toBe(1);
  });

  it('replays a given-up fetch from the page: one more try, now', async () => {
    const t = await app();
    api.orders.clear();
    await postWebhook(t.app, webhookBody());
    await t.nuvemshop!.fetcher.settled();
    expect(rowOf(t).status).toBe('failed');

    api.orders.set(ORDER_ID, brazilianOrder());
    expect(t.nuvemshop!.replay(rowOf(t).id)).toBe(true);
    await t.nuvemshop!.fetcher.settled();
    expect(rowOf(t)).toMatchObject({ status: 'recorded' });
    expect(t.nuvemshop!.replay(9999)).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles from 30 s and stops growing at the cap', () => {
    expect([1, 2, 3, 4].map((failures) => backoffDelay(failures))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffDelay(30)).toBe(RETRY_POLICY.maxDelayMs);
  });
});
