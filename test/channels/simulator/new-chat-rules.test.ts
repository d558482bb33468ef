import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_LIMITS_READ, newMessageId, type BreakerStatus, type Channel, type Receipt, type WhatsAppLimits } from '../../../src/channels/channel.js';
import { readDeliveryLog } from '../../../src/channels/simulator/delivery-log.js';
import { cappingStatusOf } from '../../../src/channels/simulator/new-chat-rules.js';
import { SimulatorChannel, SimulatorError } from '../../../src/channels/simulator/simulator-channel.js';
import { ManualClock } from '../../../src/scheduler/clock.js';

// Issue 18, point 8: the simulator plays WhatsApp's 2026 rules on new chats (messages to
// people who never wrote to the shop): a quota per cycle with its warnings, 463 past it or
// during a reach-out time lock, and chats the customer started untouched by either.

const T0 = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const ANA = '+5511912345678';
const BIA = '+5521987654321';
const CAIO = '+5531998765432';
const DANI = '+5511987651234';
const text = (t: string) => ({ kind: 'text' as const, text: t });

interface Heard {
  limits: WhatsAppLimits[];
  receipts: Receipt[];
  breaker: BreakerStatus[];
}

/** Listens through the Channel interface only, as the rest of fregues does. */
function listen(channel: Channel): Heard {
  const heard: Heard = { limits: [], receipts: [], breaker: [] };
  channel.on('limits', (limits) => heard.limits.push(limits));
  channel.on('receipt', (receipt) => heard.receipts.push(receipt));
  channel.on('breaker', (status) => heard.breaker.push(status));
  return heard;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

async function openSimulator(deliveryLog?: string) {
  const clock = new ManualClock(T0);
  const sim = new SimulatorChannel(deliveryLog === undefined ? { clock } : { clock, deliveryLog });
  const heard = listen(sim);
  await sim.start();
  return { clock, sim, heard };
}

/** A cold send (the service says the customer never wrote), and what came of it once its receipt arrived. */
async function sendCold(sim: SimulatorChannel, to: string, words = 'Obrigada pela compra!') {
  const messageId = newMessageId();
  const result = await sim.send(to, text(words), { messageId, cold: true });
  await settle();
  return { messageId, result, call: sim.sendCalls.at(-1)! };
}

describe('the simulator’s new-chat quota', () => {
  it('has none by default: limits as nothing read, no events, cold sends go', async () => {
    const { sim, heard } = await openSimulator();
    expect(sim.limits).toEqual(NO_LIMITS_READ);
    const { result, call } = await sendCold(sim, ANA);
    expect(result).toMatchObject({ ok: true });
    expect(call).toMatchObject({ newChat: true, refused: null });
    expect(heard.receipts.map((r) => r.status)).toEqual(['delivered']);
    expect(heard.limits).toEqual([]);
    expect(sim.limits.cap).toBeNull();
    expect(sim.limits.waVersion).toBeNull();
  });

  it('counts each distinct new chat once per cycle, warns at 80 % and 90 %, and emits the whole state on each change', async () => {
    const { sim, heard } = await openSimulator();
    const set = sim.setNewChatCap({ total: 10, used: 7 });
    expect(set).toEqual({
      cap: { total: 10, used: 7, cycleStart: T0, cycleEnd: T0 + 24 * HOUR, status: 'none', readAt: T0 },
      lock: null,
      waVersion: null,
    });
    expect(heard.limits).toEqual([set]);

    await sendCold(sim, ANA);
    expect(heard.limits.at(-1)!.cap).toMatchObject({ used: 8, status: 'first_warning' });
    // A second message to the same cold customer opens no second chat.
    await sendCold(sim, ANA, 'Seu pedido saiu para entrega.');
    expect(heard.limits).toHaveLength(2);
    await sendCold(sim, BIA);
    expect(heard.limits.at(-1)!.cap).toMatchObject({ used: 9, status: 'second_warning' });
    await sendCold(sim, CAIO);
    expect(heard.limits.at(-1)!.cap).toMatchObject({ used: 10, status: 'capped' });
    expect(sim.limits.cap).toMatchObject({ used: 10, status: 'capped' });
    expect(heard.receipts.filter((r) => r.status === 'failed')).toEqual([]);
  });

  it('past the cap, a new chat is sent (ok, as Baileys answers) and then refused by a failed receipt with 463; the breaker stays closed', async () => {
    const { sim, heard } = await openSimulator();
    sim.setNewChatCap({ total: 1 });
    await sendCold(sim, ANA);
    const limitsBefore = heard.limits.length;
    const messageId = newMessageId();
    const result = await sim.send(BIA, text('Obrigada pela compra, Bia!'), { messageId, cold: true });
    expect(result).toMatchObject({ ok: true, messageId, jid: '5521987654321@s.whatsapp.net' });
    // WhatsApp's refusal arrives after the answer, never inside send().
    expect(heard.receipts.filter((r) => r.messageId === messageId)).toEqual([]);
    await settle();
    expect(heard.receipts.filter((r) => r.messageId === messageId)).toEqual([{ messageId, status: 'failed', at: T0, errorCode: 463 }]);
    expect(sim.sendCalls.at(-1)).toMatchObject({ messageId, newChat: true, refused: 463 });
    expect(sim.conversation(BIA)).toEqual([]);
    expect(sim.phones()).toEqual([ANA]);
    expect(sim.breaker.open).toBe(false);
    expect(heard.breaker).toEqual([]);
    // A refusal uses nothing of the quota: nothing changed.
    expect(heard.limits).toHaveLength(limitsBefore);
    // Sending the same message again is another reach-out: refused again.
    await sim.send(BIA, text('Obrigada pela compra, Bia!'), { messageId, cold: true });
    await settle();
    expect(sim.sendCalls.at(-1)).toMatchObject({ messageId, refused: 463 });
  });

  it('keeps warm chats working when capped: a phone that wrote, or a send the service marks warm', async () => {
    const { sim, heard } = await openSimulator();
    sim.setNewChatCap({ total: 0 });
    expect(sim.limits.cap?.status).toBe('capped');
    sim.receiveText(ANA, 'Oi! Quero acompanhar meu pedido #K7P2');
    const toAna = await sim.send(ANA, text('Oi, Ana! Seu pedido saiu hoje.'), { messageId: newMessageId() });
    const toBia = await sim.send(BIA, text('Oi, Bia!'), { messageId: newMessageId(), cold: false });
    await settle();
    expect([toAna.ok, toBia.ok]).toEqual([true, true]);
    expect(sim.sendCalls.map((call) => [call.newChat, call.refused])).toEqual([
      [false, null],
      [false, null],
    ]);
    expect(heard.receipts.map((r) => r.status)).toEqual(['delivered', 'delivered']);
    // A phone that never wrote, sent without saying: a new chat, refused.
    await sim.send(CAIO, text('Oi, Caio!'), { messageId: newMessageId() });
    await settle();
    expect(sim.sendCalls.at(-1)).toMatchObject({ newChat: true, refused: 463 });
  });

  it('a send marked cold is a new chat even to a phone that wrote (the service knows it as cold: the message is still in flight)', async () => {
    const { sim } = await openSimulator();
    sim.setNewChatCap({ total: 5 });
    sim.receiveText(ANA, 'oi');
    await sendCold(sim, ANA);
    expect(sim.limits.cap?.used).toBe(1);
  });

  it('rolls the cycle over by the injected clock: used back to 0, the next cycle from the last one’s end, announced when read', async () => {
    const { sim, heard, clock } = await openSimulator();
    sim.setNewChatCap({ total: 2, used: 2, cycleHours: 6 });
    expect((await sendCold(sim, ANA)).call.refused).toBe(463);
    clock.advance(5 * HOUR);
    expect(sim.limits.cap).toMatchObject({ used: 2, status: 'capped', cycleEnd: T0 + 6 * HOUR });
    const before = heard.limits.length;
    // Three whole cycles and a bit later: the cycle in force is the fourth.
    clock.advance(14 * HOUR);
    expect(sim.limits.cap).toEqual({ total: 2, used: 0, cycleStart: T0 + 18 * HOUR, cycleEnd: T0 + 24 * HOUR, status: 'none', readAt: T0 + 19 * HOUR });
    expect(heard.limits.slice(before)).toEqual([sim.limits]);
    expect((await sendCold(sim, ANA)).call.refused).toBeNull();
    expect(sim.limits.cap?.used).toBe(1);
  });

  it('rolls over at a send too, without anyone reading the limits first', async () => {
    const { sim, heard, clock } = await openSimulator();
    sim.setNewChatCap({ total: 1, used: 1 });
    clock.advance(24 * HOUR);
    const { call } = await sendCold(sim, BIA);
    expect(call.refused).toBeNull();
    expect(heard.limits.map((l) => [l.cap?.used, l.cap?.cycleStart])).toEqual([
      [1, T0],
      [0, T0 + 24 * HOUR],
      [1, T0 + 24 * HOUR],
    ]);
  });

  it('drops the quota with null: cold sends go again, and the limits say so', async () => {
    const { sim, heard } = await openSimulator();
    sim.setNewChatCap({ total: 0 });
    expect(sim.setNewChatCap(null)).toEqual({ cap: null, lock: null, waVersion: null });
    expect(heard.limits.at(-1)).toEqual({ cap: null, lock: null, waVersion: null });
    expect((await sendCold(sim, ANA)).call.refused).toBeNull();
  });

  it('refuses a quota that is not one: negative, fractional, used above total, a cycle of no length', async () => {
    const { sim, heard } = await openSimulator();
    expect(() => sim.setNewChatCap({ total: -1 })).toThrow(SimulatorError);
    expect(() => sim.setNewChatCap({ total: 2.5 })).toThrow(SimulatorError);
    expect(() => sim.setNewChatCap({ total: 5, used: 6 })).toThrow(/0 to the quota \(5\)/);
    expect(() => sim.setNewChatCap({ total: 5, cycleHours: 0 })).toThrow(SimulatorError);
    expect(heard.limits).toEqual([]);
    expect(sim.limits).toEqual(NO_LIMITS_READ);
  });
});

describe('the simulator’s reach-out time lock', () => {
  it('refuses new chats with 463 until it ends, keeps warm chats going, and lifts itself by the clock', async () => {
    const { sim, heard, clock } = await openSimulator();
    const endsAt = T0 + 2 * HOUR;
    const locked = sim.lockReachout(endsAt);
    expect(locked.lock).toEqual({ active: true, endsAt, kind: 'BIZ_QUALITY', readAt: T0 });
    expect(heard.limits).toEqual([locked]);

    sim.receiveText(ANA, 'Oi, vocês têm o de 500 g?');
    const warm = await sim.send(ANA, text('Temos sim!'), { messageId: newMessageId(), cold: false });
    const cold = await sendCold(sim, BIA);
    expect(warm.ok).toBe(true);
    expect(cold.result.ok).toBe(true);
    expect(cold.call).toMatchObject({ newChat: true, refused: 463 });
    expect(heard.receipts.map((r) => [r.status, r.errorCode])).toEqual([
      ['delivered', null],
      ['failed', 463],
    ]);
    expect(sim.breaker.open).toBe(false);

    clock.set(endsAt - 1);
    expect(sim.limits.lock?.active).toBe(true);
    expect((await sendCold(sim, CAIO)).call.refused).toBe(463);
    clock.set(endsAt);
    expect(sim.limits.lock).toEqual({ active: false, endsAt: null, kind: null, readAt: endsAt });
    expect(heard.limits.at(-1)!.lock).toEqual({ active: false, endsAt: null, kind: null, readAt: endsAt });
    expect((await sendCold(sim, CAIO)).call.refused).toBeNull();
  });

  it('refuses during a lock whatever the quota left, and spends none of it', async () => {
    const { sim } = await openSimulator();
    sim.setNewChatCap({ total: 50, used: 3 });
    sim.lockReachout(T0 + HOUR);
    expect((await sendCold(sim, ANA)).call.refused).toBe(463);
    expect(sim.limits).toMatchObject({ cap: { used: 3, status: 'none' }, lock: { active: true } });
  });

  it('lifts early when told, and refuses a lock that would end now or earlier', async () => {
    const { sim, heard } = await openSimulator();
    expect(() => sim.lockReachout(T0)).toThrow(SimulatorError);
    expect(() => sim.lockReachout(T0 - HOUR)).toThrow(/ends in the future/);
    expect(heard.limits).toEqual([]);
    // Nothing to lift: nothing changes.
    sim.liftReachoutLock();
    expect(heard.limits).toEqual([]);
    sim.lockReachout(T0 + 3 * HOUR);
    expect(sim.liftReachoutLock().lock).toEqual({ active: false, endsAt: null, kind: null, readAt: T0 });
    expect(heard.limits).toHaveLength(2);
    expect((await sendCold(sim, ANA)).call.refused).toBeNull();
  });

  it('reports the limits again at each reconnection, as the real channel reads them when it connects', async () => {
    const { sim, heard } = await openSimulator();
    sim.lockReachout(T0 + HOUR);
    sim.dropConnection();
    sim.restoreConnection();
    expect(heard.limits).toHaveLength(2);
    expect(heard.limits[1]).toEqual(heard.limits[0]);
  });
});

describe('refusing the next new chats', () => {
  it('answers the next n new chats with 463 whatever the quota, leaves warm chats alone, then lets new chats through', async () => {
    const { sim, heard } = await openSimulator();
    sim.refuseNewChats(2);
    expect(sim.refusingNewChats).toBe(2);
    sim.receiveText(DANI, 'Bom dia!');
    expect((await sim.send(DANI, text('Bom dia, Dani!'), { messageId: newMessageId(), cold: false })).ok).toBe(true);
    expect(sim.refusingNewChats).toBe(2);
    const refused = [(await sendCold(sim, ANA)).call, (await sendCold(sim, BIA)).call];
    expect(refused.map((call) => call.refused)).toEqual([463, 463]);
    expect((await sendCold(sim, CAIO)).call.refused).toBeNull();
    expect(sim.refusingNewChats).toBe(0);
    expect(heard.receipts.filter((r) => r.status === 'failed').map((r) => r.messageId)).toEqual(refused.map((call) => call.messageId));
    // No quota set: nothing to report.
    expect(heard.limits).toEqual([]);
  });

  it('takes a positive whole count only', async () => {
    const { sim } = await openSimulator();
    expect(() => sim.refuseNewChats(0)).toThrow(SimulatorError);
    expect(() => sim.refuseNewChats(1.5)).toThrow(SimulatorError);
  });

  it('leaves the restricted fault as it was: a 463 on any send, the breaker opens', async () => {
    const { sim, heard } = await openSimulator();
    sim.receiveText(ANA, 'oi');
    sim.restrictNextSend();
    const result = await sim.send(ANA, text('Oi, Ana!'), { messageId: newMessageId(), cold: false });
    expect(result).toMatchObject({ ok: false, reason: 'restricted' });
    expect(heard.breaker).toEqual([{ open: true, reason: 'restricted', since: T0 }]);
  });
});

describe('the delivery log and refused new chats', () => {
  it('marks a refused new chat: accepted by WhatsApp, refused with 463, never on the phone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-new-chats-'));
    try {
      const file = path.join(dir, 'delivery.log');
      const { sim } = await openSimulator(file);
      sim.setNewChatCap({ total: 1 });
      const first = await sendCold(sim, ANA);
      const second = await sendCold(sim, BIA);
      await sim.stop();
      const lines = readDeliveryLog(file);
      expect(lines.map((line) => [line.messageId, line.refused])).toEqual([
        [first.messageId, undefined],
        [second.messageId, 463],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cappingStatusOf: the simulator’s thresholds', () => {
  it('is none below 80 %, first_warning from 80 %, second_warning from 90 %, capped at the quota', () => {
    expect([0, 39, 40, 44, 45, 49, 50].map((used) => cappingStatusOf(used, 50))).toEqual([
      'none',
      'none',
      'first_warning',
      'first_warning',
      'second_warning',
      'second_warning',
      'capped',
    ]);
    expect(cappingStatusOf(0, 0)).toBe('capped');
  });
});
