import type { NuvemshopApi } from './nuvemshop-api.js';

/** Where Nuvemshop is to send a configured event. */
export interface Registration {
  event: string;
  url: string;
  /** created now, or found already there (registering twice changes nothing). */
  outcome: 'created' | 'already';
  id: number;
}

export type RegisterResult =
  | { ok: true; registrations: Registration[] }
  /** The API refused or failed; `done`: what was registered before it did. */
  | { ok: false; step: 'list' | 'create'; event: string | null; detail: string; done: Registration[] };

export type WebhookUrl = { ok: true; url: string } | { ok: false; problem: 'not_a_url' | 'not_https' | 'not_public' };

/**
 * The webhook address from what the seller typed: the service's public
 * address ("https://loja.exemplo.com.br") or the route's own. Nuvemshop takes
 * only https URLs, and no localhost or Nuvemshop/Tiendanube domain
 * (resources/webhook.md).
 */
export function webhookUrlFrom(typed: string): WebhookUrl {
  let url: URL;
  try {
    url = new URL(typed.trim());
  } catch {
    return { ok: false, problem: 'not_a_url' };
  }
  if (url.protocol !== 'https:') return { ok: false, problem: 'not_https' };
  const host = url.hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || /^127\.|^\[?::1\]?$/.test(host) || /(^|\.)(nuvemshop|tiendanube)\./.test(host)) {
    return { ok: false, problem: 'not_public' };
  }
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return { ok: true, url: base.endsWith('/webhooks/nuvemshop') ? base : `${base}/webhooks/nuvemshop` };
}

/**
 * Registers `url` for each event, once: the store's webhooks are listed
 * first, and an event already sent to this URL is left as it is.
 */
export async function registerWebhooks(api: NuvemshopApi, events: readonly string[], url: string): Promise<RegisterResult> {
  const listed = await api.listWebhooks();
  if (!listed.ok) return { ok: false, step: 'list', event: null, detail: listed.detail, done: [] };
  const done: Registration[] = [];
  for (const event of events) {
    const existing = listed.value.find((hook) => hook.event === event && hook.url === url);
    if (existing) {
      done.push({ event, url, outcome: 'already', id: existing.id });
      continue;
    }
    const created = await api.createWebhook(event, url);
    if (!created.ok) return { ok: false, step: 'create', event, detail: created.detail, done };
    done.push({ event, url, outcome: 'created', id: created.value.id });
  }
  return { ok: true, registrations: done };
}
