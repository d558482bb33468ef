import { afterEach, describe, expect, it } from 'vitest';
import type { Address, OutboundContent, SendResult } from '../../src/channels/channel.js';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import { REASONS, type Reason } from '../../src/domain/reasons.js';
import { waitingForHours, type SendingRules } from '../../src/http/routes/outbox-page.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { DISCARDED_MESSAGE_ERROR, resolveUnknownSend } from '../../src/scheduler/resolve-unknown.js';
import type { OutboxRow } from '../../src/storage/repositories/outbox.js';
import { TEST_TOKEN } from '../helpers/app.js';
import { DelegatingChannel } from '../helpers/delegating-channel.js';
import { flowsFromYaml } from '../helpers/flows.js';
import { openPages, type PagesClient } from '../helpers/pages.js';
import { createShop, type Shop } from '../helpers/shop.js';

/** Friday 20 November 2026, 12:00 in São Paulo (quiet hours 20:00–09:00 by default). */
const START = '2026-11-20T15:00:00Z';
const ANA = '+5511912345678';
const HOSTILE = '<script>alert(1)</script>';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const THANKS = `id: obrigado
version: 1
name: Obrigado
trigger:
  type: purchase
steps:
  - id: oi
    send: "Oi, {{ customer.first_name }}! Obrigado pela compra."
`;

const SURVEY = `id: nota
version: 1
name: Nota
trigger:
  type: purchase
steps:
  - id: pesquisa
    ask:
      kind: nps
      question: "De 0 a 10, quanto nos recomendaria?"
      poll: true
      timeout: 3d
  - id: obrigado
    send: "Obrigado pela nota!"
`;

let app: Shop | undefined;
let client: PagesClient | undefined;
afterEach(async () => {
  await app?.close();
  await client?.app.close();
  app = undefined;
  client = undefined;
});

/** The text of the page's main element, tags removed and spaces collapsed. */
function mainText(body: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(body)?.[1] ?? '';
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A tick that starts now (one already under way, e.g. from a kick, is waited for first). */
async function freshTick(t: Shop): Promise<void> {
  await t.flows.scheduler.tick();
  await t.flows.scheduler.tick();
}

/** A purchase whose flow message is handed to WhatsApp and comes back of unknown outcome. */
async function unknownSend(t: Shop, fail: () => void = () => t.simulator.failNextSend()): Promise<OutboxRow> {
  await t.buy();
  fail();
  await freshTick(t);
  const [row] = t.repos.outbox.list({ limit: 10 });
  expect(row?.status).toBe('unknown');
  return row!;
}

/**
 * The simulator behind a channel whose first send reaches the phone but whose
 * answer is lost with the connection: the send is 'unknown', and the receipt
 * that proves it waits offline until restoreConnection().
 */
async function lostAnswerChannel(clock: ManualClock): Promise<{ sim: SimulatorChannel; channel: DelegatingChannel }> {
  const sim = new SimulatorChannel({ clock });
  await sim.start();
  let lose = true;
  const channel = new DelegatingChannel(sim, async (to: Address, content: OutboundContent, opts: { messageId: string }): Promise<SendResult> => {
    const result = await sim.send(to, content, opts);
    if (!lose) return result;
    lose = false;
    sim.dropConnection();
    return { ok: false, messageId: opts.messageId, reason: 'failed', detail: 'no answer from the channel within 120 s' };
  });
  return { sim, channel };
}

describe('resolveUnknownSend and POST /api/outbox/:id/resolve', () => {
  it('resend: the same row goes again under a new WhatsApp id and the tick sends it exactly once', async () => {
    app = await createShop({ clock: new ManualClock(START), flows: flowsFromYaml({ 'flow.yaml': THANKS }) });
    const t = app;
    const row = await unknownSend(t);
    expect(t.repos.messages.findByWaId(row.waId)?.status).toBe('unknown');

    const response = await t.api({ method: 'POST', url: `/api/outbox/${row.id}/resolve`, payload: { as: 'resend' } });
    expect(response.statusCode).toBe(200);
    const message = response.json<{ message: { id: number; status: string; waId: string; lastError: string; attempts: number } }>().message;
    expect(message).toMatchObject({ id: row.id, status: 'queued', attempts: 1 });
    expect(message.waId).not.toBe(row.waId);
    expect(message.waId).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(message.lastError).toBe(`resent:${row.waId}`);

    // After the gap the first send left, the tick sends it: once, under the new id.
    t.clock.advance(60_000);
    await freshTick(t);
    await t.simulator.flush();
    await t.traffic.settled();
    t.clock.advance(3600_000);
    await freshTick(t);
    await freshTick(t);
    const calls = t.simulator.sendCalls.map((call) => call.messageId);
    expect(calls).toEqual([row.waId, message.waId]);
    expect(t.simulator.conversation(ANA).filter((m) => m.from === 'bot')).toHaveLength(1);

    // One row, its dedupe key kept; the new message in the record, the old one still unknown.
    const rows = t.repos.outbox.list({ limit: 10 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: row.id, dedupeKey: row.dedupeKey, status: 'sent', waId: message.waId, attempts: 2 });
    expect(t.repos.messages.findByWaId(message.waId)?.status).toBe('delivered');
    expect(t.repos.messages.findByWaId(row.waId)?.status).toBe('unknown');
  });

  it('resend: a receipt that arrives later for the first attempt lands on its own message and changes nothing in the outbox', async () => {
    const clock = new ManualClock(START);
    const { sim, channel } = await lostAnswerChannel(clock);
    app = await createShop({ clock, channel, flows: flowsFromYaml({ 'flow.yaml': THANKS }) });
    const t = app;
    const row = await unknownSend(t, () => {});
    const resolved = await t.api({ method: 'POST', url: `/api/outbox/${row.id}/resolve`, payload: { as: 'resend' } });
    const newId = resolved.json<{ message: { waId: string } }>().message.waId;

    // The connection comes back with the first attempt's delivery receipt.
    sim.restoreConnection();
    await sim.flush();
    await t.traffic.settled();
    expect(t.repos.messages.findByWaId(row.waId)?.status).toBe('delivered');
    expect(t.repos.outbox.find(row.id)).toMatchObject({ status: 'queued', waId: newId });
    expect(t.repos.outbox.findByWaId(row.waId)).toBeUndefined();

    clock.advance(60_000);
    await freshTick(t);
    await sim.flush();
    await t.traffic.settled();
    expect(sim.sendCalls.map((call) => call.messageId)).toEqual([row.waId, newId]);
    expect(t.repos.outbox.find(row.id)).toMatchObject({ status: 'sent', waId: newId });
    expect(t.repos.messages.findByWaId(newId)?.status).toBe('delivered');
    // The duplicate the seller accepted: both reached the phone.
    expect(sim.conversation(ANA).filter((m) => m.from === 'bot')).toHaveLength(2);
  });

  it('resend of a poll: a vote on the new poll answers the question', async () => {
    app = await createShop({ clock: new ManualClock(START), flows: flowsFromYaml({ 'flow.yaml': SURVEY }) });
    const t = app;
    const row = await unknownSend(t);
    const resolved = resolveUnknownSend(t.repos, row.id, 'resend', { now: t.clock.now() });
    expect(resolved.ok).toBe(true);
    const newId = resolved.ok ? resolved.row.waId : '';
    t.clock.advance(60_000);
    await freshTick(t);
    await t.simulator.flush();

    t.simulator.receivePollVote(ANA, newId, ['9']);
    await t.traffic.settled();
    const [run] = t.repos.runs.listFor(row.customerId!);
    expect(run?.state.answer).toMatchObject({ stepId: 'pesquisa', value: '9', outcome: 'promoter' });
  });

  it('resend of a poll that did reach the phone: a vote on the first poll answers the question too', async () => {
    const clock = new ManualClock(START);
    const { sim, channel } = await lostAnswerChannel(clock);
    app = await createShop({ clock, channel, flows: flowsFromYaml({ 'flow.yaml': SURVEY }) });
    const t = app;
    const row = await unknownSend(t, () => {});
    resolveUnknownSend(t.repos, row.id, 'resend', { now: clock.now() });
    sim.restoreConnection();
    clock.advance(60_000);
    await freshTick(t);
    await sim.flush();
    await t.traffic.settled();

    sim.receivePollVote(ANA, row.waId, ['3']);
    await t.traffic.settled();
    const [run] = t.repos.runs.listFor(row.customerId!);
    expect(run?.state.answer).toMatchObject({ stepId: 'pesquisa', value: '3', outcome: 'detractor' });
  });

  it('sent: the row and its message become sent, nothing goes again', async () => {
    app = await createShop({ clock: new ManualClock(START), flows: flowsFromYaml({ 'flow.yaml': THANKS }) });
    const t = app;
    const row = await unknownSend(t);
    const response = await t.api({ method: 'POST', url: `/api/outbox/${row.id}/resolve`, payload: { as: 'sent' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ message: { id: row.id, status: 'sent', waId: row.waId, lastError: 'resolved_sent', finishedAt: new Date(row.finishedAt!).toISOString() } });
    expect(t.repos.messages.findByWaId(row.waId)).toMatchObject({ status: 'sent', error: null });
    t.clock.advance(3600_000);
    await freshTick(t);
    expect(t.simulator.sendCalls).toHaveLength(1);
  });

  it('discard: the row becomes failed and its message failed, nothing goes again', async () => {
    app = await createShop({ clock: new ManualClock(START), flows: flowsFromYaml({ 'flow.yaml': THANKS }) });
    const t = app;
    const row = await unknownSend(t);
    t.clock.advance(5000);
    const response = await t.api({ method: 'POST', url: `/api/outbox/${row.id}/resolve`, payload: { as: 'discard' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ message: { status: 'failed', lastError: 'resolved_discarded', finishedAt: new Date(t.clock.now()).toISOString() } });
    expect(t.repos.messages.findByWaId(row.waId)).toMatchObject({ status: 'failed', error: DISCARDED_MESSAGE_ERROR });
    t.clock.advance(3600_000);
    await freshTick(t);
    expect(t.simulator.sendCalls).toHaveLength(1);
  });

  it('answers 404 for an unknown id, 409 for a row that is not unknown, 400 for a bad body or id, 401 without the token', async () => {
    app = await createShop({ clock: new ManualClock(START), flows: flowsFromYaml({ 'flow.yaml': THANKS }) });
    const t = app;
    const row = await unknownSend(t);
    const post = (url: string, payload: unknown) => t.api({ method: 'POST', url, payload: payload as Record<string, unknown> });

    const missing = await post('/api/outbox/999/resolve', { as: 'sent' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'outbox_not_found', message: 'Envio 999 não encontrado.' } });

    for (const [payload, where] of [
      [{ as: 'maybe' }, 'as'],
      [{}, 'as'],
      [{ as: 'sent', also: 1 }, ''],
    ] as const) {
      const bad = await post(`/api/outbox/${row.id}/resolve`, payload);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('validation_failed');
      expect(bad.json().error.issues[0].path).toBe(where);
    }
    const badId = await post('/api/outbox/abc/resolve', { as: 'sent' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.issues[0].path).toBe('params.id');

    const anonymous = await t.app.inject({ method: 'POST', url: `/api/outbox/${row.id}/resolve`, payload: { as: 'sent' } });
    expect(anonymous.statusCode).toBe(401);
    expect(t.repos.outbox.find(row.id)?.status).toBe('unknown');

    expect((await post(`/api/outbox/${row.id}/resolve`, { as: 'sent' })).statusCode).toBe(200);
    const again = await post(`/api/outbox/${row.id}/resolve`, { as: 'resend' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('outbox_not_unknown');
    expect(t.repos.outbox.find(row.id)).toMatchObject({ status: 'sent', waId: row.waId });
  });
});

describe('waitingForHours', () => {
  const rules: SendingRules = { timezone: 'America/Sao_Paulo', quietHours: { startMinute: 20 * 60, endMinute: 9 * 60 }, sendDays: ['mon', 'tue', 'wed', 'thu', 'fri'], ownerAlertsAnytime: false };
  /** Friday 20 November 2026, 21:00 in São Paulo. */
  const NIGHT = Date.parse('2026-11-21T00:00:00Z');
  const MONDAY_9 = Date.parse('2026-11-23T12:00:00Z');
  const SATURDAY_9 = Date.parse('2026-11-21T12:00:00Z');
  const row = (overrides: Partial<OutboxRow>): OutboxRow => ({
    id: 1,
    dedupeKey: 'k',
    runId: 1,
    stepId: 's',
    customerId: 1,
    purpose: 'customer',
    toPhone: ANA,
    marketing: false,
    content: { kind: 'text', text: 'Oi' },
    waId: '3EB0',
    status: 'queued',
    dueAt: NIGHT - 3600_000,
    notBefore: MONDAY_9,
    expiresAt: MONDAY_9 + 86_400_000,
    attempts: 0,
    lastError: null,
    createdAt: NIGHT - 3600_000,
    claimedAt: null,
    finishedAt: null,
    contact: null,
    ...overrides,
  });

  it('is "hours" for a customer message held to the first moment allowed after quiet hours and days off', () => {
    expect(waitingForHours(row({}), NIGHT, rules)).toBe('hours');
    // Held by a handoff pause before, then by quiet hours: the pause's words stay, it waits for the hours all the same.
    expect(waitingForHours(row({ lastError: 'handoff' }), NIGHT, rules)).toBe('hours');
  });

  it('is "cap" for a message the daily cap held', () => {
    expect(waitingForHours(row({ lastError: 'daily_cap', notBefore: MONDAY_9 }), NIGHT, rules)).toBe('cap');
  });

  it('names the hold of WhatsApp’s limits the governor stored: the new-chat quota, the time lock, the weekly contact cap', () => {
    // Held to an arbitrary moment (the cycle's end, the lock's end, a week after the oldest message): not the hours.
    const later = MONDAY_9 + 1234;
    expect(waitingForHours(row({ lastError: 'cold_budget', notBefore: later }), NIGHT, rules)).toBe('cold_budget');
    expect(waitingForHours(row({ lastError: 'reachout_lock', notBefore: later }), NIGHT, rules)).toBe('reachout_lock');
    expect(waitingForHours(row({ lastError: 'contact_cap', notBefore: later }), NIGHT, rules)).toBe('contact_cap');
    // Once its moment came, or for a row that is no longer queued, nothing waits.
    expect(waitingForHours(row({ lastError: 'cold_budget', notBefore: later }), later, rules)).toBeNull();
    expect(waitingForHours(row({ lastError: 'cold_budget', notBefore: later, status: 'expired' }), NIGHT, rules)).toBeNull();
  });

  it('is null for what waits for anything else, or no longer waits', () => {
    // A retry's wait or a handoff pause ends at an arbitrary moment.
    expect(waitingForHours(row({ notBefore: NIGHT + 60_000 + 1, lastError: 'disconnected: the channel is closed' }), NIGHT, rules)).toBeNull();
    // Its time came.
    expect(waitingForHours(row({}), MONDAY_9, rules)).toBeNull();
    // Due then, not held: a wait step that ends at 09:00 Monday.
    expect(waitingForHours(row({ dueAt: MONDAY_9 }), NIGHT, rules)).toBeNull();
    // A day off does not hold the owner; quiet hours do, unless OWNER_ALERTS_ANYTIME.
    expect(waitingForHours(row({ purpose: 'owner', notBefore: SATURDAY_9 }), NIGHT, rules)).toBe('hours');
    expect(waitingForHours(row({ purpose: 'owner', notBefore: SATURDAY_9 + 60_000 }), NIGHT, rules)).toBeNull();
    expect(waitingForHours(row({ purpose: 'owner', notBefore: SATURDAY_9 }), NIGHT, { ...rules, ownerAlertsAnytime: true })).toBeNull();
    // Notices keep no hours; other statuses are not waiting.
    expect(waitingForHours(row({ purpose: 'notice' }), NIGHT, rules)).toBeNull();
    expect(waitingForHours(row({ status: 'sent' }), NIGHT, rules)).toBeNull();
    // Without quiet hours or days off, only the cap holds.
    expect(waitingForHours(row({}), NIGHT, { ...rules, quietHours: null, sendDays: null })).toBeNull();
  });
});

describe('GET /outbox', () => {
  async function open(options: Parameters<typeof openPages>[0] = {}): Promise<PagesClient> {
    client = await openPages({ clock: new ManualClock(START), flows: flowsFromYaml({ 'flow.yaml': THANKS }), ...options });
    return client;
  }

  it('needs the session: the sign-in form (401) without it, and a POST without it changes nothing', async () => {
    const c = await open();
    const row = await unknownSend(c.app);
    const page = await c.app.app.inject({ method: 'GET', url: '/outbox' });
    expect(page.statusCode).toBe(401);
    expect(page.body).toContain('<input type="hidden" name="next" value="/outbox">');
    const post = await c.app.app.inject({ method: 'POST', url: `/outbox/${row.id}/resolve`, headers: FORM, payload: `_csrf=${c.csrf}&as=sent` });
    expect(post.statusCode).toBe(401);
    const bearer = await c.app.app.inject({ method: 'GET', url: '/outbox', headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(bearer.statusCode).toBe(200);
    expect(c.app.repos.outbox.find(row.id)?.status).toBe('unknown');
  });

  it('lists each message: customer with a link, preview, times, attempts, reason, status in Portuguese; escaped', async () => {
    const c = await open({ env: { OWNER_PHONE: '+5511988887777' } });
    await c.app.buy({ customer: { phone: '(11) 91234-5678', name: HOSTILE } });
    await freshTick(c.app);
    const customer = c.app.repos.customers.findByPhone(ANA)!;
    c.app.repos.outbox.enqueue(
      [
        {
          dedupeKey: 'alert:1',
          runId: null,
          stepId: null,
          customerId: customer.id,
          purpose: 'owner',
          toPhone: '+5511988887777',
          marketing: false,
          content: { kind: 'text', text: `Atenção: ${HOSTILE} deu nota 3` },
          waId: '3EB0AAAAAAAAAAAAAAAAAA',
          dueAt: c.app.clock.now(),
          notBefore: c.app.clock.now(),
          expiresAt: c.app.clock.now() + 3600_000,
        },
      ],
      c.app.clock.now(),
    );

    const response = await c.get('/outbox');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>Envios · fregues</title>');
    expect(response.body).toContain('<a href="/outbox" aria-current="page">Envios</a>');
    expect(response.body).not.toContain(HOSTILE);
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(response.body).toContain(`<a href="/customers/${customer.id}">&lt;script&gt;alert(1)&lt;/script&gt;</a>`);
    const page = mainText(response.body);
    expect(page).toContain('Todos (2)');
    expect(page).toContain('Na fila (1)');
    expect(page).toContain('Enviada (1)');
    expect(page).toContain('Incerta (0)');
    // Newest first: the owner's alert, then the customer's message, sent.
    expect(page).toMatch(/Na fila #2 · Para o dono, sobre &lt;script&gt;alert\(1\)&lt;\/script&gt; Atenção: &lt;script&gt;alert\(1\)&lt;\/script&gt; deu nota 3 Previsto para 20\/11\/2026, 12:00 Tentativas 0/);
    expect(page).toMatch(/Enviada #1 · &lt;script&gt;alert\(1\)&lt;\/script&gt; Oi, &lt;script&gt;alert\(1\)&lt;\/script&gt;! Obrigado pela compra\. Previsto para 20\/11\/2026, 12:00 Tentativas 1 Concluído em 20\/11\/2026, 12:00/);
  });

  it('shows a message queued at night as waiting for the hours allowed, counted and filtered apart from the queue', async () => {
    // Friday 23:30 in São Paulo.
    const c = await open({ clock: new ManualClock('2026-11-21T02:30:00Z') });
    await c.app.buy();
    await freshTick(c.app);
    const [row] = c.app.repos.outbox.list({ limit: 5 });
    expect(row).toMatchObject({ status: 'queued' });

    const page = mainText((await c.get('/outbox')).body);
    expect(page).toContain('Na fila (0)');
    expect(page).toContain('Aguardando horário permitido (1)');
    expect(page).toMatch(/Aguardando horário permitido #1 · Ana Souza Espera o fim do horário de silêncio ou um dia de envio \(QUIET_HOURS, SEND_DAYS\)\. Oi, Ana!/);
    expect(page).toContain('Previsto para 20/11/2026, 23:30 Não antes de 21/11/2026, 09:00');

    const waiting = mainText((await c.get('/outbox?status=waiting')).body);
    expect(waiting).toContain('#1');
    const queued = mainText((await c.get('/outbox?status=queued')).body);
    expect(queued).not.toContain('#1');
    expect(queued).toContain('Nenhum envio aqui.');

    // At 09:00 it is simply in the queue, then sent.
    c.app.clock.set('2026-11-21T12:00:00Z');
    expect(mainText((await c.get('/outbox')).body)).toContain('Na fila (1)');
    await freshTick(c.app);
    expect(mainText((await c.get('/outbox')).body)).toContain('Enviada (1)');
  });

  it('shows a message the daily cap held as waiting, saying why', async () => {
    const c = await open({ env: { DAILY_SEND_CAP: '1' } });
    await c.app.buy();
    await c.app.buy({ externalId: 'pedido-1002', customer: { phone: '(21) 98888-7777', name: 'Bia Lima' } });
    await freshTick(c.app);
    c.app.clock.advance(60_000);
    await freshTick(c.app);
    const page = mainText((await c.get('/outbox?status=waiting')).body);
    expect(page).toMatch(/Aguardando horário permitido #2 · Bia Lima O limite diário de envios \(DAILY_SEND_CAP\) foi atingido: vai no próximo horário permitido\./);
    expect(page).toContain('Não antes de 21/11/2026, 09:00');
    expect(page).toContain('Motivo limite diário de envios atingido');
  });

  it('shows messages held by WhatsApp’s limits as waiting, saying for what and when they may go, or that their deadline comes first', async () => {
    const c = await open();
    const now = c.app.clock.now();
    const customer = c.app.repos.customers.create({ phone: ANA, details: { name: 'Ana' } }, now);
    const holds = [
      // The cycle renews on Saturday 12:00 in São Paulo; the message may be 3 days late.
      { reason: 'cold_budget', until: Date.parse('2026-11-21T15:00:00Z'), expires: now + 3 * 86_400_000 },
      // The lock ends at 18:30, and the thank-you may be only 2 hours late: it will expire first.
      { reason: 'reachout_lock', until: Date.parse('2026-11-20T21:30:00Z'), expires: now + 2 * 3600_000 },
      { reason: 'contact_cap', until: Date.parse('2026-11-24T13:15:00Z'), expires: now + 7 * 86_400_000 },
    ] as const;
    c.app.repos.outbox.enqueue(
      holds.map((hold, index) => ({
        dedupeKey: `hold:${index}`,
        runId: null,
        stepId: null,
        customerId: customer.id,
        purpose: 'customer' as const,
        toPhone: ANA,
        marketing: false,
        content: { kind: 'text' as const, text: `Mensagem ${hold.reason}` },
        waId: `3EB0${String(index).padStart(18, '0')}`,
        dueAt: now,
        notBefore: now,
        expiresAt: hold.expires,
      })),
      now,
    );
    // As the send governor holds them.
    const rows = c.app.repos.outbox.list({ limit: 10 });
    for (const hold of holds) c.app.repos.outbox.defer(rows.find((row) => row.dedupeKey === `hold:${holds.indexOf(hold)}`)!.id, hold.until, hold.reason);

    const page = mainText((await c.get('/outbox?status=waiting')).body);
    expect(page).toContain('Aguardando horário permitido (3)');
    expect(page).toContain('Aguardando cota do WhatsApp para conversas novas. Pode sair a partir de 21/11/2026, 12:00. Mensagem cold_budget');
    expect(page).toContain(
      'Aguardando o fim do bloqueio de conversas novas do WhatsApp. O prazo do passo acaba antes (20/11/2026, 14:00): se nada mudar, não será enviada. Mensagem reachout_lock',
    );
    expect(page).toContain('Aguardando: este cliente já recebeu as mensagens da semana (CONTACT_CAP_PER_WEEK). Pode sair a partir de 24/11/2026, 10:15. Mensagem contact_cap');
    expect(page).toContain('Não antes de 24/11/2026, 10:15');
    expect(mainText((await c.get('/outbox?status=queued')).body)).toContain('Na fila (0)');

    // In English too.
    await c.app.close();
    const en = await open({ env: { LOCALE: 'en' } });
    const later = en.app.clock.now();
    const ana = en.app.repos.customers.create({ phone: ANA, details: { name: 'Ana' } }, later);
    en.app.repos.outbox.enqueue(
      [{ dedupeKey: 'hold', runId: null, stepId: null, customerId: ana.id, purpose: 'customer', toPhone: ANA, marketing: false, content: { kind: 'text', text: 'Hi' }, waId: '3EB0000000000000000001', dueAt: later, notBefore: later, expiresAt: later + 3 * 86_400_000 }],
      later,
    );
    en.app.repos.outbox.defer(en.app.repos.outbox.list({ limit: 1 })[0]!.id, Date.parse('2026-11-21T15:00:00Z'), 'cold_budget');
    expect(mainText((await en.get('/outbox?status=waiting')).body)).toContain('Waiting for WhatsApp’s new-chat quota. May go from 11/21/26, 12:00 PM.');
  });

  it('shows every stored reason code in the seller’s words, and a channel’s own error as it came', async () => {
    const c = await open();
    const now = c.app.clock.now();
    const customer = c.app.repos.customers.create({ phone: ANA, details: { name: 'Ana' } }, now);
    const words: Record<Reason, string> = {
      daily_cap: 'limite diário de envios atingido',
      seller_pause: 'automação pausada por você para este cliente',
      handoff: 'pausada enquanto o dono conversa com o cliente',
      interrupted: 'o serviço parou no meio do envio',
      expired: 'atrasou mais do que o passo permite; não foi enviada',
      opted_out: 'o cliente pediu para sair',
      no_marketing_consent: 'sem consentimento para mensagens da loja',
      erased: 'dados do cliente apagados',
      superseded: 'substituída por uma compra mais nova',
      cancelled_by_seller: 'fluxo parado por você',
      merged: 'cliente duplicado (número sem o nono dígito) juntado a outro',
      resolved_sent: 'envio incerto; você confirmou que chegou',
      resolved_discarded: 'envio incerto; descartado por você, conta como não enviado',
      resent: 'envio incerto; enviado de novo a seu pedido (a primeira tentativa, 3EB0FIRST, pode ter chegado também)',
      cold_budget: 'aguardando cota do WhatsApp para conversas novas',
      reachout_lock: 'o WhatsApp bloqueou conversas novas por um tempo (trava de contato)',
      contact_cap: 'limite semanal de mensagens para este cliente atingido (CONTACT_CAP_PER_WEEK)',
      cold_refused: 'o WhatsApp recusou a conversa nova (463); só se o cliente escrever primeiro',
      cold_skipped: 'cliente ainda não escreveu para a loja; o fluxo pula mensagens a quem não escreveu',
      no_review_url: 'a mensagem leva o link de avaliação da loja, mas SHOP_REVIEW_URL está vazio: não foi enviada com o link em branco',
    };
    const stored = [...REASONS.map((reason) => (reason === 'resent' ? 'resent:3EB0FIRST' : reason)), 'not_on_whatsapp: +5511912345678 has no WhatsApp account'];
    c.app.repos.outbox.enqueue(
      stored.map((_, index) => ({
        dedupeKey: `reason:${index}`,
        runId: null,
        stepId: null,
        customerId: customer.id,
        purpose: 'customer' as const,
        toPhone: ANA,
        marketing: false,
        content: { kind: 'text' as const, text: `Mensagem ${index}` },
        waId: `3EB0${String(index).padStart(18, '0')}`,
        dueAt: now,
        notBefore: now,
        expiresAt: now + 3600_000,
      })),
      now,
    );
    const setReason = c.app.db.sqlite.prepare("UPDATE outbox SET status = 'skipped', last_error = ? WHERE dedupe_key = ?");
    stored.forEach((lastError, index) => setReason.run(lastError, `reason:${index}`));

    const page = mainText((await c.get('/outbox?status=skipped')).body);
    for (const reason of REASONS) expect(page).toContain(`Motivo ${words[reason]}`);
    expect(page).toContain('Motivo not_on_whatsapp: +5511912345678 has no WhatsApp account');
    for (const reason of REASONS) expect(page).not.toContain(`Motivo ${reason}`);
  });

  it('pages 50 at a time with before, keeping the filter', async () => {
    const c = await open();
    const now = c.app.clock.now();
    const customer = c.app.repos.customers.create({ phone: ANA, details: { name: 'Ana' } }, now);
    c.app.repos.outbox.enqueue(
      Array.from({ length: 60 }, (_, index) => ({
        dedupeKey: `k${index}`,
        runId: null,
        stepId: null,
        customerId: customer.id,
        purpose: 'customer' as const,
        toPhone: ANA,
        marketing: false,
        content: { kind: 'text' as const, text: `mensagem ${index + 1}` },
        waId: `3EB0${String(index).padStart(18, '0')}`,
        dueAt: now,
        notBefore: now,
        expiresAt: now + 3600_000,
      })),
      now,
    );
    const first = await c.get('/outbox?status=queued');
    const firstText = mainText(first.body);
    expect(firstText).toContain('mensagem 60');
    expect(firstText).toContain('mensagem 11');
    expect(firstText).not.toContain('mensagem 10 ');
    expect(first.body).toContain('<a href="/outbox?status=queued&amp;before=11">Mais antigos →</a>');
    const second = await c.get('/outbox?status=queued&before=11');
    const secondText = mainText(second.body);
    expect(secondText).toContain('mensagem 10 ');
    expect(secondText).toContain('mensagem 1 ');
    expect(secondText).not.toContain('mensagem 11');
    expect(second.body).not.toContain('Mais antigos');
    expect(second.body).toContain('<a href="/outbox?status=queued">← Mais recentes</a>');
  });

  it.each([
    ['status=maybe', 'Situação desconhecida: "maybe". Use uma destas: queued, waiting, sending, sent, failed, unknown, skipped, expired.'],
    ['before=abc', 'before: use o número de um envio, não "abc".'],
    ['before=0', 'before: use o número de um envio, não "0".'],
  ])('answers 400 for %s, saying why', async (query, message) => {
    const c = await open();
    const response = await c.get(`/outbox?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('role="alert"');
    expect(mainText(response.body)).toContain(message);
  });

  it('escapes a hostile filter value', async () => {
    const c = await open();
    const response = await c.get(`/outbox?status=${encodeURIComponent(HOSTILE)}`);
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain(HOSTILE);
  });
});

describe('resolving an unknown send on /outbox', () => {
  async function open(): Promise<{ c: PagesClient; row: OutboxRow }> {
    client = await openPages({ clock: new ManualClock(START), flows: flowsFromYaml({ 'flow.yaml': THANKS }) });
    return { c: client, row: await unknownSend(client.app) };
  }

  it('offers the three choices on an unknown row, each with its risk in words', async () => {
    const { c, row } = await open();
    const response = await c.get('/outbox?status=unknown');
    expect(response.statusCode).toBe(200);
    const page = mainText(response.body);
    expect(page).toContain('Incerta (1)');
    expect(page).toContain('Envio incerto: o serviço não sabe se o WhatsApp recebeu a mensagem');
    expect(page).toContain('Motivo failed: injected failure: the message did not reach the phone');
    expect(page).toContain('Foi entregue Marque se a mensagem aparece na conversa no celular. Nada é enviado de novo');
    expect(page).toContain('Enviar de novo Ela volta para a fila e sai de novo, respeitando o horário de silêncio. Se a primeira tiver chegado, o cliente recebe a mesma mensagem duas vezes');
    expect(page).toContain('Descartar Fica registrada como não enviada e nada mais sai.');
    for (const choice of ['sent', 'resend', 'discard']) expect(response.body).toContain(`<input type="hidden" name="as" value="${choice}">`);
    expect(response.body.match(new RegExp(`action="/outbox/${row.id}/resolve"`, 'g'))).toHaveLength(3);
    expect(response.body.match(/name="_csrf" value="[^"]+"/g)!.length).toBeGreaterThanOrEqual(4);
  });

  it('"Foi entregue": 303 back to the list with a notice; the row and its message are sent', async () => {
    const { c, row } = await open();
    const response = await c.post(`/outbox/${row.id}/resolve`, { as: 'sent', back: 'unknown' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/outbox?status=unknown&done=sent&id=${row.id}`);
    expect(c.app.repos.outbox.find(row.id)?.status).toBe('sent');
    expect(c.app.repos.messages.findByWaId(row.waId)?.status).toBe('sent');
    const page = mainText((await c.get(response.headers.location as string)).body);
    expect(page).toContain(`Envio #${row.id} marcado como entregue.`);
    expect(page).toContain('Incerta (0)');
    expect(mainText((await c.get('/outbox?status=sent')).body)).toContain('Motivo envio incerto; você confirmou que chegou');
  });

  it('"Enviar de novo": back in the queue, then sent once by the tick', async () => {
    const { c, row } = await open();
    const response = await c.post(`/outbox/${row.id}/resolve`, { as: 'resend' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/outbox?done=resend&id=${row.id}`);
    expect(mainText((await c.get(response.headers.location as string)).body)).toContain(
      `Envio #${row.id} voltou para a fila e sai de novo no próximo horário permitido.`,
    );
    const requeued = c.app.repos.outbox.find(row.id)!;
    expect(requeued.status).toBe('queued');
    expect(mainText((await c.get('/outbox')).body)).toContain(
      `Na fila #1 · Ana Souza Oi, Ana! Obrigado pela compra. Previsto para 20/11/2026, 12:00 Tentativas 1 Motivo envio incerto; enviado de novo a seu pedido (a primeira tentativa, ${row.waId}, pode ter chegado também)`,
    );
    c.app.clock.advance(60_000);
    await freshTick(c.app);
    await freshTick(c.app);
    expect(c.app.simulator.sendCalls.map((call) => call.messageId)).toEqual([row.waId, requeued.waId]);
    expect(mainText((await c.get('/outbox')).body)).toContain('Enviada #1 · Ana Souza Oi, Ana! Obrigado pela compra. Previsto para 20/11/2026, 12:00 Tentativas 2 Concluído em 20/11/2026, 12:01');
  });

  it('"Descartar": the row is failed, nothing goes', async () => {
    const { c, row } = await open();
    const response = await c.post(`/outbox/${row.id}/resolve`, { as: 'discard', back: 'unknown' });
    expect(response.statusCode).toBe(303);
    expect(c.app.repos.outbox.find(row.id)?.status).toBe('failed');
    expect(c.app.repos.messages.findByWaId(row.waId)?.status).toBe('failed');
    expect(mainText((await c.get(response.headers.location as string)).body)).toContain(`Envio #${row.id} descartado: fica registrado como não enviado.`);
  });

  it('refuses a form without its CSRF token (403), a row that is not unknown (409), an unknown id (404), a bad choice (400)', async () => {
    const { c, row } = await open();
    const noToken = await c.app.app.inject({ method: 'POST', url: `/outbox/${row.id}/resolve`, cookies: c.cookies, headers: FORM, payload: 'as=sent' });
    expect(noToken.statusCode).toBe(403);
    expect(c.app.repos.outbox.find(row.id)?.status).toBe('unknown');

    const bad = await c.post(`/outbox/${row.id}/resolve`, { as: `${HOSTILE}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('role="alert"');
    expect(bad.body).not.toContain(HOSTILE);
    expect(mainText(bad.body)).toContain('Escolha "Foi entregue", "Enviar de novo" ou "Descartar"');
    expect(c.app.repos.outbox.find(row.id)?.status).toBe('unknown');

    const missing = await c.post('/outbox/999/resolve', { as: 'sent' });
    expect(missing.statusCode).toBe(404);
    expect(mainText(missing.body)).toContain('Não há envio #999.');

    expect((await c.post(`/outbox/${row.id}/resolve`, { as: 'discard' })).statusCode).toBe(303);
    const twice = await c.post(`/outbox/${row.id}/resolve`, { as: 'resend' });
    expect(twice.statusCode).toBe(409);
    expect(mainText(twice.body)).toContain(`O envio #${row.id} está como "Falhou": só um envio incerto pode ser resolvido. Nada foi feito.`);
    expect(c.app.repos.outbox.find(row.id)).toMatchObject({ status: 'failed', waId: row.waId });
  });
});
