import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const STORE_ID = '271146';
export const ACCESS_TOKEN = 'nuvem-token-0123456789abcdef';

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Nuvemshop's REST API on loopback, answering as TiendaNube/api-docs
 * documents: `Authentication: bearer <token>` (401 otherwise), a User-Agent
 * (400 without one), orders by id, webhooks listed and created (422 for an
 * unknown event). `mode` makes it fail (500), hang (slow: no answer until
 * released or closed) or go down (connections refused).
 */
export class FakeNuvemshopApi {
  readonly orders = new Map<string, unknown>();
  readonly webhooks: Array<{ id: number; event: string; url: string; created_at: string; updated_at: string }> = [];
  readonly requests: SeenRequest[] = [];
  mode: 'ok' | 'fail' | 'slow' = 'ok';
  #server: http.Server | undefined;
  #port = 0;
  #hanging = new Set<http.ServerResponse>();

  get url(): string {
    return `http://127.0.0.1:${this.#port}/v1`;
  }

  async start(port = 0): Promise<this> {
    const server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => this.#answer(request, response, body));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Down: the port refuses connections (start(samePort) brings it back). */
  async stop(): Promise<number> {
    for (const response of this.#hanging) response.destroy();
    this.#hanging.clear();
    const server = this.#server;
    this.#server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    return this.#port;
  }

  /** How many times an order was asked for. */
  fetchesOf(orderId: string | number): number {
    return this.requests.filter((seen) => seen.method === 'GET' && seen.path === `/v1/${STORE_ID}/orders/${orderId}`).length;
  }

  #answer(request: http.IncomingMessage, response: http.ServerResponse, body: string): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    this.requests.push({ method: request.method ?? '', path: url.pathname, headers: request.headers, body });
    const send = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(value));
    };
    if (this.mode === 'slow') {
      this.#hanging.add(response);
      return;
    }
    if (this.mode === 'fail') return send(500, { code: 500, message: 'Internal Server Error' });
    if (!request.headers['user-agent']) return send(400, { code: 400, message: 'Bad Request', description: 'User-Agent header is required' });
    if (request.headers.authentication !== `bearer ${ACCESS_TOKEN}`) return send(401, { code: 401, message: 'Unauthorized', description: 'Invalid access token' });

    const order = new RegExp(`^/v1/${STORE_ID}/orders/(\\d+)$`).exec(url.pathname);
    if (request.method === 'GET' && order) {
      const found = this.orders.get(order[1]!);
      return found === undefined ? send(404, { code: 404, message: 'Not Found', description: 'Order with such id does not exist' }) : send(200, found);
    }
    if (url.pathname === `/v1/${STORE_ID}/webhooks`) {
      if (request.method === 'GET') return send(200, this.webhooks);
      if (request.method === 'POST') {
        if (!/^application\/json/.test(request.headers['content-type'] ?? '')) return send(415, { code: 415, message: 'Unsupported Media Type' });
        const { event, url: hookUrl } = JSON.parse(body) as { event?: string; url?: string };
        const problems: Record<string, string[]> = {};
        if (!['order/created', 'order/paid', 'order/updated', 'app/uninstalled'].includes(event ?? '')) problems.event = ['Invalid event specified.'];
        if (!/^https:\/\//.test(hookUrl ?? '')) problems.url = ['invalid url specified'];
        if (Object.keys(problems).length > 0) return send(422, problems);
        const now = '2026-11-20T12:00:00-03:00';
        const created = { id: 8900 + this.webhooks.length + 1, event: event!, url: hookUrl!, created_at: now, updated_at: now };
        this.webhooks.push(created);
        return send(201, created);
      }
    }
    send(404, { code: 404, message: 'Not Found' });
  }
}
