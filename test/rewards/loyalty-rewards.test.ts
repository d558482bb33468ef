import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/flows/load-flows.js';
import { flowsFromYaml } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

// Issue 21, point 5: a loyalty flow (`trigger: { type: purchase_count, every | nth }`) sends the
// seller's reward; `{{ reward.code }}` takes the next coupon code, once per occurrence.

const CUSTOMER = '+5511912345678';

let t: Shop;
afterEach(async () => {
  await t.close();
});

function loyaltyFlow(trigger: string, text = 'Obrigado pela compra nº {{ purchase.external_id }}! Seu presente: {{ reward.text }} (código {{ reward.code }})') {
  return flowsFromYaml({
    'fidelidade.yaml': `id: fidelidade
version: 1
name: Fidelidade
trigger: ${trigger}
steps:
  - id: presente
    send: "${text}"
`,
  });
}

async function start(trigger: string, text?: string) {
  t = await createShop({ flows: loyaltyFlow(trigger, text) });
  const response = await t.api({ method: 'PUT', url: '/api/rewards', payload: { loyalty: { codes: ['FIEL-1', 'FIEL-2', 'FIEL-3'] } } });
  expect(response.statusCode, response.body).toBe(200);
}

async function buyTimes(n: number, phone = CUSTOMER, consent = true) {
  const occurrences: string[][] = [];
  for (let i = 1; i <= n; i += 1) {
    const bought = await t.buy({ externalId: `${phone}-${i}`, customer: { phone, name: 'Ana Souza', ...(consent ? { consent: { marketing: true } } : {}) } });
    occurrences.push(bought.runs.map((run) => run.occurrence));
    t.clock.advance(60_000);
  }
  return occurrences;
}

function texts(phone = CUSTOMER): string[] {
  return t.repos.outbox
    .list({ limit: 500 })
    .filter((row) => row.toPhone === phone)
    .reverse()
    .map((row) => (row.content.kind === 'text' ? row.content.text : row.content.kind));
}

describe('purchase_count trigger', () => {
  it('every: 2 starts a run on the 2nd and 4th purchase; each takes the next code, in order', async () => {
    await start('{ type: purchase_count, every: 2 }');
    const runs = await buyTimes(5);
    expect(runs.map((occurrences) => occurrences.length)).toEqual([0, 1, 0, 1, 0]);
    expect(runs[1]![0]).toMatch(/^purchase_count:\d+$/);
    await t.travel('1h');
    expect(texts()).toEqual([
      `Obrigado pela compra nº ${CUSTOMER}-2! Seu presente: cupom FIEL-1 (código FIEL-1)`,
      `Obrigado pela compra nº ${CUSTOMER}-4! Seu presente: cupom FIEL-2 (código FIEL-2)`,
    ]);
    expect(t.repos.rewards.settingOf('loyalty')).toMatchObject({ codesLeft: ['FIEL-3'], codesGiven: 2 });
  });

  it('nth: 3 rewards the third purchase only', async () => {
    await start('{ type: purchase_count, nth: 3 }');
    const runs = await buyTimes(7);
    expect(runs.map((occurrences) => occurrences.length)).toEqual([0, 0, 1, 0, 0, 0, 0]);
    await t.travel('1h');
    expect(texts()).toEqual([`Obrigado pela compra nº ${CUSTOMER}-3! Seu presente: cupom FIEL-1 (código FIEL-1)`]);
  });

  it('no reward without marketing consent: no run, no code taken', async () => {
    await start('{ type: purchase_count, every: 1 }');
    const runs = await buyTimes(2, '+5531977776666', false);
    expect(runs.flat()).toEqual([]);
    await t.travel('1h');
    expect(texts('+5531977776666')).toEqual([]);
    expect(t.repos.rewards.settingOf('loyalty').codesLeft).toEqual(['FIEL-1', 'FIEL-2', 'FIEL-3']);
  });

  it('an occurrence enrolled twice, or advanced in a transaction that fails, takes one code', async () => {
    await start('{ type: purchase_count, nth: 1 }');
    const [first] = await buyTimes(1);
    expect(first).toEqual([expect.stringMatching(/^purchase_count:/)]);
    const purchase = t.repos.purchases.findByExternalId(`${CUSTOMER}-1`)!;
    const customer = t.repos.customers.findById(purchase.customerId)!;
    // The same purchase enrolled again (a retried intake): no second run.
    expect(t.repos.transaction(() => t.flows.runner.enrollForPurchase(customer, purchase))).toEqual([]);

    // A crash in the middle of the step's transaction: the code taken with it is not lost.
    expect(() =>
      t.repos.transaction(() => {
        t.repos.rewards.claim('loyalty', 'run:1', customer.id, t.clock.now());
        throw new Error('killed mid-transaction');
      }),
    ).toThrow('killed mid-transaction');
    expect(t.repos.rewards.settingOf('loyalty').codesLeft).toEqual(['FIEL-1', 'FIEL-2', 'FIEL-3']);

    await t.travel('1h');
    // Claimed again for the same run: the same code, not a new one.
    expect(t.repos.rewards.claim('loyalty', 'run:1', customer.id, t.clock.now())).toEqual({ outcome: 'code', code: 'FIEL-1', fresh: false });
    expect(texts()).toHaveLength(1);
    expect(texts()[0]).toContain('FIEL-1');
    expect(t.repos.rewards.settingOf('loyalty')).toMatchObject({ codesLeft: ['FIEL-2', 'FIEL-3'], codesGiven: 1 });
  });

  it('a message that expired before it went gives its code back', async () => {
    await start('{ type: purchase_count, nth: 1 }');
    // Recorded a week late (a spreadsheet): the thank-you is past its lateness and recorded as expired.
    await t.buy({ externalId: 'antiga', purchasedAt: new Date(t.clock.now() - 7 * 86_400_000).toISOString(), customer: { phone: CUSTOMER, consent: { marketing: true } } });
    await t.travel('1h');
    expect(t.repos.outbox.list({ limit: 10 }).map((row) => row.status)).toEqual(['expired']);
    expect(t.repos.rewards.settingOf('loyalty')).toMatchObject({ codesLeft: ['FIEL-1', 'FIEL-2', 'FIEL-3'], codesGiven: 0 });
  });
});

describe('purchase_count in a flow file', () => {
  function errorsOf(trigger: string): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-flows-'));
    try {
      fs.writeFileSync(path.join(dir, 'f.yaml'), `id: f\nversion: 1\nname: F\ntrigger: ${trigger}\nsteps:\n  - id: a\n    send: oi\n`);
      return loadFlows(dir, { locale: 'pt-BR' }).errors.map((error) => `${error.line}: ${error.path}: ${error.message}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('takes every or nth, one of the two, and implies marketing consent', () => {
    const [flow] = loyaltyFlow('{ type: purchase_count, every: 5 }');
    expect(flow!.trigger).toEqual({ type: 'purchase_count', every: 5, nth: null });
    expect(flow!.filter.consent).toBe('marketing');
    expect(errorsOf('{ type: purchase_count, every: 5, nth: 3 }')).toEqual([
      '4: trigger: Diga "every" (a cada N compras) ou "nth" (só na N-ésima compra), um dos dois.',
    ]);
    expect(errorsOf('{ type: purchase_count }')).toHaveLength(1);
    expect(errorsOf('{ type: purchase_count, every: 0 }')).toHaveLength(1);
  });
});
