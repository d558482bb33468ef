import type { SimulatedMessage, SimulatorChannel } from '../channels/simulator/simulator-channel.js';
import type { ManualClock } from '../scheduler/clock.js';
import { DEMO_CAMPAIGN, DEMO_NEW_CHAT_QUOTA, DEMO_SEGMENTS, FEATURED, PERSONAS, PRODUCTS, type DemoPersona } from './shop.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How often the customers look at their phones while the history is played. */
const STEP = 3 * HOUR;

/** The parts of a running service the seed drives, all through its public seams. */
export interface DemoService {
  clock: ManualClock;
  simulator: SimulatorChannel;
  /** POST /api/purchases; throws unless it is recorded. */
  purchase(body: Record<string, unknown>): Promise<void>;
  /** POST /api/simulator/messages as the customer; throws unless it is stored. */
  say(from: string, message: { text: string } | { contact: { name: string; phones: string[] } }): Promise<void>;
  /** POST /api/simulator/clock { to }: every tick the service would have run until then. */
  travel(to: number): Promise<void>;
  /** POST /api/simulator/faults { newChatCap }: WhatsApp's quota of new chats, its cycle starting now. */
  limitNewChats(quota: { total: number; used: number }): Promise<void>;
  /** POST /api/segments: a custom segment saved from filters. */
  saveSegment(body: Record<string, unknown>): Promise<void>;
  /** POST /api/campaigns: answers the new campaign's id. */
  campaign(body: Record<string, unknown>): Promise<number>;
}

export interface SeedResult {
  customers: number;
  purchases: number;
  replies: number;
  /** The campaign sent weeks before the end, finished with its results (0: the history was too short for it). */
  campaignId: number;
  /** The moment the history ends: the demo's "now". */
  now: number;
}

/** What a customer has done already, so that each question gets one answer. */
interface Reacted {
  answered: Set<string>;
  saidFirst: boolean;
}

/**
 * Plays eight weeks of the demo shop through the service: each purchase at its
 * moment, the flows running as time passes, and each customer answering the
 * bot's questions a few hours after they arrive, as their persona does. The
 * history ends at `until`, where WhatsApp's new-chat quota is set as a shop in
 * use would see it and the featured customer buys: her journey is the one the
 * newcomer watches.
 */
export async function seedDemoShop(service: DemoService, until: number, weeks = 8): Promise<SeedResult> {
  const start = until - weeks * 7 * DAY;
  service.clock.set(start);
  const events = PERSONAS.flatMap((persona, index) =>
    persona.purchases
      .filter((purchase) => purchase.daysAgo > 0 && purchase.daysAgo <= weeks * 7)
      // Spread over the shop's day: each customer buys at their own hour.
      .map((purchase, n) => ({ at: until - purchase.daysAgo * DAY + ((index * 5 + n * 3) % 9) * HOUR, persona, products: purchase.products })),
  ).sort((a, b) => a.at - b.at);

  const reacted = new Map<string, Reacted>(PERSONAS.map((persona) => [persona.phone, { answered: new Set(), saidFirst: false }]));
  let purchases = 0;
  let replies = 0;
  let next = 0;
  // The campaign goes out a few weeks before the end, to a built-in segment as it was then, so that
  // its page has its results (replies, purchases within the attribution window) and a verdict.
  // Two hours before a look at the phones: its messages have gone (and are read) when the customers answer.
  const campaignAt = until - DEMO_CAMPAIGN.daysAgo * DAY - 2 * HOUR;
  let campaignId = 0;
  for (let at = start + STEP; at <= until; at += STEP) {
    if (campaignId === 0 && campaignAt > start && campaignAt <= at) {
      await service.travel(campaignAt);
      for (const segment of DEMO_SEGMENTS) await service.saveSegment(segment);
      campaignId = await service.campaign(DEMO_CAMPAIGN.body);
    }
    while (next < events.length && events[next]!.at <= at) {
      const event = events[next]!;
      next += 1;
      await service.travel(event.at);
      await service.purchase(purchaseBody(event.persona, `demo-${purchases + 1}`, event.products));
      purchases += 1;
    }
    await service.travel(at);
    for (const persona of PERSONAS) replies += await react(service, persona, reacted.get(persona.phone)!);
  }
  await service.travel(until);
  // Conectar and the Painel show WhatsApp's quota as a shop in use would have it, Marina's thanks still to count.
  await service.limitNewChats(DEMO_NEW_CHAT_QUOTA);
  await service.purchase(purchaseBody(FEATURED, 'demo-marina', FEATURED.purchases[0]!.products));
  purchases += 1;
  return { customers: PERSONAS.length + 1, purchases, replies, campaignId, now: until };
}

/** The persona's answers to what the bot sent since they last looked. */
async function react(service: DemoService, persona: DemoPersona, state: Reacted): Promise<number> {
  const fromBot = service.simulator.conversation(persona.phone).filter((message): message is Extract<SimulatedMessage, { from: 'bot' }> => message.from === 'bot');
  let replies = 0;
  for (const message of fromBot) {
    if (state.answered.has(message.id)) continue;
    state.answered.add(message.id);
    const text = message.content.kind === 'poll' ? message.content.question : message.content.kind === 'text' ? message.content.text : '';
    if (!state.saidFirst) {
      state.saidFirst = true;
      if (persona.optOut) {
        await service.say(persona.phone, { text: 'SAIR' });
        return replies + 1;
      }
      if (persona.question) {
        await service.say(persona.phone, { text: persona.question });
        replies += 1;
      }
    }
    if (DEMO_CAMPAIGN.recognize.test(text) && persona.campaignReply) {
      await service.say(persona.phone, { text: persona.campaignReply });
      replies += 1;
    } else if (/de 0 a 10/.test(text) && persona.nps !== undefined) {
      await service.say(persona.phone, { text: persona.nps });
      replies += 1;
    } else if (/contato de um amigo/.test(text) && persona.referral) {
      await service.say(persona.phone, { contact: { name: persona.referral.name, phones: [persona.referral.phone] } });
      replies += 1;
    }
  }
  return replies;
}

function purchaseBody(persona: DemoPersona, externalId: string, products: (keyof typeof PRODUCTS)[]): Record<string, unknown> {
  return {
    externalId,
    customer: {
      phone: persona.phone,
      name: persona.name,
      ...(persona.birthday ? { birthday: persona.birthday } : {}),
      consent: { marketing: true, source: 'checkout' },
    },
    items: products.map((key) => ({ sku: PRODUCTS[key]!.sku, name: PRODUCTS[key]!.name, quantity: 1, unitPrice: PRODUCTS[key]!.price })),
  };
}
