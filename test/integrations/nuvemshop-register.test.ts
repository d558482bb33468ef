import { readFileSync } from 'node:fs';
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webhookUrlFrom } from '../../src/integrations/nuvemshop/register-webhooks.js';
import { runFregues } from '../helpers/run-fregues.js';
import { ACCESS_TOKEN, FakeNuvemshopApi, STORE_ID } from './fake-nuvemshop-api.js';
import { nuvemshopEnv } from './nuvemshop-helpers.js';

let api: FakeNuvemshopApi;

beforeEach(async () => {
  api = await new FakeNuvemshopApi().start();
});

afterEach(async () => {
  await api.stop();
});

const register = (url: string, env: Record<string, string> = nuvemshopEnv(api), platform = 'nuvemshop') =>
  runFregues(['integrations', 'register', platform, url], { cwd: os.tmpdir(), env });
const posts = () => api.requests.filter((request) => request.method === 'POST');

describe('fregues integrations register nuvemshop', () => {
  it('registers order/paid at <public-url>/webhooks/nuvemshop through the API, and a second run changes nothing', async () => {
    const first = await register('https://loja.exemplo.com.br');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.lines).toEqual([
      'Cadastrado: order/paid → https://loja.exemplo.com.br/webhooks/nuvemshop (aviso 8901)',
      `Pronto: a loja ${STORE_ID} da Nuvemshop avisa o fregues de 1 evento(s).`,
    ]);
    expect(posts()).toHaveLength(1);
    expect(JSON.parse(posts()[0]!.body)).toEqual({ event: 'order/paid', url: 'https://loja.exemplo.com.br/webhooks/nuvemshop' });
    expect(posts()[0]!.headers).toMatchObject({ authentication: `bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json; charset=utf-8' });

    const again = await register('https://loja.exemplo.com.br/webhooks/nuvemshop/');
    expect(again.code).toBe(0);
    expect(again.lines[0]).toBe('Já estava cadastrado: order/paid → https://loja.exemplo.com.br/webhooks/nuvemshop (aviso 8901)');
    expect(posts()).toHaveLength(1);
    expect(api.webhooks).toHaveLength(1);
  });

  it('registers each event of NUVEMSHOP_EVENTS, adding only the missing one', async () => {
    await register('https://loja.exemplo.com.br');
    const both = await register('https://loja.exemplo.com.br', nuvemshopEnv(api, { NUVEMSHOP_EVENTS: 'order/paid,order/created' }));
    expect(both.code).toBe(0);
    expect(both.lines.slice(0, 2)).toEqual([
      'Já estava cadastrado: order/paid → https://loja.exemplo.com.br/webhooks/nuvemshop (aviso 8901)',
      'Cadastrado: order/created → https://loja.exemplo.com.br/webhooks/nuvemshop (aviso 8902)',
    ]);
    expect(api.webhooks.map((hook) => hook.event)).toEqual(['order/paid', 'order/created']);
  });

  it('leaves the store\'s other webhooks alone: an event sent elsewhere still gets fregues\' address', async () => {
    // The documented GET /webhooks answer: app/uninstalled and order/created at another app's addresses.
    api.webhooks.push(...(JSON.parse(readFileSync(new URL('../fixtures/integrations/nuvemshop/webhooks-list.json', import.meta.url), 'utf8')) as typeof api.webhooks));
    const run = await register('https://loja.exemplo.com.br', nuvemshopEnv(api, { NUVEMSHOP_EVENTS: 'order/created' }));
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe('Cadastrado: order/created → https://loja.exemplo.com.br/webhooks/nuvemshop (aviso 8903)');
    expect(api.webhooks.map((hook) => [hook.event, hook.url])).toEqual([
      ['app/uninstalled', 'https://myapp.com/uninstall'],
      ['order/created', 'https://myapp.com/order_created_hook'],
      ['order/created', 'https://loja.exemplo.com.br/webhooks/nuvemshop'],
    ]);
  });

  it('refuses an address Nuvemshop would not call, before asking the API', async () => {
    const http = await register('http://loja.exemplo.com.br');
    expect(http.code).toBe(1);
    expect(http.err).toContain('precisa começar com https://');
    const local = await register('https://localhost:3000');
    expect(local.err).toContain('não é um endereço público');
    const junk = await register('loja');
    expect(junk.err).toContain('não é um endereço');
    expect(api.requests).toEqual([]);
  });

  it('names the variables still missing', async () => {
    const run = await register('https://loja.exemplo.com.br', { NUVEMSHOP_API_URL: api.url });
    expect(run.code).toBe(1);
    expect(run.err.trim()).toBe('Falta configurar NUVEMSHOP_APP_SECRET, NUVEMSHOP_STORE_ID, NUVEMSHOP_ACCESS_TOKEN para cadastrar os avisos na Nuvemshop.');
  });

  it('says what the API answered when it refuses the token or fails', async () => {
    const refused = await register('https://loja.exemplo.com.br', nuvemshopEnv(api, { NUVEMSHOP_ACCESS_TOKEN: 'wrong-token' }));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`Não consegui ler os avisos da loja ${STORE_ID} na Nuvemshop: HTTP 401`);
    expect(refused.err).toContain('NUVEMSHOP_ACCESS_TOKEN');
    api.mode = 'fail';
    const failed = await register('https://loja.exemplo.com.br');
    expect(failed.err).toContain('HTTP 500');
    expect(api.webhooks).toEqual([]);
  });

  it('sends Shopify and WooCommerce sellers to their admin', async () => {
    const run = await register('https://loja.exemplo.com.br', nuvemshopEnv(api), 'shopify');
    expect(run.code).toBe(1);
    expect(run.err).toContain('Só a Nuvemshop é cadastrada por aqui, não "shopify"');
  });

  it('shows the usage when the command is incomplete', async () => {
    const run = await runFregues(['integrations', 'register', 'nuvemshop'], { cwd: os.tmpdir(), env: nuvemshopEnv(api) });
    expect(run.code).toBe(1);
    expect(run.err).toContain('fregues integrations register nuvemshop https://');
  });
});

describe('webhookUrlFrom', () => {
  it('adds the route to a base address and keeps a full one', () => {
    expect(webhookUrlFrom('https://loja.exemplo.com.br/')).toEqual({ ok: true, url: 'https://loja.exemplo.com.br/webhooks/nuvemshop' });
    expect(webhookUrlFrom('https://exemplo.com.br/fregues')).toEqual({ ok: true, url: 'https://exemplo.com.br/fregues/webhooks/nuvemshop' });
    expect(webhookUrlFrom('https://exemplo.com.br/webhooks/nuvemshop')).toEqual({ ok: true, url: 'https://exemplo.com.br/webhooks/nuvemshop' });
    expect(webhookUrlFrom('https://minhaloja.nuvemshop.com.br')).toEqual({ ok: false, problem: 'not_public' });
    expect(webhookUrlFrom('https://127.0.0.1')).toEqual({ ok: false, problem: 'not_public' });
  });
});
