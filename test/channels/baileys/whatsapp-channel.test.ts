import { Boom } from '@hapi/boom';
import { DisconnectReason, proto, type WAMessage } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { typingDelayMs, WhatsAppChannel, type JidCache } from '../../../src/channels/baileys/whatsapp-channel.js';
import type { ChannelState, InboundMessage, OwnerMessage, Receipt } from '../../../src/channels/channel.js';
import { ManualClock } from '../../../src/scheduler/clock.js';
import { openDatabase, type Database } from '../../../src/storage/db.js';
import { createWhatsAppStore, type WhatsAppStore } from '../../../src/storage/repositories/whatsapp.js';
import { FAKE_SHOP_PN as SHOP_PN, FakeBaileysSocket } from '../../helpers/fake-baileys-socket.js';
import { encryptPollVote } from '../../helpers/poll-vote.js';

const silent = pino({ level: 'silent' });
const SHOP_LID = '111111111111111@lid';
const ANA_PN = '5511912345678@s.whatsapp.net';
const ANA_LID = '222222222222222@lid';

/** The fake socket, with Ana on WhatsApp. */
class FakeSocket extends FakeBaileysSocket {
  override registered = new Map<string, string>([['+5511912345678', ANA_PN]]);
}

interface Harness {
  channel: WhatsAppChannel;
  sockets: FakeSocket[];
  socket: () => FakeSocket;
  scheduled: { ms: number; run: () => void; cancelled: boolean }[];
  runScheduled: () => void;
  slept: number[];
  alerts: string[];
  states: [ChannelState, string | null][];
  inbound: InboundMessage[];
  owner: OwnerMessage[];
  receipts: Receipt[];
  qrs: string[];
  jidCache: Map<string, string>;
}

let db: Database;
let store: WhatsAppStore;
let clock: ManualClock;
beforeEach(() => {
  db = openDatabase(':memory:');
  store = createWhatsAppStore(db);
  clock = new ManualClock('2026-11-20T15:00:00Z');
});
afterEach(() => db.close());

function harness(): Harness {
  const sockets: FakeSocket[] = [];
  const scheduled: Harness['scheduled'] = [];
  const jidCache = new Map<string, string>();
  const jids: JidCache = { get: (phone) => jidCache.get(phone), set: (phone, jid) => void jidCache.set(phone, jid) };
  const h: Omit<Harness, 'channel'> & { channel?: WhatsAppChannel } = {
    sockets,
    socket: () => sockets.at(-1)!,
    scheduled,
    runScheduled: () => {
      const due = scheduled.filter((task) => !task.cancelled);
      scheduled.length = 0;
      for (const task of due) task.run();
    },
    slept: [],
    alerts: [],
    states: [],
    inbound: [],
    owner: [],
    receipts: [],
    qrs: [],
    jidCache,
  };
  const channel = new WhatsAppChannel({
    store,
    jids,
    clock,
    logger: silent,
    locale: 'pt-BR',
    random: () => 0.5,
    createSocket: (config) => {
      const socket = new FakeSocket(config);
      sockets.push(socket);
      return socket;
    },
    schedule: (run, ms) => {
      const task = { ms, run, cancelled: false };
      scheduled.push(task);
      // A cancelled task leaves the list: the channel's 5-minute limits reading is cancelled at every close.
      return () => {
        task.cancelled = true;
        const at = scheduled.indexOf(task);
        if (at >= 0) scheduled.splice(at, 1);
      };
    },
    sleep: async (ms) => {
      h.slept.push(ms);
    },
    onAlert: (message) => h.alerts.push(message),
  });
  channel.on('state', (state, detail) => h.states.push([state, detail]));
  channel.on('inbound', (message) => h.inbound.push(message));
  channel.on('owner-message', (message) => h.owner.push(message));
  channel.on('receipt', (receipt) => h.receipts.push(receipt));
  channel.on('qr', (qr) => h.qrs.push(qr));
  return { ...h, channel };
}

async function linked(): Promise<Harness> {
  const h = harness();
  await h.channel.start();
  h.socket().open();
  return h;
}

function textFrom(jid: string, id: string, text: string, extra: Partial<WAMessage['key']> = {}): WAMessage {
  return {
    key: { remoteJid: jid, fromMe: false, id, ...extra },
    message: { conversation: text },
    messageTimestamp: 1_795_000_000,
    pushName: 'Ana',
  };
}

/** Lets the adapter's async handlers (LID lookups) finish. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

describe('the WhatsApp channel: connecting and linking', () => {
  it('opens a socket configured as the notes ask', async () => {
    const h = harness();
    await h.channel.start();
    const { config } = h.socket();
    expect(config).toMatchObject({ syncFullHistory: false, markOnlineOnConnect: false, browser: ['Ubuntu', 'fregues', expect.any(String)] });
    expect(config.logger).toBeDefined();
    expect(config.msgRetryCounterCache).toBeDefined();
    expect(config.shouldIgnoreJid?.('status@broadcast')).toBe(true);
    expect(config.shouldIgnoreJid?.('120363000000000000@newsletter')).toBe(true);
    expect(config.shouldIgnoreJid?.(ANA_PN)).toBe(false);
    expect(h.channel.state).toBe('connecting');
  });

  it('shows each QR as WhatsApp rotates it, then opens', async () => {
    const h = harness();
    await h.channel.start();
    h.socket().showQr('QR-1');
    expect(h.channel).toMatchObject({ state: 'qr', qr: 'QR-1' });
    h.socket().showQr('QR-2');
    expect(h.channel.qr).toBe('QR-2');
    expect(h.qrs).toEqual(['QR-1', 'QR-2']);
    h.socket().open();
    expect(h.channel).toMatchObject({ state: 'open', qr: null, stateDetail: null });
    expect(h.states.map(([state]) => state)).toEqual(['connecting', 'qr', 'open']);
  });

  it('links by pairing code while the QR is up, with the digits of the number', async () => {
    const h = harness();
    await h.channel.start();
    // Coded, so the pages say it in the seller's language (issue 20: it read "pairing needs the QR step: …").
    await expect(h.channel.requestPairingCode('+5511900000000')).rejects.toMatchObject({ name: 'LinkRefusedError', linkRefusal: 'not_linking' });
    h.socket().showQr('QR-1');
    expect(await h.channel.requestPairingCode('+5511900000000')).toBe('ABCD1234');
    expect(h.socket().pairingRequests).toEqual(['5511900000000']);
    h.socket().open();
    await expect(h.channel.requestPairingCode('+5511900000000')).rejects.toMatchObject({ linkRefusal: 'already_linked' });
  });

  it('keeps creds on every creds.update, so a restart reconnects without a new QR', async () => {
    const h = harness();
    await h.channel.start();
    const creds = h.socket().authState.creds;
    creds.registered = true;
    creds.me = { id: '5511900000000:7@s.whatsapp.net', name: 'Loja' };
    h.socket().ev.emit('creds.update', { registered: true, me: creds.me });
    await h.channel.stop();

    const restarted = harness();
    await restarted.channel.start();
    expect(restarted.socket().config.auth.creds).toMatchObject({ registered: true, me: { id: '5511900000000:7@s.whatsapp.net' } });
    expect(Buffer.from(restarted.socket().config.auth.creds.noiseKey.private)).toEqual(Buffer.from(creds.noiseKey.private));
  });

  it('reconnects with a new socket at once after 515, and ignores the old one', async () => {
    const h = await linked();
    const old = h.socket();
    old.close(DisconnectReason.restartRequired);
    expect(h.scheduled.map((task) => task.ms)).toEqual([0]);
    h.runScheduled();
    expect(h.sockets).toHaveLength(2);
    expect(h.socket()).not.toBe(old);
    expect(old.ended).toBe(true);
    old.open(); // a dead socket's late event
    expect(h.channel.state).toBe('connecting');
    h.socket().open();
    expect(h.channel.state).toBe('open');
  });

  it.each([DisconnectReason.connectionClosed, DisconnectReason.connectionLost, DisconnectReason.badSession, DisconnectReason.unavailableService, undefined])(
    'backs off after %s, longer each time, and starts over once open',
    async (status) => {
      const h = await linked();
      h.socket().close(status);
      h.runScheduled();
      h.socket().close(status);
      h.runScheduled();
      h.socket().close(status);
      expect(h.scheduled.map((task) => task.ms)).toEqual([3_000]);
      h.runScheduled();
      h.socket().open();
      h.socket().close(status);
      expect(h.scheduled.map((task) => task.ms)).toEqual([750]);
      expect(h.channel.state).toBe('connecting');
    },
  );

  it.each([
    [DisconnectReason.loggedOut, 'O aparelho foi desconectado no celular'],
    [DisconnectReason.multideviceMismatch, 'A sessão salva não vale mais'],
  ])('after %s forgets the session and goes back to a new QR', async (status, detail) => {
    const h = await linked();
    h.socket().authState.creds.registered = true;
    h.socket().ev.emit('creds.update', { registered: true });
    expect(store.readCreds()).toBeDefined();
    h.socket().close(status);
    expect(h.channel.state).toBe('logged_out');
    expect(h.channel.stateDetail).toContain(detail);
    expect(store.readCreds()).toBeUndefined();
    h.runScheduled();
    expect(h.socket().config.auth.creds.registered).toBe(false);
    h.socket().showQr('NEW-QR');
    expect(h.channel.state).toBe('qr');
  });

  it.each([
    [DisconnectReason.forbidden, 'banned', 'banido', true],
    [DisconnectReason.connectionReplaced, 'closed', 'Outro processo está usando esta sessão', false],
    [405, 'closed', 'versão do WhatsApp Web', false],
  ] as const)('stops after %s (%s), says why, alerts, and does not reconnect', async (status, state, detail, breaks) => {
    const h = await linked();
    h.socket().close(status);
    expect(h.channel.state).toBe(state);
    expect(h.channel.stateDetail).toContain(detail);
    expect(h.scheduled).toEqual([]);
    expect(h.alerts).toEqual([expect.stringContaining(detail)]);
    expect(h.channel.breaker.open).toBe(breaks);
    expect(await h.channel.send('+5511912345678', { kind: 'text', text: 'Oi' }, { messageId: 'M1' })).toMatchObject({ ok: false });
  });

  it('unlinks on logout: tells WhatsApp, forgets the session, shows a new QR', async () => {
    const h = await linked();
    h.socket().ev.emit('creds.update', {});
    const old = h.socket();
    await h.channel.logout();
    expect(old.loggedOut).toBe(true);
    expect(store.readCreds()).toBeUndefined();
    expect(h.channel.state).toBe('logged_out');
    h.runScheduled();
    expect(h.sockets).toHaveLength(2);
  });

  it('stops cleanly: ends the socket and reconnects no more', async () => {
    const h = await linked();
    const socket = h.socket();
    await h.channel.stop();
    expect(socket.ended).toBe(true);
    expect(h.channel.state).toBe('closed');
    socket.close(DisconnectReason.connectionClosed);
    expect(h.scheduled).toEqual([]);
  });

  it('keeps a reach-out time lock in its limits and leaves the breaker closed (issue 18: the governor holds cold sends, warm ones go on)', async () => {
    // Until issue 18 the lock opened the breaker and stopped every send until a person resumed.
    const h = await linked();
    h.socket().ev.emit('connection.update', { reachoutTimeLock: { isActive: true } });
    expect(h.channel.limits.lock).toEqual({ active: true, endsAt: null, kind: null, readAt: clock.now() });
    expect(h.channel.breaker.open).toBe(false);
    expect(h.alerts).toEqual([]);
  });
});

describe('the WhatsApp channel: sending', () => {
  it('finds the canonical JID once, shows typing for a while, and sends with the pre-assigned id', async () => {
    const h = await linked();
    const result = await h.channel.send('+5511912345678', { kind: 'text', text: 'Obrigado pela compra!' }, { messageId: '3EB0AAA' });
    expect(result).toEqual({ ok: true, messageId: '3EB0AAA', jid: ANA_PN, sentAt: clock.now(), keep: null });
    expect(h.socket().onWhatsAppCalls).toEqual(['+5511912345678']);
    expect(h.jidCache.get('+5511912345678')).toBe(ANA_PN);
    expect(h.socket().presence).toEqual([
      { type: 'composing', jid: ANA_PN },
      { type: 'paused', jid: ANA_PN },
    ]);
    expect(h.slept).toEqual([typingDelayMs('Obrigado pela compra!')]);
    expect(h.socket().sent).toEqual([{ jid: ANA_PN, content: { text: 'Obrigado pela compra!' }, messageId: '3EB0AAA' }]);

    await h.channel.send('+5511912345678', { kind: 'text', text: 'De novo' }, { messageId: '3EB0BBB' });
    expect(h.socket().onWhatsAppCalls).toHaveLength(1);
  });

  it('types for longer for longer texts, within bounds', () => {
    expect(typingDelayMs('Oi')).toBe(1_000);
    expect(typingDelayMs('x'.repeat(50))).toBe(2_600);
    expect(typingDelayMs('x'.repeat(1000))).toBe(6_000);
  });

  it('answers not_on_whatsapp, disconnected and failed without guessing', async () => {
    const h = harness();
    await h.channel.start();
    expect(await h.channel.send('+5511912345678', { kind: 'text', text: 'Oi' }, { messageId: 'A' })).toMatchObject({ ok: false, reason: 'disconnected' });
    h.socket().open();
    expect(await h.channel.send('+5521998765432', { kind: 'text', text: 'Oi' }, { messageId: 'B' })).toMatchObject({ ok: false, reason: 'not_on_whatsapp' });
    h.socket().sendError = new Error('stream errored out');
    expect(await h.channel.send('+5511912345678', { kind: 'text', text: 'Oi' }, { messageId: 'C' })).toMatchObject({ ok: false, reason: 'failed' });
    expect(h.channel.breaker.open).toBe(false);
  });

  it('never retries a 463: the breaker opens until someone resumes', async () => {
    const h = await linked();
    h.socket().sendError = new Boom('account restricted', { statusCode: 463 });
    expect(await h.channel.send('+5511912345678', { kind: 'text', text: 'Oi' }, { messageId: 'A' })).toMatchObject({ ok: false, reason: 'restricted' });
    expect(h.channel.breaker).toMatchObject({ open: true, reason: 'restricted' });
    expect(h.alerts).toEqual([expect.stringContaining('463')]);
    h.socket().sendError = undefined;
    expect(await h.channel.send('+5511912345678', { kind: 'text', text: 'Oi' }, { messageId: 'B' })).toMatchObject({ ok: false, reason: 'breaker_open' });
    expect(h.socket().sent).toHaveLength(1);
    h.channel.resumeSending();
    expect(await h.channel.send('+5511912345678', { kind: 'text', text: 'Oi' }, { messageId: 'C' })).toMatchObject({ ok: true });
  });

  it('serves a sent message back to Baileys by id (getMessage) for retries', async () => {
    const h = await linked();
    await h.channel.send('+5511912345678', { kind: 'text', text: 'Guardada' }, { messageId: '3EB0KEEP' });
    const getMessage = h.socket().config.getMessage!;
    expect(await getMessage({ id: '3EB0KEEP', remoteJid: ANA_LID })).toMatchObject({ extendedTextMessage: { text: 'Guardada' } });
    expect(await getMessage({ id: 'UNKNOWN' })).toBeUndefined();
  });
});

describe('the WhatsApp channel: receiving', () => {
  it('emits an inbound text once, even when WhatsApp delivers it twice (notify, then append)', async () => {
    const h = await linked();
    h.socket().receive([textFrom(ANA_PN, '3A01', 'nota 9, mas atrasou')]);
    h.socket().receive([textFrom(ANA_PN, '3A01', 'nota 9, mas atrasou')], 'append');
    await settle();
    expect(h.inbound).toEqual([
      expect.objectContaining({ id: '3A01', phone: '+5511912345678', jid: ANA_PN, pushName: 'Ana', content: { kind: 'text', text: 'nota 9, mas atrasou' } }),
    ]);
  });

  it('handles messages that arrived while offline (append) like new ones', async () => {
    const h = await linked();
    h.socket().receive([textFrom(ANA_PN, '3A02', 'oi, tem novidade?')], 'append');
    await settle();
    expect(h.inbound.map((message) => message.id)).toEqual(['3A02']);
  });

  it('resolves a LID sender by remoteJidAlt, then by the mapping it learned', async () => {
    const h = await linked();
    h.socket().receive([textFrom(ANA_LID, '3A03', 'primeira', { remoteJidAlt: ANA_PN, addressingMode: 'lid' })]);
    h.socket().receive([textFrom(ANA_LID, '3A04', 'segunda', { addressingMode: 'lid' })]);
    await settle();
    expect(h.inbound.map((message) => [message.id, message.phone, message.lid])).toEqual([
      ['3A03', '+5511912345678', ANA_LID],
      ['3A04', '+5511912345678', ANA_LID],
    ]);
    expect(store.phoneOfLid(ANA_LID)).toBe('+5511912345678');
  });

  it("asks Baileys' LID mapping when nothing else knows the LID", async () => {
    const h = await linked();
    h.socket().lids.set(ANA_LID, '5511912345678:2@s.whatsapp.net');
    h.socket().receive([textFrom(ANA_LID, '3A05', 'oi', { addressingMode: 'lid' })]);
    await settle();
    expect(h.inbound[0]).toMatchObject({ phone: '+5511912345678', lid: ANA_LID });
  });

  it('learns LIDs from lid-mapping.update, history and contacts, but never acts on history', async () => {
    const h = await linked();
    h.socket().ev.emit('lid-mapping.update', { lid: ANA_LID, pn: ANA_PN });
    h.socket().ev.emit('messaging-history.set', {
      chats: [],
      contacts: [{ id: '333333333333333@lid', phoneNumber: '5521998765432@s.whatsapp.net' }],
      messages: [textFrom(ANA_PN, '3AOLD', 'mensagem antiga')],
      lidPnMappings: [{ lid: '444444444444444@lid', pn: '5531987654321@s.whatsapp.net' }],
      isLatest: true,
    });
    h.socket().ev.emit('contacts.upsert', [{ id: '555555555555555@lid', phoneNumber: '5541987654321@s.whatsapp.net' }]);
    await settle();
    expect(h.inbound).toEqual([]);
    expect([ANA_LID, '333333333333333@lid', '444444444444444@lid', '555555555555555@lid'].map((lid) => store.phoneOfLid(lid))).toEqual([
      '+5511912345678',
      '+5521998765432',
      '+5531987654321',
      '+5541987654321',
    ]);
  });

  it("tells the owner's own messages from the bot's echoes", async () => {
    const h = await linked();
    await h.channel.send('+5511912345678', { kind: 'text', text: 'Do robô' }, { messageId: '3EB0BOT' });
    h.socket().receive([
      { key: { remoteJid: ANA_PN, fromMe: true, id: '3EB0BOT' }, message: { conversation: 'Do robô' }, messageTimestamp: 1_795_000_000 },
      { key: { remoteJid: ANA_PN, fromMe: true, id: '3EB0HUMAN' }, message: { conversation: 'Oi Ana, aqui é a dona' }, messageTimestamp: 1_795_000_001 },
    ]);
    await settle();
    expect(h.owner).toEqual([expect.objectContaining({ id: '3EB0HUMAN', phone: '+5511912345678', content: { kind: 'text', text: 'Oi Ana, aqui é a dona' } })]);
    expect(h.inbound).toEqual([]);
  });

  it('skips groups, status, newsletters and messages that failed to decrypt', async () => {
    const h = await linked();
    h.socket().receive([
      textFrom('120363000000000000@g.us', 'G1', 'grupo', { participant: ANA_PN }),
      textFrom('status@broadcast', 'S1', 'status'),
      textFrom('120363000000000001@newsletter', 'N1', 'canal'),
      { key: { remoteJid: ANA_PN, fromMe: false, id: 'C1' }, messageStubType: proto.WebMessageInfo.StubType.CIPHERTEXT, messageTimestamp: 1 },
    ]);
    await settle();
    expect(h.inbound).toEqual([]);
  });

  it('skips a message it cannot read, without a throw that would end the process, and reads the rest of the batch', async () => {
    // Found by the fuzz suite (test/fuzz/baileys.fuzz.test.ts): a message without a key, or with
    // a number where a JID or a vCard should be, threw in a handler Baileys does not await.
    const escaped: unknown[] = [];
    const onEscaped = (error: unknown) => escaped.push(error);
    process.on('unhandledRejection', onEscaped);
    try {
      const h = await linked();
      h.socket().receive([
        { message: { conversation: 'sem chave' } } as unknown as WAMessage,
        { key: { remoteJid: 5511912345678 as unknown as string, fromMe: false, id: 'B1' }, message: { conversation: 'jid numérico' } },
        { key: { remoteJid: ANA_PN, fromMe: false, id: 'B2' }, message: { contactMessage: { vcard: 42 as unknown as string } } },
        textFrom(ANA_PN, 'B3', 'esta chega'),
      ]);
      await settle();
      await new Promise((resolve) => setImmediate(resolve));
      expect(h.inbound.map((message) => message.id)).toEqual(['B3']);
      expect(escaped).toEqual([]);
    } finally {
      process.off('unhandledRejection', onEscaped);
    }
  });

  it('turns receipts into delivered / read / failed, and a 463 opens the breaker', async () => {
    const h = await linked();
    const update = (status: number, extra: object = {}) => ({ key: { remoteJid: ANA_PN, fromMe: true, id: '3EB0R' }, update: { status, ...extra } });
    h.socket().ev.emit('messages.update', [
      update(proto.WebMessageInfo.Status.SERVER_ACK),
      update(proto.WebMessageInfo.Status.DELIVERY_ACK),
      update(proto.WebMessageInfo.Status.READ),
    ]);
    expect(h.receipts.map((receipt) => receipt.status)).toEqual(['delivered', 'read']);
    h.socket().ev.emit('messages.update', [update(proto.WebMessageInfo.Status.ERROR, { messageStubParameters: ['463', 'Your account has been restricted'] })]);
    expect(h.receipts.at(-1)).toMatchObject({ status: 'failed', errorCode: 463 });
    expect(h.channel.breaker).toMatchObject({ open: true, reason: 'restricted' });
  });

  it('skips a receipt or a contact it cannot read without throwing into Baileys, and reads the rest', async () => {
    // Found by the fuzz suite: an update without its key, or a contacts event that is not a
    // list, threw inside Baileys' own processing of what WhatsApp sent.
    const h = await linked();
    const ev = h.socket().ev;
    expect(() =>
      ev.emit('messages.update', [
        {} as never,
        { key: { remoteJid: ANA_PN, fromMe: true, id: '3EB0S' }, update: null } as never,
        { key: { remoteJid: ANA_PN, fromMe: true, id: '3EB0S' }, update: { status: proto.WebMessageInfo.Status.READ } },
      ]),
    ).not.toThrow();
    expect(() => ev.emit('messages.update', 'not a list' as never)).not.toThrow();
    expect(() => ev.emit('contacts.upsert', { id: ANA_PN } as never)).not.toThrow();
    expect(() => ev.emit('lid-mapping.update', null as never)).not.toThrow();
    expect(() => ev.emit('messaging-history.set', { lidPnMappings: 7, contacts: null, chats: [], messages: [], isLatest: true } as never)).not.toThrow();
    expect(h.receipts).toEqual([expect.objectContaining({ messageId: '3EB0S', status: 'read' })]);
  });

  it('understands a vote on a poll it sent, whether the voter comes by phone or by LID', async () => {
    const h = await linked();
    const options = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    const sent = await h.channel.send('+5511912345678', { kind: 'poll', question: 'De 0 a 10?', options }, { messageId: '3EB0POLL' });
    expect(sent).toMatchObject({ ok: true, keep: { pollOptions: options } });
    const stored = store.readSent('3EB0POLL');
    expect(stored?.isPoll).toBe(true);

    const secret = (await h.socket().config.getMessage!({ id: '3EB0POLL' }))?.messageContextInfo?.messageSecret as Uint8Array;
    expect(secret).toBeDefined();
    const vote = (voterJid: string, id: string, key: object, creatorJid = SHOP_PN) => ({
      key: { remoteJid: voterJid, fromMe: false, id, ...key },
      message: {
        pollUpdateMessage: {
          pollCreationMessageKey: { remoteJid: ANA_PN, fromMe: true, id: '3EB0POLL' },
          vote: encryptPollVote({ selected: ['9'], secret, pollMsgId: '3EB0POLL', creatorJid, voterJid }),
          senderTimestampMs: 1_795_000_000_000,
        },
      },
      messageTimestamp: 1_795_000_000,
    });
    h.socket().receive([vote(ANA_PN, '3AV1', {})]);
    // A client that addresses both sides by LID encrypts with the LID forms.
    h.socket().receive([vote(ANA_LID, '3AV2', { remoteJidAlt: ANA_PN }, SHOP_LID)]);
    await settle();
    expect(h.inbound.map((message) => message.content)).toEqual([
      { kind: 'poll_vote', pollMessageId: '3EB0POLL', selectedOptions: ['9'] },
      { kind: 'poll_vote', pollMessageId: '3EB0POLL', selectedOptions: ['9'] },
    ]);
  });
});
