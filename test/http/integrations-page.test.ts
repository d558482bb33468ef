import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { translate, type Locale } from '../../src/i18n/index.js';
import { signBody } from '../../src/integrations/shared/signature.js';
import { openPages, type PagesClient } from '../helpers/pages.js';
import { ACCESS_TOKEN, FakeNuvemshopApi, STORE_ID } from '../integrations/fake-nuvemshop-api.js';
import { fixture, postWebhook, SHOPIFY_SECRET, WOO_SECRET } from '../integrations/webhook-requests.js';

// The Integrações page through the real app: configuration from the environment as createTestApp
// loads it, webhooks stored by the repository or sent by the routes, the replay button as a form post.

const NUVEMSHOP_SECRET = 'nuvem-app-secret-0123456789';
const PUBLIC_URL = 'https://fregues.lojadaana.com.br';
const CONFIGURED = {
  PUBLIC_URL,
  SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
  WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET,
  NUVEMSHOP_APP_SECRET: NUVEMSHOP_SECRET,
  NUVEMSHOP_STORE_ID: STORE_ID,
  NUVEMSHOP_ACCESS_TOKEN: ACCESS_TOKEN,
};

let client: PagesClient | undefined;
let api: FakeNuvemshopApi | undefined;
let dir: string | undefined;
afterEach(async () => {
  await client?.app.close();
  await api?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  client = undefined;
  api = undefined;
  dir = undefined;
});

/** The text of a page without tags, entities decoded as a browser shows them. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The <li> of one webhook on the page. */
function rowOf(html: string, id: number): string {
  const match = new RegExp(`<li class="webhook-row[^"]*" id="webhook-${id}">([\\s\\S]*?)</li>`).exec(html);
  if (!match) throw new Error(`no row for webhook ${id}`);
  return match[0];
}

describe('the Integrações page', () => {
  it.each(['pt-BR', 'en', 'es'] as Locale[])('with nothing configured (%s): each platform names what is missing and warns about localhost', async (locale) => {
    client = await openPages({ env: { LOCALE: locale } });
    const response = await client.get('/integrations');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(`<html lang="${locale}">`);
    expect(response.body).toContain(`<title>${translate(locale, 'page.title.integrations')} · fregues</title>`);
    expect(response.body).toContain(`<a href="/integrations" aria-current="page">${translate(locale, 'page.nav.integrations')}</a>`);
    const text = textOf(response.body);
    for (const variables of ['NUVEMSHOP_STORE_ID, NUVEMSHOP_ACCESS_TOKEN, NUVEMSHOP_APP_SECRET', 'SHOPIFY_WEBHOOK_SECRET', 'WOOCOMMERCE_WEBHOOK_SECRET']) {
      expect(text).toContain(translate(locale, 'page.integrations.missing', { variables }));
    }
    for (const platform of ['nuvemshop', 'shopify', 'woocommerce']) expect(text).toContain(`http://localhost:3000/webhooks/${platform}`);
    expect(text).toContain(translate(locale, 'page.integrations.url.local', { url: 'http://localhost:3000' }));
    expect(text).not.toContain(translate(locale, 'page.integrations.configured'));
    expect(text).toContain(translate(locale, 'page.integrations.none'));
  });

  it('says the pt-BR steps of each admin, with the address to paste', async () => {
    client = await openPages({ env: { PUBLIC_URL } });
    const text = textOf((await client.get('/integrations')).body);
    expect(text).toContain('No admin da Shopify, acesse Configurações › Notificações');
    expect(text).toContain(`em URL, cole ${PUBLIC_URL}/webhooks/shopify`);
    expect(text).toContain('WooCommerce › Configurações › Avançado › Webhooks');
    expect(text).toContain(`Em URL de entrega, cole ${PUBLIC_URL}/webhooks/woocommerce`);
    expect(text).toContain(`npx fregues integrations register nuvemshop ${PUBLIC_URL}`);
    expect(text).not.toContain('localhost');
  });

  it.each([
    ['Nuvemshop', 'nuvemshop', { NUVEMSHOP_APP_SECRET: NUVEMSHOP_SECRET, NUVEMSHOP_STORE_ID: STORE_ID, NUVEMSHOP_ACCESS_TOKEN: ACCESS_TOKEN }],
    ['Shopify', 'shopify', { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET }],
    ['WooCommerce', 'woocommerce', { WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET }],
  ] as const)('with %s configured: "Configurado" for it alone, and never a secret on the page', async (_name, platform, env) => {
    client = await openPages({ env: { PUBLIC_URL, ...env } });
    const body = (await client.get('/integrations')).body;
    const card = new RegExp(`<section class="integration (\\S+)" id="${platform}">`).exec(body);
    expect(card?.[1]).toBe('configured');
    expect(body.match(/<section class="integration configured"/g)).toHaveLength(1);
    expect(textOf(body)).toContain('Configurado');
    for (const secret of Object.values(env)) if (secret !== STORE_ID) expect(body).not.toContain(secret);
  });

  it('names only the Nuvemshop variables still missing', async () => {
    client = await openPages({ env: { NUVEMSHOP_APP_SECRET: NUVEMSHOP_SECRET } });
    const text = textOf((await client.get('/integrations')).body);
    expect(text).toContain(translate('pt-BR', 'page.integrations.missing', { variables: 'NUVEMSHOP_STORE_ID, NUVEMSHOP_ACCESS_TOKEN' }));
  });

  it('lists the last webhooks with what became of each, the recorded one linked to its customer', async () => {
    client = await openPages({ env: CONFIGURED });
    const { repos, clock } = client.app;
    const bought = await client.app.buy({ externalId: 'shopify:820982911946154508', customer: { phone: '(11) 91234-5678', name: 'Ana Souza' } });
    const at = clock.now();
    const base = { platform: 'shopify' as const, topic: 'orders/paid', body: '{}', receivedAt: at };
    const recorded = repos.webhookEvents.record({ ...base, orderRef: '820982911946154508', status: 'recorded', purchaseId: bought.purchase.id });
    const duplicate = repos.webhookEvents.record({ ...base, orderRef: '820982911946154508', status: 'duplicate', purchaseId: bought.purchase.id });
    const skipped = repos.webhookEvents.record({ ...base, orderRef: '450789469', status: 'skipped', reason: 'no_phone' });
    const woo = repos.webhookEvents.record({ ...base, platform: 'woocommerce', topic: 'order.updated', orderRef: '727', status: 'skipped', reason: 'status_ignored' });
    const pending = repos.webhookEvents.record({ ...base, platform: 'nuvemshop', topic: 'order/paid', orderRef: '871254203' });
    const retrying = repos.webhookEvents.record({ ...base, platform: 'nuvemshop', topic: 'order/paid', orderRef: '871254204' });
    repos.webhookEvents.scheduleRetry(retrying.id, Date.parse('2026-11-20T15:01:00Z'), 'api_error: 503');
    const failed = repos.webhookEvents.record({ ...base, platform: 'nuvemshop', topic: 'order/paid', orderRef: '871254205' });
    repos.webhookEvents.finish(failed.id, 'failed', 'order_not_found', null, at);

    const body = (await client.get('/integrations')).body;
    const row = (id: number) => textOf(rowOf(body, id));
    expect(row(recorded.id)).toContain('Registrado');
    expect(row(recorded.id)).toContain('Compra registrada no cadastro de Ana Souza');
    expect(rowOf(body, recorded.id)).toContain(`<a href="/customers/${bought.customer.id}">`);
    expect(row(recorded.id)).toContain('Pedido 820982911946154508');
    expect(row(duplicate.id)).toContain('Repetido');
    expect(row(duplicate.id)).toContain('já tinha chegado antes');
    expect(row(skipped.id)).toContain('Ignorado');
    expect(row(skipped.id)).toContain('não tem um celular válido');
    expect(row(skipped.id)).toContain('registre a venda em Nova venda');
    expect(row(woo.id)).toContain('não está pago ou foi cancelado');
    expect(row(pending.id)).toContain('Aguardando');
    // 15:01 UTC is 12:01 in São Paulo; one attempt so far.
    expect(row(retrying.id)).toContain('Tentando de novo');
    expect(row(retrying.id)).toContain('a próxima às 20/11/2026, 12:01');
    expect(row(retrying.id)).toContain('respondeu com erro (503)');
    expect(row(failed.id)).toContain('Falhou: a loja diz que o pedido não existe');
    // A replay button on every row but the one whose first try is still to come and those whose order
    // already is a purchase (nothing to replay: their body is not kept), each form with its token.
    for (const { id } of [pending, recorded, duplicate]) expect(rowOf(body, id)).not.toContain('<form');
    for (const { id } of [skipped, woo, retrying, failed]) {
      expect(rowOf(body, id)).toContain(`action="/integrations/webhooks/${id}/replay"`);
      expect(rowOf(body, id)).toMatch(/name="_csrf" value="[^"]+"/);
    }
    // Each platform lists its own.
    const shopifyCard = body.slice(body.indexOf('id="shopify"'), body.indexOf('id="woocommerce"'));
    expect(shopifyCard).toContain(`id="webhook-${skipped.id}"`);
    expect(shopifyCard).not.toContain(`id="webhook-${woo.id}"`);
  });

  it('replays a Nuvemshop order skipped for its phone once the seller fixed it in the store: recorded', async () => {
    api = await new FakeNuvemshopApi().start();
    client = await openPages({ env: { ...CONFIGURED, NUVEMSHOP_API_URL: api.url } });
    // Nuvemshop's documented order, paid, with a phone no WhatsApp reaches.
    const documented = fixture('nuvemshop/order-single.json') as { id: number; customer: object };
    const order = { ...documented, payment_status: 'paid', status: 'open' };
    api.orders.set(String(order.id), order);
    const webhook = JSON.stringify({ store_id: Number(STORE_ID), event: 'order/paid', id: order.id });
    const arrived = await client.app.app.inject({
      method: 'POST',
      url: '/webhooks/nuvemshop',
      payload: webhook,
      headers: { 'content-type': 'application/json', 'x-linkedstore-hmac-sha256': signBody(webhook, NUVEMSHOP_SECRET, 'hex') },
    });
    expect(arrived.statusCode, arrived.body).toBe(200);
    await client.app.nuvemshop!.fetcher.settled();
    const [row] = client.app.repos.webhookEvents.listRecent('nuvemshop', 1);
    expect(row).toMatchObject({ status: 'skipped', reason: 'no_phone' });
    const skippedText = textOf(rowOf((await client.get('/integrations')).body, row!.id));
    expect(skippedText).toContain('não tem um celular válido');
    expect(skippedText).toContain('Corrija o celular do cliente no pedido, no admin da Nuvemshop');

    // The seller puts the customer's mobile in the order, and presses the button.
    api.orders.set(String(order.id), { ...order, customer: { ...order.customer, phone: '+55 11 91234-5678' } });
    const replayed = await client.post(`/integrations/webhooks/${row!.id}/replay`);
    expect(replayed.statusCode, replayed.body).toBe(303);
    expect(replayed.headers.location).toBe(`/integrations?replayed=${row!.id}#webhook-${row!.id}`);
    const after = client.app.repos.webhookEvents.find(row!.id)!;
    expect(after.status).toBe('recorded');
    const purchase = client.app.repos.purchases.find(after.purchaseId!)!;
    const customer = client.app.repos.customers.findById(purchase.customerId)!;
    expect(customer.phone).toBe('+5511912345678');

    const page = await client.get(replayed.headers.location as string);
    const notice = /<p class="notice" role="status">([\s\S]*?)<\/p>/.exec(page.body)?.[1] ?? '';
    expect(textOf(notice)).toContain(`Webhook #${row!.id} reprocessado: Compra registrada no cadastro de`);
    expect(rowOf(page.body, row!.id)).toContain(`<a href="/customers/${customer.id}">`);
  });

  it('replays a Shopify webhook skipped for its topic after SHOPIFY_TOPICS takes it and fregues restarts: recorded', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-integrations-'));
    const dbFile = path.join(dir, 'fregues.db');
    client = await openPages({ dbFile, env: CONFIGURED });
    const order = { ...fixture('shopify/orders-paid.json'), phone: '+55 11 91234-5678' };
    const arrived = await postWebhook(client.app, 'shopify', order, { topic: 'orders/create' });
    expect(arrived.statusCode, arrived.body).toBe(200);
    const [row] = client.app.repos.webhookEvents.listRecent('shopify', 1);
    expect(row).toMatchObject({ status: 'skipped', reason: 'topic_ignored' });
    // The same webhook replayed before the fix: still skipped, and the page says so.
    const early = await client.post(`/integrations/webhooks/${row!.id}/replay`);
    expect(early.statusCode).toBe(303);
    expect(textOf((await client.get(early.headers.location as string)).body)).toContain(`Webhook #${row!.id} reprocessado: Não virou compra: é um evento que o fregues não usa.`);
    await client.app.close();

    client = await openPages({ dbFile, env: { ...CONFIGURED, SHOPIFY_TOPICS: 'orders/paid,orders/create' } });
    const replayed = await client.post(`/integrations/webhooks/${row!.id}/replay`);
    expect(replayed.statusCode, replayed.body).toBe(303);
    expect(client.app.repos.webhookEvents.find(row!.id)).toMatchObject({ status: 'recorded' });
    const text = textOf((await client.get(replayed.headers.location as string)).body);
    expect(text).toContain(`Webhook #${row!.id} reprocessado: Compra registrada no cadastro de John Smith`);
    // Once more (a form posted by hand: the page shows no button now): refused, the purchase not recorded twice.
    expect(rowOf((await client.get('/integrations')).body, row!.id)).not.toContain('<form');
    const again = await client.post(`/integrations/webhooks/${row!.id}/replay`);
    expect(again.statusCode).toBe(409);
    expect(textOf(again.body)).toContain(`O webhook #${row!.id} não pôde ser reprocessado: este webhook já virou compra`);
    expect(client.app.repos.webhookEvents.find(row!.id)).toMatchObject({ status: 'recorded', body: null });
    expect(client.app.db.sqlite.prepare('SELECT count(*) AS n FROM purchases').get()).toEqual({ n: 1 });
  });

  it('refuses a replay of a webhook that does not exist (404), without a form token (403) or signed out (401)', async () => {
    client = await openPages({ env: CONFIGURED });
    const missing = await client.post('/integrations/webhooks/999/replay');
    expect(missing.statusCode).toBe(404);
    expect(textOf(missing.body)).toContain('Não há webhook com o número 999.');
    const notANumber = await client.post('/integrations/webhooks/abc/replay');
    expect(notANumber.statusCode).toBe(404);
    const row = client.app.repos.webhookEvents.record({ platform: 'shopify', topic: 'orders/paid', orderRef: '1', body: '{}', receivedAt: client.app.clock.now(), status: 'skipped', reason: 'no_phone' });
    const forged = await client.app.app.inject({ method: 'POST', url: `/integrations/webhooks/${row.id}/replay`, cookies: client.cookies, payload: {} });
    expect(forged.statusCode).toBe(403);
    const signedOut = await client.app.app.inject({ method: 'POST', url: `/integrations/webhooks/${row.id}/replay` });
    expect(signedOut.statusCode).toBe(401);
    expect(client.app.repos.webhookEvents.find(row.id)).toMatchObject({ status: 'skipped', attempts: 1 });
  });

  it('says why a Nuvemshop webhook cannot be replayed while Nuvemshop is not configured (409)', async () => {
    client = await openPages();
    const row = client.app.repos.webhookEvents.record({ platform: 'nuvemshop', topic: 'order/paid', orderRef: '871254203', body: '{}', receivedAt: client.app.clock.now(), status: 'failed', reason: 'not_configured' });
    const response = await client.post(`/integrations/webhooks/${row.id}/replay`);
    expect(response.statusCode).toBe(409);
    expect(textOf(response.body)).toContain(`O webhook #${row.id} não pôde ser reprocessado: esta integração não está configurada`);
  });

  it('serves the seller’s guide, docs/integrations.md', async () => {
    client = await openPages({ env: { LOCALE: 'en' } });
    const response = await client.get('/integrations/guide');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<article class="document" lang="pt-BR">');
    expect(textOf(response.body)).toContain('Pagamento do pedido');
    expect(response.body).toContain('<a href="/integrations">‹ Integrations</a>');
    expect(response.body).toContain('<title>Integrations guide · fregues</title>');
  });
});
