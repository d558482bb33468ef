import type { WAMessage } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { phoneFromJid, WhatsAppChannel } from '../../../src/channels/baileys/whatsapp-channel.js';
import type { InboundMessage, OwnerMessage } from '../../../src/channels/channel.js';
import { canonicalPhone } from '../../../src/domain/phone.js';
import { ManualClock } from '../../../src/scheduler/clock.js';
import { openDatabase, type Database } from '../../../src/storage/db.js';
import { createWhatsAppStore, type WhatsAppStore } from '../../../src/storage/repositories/whatsapp.js';
import { FakeBaileysSocket } from '../../helpers/fake-baileys-socket.js';

// Every way WhatsApp addresses a Brazilian mobile, as WAMessageKey carries it in Baileys 7.0.0-rc14
// (remoteJid, remoteJidAlt, addressingMode; Types/Message.d.ts), resolves to the one canonical
// number. The 12-digit form is how WhatsApp still addresses many mobiles from before the ninth digit
// (adiwajshing/Baileys #1997; Evolution API's documentation samples answer onWhatsApp with it).

const CANONICAL = '+5531999668527';
const LID = '204857392011434@lid';

let db: Database;
let store: WhatsAppStore;
let channel: WhatsAppChannel;
let socket: FakeBaileysSocket;
let inbound: InboundMessage[];
let owner: OwnerMessage[];

beforeEach(async () => {
  db = openDatabase(':memory:');
  store = createWhatsAppStore(db);
  inbound = [];
  owner = [];
  channel = new WhatsAppChannel({
    store,
    jids: { get: () => undefined, set: () => undefined },
    clock: new ManualClock('2026-11-20T15:00:00Z'),
    logger: pino({ level: 'silent' }),
    locale: 'pt-BR',
    createSocket: (config) => {
      socket = new FakeBaileysSocket(config);
      return socket;
    },
    schedule: () => () => undefined,
    sleep: async () => undefined,
  });
  channel.on('inbound', (message) => inbound.push(message));
  channel.on('owner-message', (message) => owner.push(message));
  await channel.start();
  socket.open();
});
afterEach(async () => {
  await channel.stop();
  db.close();
});

let serial = 0;
function message(key: WAMessage['key']): WAMessage {
  serial += 1;
  return { key: { fromMe: false, id: `3A0000000000000${serial}`, ...key }, message: { conversation: 'oi' }, messageTimestamp: 1_795_000_000, pushName: 'Ana' };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('the address forms of one Brazilian mobile', () => {
  it.each<[string, WAMessage['key']]>([
    ['the 13-digit phone JID', { remoteJid: '5531999668527@s.whatsapp.net', addressingMode: 'pn' }],
    ['the 12-digit JID, without the ninth digit', { remoteJid: '553199668527@s.whatsapp.net' }],
    ['the 13-digit JID with a device suffix', { remoteJid: '5531999668527:12@s.whatsapp.net' }],
    ['the 12-digit JID with a device suffix', { remoteJid: '553199668527:3@s.whatsapp.net' }],
    ['a LID whose remoteJidAlt is the 13-digit JID', { remoteJid: LID, remoteJidAlt: '5531999668527@s.whatsapp.net', addressingMode: 'lid' }],
    ['a LID whose remoteJidAlt is the 12-digit JID', { remoteJid: LID, remoteJidAlt: '553199668527@s.whatsapp.net', addressingMode: 'lid' }],
    ['a LID whose remoteJidAlt is the 12-digit JID with a device', { remoteJid: LID, remoteJidAlt: '553199668527:7@s.whatsapp.net', addressingMode: 'lid' }],
  ])('%s is the customer %s', async (_what, key) => {
    socket.receive([message(key)]);
    await settle();
    expect(inbound.map((m) => m.phone)).toEqual([CANONICAL]);
  });

  it.each<[string, string]>([
    ["Baileys' own mapping gives the 12-digit JID with a device", '553199668527:12@s.whatsapp.net'],
    ["Baileys' own mapping gives the 13-digit JID", '5531999668527@s.whatsapp.net'],
  ])('a LID alone: %s', async (_what, pn) => {
    socket.lids.set(LID, pn);
    socket.receive([message({ remoteJid: LID, addressingMode: 'lid' })]);
    await settle();
    expect(inbound.map((m) => m.phone)).toEqual([CANONICAL]);
    // And what it learned is kept in the canonical form.
    expect(store.phoneOfLid(LID)).toBe(CANONICAL);
  });

  it("a LID alone, from a mapping the project's table learned in the 12-digit form before the fix", async () => {
    store.rememberLids([{ lid: LID, phone: '+553199668527' }], 0);
    socket.receive([message({ remoteJid: LID, addressingMode: 'lid' })]);
    await settle();
    expect(inbound.map((m) => m.phone)).toEqual([CANONICAL]);
  });

  it("the owner's own message in the 12-digit chat is about the canonical customer", async () => {
    socket.receive([{ ...message({ remoteJid: '553199668527@s.whatsapp.net' }), key: { remoteJid: '553199668527@s.whatsapp.net', fromMe: true, id: '3EB0OWNERMESSAGE0001' } }]);
    await settle();
    expect(owner.map((m) => m.phone)).toEqual([CANONICAL]);
  });
});

describe('the rule is applied only where it is right', () => {
  it.each<[string, string]>([
    ['553199668527@s.whatsapp.net', '+5531999668527'], // Belo Horizonte mobile, old form
    ['551187654321@s.whatsapp.net', '+5511987654321'], // São Paulo
    ['559196123456@s.whatsapp.net', '+5591996123456'], // Belém, subscriber starting 6
    ['556171234567@s.whatsapp.net', '+5561971234567'], // Brasília, starting 7
    ['551133334444@s.whatsapp.net', '+551133334444'], // São Paulo landline: 2-5 never took the 9
    ['553132221111@s.whatsapp.net', '+553132221111'], // Belo Horizonte landline
    ['552087654321@s.whatsapp.net', '+552087654321'], // 20 is no Brazilian area code
    ['551087654321@s.whatsapp.net', '+551087654321'], // nor is 10
    ['5531999668527@s.whatsapp.net', '+5531999668527'], // already 13 digits
    ['351912345678@s.whatsapp.net', '+351912345678'], // Portugal, 12 digits
    ['14155550123@s.whatsapp.net', '+14155550123'], // United States
    ['5411987654321@s.whatsapp.net', '+5411987654321'], // Argentina
  ])('%s is %s', (jid, phone) => {
    expect(phoneFromJid(jid)).toBe(phone);
  });

  it('canonicalPhone leaves what it does not know alone', () => {
    for (const phone of ['', '+55', '+5531', '+55319966852', '+5531996685270', 'not a phone', '+553199668527x']) expect(canonicalPhone(phone)).toBe(phone);
  });
});
