import { messageOf } from '../../domain/errors.js';

export interface NuvemshopApiOptions {
  /** NUVEMSHOP_API_URL: https://api.nuvemshop.com.br/v1 (a fake one on loopback in the tests). */
  apiUrl: string;
  storeId: string;
  accessToken: string;
  /** The API answers 400 without one naming the app and how to reach its maker (README of api-docs). */
  userAgent: string;
  /** A call that takes longer is abandoned and counts as failed (tried again later). */
  timeoutMs: number;
}

/**
 * Why a call failed. `retry`: worth trying again later (the store is down,
 * slow, rate-limited, or the token is being fixed); otherwise the answer
 * will not change (the order does not exist).
 */
export interface ApiFailure {
  ok: false;
  reason: 'timeout' | 'unreachable' | 'http_error' | 'not_found' | 'bad_answer';
  /** The HTTP status, when there was one. */
  status: number | null;
  /** What happened, for the log and the Integrações page ("HTTP 500", "timed out after 10000 ms"). */
  detail: string;
  retry: boolean;
}

export type ApiResult<T> = { ok: true; value: T } | ApiFailure;

export interface NuvemshopWebhook {
  id: number;
  event: string;
  url: string;
}

export interface NuvemshopApi {
  /** GET /{store_id}/orders/{id} */
  fetchOrder(orderId: string): Promise<ApiResult<Record<string, unknown>>>;
  /** GET /{store_id}/webhooks (one page of 200: a store has a handful). */
  listWebhooks(): Promise<ApiResult<NuvemshopWebhook[]>>;
  /** POST /{store_id}/webhooks { event, url } */
  createWebhook(event: string, url: string): Promise<ApiResult<NuvemshopWebhook>>;
}

/** The store's REST API as its documentation (TiendaNube/api-docs, README) describes the calls. */
export function nuvemshopApi(options: NuvemshopApiOptions): NuvemshopApi {
  const base = `${options.apiUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.storeId)}`;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResult<unknown>> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          // Nuvemshop's own header name ("Authentication", not "Authorization") with a lowercase "bearer".
          Authentication: `bearer ${options.accessToken}`,
          'User-Agent': options.userAgent,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return timedOut
        ? { ok: false, reason: 'timeout', status: null, detail: `timed out after ${options.timeoutMs} ms`, retry: true }
        : { ok: false, reason: 'unreachable', status: null, detail: causeOf(error), retry: true };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { ok: false, reason: timedOut ? 'timeout' : 'unreachable', status: response.status, detail: timedOut ? `timed out after ${options.timeoutMs} ms` : causeOf(error), retry: true };
    }
    if (!response.ok) {
      const status = response.status;
      const detail = `HTTP ${status}${text.trim() === '' ? '' : `: ${text.trim().slice(0, 300)}`}`;
      if (status === 404) return { ok: false, reason: 'not_found', status, detail, retry: false };
      // 400 and 422 say the request itself is wrong: the same request will be refused again.
      return { ok: false, reason: 'http_error', status, detail, retry: status !== 400 && status !== 422 };
    }
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, reason: 'bad_answer', status: response.status, detail: `not JSON: ${text.slice(0, 100)}`, retry: true };
    }
  }

  return {
    fetchOrder: async (orderId) => {
      const result = await call('GET', `/orders/${encodeURIComponent(orderId)}`);
      if (!result.ok) return result;
      const order = result.value;
      if (typeof order !== 'object' || order === null || Array.isArray(order) || !('id' in order)) {
        return { ok: false, reason: 'bad_answer', status: 200, detail: 'the answer is not an order', retry: true };
      }
      return { ok: true, value: order };
    },
    listWebhooks: async () => {
      const result = await call('GET', '/webhooks?per_page=200');
      if (!result.ok) return result;
      if (!Array.isArray(result.value)) return { ok: false, reason: 'bad_answer', status: 200, detail: 'the answer is not a list of webhooks', retry: false };
      return { ok: true, value: result.value as NuvemshopWebhook[] };
    },
    createWebhook: async (event, url) => {
      const result = await call('POST', '/webhooks', { event, url });
      if (!result.ok) return result;
      return { ok: true, value: result.value as NuvemshopWebhook };
    },
  };
}

/** fetch() hides why a connection failed in `cause` ("ECONNREFUSED 127.0.0.1:9"). */
function causeOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? messageOf(error);
}
