import { expect } from 'vitest';
import { parseDuration } from '../../src/flows/durations.js';
import { createTestApp, purchaseBody, type TestApp } from './app.js';

/** What POST /api/purchases answers for a new purchase. */
export interface PurchaseAnswer {
  customer: { id: number; phone: string; name: string | null };
  purchase: { id: number; externalId: string | null };
  runs: { id: number; flowId: string; flowVersion: number; occurrence: string; wakeAt: string | null }[];
}

/** A shop's life through its public seams: purchases over the API, time moved, customers replying. */
export interface Shop extends TestApp {
  /**
   * POSTs purchaseBody(overrides) to /api/purchases and expects a new purchase
   * (201). A key given as undefined is left out of the body (a purchase
   * without an order number, as a counter sale).
   */
  buy(overrides?: Record<string, unknown>): Promise<PurchaseAnswer>;
  /**
   * Moves the clock forward by a duration as flows write it ("1h", "3d") or to
   * a moment, running every tick on the way; resolves once what was sent, and
   * its receipts, are stored. On the simulator this is POST /api/simulator/clock
   * (200; a `to` in the past sets the clock back and ticks once); a shop on
   * another channel has no such route and travels forward through its scheduler.
   */
  travel(by: string | { to: string }): Promise<void>;
  /** The simulated customer `from` writes a text, or what the simulator's API takes (pollVote, contact, media…): 201, stored and handled. */
  reply(from: string, message: string | Record<string, unknown>): Promise<{ inbound: { id: string } }>;
  /** What the simulated `phone` shows from the shop (the bot's and the owner's messages): texts, polls as "[enquete] question", anything else "[imagem]". */
  received(phone: string): string[];
}

/** createTestApp (same options), with the shop's moves. */
export async function createShop(options: Parameters<typeof createTestApp>[0] = {}): Promise<Shop> {
  const app = await createTestApp(options);
  const clockRoute = app.app.hasRoute({ method: 'POST', url: '/api/simulator/clock' });
  return {
    ...app,
    buy: async (overrides = {}) => {
      const response = await app.api({ method: 'POST', url: '/api/purchases', payload: purchaseBody(overrides) });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<PurchaseAnswer>();
    },
    travel: async (by) => {
      const payload = typeof by === 'string' ? { advance: by } : by;
      if (clockRoute) {
        const response = await app.api({ method: 'POST', url: '/api/simulator/clock', payload });
        expect(response.statusCode, response.body).toBe(200);
        return;
      }
      const target = typeof by === 'string' ? app.clock.now() + durationMs(by) : Date.parse(by.to);
      if (target < app.clock.now()) throw new Error(`travel: ${JSON.stringify(by)} is in the past; only the simulator's clock goes back`);
      await app.flows.scheduler.travel(app.clock, target);
      await app.traffic.settled();
    },
    reply: async (from, message) => {
      const payload = { from, ...(typeof message === 'string' ? { text: message } : message) };
      const response = await app.api({ method: 'POST', url: '/api/simulator/messages', payload });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ inbound: { id: string } }>();
    },
    received: (phone) =>
      app.simulator
        .conversation(phone)
        .filter((message) => message.direction === 'out')
        .map((message) => (message.content.kind === 'poll' ? `[enquete] ${message.content.question}` : message.content.kind === 'text' ? message.content.text : '[imagem]')),
  };
}

function durationMs(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`travel: "${text}" is no duration (${parsed.problem})`);
  return parsed.value;
}
