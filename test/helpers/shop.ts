import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { OutboundContent } from '../../src/channels/channel.js';
import type { SimulatedMessage } from '../../src/channels/simulator/simulator-channel.js';
import { parseDuration } from '../../src/flows/durations.js';
import { createTestApp, purchaseBody, type TestApp } from './app.js';

/** What POST /api/purchases answers for a new purchase. */
export interface PurchaseAnswer {
  customer: { id: number; phone: string; name: string | null };
  purchase: { id: number; externalId: string | null };
  runs: { id: number; flowId: string; flowVersion: number; occurrence: string; wakeAt: string | null }[];
  /** Only for a customer on the suppression list: why no flow started. */
  suppressed?: { since: string; message: string };
}

/** What a move of the clock did, as POST /api/simulator/clock answers it. */
export interface TravelReport {
  from: string;
  now: string;
  ticks: number;
  advanced: number;
  sent: number;
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
   * Resolves with what the move did.
   */
  travel(by: string | { to: string }): Promise<TravelReport>;
  /** The simulated customer `from` writes a text, or what the simulator's API takes (pollVote, contact, media…): 201, stored and handled. */
  reply(from: string, message: string | Record<string, unknown>): Promise<{ inbound: { id: string } }>;
  /** What the simulated `phone` shows from the shop (the bot's and the owner's messages): texts, polls as "[enquete] question", anything else "[imagem]". */
  received(phone: string): string[];
  /**
   * Every send to `phone` the simulator took (a resend counted again, a failed
   * send left out), with the moment (ISO) and the text as received() shows it.
   */
  deliveries(phone: string): { at: string; text: string }[];
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
        return response.json<TravelReport>();
      }
      const from = app.clock.now();
      const target = typeof by === 'string' ? from + durationMs(by) : Date.parse(by.to);
      if (target < from) throw new Error(`travel: ${JSON.stringify(by)} is in the past; only the simulator's clock goes back`);
      const { ticks, advanced, sent } = await app.flows.scheduler.travel(app.clock, target);
      await app.traffic.settled();
      return { from: iso(from), now: iso(app.clock.now()), ticks, advanced, sent };
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
        .map((message) => shownText(message.content)),
    deliveries: (phone) =>
      app.simulator.sendCalls.filter((call) => call.to === phone && call.result.ok).map((call) => ({ at: iso(call.at), text: shownText(call.content) })),
  };
}

/** A message as a test reads it: its text, a poll as "[enquete] question", anything else "[imagem]". */
function shownText(content: OutboundContent | SimulatedMessage['content']): string {
  return content.kind === 'poll' ? `[enquete] ${content.question}` : content.kind === 'text' ? content.text : '[imagem]';
}

const iso = (time: number) => new Date(time).toISOString();

/** A shop whose database is a file of its own folder. */
export interface ShopOnDisk extends Shop {
  /** The folder of fregues.db, removed when the shop closes. */
  dir: string;
}

/**
 * createShop (same options but the database file) with its database in
 * fregues.db of a fresh folder, `dir`, for a test that reads the file itself or
 * what is kept beside it; closing the shop removes the folder.
 */
export async function createShopOnDisk(options: Omit<Parameters<typeof createShop>[0], 'dbFile'> = {}): Promise<ShopOnDisk> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-shop-'));
  const shop = await createShop({ ...options, dbFile: path.join(dir, 'fregues.db') }).catch((error: unknown) => {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    ...shop,
    dir,
    close: async () => {
      try {
        await shop.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function durationMs(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`travel: "${text}" is no duration (${parsed.problem})`);
  return parsed.value;
}
