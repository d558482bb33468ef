import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createShop, type Shop } from '../helpers/shop.js';
import { addCustomer, campaignResults, createCampaign, segmentOf } from './campaign-helpers.js';

let shop: Shop | undefined;
let dir: string | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const local = (time: string) => new Date(Date.parse(`${time}-03:00`)).toISOString();

async function issuesOf(shop: Shop, body: Record<string, unknown>): Promise<{ status: number; code: string; paths: string[] }> {
  const response = await shop.api({ method: 'POST', url: '/api/campaigns', payload: body });
  const error = response.json().error;
  return { status: response.statusCode, code: error?.code, paths: (error?.issues ?? []).map((issue: { path: string }) => issue.path) };
}

describe('POST /api/campaigns refuses what it cannot send, with the path', () => {
  it('checks the body and each message as a flow step, storing nothing', async () => {
    shop = await createShop();
    await addCustomer(shop, '+5511912340101', { consent: true, tags: ['clube'] });
    const segment = await segmentOf(shop, 'Clube', ['clube']);

    expect(await issuesOf(shop, { segment, message: { text: 'Oi {{ customer.nome }}' } })).toEqual({ status: 400, code: 'validation_failed', paths: ['message.text'] });
    expect(await issuesOf(shop, { segment, message: { text: 'Sobre {{ purchase.products }}' } })).toEqual({ status: 400, code: 'validation_failed', paths: ['message.text'] });
    expect(await issuesOf(shop, { segment, message: { text: 'Oi {% if %}' } })).toMatchObject({ status: 400, paths: ['message.text'] });
    expect(await issuesOf(shop, { segment, message: { image: 'nao-existe.png', caption: 'Olha' } })).toMatchObject({ status: 400, paths: ['message.image'] });
    expect(await issuesOf(shop, { segment, message: { ask: { kind: 'choice', question: 'Qual sabor?' } } })).toMatchObject({ status: 400, paths: ['message.ask'] });
    expect(await issuesOf(shop, { segment, message: { ask: { kind: 'text', question: 'Conta pra gente', poll: true } } })).toMatchObject({ status: 400, paths: ['message.ask.poll'] });
    expect(await issuesOf(shop, { segment, variants: [{ text: 'A' }, { text: 'B {{ answer.value }}' }] })).toMatchObject({ status: 400, paths: ['variants.1.text'] });
    expect(await issuesOf(shop, { segment, variants: [{ text: 'A' }] })).toMatchObject({ status: 400, paths: ['variants'] });
    expect(await issuesOf(shop, { segment, message: { text: 'A' }, variants: [{ text: 'A' }, { text: 'B' }] })).toMatchObject({ status: 400, paths: ['message'] });
    expect(await issuesOf(shop, { segment })).toMatchObject({ status: 400, paths: ['message'] });
    expect(await issuesOf(shop, { segment, message: { text: 'A', caption: 'B' } })).toMatchObject({ status: 400, paths: ['message'] });
    expect(await issuesOf(shop, { segment, message: { text: 'A' }, sendAt: local('2026-11-19T12:00:00') })).toMatchObject({ status: 400, paths: ['sendAt'] });
    expect(await issuesOf(shop, { segment, message: { text: 'A' }, attributionDays: 0 })).toMatchObject({ status: 400, paths: ['attributionDays'] });
    expect(await issuesOf(shop, { segment, message: { text: 'A' }, canal: 'sms' })).toMatchObject({ status: 400, paths: [''] });
    expect(await issuesOf(shop, { segment: 'nao-existe', message: { text: 'A' } })).toMatchObject({ status: 404, code: 'segment_not_found' });

    const message = (await shop.api({ method: 'POST', url: '/api/campaigns', payload: { segment, message: { text: 'Oi {{ customer.nome }}' } } })).json().error.issues[0].message;
    expect(message).toContain('customer.nome');
    expect((await shop.api({ method: 'GET', url: '/api/campaigns' })).json()).toEqual({ campaigns: [] });
    expect(shop.db.sqlite.prepare('SELECT count(*) AS n FROM flow_runs').get()).toEqual({ n: 0 });
  });

  it('answers 404 for a campaign that does not exist', async () => {
    shop = await createShop();
    expect((await shop.api({ method: 'GET', url: '/api/campaigns/99' })).json().error.code).toBe('campaign_not_found');
    expect((await shop.api({ method: 'POST', url: '/api/campaigns/99/cancel' })).statusCode).toBe(404);
    expect((await shop.api({ method: 'GET', url: '/api/campaigns/abc' })).statusCode).toBe(400);
  });
});

describe("a campaign's flows", () => {
  it('are neither flows of the Fluxos page nor of /api/flows, and are not reported as removed flows with runs', async () => {
    shop = await createShop();
    const ana = await addCustomer(shop, '+5511912340111', { consent: true, tags: ['clube'] });
    const segment = await segmentOf(shop, 'Clube', ['clube']);
    const created = await createCampaign(shop, { segment, message: { text: 'Amanhã!' }, sendAt: local('2026-11-21T10:00:00') });
    const flowId = `campanha:${created.id}:a`;

    expect((await shop.api({ method: 'GET', url: '/api/flows' })).json().flows).toEqual([]);
    expect((await shop.api({ method: 'DELETE', url: `/api/flows/${encodeURIComponent(flowId)}/runs` })).statusCode).toBe(404);
    expect((await shop.api({ method: 'POST', url: `/api/flows/${encodeURIComponent(flowId)}/runs`, payload: { customerId: ana.id } })).statusCode).toBe(404);
    expect(shop.flows.runner.removedFlowsWithRuns()).toEqual([]);
    expect([...shop.liveFlows.reload().kept.keys()]).toEqual([]);
    // Its run still waits, untouched by all of the above.
    const summary = (await shop.api({ method: 'GET', url: '/api/campaigns' })).json().campaigns;
    expect(summary).toEqual([
      {
        id: created.id,
        name: 'Campanha de 21/11/2026',
        segment,
        status: 'scheduled',
        sendAt: local('2026-11-21T10:00:00'),
        createdAt: local('2026-11-20T12:00:00'),
        cancelledAt: null,
        variants: 1,
        recipients: 1,
        excluded: {},
      },
    ]);
  });

  it('are read from the stored version after a restart (never loaded from FLOWS_DIR)', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-campaign-'));
    const dbFile = path.join(dir, 'fregues.db');
    shop = await createShop({ dbFile });
    const ana = await addCustomer(shop, '+5511912340121', { consent: true, tags: ['clube'] });
    const segment = await segmentOf(shop, 'Clube', ['clube']);
    const created = await createCampaign(shop, { segment, message: { text: 'Bom dia, {{ customer.first_name }}!' }, sendAt: local('2026-11-21T10:00:00') });
    await shop.close();

    shop = await createShop({ dbFile });
    await shop.travel({ to: local('2026-11-21T11:00:00') });
    expect(shop.received(ana.phone)).toEqual(['Bom dia, Cliente!']);
    expect((await campaignResults(shop, created.id)).results[0].sent).toEqual({ count: 1, of: 1, rate: 1 });
  });
});
