import type { WAMessage } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import { customerJidCache } from '../../src/channels/baileys/jid-cache.js';
import { WhatsAppChannel } from '../../src/channels/baileys/whatsapp-channel.js';
import type { Flow } from '../../src/flows/flow-types.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import type { Database } from '../../src/storage/db.js';
import type { Repositories } from '../../src/storage/repositories/index.js';
import { createWhatsAppStore } from '../../src/storage/repositories/whatsapp.js';
import { FakeBaileysSocket } from './fake-baileys-socket.js';
import { SHIPPED_FLOWS } from './flows.js';
import { createShop, type Shop } from './shop.js';

/**
 * A shop on the WhatsApp adapter. There is no simulator here: customers write
 * through receive() (not reply()), what they got is sentTo() (not received()),
 * and travel goes through the scheduler.
 */
export interface WhatsAppShop extends Shop {
  whatsapp: WhatsAppChannel;
  /** The socket the adapter holds now. */
  socket(): FakeBaileysSocket;
  /** WhatsApp delivers messages to the adapter; resolves once they are stored and understood. */
  receive(...messages: WAMessage[]): Promise<void>;
  /** The JIDs the adapter sent to, with each text (polls as their question). */
  sentTo(): { jid: string; text: string }[];
}

/**
 * A shop running on the real WhatsApp adapter (the Baileys translators, LID
 * handling, the JID cache on the customer record) whose socket is the fake
 * one: what WhatsApp says is given by the test. `registered` is what
 * onWhatsApp answers (E.164 to JID): a Brazilian mobile may be registered
 * under its 12-digit JID.
 */
export async function createWhatsAppShop(options: {
  registered: Record<string, string>;
  /** Baileys' own LID mapping: LID to phone JID. */
  lids?: Record<string, string>;
  flows?: Flow[];
  dbFile?: string;
  env?: Record<string, string>;
  clock?: ManualClock;
}): Promise<WhatsAppShop> {
  const clock = options.clock ?? new ManualClock('2026-11-20T13:00:00Z');
  const sockets: FakeBaileysSocket[] = [];
  let whatsapp: WhatsAppChannel | undefined;
  const makeChannel = ({ db, repos }: { db: Database; repos: Repositories }) => {
    whatsapp = new WhatsAppChannel({
      store: createWhatsAppStore(db),
      jids: customerJidCache(repos.customers, clock),
      clock,
      logger: pino({ level: 'silent' }),
      locale: 'pt-BR',
      random: () => 0.5,
      createSocket: (config) => {
        const socket = new FakeBaileysSocket(config);
        socket.registered = new Map(Object.entries(options.registered));
        socket.lids = new Map(Object.entries(options.lids ?? {}));
        sockets.push(socket);
        return socket;
      },
      schedule: () => () => undefined,
      sleep: async () => undefined,
    });
    return whatsapp;
  };
  const app = await createShop({
    channel: makeChannel,
    clock,
    ...(options.dbFile === undefined ? {} : { dbFile: options.dbFile }),
    flows: options.flows ?? SHIPPED_FLOWS,
    env: { OWNER_PHONE: '+5511900001111', SHOP_NAME: 'Café da Ana', ...options.env },
  });
  if (!whatsapp) throw new Error('the WhatsApp channel was not made');
  await whatsapp.start();
  sockets.at(-1)!.open();
  const socket = () => sockets.at(-1)!;
  return {
    ...app,
    whatsapp,
    socket,
    receive: async (...messages) => {
      socket().receive(messages);
      // The adapter's handler is async (LID look-ups): let it run, then wait for the commit.
      for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
      await app.traffic.settled();
    },
    sentTo: () =>
      socket().sent.map(({ jid, content }) => ({
        jid,
        text: 'text' in content ? content.text : 'poll' in content ? `[enquete] ${content.poll.name}` : '[outro]',
      })),
  };
}

/**
 * A shop on the real adapter where `phone` (registered under `jid`) bought a
 * week ago and the shipped pos-compra flow's NPS poll is waiting: what the
 * tables of real-shaped replies answer. Returns the poll's message id. Called
 * inside a test; the shop closes when that test finishes.
 */
export async function shopAtTheNpsQuestion(phone: string, jid: string): Promise<{ shop: WhatsAppShop; pollId: string }> {
  const shop = await createWhatsAppShop({ registered: { [phone]: jid } });
  onTestFinished(() => shop.close());
  await shop.buy({ externalId: 'p1', customer: { phone, name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });
  await shop.travel('7d');
  const poll = shop.socket().sent.at(-1);
  if (!poll?.messageId || !('poll' in poll.content)) throw new Error('the NPS poll did not go out');
  return { shop, pollId: poll.messageId };
}
