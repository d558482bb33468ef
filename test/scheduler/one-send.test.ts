import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newMessageId, type Address, type Channel, type OutboundContent, type SendOptions, type SendResult } from '../../src/channels/channel.js';
import { SimulatorChannel, SimulatorError } from '../../src/channels/simulator/simulator-channel.js';
import type { Customer } from '../../src/domain/customer.js';
import type { FlowContent } from '../../src/flows/steps/types.js';
import { recordTraffic, type RecordedTraffic } from '../../src/inbox/record-traffic.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { FlowRunner } from '../../src/scheduler/flow-runner.js';
import { SendGovernor } from '../../src/scheduler/send-governor.js';
import { openDatabase, type Database } from '../../src/storage/db.js';
import { createRepositories, type Repositories } from '../../src/storage/repositories/index.js';
import { RETRY_SUFFIX } from '../../src/storage/repositories/messages.js';
import { DelegatingChannel } from '../helpers/delegating-channel.js';
import { buildFlow, sendText, step } from '../helpers/flows.js';

/**
 * One message, the way every message goes: a row in the outbox, claimed and
 * handed to WhatsApp by the send governor, and what that leaves in the
 * customer's record (the message, its status and error) and in the outbox.
 */

const ANA = '+5511912345678';
const T0 = new Date('2026-11-20T12:00:00Z').getTime();
const HOUR = 3600_000;
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let db: Database;
let repos: Repositories;
let clock: ManualClock;
let sim: SimulatorChannel;
let traffic: RecordedTraffic;
let flowsDir: string;
let ana: Customer;

beforeEach(async () => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
  clock = new ManualClock(T0);
  sim = new SimulatorChannel({ clock });
  await sim.start();
  traffic = recordTraffic(sim, repos, clock);
  flowsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-one-send-'));
  ana = repos.customers.create({ phone: ANA, details: { name: 'Ana' } }, T0);
});

afterEach(async () => {
  traffic.detach();
  await sim.stop();
  db.close();
  fs.rmSync(flowsDir, { recursive: true, force: true });
});

/** The governor as the service builds it, over `channel`, without pacing (one message here at a time anyway). */
function governor(channel: Channel = sim): SendGovernor {
  return new SendGovernor({
    repos,
    channel,
    clock,
    timezone: 'America/Sao_Paulo',
    quietHours: null,
    sendDays: null,
    gapSeconds: { min: 0, max: 0 },
    dailyCap: 100,
    // Not about WhatsApp's limits: no cold budget or contact cap in the way.
    cold: { dailyCap: 100_000, warmup: [], quotaMarginPercent: 0 },
    contactCapPerWeek: 100,
    flowsDir,
    random: () => 0,
  });
}

/** Queues a customer message as a flow step does, and lets the governor send what is due. */
async function send(content: FlowContent, options: { waId?: string; channel?: Channel } = {}) {
  const waId = options.waId ?? newMessageId();
  const now = clock.now();
  repos.outbox.enqueue(
    [{ dedupeKey: `test:${waId}`, runId: null, stepId: null, customerId: ana.id, purpose: 'customer', toPhone: ANA, marketing: false, content, waId, dueAt: now, notBefore: now, expiresAt: now + HOUR }],
    now,
  );
  await governor(options.channel).drain();
  return { waId, message: repos.messages.findByWaId(waId), row: repos.outbox.findByWaId(waId) };
}

describe('one send through the outbox and the send governor', () => {
  it("writes the message 'sending' under the row's pre-assigned id before calling the channel, then marks both sent", async () => {
    const seenDuringSend: unknown[] = [];
    const watched = new DelegatingChannel(sim, (to: Address, content: OutboundContent, opts: { messageId: string }) => {
      seenDuringSend.push({ messageId: opts.messageId, message: repos.messages.findByWaId(opts.messageId), row: repos.outbox.findByWaId(opts.messageId) });
      return sim.send(to, content, opts);
    });
    clock.advance(1_000);

    const { message, row } = await send({ kind: 'text', text: 'Obrigado pela compra!' }, { waId: '3EB0AAAAAAAAAAAAAAAAAA', channel: watched });

    expect(seenDuringSend).toEqual([
      {
        messageId: '3EB0AAAAAAAAAAAAAAAAAA',
        message: expect.objectContaining({
          waId: '3EB0AAAAAAAAAAAAAAAAAA',
          customerId: ana.id,
          direction: 'out',
          kind: 'text',
          text: 'Obrigado pela compra!',
          payload: { flow: { runId: null, stepId: null }, to: 'customer' },
          status: 'sending',
          createdAt: T0 + 1_000,
          sentAt: null,
        }),
        row: expect.objectContaining({ status: 'sending', attempts: 1, claimedAt: T0 + 1_000, finishedAt: null }),
      },
    ]);
    expect(message).toMatchObject({ waId: '3EB0AAAAAAAAAAAAAAAAAA', status: 'sent', sentAt: T0 + 1_000, deliveredAt: null, error: null });
    expect(row).toMatchObject({ status: 'sent', attempts: 1, finishedAt: T0 + 1_000, lastError: null });
    expect(sim.conversation(ANA)).toMatchObject([{ id: '3EB0AAAAAAAAAAAAAAAAAA', from: 'bot', content: { kind: 'text', text: 'Obrigado pela compra!' } }]);
  });

  it('a flow step’s message gets an id in the form WhatsApp Web uses, the same in the outbox, the channel and the record', async () => {
    const runner = new FlowRunner({
      repos,
      flows: [buildFlow('obrigado', [step('thanks', sendText('Oi'))])],
      clock,
      timezone: 'America/Sao_Paulo',
      locale: 'pt-BR',
      shopName: 'Café da Serra',
      ownerPhones: [],
      quietHours: null,
      sendDays: null,
      render: (template) => template,
    });
    const purchase = repos.purchases.create({ customerId: ana.id, externalId: 'pedido-1', items: [], totalCents: null, currency: 'BRL', source: 'api', purchasedAt: T0 }, T0);
    expect(runner.enrollForPurchase(ana, purchase)).toHaveLength(1);
    runner.advanceDue(10);
    await governor().drain();

    const [row] = repos.outbox.list({ limit: 10 });
    expect(row?.waId).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(sim.sendCalls.map((call) => call.messageId)).toEqual([row!.waId]);
    expect(repos.messages.findByWaId(row!.waId)).toMatchObject({ status: 'sent', text: 'Oi' });
  });

  it('is moved to delivered by the receipt that follows', async () => {
    const { waId, message } = await send({ kind: 'text', text: 'Oi' });
    expect(message?.status).toBe('sent');
    clock.advance(4_000);
    await sim.flush();
    expect(repos.messages.findByWaId(waId)).toMatchObject({ status: 'delivered', sentAt: T0, deliveredAt: T0 + 4_000 });
  });

  /** The simulator behind a channel that, while this message is handed over, has `during` happen first. */
  const meanwhile = (during: () => Promise<void> | void) =>
    new DelegatingChannel(sim, async (to: Address, content: OutboundContent, opts: { messageId: string }): Promise<SendResult> => {
      await during();
      return sim.send(to, content, opts);
    });

  it.each([
    {
      reason: 'failed',
      arrange: () => sim.failNextSend(),
      row: { status: 'unknown', lastError: 'failed: injected failure: the message did not reach the phone' },
      message: { status: 'unknown', error: 'failed: injected failure: the message did not reach the phone' },
    },
    {
      reason: 'disconnected',
      channel: () => meanwhile(() => sim.dropConnection()),
      row: { status: 'queued', lastError: 'disconnected: the connection dropped' },
      message: { status: 'failed', error: `disconnected: the connection dropped${RETRY_SUFFIX}` },
    },
    {
      reason: 'breaker_open',
      channel: () =>
        meanwhile(async () => {
          sim.restrictNextSend();
          await sim.send(ANA, { kind: 'text', text: 'the one that was refused' }, { messageId: '3EB0REFUSED' });
        }),
      row: { status: 'queued', lastError: 'breaker_open: sending is stopped (restricted)' },
      message: { status: 'failed', error: `breaker_open: sending is stopped (restricted)${RETRY_SUFFIX}` },
    },
    {
      reason: 'not_on_whatsapp',
      arrange: () => sim.markNotOnWhatsApp(ANA),
      row: { status: 'failed', lastError: 'not_on_whatsapp: +5511912345678 has no WhatsApp account' },
      message: { status: 'failed', error: 'not_on_whatsapp: +5511912345678 has no WhatsApp account' },
    },
    {
      reason: 'cold_refused',
      channel: () =>
        new DelegatingChannel(sim, async (_to: Address, _content: OutboundContent, opts: { messageId: string }): Promise<SendResult> => ({
          ok: false,
          messageId: opts.messageId,
          reason: 'cold_refused',
          detail: 'WhatsApp answered 463: it will not open this chat',
        })),
      row: { status: 'failed', lastError: 'cold_refused' },
      message: { status: 'failed', error: 'cold_refused: WhatsApp answered 463: it will not open this chat' },
    },
    {
      reason: 'restricted',
      arrange: () => sim.restrictNextSend(),
      row: { status: 'failed', lastError: 'restricted: WhatsApp answered 463: the account is restricted' },
      message: { status: 'failed', error: 'restricted: WhatsApp answered 463: the account is restricted' },
    },
  ])("a send that fails with '$reason' leaves the row $row.status and the message $message.status, with the reason", async ({ arrange, channel, row, message }) => {
    arrange?.();
    clock.advance(7_000);
    const sent = await send({ kind: 'text', text: 'Oi' }, channel ? { channel: channel() } : {});
    expect(sent.row).toMatchObject({ ...row, attempts: 1 });
    expect(sent.message).toMatchObject({ ...message, sentAt: null, deliveredAt: null });
    // Whatever receipt follows (the 463 one for 'restricted') neither revives nor rewrites it.
    await sim.flush();
    expect(repos.messages.findByWaId(sent.waId)).toEqual(sent.message);
  });

  it('to a customer who never wrote: sent as a new chat (cold), and so kept on the row; after they write, as a reply', async () => {
    const seen: SendOptions[] = [];
    const watching = new DelegatingChannel(sim, (to: Address, content: OutboundContent, opts: SendOptions) => {
      seen.push(opts);
      return sim.send(to, content, opts);
    });
    const first = await send({ kind: 'text', text: 'Obrigado pela compra!' }, { channel: watching });
    sim.receiveText(ANA, 'Oi! Quando chega?');
    clock.advance(HOUR);
    const second = await send({ kind: 'text', text: 'Chega amanhã' }, { channel: watching });
    expect(seen).toEqual([
      { messageId: first.waId, cold: true },
      { messageId: second.waId, cold: false },
    ]);
    expect([first.row?.contact, second.row?.contact]).toEqual(['cold', 'reply']);
  });

  it('a new chat WhatsApp refuses (463 answered at once) marks the customer, and nothing to them is tried again until they write', async () => {
    const refusing = new DelegatingChannel(sim, async (_to: Address, _content: OutboundContent, opts: { messageId: string }): Promise<SendResult> => ({
      ok: false,
      messageId: opts.messageId,
      reason: 'cold_refused',
      detail: 'WhatsApp answered 463',
    }));
    clock.advance(5_000);
    await send({ kind: 'text', text: 'Obrigado!' }, { channel: refusing });
    expect(repos.customers.findById(ana.id)).toMatchObject({ coldRefusedAt: T0 + 5_000 });
    clock.advance(HOUR);
    const next = await send({ kind: 'text', text: 'Uma dica' });
    expect(next.row).toMatchObject({ status: 'skipped', lastError: 'cold_skipped' });
    expect(sim.sendCalls).toEqual([]);

    // Ana writes: WhatsApp opens the chat now, and so does fregues.
    sim.receiveText(ANA, 'Oi, vocês mandaram mensagem?');
    clock.advance(60_000);
    const answer = await send({ kind: 'text', text: 'Mandamos sim!' });
    expect(answer.row).toMatchObject({ status: 'sent', contact: 'reply' });
  });

  it('keeps a poll’s question as text and its options in the payload, with what replies need from the channel', async () => {
    const { message, row } = await send({ kind: 'poll', question: 'De 0 a 10?', options: ['0-6', '7-8', '9-10'], selectableCount: 1 });
    expect(message).toMatchObject({ kind: 'poll', text: 'De 0 a 10?', payload: { options: ['0-6', '7-8', '9-10'], pollOptions: ['0-6', '7-8', '9-10'] }, status: 'sent' });
    expect(row?.content).toEqual({ kind: 'poll', question: 'De 0 a 10?', options: ['0-6', '7-8', '9-10'], selectableCount: 1 });
  });

  it('a poll takes one option in the simulator, as its outbox row says', async () => {
    const { waId, row } = await send({ kind: 'poll', question: 'Gostou?', options: ['Sim', 'Não'], selectableCount: 1 });
    expect(row?.content).toMatchObject({ selectableCount: 1 });
    expect(() => sim.receivePollVote(ANA, waId, ['Sim', 'Não'])).toThrow(SimulatorError);
  });

  it('an image goes with its bytes and type; the record keeps its caption, not its bytes', async () => {
    fs.writeFileSync(path.join(flowsDir, 'pedido.png'), PNG);
    const { waId, message } = await send({ kind: 'image', file: 'pedido.png', caption: 'Seu pedido' });
    expect(sim.sendCalls.at(-1)?.content).toEqual({ kind: 'image', image: PNG, caption: 'Seu pedido', mimetype: 'image/png' });
    expect(message).toMatchObject({ kind: 'image', text: 'Seu pedido', status: 'sent' });
    const stored = db.sqlite.prepare('SELECT payload FROM messages WHERE wa_id = ?').get(waId) as { payload: string };
    expect(stored.payload.length).toBeLessThan(100);

    const bare = await send({ kind: 'image', file: 'pedido.png', caption: null });
    expect(bare.message).toMatchObject({ kind: 'image', text: null });
    expect(sim.sendCalls.at(-1)?.content).toEqual({ kind: 'image', image: PNG, mimetype: 'image/png' });
  });

  it('a channel that throws instead of answering leaves the send of unknown outcome, never tried again', async () => {
    const { waId, message, row } = await send({ kind: 'text', text: '' }, { waId: '3EB0THROWS' });
    expect(row).toMatchObject({ status: 'unknown', attempts: 1, lastError: expect.stringMatching(/^failed: /) });
    expect(message).toMatchObject({ status: 'unknown', error: row!.lastError });
    await expect(sim.send(ANA, { kind: 'text', text: '' }, { messageId: 'check' })).rejects.toThrow(SimulatorError);

    clock.advance(HOUR / 2);
    const calls = sim.sendCalls.length;
    await governor().drain();
    expect(sim.sendCalls).toHaveLength(calls);
    expect(repos.outbox.findByWaId(waId)?.status).toBe('unknown');
  });
});
