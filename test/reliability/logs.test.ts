import { Writable } from 'node:stream';
import { Boom } from '@hapi/boom';
import type { InjectOptions } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { assemble } from '../../src/assemble.js';
import { WhatsAppChannel } from '../../src/channels/baileys/whatsapp-channel.js';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import { loadConfig } from '../../src/config.js';
import { loggerOptions } from '../../src/logger.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase } from '../../src/storage/db.js';
import { createWhatsAppStore } from '../../src/storage/repositories/whatsapp.js';
import { createTestApp, TEST_TOKEN, type TestApp } from '../helpers/app.js';
import { FakeBaileysSocket } from '../helpers/fake-baileys-socket.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

// Issue 8: "tokens and phone numbers never appear unmasked in logs (checked on captured log
// output)". A whole session of a shop, every log line captured as written (after pino's
// redaction and src/logger.ts's masking): sign-in right and wrong, bearer mistakes (the token in
// the address included), purchases with phones written every way people write them, validation
// errors and 404s with phones in bodies, queries and paths, the customers' messages and the
// owner's, owner alerts, failed and refused sends, the weekly summary, a spreadsheet import, the
// pages, a 500 whose error names a phone and the token, and what the WhatsApp adapter and Baileys
// log. Then no line may hold the admin token or any phone used, in any of its written forms.
// (test/http/security.test.ts checks the token in addresses and headers; this is about logs.)

const OWNER = '+5511900001111';

/** The phones of the session: E.164, and how each is written to the service. */
const PHONES: { e164: string; written: string | number }[] = [
  { e164: '+5511975318642', written: '(11) 97531-8642' },
  { e164: '+5521986427531', written: '+55 21 98642-7531' },
  { e164: '+5531964208531', written: '5531964208531' },
  { e164: '+5541953197642', written: '41 95319-7642' },
  { e164: '+5511942086317', written: '011 94208-6317' },
  { e164: '+5511931975208', written: '(0xx11) 93197-5208' },
  { e164: '+5548987643215', written: 5548987643215 },
  { e164: '+5511986534207', written: '(11) 8653-4207' },
  { e164: '+351912834765', written: '+351 912 834 765' },
];
/** Numbers that appear in the session without being customers: unknown, invalid, shared as contacts, in texts. */
const OTHERS = ['+5521977731864', '+5511988873165', '+5511966652743', '+5511944418273'];

/** Every written form of a number that would give it away: E.164, its digits, national, local, formatted. */
function leakyForms(e164: string): string[] {
  const digits = e164.slice(1);
  const forms = [e164, digits, encodeURIComponent(e164)];
  if (digits.startsWith('55')) {
    const national = digits.slice(2); // 11975318642
    const ddd = national.slice(0, 2);
    const local = national.slice(2); // 975318642
    const dash = `${local.slice(0, local.length - 4)}-${local.slice(-4)}`; // 97531-8642
    forms.push(national, local, dash, `(${ddd}) ${dash}`, `${ddd} ${dash}`, `${ddd}%20${dash}`, `(${ddd})%20${dash}`);
  } else {
    const national = digits.slice(3);
    forms.push(national, `${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`);
  }
  return forms;
}

/** Lines as written, without the fields that are numbers of their own (times, process id). */
function withoutClockFields(line: string): string {
  return line.replace(/"(time|pid|responseTime)":[\d.]+/g, '"$1":0');
}

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

let client: PagesClient | undefined;
let bare: TestApp | undefined;
afterEach(async () => {
  await client?.app.close();
  await bare?.close();
  client = undefined;
  bare = undefined;
});

/** A Baileys socket that is never connected and fails at everything: it only gives the adapter's and Baileys' loggers something to say. */
class QuietSocket extends FakeBaileysSocket {
  override registered = 'everyone' as const;
  override readonly signalRepository = {
    lidMapping: {
      getPNForLID: async (): Promise<string | null> => {
        throw new Error('no session for 5511975318642@s.whatsapp.net');
      },
    },
  };
  override async sendMessage(): Promise<undefined> {
    throw new Boom('Connection Closed while sending to 5511975318642@s.whatsapp.net', { statusCode: 428 });
  }
  override async sendPresenceUpdate(): Promise<void> {
    throw new Error('presence to 5511975318642@s.whatsapp.net failed');
  }
  override async logout(): Promise<void> {
    throw new Error('logout of 5511900001111:7@s.whatsapp.net failed');
  }
}

describe('logs', () => {
  it('never hold the admin token or a phone number unmasked, through a whole session', async () => {
    const clock = new ManualClock('2026-11-16T13:00:00Z');
    client = await openPages({ clock, flows: SHIPPED_FLOWS, random: () => 0.4, env: { OWNER_PHONE: OWNER, SHOP_NAME: 'Café da Serra' } });
    const { app } = client;
    const api = (request: InjectOptions) => app.api(request);
    const expectStatus = async (request: InjectOptions & { url: string }, status: number, viaApi = true) => {
      const response = viaApi ? await api(request) : await app.app.inject(request);
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(status);
      return response;
    };

    // Sign-in: a wrong token, then the right one (openPages signed in already), and sign-out later.
    const form = await app.app.inject({ method: 'GET', url: '/connect' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const secret = form.cookies.find((cookie) => cookie.name === '_csrf')!.value;
    for (const token of [`${TEST_TOKEN}x`, TEST_TOKEN.slice(0, -1), '']) {
      const wrong = await app.app.inject({
        method: 'POST',
        url: '/sign-in',
        cookies: { _csrf: secret },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, token }).toString(),
      });
      expect(wrong.statusCode).toBe(401);
    }

    // Bearer mistakes, the token in the address among them.
    for (const headers of [{ authorization: `Bearer ${TEST_TOKEN}x` }, { authorization: TEST_TOKEN }, { authorization: `Basic ${Buffer.from(`admin:${TEST_TOKEN}`).toString('base64')}` }, { authorization: `Token ${TEST_TOKEN}` }, {}]) {
      await expectStatus({ method: 'GET', url: '/api/customers', headers }, 401, false);
    }
    for (const url of [`/api/customers?token=${TEST_TOKEN}`, `/api/customers?access_token=${TEST_TOKEN}`, `/api/outbox?api_key=${TEST_TOKEN}&status=sent`, `/customers?token=${TEST_TOKEN}`, `/sign-in?token=${TEST_TOKEN}`]) {
      const response = await app.app.inject({ method: 'GET', url });
      expect([401, 404], url).toContain(response.statusCode);
    }
    await expectStatus({ method: 'GET', url: '/api/customers', headers: { authorization: `bearer ${TEST_TOKEN}` } }, 200, false);

    // Purchases, the phones written every way; one bought twice (the same externalId again).
    for (const [index, phone] of PHONES.entries()) {
      await expectStatus({ method: 'POST', url: '/api/purchases', payload: { externalId: `p-${index}`, customer: { phone: phone.written, name: `Cliente ${index}`, consent: { marketing: true, source: `checkout ${phone.written}` } }, items: [{ name: 'Café especial 250 g', unitPrice: '39.90' }] } }, 201);
    }
    await expectStatus({ method: 'POST', url: '/api/purchases', payload: { externalId: 'p-0', customer: { phone: PHONES[0]!.written }, items: [{ name: 'Café' }] } }, 200);

    // Refused: phones in bodies that are wrong elsewhere, phones that are no mobile, phones in unknown keys.
    await expectStatus({ method: 'POST', url: '/api/purchases', payload: { customer: { phone: PHONES[1]!.written, email: 'não é email' }, items: [] } }, 400);
    await expectStatus({ method: 'POST', url: '/api/purchases', payload: { customer: { phone: '(11) 3456-7890' }, items: [{ name: 'Café' }] } }, 400);
    await expectStatus({ method: 'POST', url: '/api/purchases', payload: { customer: { phone: '(11) 9753' }, items: [{ name: 'Café' }], [PHONES[2]!.e164]: PHONES[2]!.written } }, 400);
    await expectStatus({ method: 'POST', url: '/api/purchases', headers: { 'content-type': 'text/plain' }, payload: `phone=${PHONES[3]!.written}` }, 415);
    await expectStatus({ method: 'POST', url: '/api/purchases', headers: { 'content-type': 'application/json' }, payload: `{"customer":{"phone":"${PHONES[4]!.written}"` }, 400);
    await expectStatus({ method: 'PATCH', url: '/api/customers/1', payload: { phone: PHONES[0]!.written } }, 400);
    await expectStatus({ method: 'POST', url: '/api/simulator/messages', payload: { from: PHONES[1]!.written, text: 'oi', contact: { phones: [OTHERS[0]] } } }, 400);

    // 404s and searches with phones in the query and the path.
    const [other] = OTHERS;
    await expectStatus({ method: 'GET', url: `/api/customers?phone=${encodeURIComponent('(21) 97773-1864')}` }, 404);
    await expectStatus({ method: 'GET', url: `/api/customers?phone=${encodeURIComponent(other!)}` }, 404);
    await expectStatus({ method: 'GET', url: `/api/customers?phone=${encodeURIComponent(PHONES[0]!.written)}` }, 200);
    await expectStatus({ method: 'GET', url: `/api/customers?q=${encodeURIComponent('97531-8642')}` }, 200);
    await expectStatus({ method: 'GET', url: '/api/customers?q=11975318642&limit=5' }, 200);
    await expectStatus({ method: 'GET', url: `/api/customers/${other!.slice(1)}` }, 404);
    await expectStatus({ method: 'GET', url: `/api/nada/${encodeURIComponent(other!)}` }, 404);
    await expectStatus({ method: 'GET', url: `/api/nada/${encodeURIComponent('(21) 97773-1864')}` }, 404);
    await expectStatus({ method: 'GET', url: `/api/simulator/messages?phone=${encodeURIComponent(PHONES[1]!.written)}` }, 200);
    await expectStatus({ method: 'POST', url: '/api/flows/pos-compra/runs', payload: { phone: other } }, 404);

    // Time passes: thanks and tips go out; the survey is asked a week on.
    await expectStatus({ method: 'POST', url: '/api/simulator/clock', payload: { advance: '8d' } }, 200);

    // The customers answer: a score, a complaint, a question, a shared contact, texts with numbers in them.
    const say = (from: string | number, body: Record<string, unknown>) => expectStatus({ method: 'POST', url: '/api/simulator/messages', payload: { from, ...body } }, 201);
    await say(PHONES[0]!.written, { text: '3, péssimo, ninguém atende no 11 98887-3165' });
    await say(PHONES[1]!.written, { text: 'quero falar com alguém, me liga no (11) 96665-2743' });
    await say(PHONES[2]!.written, { contact: { name: 'Amiga', phones: [OTHERS[3]!, '(11) 94441-8273'] } });
    await say(PHONES[3]!.written, { text: '10' });
    await say(PHONES[4]!.written, { text: 'SAIR' });
    await say(PHONES[5]!.written, { text: `meu número novo é ${OTHERS[1]}` });
    await say(other!, { text: 'oi, quem é?', name: 'Desconhecido' });
    await expectStatus({ method: 'POST', url: '/api/simulator/owner-messages', payload: { to: PHONES[1]!.written, text: 'Oi! Aqui é a dona, te ligo já' } }, 201);

    // Sends that fail: a number not on WhatsApp, failures of unknown outcome, a restriction (alerts the owner).
    await expectStatus({ method: 'POST', url: '/api/simulator/faults', payload: { notOnWhatsApp: PHONES[6]!.written, failNextSends: 2 } }, 200);
    await expectStatus({ method: 'POST', url: '/api/purchases', payload: { externalId: 'p-late', customer: { phone: PHONES[6]!.written }, items: [{ name: 'Filtro' }] } }, 201);
    await expectStatus({ method: 'POST', url: '/api/purchases', payload: { externalId: 'p-late-2', customer: { phone: PHONES[7]!.written }, items: [{ name: 'Filtro' }] } }, 201);
    await expectStatus({ method: 'POST', url: '/api/simulator/clock', payload: { advance: '2h' } }, 200);
    await expectStatus({ method: 'POST', url: '/api/simulator/faults', payload: { restrictNextSend: true } }, 200);
    await expectStatus({ method: 'POST', url: '/api/purchases', payload: { externalId: 'p-late-3', customer: { phone: PHONES[8]!.written }, items: [{ name: 'Caneca' }] } }, 201);
    await expectStatus({ method: 'POST', url: '/api/simulator/clock', payload: { advance: '2h' } }, 200);
    const unknown = (await api({ method: 'GET', url: '/api/outbox?status=unknown' })).json<{ messages: { id: number }[] }>().messages;
    for (const row of unknown) await expectStatus({ method: 'POST', url: `/api/outbox/${row.id}/resolve`, payload: { as: 'discard' } }, 200);
    await expectStatus({ method: 'POST', url: '/api/whatsapp/resume-sending' }, 200);

    // The weekly summary, a spreadsheet with phones (some refused), an export and an erasure.
    await expectStatus({ method: 'POST', url: '/api/reports/weekly/send' }, 202);
    const csv = `nome;celular;email\nAna;${PHONES[0]!.written};ana@example.com\nBia;(11) 3456-7890;\nCida;${OTHERS[2]};x\n`;
    await expectStatus({ method: 'POST', url: '/api/customers/import?dryRun=false', headers: { 'content-type': 'text/csv' }, payload: csv }, 200);
    const customer = (await api({ method: 'GET', url: `/api/customers?phone=${encodeURIComponent(PHONES[2]!.e164)}` })).json<{ customer: { id: number } }>().customer;
    await expectStatus({ method: 'GET', url: `/api/customers/${customer.id}/export` }, 200);
    await expectStatus({ method: 'DELETE', url: `/api/customers/${customer.id}` }, 200);

    // The seller's pages: searches by phone, a customer, the simulator's chat with a phone.
    for (const url of [`/customers?q=${encodeURIComponent(PHONES[3]!.written)}`, `/customers?q=${PHONES[3]!.e164.slice(3)}`, `/customers/${customer.id}`, `/simulator?phone=${encodeURIComponent(PHONES[1]!.written)}`, '/outbox', '/']) {
      await client.get(url);
    }
    await client.post('/sign-out');

    // A session without OWNER_PHONE: the alerts that cannot go are logged instead.
    bare = await createTestApp({ clock: new ManualClock('2026-11-16T13:00:00Z'), flows: SHIPPED_FLOWS, random: () => 0.4 });
    await bare.api({ method: 'POST', url: '/api/purchases', payload: { customer: { phone: PHONES[0]!.written }, items: [{ name: 'Café' }] } });
    await bare.api({ method: 'POST', url: '/api/simulator/messages', payload: { from: PHONES[0]!.written, text: 'quero falar com alguém urgente, 11 98887-3165' } });
    await bare.api({ method: 'POST', url: '/api/reports/weekly/send' });

    // A 500 whose error names a phone and the token, logged with its request.
    const boomLogs = capture();
    const db = openDatabase(':memory:');
    const boomClock = new ManualClock();
    const boom = await assemble({ config: loadConfig({}, '/tmp'), db, clock: boomClock, flows: [], adminToken: TEST_TOKEN, logger: pino(loggerOptions('info'), boomLogs.stream), channel: new SimulatorChannel({ clock: boomClock }) });
    const boomApp = boom.app;
    boomApp.get('/boom/:phone', async (request) => {
      throw new Error(`UNIQUE constraint failed for ${(request.params as { phone: string }).phone} (5511975318642, +55 11 97531-8642) with token ${TEST_TOKEN}`);
    });
    expect((await boomApp.inject({ method: 'GET', url: `/boom/${encodeURIComponent('(11) 97531-8642')}?phone=11975318642` })).statusCode).toBe(500);
    await boom.close();

    // The WhatsApp adapter and Baileys itself, on a socket that fails at everything.
    const adapterLogs = capture();
    const adapterLogger = pino(loggerOptions('info'), adapterLogs.stream);
    let socket: QuietSocket | undefined;
    const wa = new WhatsAppChannel({
      store: createWhatsAppStore(openDatabase(':memory:')),
      jids: { get: () => undefined, set: () => {} },
      clock: new ManualClock(),
      logger: adapterLogger,
      locale: 'pt-BR',
      createSocket: (config) => (socket = new QuietSocket(config)),
      schedule: () => () => {},
      sleep: async () => {},
      onAlert: (message) => adapterLogger.warn({ alert: true }, message),
    });
    await wa.start();
    socket!.user = { id: '5511900001111:7@s.whatsapp.net', lid: '111111111111111:7@lid' };
    socket!.ev.emit('connection.update', { connection: 'open' });
    expect(await wa.send(PHONES[0]!.e164, { kind: 'text', text: `Oi! Seu pedido ${PHONES[0]!.written}` }, { messageId: 'M1' })).toMatchObject({ ok: false });
    socket!.ev.emit('messages.upsert', { messages: [{ key: { remoteJid: '222222222222222@lid', fromMe: false, id: 'L1' }, message: { conversation: 'oi' } }, { message: { conversation: PHONES[0]!.e164 } } as never], type: 'notify' });
    await new Promise((resolve) => setImmediate(resolve));
    // What Baileys logs through the logger it is given: message keys with JIDs, LIDs and device parts.
    const baileysLogger = socket!.config.logger!;
    baileysLogger.warn({ key: { remoteJid: '5511975318642@s.whatsapp.net', participant: '5521986427531:12@s.whatsapp.net', remoteJidAlt: '5531964208531@s.whatsapp.net' } }, 'failed to decrypt message');
    baileysLogger.error({ jid: '5541953197642@s.whatsapp.net', attrs: { from: '5511942086317:3@s.whatsapp.net', recipient: '351912834765@s.whatsapp.net' } }, 'error in handling message from 5548987643215@c.us');
    await wa.logout();
    await wa.stop();

    // ---------------------------------------------------------------- the check
    const sources = { session: app.logs, 'no owner phone': bare.logs, '500': boomLogs.lines, 'WhatsApp adapter and Baileys': adapterLogs.lines };
    const leaks: string[] = [];
    const forms = [...PHONES.map((phone) => phone.e164), ...OTHERS, OWNER].flatMap((e164) => leakyForms(e164).map((form) => ({ e164, form })));
    let lines = 0;
    let masked = 0;
    for (const [source, written] of Object.entries(sources)) {
      for (const raw of written) {
        lines += 1;
        const line = withoutClockFields(raw);
        // Masking must leave each line JSON, or log tools drop it.
        try {
          JSON.parse(raw);
        } catch {
          leaks.push(`${source}: not JSON after masking: ${raw.slice(0, 300)}`);
        }
        if (raw.includes(TEST_TOKEN)) leaks.push(`${source}: the admin token in ${raw.slice(0, 300)}`);
        for (const { e164, form } of forms) if (line.includes(form)) leaks.push(`${source}: ${e164} as ${JSON.stringify(form)} in ${raw.slice(0, 400)}`);
        if (/\*{4,}[\s.-]?\d{4}/.test(line)) masked += 1;
      }
    }
    console.log(`[logs] ${lines} lines checked (${Object.entries(sources).map(([source, written]) => `${source}: ${written.length}`).join(', ')}); ${masked} held a masked phone; ${leaks.length} leaks`);
    expect(leaks).toEqual([]);
    // The check saw something: phones reached the logs (masked), and each source wrote.
    expect(masked).toBeGreaterThan(10);
    for (const written of Object.values(sources)) expect(written.length).toBeGreaterThan(0);
  });
});
