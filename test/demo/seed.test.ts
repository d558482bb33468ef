import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoServiceOf } from '../../src/demo/service.js';
import { seedDemoShop } from '../../src/demo/seed.js';
import { DEMO_CAMPAIGN, DEMO_NEW_CHAT_QUOTA, DEMO_SEGMENTS, DEMO_SHOP, FEATURED, PERSONAS } from '../../src/demo/shop.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { TEST_TOKEN } from '../helpers/app.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

// A Monday, 14:00 in São Paulo.
const NOW = Date.parse('2026-11-23T17:00:00Z');

let app: Shop | undefined;
let dir: string | undefined;
afterEach(async () => {
  await app?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  app = undefined;
  dir = undefined;
});

describe('the demo shop', () => {
  it('plays eight weeks through the service: purchases, the flows’ messages, answers, referrals, an opt-out, weekly summaries', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-demo-'));
    app = await createShop({ random: () => 0.37, flows: SHIPPED_FLOWS, clock: new ManualClock(NOW), env: { SHOP_NAME: DEMO_SHOP.name, OWNER_PHONE: DEMO_SHOP.owner, DATA_DIR: dir } });
    const result = await seedDemoShop(demoServiceOf(app.app, app.simulator, app.clock, TEST_TOKEN), NOW);

    expect(result.now).toBe(NOW);
    expect(app.clock.now()).toBe(NOW);
    const purchases = PERSONAS.reduce((sum, persona) => sum + persona.purchases.length, 0) + 1;
    expect(result).toMatchObject({ customers: PERSONAS.length + 1, purchases });
    const customers = app.repos.customers.list({ limit: 500 });
    expect(customers.length).toBe(PERSONAS.length + 1);
    for (const persona of PERSONAS.filter((p) => p.referral)) {
      const referrer = app.repos.customers.findByPhone(persona.phone)!;
      expect(app.repos.referrals.listFor(referrer.id).map((referral) => referral.phone), persona.name).toEqual([persona.referral!.phone]);
    }

    // Every persona with a score gave it once per survey they got; the survey's answers are stored.
    const answered = PERSONAS.filter((persona) => persona.nps !== undefined && persona.purchases.some((purchase) => purchase.daysAgo >= 8));
    for (const persona of answered) {
      const customer = app.repos.customers.findByPhone(persona.phone)!;
      const scores = app.repos.answers.listFor(customer.id).filter((answer) => answer.kind === 'nps');
      expect(scores.length, persona.name).toBeGreaterThanOrEqual(1);
    }
    expect(app.repos.customers.findByPhone('+5511912340010')!.optedOutAt).not.toBeNull();
    // The owner got the Monday summaries of the weeks played, and the detractors' alerts.
    const owner = app.simulator.conversation(DEMO_SHOP.owner).filter((message) => message.content.kind === 'text').map((message) => (message.content as { text: string }).text);
    expect(owner.filter((text) => text.startsWith('📊')).length).toBeGreaterThanOrEqual(7);
    expect(owner.some((text) => text.includes('Daniel Rocha'))).toBe(true);
    // WhatsApp's quota as a shop in use sees it, on Conectar and the Painel (stored from the channel's limits event).
    expect(app.simulator.limits.cap).toMatchObject({ total: DEMO_NEW_CHAT_QUOTA.total, used: DEMO_NEW_CHAT_QUOTA.used, cycleStart: NOW, status: 'none' });
    expect(app.repos.whatsappLimits.read().cap).toMatchObject({ total: DEMO_NEW_CHAT_QUOTA.total, used: DEMO_NEW_CHAT_QUOTA.used });
    // The seller's segments, and the finished campaign of four weeks ago with its results (issue 21).
    const segments = (await app.api({ method: 'GET', url: '/api/segments' })).json().segments as { id: string; name: string; kind: string; count: number }[];
    expect(segments.filter((segment) => segment.kind === 'custom').map((segment) => segment.name)).toEqual(DEMO_SEGMENTS.map((segment) => segment.name));
    expect(segments.find((segment) => segment.id === 'compraram-a-prensa')!.count).toBeGreaterThan(0);
    expect(result.campaignId).toBe(1);
    const campaign = (await app.api({ method: 'GET', url: `/api/campaigns/${result.campaignId}` })).json().campaign;
    expect(campaign).toMatchObject({ name: DEMO_CAMPAIGN.body.name, segment: 'novos', status: 'sent', variants: 2, recipients: 6, excluded: { opted_out: 1 }, attributionDays: 7, seed: 21 });
    expect(campaign.sendAt).toBe(new Date(NOW - 28 * 86_400_000 - 2 * 3_600_000).toISOString());
    const byName = (name: string) => app!.repos.customers.list({ limit: 500 }).find((customer) => customer.name === name)!.id;
    const variantOf = app.db.sqlite.prepare<[number], { variant: string | null; excluded: string | null }>('SELECT variant, excluded FROM campaign_recipients WHERE customer_id = ?');
    expect(variantOf.get(byName('João Pereira'))).toEqual({ variant: null, excluded: 'opted_out' });
    const [a, b] = campaign.results;
    expect(a).toMatchObject({ key: 'a', recipients: 3, pending: 0, sent: { count: 3, of: 3 }, replied: { count: 2, of: 3 }, purchased: { count: 2, of: 3 }, purchases: 2, revenueCents: 11970 });
    expect(b).toMatchObject({ key: 'b', recipients: 3, pending: 0, sent: { count: 3, of: 3 }, replied: { count: 1, of: 3 }, purchased: { count: 0, of: 3 }, purchases: 0, revenueCents: 0 });
    expect(campaign.comparisons.map((comparison: { metric: string; test: string | null; significant: boolean }) => [comparison.metric, comparison.test, comparison.significant])).toEqual([
      ['replied', 'fisher_exact', false],
      ['purchased', 'fisher_exact', false],
    ]);
    // Its customers' answers are in the record like any other.
    const felipe = app.repos.messages.listByCustomer(byName('Felipe Ramos')).filter((message) => message.direction === 'in').map((message) => message.text);
    expect(felipe).toContain('QUERO');

    // Marina's journey is ahead: her purchase is recorded, her thanks not sent yet.
    const featured = app.repos.customers.findByPhone(FEATURED.phone)!;
    expect(app.repos.purchases.listByCustomer(featured.id)).toHaveLength(1);
    expect(app.simulator.conversation(FEATURED.phone)).toEqual([]);
    await app.travel('1h');
    expect(app.simulator.conversation(FEATURED.phone).map((message) => message.content.kind === 'text' && message.content.text)[0]).toContain('Oi, Marina! Aqui é a equipe Café da Serra');
    // As the README tells a newcomer: a week later, the tip and the 0-10 question, and the owner's Monday summary.
    await app.travel('7d');
    const marina = app.simulator.conversation(FEATURED.phone).map((message) => (message.content.kind === 'poll' ? message.content.question : message.content.kind === 'text' ? message.content.text : ''));
    expect(marina.some((text) => text.includes('Uma dica'))).toBe(true);
    expect(marina.some((text) => text.includes('de 0 a 10'))).toBe(true);
    const summaries = app.simulator.conversation(DEMO_SHOP.owner).filter((message) => message.content.kind === 'text' && message.content.text.startsWith('📊'));
    expect(new Date(summaries.at(-1)!.at).toISOString()).toBe('2026-11-30T12:00:00.000Z');
  });
});
