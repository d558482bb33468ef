import { describe, expect, it } from 'vitest';
import {
  type BreakerStatus,
  type Channel,
  type ChannelState,
  type InboundMessage,
  type OwnerMessage,
  type Receipt,
  newMessageId,
} from '../../../src/channels/channel.js';
import { SimulatorChannel, SimulatorError } from '../../../src/channels/simulator/simulator-channel.js';
import { ManualClock } from '../../../src/scheduler/clock.js';

const ANA = '+5511912345678';
const BIA = '+5521987654321';
const T0 = new Date('2026-11-20T12:00:00Z').getTime();

interface Recorded {
  states: [ChannelState, string | null][];
  inbound: InboundMessage[];
  receipts: Receipt[];
  owner: OwnerMessage[];
  breaker: BreakerStatus[];
  /** Every event in arrival order, to check interleavings. */
  log: string[];
}

/** Listens through the Channel interface only, as the rest of fregues does. */
function record(channel: Channel): Recorded {
  const seen: Recorded = { states: [], inbound: [], receipts: [], owner: [], breaker: [], log: [] };
  channel
    .on('state', (state, detail) => {
      seen.states.push([state, detail]);
      seen.log.push(`state:${state}`);
    })
    .on('inbound', (message) => {
      seen.inbound.push(message);
      seen.log.push(`inbound:${message.content.kind}`);
    })
    .on('receipt', (receipt) => {
      seen.receipts.push(receipt);
      seen.log.push(`receipt:${receipt.status}:${receipt.messageId}`);
    })
    .on('owner-message', (message) => {
      seen.owner.push(message);
      seen.log.push('owner-message');
    })
    .on('breaker', (status) => {
      seen.breaker.push(status);
      seen.log.push(`breaker:${String(status.open)}`);
    });
  return seen;
}

/** Lets queued microtasks (receipts) run; never sleeps. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

async function openSimulator(shopPhone?: string) {
  const clock = new ManualClock(T0);
  const sim = new SimulatorChannel(shopPhone === undefined ? { clock } : { clock, shopPhone });
  const seen = record(sim);
  await sim.start();
  return { clock, sim, seen };
}

const text = (t: string) => ({ kind: 'text' as const, text: t });
const poll = (options: string[], selectableCount?: number) =>
  selectableCount === undefined
    ? { kind: 'poll' as const, question: 'Como foi a entrega?', options }
    : { kind: 'poll' as const, question: 'Como foi a entrega?', options, selectableCount };

describe('SimulatorChannel: status and lifecycle', () => {
  it('is a closed simulator with no QR, no detail and a closed breaker until started', () => {
    const sim = new SimulatorChannel({ clock: new ManualClock() });
    const channel: Channel = sim;
    expect(channel.kind).toBe('simulator');
    expect(channel.state).toBe('closed');
    expect(channel.stateDetail).toBeNull();
    expect(channel.qr).toBeNull();
    expect(channel.breaker).toEqual({ open: false, reason: null, since: null });
    expect(sim.shopPhone).toBe('+5511900000000');
  });

  it('takes the linked number and refuses one that is not E.164', () => {
    expect(new SimulatorChannel({ clock: new ManualClock(), shopPhone: '+5511955554444' }).shopPhone).toBe('+5511955554444');
    expect(() => new SimulatorChannel({ clock: new ManualClock(), shopPhone: '11 95555-4444' })).toThrow(SimulatorError);
  });

  it('opens on start, closes on stop, and emits each change once', async () => {
    const sim = new SimulatorChannel({ clock: new ManualClock() });
    const seen = record(sim);
    await sim.start();
    expect(sim.state).toBe('open');
    await sim.start();
    await sim.stop();
    expect(sim.state).toBe('closed');
    await sim.stop();
    expect(seen.states).toEqual([
      ['open', null],
      ['closed', null],
    ]);
    expect(sim.qr).toBeNull();
  });

  it('on and off return the channel, and a listener removed with off hears nothing more', async () => {
    const sim = new SimulatorChannel({ clock: new ManualClock() });
    const states: ChannelState[] = [];
    const listener = (state: ChannelState) => states.push(state);
    expect(sim.on('state', listener)).toBe(sim);
    await sim.start();
    expect(sim.off('state', listener)).toBe(sim);
    await sim.stop();
    expect(states).toEqual(['open']);
  });

  it('needs no pairing code', async () => {
    const { sim } = await openSimulator();
    await expect(sim.requestPairingCode(ANA)).rejects.toThrow(/simulator needs no linking/);
  });

  it('logs out to logged_out, answers sends with disconnected, and start brings it back', async () => {
    const { sim, seen } = await openSimulator();
    await sim.logout();
    expect(sim.state).toBe('logged_out');
    expect(seen.states.at(-1)).toEqual(['logged_out', null]);
    const result = await sim.send(ANA, text('oi'), { messageId: newMessageId() });
    expect(result).toMatchObject({ ok: false, reason: 'disconnected' });
    await sim.start();
    expect(sim.state).toBe('open');
    expect(seen.states.at(-1)).toEqual(['open', null]);
  });
});

describe('SimulatorChannel: sending', () => {
  it('sends a text: ok with the JID, the clock time and nothing to keep; shown once on the phone as sent', async () => {
    const { sim, clock } = await openSimulator();
    clock.advance(5_000);
    const messageId = newMessageId();
    const result = await sim.send(ANA, text('Obrigada pela compra!'), { messageId });
    expect(result).toEqual({ ok: true, messageId, jid: '5511912345678@s.whatsapp.net', sentAt: T0 + 5_000, keep: null });
    expect(sim.conversation(ANA)).toEqual([
      { id: messageId, direction: 'out', from: 'bot', at: T0 + 5_000, content: { kind: 'text', text: 'Obrigada pela compra!' }, status: 'sent' },
    ]);
    expect(sim.phones()).toEqual([ANA]);
  });

  it('emits the delivered receipt after send returns, never inside it', async () => {
    const { sim, seen, clock } = await openSimulator();
    const messageId = newMessageId();
    const pending = sim.send(ANA, text('oi'), { messageId });
    // Still inside the same synchronous turn: nothing may have arrived yet.
    expect(seen.receipts).toEqual([]);
    const result = await pending;
    expect(result.ok).toBe(true);
    const recordedBeforeReceipt = seen.receipts.length;
    await settle();
    expect(recordedBeforeReceipt).toBe(0);
    expect(seen.receipts).toEqual([{ messageId, status: 'delivered', at: clock.now(), errorCode: null }]);
    expect(sim.conversation(ANA)[0]?.status).toBe('delivered');
  });

  it('lets a caller record the message before the receipt, even a few async functions up the stack', async () => {
    const { sim } = await openSimulator();
    const recorded = new Set<string>();
    const receiptsForUnknown: string[] = [];
    sim.on('receipt', (receipt) => {
      if (!recorded.has(receipt.messageId)) receiptsForUnknown.push(receipt.messageId);
    });
    const direct = newMessageId();
    const result = await sim.send(ANA, text('oi'), { messageId: direct });
    if (result.ok) recorded.add(result.messageId);

    // The way the outbox reaches the channel: through a governor that returns the send promise.
    const governorSend = async (messageId: string) => sim.send(BIA, text('oi'), { messageId });
    const outboxSend = async (messageId: string) => {
      const sent = await governorSend(messageId);
      if (sent.ok) recorded.add(sent.messageId);
    };
    const viaGovernor = newMessageId();
    await outboxSend(viaGovernor);

    await settle();
    expect(receiptsForUnknown).toEqual([]);
    expect(recorded).toEqual(new Set([direct, viaGovernor]));
  });

  it('flush waits until every receipt scheduled by send has arrived', async () => {
    const { sim, seen } = await openSimulator();
    await sim.flush();
    const messageId = newMessageId();
    await sim.send(ANA, text('oi'), { messageId });
    sim.restrictNextSend();
    await sim.send(ANA, text('de novo'), { messageId: newMessageId() });
    expect(seen.receipts).toEqual([]);
    await sim.flush();
    expect(seen.receipts.map((r) => r.status)).toEqual(['delivered', 'failed']);
  });

  it('sends an image: the phone keeps caption, mimetype and size, not the bytes; nothing to keep', async () => {
    const { sim } = await openSimulator();
    const messageId = newMessageId();
    const image = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const result = await sim.send(ANA, { kind: 'image', image, caption: 'Seu pedido', mimetype: 'image/jpeg' }, { messageId });
    expect(result).toMatchObject({ ok: true, keep: null });
    expect(sim.conversation(ANA)[0]?.content).toEqual({ kind: 'image', caption: 'Seu pedido', mimetype: 'image/jpeg', size: 7 });

    await sim.send(BIA, { kind: 'image', image }, { messageId: newMessageId() });
    expect(sim.conversation(BIA)[0]?.content).toEqual({ kind: 'image', caption: null, mimetype: null, size: 7 });
  });

  it('sends a poll and keeps its options so that votes can be understood', async () => {
    const { sim } = await openSimulator();
    const messageId = newMessageId();
    const result = await sim.send(ANA, poll(['Ótima', 'Boa', 'Ruim'], 1), { messageId });
    expect(result).toMatchObject({ ok: true, messageId, keep: { pollOptions: ['Ótima', 'Boa', 'Ruim'] } });
    expect(sim.conversation(ANA)[0]?.content).toEqual({ kind: 'poll', question: 'Como foi a entrega?', options: ['Ótima', 'Boa', 'Ruim'], selectableCount: 1 });
  });

  it('refuses polls WhatsApp would refuse by throwing, without counting a send', async () => {
    const { sim } = await openSimulator();
    const send = (content: Parameters<SimulatorChannel['send']>[1]) => sim.send(ANA, content, { messageId: newMessageId() });
    await expect(send(poll(['Só uma']))).rejects.toThrow(/2 to 12 options, not 1/);
    await expect(send(poll(Array.from({ length: 13 }, (_, i) => `Opção ${i}`)))).rejects.toThrow(/2 to 12 options, not 13/);
    await expect(send(poll(['Sim', 'Sim']))).rejects.toThrow(/distinct/);
    await expect(send(poll(['Sim', ' ']))).rejects.toThrow(/empty/);
    await expect(send({ kind: 'poll', question: '', options: ['Sim', 'Não'] })).rejects.toThrow(/question/);
    await expect(send(poll(['Sim', 'Não'], 3))).rejects.toThrow(/selectableCount/);
    await expect(send(poll(['Sim', 'Não'], -1))).rejects.toThrow(SimulatorError);
    await expect(send(text(''))).rejects.toThrow(/empty text/);
    await expect(send({ kind: 'image', image: Buffer.alloc(0) })).rejects.toThrow(/image bytes/);
    await expect(sim.send('11912345678', text('oi'), { messageId: newMessageId() })).rejects.toThrow(/E\.164/);
    // 2 and 12 options are both fine.
    await expect(send(poll(['Sim', 'Não']))).resolves.toMatchObject({ ok: true });
    await expect(send(poll(Array.from({ length: 12 }, (_, i) => `Opção ${i}`)))).resolves.toMatchObject({ ok: true });
    expect(sim.sendCalls).toHaveLength(2);
  });

  it('counts every send call, shows a repeated id once and answers the repeat ok with the same id', async () => {
    const { sim, seen, clock } = await openSimulator();
    const messageId = newMessageId();
    const first = await sim.send(ANA, text('Obrigada!'), { messageId });
    await settle();
    clock.advance(60_000);
    const again = await sim.send(ANA, text('Obrigada!'), { messageId });
    await settle();

    expect(again).toEqual(first);
    expect(sim.conversation(ANA)).toHaveLength(1);
    expect(sim.sendCalls.map((call) => [call.messageId, call.to, call.at, call.result.ok])).toEqual([
      [messageId, ANA, T0, true],
      [messageId, ANA, T0 + 60_000, true],
    ]);
    expect(sim.sendCalls[1]?.content).toEqual(text('Obrigada!'));
    // The phone already had it: no second delivery.
    expect(seen.receipts.filter((r) => r.status === 'delivered')).toHaveLength(1);
  });

  it('answers disconnected before start, and counts that call', async () => {
    const sim = new SimulatorChannel({ clock: new ManualClock() });
    const messageId = newMessageId();
    expect(await sim.send(ANA, text('oi'), { messageId })).toMatchObject({ ok: false, messageId, reason: 'disconnected' });
    expect(sim.sendCalls).toHaveLength(1);
    expect(sim.conversation(ANA)).toEqual([]);
    expect(sim.phones()).toEqual([]);
  });

  it('answers not_on_whatsapp for a number marked so, and the phone shows nothing', async () => {
    const { sim, seen } = await openSimulator();
    sim.markNotOnWhatsApp(BIA);
    const result = await sim.send(BIA, text('oi'), { messageId: newMessageId() });
    expect(result).toMatchObject({ ok: false, reason: 'not_on_whatsapp' });
    await settle();
    expect(seen.receipts).toEqual([]);
    expect(sim.phones()).toEqual([]);
    expect(() => sim.receiveText(BIA, 'oi')).toThrow(/not on WhatsApp/);
  });
});

describe('SimulatorChannel: faults', () => {
  it('fails the next sends when told, with nothing on the phone, then sends normally', async () => {
    const { sim, seen } = await openSimulator();
    sim.failNextSend(2);
    const a = newMessageId();
    const b = newMessageId();
    expect(await sim.send(ANA, text('um'), { messageId: a })).toMatchObject({ ok: false, messageId: a, reason: 'failed' });
    expect(await sim.send(ANA, text('dois'), { messageId: b })).toMatchObject({ ok: false, messageId: b, reason: 'failed' });
    await settle();
    expect(sim.conversation(ANA)).toEqual([]);
    expect(seen.receipts).toEqual([]);

    // The resend of a failed message is a first delivery on the phone.
    expect(await sim.send(ANA, text('um'), { messageId: a })).toMatchObject({ ok: true, messageId: a });
    expect(sim.conversation(ANA).map((m) => m.id)).toEqual([a]);
    expect(sim.sendCalls.map((call) => call.result.ok)).toEqual([false, false, true]);
  });

  it('failNextSend defaults to one send and refuses a count that is not a positive whole number', async () => {
    const { sim } = await openSimulator();
    sim.failNextSend();
    expect(await sim.send(ANA, text('um'), { messageId: newMessageId() })).toMatchObject({ ok: false, reason: 'failed' });
    expect(await sim.send(ANA, text('dois'), { messageId: newMessageId() })).toMatchObject({ ok: true });
    expect(() => sim.failNextSend(0)).toThrow(SimulatorError);
    expect(() => sim.failNextSend(1.5)).toThrow(SimulatorError);
  });

  it('does not spend an injected failure on a send that never reached WhatsApp', async () => {
    const { sim } = await openSimulator();
    sim.failNextSend();
    sim.markNotOnWhatsApp(BIA);
    expect(await sim.send(BIA, text('oi'), { messageId: newMessageId() })).toMatchObject({ reason: 'not_on_whatsapp' });
    sim.dropConnection();
    expect(await sim.send(ANA, text('oi'), { messageId: newMessageId() })).toMatchObject({ reason: 'disconnected' });
    sim.restoreConnection();
    expect(await sim.send(ANA, text('oi'), { messageId: newMessageId() })).toMatchObject({ reason: 'failed' });
  });

  it('restricts on 463: the breaker opens, a failed receipt follows, and later sends are not attempted until resumed', async () => {
    const { sim, seen, clock } = await openSimulator();
    clock.advance(1_000);
    sim.restrictNextSend();
    const messageId = newMessageId();
    const result = await sim.send(ANA, text('oi'), { messageId });
    expect(result).toMatchObject({ ok: false, messageId, reason: 'restricted' });
    expect(result.ok ? '' : result.detail).toMatch(/463/);
    const restrictedAt = T0 + 1_000;
    expect(sim.breaker).toEqual({ open: true, reason: 'restricted', since: restrictedAt });
    expect(seen.breaker).toEqual([{ open: true, reason: 'restricted', since: restrictedAt }]);
    expect(seen.receipts).toEqual([]);
    await settle();
    expect(seen.receipts).toEqual([{ messageId, status: 'failed', at: restrictedAt, errorCode: 463 }]);
    expect(sim.conversation(ANA)).toEqual([]);

    expect(await sim.send(ANA, text('de novo'), { messageId: newMessageId() })).toMatchObject({ ok: false, reason: 'breaker_open' });
    expect(sim.sendCalls.map((call) => (call.result.ok ? 'ok' : call.result.reason))).toEqual(['restricted', 'breaker_open']);

    sim.resumeSending();
    expect(sim.breaker).toEqual({ open: false, reason: null, since: null });
    expect(seen.breaker.at(-1)).toEqual({ open: false, reason: null, since: null });
    sim.resumeSending();
    expect(seen.breaker).toHaveLength(2);
    expect(await sim.send(ANA, text('voltei'), { messageId: newMessageId() })).toMatchObject({ ok: true });
  });

  it('applies injected faults in the order they were injected', async () => {
    const { sim } = await openSimulator();
    sim.failNextSend();
    sim.restrictNextSend();
    expect(await sim.send(ANA, text('1'), { messageId: newMessageId() })).toMatchObject({ reason: 'failed' });
    expect(await sim.send(ANA, text('2'), { messageId: newMessageId() })).toMatchObject({ reason: 'restricted' });
  });

  it('breaker status read from the channel cannot be changed by the reader', async () => {
    const { sim } = await openSimulator();
    const status = sim.breaker;
    status.open = true;
    expect(sim.breaker.open).toBe(false);
  });

  it('drops the connection: connecting with a reason, sends answer disconnected; restoring reopens', async () => {
    const { sim, seen } = await openSimulator();
    sim.dropConnection();
    expect(sim.state).toBe('connecting');
    // In LOCALE's words (pt-BR by default), as the real channel's details are.
    expect(sim.stateDetail).toBe('A conexão caiu (falha simulada).');
    expect(seen.states.at(-1)?.[0]).toBe('connecting');
    expect(seen.states.at(-1)?.[1]).toBe('A conexão caiu (falha simulada).');
    expect(await sim.send(ANA, text('oi'), { messageId: newMessageId() })).toMatchObject({ ok: false, reason: 'disconnected' });
    expect(sim.conversation(ANA)).toEqual([]);

    sim.restoreConnection();
    expect(sim.state).toBe('open');
    expect(sim.stateDetail).toBeNull();
    expect(seen.states.at(-1)).toEqual(['open', null]);
    expect(await sim.send(ANA, text('oi'), { messageId: newMessageId() })).toMatchObject({ ok: true });
  });

  it('drop and restore do nothing when there is nothing to drop or restore', async () => {
    const sim = new SimulatorChannel({ clock: new ManualClock() });
    const seen = record(sim);
    sim.dropConnection();
    sim.restoreConnection();
    expect(sim.state).toBe('closed');
    await sim.start();
    sim.restoreConnection();
    expect(seen.states).toEqual([['open', null]]);
  });

  it('queues inbound messages while the connection is dropped and delivers them in order when it returns', async () => {
    const { sim, seen, clock } = await openSimulator();
    sim.dropConnection();
    const first = sim.receiveText(ANA, 'oi?');
    clock.advance(30_000);
    const second = sim.receiveText(BIA, 'alguém aí?');
    const third = sim.receiveReaction(ANA, first.id, '👍');
    expect(seen.inbound).toEqual([]);
    // The phone shows them already: they were sent.
    expect(sim.conversation(ANA).map((m) => m.id)).toEqual([first.id, third.id]);

    sim.restoreConnection();
    expect(seen.inbound).toEqual([first, second, third]);
    expect(second.timestamp).toBe(T0 + 30_000);
    expect(seen.log.slice(-4)).toEqual(['state:open', 'inbound:text', 'inbound:text', 'inbound:reaction']);
  });

  it('holds receipts that come in while offline and hands them over on reconnection', async () => {
    const { sim, seen } = await openSimulator();
    const messageId = newMessageId();
    await sim.send(ANA, text('oi'), { messageId });
    // The connection drops before the delivery receipt reaches the shop's device.
    sim.dropConnection();
    await settle();
    expect(seen.receipts).toEqual([]);
    sim.markRead(ANA);
    expect(seen.receipts).toEqual([]);
    sim.restoreConnection();
    expect(seen.receipts.map((r) => r.status)).toEqual(['delivered', 'read']);
  });

  it('delivers what customers typed before the channel started once it starts', async () => {
    const clock = new ManualClock(T0);
    const sim = new SimulatorChannel({ clock });
    const seen = record(sim);
    const early = sim.receiveText(ANA, 'bom dia');
    expect(seen.inbound).toEqual([]);
    await sim.start();
    expect(seen.inbound).toEqual([early]);
  });
});

describe('SimulatorChannel: customers', () => {
  it('receives text with a fresh id, the clock time, the JID, no LID and the remembered name', async () => {
    const { sim, seen, clock } = await openSimulator();
    clock.advance(2_000);
    const first = sim.receiveText(ANA, 'Oi, chegou!', { name: 'Ana Souza' });
    expect(first).toEqual({
      id: expect.any(String),
      phone: ANA,
      jid: '5511912345678@s.whatsapp.net',
      lid: null,
      timestamp: T0 + 2_000,
      pushName: 'Ana Souza',
      content: { kind: 'text', text: 'Oi, chegou!' },
    });
    expect(seen.inbound).toEqual([first]);

    const second = sim.receiveText(ANA, 'Obrigada');
    expect(second.pushName).toBe('Ana Souza');
    expect(second.id).not.toBe(first.id);
    expect(sim.receiveText(BIA, 'oi').pushName).toBeNull();

    expect(sim.conversation(ANA)).toEqual([
      { id: first.id, direction: 'in', from: 'customer', at: T0 + 2_000, content: { kind: 'text', text: 'Oi, chegou!' }, status: null },
      { id: second.id, direction: 'in', from: 'customer', at: T0 + 2_000, content: { kind: 'text', text: 'Obrigada' }, status: null },
    ]);
  });

  it('refuses customer actions from a malformed number or with empty text', async () => {
    const { sim } = await openSimulator();
    expect(() => sim.receiveText('5511912345678', 'oi')).toThrow(/E\.164/);
    expect(() => sim.receiveText(ANA, '')).toThrow(SimulatorError);
    expect(sim.phones()).toEqual([]);
  });

  it('receives shared contacts', async () => {
    const { sim, seen } = await openSimulator();
    const contacts = [{ name: 'Carla', phones: ['+55 21 99999-0000', '5521999990000'] }, { name: null, phones: ['+5531988887777'] }];
    const message = sim.receiveContacts(ANA, contacts);
    expect(message.content).toEqual({ kind: 'contacts', contacts });
    expect(seen.inbound).toEqual([message]);
    expect(() => sim.receiveContacts(ANA, [])).toThrow(/at least one contact/);
  });

  it('receives a vote on a poll the bot sent to that customer', async () => {
    const { sim, seen } = await openSimulator();
    const pollId = newMessageId();
    await sim.send(ANA, poll(['Ótima', 'Boa', 'Ruim'], 1), { messageId: pollId });
    const vote = sim.receivePollVote(ANA, pollId, ['Boa']);
    expect(vote.content).toEqual({ kind: 'poll_vote', pollMessageId: pollId, selectedOptions: ['Boa'] });
    expect(seen.inbound).toContainEqual(vote);
    // A withdrawn vote is an empty selection.
    expect(sim.receivePollVote(ANA, pollId, []).content).toMatchObject({ selectedOptions: [] });
  });

  it('lets a multiple-choice poll take several options, and a single-choice poll (the default) only one', async () => {
    const { sim } = await openSimulator();
    const multi = newMessageId();
    const single = newMessageId();
    await sim.send(ANA, poll(['A', 'B', 'C'], 0), { messageId: multi });
    await sim.send(ANA, poll(['A', 'B', 'C']), { messageId: single });
    expect(sim.receivePollVote(ANA, multi, ['A', 'C']).content).toMatchObject({ selectedOptions: ['A', 'C'] });
    expect(() => sim.receivePollVote(ANA, single, ['A', 'B'])).toThrow(/at most 1/);
    expect(() => sim.receivePollVote(ANA, multi, ['A', 'A'])).toThrow(/at most once/);
  });

  it('refuses votes on unknown polls, polls sent to someone else, non-polls and unknown options', async () => {
    const { sim } = await openSimulator();
    const pollId = newMessageId();
    const textId = newMessageId();
    await sim.send(ANA, poll(['Sim', 'Não']), { messageId: pollId });
    await sim.send(ANA, text('oi'), { messageId: textId });
    expect(() => sim.receivePollVote(ANA, newMessageId(), ['Sim'])).toThrow(/No poll/);
    expect(() => sim.receivePollVote(BIA, pollId, ['Sim'])).toThrow(/No poll/);
    expect(() => sim.receivePollVote(ANA, textId, ['Sim'])).toThrow(/No poll/);
    expect(() => sim.receivePollVote(ANA, pollId, ['Talvez'])).toThrow(/no option "Talvez"/);

    sim.failNextSend();
    const failedPoll = newMessageId();
    await sim.send(ANA, poll(['Sim', 'Não']), { messageId: failedPoll });
    expect(() => sim.receivePollVote(ANA, failedPoll, ['Sim'])).toThrow(/No poll/);
  });

  it('receives reactions and their removal', async () => {
    const { sim } = await openSimulator();
    const messageId = newMessageId();
    await sim.send(ANA, text('Seu pedido saiu!'), { messageId });
    expect(sim.receiveReaction(ANA, messageId, '❤️').content).toEqual({ kind: 'reaction', targetMessageId: messageId, emoji: '❤️' });
    expect(sim.receiveReaction(ANA, messageId, null).content).toEqual({ kind: 'reaction', targetMessageId: messageId, emoji: null });
    expect(() => sim.receiveReaction(ANA, messageId, '')).toThrow(SimulatorError);
  });

  it('receives media with a caption where WhatsApp allows one, and the usual mimetype', async () => {
    const { sim } = await openSimulator();
    expect(sim.receiveMedia(ANA, 'image', 'olha que lindo').content).toEqual({ kind: 'media', mediaType: 'image', caption: 'olha que lindo', mimetype: 'image/jpeg' });
    expect(sim.receiveMedia(ANA, 'audio').content).toEqual({ kind: 'media', mediaType: 'audio', caption: null, mimetype: 'audio/ogg; codecs=opus' });
    expect(sim.receiveMedia(ANA, 'document', '').content).toMatchObject({ caption: null, mimetype: 'application/pdf' });
    expect(sim.receiveMedia(ANA, 'video').content).toMatchObject({ mimetype: 'video/mp4' });
    expect(sim.receiveMedia(ANA, 'sticker').content).toMatchObject({ mimetype: 'image/webp' });
    expect(() => sim.receiveMedia(ANA, 'audio', 'legenda')).toThrow(/no caption on audio/);
  });

  it('marks bot messages read when the customer next sends anything, before that message arrives', async () => {
    const { sim, seen } = await openSimulator();
    const a = newMessageId();
    const b = newMessageId();
    const toBia = newMessageId();
    await sim.send(ANA, text('um'), { messageId: a });
    await sim.send(ANA, text('dois'), { messageId: b });
    await sim.send(BIA, text('oi'), { messageId: toBia });
    await settle();
    seen.log.length = 0;

    sim.receiveReaction(ANA, a, '👍');
    expect(seen.log).toEqual([`receipt:read:${a}`, `receipt:read:${b}`, 'inbound:reaction']);
    expect(sim.conversation(ANA).filter((m) => m.from === 'bot').map((m) => m.status)).toEqual(['read', 'read']);
    expect(sim.conversation(BIA)[0]?.status).toBe('delivered');

    // Already read: no second read receipt.
    sim.receiveText(ANA, 'ok');
    expect(seen.receipts.filter((r) => r.status === 'read')).toHaveLength(2);
  });

  it('markRead reads the chat without a message; a message read at once is delivered first', async () => {
    const { sim, seen } = await openSimulator();
    const messageId = newMessageId();
    await sim.send(ANA, text('oi'), { messageId });
    sim.markRead(ANA);
    await settle();
    expect(seen.receipts.map((r) => r.status)).toEqual(['delivered', 'read']);
    expect(sim.conversation(ANA)[0]?.status).toBe('read');
    expect(seen.inbound).toEqual([]);
    sim.markRead(BIA);
    expect(sim.phones()).toEqual([ANA]);
  });
});

describe('SimulatorChannel: the owner and reading the network', () => {
  it('emits what the owner typed in a customer chat and shows it as an outbound owner message', async () => {
    const { sim, seen, clock } = await openSimulator();
    clock.advance(10_000);
    const message = sim.ownerTypes(ANA, 'Oi Ana, aqui é a Joana da loja');
    expect(message).toEqual({
      id: expect.any(String),
      phone: ANA,
      jid: '5511912345678@s.whatsapp.net',
      timestamp: T0 + 10_000,
      content: { kind: 'text', text: 'Oi Ana, aqui é a Joana da loja' },
    });
    expect(seen.owner).toEqual([message]);
    expect(sim.conversation(ANA)).toEqual([
      { id: message.id, direction: 'out', from: 'owner', at: T0 + 10_000, content: { kind: 'text', text: 'Oi Ana, aqui é a Joana da loja' }, status: null },
    ]);
  });

  it('queues owner messages while offline too', async () => {
    const { sim, seen } = await openSimulator();
    sim.dropConnection();
    const message = sim.ownerTypes(ANA, 'já te respondo');
    expect(seen.owner).toEqual([]);
    sim.restoreConnection();
    expect(seen.owner).toEqual([message]);
  });

  it('keeps each conversation in order across directions, and lists phones in the order their chats began', async () => {
    const { sim, clock } = await openSimulator();
    const out1 = newMessageId();
    await sim.send(BIA, text('Obrigada pela compra'), { messageId: out1 });
    clock.advance(1_000);
    const in1 = sim.receiveText(BIA, 'eu que agradeço');
    clock.advance(1_000);
    const own = sim.ownerTypes(BIA, '😊');
    sim.receiveText(ANA, 'oi');
    expect(sim.conversation(BIA).map((m) => [m.direction, m.from, m.id, m.at])).toEqual([
      ['out', 'bot', out1, T0],
      ['in', 'customer', in1.id, T0 + 1_000],
      ['out', 'owner', own.id, T0 + 2_000],
    ]);
    expect(sim.phones()).toEqual([BIA, ANA]);
    expect(sim.conversation('+5511000000000')).toEqual([]);
  });

  it('hands out copies: changing a returned conversation changes nothing', async () => {
    const { sim } = await openSimulator();
    await sim.send(ANA, text('oi'), { messageId: newMessageId() });
    const copy = sim.conversation(ANA);
    copy.pop();
    expect(sim.conversation(ANA)).toHaveLength(1);
  });

  it('reads time only from the injected clock, even when it goes backwards', async () => {
    const { sim, clock } = await openSimulator();
    clock.set('2020-01-01T00:00:00Z');
    const sent = await sim.send(ANA, text('oi'), { messageId: newMessageId() });
    expect(sent.ok && sent.sentAt).toBe(Date.parse('2020-01-01T00:00:00Z'));
    expect(sim.receiveText(ANA, 'oi').timestamp).toBe(Date.parse('2020-01-01T00:00:00Z'));
  });
});

describe('SimulatorChannel: linking (linked: false)', () => {
  const QR = /^https:\/\/wa\.me\/settings\/linked_devices#2@[A-Za-z0-9+/]{64},[A-Za-z0-9+/]{43}=,[A-Za-z0-9+/]{43}=,[A-Za-z0-9+/]{43}=,9$/;

  async function unlinked() {
    const clock = new ManualClock(T0);
    const sim = new SimulatorChannel({ clock, linked: false });
    const seen = record(sim);
    const qrs: string[] = [];
    sim.on('qr', (qr) => qrs.push(qr));
    await sim.start();
    return { clock, sim, seen, qrs };
  }

  it('starts in qr with a QR text like WhatsApp’s, emitted after the state and readable as channel.qr', async () => {
    const { sim, seen, qrs } = await unlinked();
    const channel: Channel = sim;
    expect(channel.state).toBe('qr');
    expect(seen.states).toEqual([['qr', null]]);
    expect(qrs).toHaveLength(1);
    expect(qrs[0]).toMatch(QR);
    expect(channel.qr).toBe(qrs[0]);
    // A second start changes nothing.
    await sim.start();
    expect(qrs).toHaveLength(1);
    expect(seen.states).toHaveLength(1);
  });

  it('gives every linking its own keys and every QR its own reference', async () => {
    const a = await unlinked();
    const b = await unlinked();
    const keys = (qr: string) => qr.split(',').slice(1).join(',');
    const ref = (qr: string) => qr.split(',')[0];
    expect(keys(a.qrs[0]!)).not.toBe(keys(b.qrs[0]!));
    a.sim.rotateQr();
    expect(keys(a.qrs[1]!)).toBe(keys(a.qrs[0]!));
    expect(ref(a.qrs[1]!)).not.toBe(ref(a.qrs[0]!));
  });

  it('rotates the QR on demand, and says when WhatsApp would: 60 s for the first, 20 s for each next, by the injected clock', async () => {
    const { clock, sim, seen, qrs } = await unlinked();
    expect(sim.qrExpiresAt).toBe(T0 + 60_000);
    clock.advance(60_000);
    const second = sim.rotateQr();
    expect(second).toMatch(QR);
    expect(qrs).toEqual([expect.any(String), second]);
    expect(second).not.toBe(qrs[0]);
    expect(sim.qr).toBe(second);
    expect(sim.qrExpiresAt).toBe(T0 + 80_000);
    clock.advance(20_000);
    sim.rotateQr();
    expect(sim.qrExpiresAt).toBe(T0 + 100_000);
    expect(qrs).toHaveLength(3);
    // Rotating is not a change of state.
    expect(seen.states).toEqual([['qr', null]]);
  });

  it('answers sends with disconnected while unlinked, and delivers what customers typed once linked', async () => {
    const { sim, seen } = await unlinked();
    const result = await sim.send(ANA, text('oi'), { messageId: newMessageId() });
    expect(result).toMatchObject({ ok: false, reason: 'disconnected', detail: 'the channel is qr' });
    sim.receiveText(ANA, 'Olá');
    expect(seen.inbound).toEqual([]);
    sim.scanQr();
    expect(seen.inbound.map((m) => m.content)).toEqual([{ kind: 'text', text: 'Olá' }]);
  });

  it('links when the shop’s phone scans the QR: open, no QR, sends go out', async () => {
    const { sim, seen } = await unlinked();
    sim.scanQr();
    expect(sim.state).toBe('open');
    expect(seen.states).toEqual([
      ['qr', null],
      ['open', null],
    ]);
    expect(sim.qr).toBeNull();
    expect(sim.qrExpiresAt).toBeNull();
    expect((await sim.send(ANA, text('oi'), { messageId: newMessageId() })).ok).toBe(true);
    expect(() => sim.scanQr()).toThrow(/already linked/);
    expect(() => sim.rotateQr()).toThrow(SimulatorError);
  });

  it('links by pairing code: 8 characters as Baileys gives them, typed on the phone in any case, with or without the dash', async () => {
    const { sim } = await unlinked();
    const code = await sim.requestPairingCode(ANA);
    expect(code).toMatch(/^[1-9A-HJ-NP-TV-Z]{8}$/);
    // Still showing the QR: either way links.
    expect(sim.state).toBe('qr');
    sim.enterPairingCode(`${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`);
    expect(sim.state).toBe('open');
  });

  it('refuses a wrong pairing code, a code never asked for, and a code after the linking it belonged to', async () => {
    const { sim } = await unlinked();
    expect(() => sim.enterPairingCode('ABCD1234')).toThrow(/No pairing code was asked for/);
    expect(() => sim.enterPairingCode('ABCD1234')).toThrow(expect.objectContaining({ linkRefusal: 'no_pairing_code' }));
    const code = await sim.requestPairingCode(ANA);
    const wrong = code.startsWith('A') ? 'B' + code.slice(1) : 'A' + code.slice(1);
    expect(() => sim.enterPairingCode(wrong)).toThrow(/Wrong pairing code/);
    // Coded, so the pages and the API say it in the seller's language (issue 20).
    expect(() => sim.enterPairingCode(wrong)).toThrow(expect.objectContaining({ linkRefusal: 'wrong_pairing_code' }));
    expect(sim.state).toBe('qr');
    // A new code replaces the old one.
    const newer = await sim.requestPairingCode(ANA);
    expect(newer).not.toBe(code);
    expect(() => sim.enterPairingCode(code)).toThrow(/Wrong pairing code/);
    await sim.logout();
    expect(() => sim.enterPairingCode(newer)).toThrow(/No pairing code was asked for/);
    await expect(sim.requestPairingCode('11 91234-5678')).rejects.toThrow(/E\.164/);
  });

  it('refuses a pairing code once linked, or when stopped', async () => {
    const { sim } = await unlinked();
    sim.scanQr();
    await expect(sim.requestPairingCode(ANA)).rejects.toThrow(/already linked/);
    await expect(sim.requestPairingCode(ANA)).rejects.toMatchObject({ linkRefusal: 'already_linked' });
    await sim.stop();
    await expect(sim.requestPairingCode(ANA)).rejects.toThrow(/shows no QR now \(the channel is closed\)/);
    await expect(sim.requestPairingCode(ANA)).rejects.toMatchObject({ linkRefusal: 'not_linking' });
    expect(() => sim.scanQr()).toThrow(SimulatorError);
  });

  it('logs out to logged_out, then shows a new QR as the Baileys adapter re-pairs', async () => {
    const { sim, seen, qrs } = await unlinked();
    sim.scanQr();
    await sim.logout();
    expect(seen.states.slice(-2)).toEqual([
      ['logged_out', null],
      ['qr', null],
    ]);
    expect(qrs).toHaveLength(2);
    expect(sim.qr).toBe(qrs[1]);
    expect(qrs[1]!.split(',').slice(1).join(',')).not.toBe(qrs[0]!.split(',').slice(1).join(','));
    expect((await sim.send(ANA, text('oi'), { messageId: newMessageId() })).ok).toBe(false);
    sim.scanQr();
    expect(sim.state).toBe('open');
  });

  it('keeps the link across stop and start, as the stored session does; a stop while unlinked drops the QR', async () => {
    const { sim, qrs } = await unlinked();
    await sim.stop();
    expect(sim.qr).toBeNull();
    await sim.start();
    expect(sim.state).toBe('qr');
    expect(qrs).toHaveLength(2);
    sim.scanQr();
    await sim.stop();
    await sim.start();
    expect(sim.state).toBe('open');
    expect(qrs).toHaveLength(2);
  });

  it('a stopped simulator logs out without showing a QR until started', async () => {
    const { sim, qrs } = await unlinked();
    sim.scanQr();
    await sim.stop();
    await sim.logout();
    expect(sim.state).toBe('logged_out');
    expect(sim.qr).toBeNull();
    await sim.start();
    expect(sim.state).toBe('qr');
    expect(qrs).toHaveLength(2);
  });

  it('linked (the default) opens at start with no QR event, and has nothing to scan', async () => {
    const { sim } = await openSimulator();
    const qrs: string[] = [];
    sim.on('qr', (qr) => qrs.push(qr));
    await sim.logout();
    await sim.start();
    expect(sim.state).toBe('open');
    expect(qrs).toEqual([]);
    expect(() => sim.scanQr()).toThrow(/already linked/);
  });
});
