/**
 * The inbox: what an inbound message means, decided inside the transaction
 * that stores it (record-traffic calls it), so that the message and what it
 * changed (an answer, an opt-out) are committed together or not at all.
 *
 * Order matters: an opt-out is read first, whatever else the message could be
 * (SAIR is never an NPS answer); an opted-out customer's messages are kept in
 * the record and change nothing until VOLTAR; only then is a reply read as the
 * answer to the question a flow is waiting on.
 */
import { newMessageId as defaultMessageId } from '../channels/channel.js';
import type { CountryCode } from 'libphonenumber-js';
import type { Customer } from '../domain/customer.js';
import type { Run } from '../flows/run-types.js';
import { translate, type Locale, type MessageKey } from '../i18n/index.js';
import type { Clock } from '../scheduler/clock.js';
import type { FlowRunner } from '../scheduler/flow-runner.js';
import type { Repositories } from '../storage/repositories/index.js';
import { isOptIn, isOptOut } from './intent.js';
import { parseAnswer } from './parse-answer.js';
import type { RecordedInbound } from './record-traffic.js';

export interface InboxOptions {
  repos: Repositories;
  runner: FlowRunner;
  clock: Clock;
  locale: Locale;
  shopName: string;
  defaultCountry: CountryCode;
  newMessageId?: () => string;
}

export type InboxOutcome =
  /** Nothing to do: no customer, erased, or an opted-out customer's message that is not VOLTAR. */
  | 'kept'
  | 'opted_out'
  | 'opted_in'
  /** Understood as the answer to the question a run was waiting on. */
  | 'answered'
  /** A reply while a question waits, that could not be read as its answer. */
  | 'not_understood'
  /** No question was waiting: kept in the record. */
  | 'no_question';

/** How long a confirmation may wait for WhatsApp before it is no longer worth sending. */
const NOTICE_LIFETIME_MS = 24 * 3600_000;

export function createInbox(options: InboxOptions): { handle(recorded: RecordedInbound): InboxOutcome } {
  const { repos, runner, clock } = options;
  const newMessageId = options.newMessageId ?? defaultMessageId;

  /** A reply the customer asked for: sent even when they opted out, outside quiet hours. */
  function notice(customer: Customer, key: MessageKey, dedupeKey: string): void {
    if (!customer.phone) return;
    const now = clock.now();
    repos.outbox.enqueue(
      [
        {
          dedupeKey,
          runId: null,
          stepId: null,
          customerId: customer.id,
          purpose: 'notice',
          toPhone: customer.phone,
          marketing: false,
          content: { kind: 'text', text: translate(options.locale, key, { shop: options.shopName }) },
          waId: newMessageId(),
          dueAt: now,
          notBefore: now,
          expiresAt: now + NOTICE_LIFETIME_MS,
        },
      ],
      now,
    );
  }

  /** The run whose question is the one being answered: the most recently asked. */
  function waitingAsk(customer: Customer): Run | undefined {
    return repos.runs
      .openFor(customer.id)
      .filter((run) => run.state.ask !== null)
      .sort((a, b) => b.state.ask!.askedAt - a.state.ask!.askedAt)[0];
  }

  function answer(customer: Customer, run: Run, value: string, comment: string, waId: string): void {
    const ask = run.state.ask!;
    repos.answers.record({ customerId: customer.id, runId: run.id, stepId: ask.stepId, kind: ask.kind, value, comment: comment === '' ? null : comment, messageWaId: waId, at: clock.now() });
    runner.answerRun(run, value, comment);
  }

  return {
    handle({ inbound, customer, message }) {
      if (!customer || customer.erasedAt !== null) return 'kept';
      const { content } = inbound;
      const text = content.kind === 'text' ? content.text : null;
      const now = clock.now();

      if (text !== null && isOptOut(text)) {
        // A second SAIR changes nothing and gets no second confirmation.
        if (customer.optedOutAt !== null) return 'kept';
        const changed = repos.customers.optOut(customer.id, { source: 'whatsapp', text }, now);
        runner.cancelFor(customer.id, 'opted_out');
        notice(changed, 'inbox.opted_out', `notice:opted_out:${message.waId}`);
        return 'opted_out';
      }
      if (customer.optedOutAt !== null) {
        if (text === null || !isOptIn(text)) return 'kept';
        const changed = repos.customers.optIn(customer.id, { source: 'whatsapp', text }, now);
        notice(changed, 'inbox.opted_in', `notice:opted_in:${message.waId}`);
        return 'opted_in';
      }

      if (content.kind === 'poll_vote') {
        const run = repos.runs.openFor(customer.id).find((open) => open.state.ask?.messageId === content.pollMessageId);
        const value = run && runner.pollVoteValue(run, content.selectedOptions);
        if (!run || value === undefined) return 'no_question';
        answer(customer, run, value, '', message.waId);
        return 'answered';
      }

      const run = waitingAsk(customer);
      if (!run) return 'no_question';
      const step = runner.askStepOf(run);
      if (!step) return 'no_question';
      // A shared contact card is a referral's natural form: read its names and numbers as text.
      const said =
        content.kind === 'contacts' && step.ask === 'referral'
          ? content.contacts.map((contact) => [contact.name, ...contact.phones].filter(Boolean).join(' ')).join('; ')
          : text;
      if (said === null) return 'no_question';
      const parsed = parseAnswer(step.ask, said, options.locale, { choices: step.options, today: new Date(now), defaultCountry: options.defaultCountry });
      if (!parsed.ok) return 'not_understood';
      answer(customer, run, parsed.value, parsed.comment ?? '', message.waId);
      return 'answered';
    },
  };
}
