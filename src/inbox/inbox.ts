/**
 * The inbox: what an inbound message means, decided inside the transaction
 * that stores it (record-traffic calls it), so that the message and what it
 * changed (an answer, an opt-out) are committed together or not at all.
 *
 * Order matters: an opt-out is read first, whatever else the message could be
 * (SAIR is never an NPS answer); an opted-out customer's messages are kept in
 * the record and change nothing until VOLTAR. A click-to-chat code comes next:
 * that message is about its purchase (click-to-chat.ts), never an answer. A message that may be a request
 * to stop but is not certain ("não quero mais") gets nothing automated: the
 * customer's automation pauses and the owner decides. Only then is a reply
 * read as the answer to the question a flow is waiting on; a caption is read
 * as the words of its photo, and a voice note or wordless media goes to the
 * owner, never to a re-ask. Last, a stranger's plain first words, which
 * nothing above took, start the `first_message` flows (a welcome).
 */
import { newMessageId as defaultMessageId } from '../channels/channel.js';
import type { CountryCode } from 'libphonenumber-js';
import type { Customer } from '../domain/customer.js';
import { waMeLink } from '../domain/phone.js';
import { isPollOf, type Run } from '../flows/run-types.js';
import { translate, type Locale, type MessageKey } from '../i18n/index.js';
import type { Clock } from '../scheduler/clock.js';
import type { FlowRunner } from '../scheduler/flow-runner.js';
import type { Repositories } from '../storage/repositories/index.js';
import { needsOwner } from './intent/needs-owner.js';
import { isOptIn } from './intent/opt-in.js';
import { readStopRequest } from './intent/stop-request.js';
import { parseAnswer } from './parse-answer/parse-answer.js';
import { textOf, type RecordedInbound } from './record-traffic.js';
import { acceptClickToChat } from './click-to-chat.js';
import { installCodec } from '../intake/opt-in.js';

export interface InboxOptions {
  repos: Repositories;
  runner: FlowRunner;
  clock: Clock;
  locale: Locale;
  shopName: string;
  defaultCountry: CountryCode;
  /** PUBLIC_URL: where the owner's phone opens the pages (a customer's page, to decide on a stop request). */
  pagesUrl: string;
  /** OWNER_PHONE: where questions and complaints are forwarded. */
  ownerPhones: string[];
  /** HANDOFF_PAUSE_HOURS: how long automation waits for a customer the owner is talking to. */
  handoffPauseHours: number;
  newMessageId?: () => string;
  /** Told of what a person should know (an alert with no OWNER_PHONE to go to). */
  warn?: (message: string, details?: Record<string, unknown>) => void;
}

export type InboxOutcome =
  /** Nothing to do: no customer, erased, or an opted-out customer's message that is not VOLTAR. */
  | 'kept'
  | 'opted_out'
  | 'opted_in'
  /** Understood as the answer to the question a run was waiting on. */
  | 'answered'
  /** A reply that could not be read as the answer: the question was asked again, once. */
  | 'reasked'
  /** A second reply that could not be read: kept as the comment, the question's no_answer branch taken. */
  | 'not_understood'
  /**
   * A question or complaint: forwarded to the owner, automation for the customer paused;
   * or a click-to-chat code of no purchase we know: forwarded, nothing paused.
   */
  | 'to_owner'
  /**
   * May be a request to stop, not certainly: nothing automated answers it, the customer's
   * automation is paused and the owner asked to confirm the opt-out or resume.
   */
  | 'stop_review'
  /** A voice note, or a photo, video, sticker or document without words, answering a question: the owner is told. */
  | 'media_to_owner'
  /**
   * The customer wrote with a purchase's click-to-chat code: the purchase is
   * theirs, their consent kept, its waiting flow goes on. Nothing answers it.
   */
  | 'click_to_chat'
  /** No question was waiting, but runs waiting for the customer to write first go on now. */
  | 'contact'
  /** No question was waiting: kept in the record. */
  | 'no_question'
  /**
   * A person's first message ever, plain words nothing else took (see `welcome`):
   * the `first_message` flows started.
   */
  | 'welcomed';

/** How long a confirmation may wait for WhatsApp before it is no longer worth sending. */
const NOTICE_LIFETIME_MS = 24 * 3600_000;
/** Alerts about one customer's conversation within this time are one alert. */
const ALERT_MERGE_MS = 3600_000;
const HOUR = 3600_000;

type MediaType = Extract<RecordedInbound['inbound']['content'], { kind: 'media' }>['mediaType'];

export interface Inbox {
  /** What one stored inbound message means, acted on in the transaction that stored it. */
  handle(recorded: RecordedInbound): InboxOutcome;
  /** The owner typed to a customer from the phone: the bot steps aside for a while. */
  ownerWrote(customer: Customer | null): void;
}

export function createInbox(options: InboxOptions): Inbox {
  const { repos, runner, clock } = options;
  const newMessageId = options.newMessageId ?? defaultMessageId;
  const codec = installCodec(repos);

  /** A reply the customer asked for: sent even when they opted out, outside quiet hours. */
  function notice(customer: Customer, key: MessageKey, dedupeKey: string): void {
    if (!customer.phone) return;
    const text = translate(options.locale, key, { shop: options.shopName });
    queue(customer, [{ dedupeKey, runId: null, stepId: null, purpose: 'notice', toPhone: customer.phone, text }]);
  }

  /** The run whose question is the one being answered: the most recently asked. */
  function waitingAsk(customer: Customer): Run | undefined {
    return repos.runs
      .openFor(customer.id)
      .filter((run) => run.state.ask !== null)
      .sort((a, b) => b.state.ask!.askedAt - a.state.ask!.askedAt)[0];
  }

  /** Owner alerts go to every OWNER_PHONE; without one, the log says what was not sent. */
  function alertOwner(customer: Customer, dedupeKey: string, text: string): void {
    if (options.ownerPhones.length === 0) {
      options.warn?.('an alert for the owner was not sent: OWNER_PHONE is not set', { customerId: customer.id });
      return;
    }
    queue(
      customer,
      options.ownerPhones.map((owner) => ({ dedupeKey: `${dedupeKey}:${owner}`, runId: null, stepId: null, purpose: 'owner', toPhone: owner, text })),
    );
  }

  function queue(customer: Customer, rows: { dedupeKey: string; runId: number | null; stepId: string | null; purpose: 'customer' | 'owner' | 'notice'; toPhone: string; text: string }[]): void {
    const now = clock.now();
    repos.outbox.enqueue(
      rows.map((row) => ({
        ...row,
        customerId: customer.id,
        marketing: false,
        content: { kind: 'text', text: row.text },
        waId: newMessageId(),
        dueAt: now,
        // The sender still keeps customers' quiet hours, days off and pauses.
        notBefore: now,
        expiresAt: now + NOTICE_LIFETIME_MS,
      })),
      now,
    );
  }

  /**
   * A question or complaint the bot cannot answer: the owner gets it on
   * WhatsApp (one alert per conversation per hour), and automation for the
   * customer pauses so that the bot does not talk over the owner.
   */
  function toOwner(customer: Customer, text: string, waId: string): void {
    handOver(customer, waId, (phone, name) =>
      translate(options.locale, 'inbox.owner_alert', {
        name,
        phone,
        text: text.length > 500 ? `${text.slice(0, 500)}…` : text,
        link: waMeLink(phone),
        hours: options.handoffPauseHours,
      }),
    );
  }

  /**
   * A voice note, or media without words, that the bot cannot read: never
   * answered by the bot (no re-ask); the owner is told what came, with the
   * one-tap link to the chat, and the question waits for them or its timeout.
   */
  function mediaToOwner(customer: Customer, mediaType: MediaType, waId: string): void {
    handOver(customer, waId, (phone, name) =>
      translate(options.locale, 'inbox.media_alert', {
        name,
        phone,
        what: translate(options.locale, `inbox.media.${mediaType}`),
        link: waMeLink(phone),
        hours: options.handoffPauseHours,
      }),
    );
  }

  /** Pauses automation while the owner takes over, and alerts them (one alert per conversation per hour). */
  function handOver(customer: Customer, waId: string, body: (phone: string, name: string) => string): void {
    const now = clock.now();
    pause(customer);
    const key = `inbox.alerted:${customer.id}`;
    const last = Number(repos.schedulerState.get(key) ?? 0);
    if (now - last < ALERT_MERGE_MS || !customer.phone) return;
    repos.schedulerState.set(key, String(now));
    alertOwner(customer, `owner-alert:${waId}`, body(customer.phone, customer.name ?? customer.phone));
  }

  /**
   * A message that may ask to stop the messages, but not certainly: nothing
   * automated goes to the customer (their automation is paused until the owner
   * decides), and the owner gets the text with the customer's page, where one
   * tap confirms the opt-out or resumes. Every such message alerts: each may be
   * the one that makes it certain.
   */
  function reviewStop(customer: Customer, text: string, waId: string): void {
    const now = clock.now();
    const held = repos.customers.holdForStopReview(customer.id, text.slice(0, 1000), now);
    if (!held.phone) return;
    alertOwner(
      held,
      `stop-review:${waId}`,
      translate(options.locale, 'inbox.stop_review_alert', {
        name: held.name ?? held.phone,
        phone: held.phone,
        text: text.length > 500 ? `${text.slice(0, 500)}…` : text,
        page: `${options.pagesUrl}/customers/${held.id}`,
        link: waMeLink(held.phone),
      }),
    );
  }

  /** The first reply that could not be read gets one short clarification; the second ends the question. */
  function unreadable(customer: Customer, run: Run, step: NonNullable<ReturnType<FlowRunner['askStepOf']>>, text: string, waId: string): InboxOutcome {
    const ask = run.state.ask!;
    if (!ask.reasked && customer.phone) {
      const options_ = step.options.map((option, index) => `${index + 1}) ${option.label}`).join('\n');
      const clarification = translate(options.locale, `inbox.clarify.${step.ask}` as MessageKey, { options: options_ });
      const visit = run.state.visits[ask.stepId] ?? 1;
      queue(customer, [{ dedupeKey: `${run.id}:${ask.stepId}:${visit}:clarify`, runId: run.id, stepId: ask.stepId, purpose: 'customer', toPhone: customer.phone, text: clarification }]);
      runner.markReasked(run);
      return 'reasked';
    }
    repos.answers.record({ customerId: customer.id, runId: run.id, stepId: ask.stepId, kind: ask.kind, value: '', comment: text, messageWaId: waId, at: clock.now() });
    runner.giveUpOn(run, text);
    return 'not_understood';
  }

  function answer(customer: Customer, run: Run, value: string, comment: string, waId: string, referrals: readonly { name: string | null; phone: string }[] = []): void {
    const ask = run.state.ask!;
    const stored = repos.answers.record({ customerId: customer.id, runId: run.id, stepId: ask.stepId, kind: ask.kind, value, comment: comment === '' ? null : comment, messageWaId: waId, at: clock.now() });
    // A detractor (0-6 on any NPS question, whatever the flow) is the alert that matters most: the
    // owner hears of it at once, with the comment and a one-tap link, from the inbox, not from a
    // step a seller could leave out of their own flow.
    if (ask.kind === 'nps' && Number(value) <= 6 && customer.phone) {
      const params = { name: customer.name ?? customer.phone, phone: customer.phone, score: value, comment: comment.length > 500 ? `${comment.slice(0, 500)}…` : comment, link: waMeLink(customer.phone) };
      alertOwner(customer, `detractor-alert:${waId}`, translate(options.locale, comment === '' ? 'inbox.detractor_alert' : 'inbox.detractor_alert_comment', params));
    }
    // The friends a customer names become referral rows: never customers, never messaged (they did not
    // opt in). The owner hears of them at once, to reach them personally if they want to.
    if (referrals.length > 0 && repos.referrals.record(customer.id, referrals, stored.id, clock.now()) > 0 && customer.phone) {
      const text = translate(options.locale, 'inbox.referral_alert', {
        name: customer.name ?? customer.phone,
        phone: customer.phone,
        friends: referrals.map((friend) => (friend.name ? `${friend.name} ${friend.phone}` : friend.phone)).join(', '),
      });
      alertOwner(customer, `referral-alert:${waId}`, text);
    }
    runner.answerRun(run, value, comment, customer);
  }

  /** Automation for the customer waits HANDOFF_PAUSE_HOURS: the owner is (or should be) talking to them. */
  function pause(customer: Customer): void {
    const now = clock.now();
    repos.customers.pauseUntil(customer.id, now + options.handoffPauseHours * HOUR, now);
  }

  /**
   * The `first_message` flows (a welcome) start for a message that is, with no
   * doubt, a stranger's plain first words to the shop. Only after everything
   * above found nothing to do with it (the outcome is no_question), so never for
   * SAIR or a perhaps-stop, a click-to-chat code, a question or a complaint
   * (those go to the owner), a voice note, or an answer to one of our questions;
   * and only when all of these hold: it is a text (not a photo, a sticker, a
   * reaction, a contact card, a poll vote); it is the first message the person
   * ever sent the shop; the shop never wrote to them and no flow ever ran for
   * them (a buyer's thank-you may still be in the queue: their first words may
   * answer it); and nobody paused them. When in doubt, nothing automated.
   */
  function welcome({ inbound, customer, message }: RecordedInbound): boolean {
    if (!customer || inbound.content.kind !== 'text') return false;
    // A first message made them warm at its own time (record-traffic.ts); cheap to rule out all the others.
    if (customer.warmAt !== message.createdAt) return false;
    if (customer.handoffUntil !== null || customer.automationPausedAt !== null || customer.stopReview !== null) return false;
    const earlier = repos.messages.listByCustomer(customer.id).filter((other) => other.id !== message.id);
    if (earlier.length > 0 || repos.runs.listFor(customer.id).length > 0) return false;
    return runner.enrollForFirstMessage(customer).length > 0;
  }

  /** What a message means, acted on; `handle` adds the welcome to it. */
  const understanding: Inbox = {
    /** The owner typed to the customer from the shop's phone: the bot steps aside. */
    ownerWrote(customer: Customer | null): void {
      if (customer && customer.erasedAt === null) pause(customer);
    },
    handle({ inbound, customer, message }) {
      if (!customer || customer.erasedAt !== null) return 'kept';
      const { content } = inbound;
      // A caption is the words of a photo, video or document: read like a text ("nota 2, veio amassado").
      const text = content.kind === 'text' ? content.text : content.kind === 'media' ? content.caption : null;
      const now = clock.now();
      const stop = text === null ? null : readStopRequest(text);

      if (stop === 'stop') {
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
      // A click-to-chat code ("Oi! Quero acompanhar meu pedido #K7P2Q") is about its purchase, never an answer.
      const chat = text === null ? null : acceptClickToChat({ repos, runner, codec }, customer, text, now);
      if (chat?.accepted) return 'click_to_chat';
      // Perhaps "stop": nothing automated answers it, whatever question is open; the owner decides.
      if (stop === 'maybe' && text !== null) {
        reviewStop(customer, text, message.waId);
        return 'stop_review';
      }
      // They wrote: runs waiting for them to write first go on.
      const woken = runner.contactArrived(customer.id);
      // A code of no purchase we know (too old, mistyped, a hashtag): only a person can tell which
      // order they mean. The owner is told, and nothing pauses: it may be no code at all.
      if (chat && text !== null && customer.phone) {
        const params = { name: customer.name ?? customer.phone, phone: customer.phone, code: chat.code, text: text.length > 500 ? `${text.slice(0, 500)}…` : text, link: waMeLink(customer.phone) };
        alertOwner(customer, `unknown-code-alert:${message.waId}`, translate(options.locale, 'inbox.unknown_code_alert', params));
        return 'to_owner';
      }
      const idle: InboxOutcome = woken > 0 ? 'contact' : 'no_question';

      if (content.kind === 'poll_vote') {
        const run = repos.runs.openFor(customer.id).find((open) => isPollOf(open.state.ask, content.pollMessageId));
        const value = run && runner.pollVoteValue(run, content.selectedOptions);
        if (!run || value === undefined) return idle;
        answer(customer, run, value, '', message.waId);
        return 'answered';
      }

      const run = waitingAsk(customer);
      const step = run && runner.askStepOf(run);
      // Media without words: a voice note always needs a person to listen; a photo, video,
      // sticker or document needs one when it is what the customer sent as their answer.
      if (content.kind === 'media' && text === null && (content.mediaType === 'audio' || (run && step))) {
        mediaToOwner(customer, content.mediaType, message.waId);
        return 'media_to_owner';
      }
      if (!run || !step) {
        if (text !== null && needsOwner(text).yes) {
          toOwner(customer, text, message.waId);
          return 'to_owner';
        }
        return idle;
      }
      // A shared contact card is a referral's natural form: read its names and numbers as text.
      const said =
        content.kind === 'contacts' && step.ask === 'referral'
          ? textOf(content)
          : text;
      if (said === null) return idle;
      const parsed = parseAnswer(step.ask, said, options.locale, { choices: step.options, today: new Date(now), defaultCountry: options.defaultCountry });
      if (!parsed.ok) {
        // A question or a complaint is not a failed answer: the owner takes it, the question keeps waiting.
        if (text !== null && needsOwner(text).yes) {
          toOwner(customer, text, message.waId);
          return 'to_owner';
        }
        return unreadable(customer, run, step, said, message.waId);
      }
      answer(customer, run, parsed.value, parsed.comment ?? '', message.waId, parsed.referrals);
      return 'answered';
    },
  };

  return {
    ownerWrote: (customer) => understanding.ownerWrote(customer),
    handle(recorded) {
      const outcome = understanding.handle(recorded);
      return outcome === 'no_question' && welcome(recorded) ? 'welcomed' : outcome;
    },
  };
}
