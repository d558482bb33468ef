import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildResults } from '../../src/campaigns/campaign-results.js';
import type { CampaignRow, VariantTotals } from '../../src/storage/repositories/campaigns.js';
import { createShop, type Shop } from '../helpers/shop.js';
import { addCustomer, campaignResults, createCampaign, segmentOf } from './campaign-helpers.js';

let shop: Shop | undefined;
let flowsDir: string | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
  if (flowsDir) fs.rmSync(flowsDir, { recursive: true, force: true });
  flowsDir = undefined;
});

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const ROOMY = { COLD_WARMUP: 'off', COLD_DAILY_CAP: '1000' };

describe('A/B variants', () => {
  it('split on the stored seed, and attribute replies, opt-outs and purchases within the window to each', async () => {
    flowsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-campaign-'));
    fs.writeFileSync(path.join(flowsDir, 'presente.png'), PNG);
    shop = await createShop({ env: { ...ROOMY, FLOWS_DIR: flowsDir } });
    const people: { id: number; phone: string }[] = [];
    for (let i = 1; i <= 6; i += 1) people.push(await addCustomer(shop, `+55119123401${i}0`, { consent: true, tags: ['clube'] }));
    expect(people.map((person) => person.id)).toEqual([1, 2, 3, 4, 5, 6]);
    const segment = await segmentOf(shop, 'Clube', ['clube']);
    const created = await createCampaign(shop, {
      segment,
      seed: 42,
      attributionDays: 7,
      variants: [{ text: 'A: 10% de desconto só hoje' }, { image: 'presente.png', caption: 'B: um presente na próxima compra, {{ customer.first_name }}' }],
    });
    expect(created).toMatchObject({ recipients: 6, variants: { a: 3, b: 3 }, seed: 42 });

    // Seed 42 deals customers 2, 3 and 5 to A, and 1, 4 and 6 to B: each run says which.
    const variantOf = async (id: number) => {
      const record = (await shop!.api({ method: 'GET', url: `/api/customers/${id}` })).json();
      return record.runs.find((run: { occurrence: string }) => run.occurrence === `campaign:${created.id}`).flowId as string;
    };
    expect(await Promise.all(people.map((person) => variantOf(person.id)))).toEqual(['b', 'a', 'a', 'b', 'a', 'b'].map((key) => `campanha:${created.id}:${key}`));

    await shop.travel('1h');
    expect(shop.received(people[1]!.phone)).toEqual(['A: 10% de desconto só hoje']);
    expect(shop.received(people[0]!.phone)).toEqual(['[imagem]']);

    // A day later: two of A buy (R$ 50 and R$ 30), one of A asks to stop, one of B replies.
    await shop.travel('1d');
    await shop.buy({ externalId: 'ab-1', customer: { phone: people[1]!.phone }, items: [{ name: 'Café', unitPrice: 50 }] });
    await shop.buy({ externalId: 'ab-2', customer: { phone: people[2]!.phone }, items: [{ name: 'Café', unitPrice: 30 }] });
    await shop.reply(people[4]!.phone, 'SAIR');
    await shop.reply(people[5]!.phone, 'Que legal, vou passar aí');
    // Eight days after the send: outside the 7-day window.
    await shop.travel('7d');
    await shop.buy({ externalId: 'ab-3', customer: { phone: people[0]!.phone }, items: [{ name: 'Café', unitPrice: 99 }] });

    const results = await campaignResults(shop, created.id);
    expect(results.seed).toBe(42);
    expect(results.results.map(({ key, sent, replied, optedOut, purchased, purchases, revenueCents }: Record<string, unknown>) => ({ key, sent, replied, optedOut, purchased, purchases, revenueCents }))).toEqual([
      {
        key: 'a',
        sent: { count: 3, of: 3, rate: 1 },
        replied: { count: 1, of: 3, rate: 1 / 3 },
        optedOut: { count: 1, of: 3, rate: 1 / 3 },
        purchased: { count: 2, of: 3, rate: 2 / 3 },
        purchases: 2,
        revenueCents: 8000,
      },
      {
        key: 'b',
        sent: { count: 3, of: 3, rate: 1 },
        replied: { count: 1, of: 3, rate: 1 / 3 },
        optedOut: { count: 0, of: 3, rate: 0 },
        purchased: { count: 0, of: 3, rate: 0 },
        purchases: 0,
        revenueCents: 0,
      },
    ]);
    expect(results.comparisons).toEqual([
      {
        metric: 'replied',
        test: 'fisher_exact',
        pValue: expect.closeTo(1, 10),
        significant: false,
        best: null,
        verdict: 'Nenhuma diferença além do acaso em respostas por enquanto (variante A: 1 de 3; variante B: 1 de 3; teste exato de Fisher, p = 1).',
      },
      {
        metric: 'purchased',
        test: 'fisher_exact',
        pValue: expect.closeTo(0.4, 10),
        significant: false,
        best: null,
        verdict: 'Nenhuma diferença além do acaso em compras por enquanto (variante A: 2 de 3; variante B: 0 de 3; teste exato de Fisher, p = 0,4).',
      },
    ]);
  });
});

describe('the verdict', () => {
  const row: CampaignRow = {
    id: 1,
    name: 'Natal',
    segmentId: 'clube',
    variants: JSON.stringify([
      { key: 'a', message: { text: 'A' }, flowId: 'campanha:1:a', flowHash: 'x' },
      { key: 'b', message: { text: 'B' }, flowId: 'campanha:1:b', flowHash: 'y' },
    ]),
    sendAt: 0,
    seed: 1,
    attributionDays: 7,
    status: 'active',
    createdAt: 0,
    cancelledAt: null,
  };
  const totals = (variant: string, purchasers: number): VariantTotals => ({
    variant,
    recipients: 20,
    pending: 0,
    sent: 20,
    delivered: 20,
    read: 10,
    replied: 0,
    optedOut: 0,
    answered: 0,
    purchasers,
    purchases: purchasers,
    revenueCents: purchasers * 1000,
    firstSentAt: 0,
    lastSentAt: 0,
  });

  it('names the better variant and the test when the difference is beyond chance', () => {
    const results = buildResults(row, { totals: [totals('a', 10), totals('b', 0)], notSent: [], excluded: {}, now: 1, locale: 'pt-BR' });
    // scipy.stats.fisher_exact([[10, 10], [0, 20]]).pvalue = 0.000435919790758.
    expect(results.comparisons[1]).toEqual({
      metric: 'purchased',
      test: 'fisher_exact',
      pValue: expect.closeTo(0.00043591979075850045, 12),
      significant: true,
      best: 'a',
      verdict: 'A variante A foi melhor em compras (variante A: 10 de 20; variante B: 0 de 20), e a diferença vai além do acaso (teste exato de Fisher, p < 0,001).',
    });
    expect(results.comparisons[0]!.verdict).toBe('Ainda é cedo para comparar respostas (variante A: 0 de 20; variante B: 0 de 20).');
    const english = buildResults(row, { totals: [totals('a', 10), totals('b', 0)], notSent: [], excluded: {}, now: 1, locale: 'en' });
    expect(english.comparisons[1]!.verdict).toBe("Variant A did better on purchases (variant A: 10 of 20; variant B: 0 of 20), and the difference is beyond chance (Fisher's exact test, p < 0.001).");
  });
});
