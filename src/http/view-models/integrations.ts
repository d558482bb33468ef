import { isLocalHost } from '../../domain/addresses.js';
import { translator, type MessageKey, type Translate } from '../../i18n/index.js';
import { keepsBody, type WebhookEventSummary, type WebhookPlatform, type WebhookStatus } from '../../storage/repositories/webhook-events.js';
import { momentOf, shortDateTime, type Moment, type ViewLocale } from './view-locale.js';

/**
 * The Integrações page as data: for each store platform, whether fregues has
 * what it needs (the names of the variables still missing, never a secret),
 * the webhook address to paste and whether the platform can reach it, the
 * steps in that platform's admin, and the last webhooks with their outcome in
 * words. Pure: the route reads config and repositories and hands them in.
 */

/** The platforms in the order the page shows them: Brazil's most common first. */
export const PAGE_PLATFORMS = ['nuvemshop', 'shopify', 'woocommerce'] as const satisfies readonly WebhookPlatform[];

/** What the route knows of one platform's configuration. */
export interface PlatformSettings {
  platform: WebhookPlatform;
  /** The environment variables still to set for it to work, in the order to set them; empty: configured. */
  missing: string[];
  /** The events (topics) it takes, as the platform names them. */
  topics: string[];
}

/** The purchase a recorded webhook became, with whose it is (null once the customer was erased). */
export interface RecordedPurchase {
  customerId: number;
  name: string | null;
  erased: boolean;
}

export interface IntegrationsInput {
  /** PUBLIC_URL (or its default, http://localhost:PORT). */
  publicUrl: string;
  platforms: PlatformSettings[];
  /** The last webhooks of each platform, newest first. */
  events: Partial<Record<WebhookPlatform, readonly WebhookEventSummary[]>>;
  /** The purchases recorded webhooks became, by purchase id. */
  purchases: ReadonlyMap<number, RecordedPurchase>;
}

/** The page never shows what the platform sent: its webhooks come without their body. */
export type { WebhookEventSummary };

export interface WebhookLine {
  id: number;
  /** The anchor of its line (#webhook-12), where the answer to a replay points. */
  anchor: string;
  status: WebhookStatus;
  statusName: string;
  received: Moment;
  topic: string;
  /** "Pedido 1234"; empty when the body named no order. */
  order: string;
  /** What became of it, in a sentence. */
  outcome: string;
  /** What the seller can do about it, when there is something (an order without a mobile). */
  hint: string | null;
  /** The customer page a recorded webhook links to. */
  customer: { href: string; name: string } | null;
  /**
   * A webhook still waiting for its first try is left alone, and one whose order already is a
   * purchase has nothing to replay (its body is not kept: keepsBody).
   */
  canReplay: boolean;
}

export interface PlatformCard {
  platform: WebhookPlatform;
  name: string;
  configured: boolean;
  /** "Configurado" or "Falta definir NUVEMSHOP_APP_SECRET no .env". */
  state: string;
  webhookUrl: string;
  /** Why the platform cannot reach webhookUrl yet; null when it can. */
  urlProblem: string | null;
  steps: string[];
  topics: string;
  events: WebhookLine[];
}

export interface IntegrationsView {
  platforms: PlatformCard[];
}

const NAMES: Record<WebhookPlatform, string> = { nuvemshop: 'Nuvemshop', shopify: 'Shopify', woocommerce: 'WooCommerce' };

/** Platforms that refuse plain http:// addresses. */
const HTTPS_ONLY: ReadonlySet<WebhookPlatform> = new Set(['nuvemshop', 'shopify']);

const STEPS: Record<WebhookPlatform, readonly MessageKey[]> = {
  nuvemshop: [
    'page.integrations.steps.nuvemshop.1',
    'page.integrations.steps.nuvemshop.2',
    'page.integrations.steps.nuvemshop.3',
    'page.integrations.steps.nuvemshop.4',
    'page.integrations.steps.nuvemshop.5',
  ],
  shopify: [
    'page.integrations.steps.shopify.1',
    'page.integrations.steps.shopify.2',
    'page.integrations.steps.shopify.3',
    'page.integrations.steps.shopify.4',
    'page.integrations.steps.shopify.5',
  ],
  woocommerce: [
    'page.integrations.steps.woocommerce.1',
    'page.integrations.steps.woocommerce.2',
    'page.integrations.steps.woocommerce.3',
    'page.integrations.steps.woocommerce.4',
    'page.integrations.steps.woocommerce.5',
  ],
};

/** The reasons the connectors store (src/integrations), in the seller's words; another code is shown as it is. */
const REASONS: Record<string, MessageKey> = {
  no_phone: 'page.integrations.reason.no_phone',
  invalid_phone: 'page.integrations.reason.no_phone',
  topic_ignored: 'page.integrations.reason.topic_ignored',
  event_ignored: 'page.integrations.reason.topic_ignored',
  status_ignored: 'page.integrations.reason.status_ignored',
  not_paid: 'page.integrations.reason.not_paid',
  no_order: 'page.integrations.reason.no_order',
  invalid_order: 'page.integrations.reason.invalid_order',
  order_not_found: 'page.integrations.reason.order_not_found',
  api_unauthorized: 'page.integrations.reason.api_unauthorized',
  api_error: 'page.integrations.reason.api_error',
  api_timeout: 'page.integrations.reason.api_timeout',
  api_unreachable: 'page.integrations.reason.api_unreachable',
  not_configured: 'page.integrations.reason.not_configured',
  gave_up: 'page.integrations.reason.gave_up',
  store_mismatch: 'page.integrations.reason.store_mismatch',
};

/** A stored reason code ("no_phone", or "api_error: 503") in words; an unknown code as it came. */
export function describeReason(reason: string | null, t: Translate): string {
  if (reason === null || reason === '') return t('page.integrations.reason.none');
  const [code, ...rest] = reason.split(':');
  const key = REASONS[code!.trim()];
  if (!key) return reason;
  const detail = rest.join(':').trim();
  return detail === '' ? t(key) : `${t(key)} (${detail})`;
}

/**
 * Why a store platform on the internet cannot deliver to `url`, or null: an
 * address of this machine or of the shop's own network, a name the internet
 * does not know, or plain http where the platform demands https.
 */
export function unreachableBecause(url: string, platform: WebhookPlatform): 'local' | 'https' | 'invalid' | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'invalid';
  }
  if (isLocalHost(parsed.hostname)) return 'local';
  if (parsed.protocol !== 'https:' && HTTPS_ONLY.has(platform)) return 'https';
  return null;
}

/** The address a platform posts to: PUBLIC_URL (without a trailing slash) and the route. */
export function webhookUrl(publicUrl: string, platform: WebhookPlatform): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/${platform}`;
}

/** What became of one webhook, in a sentence. */
export function describeOutcome(event: WebhookEventSummary, purchase: RecordedPurchase | undefined, view: Pick<ViewLocale, 'locale' | 'timeZone'>): string {
  const t = translator(view.locale);
  switch (event.status) {
    case 'recorded':
      if (!purchase) return t('page.integrations.outcome.recorded_gone');
      return purchase.erased ? t('page.integrations.outcome.recorded_erased') : t('page.integrations.outcome.recorded', { name: purchase.name ?? `#${purchase.customerId}` });
    case 'duplicate':
      return t('page.integrations.outcome.duplicate');
    case 'skipped':
      return t('page.integrations.outcome.skipped', { reason: describeReason(event.reason, t) });
    case 'pending':
      return t('page.integrations.outcome.pending');
    case 'retrying':
      return t('page.integrations.outcome.retrying', {
        attempts: event.attempts,
        at: event.nextAttemptAt === null ? '—' : shortDateTime(view).format(event.nextAttemptAt),
        reason: describeReason(event.reason, t),
      });
    case 'failed':
      return t('page.integrations.outcome.failed', { reason: describeReason(event.reason, t) });
  }
}

export function webhookLine(event: WebhookEventSummary, purchases: ReadonlyMap<number, RecordedPurchase>, view: Pick<ViewLocale, 'locale' | 'timeZone'>): WebhookLine {
  const t = translator(view.locale);
  const purchase = event.purchaseId === null ? undefined : purchases.get(event.purchaseId);
  const linked = event.status === 'recorded' && purchase && !purchase.erased;
  return {
    id: event.id,
    anchor: `webhook-${event.id}`,
    status: event.status,
    statusName: t(`page.integrations.status.${event.status}`),
    received: momentOf(event.receivedAt, shortDateTime(view)),
    topic: event.topic,
    order: event.orderRef === null ? '' : t('page.integrations.order', { ref: event.orderRef }),
    outcome: describeOutcome(event, purchase, view),
    hint: event.status === 'skipped' && event.reason === 'no_phone' ? t(event.platform === 'nuvemshop' ? 'page.integrations.hint.no_phone_nuvemshop' : 'page.integrations.hint.no_phone') : null,
    customer: linked ? { href: `/customers/${purchase.customerId}`, name: purchase.name ?? `#${purchase.customerId}` } : null,
    canReplay: event.status !== 'pending' && keepsBody(event.status),
  };
}

export function buildIntegrations(input: IntegrationsInput, view: Pick<ViewLocale, 'locale' | 'timeZone'>): IntegrationsView {
  const t = translator(view.locale);
  const platforms = PAGE_PLATFORMS.map((platform): PlatformCard => {
    const settings = input.platforms.find((entry) => entry.platform === platform) ?? { platform, missing: [], topics: [] };
    const url = webhookUrl(input.publicUrl, platform);
    const problem = unreachableBecause(url, platform);
    const configured = settings.missing.length === 0;
    const variables = settings.missing.join(', ');
    return {
      platform,
      name: NAMES[platform],
      configured,
      state: configured ? t('page.integrations.configured') : t('page.integrations.missing', { variables }),
      webhookUrl: url,
      urlProblem: problem === null ? null : t(`page.integrations.url.${problem}`, { url: input.publicUrl }),
      steps: STEPS[platform].map((key) => t(key, { url, public: input.publicUrl.replace(/\/+$/, ''), topics: settings.topics.join(', ') })),
      topics: settings.topics.join(', '),
      events: (input.events[platform] ?? []).map((event) => webhookLine(event, input.purchases, view)),
    };
  });
  return { platforms };
}
