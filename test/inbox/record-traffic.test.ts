import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChannelEvents, type InboundMessage, type Receipt, newMessageId } from '../../src/channels/channel.js';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import {
  recordTraffic,
  type RecordedInbound,
  type RecordedOwnerMessage,
  type RecordedReceipt,
  type RecordedTraffic,
} from '../../src/inbox/record-traffic.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase, type Database } from '../../src/storage/db.js';
import { GroupCommit } from '../../src/storage/group-commit.js';
import { createRepositories, type Repositories } from '../../src/storage/repositories/index.js';
import { FakeChannel } from '../helpers/fake-channel.js';

const ANA = '+5511912345678';
const BIA = '+5521987654321';
const T0 = new Date('2026-11-20T12:00:00Z').getTime();

interface Seen {
  inbound: RecordedInbound[];
  owner: RecordedOwnerMessage[];
  receipts: RecordedReceipt[];
}

function listen(traffic: RecordedTraffic): Seen {
  const seen: Seen = { inbound: [], owner: [], receipts: [] };
  traffic
    .on('inbound', (recorded) => seen.inbound.push(recorded))
    .on('owner-message', (recorded) => seen.owner.push(recorded))
    .on('receipt', (recorded) => seen.receipts.push(recorded));
  return seen;
}

let db: Database;
let repos: Repositories;
let clock: ManualClock;
let sim: SimulatorChannel;
let traffic: RecordedTraffic;
let seen: Seen;

beforeEach(async () => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
  clock = new ManualClock(T0);
  sim = new SimulatorChannel({ clock });
  await sim.start();
  traffic = recordTraffic(sim, repos, clock);
  seen = listen(traffic);
});

afterEach(async () => {
  traffic.detach();
  await sim.stop();
  db.close();
});

/** A bot message as the send governor leaves it, sent through the simulator so that receipts come back for it. */
async function sendRecorded(to: string, text: string, status: 'sending' | 'sent' = 'sent') {
  const waId = newMessageId();
  repos.messages.record(
    { customerId: customerOf(to).id, direction: 'out', waId, kind: 'text', text, status, sentAt: status === 'sent' ? clock.now() : null },
    clock.now(),
  );
  const result = await sim.send(to, { kind: 'text', text }, { messageId: waId });
  return { waId, result };
}

function customerOf(phone: string) {
  return repos.customers.findByPhone(phone) ?? repos.customers.create({ phone, details: { name: null } }, clock.now());
}

describe('recordTraffic: inbound messages', () => {
  it('creates an unknown sender, named from pushName, and stores the message before passing it on', async () => {
    const atEmit: unknown[] = [];
    traffic.on('inbound', ({ inbound }) => {
      // What downstream code sees when the event fires: the row and the customer already exist.
      atEmit.push({ message: repos.messages.findByWaId(inbound.id), customer: repos.customers.findByPhone(ANA) });
    });
    clock.advance(5_000);

    const inbound = sim.receiveText(ANA, 'Oi, chegou o café!', { name: 'Ana Souza' });

    const customer = repos.customers.findByPhone(ANA);
    expect(customer).toMatchObject({ phone: ANA, name: 'Ana Souza', createdAt: T0 + 5_000 });
    const message = repos.messages.findByWaId(inbound.id);
    expect(message).toEqual({
      id: expect.any(Number),
      customerId: customer!.id,
      direction: 'in',
      waId: inbound.id,
      kind: 'text',
      text: 'Oi, chegou o café!',
      payload: {
        content: { kind: 'text', text: 'Oi, chegou o café!' },
        jid: '5511912345678@s.whatsapp.net',
        lid: null,
        at: T0 + 5_000,
      },
      status: 'received',
      createdAt: T0 + 5_000,
      sentAt: null,
      deliveredAt: null,
      readAt: null,
      error: null,
    });
    expect(atEmit).toEqual([{ message, customer }]);
    expect(seen.inbound).toEqual([{ inbound, customer, message }]);
  });

  it.each([
    { pushName: '  Ana  ', name: 'Ana' },
    { pushName: '   ', name: null },
    { pushName: undefined, name: null },
  ])('names a new customer $name from pushName $pushName', ({ pushName, name }) => {
    sim.receiveText(ANA, 'Oi', pushName === undefined ? {} : { name: pushName });
    expect(repos.customers.findByPhone(ANA)?.name).toBe(name);
  });

  it('reuses a known customer and leaves the name the seller gave alone', () => {
    const known = repos.customers.create({ phone: ANA, details: { name: 'Ana (cliente VIP)' } }, T0);
    sim.receiveText(ANA, 'Primeira', { name: 'Aninha' });
    sim.receiveText(ANA, 'Segunda');

    expect(seen.inbound.map((r) => r.customer?.id)).toEqual([known.id, known.id]);
    expect(repos.customers.findByPhone(ANA)?.name).toBe('Ana (cliente VIP)');
    expect(repos.messages.listByCustomer(known.id).map((m) => m.text)).toEqual(['Primeira', 'Segunda']);
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 1 });
  });

  it('stores and passes on a message WhatsApp delivers twice only once', () => {
    const channel = new FakeChannel({ state: 'open', qr: null });
    const twice = recordTraffic(channel, repos, clock);
    const twiceSeen = listen(twice);
    const inbound: InboundMessage = {
      id: '3AREDELIVERED000001',
      phone: BIA,
      jid: '5521987654321@s.whatsapp.net',
      lid: null,
      timestamp: T0,
      pushName: 'Bia',
      content: { kind: 'text', text: 'Oi' },
    };
    channel.emit('inbound', inbound);
    clock.advance(1_000);
    channel.emit('inbound', { ...inbound, content: { kind: 'text', text: 'Oi (de novo)' } });

    expect(twiceSeen.inbound).toHaveLength(1);
    const customer = repos.customers.findByPhone(BIA)!;
    expect(repos.messages.listByCustomer(customer.id)).toMatchObject([{ waId: inbound.id, text: 'Oi', createdAt: T0 }]);
    twice.detach();
  });

  it('stores a message from a sender whose number is not known yet without a customer', () => {
    const channel = new FakeChannel({ state: 'open', qr: null });
    const lidTraffic = recordTraffic(channel, repos, clock);
    const lidSeen = listen(lidTraffic);
    channel.emit('inbound', {
      id: '3ALID0000000000001',
      phone: null,
      jid: '123456789012345@lid',
      lid: '123456789012345@lid',
      timestamp: T0,
      pushName: 'Alguém',
      content: { kind: 'text', text: 'quem é?' },
    });

    expect(lidSeen.inbound).toMatchObject([{ customer: null, message: { customerId: null, text: 'quem é?', payload: { lid: '123456789012345@lid' } } }]);
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 0 });
    lidTraffic.detach();
  });

  it('stores contacts and poll votes with a readable text', async () => {
    sim.receiveContacts(ANA, [
      { name: 'Bia Lima', phones: ['+55 21 98765-4321'] },
      { name: null, phones: ['5531991234567', '+5531991234568'] },
    ]);
    const poll = await sim.send(ANA, { kind: 'poll', question: 'Gostou?', options: ['Sim', 'Não', 'Mais ou menos'], selectableCount: 2 }, { messageId: '3EB0POLL' });
    expect(poll.ok).toBe(true);
    sim.receivePollVote(ANA, '3EB0POLL', ['Sim', 'Mais ou menos']);
    sim.receivePollVote(ANA, '3EB0POLL', ['Não']);

    expect(seen.inbound.map(({ message }) => ({ kind: message.kind, text: message.text }))).toEqual([
      { kind: 'contacts', text: 'Bia Lima +55 21 98765-4321; 5531991234567 +5531991234568' },
      { kind: 'poll_vote', text: 'Sim, Mais ou menos' },
      { kind: 'poll_vote', text: 'Não' },
    ]);
    expect(seen.inbound[0]?.message.payload).toMatchObject({
      content: { kind: 'contacts', contacts: [{ name: 'Bia Lima', phones: ['+55 21 98765-4321'] }, { name: null, phones: ['5531991234567', '+5531991234568'] }] },
    });
    expect(seen.inbound[1]?.message.payload).toMatchObject({ content: { kind: 'poll_vote', pollMessageId: '3EB0POLL', selectedOptions: ['Sim', 'Mais ou menos'] } });
  });

  it.each([
    { what: 'an image with a caption', act: () => sim.receiveMedia(ANA, 'image', 'olha a foto'), kind: 'media', text: 'olha a foto' },
    { what: 'an audio', act: () => sim.receiveMedia(ANA, 'audio'), kind: 'media', text: null },
    { what: 'a reaction', act: () => sim.receiveReaction(ANA, '3EB0ANY', '❤️'), kind: 'reaction', text: '❤️' },
    { what: 'a removed reaction', act: () => sim.receiveReaction(ANA, '3EB0ANY', null), kind: 'reaction', text: null },
  ])('stores $what as kind $kind with text $text', ({ act, kind, text }) => {
    const inbound = act();
    expect(repos.messages.findByWaId(inbound.id)).toMatchObject({ direction: 'in', status: 'received', kind, text, payload: { content: inbound.content } });
  });
});

describe('recordTraffic: warm and cold', () => {
  /** A message of each kind WhatsApp delivers, as the adapter normalizes it. */
  const kinds: { what: string; content: InboundMessage['content'] }[] = [
    { what: 'a text', content: { kind: 'text', text: 'oi, chegou!' } },
    { what: 'a voice note', content: { kind: 'media', mediaType: 'audio', caption: null, mimetype: 'audio/ogg; codecs=opus' } },
    { what: 'a sticker', content: { kind: 'media', mediaType: 'sticker', caption: null, mimetype: 'image/webp' } },
    { what: 'a shared contact', content: { kind: 'contacts', contacts: [{ name: 'Bia Lima', phones: ['+55 21 98765-4321'] }] } },
    { what: 'a poll vote', content: { kind: 'poll_vote', pollMessageId: '3EB0POLL', selectedOptions: ['Sim'] } },
    { what: 'a reaction', content: { kind: 'reaction', targetMessageId: '3EB0ANY', emoji: '😍' } },
    { what: 'an edit', content: { kind: 'edit', targetMessageId: '3EB0ANY', text: 'chegou sim' } },
    { what: 'a deletion', content: { kind: 'delete', targetMessageId: '3EB0ANY' } },
    { what: 'a location', content: { kind: 'other', type: 'locationMessage' } },
  ];

  it.each(kinds)('makes a cold customer warm on $what, in the transaction that stores it', ({ content }) => {
    const channel = new FakeChannel({ state: 'open', qr: null });
    const own = recordTraffic(channel, repos, clock);
    const ownSeen = listen(own);
    const ana = repos.customers.create({ phone: ANA, details: { name: 'Ana' } }, T0);
    repos.customers.markColdRefused(ana.id, T0);
    let warmWhenHandled: number | null | undefined;
    own.handleInbound(({ customer }) => {
      warmWhenHandled = repos.customers.findById(customer!.id)!.warmAt;
    });
    clock.advance(60_000);

    channel.emit('inbound', { id: '3AWARM0000000001', phone: ANA, jid: '5511912345678@s.whatsapp.net', lid: null, timestamp: clock.now(), pushName: 'Ana', content });

    expect(warmWhenHandled).toBe(T0 + 60_000);
    expect(repos.customers.findById(ana.id)).toMatchObject({ warmAt: T0 + 60_000, coldRefusedAt: null });
    expect(ownSeen.inbound[0]?.customer).toEqual(repos.customers.findById(ana.id));
    own.detach();
  });

  it('keeps when they first wrote', () => {
    sim.receiveText(ANA, 'Oi');
    clock.advance(3_600_000);
    sim.receiveText(ANA, 'Tudo bem?');
    expect(repos.customers.findByPhone(ANA)?.warmAt).toBe(T0);
    expect(seen.inbound[1]?.customer?.warmAt).toBe(T0);
  });

  it('leaves a customer cold when only the owner typed to them from the shop\'s phone', () => {
    sim.ownerTypes(BIA, 'Oi Bia, seu pedido saiu hoje');
    expect(repos.customers.findByPhone(BIA)).toMatchObject({ warmAt: null });
  });
});

describe('recordTraffic: owner messages', () => {
  it('stores what the owner typed as an outgoing message by the owner, and passes it on', () => {
    const known = repos.customers.create({ phone: ANA, details: { name: 'Ana' } }, T0);
    clock.advance(60_000);
    const owner = sim.ownerTypes(ANA, 'Oi Ana, aqui é a dona da loja');

    const message = repos.messages.findByWaId(owner.id);
    expect(message).toMatchObject({
      customerId: known.id,
      direction: 'out',
      kind: 'text',
      text: 'Oi Ana, aqui é a dona da loja',
      status: 'sent',
      sentAt: T0 + 60_000,
      payload: { author: 'owner', content: { kind: 'text', text: 'Oi Ana, aqui é a dona da loja' }, jid: '5511912345678@s.whatsapp.net' },
    });
    expect(seen.owner).toEqual([{ owner, customer: known, message }]);
  });

  it('creates the customer, without a name, when the owner writes to a new number', () => {
    sim.ownerTypes(BIA, 'Oi!');
    expect(seen.owner).toMatchObject([{ customer: { phone: BIA, name: null } }]);
    expect(repos.customers.findByPhone(BIA)?.name).toBeNull();
  });
});

describe('recordTraffic: receipts', () => {
  it('moves a sent message forward: sent → delivered → read, with the times', async () => {
    const { waId } = await sendRecorded(ANA, 'Obrigado pela compra!');
    expect(repos.messages.findByWaId(waId)).toMatchObject({ status: 'sent', sentAt: T0, deliveredAt: null, readAt: null });

    clock.advance(2_000);
    await sim.flush();
    expect(repos.messages.findByWaId(waId)).toMatchObject({ status: 'delivered', sentAt: T0, deliveredAt: T0 + 2_000, readAt: null });

    clock.advance(60_000);
    sim.markRead(ANA);
    const read = repos.messages.findByWaId(waId);
    expect(read).toMatchObject({ status: 'read', sentAt: T0, deliveredAt: T0 + 2_000, readAt: T0 + 62_000 });
    expect(seen.receipts.map(({ receipt, message }) => [receipt.status, message.status])).toEqual([
      ['delivered', 'delivered'],
      ['read', 'read'],
    ]);
    expect(seen.receipts[1]?.message).toEqual(read);
  });

  it('fills deliveredAt when a message is read before its delivery receipt came', async () => {
    const { waId } = await sendRecorded(ANA, 'Chegou?');
    clock.advance(3_000);
    sim.markRead(ANA); // before flush: the phone reports delivered then read at once
    await sim.flush();
    expect(repos.messages.findByWaId(waId)).toMatchObject({ status: 'read', deliveredAt: T0 + 3_000, readAt: T0 + 3_000 });
  });

  it('never moves a status back: a late delivered after read changes nothing', async () => {
    const channel = new FakeChannel({ state: 'open', qr: null });
    const late = recordTraffic(channel, repos, clock);
    const customer = customerOf(ANA);
    repos.messages.record({ customerId: customer.id, direction: 'out', waId: 'W1', kind: 'text', text: 'oi', status: 'sent', sentAt: T0 }, T0);

    const receipt = (status: Receipt['status'], at: number): Receipt => ({ messageId: 'W1', status, at, errorCode: null });
    channel.emit('receipt', receipt('read', T0 + 10_000));
    const afterRead = repos.messages.findByWaId('W1');
    expect(afterRead).toMatchObject({ status: 'read', deliveredAt: T0 + 10_000, readAt: T0 + 10_000 });

    channel.emit('receipt', receipt('delivered', T0 + 20_000));
    channel.emit('receipt', receipt('failed', T0 + 30_000));
    expect(repos.messages.findByWaId('W1')).toEqual(afterRead);
    late.detach();
  });

  it("counts 'played' (a voice note listened to) as read", () => {
    const channel = new FakeChannel({ state: 'open', qr: null });
    const played = recordTraffic(channel, repos, clock);
    repos.messages.record({ customerId: customerOf(ANA).id, direction: 'out', waId: 'W2', kind: 'text', text: 'oi', status: 'delivered' }, T0);
    channel.emit('receipt', { messageId: 'W2', status: 'played', at: T0 + 1, errorCode: null });
    expect(repos.messages.findByWaId('W2')).toMatchObject({ status: 'read', readAt: T0 + 1 });
    played.detach();
  });

  it('stores the error of a failed receipt with 463 on a message already sent', async () => {
    const { waId: earlier } = await sendRecorded(ANA, 'Oi');
    sim.restrictNextSend();
    // The row is 'sent', as if the server had acknowledged the message before the 463 came.
    const { waId, result } = await sendRecorded(ANA, 'Promoção!');
    expect(result).toMatchObject({ ok: false, reason: 'restricted' });
    expect(repos.messages.findByWaId(waId)?.status).toBe('sent');

    await sim.flush();
    expect(repos.messages.findByWaId(waId)).toMatchObject({ status: 'failed', error: 'whatsapp error 463' });
    expect(seen.receipts.find((r) => r.receipt.messageId === waId)).toMatchObject({
      receipt: { status: 'failed', errorCode: 463 },
      message: { status: 'failed', error: 'whatsapp error 463' },
    });
    expect(repos.messages.findByWaId(earlier)).toMatchObject({ status: 'delivered', error: null });
  });

  it('says the code is unknown when a failed receipt has none', () => {
    const channel = new FakeChannel({ state: 'open', qr: null });
    const failed = recordTraffic(channel, repos, clock);
    repos.messages.record({ customerId: customerOf(ANA).id, direction: 'out', waId: 'W3', kind: 'text', text: 'oi', status: 'sending' }, T0);
    channel.emit('receipt', { messageId: 'W3', status: 'failed', at: T0, errorCode: null });
    expect(repos.messages.findByWaId('W3')).toMatchObject({ status: 'failed', error: 'whatsapp error unknown' });
    failed.detach();
  });

  it('ignores receipts for messages it does not hold', async () => {
    await sim.send(ANA, { kind: 'text', text: 'sent by someone else' }, { messageId: '3EB0NOTOURS' });
    await sim.flush();
    expect(seen.receipts).toEqual([]);
    expect(repos.messages.findByWaId('3EB0NOTOURS')).toBeUndefined();
  });
});

describe('recordTraffic: detach', () => {
  it('stops recording and passing on anything', async () => {
    const { waId } = await sendRecorded(ANA, 'Oi');
    traffic.detach();

    await sim.flush();
    const inbound = sim.receiveText(BIA, 'Ninguém me ouve?');
    const owner = sim.ownerTypes(BIA, 'Oi Bia');

    expect(repos.messages.findByWaId(waId)?.status).toBe('sent');
    expect(repos.messages.findByWaId(inbound.id)).toBeUndefined();
    expect(repos.messages.findByWaId(owner.id)).toBeUndefined();
    expect(repos.customers.findByPhone(BIA)).toBeUndefined();
    expect(seen).toEqual({ inbound: [], owner: [], receipts: [] });
  });

  it('removes exactly its own listeners from the channel', () => {
    const channel = new FakeChannel({ state: 'open', qr: null });
    const other = () => undefined;
    channel.on('inbound', other);
    const attached = recordTraffic(channel, repos, clock);
    expect(['inbound', 'owner-message', 'receipt'].map((e) => channel.listenerCount(e as keyof ChannelEvents))).toEqual([2, 1, 1]);
    attached.detach();
    expect(['inbound', 'owner-message', 'receipt'].map((e) => channel.listenerCount(e as keyof ChannelEvents))).toEqual([1, 0, 0]);
  });
});

describe('recordTraffic with a group commit (as the service runs it)', () => {
  let commits: number;
  let errors: unknown[];
  let grouped: RecordedTraffic;
  let order: string[];

  beforeEach(() => {
    traffic.detach();
    commits = 0;
    errors = [];
    order = [];
    // The same database, counting the outermost transactions.
    const counted: Database = {
      ...db,
      transaction: <T>(work: () => T): T => {
        if (!db.sqlite.inTransaction) commits += 1;
        return db.transaction(work);
      },
    };
    grouped = recordTraffic(sim, repos, clock, { writes: new GroupCommit(counted), onError: (error) => errors.push(error) });
    grouped
      .on('inbound', ({ inbound }) => order.push(`in:${inbound.content.kind === 'text' ? inbound.content.text : inbound.content.kind}`))
      .on('owner-message', ({ owner }) => order.push(`owner:${owner.content.kind === 'text' ? owner.content.text : owner.content.kind}`))
      .on('receipt', ({ receipt }) => order.push(`receipt:${receipt.status}`));
  });
  afterEach(() => grouped.detach());

  it('stores what arrives in one turn in one transaction, then passes it on in the order it came', async () => {
    const { waId } = await sendRecorded(ANA, 'Oi!');
    await sim.flush();
    await grouped.settled();
    order.length = 0;
    commits = 0;

    // A customer who answers has read the chat: the simulator reports the read receipt first.
    const first = sim.receiveText(ANA, 'nota 9');
    sim.ownerTypes(BIA, 'Oi Bia, tudo certo?');
    const second = sim.receiveText(BIA, 'Tudo!');
    // Not yet: the turn is not over.
    expect(repos.messages.findByWaId(first.id)).toBeUndefined();
    expect(order).toEqual([]);

    await grouped.settled();
    expect(commits).toBe(1);
    expect(order).toEqual(['receipt:read', 'in:nota 9', 'owner:Oi Bia, tudo certo?', 'in:Tudo!']);
    expect(repos.messages.findByWaId(first.id)).toMatchObject({ direction: 'in', text: 'nota 9', status: 'received' });
    expect(repos.messages.findByWaId(second.id)).toMatchObject({ customerId: repos.customers.findByPhone(BIA)!.id });
    expect(repos.messages.findByWaId(waId)?.status).toBe('read');
    expect(errors).toEqual([]);
  });

  it('runs the inbox handler inside the shared transaction, and undoes only the message whose handling failed', async () => {
    grouped.handleInbound(({ inbound, customer }) => {
      repos.customers.setTags(customer!.id, ['handled'], clock.now());
      if (inbound.content.kind === 'text' && inbound.content.text === 'quebra') throw new Error('handler failed');
    });
    const ok = sim.receiveText(ANA, 'nota 10');
    const broken = sim.receiveText(BIA, 'quebra');
    await grouped.settled();

    // Ana's message and what handling it wrote are stored; Bia's message and its writes are not.
    expect(repos.messages.findByWaId(ok.id)).toBeDefined();
    expect(repos.customers.findByPhone(ANA)?.tags).toEqual(['handled']);
    expect(repos.messages.findByWaId(broken.id)).toBeUndefined();
    expect(repos.customers.findByPhone(BIA)).toBeUndefined();
    expect(order).toEqual(['in:nota 10']);
    expect(errors).toEqual([new Error('handler failed')]);
  });

  it('stores a message WhatsApp delivered twice in the same turn once, and passes it on once', async () => {
    const message: InboundMessage = {
      id: '3A0000000000000001',
      phone: ANA,
      jid: '5511912345678@s.whatsapp.net',
      lid: null,
      timestamp: T0,
      pushName: null,
      content: { kind: 'text', text: 'duas vezes' },
    };
    const channel = new FakeChannel({ state: 'open', qr: null });
    const twice = recordTraffic(channel, repos, clock, { writes: new GroupCommit(db) });
    const inbound: string[] = [];
    twice.on('inbound', ({ message: stored }) => inbound.push(stored.waId));
    channel.emit('inbound', message);
    channel.emit('inbound', { ...message });
    await twice.settled();
    expect(inbound).toEqual([message.id]);
    expect(repos.messages.listByCustomer(repos.customers.findByPhone(ANA)!.id)).toHaveLength(1);
    twice.detach();
  });

  it('settled() also waits for what arrives while it waits', async () => {
    grouped.on('inbound', ({ inbound }) => {
      // A listener that makes the channel report more (as a reply can).
      if (inbound.content.kind === 'text' && inbound.content.text === 'primeira') sim.receiveText(BIA, 'segunda');
    });
    sim.receiveText(ANA, 'primeira');
    await grouped.settled();
    expect(order).toEqual(['in:primeira', 'in:segunda']);
  });
});
