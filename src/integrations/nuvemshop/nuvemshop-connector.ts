import type { Config } from '../../config.js';
import type { FieldIssue } from '../../domain/validation.js';
import { translate } from '../../i18n/index.js';
import { packageVersion } from '../../package-path.js';
import type { WebhookEvent } from '../../storage/repositories/webhook-events.js';
import { textAt } from '../shared/order-fields.js';
import { parseOrder, settleStoredOrder, type IntakeDeps } from '../shared/order-intake.js';
import { createOrderFetcher, type OrderFetcher, type RetryPolicy } from './fetch-orders.js';
import { nuvemshopAdapter } from './map-order.js';
import { nuvemshopApi, type NuvemshopApi } from './nuvemshop-api.js';

/** A fetch of the store's API that takes longer is abandoned and tried again later. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export type NuvemshopConfig = Pick<Config, 'nuvemshop' | 'locale' | 'publicUrl'>;

export interface NuvemshopOptions {
  /** Tests make it short, to see a slow store time out. */
  timeoutMs?: number;
  policy?: RetryPolicy;
}

/** What the route makes of a signed webhook body. */
export type Accepted =
  | { ok: true; event: WebhookEvent }
  | { ok: false; problem: 'invalid_json' | 'not_an_object'; detail: string }
  | { ok: false; problem: 'invalid_webhook'; issues: FieldIssue[] };

export interface NuvemshopConnector {
  /** NUVEMSHOP_APP_SECRET: what the webhooks are signed with. */
  secret: string;
  api: NuvemshopApi;
  fetcher: OrderFetcher;
  /** A signed webhook `{ store_id, event, id }`: stored as a row, its order fetched at once when it is one to take. */
  accept(body: string): Accepted;
  /** The Integrações page's replay of a stored Nuvemshop webhook: its order fetched again now. False: no such row. */
  replay(id: number): boolean;
}

/**
 * The Nuvemshop connector, or undefined when NUVEMSHOP_APP_SECRET is empty
 * (the route then answers 404 saying so). The webhook names an order; the
 * order itself is fetched from the store's REST API, durably (fetch-orders.ts),
 * and goes into the record by the shared intake path.
 */
export function createNuvemshopConnector(
  deps: IntakeDeps & { config: NuvemshopConfig; log: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void },
  options: NuvemshopOptions = {},
): NuvemshopConnector | undefined {
  const { config, repos, clock } = deps;
  const settings = config.nuvemshop;
  if (settings.appSecret === null) return undefined;
  const configured = settings.storeId !== '' && settings.accessToken !== '';
  const adapter = nuvemshopAdapter((id) => translate(config.locale, 'nuvemshop.unnamed_product', { id }));
  const api = nuvemshopApi({
    apiUrl: settings.apiUrl,
    storeId: settings.storeId,
    accessToken: settings.accessToken,
    userAgent: `fregues/${packageVersion()} (${config.publicUrl})`,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });

  /** The fetched order through the shared path, and its row's outcome in the same commit. */
  async function settle(order: Record<string, unknown>, row: WebhookEvent): Promise<void> {
    await settleStoredOrder(deps, adapter, row, order);
  }

  const fetcher = createOrderFetcher({ api, events: repos.webhookEvents, clock, settle, log: deps.log, ...(options.policy ? { policy: options.policy } : {}) });

  return {
    secret: settings.appSecret,
    api,
    fetcher,
    accept: (body) => {
      const parsed = parseOrder(body);
      if (!parsed.ok) return parsed;
      const read = readWebhook(parsed.order, (key) => translate(config.locale, key));
      if (!read.ok) return { ok: false, problem: 'invalid_webhook', issues: read.issues };
      const { storeId, event, orderId } = read;
      const receivedAt = clock.now();
      const base = { platform: 'nuvemshop' as const, topic: event, orderRef: orderId, body, receivedAt };
      // Signed and read: always a row (and a 200), so that Nuvemshop stops sending it.
      const finished = (status: 'skipped' | 'failed', reason: string) => ({ ok: true as const, event: repos.webhookEvents.record({ ...base, status, reason }) });
      if (!(settings.events as readonly string[]).includes(event)) return finished('skipped', 'topic_ignored');
      if (orderId === null) return finished('skipped', 'no_order');
      if (!configured) return finished('failed', 'not_configured');
      // The app's secret signs the webhooks of every store that installed it.
      if (storeId !== settings.storeId) return finished('skipped', 'store_mismatch');
      const row = repos.webhookEvents.record(base);
      fetcher.fetchSoon(row);
      return { ok: true, event: row };
    },
    replay: (id) => {
      const row = repos.webhookEvents.find(id);
      if (!row || row.platform !== 'nuvemshop' || row.orderRef === null || !configured) return false;
      if (row.status === 'pending' || row.status === 'retrying') {
        fetcher.fetchSoon(row);
        return true;
      }
      // Due again now; its attempts go on counting, so a replay of a given-up fetch is one more try.
      repos.webhookEvents.scheduleRetry(id, clock.now(), row.reason ?? 'replayed');
      fetcher.fetchSoon(repos.webhookEvents.find(id)!);
      return true;
    },
  };
}

type ReadWebhook = { ok: true; storeId: string; event: string; orderId: string | null } | { ok: false; issues: FieldIssue[] };

/** `{ store_id, event, id }` (resources/webhook.md); `id` is the order's for the order/* events. */
function readWebhook(body: Record<string, unknown>, t: (key: 'nuvemshop.webhook.store_id' | 'nuvemshop.webhook.event' | 'nuvemshop.webhook.order_id') => string): ReadWebhook {
  const issues: FieldIssue[] = [];
  const storeId = textAt(body, 'store_id');
  const event = textAt(body, 'event')?.toLowerCase();
  const id = textAt(body, 'id');
  if (storeId === undefined || !/^\d+$/.test(storeId)) issues.push({ path: 'store_id', message: t('nuvemshop.webhook.store_id') });
  if (event === undefined) issues.push({ path: 'event', message: t('nuvemshop.webhook.event') });
  if (event?.startsWith('order/') && (id === undefined || !/^\d+$/.test(id))) issues.push({ path: 'id', message: t('nuvemshop.webhook.order_id') });
  if (issues.length > 0 || storeId === undefined || event === undefined) return { ok: false, issues };
  return { ok: true, storeId, event, orderId: event.startsWith('order/') ? (id ?? null) : null };
}
