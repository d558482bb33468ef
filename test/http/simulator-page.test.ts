import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import { packagePath } from '../../src/package-path.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { FakeChannel } from '../helpers/fake-channel.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

// The Simulador page through app.inject, signed in as the seller's browser is: the seller plays
// a customer, and what happens is checked in the record (repositories) and on the page.

const ANA = '+5511912345678';
const BIA = '+5521998765432';
const ANA_URL = `/simulator?phone=${encodeURIComponent(ANA)}`;
const HOSTILE = '<script>alert(1)</script>';
/** Friday 20 November 2026, 10:00 in São Paulo. */
const START = '2026-11-20T13:00:00Z';
const DAY = 86_400_000;

let client: PagesClient | undefined;
afterEach(async () => {
  await client?.app.close();
  client = undefined;
});

async function open(options: Parameters<typeof openPages>[0] = {}): Promise<PagesClient> {
  client = await openPages({ clock: new ManualClock(START), flows: SHIPPED_FLOWS, env: { SHOP_NAME: 'Café da Ana' }, ...options });
  return client;
}

/** Ana buys, as the shop's system would tell fregues (no order number): the pos-compra flow starts. */
const anaBuys = (c: PagesClient) => c.app.buy({ externalId: undefined, customer: { phone: ANA, name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });

/** The text of the page's main element, tags removed and spaces collapsed (entities as Eta wrote them). */
function mainText(body: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(body)?.[1] ?? '';
  return main.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The chat's bubbles as the page draws them: side and visible text. */
function bubbles(body: string): { side: string; text: string }[] {
  return [...body.matchAll(/<li class="sim-bubble (mine|theirs)"[^>]*>([\s\S]*?)<\/li>/g)].map((match) => ({
    side: match[1]!,
    text: match[2]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(),
  }));
}

function inboundTexts(c: PagesClient, phone: string): (string | null)[] {
  const customer = c.app.repos.customers.findByPhone(phone);
  return customer ? c.app.repos.messages.listByCustomer(customer.id).filter((m) => m.direction === 'in').map((m) => m.text) : [];
}

/** Where a 303 sends the browser, without the fragment (a browser keeps it to itself). */
function location(response: { headers: Record<string, unknown> }): string {
  return String(response.headers.location).replace(/#.*$/, '');
}

async function follow(c: PagesClient, response: { statusCode: number; headers: Record<string, unknown> }) {
  expect(response.statusCode).toBe(303);
  return c.get(location(response));
}

describe('GET /simulator', () => {
  it('needs the session: without it, the sign-in form (401), and the JSON asks for it too', async () => {
    const c = await open();
    const page = await c.app.app.inject({ method: 'GET', url: ANA_URL });
    expect(page.statusCode).toBe(401);
    expect(page.body).toContain('action="/sign-in"');
    expect(page.body).toContain(`name="next" value="/simulator?phone=%2B5511912345678"`);
    const json = await c.app.app.inject({ method: 'GET', url: `/simulator/conversation?phone=${encodeURIComponent(ANA)}`, headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(401);
    expect(json.json().error.code).toBe('unauthorized');
  });

  it('lists the customers and offers to chat as anyone; the clock shows the simulated time in TIMEZONE', async () => {
    const c = await open();
    await anaBuys(c);
    const response = await c.get('/simulator');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>Simulador · fregues</title>');
    expect(response.body).toContain('<a href="/simulator" aria-current="page">Simulador</a>');
    expect(response.body).toContain('<form method="get" action="/simulator#sim-chat" class="sim-start">');
    expect(response.body).toContain(`<a href="/simulator?phone=%2B5511912345678#sim-chat">`);
    const text = mainText(response.body);
    expect(text).toContain('Conversar como');
    expect(text).toContain('Ana Souza 10:00 +55 11 91234 5678');
    expect(text).toContain('Agora no simulador: sex., 20/11/2026 10:00');
    // No conversation open: no chat.
    expect(response.body).not.toContain('<section id="sim-chat"');
    expect(response.body).toContain('<script src="/assets/simulator.js" defer></script>');
  });

  it('opens a conversation typed as people write numbers, empty until someone writes', async () => {
    const c = await open();
    const response = await c.get(`/simulator?phone=${encodeURIComponent('(21) 99876-5432')}&name=Bia`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<section id="sim-chat" class="sim-chat" aria-label="Conversa com Bia">');
    expect(response.body).toContain(`data-phone="${BIA}"`);
    expect(mainText(response.body)).toContain('Nenhuma mensagem ainda. Escreva como se fosse o cliente.');
    // The send form carries the number in E.164 and the name, for the first message.
    expect(response.body).toContain(`<input type="hidden" name="phone" value="${BIA}">`);
    expect(response.body).toContain('<input type="hidden" name="name" value="Bia">');
  });

  it.each([
    { typed: '(11) 3333-4444', says: 'Celular do cliente: não é um celular: o WhatsApp precisa de um número de celular' },
    { typed: 'abc', says: 'Celular do cliente: não parece um número de telefone' },
  ])('answers a number that is not a mobile ($typed) with 400, saying why, and keeps what was typed', async ({ typed, says }) => {
    const c = await open();
    const response = await c.get(`/simulator?phone=${encodeURIComponent(typed)}`);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`<p class="error sim-banner" role="alert">${says}</p>`);
    expect(response.body).toContain(`value="${typed}"`);
    expect(response.body).not.toContain('<section id="sim-chat"');
  });

  it('lists conversations by most recent activity, including a phone the record does not know', async () => {
    const c = await open();
    await anaBuys(c);
    c.app.clock.advance(60_000);
    await c.post('/simulator/send', { phone: BIA, name: 'Bia', text: 'Oi!' });
    c.app.clock.advance(60_000);
    await c.app.simulator.send('+5531987654321', { kind: 'text', text: 'Teste direto' }, { messageId: '3EB0DIRECT' });
    const order = [...(await c.get('/simulator')).body.matchAll(/<a href="\/simulator\?phone=([^"#]+)#sim-chat"/g)].map((m) => decodeURIComponent(m[1]!));
    expect(order).toEqual(['+5531987654321', BIA, ANA]);
  });
});

describe('chatting as a customer', () => {
  it('stores what the customer sent in the record, and the bot’s answer appears in the chat', async () => {
    const c = await open();
    await anaBuys(c);
    // A week later Ana has the thanks, the tip and the NPS question.
    await follow(c, await c.post('/simulator/clock', { advance: '7d', phone: ANA }));
    const before = c.app.clock.now();
    const sent = await c.post('/simulator/send', { phone: ANA, text: 'nota 9, adorei o café' });
    expect(sent.statusCode).toBe(303);
    // The NPS question went out just now: the answer waits out the pause between two messages
    // (SEND_GAP_SECONDS, 20 s with the tests' random), and the simulated clock moves by it.
    expect(sent.headers.location).toBe(`${ANA_URL}&waited=20#sim-chat`);
    expect(c.app.clock.now()).toBe(before + 20_000);
    expect(inboundTexts(c, ANA)).toEqual(['nota 9, adorei o café']);

    const page = await c.get(location(sent));
    expect(page.body).toContain('<p class="muted sim-banner" role="status">O relógio do simulador andou 20 s: a pausa que o fregues faz entre uma mensagem e outra.</p>');
    const chat = bubbles(page.body);
    expect(chat.at(-2)).toEqual({ side: 'mine', text: expect.stringContaining('nota 9, adorei o café') });
    expect(chat.at(-1)).toEqual({ side: 'theirs', text: expect.stringContaining('Conhece alguém que ia gostar') });
    expect(c.app.repos.customers.findByPhone(ANA)?.tags).toEqual(['promotor']);
  });

  it('shows the bot’s messages with their time in TIMEZONE and ticks, left; the customer’s right, read ticks once she wrote', async () => {
    const c = await open();
    await anaBuys(c);
    await c.post('/simulator/clock', { advance: '1h', phone: ANA });
    const delivered = await c.get(ANA_URL);
    // Sent at 10:00 São Paulo (13:00 UTC) plus the flow's hour.
    expect(delivered.body).toMatch(/<li class="sim-bubble theirs"[^>]*>[\s\S]*?Muito obrigado pela compra[\s\S]*?<time>11:00<\/time> <span class="sim-ticks delivered" title="Entregue"><span aria-hidden="true">✓✓<\/span><span class="sr-only">Entregue<\/span><\/span>/);
    expect(delivered.body).toContain('<li class="sim-day"><span>sex., 20/11/2026</span></li>');
    await c.post('/simulator/send', { phone: ANA, text: 'Obrigada!' });
    const read = await c.get(ANA_URL);
    expect(read.body).toContain('<span class="sim-ticks read" title="Lida">');
    expect(bubbles(read.body).map((b) => b.side)).toEqual(['theirs', 'mine']);
  });

  it('sets the customer’s WhatsApp name with the first message, as WhatsApp tells it', async () => {
    const c = await open();
    const response = await c.post('/simulator/send', { phone: BIA, name: '  Bia Lima ', text: 'Oi' });
    expect(response.statusCode).toBe(303);
    expect(c.app.repos.customers.findByPhone(BIA)?.name).toBe('Bia Lima');
    expect(mainText((await c.get('/simulator')).body)).toContain('Bia Lima 10:00 +55 21 99876 5432 Oi');
  });

  it('shares a contact as a referral: stored as the customer’s contacts message and shown as a short description', async () => {
    const c = await open();
    const response = await c.post('/simulator/contact', { phone: ANA, contactName: 'Bia', contactPhone: '(21) 99876-5432' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${ANA_URL}#sim-chat`);
    const customer = c.app.repos.customers.findByPhone(ANA)!;
    const [stored] = c.app.repos.messages.listByCustomer(customer.id);
    expect(stored).toMatchObject({ direction: 'in', kind: 'contacts' });
    expect(bubbles((await c.get(ANA_URL)).body)).toEqual([{ side: 'mine', text: expect.stringContaining('👤 Contato: Bia +5521998765432') }]);
  });

  it.each<{ path: string; fields: Record<string, string>; says: string }>([
    { path: '/simulator/send', fields: { phone: '(11) 3333-4444', text: 'Oi' }, says: 'Celular do cliente: não é um celular' },
    { path: '/simulator/send', fields: { phone: ANA, text: '   ' }, says: 'Mensagem: escreva algo para enviar.' },
    { path: '/simulator/send', fields: { phone: ANA, text: 'x'.repeat(4097) }, says: 'Mensagem: no máximo 4096 caracteres.' },
    { path: '/simulator/send', fields: { phone: ANA, name: 'n'.repeat(101), text: 'Oi' }, says: 'Nome: no máximo 100 caracteres.' },
    { path: '/simulator/contact', fields: { phone: ANA, contactName: 'Bia', contactPhone: '123' }, says: 'Celular do contato: ' },
    { path: '/simulator/contact', fields: { phone: 'x', contactPhone: BIA }, says: 'Celular do cliente: não parece um número de telefone' },
  ])('refuses $fields on $path with 400, saying which field and why, sending nothing', async ({ path: url, fields, says }) => {
    const c = await open();
    const response = await c.post(url, fields);
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(new RegExp(`<p class="error sim-banner" role="alert">${says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(c.app.simulator.phones()).toEqual([]);
    expect(c.app.repos.customers.findByPhone(ANA)).toBeUndefined();
  });

  it('keeps what was typed when a message is refused', async () => {
    const c = await open();
    const response = await c.post('/simulator/send', { phone: ANA, name: 'n'.repeat(101), text: 'Oi, tudo bem?' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('value="Oi, tudo bem?"');
  });

  it('escapes a hostile name and text in the list, the chat and its JSON stays data', async () => {
    const c = await open();
    const text = '<img src=x onerror=alert(1)> & "aspas"';
    expect((await c.post('/simulator/send', { phone: ANA, name: HOSTILE, text })).statusCode).toBe(303);
    for (const url of ['/simulator', ANA_URL]) {
      const page = await c.get(url);
      expect(page.body, url).not.toContain(HOSTILE);
      expect(page.body, url).not.toContain('<img src=x');
      expect(page.body, url).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    const chat = await c.get(ANA_URL);
    expect(chat.body).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;aspas&quot;');
    expect(chat.body).toContain('aria-label="Conversa com &lt;script&gt;alert(1)&lt;/script&gt;"');
    const json = (await c.get(`/simulator/conversation?phone=${encodeURIComponent(ANA)}`)).json();
    expect(json.bubbles[0].text).toBe(text);
  });

  it('refuses a form posted without the page’s token (403), and plays nothing', async () => {
    const c = await open();
    for (const [url, fields] of [
      ['/simulator/send', { phone: ANA, text: 'Oi' }],
      ['/simulator/contact', { phone: ANA, contactPhone: BIA }],
      ['/simulator/vote', { phone: ANA, poll: 'x', option: '9' }],
      ['/simulator/clock', { phone: ANA, advance: '1d' }],
    ] as const) {
      const response = await c.app.app.inject({
        method: 'POST',
        url,
        cookies: c.cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
      expect(response.statusCode, url).toBe(403);
      const anonymous = await c.app.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: c.csrf, ...fields }).toString() });
      expect(anonymous.statusCode, url).toBe(401);
    }
    expect(c.app.simulator.phones()).toEqual([]);
    expect(c.app.clock.now()).toBe(Date.parse(START));
  });
});

describe('polls', () => {
  async function atTheNpsQuestion(): Promise<{ c: PagesClient; pollId: string }> {
    const c = await open();
    await anaBuys(c);
    await c.post('/simulator/clock', { advance: '7d', phone: ANA });
    const poll = c.app.simulator.conversation(ANA).find((m) => m.content.kind === 'poll');
    expect(poll).toBeDefined();
    return { c, pollId: poll!.id };
  }

  it('shows the bot’s poll with its options as buttons that vote', async () => {
    const { c, pollId } = await atTheNpsQuestion();
    const page = await c.get(ANA_URL);
    expect(page.body).toContain('📊 Enquete');
    expect(page.body).toContain('Ana, de 0 a 10, quanto você recomendaria a nossa loja para um amigo ou amiga?');
    expect(page.body).toContain(`<input type="hidden" name="poll" value="${pollId}">`);
    for (const option of ['0', '5', '10']) {
        expect(page.body).toContain(`<button type="submit" name="option" value="${option}" class="sim-option" aria-pressed="false">${option}</button>`);
    }
  });

  it('a vote reaches the record as the customer’s answer, marks the option, and the bot’s answer follows', async () => {
    const { c, pollId } = await atTheNpsQuestion();
    const response = await c.post('/simulator/vote', { phone: ANA, poll: pollId, option: '3' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${ANA_URL}&waited=20#sim-chat`);
    const customer = c.app.repos.customers.findByPhone(ANA)!;
    expect(c.app.repos.messages.listByCustomer(customer.id).filter((m) => m.direction === 'in').map((m) => m.kind)).toEqual(['poll_vote']);
    const page = await c.get(ANA_URL);
    expect(page.body).toContain('<button type="submit" name="option" value="3" class="sim-option chosen" aria-pressed="true">3</button>');
    const chat = bubbles(page.body);
    expect(chat.at(-2)).toEqual({ side: 'mine', text: expect.stringContaining('🗳️ Votou: 3') });
    expect(chat.at(-1)).toEqual({ side: 'theirs', text: expect.stringContaining('sinto muito') });
  });

  it('a poll that takes several options shows checkboxes; the vote sends every option ticked', async () => {
    const c = await open();
    await c.app.simulator.send(ANA, { kind: 'poll', question: 'O que mais você quer?', options: ['Café', 'Chá', 'Bolo'], selectableCount: 0 }, { messageId: '3EB0MULTI' });
    const page = await c.get(ANA_URL);
    expect(page.body).toContain('Escolha uma ou mais');
    expect(page.body).toContain('<label class="sim-option"><input type="checkbox" name="option" value="Chá"> Chá</label>');
    const response = await c.app.app.inject({
      method: 'POST',
      url: '/simulator/vote',
      cookies: c.cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(c.csrf)}&phone=${encodeURIComponent(ANA)}&poll=3EB0MULTI&option=Caf%C3%A9&option=Bolo`,
    });
    expect(response.statusCode).toBe(303);
    expect(c.app.simulator.conversation(ANA).at(-1)?.content).toEqual({ kind: 'poll_vote', pollMessageId: '3EB0MULTI', selectedOptions: ['Café', 'Bolo'] });
    const after = await c.get(ANA_URL);
    expect(after.body).toContain('<input type="checkbox" name="option" value="Café" checked> Café');
    expect(after.body).toContain('<input type="checkbox" name="option" value="Chá"> Chá');
    expect(bubbles(after.body).at(-1)).toEqual({ side: 'mine', text: expect.stringContaining('🗳️ Votou: Café, Bolo') });
  });

  it('refuses a vote for an option the poll lacks, or a poll never sent, with 400 and the simulator’s reason', async () => {
    const { c, pollId } = await atTheNpsQuestion();
    const wrongOption = await c.post('/simulator/vote', { phone: ANA, poll: pollId, option: '11' });
    expect(wrongOption.statusCode).toBe(400);
    expect(wrongOption.body).toContain(`O simulador recusou: Poll ${pollId} has no option &quot;11&quot;`);
    const wrongPoll = await c.post('/simulator/vote', { phone: ANA, poll: '3EB0NOPE', option: '9' });
    expect(wrongPoll.statusCode).toBe(400);
    expect(wrongPoll.body).toContain('O simulador recusou: No poll 3EB0NOPE was sent to +5511912345678.');
    expect(inboundTexts(c, ANA)).toEqual([]);
  });
});

describe('the clock', () => {
  it('+1 dia moves the clock a day, sends the thanks that came due, says how many went, and the chat shows it', async () => {
    const c = await open();
    await anaBuys(c);
    expect(bubbles((await c.get(ANA_URL)).body)).toEqual([]);
    const response = await c.post('/simulator/clock', { advance: '1d', phone: ANA });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${ANA_URL}&jumped=1d&sent=1#sim-chat`);
    expect(c.app.clock.now()).toBe(Date.parse(START) + DAY);

    const page = await c.get(location(response));
    expect(page.body).toContain('<p class="notice sim-banner" role="status">O relógio avançou +1 dia. Mensagens enviadas: 1.</p>');
    expect(mainText(page.body)).toContain('Agora no simulador: sáb., 21/11/2026 10:00');
    expect(bubbles(page.body)).toEqual([{ side: 'theirs', text: expect.stringContaining('Muito obrigado pela compra de Café especial') }]);
  });

  it.each([
    { advance: '1h', ms: 3_600_000, label: '+1 hora' },
    { advance: '7d', ms: 7 * DAY, label: '+1 semana' },
  ])('$label moves it by $advance', async ({ advance, ms, label }) => {
    const c = await open();
    const page = await follow(c, await c.post('/simulator/clock', { advance }));
    expect(c.app.clock.now()).toBe(Date.parse(START) + ms);
    expect(page.body).toContain(`O relógio avançou ${label}. Mensagens enviadas: 0.`);
  });

  it('says when the next queued message may go, when it waits for the time', async () => {
    // Friday 19:30: the thanks is due at 20:30, inside the quiet hours (20:00-09:00).
    const c = await open({ clock: new ManualClock('2026-11-20T22:30:00Z') });
    await anaBuys(c);
    await c.post('/simulator/clock', { advance: '1h', phone: ANA });
    await c.post('/simulator/clock', { advance: '1h', phone: ANA });
    const page = await c.get(ANA_URL);
    expect(bubbles(page.body)).toEqual([]);
    expect(mainText(page.body)).toContain('A próxima mensagem da fila pode sair sáb., 21/11/2026 09:00: avance o relógio para vê-la.');
  });

  it.each(['2h', '', 'toString', '-1d'])('refuses advance=%j with 400 and leaves the clock', async (advance) => {
    const c = await open();
    const response = await c.post('/simulator/clock', { advance, phone: ANA });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<p class="error sim-banner" role="alert">Avance o relógio com +1 hora, +1 dia ou +1 semana.</p>');
    expect(c.app.clock.now()).toBe(Date.parse(START));
  });

  it('ignores a forged jump notice in the address', async () => {
    const c = await open();
    const page = await c.get(`${ANA_URL}&jumped=constructor&sent=3`);
    expect(page.body).not.toContain('O relógio avançou');
  });
});

describe('GET /simulator/conversation (for simulator.js)', () => {
  it('gives the chat as JSON, with a version that changes when anything drawn changes', async () => {
    const c = await open();
    const url = `/simulator/conversation?phone=${encodeURIComponent(ANA)}`;
    const empty = await c.get(url);
    expect(empty.statusCode).toBe(200);
    expect(empty.headers['cache-control']).toBe('no-store');
    expect(empty.json()).toEqual({ phone: ANA, state: 'open', version: expect.any(String), bubbles: [] });
    await c.post('/simulator/send', { phone: ANA, text: 'Oi' });
    const after = (await c.get(url)).json();
    expect(after.version).not.toBe(empty.json().version);
    expect(after.bubbles).toEqual([
      { id: expect.stringMatching(/^3A/), mine: true, dayBreak: 'sex., 20/11/2026', time: '10:00', label: null, note: null, image: null, text: 'Oi', ticks: null, poll: null },
    ]);
    // The page draws the same version, so the script redraws only on a change.
    expect((await c.get(ANA_URL)).body).toContain(`data-version="${after.version}"`);
  });

  it('answers a bad number with 400 and the phone problem', async () => {
    const c = await open();
    const response = await c.get('/simulator/conversation?phone=123');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: 'bad_phone', message: expect.stringMatching(/^Celular do cliente: /) } });
  });
});

describe('an unlinked simulator', () => {
  it('warns that what customers send waits on their phones, and links to Conectar', async () => {
    const clock = new ManualClock(START);
    const channel = new SimulatorChannel({ clock, linked: false });
    await channel.start();
    const c = await open({ clock, channel });
    await c.post('/simulator/send', { phone: ANA, text: 'Oi' });
    const page = await c.get(ANA_URL);
    expect(mainText(page.body)).toContain('O número da loja não está conectado (Aguardando a leitura do QR code): o que os clientes enviam fica no celular deles até conectar. Ir para Conectar');
    expect(page.body).toContain('<a href="/connect">Ir para Conectar</a>');
    // On the customer's phone, not yet in the record.
    expect(bubbles(page.body)).toEqual([{ side: 'mine', text: expect.stringContaining('Oi') }]);
    expect(inboundTexts(c, ANA)).toEqual([]);
  });
});

describe('without the simulator', () => {
  it('does not exist with the WhatsApp channel (404), and the menu does not offer it', async () => {
    const c = await open({ channel: new FakeChannel() });
    for (const url of ['/simulator', ANA_URL, `/simulator/conversation?phone=${encodeURIComponent(ANA)}`]) {
      expect((await c.get(url)).statusCode, url).toBe(404);
    }
    for (const url of ['/simulator/send', '/simulator/contact', '/simulator/vote', '/simulator/clock']) {
      expect((await c.post(url, { phone: ANA, text: 'Oi', advance: '1d' })).statusCode, url).toBe(404);
    }
    expect((await c.get('/connect')).body).not.toContain('href="/simulator"');
  });
});

describe('simulator.js', () => {
  it('is served as JavaScript without signing in, and builds the chat without markup from data', async () => {
    const c = await open();
    const response = await c.app.app.inject({ method: 'GET', url: '/assets/simulator.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const source = fs.readFileSync(packagePath('src', 'http', 'assets', 'simulator.js'), 'utf8');
    expect(response.body).toBe(source);
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
