import { describe, expect, it } from 'vitest';
import type { Customer, Message } from '../../../src/domain/customer.js';
import type { Run } from '../../../src/flows/run-types.js';
import type { CustomerRecord } from '../../../src/storage/repositories/customer-record.js';
import { buildCustomerTimeline, type TimelineEntry } from '../../../src/http/view-models/customer-timeline.js';
import { aCustomer } from '../../helpers/customer.js';

// The Clientes page's timeline from a record given as data: no database, no server.

/** Friday 20 November 2026, 10:00 in São Paulo. */
const T0 = Date.parse('2026-11-20T13:00:00Z');
const MINUTE = 60_000;
const BR = { locale: 'pt-BR', timeZone: 'America/Sao_Paulo', country: 'BR' } as const;
const flowNames = new Map([['pos-compra', 'Pós-compra']]);
const view = { ...BR, flowName: (id: string) => flowNames.get(id) };

const ANA: Customer = aCustomer({}, T0);

const empty: CustomerRecord = { customer: ANA, purchases: [], messages: [], consentHistory: [], runs: [], answers: [], referrals: [] };

let ids = 0;
function message(at: number, fields: Partial<Message>): Message {
  ids += 1;
  return { id: ids, customerId: ANA.id, direction: 'out', waId: `w${ids}`, kind: 'text', text: 'oi', payload: null, status: 'sent', createdAt: at, sentAt: null, deliveredAt: null, readAt: null, error: null, ...fields };
}

function run(id: number, fields: Partial<Run>): Run {
  return {
    id,
    flowId: 'pos-compra',
    flowHash: 'h',
    customerId: ANA.id,
    occurrence: `purchase:${id}`,
    purchaseId: null,
    status: 'done',
    stepId: null,
    wakeAt: null,
    state: { visits: {}, ask: null, answer: null },
    endReason: 'completed',
    createdAt: T0,
    updatedAt: T0,
    endedAt: T0,
    ...fields,
  };
}

/** Each entry as its kind and the fields the page prints, for a readable expectation. */
const brief = (entries: TimelineEntry[]) => entries.map(({ at: _at, order: _order, ...shown }) => shown);

describe('buildCustomerTimeline', () => {
  it('is empty for a customer with nothing yet', () => {
    expect(buildCustomerTimeline(empty, view)).toEqual([]);
  });

  it('puts the newest first; within one moment the consent, referral, answer, message, run and purchase in that order', () => {
    const record: CustomerRecord = {
      ...empty,
      purchases: [{ id: 1, customerId: ANA.id, externalId: 'pedido-1', items: [{ sku: null, name: 'Café', quantity: 2, unitPriceCents: 1000 }], totalCents: 2000, currency: 'BRL', source: 'api', purchasedAt: T0, createdAt: T0 }],
      runs: [run(1, {})],
      messages: [message(T0, {}), message(T0 + MINUTE, { text: 'depois' })],
      answers: [{ id: 1, customerId: ANA.id, runId: 1, stepId: 'pesquisa', kind: 'nps', value: '9', comment: null, messageWaId: 'x', at: T0 }],
      referrals: [{ id: 1, referrerCustomerId: ANA.id, name: 'Carla', phone: '+5511934567890', answerId: 1, createdAt: T0 }],
      consentHistory: [{ id: 1, customerId: ANA.id, purpose: 'marketing', state: 'granted', at: T0, source: 'checkout', text: null }],
    };
    const entries = buildCustomerTimeline(record, view);
    expect(entries.map((entry) => entry.kind)).toEqual(['message', 'consent', 'referral', 'answer', 'message', 'run', 'purchase']);
    expect(entries.map((entry) => entry.when)).toEqual([
      { iso: '2026-11-20T13:01:00.000Z', text: '20/11/2026, 10:01' },
      ...Array.from({ length: 6 }, () => ({ iso: '2026-11-20T13:00:00.000Z', text: '20/11/2026, 10:00' })),
    ]);
    expect(brief(entries).slice(1)).toEqual([
      { kind: 'consent', change: 'Aceitou ofertas e lembretes', granted: true, source: 'checkout', text: null, when: entries[1]!.when },
      { kind: 'referral', name: 'Carla', phone: '(11) 93456-7890', when: entries[2]!.when },
      { kind: 'answer', question: 'Pós-compra › pesquisa', answerKind: 'Nota (0 a 10)', value: '9', comment: null, when: entries[3]!.when },
      { kind: 'message', direction: 'out', who: 'Mensagem automática', text: 'oi', options: [], status: { ticks: '✓', read: false, label: 'enviada', words: null }, alertTo: null, when: entries[4]!.when },
      { kind: 'run', flow: 'Pós-compra', state: 'concluído', ended: entries[5]!.when, endReason: 'chegou ao fim', waitingFor: null, next: null, when: entries[5]!.when },
      { kind: 'purchase', items: ['2 × Café'], total: 'R$\u00a020,00', reference: 'pedido-1', when: entries[6]!.when },
    ]);
  });

  it('says a first yes through the shop\'s link as such, and a later yes to messages as a return', () => {
    const record = {
      ...empty,
      consentHistory: [
        { id: 1, customerId: ANA.id, purpose: 'messages' as const, state: 'granted' as const, at: T0, source: 'click-to-chat', text: 'Oi! Quero acompanhar meu pedido #K7P2Q' },
        { id: 2, customerId: ANA.id, purpose: 'messages' as const, state: 'granted' as const, at: T0 + MINUTE, source: 'whatsapp', text: 'VOLTAR' },
      ],
    };
    expect(buildCustomerTimeline(record, view).map((entry) => (entry.kind === 'consent' ? entry.change : ''))).toEqual([
      'Voltou a aceitar mensagens',
      'Escreveu pelo link da loja e aceitou mensagens',
    ]);
  });

  it('keeps, within one moment and kind, the later record first', () => {
    const record = { ...empty, messages: [message(T0, { text: 'primeira' }), message(T0, { text: 'segunda' })] };
    expect(buildCustomerTimeline(record, view).map((entry) => (entry.kind === 'message' ? entry.text : ''))).toEqual(['segunda', 'primeira']);
  });

  it("says each message's ticks, or what went wrong in words, and who wrote it", () => {
    const statuses = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'unknown'] as const;
    const record = {
      ...empty,
      messages: [
        ...statuses.map((status, index) => message(T0 + index * MINUTE, { status })),
        message(T0 + 10 * MINUTE, { status: 'failed', error: 'not_on_whatsapp' }),
        message(T0 + 11 * MINUTE, { direction: 'in', status: 'received', text: null, kind: 'image' }),
        message(T0 + 12 * MINUTE, { payload: { author: 'owner' } }),
        message(T0 + 13 * MINUTE, { kind: 'poll', text: 'De 0 a 10?', payload: { options: ['0', '10'] } }),
      ],
    };
    const shown = buildCustomerTimeline(record, view)
      .reverse()
      .map((entry) => (entry.kind === 'message' ? [entry.who, entry.text, entry.options.join('|'), entry.status] : null));
    expect(shown).toEqual([
      ['Mensagem automática', 'oi', '', { ticks: '✓', read: false, label: 'enviando', words: null }],
      ['Mensagem automática', 'oi', '', { ticks: '✓', read: false, label: 'enviando', words: null }],
      ['Mensagem automática', 'oi', '', { ticks: '✓', read: false, label: 'enviada', words: null }],
      ['Mensagem automática', 'oi', '', { ticks: '✓✓', read: false, label: 'entregue', words: null }],
      ['Mensagem automática', 'oi', '', { ticks: '✓✓', read: true, label: 'lida', words: null }],
      ['Mensagem automática', 'oi', '', { ticks: '', read: false, label: '', words: 'não enviada' }],
      ['Mensagem automática', 'oi', '', { ticks: '', read: false, label: '', words: 'sem confirmação de envio' }],
      ['Mensagem automática', 'oi', '', { ticks: '', read: false, label: '', words: 'não enviada: not_on_whatsapp' }],
      // What the customer sent has no ticks; a message without text shows its kind.
      ['Cliente', '[image]', '', null],
      ['Você (pelo celular)', 'oi', '', { ticks: '✓', read: false, label: 'enviada', words: null }],
      ['Mensagem automática', 'De 0 a 10?', '0|10', { ticks: '✓', read: false, label: 'enviada', words: null }],
    ]);
  });

  it("labels an alert the owner got about this customer as such, with the number it went to (when still known), in the locale's words", () => {
    const owner = '+5511987654321';
    const record: CustomerRecord = {
      ...empty,
      messages: [
        message(T0, { direction: 'in', status: 'received', text: 'Vocês entregam em Campinas?' }),
        message(T0 + MINUTE, { waId: 'alert-1', text: '💬 Ana escreveu', payload: { flow: { runId: null, stepId: null }, to: 'owner' }, status: 'delivered' }),
        // The outbox row is gone (or the page cannot tell): still an alert, without the number.
        message(T0 + 2 * MINUTE, { waId: 'alert-2', payload: { to: 'owner' } }),
        // A message to the customer, recorded the same way.
        message(T0 + 3 * MINUTE, { payload: { flow: { runId: 1, stepId: 'obrigado' }, to: 'customer' } }),
      ],
    };
    const ownerAlertTo = (waId: string) => (waId === 'alert-1' ? owner : undefined);
    const shown = (entries: TimelineEntry[]) => entries.reverse().map((entry) => (entry.kind === 'message' ? [entry.who, entry.alertTo, entry.status?.ticks ?? null] : null));
    expect(shown(buildCustomerTimeline(record, { ...view, ownerAlertTo }))).toEqual([
      ['Cliente', null, null],
      ['Aviso ao dono sobre este cliente', 'enviado para (11) 98765-4321, não para o cliente', '✓✓'],
      ['Aviso ao dono sobre este cliente', '', '✓'],
      ['Mensagem automática', null, '✓'],
    ]);
    expect(shown(buildCustomerTimeline(record, { locale: 'en', timeZone: 'America/New_York', country: 'US', flowName: () => undefined, ownerAlertTo }))).toEqual([
      ['Customer', null, null],
      ['Alert to the owner about this customer', 'sent to +55 11 98765 4321, not to the customer', '✓✓'],
      ['Alert to the owner about this customer', '', '✓'],
      ['Automatic message', null, '✓'],
    ]);
    expect(shown(buildCustomerTimeline(record, { locale: 'es', timeZone: 'America/Sao_Paulo', country: 'BR', flowName: () => undefined, ownerAlertTo }))[1]).toEqual([
      'Aviso al dueño sobre este cliente',
      'enviado a (11) 98765-4321, no al cliente',
      '✓✓',
    ]);
  });

  it('shows a run waiting for an answer and the next step, why runs ended, and a flow no longer loaded by its id', () => {
    const record: CustomerRecord = {
      ...empty,
      runs: [
        run(1, {
          status: 'waiting',
          stepId: 'lembrete',
          wakeAt: T0 + 60 * MINUTE,
          endReason: null,
          endedAt: null,
          state: { visits: {}, answer: null, ask: { stepId: 'pesquisa', kind: 'nps', messageId: 'm', pollOptions: null, askedAt: T0, remindAt: null, timeoutAt: T0 + 3 * 1440 * MINUTE } },
        }),
        run(2, { flowId: 'antigo', status: 'cancelled', endReason: 'superseded' }),
        run(3, { status: 'cancelled', endReason: 'customer_gone' }),
      ],
      answers: [
        { id: 1, customerId: ANA.id, runId: 2, stepId: 'p', kind: 'yes_no', value: '', comment: 'talvez', messageWaId: 'x', at: T0 },
        { id: 2, customerId: ANA.id, runId: null, stepId: 'solta', kind: 'text', value: 'ok', comment: null, messageWaId: 'y', at: T0 },
      ],
    };
    const entries = buildCustomerTimeline(record, view);
    const runs = entries.filter((entry) => entry.kind === 'run').reverse();
    expect(runs.map(({ flow, state, endReason, waitingFor, next }) => ({ flow, state, endReason, waitingFor, next }))).toEqual([
      {
        flow: 'Pós-compra',
        state: 'em andamento',
        endReason: null,
        waitingFor: { step: 'pesquisa', until: { iso: '2026-11-23T13:00:00.000Z', text: '23/11/2026, 10:00' } },
        next: { step: 'lembrete', at: { iso: '2026-11-20T14:00:00.000Z', text: '20/11/2026, 11:00' } },
      },
      { flow: 'antigo', state: 'interrompido', endReason: 'substituído por uma compra mais nova', waitingFor: null, next: null },
      // A rare guard reason is shown as stored.
      { flow: 'Pós-compra', state: 'interrompido', endReason: 'customer_gone', waitingFor: null, next: null },
    ]);
    const answers = entries.filter((entry) => entry.kind === 'answer').reverse();
    expect(answers.map(({ question, answerKind, value, comment }) => ({ question, answerKind, value, comment }))).toEqual([
      { question: 'antigo › p', answerKind: 'Sim ou não', value: '(não entendida)', comment: 'talvez' },
      { question: 'solta', answerKind: 'Texto', value: 'ok', comment: null },
    ]);
  });

  it('speaks the locale: money, dates, phones of another country and the words', () => {
    const record: CustomerRecord = {
      ...empty,
      purchases: [{ id: 1, customerId: ANA.id, externalId: null, items: [{ sku: null, name: 'Coffee', quantity: 1, unitPriceCents: null }], totalCents: 123456, currency: 'USD', source: 'api', purchasedAt: T0, createdAt: T0 }],
      referrals: [{ id: 1, referrerCustomerId: ANA.id, name: null, phone: '+5511934567890', answerId: null, createdAt: T0 }],
    };
    const entries = buildCustomerTimeline(record, { locale: 'en', timeZone: 'America/New_York', country: 'US', flowName: () => undefined });
    expect(brief(entries)).toEqual([
      { kind: 'referral', name: null, phone: '+55 11 93456 7890', when: { iso: '2026-11-20T13:00:00.000Z', text: '11/20/26, 8:00 AM' } },
      { kind: 'purchase', items: ['Coffee'], total: '$1,234.56', reference: null, when: { iso: '2026-11-20T13:00:00.000Z', text: '11/20/26, 8:00 AM' } },
    ]);
  });
});
