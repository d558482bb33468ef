import { Writable } from 'node:stream';
import { proto, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleCore } from '../../src/assemble-core.js';
import { customerJidCache } from '../../src/channels/baileys/jid-cache.js';
import { WhatsAppChannel } from '../../src/channels/baileys/whatsapp-channel.js';
import { loadConfig } from '../../src/config.js';
import { purchaseReader } from '../../src/intake/purchase-input.js';
import { recordPurchase } from '../../src/intake/record-purchase.js';
import { loggerOptions } from '../../src/logger.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase } from '../../src/storage/db.js';
import { createWhatsAppStore } from '../../src/storage/repositories/whatsapp.js';
import { FAKE_SHOP_PN as SHOP_PN, FakeBaileysSocket } from '../helpers/fake-baileys-socket.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { fuzzParameters, fuzzRuns, Tally } from './support/fuzz-run.js';
import { hostileJson, hostileString, hugeOrOddNumber, PHONE_LIKE, SQL_LOOKING, UNICODE_EDGES } from './support/hostile.js';

// Issue 8: random Baileys-shaped inbound messages (every message type, wrappers, missing fields,
// nulls, wrong types, unknown types) through the adapter's messages.upsert, into the record
// (recordTraffic) and the inbox (answers, opt-outs, handoffs), on a real in-memory database, as
// the assembly wires them: no exception escapes, and every well-formed text from a known customer
// is stored once, from that customer, with its text, however often WhatsApp delivers it.

// ---------------------------------------------------------------- the service's inbound path, as the assembly wires it

const NOW = Date.parse('2026-11-10T13:00:00Z');
const clock = new ManualClock(NOW);
const db = openDatabase(':memory:');
const store = createWhatsAppStore(db);
const logLines: string[] = [];
const storageErrors: { stack?: string }[] = [];
const logger = pino(
  // debug: the adapter says why it skipped each message.
  loggerOptions('debug'),
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString();
      logLines.push(line);
      const parsed = JSON.parse(line) as { msg?: string; err?: { stack?: string } };
      if (parsed.msg === 'what WhatsApp reported could not be stored') storageErrors.push(parsed.err ?? {});
      done();
    },
  }),
);
const config = loadConfig({ SHOP_NAME: 'Café da Serra', OWNER_PHONE: '+5511900001111', LOG_LEVEL: 'info' }, '/tmp/fregues-fuzz');
const sockets: FakeBaileysSocket[] = [];
let whatsapp: WhatsAppChannel | undefined;
const core = await assembleCore({
  config,
  db,
  clock,
  flows: SHIPPED_FLOWS,
  logger,
  random: () => 0.5,
  channel: ({ repos }) =>
    (whatsapp = new WhatsAppChannel({
      store,
      jids: customerJidCache(repos.customers, clock),
      clock,
      logger,
      locale: 'pt-BR',
      random: () => 0.5,
      createSocket: (socketConfig) => {
        const socket = new FakeBaileysSocket(socketConfig);
        // Every number is on WhatsApp; Baileys' own mapping knows every known customer's LID.
        socket.registered = 'everyone';
        socket.lids = lidPhones;
        sockets.push(socket);
        return socket;
      },
      schedule: () => () => {},
      sleep: async () => {},
    })),
});
const { repos, traffic, flows: services } = core;
const channel = whatsapp!;

const escaped: unknown[] = [];
const onEscaped = (error: unknown) => escaped.push(error);
process.on('unhandledRejection', onEscaped);
process.on('uncaughtException', onEscaped);
afterAll(async () => {
  process.off('unhandledRejection', onEscaped);
  process.off('uncaughtException', onEscaped);
  await core.close();
});

// Known customers: each bought, so the flows run for them; some are known by LID too.
const KNOWN = Array.from({ length: 12 }, (_, index) => ({ phone: `+5511912${String(340_000 + index).padStart(6, '0')}`, lid: `${200_000_000_000_000 + index}@lid` }));
const lidPhones = new Map(KNOWN.map((customer) => [customer.lid, `${customer.phone.slice(1)}@s.whatsapp.net`]));
const read = purchaseReader({ locale: 'pt-BR', defaultCountry: 'BR', currency: 'BRL', clock });
for (const [index, customer] of KNOWN.entries()) {
  const input = read({ externalId: `fuzz-${index}`, customer: { phone: customer.phone, name: `Cliente ${index}` }, items: [{ name: 'Café especial 250 g', unitPrice: '39.90' }] });
  if (!input.ok) throw new Error(JSON.stringify(input.issues));
  recordPurchase(repos, input.value, clock.now(), (buyer, purchase) => services.runner.enrollForPurchase(buyer, purchase));
}
store.rememberLids(KNOWN.slice(0, 6).map((customer) => ({ lid: customer.lid, phone: customer.phone })), clock.now());
await channel.start();
const socket = sockets.at(-1)!;
socket.user = { id: '5511900000000:7@s.whatsapp.net', lid: '111111111111111:7@lid' };
socket.ev.emit('connection.update', { connection: 'open' });
// Eight days on: thanks, tip and the NPS poll went out; their questions wait for answers.
await services.scheduler.travel(clock, NOW + 8 * 86_400_000);
await traffic.settled();
const customerIds = new Map(KNOWN.map((customer) => [customer.phone, repos.customers.findByPhone(customer.phone)!.id]));
const sentIds = db.sqlite.prepare("SELECT wa_id FROM messages WHERE direction = 'out' AND wa_id IS NOT NULL").pluck().all() as string[];
const pollIds = db.sqlite.prepare('SELECT wa_id FROM whatsapp_sent WHERE is_poll = 1').pluck().all() as string[];

// ---------------------------------------------------------------- messages

const digitsOf = (phone: string) => phone.slice(1);

/** Chat addresses of every kind: customers by phone and LID, strangers, groups, broadcasts, newsletters, junk. */
const anyJid = fc.oneof(
  { arbitrary: fc.constantFrom(...KNOWN.map((customer) => `${digitsOf(customer.phone)}@s.whatsapp.net`), ...KNOWN.map((customer) => customer.lid)), weight: 4 },
  { arbitrary: fc.integer({ min: 10_000_000, max: 999_999_999_999_999 }).map((digits) => `${digits}@s.whatsapp.net`), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 999_999_999_999_999 }).map((digits) => `9${digits}@lid`), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      '120363000000000000@g.us',
      'status@broadcast',
      '1234@broadcast',
      '120363000000000000@newsletter',
      SHOP_PN,
      '111111111111111@lid',
      '5511900000000:7@s.whatsapp.net',
      '@s.whatsapp.net',
      '@lid',
      's.whatsapp.net',
      '0@s.whatsapp.net',
      '5511912340000:99@s.whatsapp.net',
      '5511912340000@c.us',
      'bot@bot',
      '12345@call',
      ':@:',
      '',
    ),
    weight: 2,
  },
  { arbitrary: hostileString(80), weight: 1 },
);

const anyText = fc.oneof(
  { arbitrary: fc.constantFrom('10', 'nota 9, mas a entrega atrasou', 'SAIR', 'VOLTAR', 'quero falar com alguém', 'sim', 'não', '0', '7', '👍', 'obrigado!', 'Pare', 'STOP'), weight: 3 },
  { arbitrary: hostileString(500), weight: 3 },
  { arbitrary: fc.constantFrom(...SQL_LOOKING, ...UNICODE_EDGES, ...PHONE_LIKE), weight: 1 },
);

/** Anything at all where a field is: mostly the usual type, or null, or anything (protobuf decoding never gives a wrong type; the fuzz does). */
const wrongOr = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary, weight: 12 }, { arbitrary: fc.constantFrom(null, undefined), weight: 1 }, { arbitrary: hostileJson(), weight: 1 });

/** An object with some of the fields (none to `max`), so that each message is of one or a few types, as real ones are. */
function someOf(fields: Record<string, fc.Arbitrary<unknown>>, max: number): fc.Arbitrary<Record<string, unknown>> {
  return fc.subarray(Object.keys(fields), { minLength: 1, maxLength: max }).chain((names) => fc.record(Object.fromEntries(names.map((name) => [name, fields[name]!]))));
}

const vcard = fc
  .tuple(hostileString(40), fc.array(fc.oneof(fc.constantFrom(...PHONE_LIKE), hostileString(20)), { maxLength: 3 }), fc.boolean(), fc.constantFrom('\n', '\r\n', '\r\n '))
  .map(([name, phones, waid, newline]) =>
    ['BEGIN:VCARD', 'VERSION:3.0', `FN:${name}`, ...phones.map((phone) => (waid ? `TEL;type=CELL;waid=${phone.replace(/\D/g, '')}:${phone}` : `TEL:${phone}`)), 'END:VCARD'].join(newline),
  );
const anyVcard = fc.oneof(vcard, hostileString(200));

const messageKeyRef = fc.record({ remoteJid: wrongOr(anyJid), fromMe: wrongOr(fc.boolean()), id: wrongOr(fc.oneof(fc.constantFrom(...sentIds.slice(0, 20), ...pollIds), hostileString(30))) }, { requiredKeys: [] });
const bytes = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constant(new Uint8Array(0)));

/** Message content: every type the adapter reads, the wrappers around them, unknown types, and junk. */
const { content } = fc.letrec<{ content: unknown; inner: unknown }>((tie) => ({
  inner: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(null, undefined), tie('content')),
  content: someOf(
    {
      conversation: wrongOr(anyText),
      extendedTextMessage: wrongOr(fc.record({ text: wrongOr(anyText), contextInfo: wrongOr(fc.record({ stanzaId: wrongOr(hostileString(30)), participant: wrongOr(anyJid) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
      imageMessage: wrongOr(fc.record({ caption: wrongOr(anyText), mimetype: wrongOr(fc.constantFrom('image/jpeg', 'image/webp', '', 'x')), url: wrongOr(hostileString(60)) }, { requiredKeys: [] })),
      videoMessage: wrongOr(fc.record({ caption: wrongOr(anyText), mimetype: wrongOr(hostileString(20)) }, { requiredKeys: [] })),
      audioMessage: wrongOr(fc.record({ mimetype: wrongOr(fc.constantFrom('audio/ogg; codecs=opus', '')), ptt: wrongOr(fc.boolean()) }, { requiredKeys: [] })),
      documentMessage: wrongOr(fc.record({ caption: wrongOr(anyText), fileName: wrongOr(hostileString(40)) }, { requiredKeys: [] })),
      stickerMessage: wrongOr(fc.record({ mimetype: wrongOr(fc.constant('image/webp')) }, { requiredKeys: [] })),
      ptvMessage: wrongOr(fc.record({ caption: wrongOr(anyText) }, { requiredKeys: [] })),
      locationMessage: wrongOr(fc.record({ degreesLatitude: wrongOr(fc.double()), degreesLongitude: wrongOr(fc.double()), name: wrongOr(hostileString(30)) }, { requiredKeys: [] })),
      contactMessage: wrongOr(fc.record({ displayName: wrongOr(hostileString(40)), vcard: wrongOr(anyVcard) }, { requiredKeys: [] })),
      contactsArrayMessage: wrongOr(fc.record({ displayName: wrongOr(hostileString(40)), contacts: wrongOr(fc.array(wrongOr(fc.record({ displayName: wrongOr(hostileString(40)), vcard: wrongOr(anyVcard) }, { requiredKeys: [] })), { maxLength: 4 })) }, { requiredKeys: [] })),
      pollUpdateMessage: wrongOr(fc.record({ pollCreationMessageKey: wrongOr(messageKeyRef), vote: wrongOr(fc.record({ encPayload: wrongOr(bytes), encIv: wrongOr(bytes) }, { requiredKeys: [] })), senderTimestampMs: wrongOr(fc.integer()) }, { requiredKeys: [] })),
      reactionMessage: wrongOr(fc.record({ key: wrongOr(messageKeyRef), text: wrongOr(fc.oneof(fc.constantFrom('👍', '❤️', ''), hostileString(10))), senderTimestampMs: wrongOr(fc.integer()) }, { requiredKeys: [] })),
      protocolMessage: wrongOr(fc.record({ key: wrongOr(messageKeyRef), type: wrongOr(fc.oneof(fc.constantFrom(0, 14, 3, 5), fc.integer())), editedMessage: tie('inner') }, { requiredKeys: [] })),
      editedMessage: wrongOr(fc.record({ message: tie('inner') }, { requiredKeys: [] })),
      ephemeralMessage: wrongOr(fc.record({ message: tie('inner') }, { requiredKeys: [] })),
      viewOnceMessage: wrongOr(fc.record({ message: tie('inner') }, { requiredKeys: [] })),
      viewOnceMessageV2: wrongOr(fc.record({ message: tie('inner') }, { requiredKeys: [] })),
      documentWithCaptionMessage: wrongOr(fc.record({ message: tie('inner') }, { requiredKeys: [] })),
      senderKeyDistributionMessage: wrongOr(fc.record({ groupId: wrongOr(hostileString(20)) }, { requiredKeys: [] })),
      messageContextInfo: wrongOr(fc.record({ messageSecret: wrongOr(bytes) }, { requiredKeys: [] })),
      // A type this Baileys or this adapter does not know.
      futureMessageTypeV9: hostileJson(),
    },
    3,
  ),
}));

/** Content with keys nobody knows beside the known ones (own properties, __proto__ included). */
const contentWithUnknownKeys = fc.tuple(content, fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'pollCreationMessageV9', 'botInvokeMessage', 'x'), hostileJson(), { maxKeys: 2 })).map(([known, extra]) => {
  if (typeof known !== 'object' || known === null) return known;
  for (const [key, value] of Object.entries(extra)) Object.defineProperty(known, key, { value, enumerable: true, writable: true, configurable: true });
  return known;
});

const junkId = fc.oneof(fc.uuid().map((uuid) => `3EB0${uuid.replace(/-/g, '').slice(0, 18).toUpperCase()}`), hostileString(40)).filter((id) => !id.startsWith('WF-'));
const junkMessage = fc.record(
  {
    key: wrongOr(
      fc.oneof(
        // Mostly as WhatsApp addresses messages, now and then with anything in any field.
        { arbitrary: fc.record({ remoteJid: anyJid, fromMe: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }), id: junkId, remoteJidAlt: fc.option(anyJid, { nil: undefined }), addressingMode: fc.option(fc.constantFrom('lid', 'pn'), { nil: undefined }) }, { requiredKeys: ['remoteJid', 'fromMe', 'id'] }), weight: 3 },
        {
          arbitrary: fc.record(
            {
              remoteJid: wrongOr(anyJid),
              fromMe: wrongOr(fc.boolean()),
              id: wrongOr(junkId),
              participant: wrongOr(anyJid),
              remoteJidAlt: wrongOr(anyJid),
              participantAlt: wrongOr(anyJid),
              addressingMode: wrongOr(fc.constantFrom('lid', 'pn')),
            },
            { requiredKeys: [] },
          ),
          weight: 1,
        },
      ),
    ),
    message: fc.oneof({ arbitrary: content, weight: 5 }, { arbitrary: contentWithUnknownKeys, weight: 1 }, { arbitrary: fc.constantFrom(null, undefined), weight: 1 }, { arbitrary: hostileJson(), weight: 1 }),
    messageTimestamp: wrongOr(fc.oneof(fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }), fc.constantFrom(0, -1, 2 ** 53, { low: 1_795_000_000, high: 0, unsigned: true }, '1795000000'))),
    messageStubType: fc.option(fc.oneof(fc.constantFrom(1, 2, 68, 132), fc.integer()), { nil: undefined }),
    messageStubParameters: fc.option(fc.array(hostileString(20), { maxLength: 3 }), { nil: undefined }),
    pushName: wrongOr(hostileString(60)),
    status: fc.option(fc.integer({ min: -1, max: 6 }), { nil: undefined }),
    broadcast: fc.option(fc.boolean(), { nil: undefined }),
  },
  // Every message has a key and (but for stubs) a message; wrongOr puts null or junk in them now and then.
  { requiredKeys: ['key', 'message'] },
);

const KNOWN_LIDS = new Set(KNOWN.map((customer) => customer.lid));
const KNOWN_PNS = new Map(KNOWN.map((customer) => [`${digitsOf(customer.phone)}@s.whatsapp.net`, customer.lid]));

/**
 * WhatsApp's servers pair a LID with its phone (remoteJid and remoteJidAlt), and the adapter
 * learns the pairs it sees: a junk message may pair anything with anything, except a known
 * customer's LID or phone with someone else's, which no server sends and which would make the
 * adapter file that customer's next messages under the other number.
 */
function withConsistentPairs(message: unknown): unknown {
  const key = (message as { key?: unknown } | null)?.key;
  if (typeof key !== 'object' || key === null) return message;
  const { remoteJid, remoteJidAlt } = key as { remoteJid?: unknown; remoteJidAlt?: unknown };
  const lidOf = (jid: unknown) => (typeof jid === 'string' ? KNOWN_PNS.get(jid) : undefined);
  const pairs = (a: unknown, b: unknown) => (typeof a === 'string' && KNOWN_LIDS.has(a)) || (typeof b === 'string' && KNOWN_LIDS.has(b)) || lidOf(a) !== undefined || lidOf(b) !== undefined;
  if (remoteJidAlt !== undefined && remoteJidAlt !== null && pairs(remoteJid, remoteJidAlt)) (key as { remoteJidAlt?: unknown }).remoteJidAlt = undefined;
  return message;
}

/** A text a known customer typed, as WhatsApp delivers it: by phone or LID, plain or wrapped. */
interface WellFormed {
  kind: 'well-formed';
  customer: number;
  text: string;
  address: 'pn' | 'lid+alt' | 'lid mapped' | 'lid looked up';
  wrapper: 'conversation' | 'extended' | 'ephemeral' | 'ephemeral extended';
  twice: boolean;
  pushName: string | null;
}

const wellFormed: fc.Arbitrary<WellFormed> = fc.record({
  kind: fc.constant('well-formed' as const),
  customer: fc.integer({ min: 0, max: KNOWN.length - 1 }),
  // Protobuf decodes text from UTF-8: a lone surrogate cannot come from WhatsApp (junk may carry them).
  text: anyText.filter((text) => text !== '' && !/\p{Cs}/u.test(text)),
  address: fc.constantFrom('pn' as const, 'lid+alt' as const, 'lid mapped' as const, 'lid looked up' as const),
  wrapper: fc.constantFrom('conversation' as const, 'extended' as const, 'ephemeral' as const, 'ephemeral extended' as const),
  twice: fc.boolean(),
  pushName: fc.option(hostileString(40), { nil: null }),
});

type Item = WellFormed | { kind: 'junk'; message: unknown; normalize: boolean };

const item: fc.Arbitrary<Item> = fc.oneof(
  { arbitrary: wellFormed, weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('junk' as const), message: junkMessage.map(withConsistentPairs), normalize: fc.boolean() }), weight: 3 },
);

let nextId = 0;

/** The WAMessage of a well-formed text: its id is new each time the property runs. */
function messageOf(wf: WellFormed, id: string): WAMessage {
  const customer = KNOWN[wf.customer]!;
  const pn = `${digitsOf(customer.phone)}@s.whatsapp.net`;
  // The first six customers' LIDs are in the store; the others' only Baileys' own mapping knows (getPNForLID).
  const lidKnown = wf.customer < 6;
  const address = (wf.address === 'lid mapped' && !lidKnown) || (wf.address === 'lid looked up' && lidKnown) ? 'lid+alt' : wf.address;
  const key: WAMessageKey =
    address === 'pn' ? { remoteJid: pn, fromMe: false, id } : address === 'lid+alt' ? { remoteJid: customer.lid, remoteJidAlt: pn, addressingMode: 'lid', fromMe: false, id } : { remoteJid: customer.lid, fromMe: false, id, addressingMode: 'lid' };
  const text: proto.IMessage = wf.wrapper === 'conversation' || wf.wrapper === 'ephemeral' ? { conversation: wf.text } : { extendedTextMessage: { text: wf.text } };
  const message = wf.wrapper.startsWith('ephemeral') ? { ephemeralMessage: { message: text } } : text;
  const built: WAMessage = { key, message, messageTimestamp: 1_795_000_000, ...(wf.pushName === null ? {} : { pushName: wf.pushName }) };
  return built;
}

/**
 * As protobuf decoding gives it, when the junk fits the schema at all: every field of its type,
 * and the key WebMessageInfo requires. Otherwise (wrong types, no key) as it is, marked raw.
 */
function asDecoded(message: unknown): { message: unknown; decoded: boolean } {
  try {
    const decoded = proto.WebMessageInfo.fromObject(message as Record<string, unknown>);
    return decoded.key ? { message: decoded, decoded: true } : { message, decoded: false };
  } catch {
    return { message, decoded: false };
  }
}

const countStored = db.sqlite.prepare<[string], { n: number; customerId: number | null; text: string | null; direction: string }>(
  'SELECT count(*) AS n, max(customer_id) AS customerId, max(text) AS text, max(direction) AS direction FROM messages WHERE wa_id = ?',
);

/** Lets the adapter's async handling (LID lookups) finish and the group commit store it. */
async function drain(): Promise<void> {
  for (let round = 0; round < 3; round++) await new Promise((resolve) => setImmediate(resolve));
  await traffic.settled();
}

describe('Baileys-shaped inbound messages through the adapter, the record and the inbox', () => {
  it('never let an exception escape, and store each well-formed text of a known customer once', async () => {
    expect(pollIds.length).toBeGreaterThan(0);
    const kinds = new Tally();
    const contentTypes = new Tally();
    let messages = 0;
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 5 }), fc.constantFrom('notify' as const, 'append' as const), async (items, type) => {
        escaped.length = 0;
        const logsBefore = logLines.length;
        const storageErrorsBefore = storageErrors.length;
        const expected: { id: string; wf: WellFormed }[] = [];
        const batch: unknown[] = [];
        const again: unknown[] = [];
        let allDecoded = true;
        for (const entry of items) {
          if (entry.kind === 'well-formed') {
            const id = `WF-${nextId++}`;
            const message = messageOf(entry, id);
            batch.push(message);
            if (entry.twice) again.push(message);
            expected.push({ id, wf: entry });
            kinds.add(`well-formed ${entry.address} ${entry.wrapper}`);
          } else {
            const { message: sent, decoded } = entry.normalize ? asDecoded(entry.message) : { message: entry.message, decoded: false };
            batch.push(sent);
            if (!decoded) allDecoded = false;
            kinds.add(decoded ? 'junk (decoded)' : 'junk (raw)');
            const message = (entry.message as { message?: unknown }).message;
            for (const field of typeof message === 'object' && message !== null ? Object.keys(message) : ['(no content)']) contentTypes.add(/^conversation$|Message(V\d+)?$/.test(field) ? field : '(other field)');
          }
        }
        messages += batch.length + again.length;
        socket.ev.emit('messages.upsert', { messages: batch as WAMessage[], type });
        // WhatsApp delivers some twice: notify, then append.
        if (again.length > 0) socket.ev.emit('messages.upsert', { messages: again as WAMessage[], type: 'append' });
        await drain();

        if (escaped.length > 0) {
          const error = escaped[0];
          escaped.length = 0;
          throw new Error(`an exception escaped: ${String((error as Error)?.stack ?? error)}`);
        }
        // A message that protobuf could decode (every field of its type) is understood or skipped, never an error.
        if (allDecoded) {
          const failed = logLines.slice(logsBefore).find((line) => line.includes('not understood'));
          if (failed) throw new Error(`a message of valid types was not understood: ${failed.slice(0, 600)}`);
          if (storageErrors.length > storageErrorsBefore) throw new Error(`a message of valid types could not be stored: ${String(storageErrors.at(-1)?.stack)}`);
        }
        for (const { id, wf } of expected) {
          const row = countStored.get(id)!;
          const customerId = customerIds.get(KNOWN[wf.customer]!.phone);
          if (row.n !== 1 || row.customerId !== customerId || row.text !== wf.text || row.direction !== 'in') {
            throw new Error(`${id} (${wf.address}, ${wf.wrapper}) stored ${row.n} times, customer ${row.customerId} (expected ${customerId}), text ${JSON.stringify(row.text)} (expected ${JSON.stringify(wf.text)})`);
          }
        }
      }),
      fuzzParameters('Baileys-shaped inbound messages'),
    );
    await drain();
    const seconds = (performance.now() - started) / 1000;
    const stored = db.sqlite.prepare("SELECT count(*) FROM messages WHERE direction = 'in'").pluck().get() as number;
    const fromOwner = db.sqlite.prepare("SELECT count(*) FROM messages WHERE json_extract(payload, '$.author') = 'owner'").pluck().get() as number;
    const wellFormedCount = db.sqlite.prepare("SELECT count(*) FROM messages WHERE wa_id LIKE 'WF-%'").pluck().get() as number;
    const answers = db.sqlite.prepare('SELECT count(*) FROM answers').pluck().get() as number;
    console.log(
      `[fuzz] Baileys: ${messages.toLocaleString('en')} messages in ${seconds.toFixed(1)} s (${nextId.toLocaleString('en')} well-formed, each stored once); ` +
        `${stored.toLocaleString('en')} inbound and ${fromOwner.toLocaleString('en')} owner messages stored, ${answers} answers; ${storageErrors.length} not stored (wrong types)\n  kinds: ${kinds.toString()}\n  content types: ${contentTypes.toString()}`,
    );
    // What became of the messages that were not stored: skipped (and why), or not understood (what broke).
    const outcomes = new Tally();
    const notJson: string[] = [];
    for (const line of logLines) {
      let entry: { reason?: string; msg?: string; err?: { message?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        // Masking phones must leave each line JSON (a bare number once broke it).
        notJson.push(line.slice(0, 300));
        continue;
      }
      if (entry.reason) outcomes.add(`skipped ${entry.reason}`);
      else if (entry.err) outcomes.add(`${entry.msg === 'WhatsApp message not understood; skipped' ? 'not understood' : 'not stored'} (${String(entry.err.message).slice(0, 60)})`);
    }
    console.log(`  outcomes: ${[...outcomes.counts.entries()].sort((a, b) => b[1] - a[1]).map(([label, count]) => `${label}×${count}`).join(', ')}`);
    expect(notJson).toEqual([]);
    expect(messages).toBeGreaterThanOrEqual(fuzzRuns());
    expect(wellFormedCount).toBe(nextId);
    expect(channel.state).toBe('open');
  });
});

// ---------------------------------------------------------------- receipts and what teaches LIDs

/** The chat of each message the bot sent a customer (the owner's have none here). */
const customerOfSent = new Map(
  (db.sqlite.prepare("SELECT m.wa_id AS waId, c.phone AS phone FROM messages m JOIN customers c ON c.id = m.customer_id WHERE m.direction = 'out' AND m.wa_id IS NOT NULL").all() as { waId: string; phone: string }[]).map(
    (row) => [row.waId, `${digitsOf(row.phone)}@s.whatsapp.net`],
  ),
);
/** The sent messages are split: junk receipts aim at the first half, well-formed ones at customers' messages of the second. */
const junkTargets = sentIds.slice(0, Math.floor(sentIds.length / 2));
const receiptTargets = sentIds.slice(junkTargets.length).filter((id) => customerOfSent.has(id));
const statusOf = db.sqlite.prepare<[string], string>('SELECT status FROM messages WHERE wa_id = ?').pluck();
const RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3 };

/** messages.update entries as Baileys builds them, and with anything missing or of the wrong type. */
const junkUpdate = fc.record(
  {
    key: wrongOr(
      fc.record(
        { remoteJid: wrongOr(anyJid), fromMe: wrongOr(fc.boolean()), id: wrongOr(fc.oneof(fc.constantFrom(...junkTargets), junkId)), participant: wrongOr(anyJid), remoteJidAlt: wrongOr(anyJid) },
        { requiredKeys: [] },
      ),
    ),
    update: wrongOr(
      fc.record(
        {
          status: wrongOr(fc.oneof(fc.integer({ min: -1, max: 6 }), fc.integer())),
          messageStubParameters: wrongOr(fc.array(fc.oneof(fc.constantFrom('463', '479', ' 463 ', '', 463), hostileString(10)), { maxLength: 3 })),
          message: wrongOr(hostileJson()),
          pollUpdates: wrongOr(hostileJson()),
          reactions: wrongOr(hostileJson()),
          starred: wrongOr(fc.boolean()),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);
const lidMapping = fc.record({ lid: wrongOr(anyJid), pn: wrongOr(anyJid) }, { requiredKeys: [] }).filter((mapping) => {
  // As withConsistentPairs: no server pairs a known customer's LID or phone with someone else.
  const known = (jid: unknown) => typeof jid === 'string' && (KNOWN_LIDS.has(jid) || KNOWN_PNS.has(jid));
  return !known(mapping.lid) && !known(mapping.pn);
});
const contact = fc.record({ id: wrongOr(anyJid), lid: wrongOr(anyJid), phoneNumber: wrongOr(anyJid), name: wrongOr(hostileString(30)), notify: wrongOr(hostileString(30)) }, { requiredKeys: [] }).filter((entry) => {
  const known = (jid: unknown) => typeof jid === 'string' && (KNOWN_LIDS.has(jid) || KNOWN_PNS.has(jid));
  return !known(entry.id) && !known(entry.lid) && !known(entry.phoneNumber);
});
/** An array mostly; now and then null or anything (Baileys always gives an array; the fuzz does not). */
const listOf = <T>(arbitrary: fc.Arbitrary<T>) => wrongOr(fc.array(arbitrary, { minLength: 1, maxLength: 5 }));

/** Seconds as the server writes cycle times and lock ends, and what a garbled one could be. */
const epochSecondsText = fc.oneof(
  fc.integer({ min: 1_790_000_000, max: 1_800_000_000 }).map(String),
  fc.constantFrom('0', '', '-1', '1795402800000', '1e10', ' 1795402800', 'NaN', '2026-11-23'),
  hugeOrOddNumber(),
  hostileString(12),
);
/** message-capping.update as WhatsApp's raw JSON (Types/State.d.ts NewChatMessageCapInfo), and junk in each field. */
const capping = fc.record(
  {
    total_quota: wrongOr(fc.oneof(fc.integer({ min: 0, max: 1_000 }), hugeOrOddNumber(), fc.constantFrom('50', '-3', '2.5', 'cinquenta'))),
    used_quota: wrongOr(fc.oneof(fc.integer({ min: 0, max: 1_000 }), hugeOrOddNumber(), fc.constantFrom('37', ''))),
    cycle_start_timestamp: wrongOr(epochSecondsText),
    cycle_end_timestamp: wrongOr(epochSecondsText),
    server_sent_timestamp: wrongOr(epochSecondsText),
    capping_status: wrongOr(fc.oneof(fc.constantFrom('NONE', 'FIRST_WARNING', 'SECOND_WARNING', 'CAPPED', 'capped', 'UNKNOWN', ''), hostileString(20))),
    ote_status: wrongOr(fc.constantFrom('NOT_ELIGIBLE', 'ELIGIBLE', 'ACTIVE_IN_CURRENT_CYCLE', 'EXHAUSTED')),
    mv_status: wrongOr(fc.constantFrom('NOT_ELIGIBLE', 'NOT_ACTIVE', 'ACTIVE', 'ACTIVE_UPGRADE_AVAILABLE')),
  },
  { requiredKeys: [] },
);
/** connection.update's reachoutTimeLock (a Date end, as Baileys converts it), and junk. Only that key: the connection itself stays up. */
const reachoutTimeLock = fc.record(
  {
    isActive: wrongOr(fc.oneof(fc.boolean(), fc.constantFrom('true', 1, 0))),
    timeEnforcementEnds: wrongOr(fc.oneof(fc.date({ noInvalidDate: false }), epochSecondsText)),
    enforcementType: wrongOr(fc.oneof(fc.constantFrom('DEFAULT', 'BIZ_QUALITY', 'WEB_COMPANION_ONLY', 'BIZ_COMMERCE_VIOLATION_ALCOHOL'), hostileString(200))),
  },
  { requiredKeys: [] },
);

type BaileysEvent = readonly [
  'messages.update' | 'lid-mapping.update' | 'contacts.upsert' | 'contacts.update' | 'messaging-history.set' | 'message-capping.update' | 'connection.update',
  unknown,
];
const otherEvent: fc.Arbitrary<BaileysEvent> = fc.oneof(
  { arbitrary: listOf(junkUpdate).map((updates) => ['messages.update', updates] as const), weight: 6 },
  { arbitrary: wrongOr(lidMapping).map((mapping) => ['lid-mapping.update', mapping] as const), weight: 1 },
  { arbitrary: listOf(wrongOr(contact)).map((contacts) => ['contacts.upsert', contacts] as const), weight: 1 },
  { arbitrary: listOf(wrongOr(contact)).map((contacts) => ['contacts.update', contacts] as const), weight: 1 },
  {
    arbitrary: fc
      .record({ lidPnMappings: wrongOr(fc.array(wrongOr(lidMapping), { maxLength: 4 })), contacts: listOf(wrongOr(contact)), chats: fc.constant([]), messages: fc.constant([]), isLatest: fc.boolean() }, { requiredKeys: ['contacts', 'chats', 'messages'] })
      .map((history) => ['messaging-history.set', history] as const),
    weight: 1,
  },
  { arbitrary: wrongOr(capping).map((payload) => ['message-capping.update', payload] as const), weight: 1 },
  { arbitrary: wrongOr(reachoutTimeLock).map((lock) => ['connection.update', { reachoutTimeLock: lock }] as const), weight: 1 },
);

/** What the channel kept of WhatsApp's limits is always in fregues' words, whatever came. */
function checkLimits(): void {
  const { cap, lock } = channel.limits;
  const count = (value: number | null) => value === null || (Number.isSafeInteger(value) && value >= 0);
  const time = (value: number | null) => value === null || Number.isFinite(value);
  if (cap && !(count(cap.total) && count(cap.used) && time(cap.cycleStart) && time(cap.cycleEnd) && ['none', 'first_warning', 'second_warning', 'capped'].includes(cap.status))) {
    throw new Error(`the cap kept junk: ${JSON.stringify(cap)}`);
  }
  if (lock && !(typeof lock.active === 'boolean' && time(lock.endsAt) && (lock.kind === null || (typeof lock.kind === 'string' && lock.kind.length <= 100)))) {
    throw new Error(`the time lock kept junk: ${JSON.stringify(lock)}`);
  }
}

/** A receipt for a message the bot sent, as Baileys reports it. */
const wellFormedReceipt = fc.record({
  id: fc.constantFrom(...receiptTargets),
  status: fc.constantFrom(proto.WebMessageInfo.Status.DELIVERY_ACK, proto.WebMessageInfo.Status.READ, proto.WebMessageInfo.Status.PLAYED),
});

describe('Baileys-shaped receipts, contacts and LID mappings through the adapter and the record', () => {
  it('never let an exception escape, and record each well-formed receipt of a message the bot sent', async () => {
    expect(receiptTargets.length).toBeGreaterThan(5);
    const events = new Tally();
    let updates = 0;
    const logsBefore = logLines.length;
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.array(otherEvent, { minLength: 1, maxLength: 4 }), fc.array(wellFormedReceipt, { maxLength: 3 }), async (junk, receipts) => {
        escaped.length = 0;
        for (const [event, data] of junk) {
          events.add(event);
          if (event === 'messages.update') updates += Array.isArray(data) ? data.length : 1;
          try {
            socket.ev.emit(event, data as never);
          } catch (error) {
            throw new Error(`${event} threw: ${String((error as Error)?.stack ?? error)}`, { cause: error });
          }
        }
        // The well-formed ones last, in one update as Baileys batches them.
        const wellFormedUpdates = receipts.map(({ id, status }) => ({ key: { remoteJid: customerOfSent.get(id)!, fromMe: true, id }, update: { status } }));
        updates += wellFormedUpdates.length;
        if (wellFormedUpdates.length > 0) socket.ev.emit('messages.update', wellFormedUpdates);
        await drain();
        if (escaped.length > 0) {
          const error = escaped[0];
          escaped.length = 0;
          throw new Error(`an exception escaped: ${String((error as Error)?.stack ?? error)}`);
        }
        checkLimits();
        for (const { id, status } of receipts) {
          const want = status === proto.WebMessageInfo.Status.DELIVERY_ACK ? 'delivered' : 'read';
          const stored = statusOf.get(id);
          if ((RANK[stored ?? ''] ?? 0) < RANK[want]!) throw new Error(`receipt ${want} for ${id} left the message ${stored}`);
        }
      }),
      fuzzParameters('Baileys-shaped receipts, contacts and LID mappings'),
    );
    const seconds = (performance.now() - started) / 1000;
    const lines = logLines.slice(logsBefore);
    const skipped = lines.filter((line) => line.includes('WhatsApp event not understood; skipped')).length;
    console.log(
      `[fuzz] Baileys: ${updates.toLocaleString('en')} receipts (messages.update entries) in ${seconds.toFixed(1)} s; events: ${events.toString()}; ${skipped.toLocaleString('en')} entries or events not understood, logged and skipped`,
    );
    expect(updates).toBeGreaterThanOrEqual(fuzzRuns());
    // Junk was met, and each was a log line of its own, in JSON.
    expect(skipped).toBeGreaterThan(0);
    expect(lines.filter((line) => !line.startsWith('{'))).toEqual([]);
  });
});
