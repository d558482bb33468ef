import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { backupDatabase } from '../../src/storage/backup.js';
import { restoreDatabase } from '../../src/storage/restore-database.js';
import { openDatabase } from '../../src/storage/db.js';
import { createRepositories } from '../../src/storage/repositories/index.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { createShopOnDisk, type Shop, type ShopOnDisk } from '../helpers/shop.js';

// Issue 16, point 4 of what was seen: Vera said SAIR, then was erased; a spreadsheet import recreated
// her with no opt-out, a purchase started pos-compra and she got a thank-you. Her objection must
// outlive her data, as a keyed hash of her number and nothing else.

const VERA = '+5531999668527';
const OWNER = '+5511900001111';

let t: ShopOnDisk | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function shop(): Promise<ShopOnDisk> {
  t = await createShopOnDisk({ flows: SHIPPED_FLOWS, clock: new ManualClock('2026-11-20T13:00:00Z'), env: { OWNER_PHONE: OWNER } });
  return t;
}

/** Vera writes, and a minute passes. */
async function says(app: Shop, text: string) {
  await app.reply(VERA, text);
  await app.travel('1m');
}

/** Vera buys a coffee. */
const buy = (app: Shop, externalId: string) => app.buy({ externalId, customer: { phone: VERA, name: 'Vera Prado' }, items: [{ name: 'Café' }] });

function importCsv(app: Shop) {
  return app.api({
    method: 'POST',
    url: '/api/customers/import',
    headers: { 'content-type': 'text/csv' },
    payload: 'Nome,Telefone\nVera Prado,(31) 99966-8527\nRui Costa,(11) 91234-5678\n',
  });
}

async function optedOutAndErased(app: Shop): Promise<void> {
  const first = (await buy(app, 'v1')).customer.id;
  await app.travel('2h');
  await says(app, 'SAIR');
  expect((await app.api({ method: 'DELETE', url: `/api/customers/${first}` })).statusCode).toBe(200);
}

describe('the suppression list', () => {
  it('keeps only a keyed hash of the number and the date, under a 0600 key of the install', async () => {
    const app = await shop();
    await optedOutAndErased(app);
    const rows = app.db.sqlite.prepare<[], Record<string, unknown>>('SELECT * FROM suppressions').all();
    expect(rows).toEqual([{ hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.any(Number) }]);
    expect(JSON.stringify(rows)).not.toMatch(/99966|9996685/);
    expect(fs.statSync(path.join(app.dir, 'suppression-key')).mode & 0o777).toBe(0o600);
  });

  it('an import after the erasure stores her, opted out, and says so; a purchase starts nothing and says so', async () => {
    const app = await shop();
    await optedOutAndErased(app);
    const before = app.received(VERA).length;

    const report = await importCsv(app);
    expect(report.statusCode).toBe(200);
    expect(report.json()).toMatchObject({ created: 2, suppressed: 1 });
    const vera = app.repos.customers.findByPhone(VERA)!;
    expect(vera.optedOutAt).not.toBeNull();
    expect(vera.suppressedAt).not.toBeNull();
    expect(app.repos.customers.findByPhone('+5511912345678')!.optedOutAt).toBeNull();

    const purchase = await buy(app, 'v2');
    expect(purchase).toMatchObject({ runs: [], suppressed: { since: expect.any(String), message: expect.stringContaining('lista de supressão') } });
    await app.travel('8d');
    expect(app.received(VERA)).toHaveLength(before);

  });

  it('VOLTAR from her lifts it: the hash is forgotten and the next purchase starts its flows', async () => {
    const app = await shop();
    await optedOutAndErased(app);
    await buy(app, 'v2');
    await says(app, 'VOLTAR');
    expect(app.repos.customers.findByPhone(VERA)!.optedOutAt).toBeNull();
    expect(app.db.sqlite.prepare('SELECT count(*) FROM suppressions').pluck().get()).toBe(0);
    expect((await buy(app, 'v3')).runs.length).toBeGreaterThan(0);
  });

  it('a backup keeps the key beside it, and a restore on a fresh machine puts it back: the list still matches', async () => {
    const app = await shop();
    await optedOutAndErased(app);
    const backups = path.join(app.dir, 'backups');
    const { file } = await backupDatabase(app.db.sqlite, { dir: backups, keep: 3, now: app.clock.now() });
    expect(fs.statSync(path.join(backups, 'suppression-key')).mode & 0o777).toBe(0o600);

    const fresh = path.join(app.dir, 'fresh');
    const restored = await restoreDatabase(file, { databaseFile: path.join(fresh, 'fregues.db'), backupDir: path.join(fresh, 'backups'), keep: 3, now: app.clock.now() });
    expect(restored.ok).toBe(true);
    const db = openDatabase(path.join(fresh, 'fregues.db'));
    try {
      expect(createRepositories(db).suppressions.since(VERA)).not.toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('erasing someone who never opted out leaves nothing behind', async () => {
    const app = await shop();
    const id = (await buy(app, 'v1')).customer.id;
    expect((await app.api({ method: 'DELETE', url: `/api/customers/${id}` })).statusCode).toBe(200);
    expect(app.db.sqlite.prepare('SELECT count(*) FROM suppressions').pluck().get()).toBe(0);
    expect((await buy(app, 'v2')).runs.length).toBeGreaterThan(0);
  });
});
