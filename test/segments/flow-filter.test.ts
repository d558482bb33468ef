import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatFlowErrors, loadFlows } from '../../src/flows/load-flows.js';
import { flowsFromYaml } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';
import { buyFixture, type FixtureName } from './fixture.js';

const flow = (id: string, trigger: string, segment: string) =>
  `id: ${id}\nversion: 1\nname: ${id}\ntrigger: ${trigger}\nfilter:\n  segment: ${segment}\nsteps:\n  - id: oi\n    send: Oi!\n`;

describe('filter: { segment } when flows load', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-segment-flows-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a typo of a built-in id with its file, line and the ids allowed', () => {
    fs.writeFileSync(path.join(dir, 'f.yaml'), flow('teste', 'manual', 'mais-valioso'));
    const { errors } = loadFlows(dir, { locale: 'pt-BR' });
    expect(formatFlowErrors(errors).trim()).toBe(
      'f.yaml:6:12 filter.segment: segmento desconhecido: mais-valioso (os prontos são mais-valiosos, maior-potencial, fieis, novos, em-risco, perdidos, abaixo-de-zero; um segmento salvo é conferido ao inscrever o cliente)',
    );
  });

  it('keeps a built-in or a saved id, and leaves the filter of a flow without it as it was (same hash)', () => {
    const [withSegment] = flowsFromYaml({ 'a.yaml': flow('a', 'manual', 'em-risco') });
    expect(withSegment?.filter).toEqual({ tagsAll: [], tagsNone: [], products: null, consent: null, segment: 'em-risco' });
    const [saved] = flowsFromYaml({ 'b.yaml': flow('b', 'manual', 'clientes-de-cafe') });
    expect(saved?.filter.segment).toBe('clientes-de-cafe');
    const [without] = flowsFromYaml({ 'c.yaml': 'id: c\nversion: 1\nname: c\ntrigger: manual\nsteps:\n  - id: oi\n    send: Oi!\n' });
    expect(without && 'segment' in without.filter).toBe(false);
  });
});

describe('filter: { segment } at enrolment', () => {
  let shop: Shop;
  let ids: Record<FixtureName, number>;
  beforeEach(async () => {
    shop = await createShop({
      flows: flowsFromYaml({
        'vip.yaml': flow('oferta-vip', 'manual', 'mais-valiosos'),
        'cafe.yaml': flow('clube-cafe', 'manual', 'clientes-de-cafe'),
        'novos.yaml': flow('boas-vindas', 'purchase', 'novos'),
      }),
    });
    ids = await buyFixture(shop);
  });
  afterEach(async () => {
    await shop.close();
  });

  async function enrolled(flowId: string): Promise<FixtureName[]> {
    const started: FixtureName[] = [];
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'] as const) {
      const response = await shop.api({ method: 'POST', url: `/api/flows/${flowId}/runs`, payload: { customerId: ids[name] } });
      if (response.statusCode === 201) started.push(name);
      else expect(response.json(), name).toMatchObject({ error: { code: 'customer_filtered_out' } });
    }
    return started;
  }

  it('starts a manual flow only for the members of a built-in segment', async () => {
    expect(await enrolled('oferta-vip')).toEqual(['A', 'B']);
  });

  it('starts a purchase flow for a new customer (the purchase counts) and not for a returning one', async () => {
    const first = await shop.buy({ externalId: 'novo-1', customer: { phone: '+5511988887777', name: 'Nova' } });
    expect(first.runs.map((run) => run.flowId)).toEqual(['boas-vindas']);
    const again = await shop.buy({ externalId: 'volta-1', customer: { phone: '+5511990000000', name: 'Cliente A' } });
    expect(again.customer.id).toBe(ids.A);
    expect(again.runs).toEqual([]);
  });

  it('checks a saved segment at enrolment: filtered out with a warning while it does not exist, its members once it does', async () => {
    expect(await enrolled('clube-cafe')).toEqual([]);
    expect(shop.logs.some((line) => line.includes('O fluxo clube-cafe filtra pelo segmento clientes-de-cafe, que não existe'))).toBe(true);
    const created = await shop.api({ method: 'POST', url: '/api/segments', payload: { name: 'Clientes de café', filters: { products: ['CAFE-*'] } } });
    expect(created.json()).toMatchObject({ id: 'clientes-de-cafe' });
    expect(await enrolled('clube-cafe')).toEqual(['A', 'B', 'C']);
  });
});
