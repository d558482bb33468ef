import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newMessageId } from '../../src/channels/channel.js';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import type { FlowContent } from '../../src/flows/steps/types.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { FakeChannel } from '../helpers/fake-channel.js';

const ANA = '+5511912345678';
const BIA = '+5521987654321';
const NOW_ISO = '2026-11-20T15:00:00.000Z';

let t: TestApp;
let sim: SimulatorChannel;
/** The flows folder, where the bot's images are read from. */
let flowsDir: string;
beforeEach(async () => {
  flowsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-simulator-api-'));
  fs.writeFileSync(path.join(flowsDir, 'cupom.png'), Buffer.alloc(10));
  // No gap between the bot's messages: each test sends a few at the same simulated moment.
  t = await createTestApp({ env: { FLOWS_DIR: flowsDir, SEND_GAP_SECONDS: '0' } });
  sim = t.channel as SimulatorChannel;
});
afterEach(async () => {
  await t.close();
  fs.rmSync(flowsDir, { recursive: true, force: true });
});

function post(url: string, payload: unknown) {
  return t.api({ method: 'POST', url, payload: payload as Record<string, unknown> });
}

function customerMessage(payload: Record<string, unknown>) {
  return post('/api/simulator/messages', payload);
}

function faults(payload: Record<string, unknown>) {
  return post('/api/simulator/faults', payload);
}

/** What the faults answer says of WhatsApp's new-chat rules while none is set. */
const NO_RULES = { limits: { cap: null, lock: null, waVersion: null }, refusingNewChats: 0 };

/**
 * The bot sends as a flow step does: a row in the outbox, handed to WhatsApp by
 * the send governor. Answers the message as the record keeps it, with its
 * outbox row; no message when the governor tried nothing.
 */
async function botSends(phone: string, content: FlowContent) {
  const customer = t.repos.customers.findByPhone(phone) ?? t.repos.customers.create({ phone, details: {} }, t.clock.now());
  const now = t.clock.now();
  const waId = newMessageId();
  t.repos.outbox.enqueue(
    [{ dedupeKey: `bot:${waId}`, runId: null, stepId: null, customerId: customer.id, purpose: 'customer', toPhone: phone, marketing: false, content, waId, dueAt: now, notBefore: now, expiresAt: now + 24 * 3600_000 }],
    now,
  );
  await t.flows.governor.drain();
  return { waId, customerId: customer.id, message: t.repos.messages.findByWaId(waId), row: t.repos.outbox.findByWaId(waId) };
}

async function conversation(phone: string) {
  const response = await t.api({ method: 'GET', url: '/api/simulator/messages', query: { phone } });
  expect(response.statusCode).toBe(200);
  return response.json<{ phone: string; messages: { id: string; direction: string; from: string; status: string | null; content: Record<string, unknown> }[] }>();
}

describe('POST /api/simulator/messages', () => {
  it('plays a customer sending text: creates the customer, stores the message, answers 201 with both', async () => {
    const response = await customerMessage({ from: '(11) 91234-5678', name: '  Ana   Souza ', text: 'Oi, o café chegou!' });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    const customer = t.repos.customers.findByPhone(ANA);
    expect(customer).toMatchObject({ name: 'Ana Souza' });
    expect(body).toEqual({
      inbound: {
        id: expect.stringMatching(/^3A[0-9A-F]{18}$/),
        phone: ANA,
        jid: '5511912345678@s.whatsapp.net',
        lid: null,
        timestamp: Date.parse(NOW_ISO),
        pushName: 'Ana Souza',
        content: { kind: 'text', text: 'Oi, o café chegou!' },
      },
      customerId: customer!.id,
      message: {
        id: expect.any(Number),
        direction: 'in',
        waId: body.inbound.id,
        kind: 'text',
        text: 'Oi, o café chegou!',
        payload: { content: { kind: 'text', text: 'Oi, o café chegou!' }, jid: '5511912345678@s.whatsapp.net', lid: null, at: Date.parse(NOW_ISO) },
        status: 'received',
        createdAt: NOW_ISO,
        sentAt: null,
        deliveredAt: null,
        readAt: null,
        error: null,
      },
    });
    expect(t.repos.messages.listByCustomer(customer!.id).map((m) => m.waId)).toEqual([body.inbound.id]);

    // The same person again: the same customer.
    const again = await customerMessage({ from: '5511912345678', text: 'Tudo certo' });
    expect(again.json().customerId).toBe(customer!.id);
  });

  it('plays a customer sharing a contact card', async () => {
    const response = await customerMessage({ from: ANA, contact: { name: 'Bia Lima', phones: ['+55 21 98765-4321'] } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      inbound: { content: { kind: 'contacts', contacts: [{ name: 'Bia Lima', phones: ['+55 21 98765-4321'] }] } },
      message: { kind: 'contacts', text: 'Bia Lima +55 21 98765-4321', status: 'received' },
    });

    const nameless = await customerMessage({ from: ANA, contact: { phones: ['21987654321', '21987654322'] } });
    expect(nameless.json()).toMatchObject({
      inbound: { content: { contacts: [{ name: null, phones: ['21987654321', '21987654322'] }] } },
      message: { text: '21987654321 21987654322' },
    });
  });

  it('plays a customer voting in a poll the bot sent', async () => {
    const poll = await botSends(ANA, { kind: 'poll', question: 'De 0 a 10?', options: ['0-6', '7-8', '9-10'], selectableCount: 1 });
    const response = await customerMessage({ from: '(11) 91234-5678', pollVote: { pollMessageId: poll.waId, options: ['9-10'] } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      inbound: { content: { kind: 'poll_vote', pollMessageId: poll.waId, selectedOptions: ['9-10'] } },
      customerId: poll.customerId,
      message: { kind: 'poll_vote', text: '9-10' },
    });
  });

  it.each([
    { what: 'an unknown poll', vote: () => ({ pollMessageId: '3EB0NOSUCHPOLL', options: ['Sim'] }), says: 'No poll 3EB0NOSUCHPOLL was sent to +5511912345678' },
    { what: 'a poll sent to someone else', vote: (id: string) => ({ pollMessageId: id, options: ['Sim'] }), from: BIA, says: 'No poll' },
    { what: 'an option the poll does not have', vote: (id: string) => ({ pollMessageId: id, options: ['Talvez'] }), says: 'has no option "Talvez"' },
  ])('refuses a vote in $what with 400 simulator_refused, storing nothing', async ({ vote, from, says }) => {
    const poll = await botSends(ANA, { kind: 'poll', question: 'Gostou?', options: ['Sim', 'Não'], selectableCount: 1 });
    const response = await customerMessage({ from: from ?? ANA, pollVote: vote(poll.waId) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: 'simulator_refused', message: expect.stringContaining(says) } });
    expect(response.json().error.message).toMatch(/^Requisição inválida: /);
    expect(t.db.sqlite.prepare("SELECT count(*) AS n FROM messages WHERE direction = 'in'").get()).toEqual({ n: 0 });
  });

  it.each([
    { what: 'none of text, contact, pollVote', body: { from: ANA } },
    { what: 'text and contact', body: { from: ANA, text: 'Oi', contact: { phones: [BIA] } } },
    { what: 'text and pollVote', body: { from: ANA, text: 'Oi', pollVote: { pollMessageId: 'X', options: [] } } },
  ])('answers $what with 400 and an issue', async ({ body }) => {
    const response = await customerMessage(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: 'Alguns dados estão inválidos.',
        issues: [{ path: '', message: 'envie exatamente um de: text, contact, pollVote, media' }],
      },
    });
    expect(sim.phones()).toEqual([]);
  });

  it('says in English, with LOCALE=en, that exactly one of text, contact, pollVote is needed', async () => {
    await t.close();
    t = await createTestApp({ env: { LOCALE: 'en' } });
    const response = await customerMessage({ from: ANA, text: 'Oi', contact: { phones: [BIA] } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { code: 'validation_failed', message: 'Some fields are invalid.', issues: [{ path: '', message: 'send exactly one of: text, contact, pollVote, media' }] },
    });
  });

  it.each([
    { what: 'a landline', body: { from: '(11) 3333-4444', text: 'Oi' }, issue: { path: 'from', message: 'não é um celular: o WhatsApp precisa de um número de celular' } },
    { what: 'no sender', body: { text: 'Oi' }, issue: { path: 'from', message: expect.any(String) } },
    { what: 'an empty text', body: { from: ANA, text: '' }, issue: { path: 'text', message: expect.any(String) } },
    { what: 'a contact without phones', body: { from: ANA, contact: { name: 'Bia', phones: [] } }, issue: { path: 'contact.phones', message: expect.any(String) } },
    { what: 'an unknown field', body: { from: ANA, text: 'Oi', image: 'x' }, issue: { path: '', message: expect.stringContaining('image') } },
  ])('answers $what with 400 naming the field', async ({ body, issue }) => {
    const response = await customerMessage(body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect(response.json().error.issues).toContainEqual(issue);
    expect(t.repos.customers.findByPhone(ANA)).toBeUndefined();
  });
});

describe('POST /api/simulator/owner-messages', () => {
  it('plays the owner typing on the shop’s phone: stored as an outgoing message by the owner', async () => {
    const response = await post('/api/simulator/owner-messages', { to: '(21) 98765-4321', text: 'Oi Bia, aqui é a Carla da loja' });
    expect(response.statusCode).toBe(201);
    const customer = t.repos.customers.findByPhone(BIA);
    expect(response.json()).toEqual({
      owner: {
        id: expect.stringMatching(/^3A/),
        phone: BIA,
        jid: '5521987654321@s.whatsapp.net',
        timestamp: Date.parse(NOW_ISO),
        content: { kind: 'text', text: 'Oi Bia, aqui é a Carla da loja' },
      },
      customerId: customer!.id,
      message: expect.objectContaining({
        direction: 'out',
        text: 'Oi Bia, aqui é a Carla da loja',
        status: 'sent',
        sentAt: NOW_ISO,
        payload: { author: 'owner', content: { kind: 'text', text: 'Oi Bia, aqui é a Carla da loja' }, jid: '5521987654321@s.whatsapp.net' },
      }),
    });
  });

  it.each([
    { body: { to: ANA }, path: 'text' },
    { body: { to: ANA, text: '' }, path: 'text' },
    { body: { to: 'abc', text: 'Oi' }, path: 'to' },
    { body: { to: ANA, text: 'Oi', from: ANA }, path: '' },
  ])('answers $body with 400 at $path', async ({ body, path }) => {
    const response = await post('/api/simulator/owner-messages', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
  });
});

describe('GET /api/simulator/messages', () => {
  it('returns the whole conversation in order, with ids and statuses, whatever way the phone is written', async () => {
    const bot = await botSends(ANA, { kind: 'text', text: 'Obrigado pela compra!' });
    // What the route answers, as the governor's send returns: on the phone, its receipt still on the way back.
    expect(sim.conversation(ANA)).toMatchObject([{ id: bot.waId, direction: 'out', from: 'bot', status: 'sent' }]);

    await sim.flush();
    // Receipts are stored in the next group commit.
    await t.traffic.settled();
    expect((await conversation(ANA)).messages).toMatchObject([{ id: bot.waId, status: 'delivered' }]);
    expect(t.repos.messages.findByWaId(bot.waId)?.status).toBe('delivered');

    const reply = (await customerMessage({ from: ANA, text: 'Eu que agradeço' })).json();
    const owner = (await post('/api/simulator/owner-messages', { to: ANA, text: 'Volte sempre!' })).json();
    // The owner wrote to Ana: the bot keeps quiet for HANDOFF_PAUSE_HOURS before its next message to her.
    await t.traffic.settled();
    t.clock.advance(t.config.handoffPauseHours * 3600_000);
    const image = await botSends(ANA, { kind: 'image', file: 'cupom.png', caption: 'Cupom' });
    await sim.flush();
    await t.traffic.settled();

    const expected = [
      { id: bot.waId, direction: 'out', from: 'bot', status: 'read', content: { kind: 'text', text: 'Obrigado pela compra!' } },
      { id: reply.inbound.id, direction: 'in', from: 'customer', status: null, content: { kind: 'text', text: 'Eu que agradeço' } },
      { id: owner.owner.id, direction: 'out', from: 'owner', status: null, content: { kind: 'text', text: 'Volte sempre!' } },
      { id: image.waId, direction: 'out', from: 'bot', status: 'delivered', content: { kind: 'image', caption: 'Cupom', mimetype: 'image/png', size: 10 } },
    ];
    for (const phone of [ANA, '(11) 91234-5678', '5511912345678', '11912345678', '+55 11 9 1234-5678']) {
      const body = await conversation(phone);
      expect(body.phone).toBe(ANA);
      expect(body.messages).toMatchObject(expected);
      expect(body.messages).toHaveLength(4);
    }
    // The customer read the bot's message before replying: the record says so too.
    expect(t.repos.messages.findByWaId(bot.waId)?.status).toBe('read');
  });

  it('returns an empty conversation for a number nobody talked to', async () => {
    expect(await conversation(BIA)).toEqual({ phone: BIA, messages: [] });
  });

  it.each<{ query: Record<string, string>; issue: string }>([
    { query: {}, issue: 'query.phone' },
    { query: { phone: 'nada' }, issue: 'query.phone' },
    { query: { phone: ANA, extra: '1' }, issue: 'query' },
  ])('answers query $query with 400 at $issue', async ({ query, issue }) => {
    const response = await t.api({ method: 'GET', url: '/api/simulator/messages', query });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues.map((i: { path: string }) => i.path)).toContain(issue);
  });
});

describe('POST /api/simulator/faults', () => {
  it('drop: sends then fail as disconnected and the state is connecting; restore brings it back', async () => {
    const dropped = await faults({ drop: true });
    expect(dropped.statusCode).toBe(200);
    expect(dropped.json()).toEqual({ state: 'connecting', breaker: { open: false, reason: null, since: null }, ...NO_RULES });
    expect((await t.api({ method: 'GET', url: '/api/whatsapp' })).json()).toMatchObject({ state: 'connecting', detail: 'A conexão caiu (falha simulada).' });
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'degraded', channel: { state: 'connecting' } });

    expect(await sim.send(ANA, { kind: 'text', text: 'Oi' }, { messageId: newMessageId() })).toMatchObject({ ok: false, reason: 'disconnected', detail: 'the connection dropped' });
    // So the send governor tries nothing: the bot's message waits in the outbox, not in the record yet.
    const lost = await botSends(ANA, { kind: 'text', text: 'Oi' });
    expect(lost.message).toBeUndefined();
    expect(lost.row).toMatchObject({ status: 'queued', attempts: 0 });

    // A customer's message waits at WhatsApp while the shop is offline: not in the record yet.
    const waiting = await customerMessage({ from: BIA, text: 'Alô?' });
    expect(waiting.statusCode).toBe(202);
    expect(waiting.json()).toMatchObject({ customerId: null, message: null });
    expect(t.repos.messages.findByWaId(waiting.json().inbound.id)).toBeUndefined();

    const restored = await faults({ restore: true });
    expect(restored.json()).toEqual({ state: 'open', breaker: { open: false, reason: null, since: null }, ...NO_RULES });
    expect(t.repos.messages.findByWaId(waiting.json().inbound.id)).toMatchObject({ text: 'Alô?', status: 'received' });
    // The link's return woke the scheduler: the waiting message goes at that tick.
    await t.flows.scheduler.tick();
    expect(t.repos.outbox.findByWaId(lost.waId)).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await botSends(ANA, { kind: 'text', text: 'Oi de novo' })).message).toMatchObject({ status: 'sent' });
  });

  it('failNextSends: that many sends end unknown, then sending works again', async () => {
    expect((await faults({ failNextSends: 2 })).statusCode).toBe(200);
    const statuses = [];
    for (const text of ['um', 'dois', 'três']) statuses.push((await botSends(ANA, { kind: 'text', text })).message?.status);
    expect(statuses).toEqual(['unknown', 'unknown', 'sent']);
    // Nothing reached the phone for the failed ones.
    expect((await conversation(ANA)).messages.map((m) => m.content.text)).toEqual(['três']);
  });

  it('restrictNextSend: the next send is refused with 463, the breaker opens and /health shows sending paused', async () => {
    expect((await faults({ restrictNextSend: true })).json().breaker.open).toBe(false);
    const refused = await botSends(ANA, { kind: 'text', text: 'Promoção' });
    expect(refused.message).toMatchObject({ status: 'failed', error: expect.stringMatching(/^restricted: /) });
    await sim.flush();

    const health = (await t.api({ method: 'GET', url: '/health' })).json();
    expect(health).toMatchObject({ status: 'degraded', channel: { state: 'open', sending: 'paused', pausedBecause: 'restricted', pausedSince: NOW_ISO } });
    expect((await faults({})).json()).toMatchObject({ state: 'open', breaker: { open: true, reason: 'restricted' } });
    expect(await sim.send(ANA, { kind: 'text', text: 'Outra' }, { messageId: newMessageId() })).toMatchObject({ ok: false, reason: 'breaker_open' });
    // So the send governor tries nothing while it is open: the bot's message waits in the outbox.
    const held = await botSends(ANA, { kind: 'text', text: 'Outra' });
    expect(held.message).toBeUndefined();
    expect(held.row).toMatchObject({ status: 'queued', attempts: 0 });

    await t.api({ method: 'POST', url: '/api/whatsapp/resume-sending' });
    expect((await t.api({ method: 'GET', url: '/health' })).json().channel.sending).toBe('allowed');
    await t.flows.scheduler.tick();
    expect(t.repos.outbox.findByWaId(held.waId)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('notOnWhatsApp: the number, however written, cannot receive or send', async () => {
    expect((await faults({ notOnWhatsApp: '(21) 98765-4321' })).statusCode).toBe(200);
    expect((await botSends(BIA, { kind: 'text', text: 'Oi' })).message).toMatchObject({ status: 'failed', error: `not_on_whatsapp: ${BIA} has no WhatsApp account` });
    const response = await customerMessage({ from: BIA, text: 'Oi' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'simulator_refused', message: expect.stringContaining('not on WhatsApp') });
    // Others are not affected.
    expect((await botSends(ANA, { kind: 'text', text: 'Oi' })).message).toMatchObject({ status: 'sent' });
  });

  // BUG (src/http/routes/simulator.ts, POST /simulator/faults returns `simulator.breaker` as is):
  // breaker.since comes back in epoch milliseconds, while /api/whatsapp shows the same breaker with
  // since in ISO 8601 (present.ts: ISO is "what the API shows for every time"). It should go
  // through iso() as whatsapp.ts does.
  it('shows when the breaker opened in ISO 8601, as /api/whatsapp does', async () => {
    await faults({ restrictNextSend: true });
    await botSends(ANA, { kind: 'text', text: 'Promoção' });
    const fromWhatsapp = (await t.api({ method: 'GET', url: '/api/whatsapp' })).json().breaker;
    expect(fromWhatsapp.since).toBe(NOW_ISO);
    expect((await faults({})).json().breaker).toEqual(fromWhatsapp);
  });

  it('answers an empty body with the state, changing nothing', async () => {
    expect((await faults({})).json()).toEqual({ state: 'open', breaker: { open: false, reason: null, since: null }, ...NO_RULES });
  });

  it.each([
    { body: { drop: false }, path: 'drop' },
    { body: { failNextSends: 0 }, path: 'failNextSends' },
    { body: { failNextSends: 1.5 }, path: 'failNextSends' },
    { body: { notOnWhatsApp: '(11) 3333-4444' }, path: 'notOnWhatsApp' },
    { body: { explode: true }, path: '' },
  ])('answers $body with 400 at $path and injects nothing', async ({ body, path }) => {
    const response = await faults(body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(sim.state).toBe('open');
  });
});

describe('POST /api/simulator/faults: WhatsApp’s rules on new chats (issue 18)', () => {
  const LATER = '2026-11-20T18:30:00.000Z';

  it('newChatCap: a quota per cycle starting now, answered with the resulting limits in ISO 8601', async () => {
    const response = await faults({ newChatCap: { total: 50, used: 38 } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      state: 'open',
      breaker: { open: false, reason: null, since: null },
      limits: {
        cap: { total: 50, used: 38, cycleStart: NOW_ISO, cycleEnd: '2026-11-21T15:00:00.000Z', status: 'none', readAt: NOW_ISO },
        lock: null,
        waVersion: null,
      },
      refusingNewChats: 0,
    });
    expect((await faults({ newChatCap: { total: 50, used: 45, cycleHours: 12 } })).json().limits.cap).toMatchObject({
      used: 45,
      status: 'second_warning',
      cycleEnd: '2026-11-21T03:00:00.000Z',
    });
    expect(sim.limits.cap).toMatchObject({ total: 50, used: 45 });
    expect((await faults({ newChatCap: null })).json().limits).toEqual({ cap: null, lock: null, waVersion: null });
  });

  it('newChatCap at its end: a new chat is accepted, then refused with 463; a customer who wrote still gets answers', async () => {
    await faults({ newChatCap: { total: 10, used: 10 } });
    await customerMessage({ from: ANA, text: 'Oi, vocês entregam em Campinas?' });
    const cold = await sim.send(BIA, { kind: 'text', text: 'Obrigada pela compra!' }, { messageId: newMessageId(), cold: true });
    const warm = await sim.send(ANA, { kind: 'text', text: 'Entregamos sim!' }, { messageId: newMessageId(), cold: false });
    await sim.flush();
    expect([cold.ok, warm.ok]).toEqual([true, true]);
    expect(sim.sendCalls.map((call) => call.refused)).toEqual([463, null]);
    expect((await conversation(BIA)).messages).toEqual([]);
    expect((await conversation(ANA)).messages.map((m) => m.from)).toEqual(['customer', 'bot']);
  });

  it('timeLock: for some minutes or until a moment; false lifts it', async () => {
    const minutes = await faults({ timeLock: { minutes: 90 } });
    expect(minutes.statusCode).toBe(200);
    expect(minutes.json().limits).toEqual({
      cap: null,
      lock: { active: true, endsAt: '2026-11-20T16:30:00.000Z', kind: 'BIZ_QUALITY', readAt: NOW_ISO },
      waVersion: null,
    });
    expect((await faults({ timeLock: { until: '2026-11-20T15:30:00-03:00' } })).json().limits.lock).toMatchObject({ active: true, endsAt: LATER });
    const refused = await sim.send(BIA, { kind: 'text', text: 'Oi!' }, { messageId: newMessageId(), cold: true });
    expect(refused.ok).toBe(true);
    expect(sim.sendCalls.at(-1)?.refused).toBe(463);
    expect((await faults({ timeLock: false })).json().limits.lock).toEqual({ active: false, endsAt: null, kind: null, readAt: NOW_ISO });
    await sim.send(BIA, { kind: 'text', text: 'Oi de novo!' }, { messageId: newMessageId(), cold: true });
    expect(sim.sendCalls.at(-1)?.refused).toBeNull();
  });

  it('timeLock ends by itself when the simulated clock passes its end', async () => {
    await faults({ timeLock: { minutes: 30 } });
    expect((await t.api({ method: 'POST', url: '/api/simulator/clock', payload: { advance: '31m' } })).statusCode).toBe(200);
    expect((await faults({})).json().limits.lock).toMatchObject({ active: false, endsAt: null });
  });

  it('refuseNewChats: the next n new chats get 463, counted down in the answer', async () => {
    expect((await faults({ refuseNewChats: 2 })).json()).toMatchObject({ refusingNewChats: 2, limits: { cap: null, lock: null } });
    await sim.send(BIA, { kind: 'text', text: 'Oi!' }, { messageId: newMessageId(), cold: true });
    expect(sim.sendCalls.at(-1)?.refused).toBe(463);
    expect((await faults({ refuseNewChats: 1 })).json().refusingNewChats).toBe(2);
  });

  it.each([
    { body: { newChatCap: { total: 50, used: 51 } }, path: 'newChatCap.used', reason: /total/ },
    { body: { newChatCap: { total: -1 } }, path: 'newChatCap.total', reason: /./ },
    { body: { newChatCap: { used: 3 } }, path: 'newChatCap.total', reason: /./ },
    { body: { newChatCap: { total: 50, cycleHours: 0 } }, path: 'newChatCap.cycleHours', reason: /./ },
    { body: { newChatCap: { total: 50, renews: 'amanhã' } }, path: 'newChatCap', reason: /renews/ },
    { body: { timeLock: {} }, path: 'timeLock', reason: /minutes, until/ },
    { body: { timeLock: { minutes: 10, until: LATER } }, path: 'timeLock', reason: /minutes, until/ },
    { body: { timeLock: { minutes: 0 } }, path: 'timeLock.minutes', reason: /./ },
    { body: { timeLock: { until: '2026-11-20T14:59:59Z' } }, path: 'timeLock.until', reason: /relógio simulado/ },
    { body: { timeLock: { until: 'amanhã' } }, path: 'timeLock.until', reason: /./ },
    { body: { timeLock: true }, path: 'timeLock', reason: /\{ minutes \}, \{ until \}/ },
    { body: { refuseNewChats: 0 }, path: 'refuseNewChats', reason: /./ },
  ])('answers $body with 400 at $path, saying why, and sets nothing', async ({ body, path, reason }) => {
    const response = await faults(body);
    expect(response.statusCode).toBe(400);
    const issues = response.json().error.issues as { path: string; message: string }[];
    expect(issues.map((issue) => issue.path)).toContain(path);
    expect(issues.find((issue) => issue.path === path)!.message).toMatch(reason);
    expect(sim.limits).toEqual({ cap: null, lock: null, waVersion: null });
    expect(sim.refusingNewChats).toBe(0);
  });
});

describe('POST /api/simulator/link', () => {
  async function unlinked(env: Record<string, string> = {}) {
    await t.close();
    const clock = new ManualClock('2026-11-20T15:00:00Z');
    const channel = new SimulatorChannel({ clock, linked: false });
    await channel.start();
    t = await createTestApp({ clock, channel, env });
    sim = channel;
    return channel;
  }

  it('plays the shop’s phone scanning the QR: 200 open, and what customers sent meanwhile is stored by then', async () => {
    await unlinked();
    expect((await t.api({ method: 'GET', url: '/api/whatsapp' })).json()).toMatchObject({ kind: 'simulator', state: 'qr', qr: expect.stringMatching(/^https:\/\/wa\.me\/settings\/linked_devices#2@/) });
    sim.receiveText(ANA, 'Oi');
    const response = await post('/api/simulator/link', { via: 'qr' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ state: 'open' });
    expect(sim.state).toBe('open');
    const customer = t.repos.customers.findByPhone(ANA);
    expect(t.repos.messages.listByCustomer(customer!.id).map((m) => m.text)).toEqual(['Oi']);
  });

  it('links with the pairing code the channel gave, typed as WhatsApp shows it', async () => {
    await unlinked();
    const code = await sim.requestPairingCode(ANA);
    const response = await post('/api/simulator/link', { pairingCode: `${code.slice(0, 4)}-${code.slice(4)}` });
    expect(response.statusCode).toBe(200);
    expect(sim.state).toBe('open');
  });

  it('answers 400 simulator_refused for a wrong code, and leaves the QR up', async () => {
    await unlinked();
    await sim.requestPairingCode(ANA);
    const response = await post('/api/simulator/link', { pairingCode: '00000000' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({ code: 'simulator_refused', message: 'Requisição inválida: o código digitado não é o que foi gerado para esta conexão.' });
    expect(sim.state).toBe('qr');
  });

  // Issue 20: the link API answered "Requisição inválida: Wrong pairing code…", half English.
  it.each([
    { locale: 'pt-BR', message: 'Requisição inválida: nenhum código foi pedido: peça primeiro o código pelo número da loja.' },
    { locale: 'en', message: 'Bad request: no code was asked for: first ask for the code with the shop’s number.' },
    { locale: 'es', message: 'Solicitud inválida: no se pidió ningún código: primero pida el código con el número de la tienda.' },
  ])('says in $locale that no code was asked for, in its own words', async ({ locale, message }) => {
    await unlinked({ LOCALE: locale });
    const response = await post('/api/simulator/link', { pairingCode: 'ABCD1234' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({ code: 'simulator_refused', message });
    expect(sim.state).toBe('qr');
  });

  it('answers 400 simulator_refused when the number is already linked', async () => {
    const response = await post('/api/simulator/link', { via: 'qr' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({ code: 'simulator_refused', message: 'Requisição inválida: o número da loja já está conectado.' });
  });

  it.each([
    { body: {}, path: '', message: 'envie exatamente um de: via ("qr"), pairingCode' },
    { body: { via: 'qr', pairingCode: 'ABCD1234' }, path: '', message: 'envie exatamente um de: via ("qr"), pairingCode' },
    { body: { via: 'camera' }, path: 'via', message: expect.any(String) },
    { body: { pairingCode: '' }, path: 'pairingCode', message: expect.any(String) },
  ])('answers $body with 400 validation_failed at "$path", linking nothing', async ({ body, path, message }) => {
    await unlinked();
    const response = await post('/api/simulator/link', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect(response.json().error.issues).toContainEqual({ path, message });
    expect(sim.state).toBe('qr');
  });
});

describe('access', () => {
  const ROUTES = [
    { method: 'POST', url: '/api/simulator/messages', payload: { from: ANA, text: 'Oi' } },
    { method: 'POST', url: '/api/simulator/owner-messages', payload: { to: ANA, text: 'Oi' } },
    { method: 'GET', url: `/api/simulator/messages?phone=${encodeURIComponent(ANA)}` },
    { method: 'POST', url: '/api/simulator/faults', payload: { drop: true } },
    { method: 'POST', url: '/api/simulator/link', payload: { via: 'qr' } },
  ] as const;

  it.each(ROUTES)('$method $url needs the token, and plays nothing without it', async (route) => {
    const response = await t.app.inject({ ...route });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthorized');
    expect(sim.phones()).toEqual([]);
    expect(sim.state).toBe('open');
  });

  it.each(ROUTES)('$method $url does not exist with the WhatsApp channel (401 without token, 404 with it)', async (route) => {
    await t.close();
    t = await createTestApp({ channel: new FakeChannel() });
    expect((await t.app.inject({ ...route })).statusCode).toBe(401);
    const response = await t.api({ ...route });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});

