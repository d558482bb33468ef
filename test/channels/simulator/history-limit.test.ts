import { describe, expect, it } from 'vitest';
import { newMessageId, type Receipt } from '../../../src/channels/channel.js';
import { SimulatorChannel, SimulatorError } from '../../../src/channels/simulator/simulator-channel.js';
import { ManualClock } from '../../../src/scheduler/clock.js';

// limitHistory: a simulator that runs for weeks (the soak benchmark) keeps a bounded memory.

const ANA = '+5511912345678';
const BIA = '+5521987654321';
const CAIO = '+5531976543210';

async function openSimulator() {
  const channel = new SimulatorChannel({ clock: new ManualClock('2026-11-20T12:00:00Z') });
  await channel.start();
  return channel;
}

const text = (value: string) => ({ kind: 'text' as const, text: value });

describe('SimulatorChannel.limitHistory', () => {
  it('keeps the chats of the last phones only, the one begun longest ago forgotten first', async () => {
    const channel = await openSimulator();
    channel.limitHistory(2);
    await channel.send(ANA, text('Oi, Ana'), { messageId: newMessageId() });
    channel.receiveText(BIA, 'oi', { name: 'Bia' });
    await channel.send(CAIO, text('Oi, Caio'), { messageId: newMessageId() });
    expect(channel.phones()).toEqual([BIA, CAIO]);
    expect(channel.conversation(ANA)).toEqual([]);
    expect(channel.conversation(BIA)).toHaveLength(1);

    // Ana writes again: a new chat, and Bia's is the oldest now.
    channel.receiveText(ANA, 'voltei');
    expect(channel.phones()).toEqual([CAIO, ANA]);
    expect(channel.conversation(ANA)).toEqual([expect.objectContaining({ direction: 'in', content: { kind: 'text', text: 'voltei' } })]);
  });

  it('forgets what is already beyond the limit when it is set', async () => {
    const channel = await openSimulator();
    for (const phone of [ANA, BIA, CAIO]) await channel.send(phone, text('Oi'), { messageId: newMessageId() });
    channel.limitHistory(1);
    expect(channel.phones()).toEqual([CAIO]);
    expect(channel.sendCalls.map((call) => call.to)).toEqual([CAIO]);
  });

  it('keeps at least the last send calls, and fewer than twice the limit', async () => {
    const channel = await openSimulator();
    channel.limitHistory(3);
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      ids.push(newMessageId());
      await channel.send(ANA, text(`mensagem ${i}`), { messageId: ids.at(-1)! });
      expect(channel.sendCalls.length).toBeLessThan(6);
      expect(channel.sendCalls.slice(-Math.min(3, i + 1)).map((call) => call.messageId)).toEqual(ids.slice(-Math.min(3, i + 1)));
    }
  });

  it('a message in a forgotten chat still gets its receipt; a poll there can no longer be voted in', async () => {
    const channel = await openSimulator();
    channel.limitHistory(1);
    const receipts: Receipt[] = [];
    channel.on('receipt', (receipt) => receipts.push(receipt));
    const poll = newMessageId();
    await channel.send(ANA, { kind: 'poll', question: 'Nota?', options: ['sim', 'não'] }, { messageId: poll });
    await channel.send(BIA, text('Oi'), { messageId: newMessageId() });
    await channel.flush();
    expect(receipts.map((receipt) => [receipt.messageId, receipt.status])).toContainEqual([poll, 'delivered']);
    expect(() => channel.receivePollVote(ANA, poll, ['sim'])).toThrow(SimulatorError);
  });

  it('takes a positive whole number of phones', async () => {
    const channel = await openSimulator();
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => channel.limitHistory(bad)).toThrow(SimulatorError);
  });

  it('is unbounded until set: every chat and every call kept', async () => {
    const channel = await openSimulator();
    for (let i = 0; i < 50; i += 1) await channel.send(`+55119${String(10_000_000 + i)}`, text('Oi'), { messageId: newMessageId() });
    expect(channel.phones()).toHaveLength(50);
    expect(channel.sendCalls).toHaveLength(50);
  });
});
