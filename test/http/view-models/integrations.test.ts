import { describe, expect, it } from 'vitest';
import {
  buildIntegrations,
  describeReason,
  unreachableBecause,
  webhookUrl,
  type IntegrationsInput,
  type PlatformSettings,
  type WebhookEventSummary,
} from '../../../src/http/view-models/integrations.js';
import { translator } from '../../../src/i18n/index.js';

// The Integrações page's data from settings and stored webhooks given as data: no database, no server.

const VIEW = { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' } as const;
const RECEIVED = Date.parse('2026-11-20T15:00:00Z');

const NONE_CONFIGURED: PlatformSettings[] = [
  { platform: 'nuvemshop', missing: ['NUVEMSHOP_STORE_ID', 'NUVEMSHOP_ACCESS_TOKEN', 'NUVEMSHOP_APP_SECRET'], topics: ['order/paid'] },
  { platform: 'shopify', missing: ['SHOPIFY_WEBHOOK_SECRET'], topics: ['orders/paid'] },
  { platform: 'woocommerce', missing: ['WOOCOMMERCE_WEBHOOK_SECRET'], topics: ['order.created', 'order.updated'] },
];

function event(overrides: Partial<WebhookEventSummary> = {}): WebhookEventSummary {
  return {
    id: 1,
    platform: 'shopify',
    topic: 'orders/paid',
    orderRef: '820982911946154508',
    receivedAt: RECEIVED,
    status: 'recorded',
    reason: null,
    purchaseId: 7,
    attempts: 1,
    nextAttemptAt: null,
    finishedAt: RECEIVED,
    ...overrides,
  };
}

function input(overrides: Partial<IntegrationsInput> = {}): IntegrationsInput {
  return { publicUrl: 'https://fregues.lojadaana.com.br', platforms: NONE_CONFIGURED, events: {}, purchases: new Map(), ...overrides };
}

describe('buildIntegrations', () => {
  it('lists Nuvemshop, Shopify and WooCommerce, naming the variables still missing and never a value', () => {
    const view = buildIntegrations(input(), VIEW);
    expect(view.platforms.map((card) => card.name)).toEqual(['Nuvemshop', 'Shopify', 'WooCommerce']);
    expect(view.platforms.every((card) => !card.configured)).toBe(true);
    expect(view.platforms[0]!.state).toContain('NUVEMSHOP_STORE_ID, NUVEMSHOP_ACCESS_TOKEN, NUVEMSHOP_APP_SECRET');
    expect(view.platforms[1]!.state).toContain('SHOPIFY_WEBHOOK_SECRET');
    expect(view.platforms[2]!.state).toContain('WOOCOMMERCE_WEBHOOK_SECRET');
  });

  it('says configured once nothing is missing, with the address to paste', () => {
    const platforms = NONE_CONFIGURED.map((settings) => (settings.platform === 'shopify' ? { ...settings, missing: [] } : settings));
    const shopify = buildIntegrations(input({ platforms, publicUrl: 'https://fregues.lojadaana.com.br/' }), VIEW).platforms[1]!;
    expect(shopify.configured).toBe(true);
    expect(shopify.state).toBe('Configurado');
    expect(shopify.webhookUrl).toBe('https://fregues.lojadaana.com.br/webhooks/shopify');
    expect(shopify.urlProblem).toBeNull();
    expect(shopify.steps.join(' ')).toContain('Configurações › Notificações');
    expect(shopify.steps.join(' ')).toContain('https://fregues.lojadaana.com.br/webhooks/shopify');
  });

  it('warns while PUBLIC_URL is still localhost, which no platform can reach', () => {
    const view = buildIntegrations(input({ publicUrl: 'http://localhost:3000' }), VIEW);
    for (const card of view.platforms) {
      expect(card.webhookUrl).toBe(`http://localhost:3000/webhooks/${card.platform}`);
      expect(card.urlProblem).toContain('PUBLIC_URL');
      expect(card.urlProblem).toContain('http://localhost:3000');
    }
  });

  it('gives each platform its own admin path in pt-BR, and the Nuvemshop command with the public address', () => {
    const [nuvemshop, , woocommerce] = buildIntegrations(input(), VIEW).platforms;
    expect(woocommerce!.steps.join(' ')).toContain('WooCommerce › Configurações › Avançado › Webhooks');
    expect(nuvemshop!.steps.join(' ')).toContain('npx fregues integrations register nuvemshop https://fregues.lojadaana.com.br');
    expect(nuvemshop!.steps.join(' ')).toContain('order/paid');
  });

  it('says what became of each webhook, linking a recorded one to its customer', () => {
    const events = [
      event({ id: 6, status: 'failed', reason: 'order_not_found', purchaseId: null }),
      event({ id: 5, status: 'retrying', reason: 'api_error: 503', attempts: 2, nextAttemptAt: Date.parse('2026-11-20T15:05:00Z'), purchaseId: null }),
      event({ id: 4, status: 'pending', attempts: 0, purchaseId: null }),
      event({ id: 3, status: 'skipped', reason: 'no_phone', purchaseId: null }),
      event({ id: 2, status: 'duplicate' }),
      event({ id: 1, status: 'recorded' }),
    ];
    const purchases = new Map([[7, { customerId: 42, name: 'Ana Souza', erased: false }]]);
    const lines = buildIntegrations(input({ events: { shopify: events }, purchases }), VIEW).platforms[1]!.events;
    const byId = new Map(lines.map((line) => [line.id, line]));
    // Nothing to replay once the order is a purchase (recorded or found again).
    expect(byId.get(1)).toMatchObject({ statusName: 'Registrado', customer: { href: '/customers/42', name: 'Ana Souza' }, canReplay: false });
    expect(byId.get(1)!.outcome).toContain('Ana Souza');
    expect(byId.get(2)).toMatchObject({ statusName: 'Repetido', customer: null, canReplay: false });
    expect(byId.get(2)!.outcome).toContain('já tinha chegado');
    expect(byId.get(3)!.outcome).toContain('celular');
    expect(byId.get(3)!.hint).toContain('Nova venda');
    expect(byId.get(3)).toMatchObject({ canReplay: true });
    expect(byId.get(6)!.hint).toBeNull();
    expect(byId.get(4)).toMatchObject({ statusName: 'Aguardando', canReplay: false });
    // 15:05 UTC is 12:05 in São Paulo.
    expect(byId.get(5)!.outcome).toContain('12:05');
    expect(byId.get(5)!.outcome).toContain('2');
    expect(byId.get(5)!.outcome).toContain('503');
    expect(byId.get(6)).toMatchObject({ statusName: 'Falhou', canReplay: true });
    expect(byId.get(6)!.outcome).toContain('não existe');
    expect(byId.get(1)!.received.text).toBe('20/11/2026, 12:00');
    expect(byId.get(1)!.order).toBe('Pedido 820982911946154508');
  });

  it('tells the seller to fix a Nuvemshop order in the store and replay it, since its order is fetched again', () => {
    const skipped = event({ platform: 'nuvemshop', topic: 'order/paid', status: 'skipped', reason: 'no_phone', purchaseId: null });
    const [line] = buildIntegrations(input({ events: { nuvemshop: [skipped] } }), VIEW).platforms[0]!.events;
    expect(line!.hint).toContain('admin da Nuvemshop');
    expect(line!.hint).toContain('Reprocessar');
  });

  it('does not link a customer who was erased', () => {
    const purchases = new Map([[7, { customerId: 42, name: null, erased: true }]]);
    const [line] = buildIntegrations(input({ events: { shopify: [event()] }, purchases }), VIEW).platforms[1]!.events;
    expect(line!.customer).toBeNull();
    expect(line!.outcome).toContain('apagados');
  });

  it('speaks English and Spanish too', () => {
    const en = buildIntegrations(input({ events: { woocommerce: [event({ platform: 'woocommerce', status: 'skipped', reason: 'no_phone' })] } }), { ...VIEW, locale: 'en' });
    expect(en.platforms[2]!.steps[0]).toContain('WooCommerce › Settings › Advanced › Webhooks');
    expect(en.platforms[2]!.events[0]!.statusName).toBe('Skipped');
    const es = buildIntegrations(input(), { ...VIEW, locale: 'es' });
    expect(es.platforms[1]!.steps[0]).toContain('Configuración › Notificaciones');
  });
});

describe('unreachableBecause', () => {
  it.each([
    ['http://localhost:3000', 'local'],
    ['http://127.0.0.1:3000', 'local'],
    ['http://[::1]:3000', 'local'],
    ['http://192.168.0.10:3000', 'local'],
    ['http://10.1.2.3', 'local'],
    ['http://172.20.0.5', 'local'],
    ['http://servidor:3000', 'local'],
    ['http://fregues.local', 'local'],
    ['http://fregues.lojadaana.com.br', 'https'],
    ['https://fregues.lojadaana.com.br', null],
    ['https://203.0.113.7', null],
  ] as const)('%s → %s for Shopify', (url, expected) => {
    expect(unreachableBecause(webhookUrl(url, 'shopify'), 'shopify')).toBe(expected);
  });

  it('lets WooCommerce post to plain http on the internet', () => {
    expect(unreachableBecause('http://fregues.lojadaana.com.br/webhooks/woocommerce', 'woocommerce')).toBeNull();
  });
});

describe('describeReason', () => {
  const t = translator('pt-BR');
  it('puts a known code in words, keeping its detail, and shows an unknown one as it came', () => {
    expect(describeReason('api_error: 503', t)).toMatch(/erro \(503\)$/);
    expect(describeReason('something_new', t)).toBe('something_new');
    expect(describeReason(null, t)).toBe('motivo não informado');
  });
});
