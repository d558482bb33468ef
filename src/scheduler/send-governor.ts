import fs from 'node:fs';
import path from 'node:path';
import type { Channel, OutboundContent, SendResult } from '../channels/channel.js';
import { nextSendableTime, startOfLocalDay, type QuietHours, type Weekday } from '../domain/local-time.js';
import type { FlowContent } from '../flows/steps/types.js';
import type { Repositories } from '../storage/repositories/index.js';
import { RETRY_SUFFIX } from '../storage/repositories/messages.js';
import { HELD_BY_SELLER_PAUSE, type OutboxRow } from '../storage/repositories/outbox.js';
import type { Clock } from './clock.js';
import { messageOf } from '../domain/errors.js';
import type { Reason } from '../domain/reasons.js';

export interface GovernorOptions {
  repos: Repositories;
  channel: Channel;
  clock: Clock;
  timezone: string;
  quietHours: QuietHours | null;
  sendDays: Weekday[] | null;
  gapSeconds: { min: number; max: number };
  dailyCap: number;
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
    if (claim !== 'claimed') return { kind: 'handled' };

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
      result = await Promise.race([channel.send(row.toPhone, outbound, { messageId: row.waId }), timedOut]);
    } catch (error) {
      // An exception from a channel is a fault of ours or of the library: the outcome is unknown.
      result = { ok: false, messageId: row.waId, reason: 'failed', detail: messageOf(error) };
    } finally {
      clearTimeout(timer);
    }
    this.#record(row, result);
    if (result.ok || result.reason === 'failed') {
      const { min, max } = this.#o.gapSeconds;
      // Whole milliseconds, as every time here: a manual clock cannot stop at a fraction of one, and
      // time travel would tick forever just short of a fractional gap's end.
      const gap = Math.ceil((min + this.#o.random() * (max - min)) * 1000);
      repos.schedulerState.set(NEXT_SEND_KEY, String(clock.now() + gap));
      return { kind: 'sent' };
    }
    return { kind: 'handled' };
  }

  /** The claim transaction: the row goes to 'sending' and the message into the record, or the row is settled. */
  #claim(row: OutboxRow, now: number): 'claimed' | 'settled' {
    const { repos } = this.#o;
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
        return 'settled';
      }
      if (!repos.outbox.claim(row.id, now)) return 'settled';
      if (row.purpose === 'notice') {
        // A reply the customer asked for (the opt-out's confirmation): only erasure stops it.
        if (!customer || customer.erasedAt !== null) {
          repos.outbox.finish(row.id, 'skipped', now, 'erased' satisfies Reason);
          return 'settled';
        }
      }
      if (row.purpose === 'customer') {
        const refusal: Reason | null =
          !customer || customer.erasedAt !== null
            ? 'erased'
            : customer.optedOutAt !== null
              ? 'opted_out'
              : row.marketing && customer.consent.marketing !== 'granted'
                ? 'no_marketing_consent'
                : null;
        if (refusal) {
          repos.outbox.finish(row.id, 'skipped', now, refusal);
          repos.messages.giveUp(row.waId, `not sent: ${refusal}`);
          return 'settled';
        }
        if (customer!.handoffUntil !== null && customer!.handoffUntil > now) {
          // The owner is talking to this customer: the message waits for the pause to end.
          repos.outbox.retry(row.id, customer!.handoffUntil, 'handoff' satisfies Reason);
          return 'settled';
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
      return 'claimed';
    });
  }

  #record(row: OutboxRow, result: SendResult): void {
    const { repos, clock } = this.#o;
    const now = clock.now();
    repos.transaction(() => {
      if (result.ok) {
        repos.outbox.finish(row.id, 'sent', now);
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
        case 'restricted':
        case 'cold_refused':
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
