import fs from 'node:fs';
import path from 'node:path';
import type { Channel, OutboundContent, SendResult } from '../channels/channel.js';
import { nextSendableTime, startOfLocalDay } from '../domain/local-time.js';
import type { FlowContent } from '../flows/steps/types.js';
import type { Repositories } from '../storage/repositories/index.js';
import { RETRY_SUFFIX } from '../storage/repositories/messages.js';
import { HELD_BY_SELLER_PAUSE, type OutboxRow } from '../storage/repositories/outbox.js';
import type { Clock } from './clock.js';
import { messageOf } from '../domain/errors.js';
import type { Reason } from '../domain/reasons.js';
import type { Customer } from '../domain/customer.js';
import { coldWindows, decideCold } from './cold-budget.js';
import type { PacingRules } from './pacing-rules.js';
import { CONTACT_WINDOW_MS, contactCapHold, contactOf, type Contact } from './contact-cap.js';

export interface GovernorOptions extends PacingRules {
  repos: Repositories;
  channel: Channel;
  clock: Clock;
  /** CONTACT_CAP_PER_WEEK: automated messages (not replies) that may reach one customer in any 7 days. */
  contactCapPerWeek: number;
  /** Owner alerts go in quiet hours too (OWNER_ALERTS_ANYTIME). Default false. */
  ownerAlertsAnytime?: boolean;
  flowsDir: string;
  random?: () => number;
  /**
   * How long to wait for the channel to answer a send (wall-clock ms, default two
   * minutes). A send that never answers is given up as 'unknown', so that one
   * stuck call cannot stop all sending; a later receipt still proves it went.
   */
  sendTimeoutMs?: number;
  /** Told once each time sending stops because the breaker opened. */
  onAlert?: (message: string) => void;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

export interface DrainResult {
  sent: number;
  /** When sending may go on (a gap, a message's earliest time); null when nothing is queued or the channel is down. */
  nextAt: number | null;
}

const SEND_TIMEOUT_MS = 120_000;
const RETRY_BASE_MS = 60_000;
const RETRY_CAP_MS = 3600_000;
const NEXT_SEND_KEY = 'governor.next_send_at';
/** The customer's record keeps its own words for a message that came too late (messages.error). */
const EXPIRED_MESSAGE_ERROR = 'due longer ago than the step allows';

/**
 * The send governor: between the outbox and the channel, one message at a
 * time, a random gap between messages, customers never written to in quiet
 * hours or on days off, at most DAILY_SEND_CAP a day, nothing while the
 * breaker is open. Opt-out, handoff pauses, the seller's pause, erasure and
 * marketing consent are checked again in the same transaction as the claim.
 * So are WhatsApp's limits (issue 18): a message to a customer who never
 * wrote spends the cold budget (cold-budget.ts) and waits during a time lock;
 * one that is not a reply counts toward the contact cap (contact-cap.ts). A
 * held message is moved to when it may go, never in the way of the others.
 *
 * Each send is two committed transactions around the channel call: the claim
 * (outbox 'sending' and the message row, with the WhatsApp id chosen before)
 * and the result. A crash in between leaves a 'sending' row that reconcile()
 * settles from evidence, never by sending again.
 */
export class SendGovernor {
  readonly #o: Required<Omit<GovernorOptions, 'onAlert' | 'log'>> & Pick<GovernorOptions, 'onAlert' | 'log'>;
  #alertedFor: number | null = null;
  #draining = false;

  constructor(options: GovernorOptions) {
    this.#o = { random: Math.random, sendTimeoutMs: SEND_TIMEOUT_MS, ownerAlertsAnytime: false, ...options };
  }

  /**
   * At start: rows left in 'sending' by a crash. A message row that reached
   * 'sent' or beyond (its receipt came) proves the send; anything else is
   * 'unknown', reported and never resent.
   */
  reconcile(): { confirmed: number; unknown: number } {
    const { repos, clock } = this.#o;
    let confirmed = 0;
    let unknown = 0;
    for (const row of repos.outbox.stuckSending()) {
      repos.transaction(() => {
        const message = repos.messages.findByWaId(row.waId);
        if (message && ['sent', 'delivered', 'read'].includes(message.status)) {
          repos.outbox.finish(row.id, 'sent', clock.now());
          confirmed += 1;
        } else {
          repos.outbox.finish(row.id, 'unknown', clock.now(), 'interrupted' satisfies Reason);
          if (message) repos.messages.changeStatus(row.waId, { status: 'unknown', at: clock.now(), error: 'outcome unknown after a restart' });
          unknown += 1;
        }
      });
    }
    if (unknown > 0) this.#o.log?.('messages whose sending was interrupted are marked unknown, not resent', { unknown });
    return { confirmed, unknown };
  }

  /** A receipt for a message marked unknown proves it went out. */
  confirmByReceipt(waId: string): boolean {
    return this.#o.repos.outbox.confirmSent(waId, this.#o.clock.now());
  }

  /** Sends what may go now, one at a time; returns when the next message must wait. */
  async drain(maxSends = Number.POSITIVE_INFINITY): Promise<DrainResult> {
    if (this.#draining) return { sent: 0, nextAt: this.#o.clock.now() };
    this.#draining = true;
    try {
      let sent = 0;
      while (sent < maxSends) {
        const step = await this.#sendOne();
        if (step.kind === 'stop') return { sent, nextAt: step.nextAt };
        if (step.kind === 'sent') sent += 1;
      }
      return { sent, nextAt: this.#o.clock.now() };
    } finally {
      this.#draining = false;
    }
  }

  async #sendOne(): Promise<{ kind: 'sent' | 'handled' } | { kind: 'stop'; nextAt: number | null }> {
    const { repos, clock, channel } = this.#o;
    if (channel.breaker.open) {
      this.#alertOnce(channel.breaker.since ?? clock.now());
      return { kind: 'stop', nextAt: null };
    }
    if (channel.state !== 'open') return { kind: 'stop', nextAt: null };

    const now = clock.now();
    const gapUntil = Number(repos.schedulerState.get(NEXT_SEND_KEY) ?? 0);
    const row = repos.outbox.nextDue(now);
    if (!row) return { kind: 'stop', nextAt: repos.outbox.nextNotBefore() };
    if (now < gapUntil) return { kind: 'stop', nextAt: gapUntil };

    if (now > row.expiresAt) {
      repos.transaction(() => {
        repos.outbox.finish(row.id, 'expired', now, 'expired' satisfies Reason);
        // Tried before while nothing could leave the phone: the record no longer says it will be retried.
        repos.messages.giveUp(row.waId, EXPIRED_MESSAGE_ERROR);
      });
      return { kind: 'handled' };
    }
    if (row.purpose === 'owner' && !this.#o.ownerAlertsAnytime) {
      // The owner's alerts keep quiet hours too (not the days off) unless OWNER_ALERTS_ANYTIME.
      const sendable = nextSendableTime(now, this.#o.quietHours, null, this.#o.timezone);
      if (sendable > now) {
        repos.outbox.defer(row.id, sendable, null);
        return { kind: 'handled' };
      }
    }
    if (row.purpose === 'customer') {
      const sendable = nextSendableTime(now, this.#o.quietHours, this.#o.sendDays, this.#o.timezone);
      if (sendable > now) {
        repos.outbox.defer(row.id, sendable, null);
        return { kind: 'handled' };
      }
      const today = startOfLocalDay(now, this.#o.timezone);
      if (repos.outbox.countSentSince('customer', today) >= this.#o.dailyCap) {
        const tomorrow = nextSendableTime(startOfLocalDay(now, this.#o.timezone, 1), this.#o.quietHours, this.#o.sendDays, this.#o.timezone);
        repos.outbox.defer(row.id, tomorrow, 'daily_cap');
        return { kind: 'handled' };
      }
    }

    // Read the image before the claim: a file that is gone is a plain failure, known to
    // have sent nothing, not an exception of unknown outcome from the channel.
    let outbound: OutboundContent;
    try {
      outbound = this.#outbound(row.content);
    } catch (error) {
      const detail = messageOf(error);
      repos.outbox.finish(row.id, 'failed', now, `image not readable: ${detail}`);
      this.#o.log?.('a flow image could not be read; that message was not sent', { outboxId: row.id, runId: row.runId, stepId: row.stepId, error: detail });
      return { kind: 'handled' };
    }

    const claim = this.#claim(row, now);
    if (!claim.claimed) return { kind: 'handled' };
    // A cold message opens a new chat: a 463 for it is WhatsApp refusing that chat, not the account.
    const options = { messageId: row.waId, ...(claim.contact === null ? {} : { cold: claim.contact === 'cold' }) };

    let result: SendResult;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeoutMs = this.#o.sendTimeoutMs;
      const timedOut = new Promise<SendResult>((resolve) => {
        timer = setTimeout(
          () => resolve({ ok: false, messageId: row.waId, reason: 'failed', detail: `no answer from the channel within ${Math.round(timeoutMs / 1000)} s` }),
          timeoutMs,
        );
        timer.unref();
      });
      result = await Promise.race([channel.send(row.toPhone, outbound, options), timedOut]);
    } catch (error) {
      // An exception from a channel is a fault of ours or of the library: the outcome is unknown.
      result = { ok: false, messageId: row.waId, reason: 'failed', detail: messageOf(error) };
    } finally {
      clearTimeout(timer);
    }
    this.#record(row, result);
    // A refused new chat reached WhatsApp all the same: the next message keeps its distance too.
    if (result.ok || result.reason === 'failed' || result.reason === 'cold_refused') {
      const { min, max } = this.#o.gapSeconds;
      // Whole milliseconds, as every time here: a manual clock cannot stop at a fraction of one, and
      // time travel would tick forever just short of a fractional gap's end.
      const gap = Math.ceil((min + this.#o.random() * (max - min)) * 1000);
      repos.schedulerState.set(NEXT_SEND_KEY, String(clock.now() + gap));
      return { kind: result.ok || result.reason === 'failed' ? 'sent' : 'handled' };
    }
    return { kind: 'handled' };
  }

  /**
   * The claim transaction: the row goes to 'sending' (with how it reaches the customer) and the
   * message into the record, or the row is settled (skipped, held, moved).
   */
  #claim(row: OutboxRow, now: number): { claimed: true; contact: Contact | null } | { claimed: false } {
    const { repos } = this.#o;
    const settled = { claimed: false } as const;
    return repos.transaction(() => {
      // The one read of the customer, for notices and customer messages, before the claim: a message
      // the seller's pause holds goes back unclaimed, so that it counts as no attempt.
      const customer = row.purpose === 'owner' || row.customerId === null ? undefined : repos.customers.findById(row.customerId);
      if (
        row.purpose === 'customer' &&
        customer !== undefined &&
        customer.automationPausedAt !== null &&
        customer.erasedAt === null &&
        customer.optedOutAt === null
      ) {
        // The seller paused this customer's automation: the message waits, queued, until they
        // resume it (which makes it due at once) or until it expires as any late message does.
        repos.outbox.defer(row.id, row.expiresAt + 1, HELD_BY_SELLER_PAUSE);
        return settled;
      }
      // Notices (an opt-out's confirmation, asked for) and the owner's alerts are exempt from what follows.
      const live = row.purpose === 'customer' && customer !== undefined && customer.erasedAt === null;
      const contact = live ? contactOf(customer, repos.messages.lastInboundAt(customer.id), now) : null;
      const refusal = row.purpose === 'customer' ? refusalOf(row, customer, contact) : null;
      const handoffUntil =
        refusal === null && customer !== undefined && customer.handoffUntil !== null && customer.handoffUntil > now ? customer.handoffUntil : null;
      if (contact !== null && refusal === null && handoffUntil === null) {
        const hold = this.#holdFor(customer!, contact, now);
        if (hold) {
          // Held, unclaimed (no attempt counted), until it may go: past its lateness it expires then.
          repos.outbox.defer(row.id, Math.max(now + 1, Math.min(hold.until, row.expiresAt + 1)), hold.reason);
          return settled;
        }
      }
      if (!repos.outbox.claim(row.id, now, contact)) return settled;
      if (row.purpose === 'notice') {
        // A reply the customer asked for (the opt-out's confirmation): only erasure stops it.
        if (!customer || customer.erasedAt !== null) {
          repos.outbox.finish(row.id, 'skipped', now, 'erased' satisfies Reason);
          return settled;
        }
      }
      if (row.purpose === 'customer') {
        if (refusal) {
          repos.outbox.finish(row.id, 'skipped', now, refusal);
          repos.messages.giveUp(row.waId, `not sent: ${refusal}`);
          return settled;
        }
        if (handoffUntil !== null) {
          // The owner is talking to this customer: the message waits for the pause to end.
          repos.outbox.retry(row.id, handoffUntil, 'handoff' satisfies Reason);
          return settled;
        }
      }
      const existing = repos.messages.findByWaId(row.waId);
      if (existing) {
        repos.messages.restartSending(row.waId);
      } else {
        repos.messages.record(
          {
            customerId: row.customerId,
            direction: 'out',
            waId: row.waId,
            kind: row.content.kind,
            text: describe(row.content),
            payload: { flow: { runId: row.runId, stepId: row.stepId }, to: row.purpose, ...(row.content.kind === 'poll' ? { options: row.content.options } : {}) },
            status: 'sending',
          },
          now,
        );
      }
      return { claimed: true, contact };
    });
  }

  /**
   * What holds a message that is not a reply: the contact cap (cold or warm), then for a cold
   * one WhatsApp's time lock and the cold budget. Both may hold: the later moment wins.
   */
  #holdFor(customer: Customer, contact: Contact, now: number): { reason: Reason; until: number } | null {
    if (contact === 'reply') return null;
    const { repos, timezone } = this.#o;
    const holds: { reason: Reason; until: number }[] = [];
    const capUntil = contactCapHold(repos.outbox.contactTimesSince(customer.id, now - CONTACT_WINDOW_MS), this.#o.contactCapPerWeek, now);
    if (capUntil !== null) holds.push({ reason: 'contact_cap', until: capUntil });
    if (contact === 'cold') {
      const limits = repos.whatsappLimits.read();
      const windows = coldWindows(now, timezone, limits);
      const decision = decideCold(
        { now, timezone, rules: this.#o.cold, limits, linkedAt: repos.whatsappLimits.linkedAt() },
        {
          sentToday: repos.outbox.countColdCustomersSince(windows.dayStart),
          sentSinceQuotaRead: windows.quotaSince === null ? 0 : repos.outbox.countColdCustomersSince(windows.quotaSince),
          alreadyReached: repos.outbox.coldReachedSince(customer.id, windows.reachedSince),
        },
      );
      if (!decision.go) holds.push({ reason: decision.reason, until: decision.until });
    }
    return holds.sort((a, b) => b.until - a.until)[0] ?? null;
  }

  #record(row: OutboxRow, result: SendResult): void {
    const { repos, clock } = this.#o;
    const now = clock.now();
    repos.transaction(() => {
      if (result.ok) {
        // WhatsApp's refusal of a cold message (a 463 receipt) may come before its answer reaches us: it stands.
        if (!repos.outbox.finishSent(row.id, now)) return;
        repos.messages.changeStatus(row.waId, { status: 'sent', at: result.sentAt, keep: result.keep });
        return;
      }
      const error = `${result.reason}: ${result.detail}`;
      switch (result.reason) {
        case 'failed':
          repos.outbox.finish(row.id, 'unknown', now, error);
          repos.messages.changeStatus(row.waId, { status: 'unknown', at: now, error });
          return;
        case 'disconnected':
        case 'breaker_open': {
          // Nothing left the phone: it may go later, within its lateness.
          const wait = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, row.attempts - 1));
          repos.outbox.retry(row.id, now + wait, error);
          repos.messages.changeStatus(row.waId, { status: 'failed', at: now, error: `${error}${RETRY_SUFFIX}` });
          return;
        }
        case 'cold_refused':
          // WhatsApp will not open this chat (463): never again automatically; if the customer writes, they are warm.
          repos.outbox.finish(row.id, 'failed', now, 'cold_refused' satisfies Reason);
          repos.messages.changeStatus(row.waId, { status: 'failed', at: now, error });
          if (row.purpose === 'customer' && row.customerId !== null) repos.customers.markColdRefused(row.customerId, now);
          return;
        case 'restricted':
        case 'not_on_whatsapp':
          repos.outbox.finish(row.id, 'failed', now, error);
          repos.messages.changeStatus(row.waId, { status: 'failed', at: now, error });
          return;
      }
    });
  }

  #outbound(content: FlowContent): OutboundContent {
    if (content.kind !== 'image') return content;
    const file = path.resolve(this.#o.flowsDir, content.file);
    return { kind: 'image', image: fs.readFileSync(file), ...(content.caption ? { caption: content.caption } : {}), mimetype: mimetypeOf(file) };
  }

  #alertOnce(since: number): void {
    if (this.#alertedFor === since) return;
    this.#alertedFor = since;
    this.#o.onAlert?.('Sending stopped: WhatsApp restricted or refused the account. Check it in the WhatsApp app, then resume on /connect.');
  }
}

/** Why a customer message is not sent at all (checked in the claim's transaction), or null. */
function refusalOf(row: OutboxRow, customer: Customer | undefined, contact: Contact | null): Reason | null {
  if (!customer || customer.erasedAt !== null) return 'erased';
  if (customer.optedOutAt !== null) return 'opted_out';
  if (row.marketing && customer.consent.marketing !== 'granted') return 'no_marketing_consent';
  // WhatsApp refused a new chat with them before: only their own message opens it now.
  if (contact === 'cold' && customer.coldRefusedAt !== null) return 'cold_skipped';
  return null;
}

function describe(content: FlowContent): string | null {
  switch (content.kind) {
    case 'text':
      return content.text;
    case 'image':
      return content.caption;
    case 'poll':
      return content.question;
  }
}

function mimetypeOf(file: string): string {
  const extension = path.extname(file).toLowerCase();
  return extension === '.png' ? 'image/png' : extension === '.webp' ? 'image/webp' : 'image/jpeg';
}
