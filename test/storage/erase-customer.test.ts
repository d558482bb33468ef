import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { ERASED_MARK } from '../../src/storage/erase-mentions.js';
import { createWhatsAppStore } from '../../src/storage/repositories/whatsapp.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { createShopOnDisk, type Shop, type ShopOnDisk } from '../helpers/shop.js';

// Issue 16, points 1-3: Vera answered the NPS, asked a question with her address, and was
// recommended by Rui (who shared her contact card); the weekly summary went out; WhatsApp's key
// store and the LID table know her number. Then she is erased. Every text and blob column of every
// table is scanned for her number in any written form, her name and her own words; the raw database
// file and its WAL are grepped too.

const VERA = '+5531999668527';
const RUI = '+5511912345678';
const OWNER = '+5511900001111';
const VERA_LID = '204857392011434';
const HER_WORDS = 'vocês entregam na Rua Segredo 42, apto 7?';
const NEEDLES = [
  '+5531999668527', '5531999668527', '31999668527', '(31) 99966-8527', '31 99966-8527', '99966-8527', '+55 31 99966 8527',
  '553199668527', '3199668527', // the form without the ninth digit
  'Vera Prado', 'Vera Lúcia Prado', 'Rua Segredo 42', 'vera@exemplo.com', VERA_LID,
];

let t: ShopOnDisk | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** `from` writes, and a minute passes. */
async function says(app: Shop, from: string, message: Record<string, unknown>) {
  await app.reply(from, message);
  await app.travel('1m');
}

/** A purchase of a coffee; resolves with the customer's id. */
async function buy(app: Shop, phone: string, name: string, externalId: string, email?: string) {
  const { customer } = await app.buy({ externalId, customer: { phone, name, ...(email ? { email } : {}) }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });
  return customer.id;
}

/** Every text and blob value of every table, with where it is. */
function everyText(app: Shop): { where: string; value: string }[] {
  const found: { where: string; value: string }[] = [];
  const tables = app.db.sqlite.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  for (const table of tables) {
    for (const row of app.db.sqlite.prepare<[], Record<string, unknown>>(`SELECT * FROM "${table}"`).all()) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value === 'string') found.push({ where: `${table}.${column}`, value });
        else if (Buffer.isBuffer(value)) found.push({ where: `${table}.${column}`, value: value.toString('latin1') });
      }
    }
  }
  return found;
}

function hits(app: Shop): string[] {
  return everyText(app).flatMap(({ where, value }) => NEEDLES.filter((needle) => value.includes(needle) || value.includes(JSON.stringify(needle).slice(1, -1))).map((needle) => `${where}: ${needle}`));
}

async function shopWhereVeraIsEverywhere(): Promise<{ app: Shop; vera: number; rui: number }> {
  t = await createShopOnDisk({ flows: SHIPPED_FLOWS, clock: new ManualClock('2026-11-20T13:00:00Z'), env: { OWNER_PHONE: OWNER, SHOP_NAME: 'Café da Ana' } });
  const app = t;
  const vera = await buy(app, VERA, 'Vera Lúcia Prado', 'v1', 'vera@exemplo.com');
  const rui = await buy(app, RUI, 'Rui Costa', 'r1');
  await app.travel('1h');
  await app.travel('7d');
  // Vera: a detractor with a comment, then a question with her address (both reach the owner).
  await says(app, VERA, { text: 'nota 3, veio sem o moedor que paguei à parte' });
  await app.travel('2h');
  await says(app, VERA, { text: HER_WORDS });
  // Rui: a promoter who recommends Vera by sharing her contact card.
  await says(app, RUI, { text: '10' });
  await says(app, RUI, { contact: { name: 'Vera Prado', phones: ['(31) 99966-8527'] } });
  // WhatsApp knows her by LID too, in the project's table and in Baileys' own key store (both forms).
  const store = createWhatsAppStore(app.db);
  store.rememberLids([{ lid: `${VERA_LID}@lid`, phone: VERA }], app.clock.now());
  store.writeKeys([
    { type: 'lid-mapping', id: '5531999668527', value: JSON.stringify(VERA_LID) },
    { type: 'lid-mapping', id: `${VERA_LID}_reverse`, value: JSON.stringify('5531999668527') },
    { type: 'session', id: '5531999668527.0', value: '{"_sessions":{}}' },
    { type: 'device-list', id: '553199668527', value: '["0"]' },
    { type: 'tctoken', id: `${VERA_LID}@lid`, value: '{"token":"x"}' },
    // Someone else's keys stay.
    { type: 'lid-mapping', id: '5511912345678', value: JSON.stringify('999999999999999') },
  ]);
  // She says SAIR, and Monday's summary of the week goes to the owner (stored in reports).
  await says(app, VERA, { text: 'SAIR' });
  await app.travel('3d');
  expect(app.db.sqlite.prepare('SELECT count(*) FROM reports').pluck().get()).toBeGreaterThan(0);
  return { app, vera, rui };
}

describe('erasing a person who appears in every way a person can appear', () => {
  it('before: she is in other rows (the reproduction of what the issue saw)', async () => {
    const { app } = await shopWhereVeraIsEverywhere();
    const before = hits(app);
    for (const where of ['messages.text', 'messages.payload', 'answers.value', 'flow_runs.state', 'outbox.content', 'reports.text', 'reports.metrics', 'whatsapp_keys.id', 'whatsapp_lids.phone']) {
      expect(before.some((hit) => hit.startsWith(where)), where).toBe(true);
    }
  });

  it('after: no text or blob column of any table holds her number in any form, her name or her words; Rui stays readable', async () => {
    const { app, vera, rui } = await shopWhereVeraIsEverywhere();
    const erased = await app.api({ method: 'DELETE', url: `/api/customers/${vera}` });
    expect(erased.statusCode).toBe(200);

    expect(hits(app)).toEqual([]);
    // Rui's record reads on, with the mark where Vera was.
    const record = await app.api({ method: 'GET', url: `/api/customers/${rui}` });
    expect(record.statusCode).toBe(200);
    expect(record.body).toContain(ERASED_MARK);
    expect(record.json<{ answers: { kind: string; value: string }[] }>().answers.map((a) => a.kind)).toEqual(['nps', 'referral']);
    // Someone else's WhatsApp keys are untouched.
    expect(app.db.sqlite.prepare("SELECT count(*) FROM whatsapp_keys WHERE id = '5511912345678'").pluck().get()).toBe(1);
  });

  it('after: the raw database file and its WAL hold none of it', async () => {
    const { app, vera } = await shopWhereVeraIsEverywhere();
    expect((await app.api({ method: 'DELETE', url: `/api/customers/${vera}` })).statusCode).toBe(200);
    const file = app.db.file;
    const raw = Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
    const rawHits = NEEDLES.filter((needle) => raw.includes(Buffer.from(needle, 'utf8')));
    expect(rawHits).toEqual([]);
    expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
  });
});

describe('erasing a person who wrote first with a click-to-chat code', () => {
  it('leaves nothing of her in the purchase that waited for her without a phone, nor in her consent to messages', async () => {
    t = await createShopOnDisk({ flows: SHIPPED_FLOWS, clock: new ManualClock('2026-11-20T13:00:00Z'), env: { SHOP_NAME: 'Café da Ana' } });
    const app = t;
    const pending = await app.api({
      method: 'POST',
      url: '/api/purchases',
      payload: { externalId: 'balcao-9', customer: { name: 'Vera Lúcia Prado', email: 'vera@exemplo.com' }, items: [{ name: 'Café especial' }] },
    });
    expect(pending.statusCode).toBe(202);
    const { optIn } = pending.json<{ optIn: { code: string } }>();
    await says(app, VERA, { text: `Oi! Quero acompanhar meu pedido #${optIn.code} (Rua Segredo 42)` });
    const vera = app.repos.customers.findByPhone(VERA)!;
    expect(app.repos.customers.listConsentEvents(vera.id)).toMatchObject([{ source: 'click-to-chat' }]);

    expect((await app.api({ method: 'DELETE', url: `/api/customers/${vera.id}` })).statusCode).toBe(200);
    expect(hits(app)).toEqual([]);
  });
});
