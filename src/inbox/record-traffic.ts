import { EventEmitter } from 'node:events';
import type { Channel, InboundContent, InboundMessage, OwnerMessage, Receipt } from '../channels/channel.js';
import type { Customer, Message } from '../domain/customer.js';
import { canonicalPhone } from '../domain/phone.js';
import { cleanText } from '../domain/text.js';
import type { Clock } from '../scheduler/clock.js';
import type { GroupCommit } from '../storage/group-commit.js';
import type { Repositories } from '../storage/repositories/index.js';

/** An inbound message once it is in the customer's record. */
export interface RecordedInbound {
  inbound: InboundMessage;
  /** null when the sender's number is not known yet (a LID WhatsApp did not resolve). */
  customer: Customer | null;
  message: Message;
}

export interface RecordedOwnerMessage {
  owner: OwnerMessage;
  customer: Customer | null;
  message: Message;
}

export interface RecordedReceipt {
  receipt: Receipt;
  message: Message;
}

export interface TrafficEvents {
  inbound: [RecordedInbound];
  'owner-message': [RecordedOwnerMessage];
  receipt: [RecordedReceipt];
}

/** What downstream code (the inbox, the flow engine) listens to: traffic that is already stored. */
export interface RecordedTraffic {
  on<E extends keyof TrafficEvents>(event: E, listener: (...args: TrafficEvents[E]) => void): this;
  off<E extends keyof TrafficEvents>(event: E, listener: (...args: TrafficEvents[E]) => void): this;
  /**
   * Understands each inbound message (an answer, an opt-out) inside the same
   * transaction that stores it: the message and what it changed are committed
   * together or not at all. One handler; a later call replaces it.
   */
  handleInbound(handler: (recorded: RecordedInbound) => void): void;
  /** Resolves once everything the channel reported so far is committed and passed on. */
  settled(): Promise<void>;
  /** Stops listening to the channel. */
  detach(): void;
}

export interface RecordTrafficOptions {
  /**
   * Group commit: the messages, receipts and owner messages of one event-loop
   * turn share one transaction, and so one fsync (each message's work still
   * stands or falls alone: see GroupCommit). Without it each one is committed
   * on its own before the channel's emit returns.
   */
  writes?: GroupCommit;
  /** A write that failed (a full disk): with `writes`, there is no caller to throw to. */
  onError?: (error: unknown) => void;
}

/**
 * Puts every message the channel reports into the messages table, with its
 * customer (created on first contact), before anything else reacts to it; a
 * message WhatsApp delivers twice is stored and passed on once.
 */
export function recordTraffic(channel: Channel, repos: Repositories, clock: Clock, options: RecordTrafficOptions = {}): RecordedTraffic {
  const events = new EventEmitter();
  let handler: ((recorded: RecordedInbound) => void) | undefined;
  const { writes } = options;
  let last: Promise<void> = Promise.resolve();

  /**
   * Stores with `work`, then passes on what was stored. Events leave in the
   * order the channel reported them: GroupCommit settles its jobs in order.
   */
  function commit<T>(work: () => T, then: (stored: T) => void): void {
    if (!writes) {
      then(repos.transaction(work));
      return;
    }
    last = writes
      .run(work)
      .then(then)
      .catch((error: unknown) => {
        if (options.onError) options.onError(error);
        else throw error;
      });
  }

  const onInbound = (inbound: InboundMessage) => {
    commit(() => {
      const customer = inbound.phone === null ? null : findOrCreate(repos, inbound.phone, inbound.pushName, clock.now());
      const result = repos.messages.record(
        {
          customerId: customer?.id ?? null,
          direction: 'in',
          waId: inbound.id,
          kind: inbound.content.kind,
          text: textOf(inbound.content),
          payload: { content: inbound.content, jid: inbound.jid, lid: inbound.lid, at: inbound.timestamp },
          status: 'received',
        },
        clock.now(),
      );
      if (!result.recorded) return undefined;
      const stored: RecordedInbound = { inbound, customer: customer && warm(customer, result.message.createdAt), message: result.message };
      handler?.(stored);
      return stored;
    }, (recorded) => {
      if (recorded) events.emit('inbound', recorded);
    });
  };

  /**
   * Whatever they sent (a word, a sticker, a reaction, a poll vote), the
   * customer wrote to the shop: warm from now, and a 463 refusal forgotten,
   * in the transaction that stores the message. The owner typing to them from
   * the shop's phone never comes here: WhatsApp trusts only the customer's own
   * message. A customer already warm costs no write.
   */
  function warm(customer: Customer, at: number): Customer {
    if (customer.erasedAt !== null || (customer.warmAt !== null && customer.coldRefusedAt === null)) return customer;
    repos.customers.markWarm(customer.id, at);
    return { ...customer, warmAt: customer.warmAt ?? at, coldRefusedAt: null, updatedAt: at };
  }

  const onOwnerMessage = (owner: OwnerMessage) => {
    commit(() => {
      const customer = owner.phone === null ? null : findOrCreate(repos, owner.phone, null, clock.now());
      const result = repos.messages.record(
        {
          customerId: customer?.id ?? null,
          direction: 'out',
          waId: owner.id,
          kind: owner.content.kind,
          text: textOf(owner.content),
          payload: { author: 'owner', content: owner.content, jid: owner.jid },
          status: 'sent',
          sentAt: owner.timestamp,
        },
        clock.now(),
      );
      return result.recorded ? { owner, customer, message: result.message } : undefined;
    }, (recorded) => {
      if (recorded) events.emit('owner-message', recorded);
    });
  };

  const onReceipt = (receipt: Receipt) => {
    const status = receipt.status === 'played' ? 'read' : receipt.status;
    const error = receipt.status === 'failed' ? `whatsapp error ${receipt.errorCode ?? 'unknown'}` : undefined;
    commit(
      () => repos.messages.changeStatus(receipt.messageId, { status, at: receipt.at, ...(error ? { error } : {}) }),
      (message) => {
        if (message) events.emit('receipt', { receipt, message });
      },
    );
  };

  channel.on('inbound', onInbound);
  channel.on('owner-message', onOwnerMessage);
  channel.on('receipt', onReceipt);

  const traffic: RecordedTraffic = {
    on: (event, listener) => {
      events.on(event, listener as (...args: unknown[]) => void);
      return traffic;
    },
    off: (event, listener) => {
      events.off(event, listener as (...args: unknown[]) => void);
      return traffic;
    },
    handleInbound: (next) => {
      handler = next;
    },
    settled: async () => {
      // A job queued while waiting is waited for too.
      let seen: Promise<void> | undefined;
      while (seen !== last) {
        seen = last;
        await seen.catch(() => undefined);
      }
    },
    detach: () => {
      channel.off('inbound', onInbound);
      channel.off('owner-message', onOwnerMessage);
      channel.off('receipt', onReceipt);
    },
  };
  return traffic;
}

function findOrCreate(repos: Repositories, reported: string, pushName: string | null, now: number): Customer {
  // One person, one record, whatever form of a Brazilian mobile the channel reported.
  const phone = canonicalPhone(reported);
  const existing = repos.customers.findByPhone(phone);
  if (existing) return existing;
  // The name the person set in WhatsApp is a fair first guess until the seller edits it.
  const name = pushName === null ? '' : cleanText(pushName).slice(0, 200);
  return repos.customers.create({ phone, details: { name: name === '' ? null : name } }, now);
}

/** The words of a message, for the record and for search. */
export function textOf(content: InboundContent): string | null {
  switch (content.kind) {
    case 'text':
    case 'edit':
      return content.text;
    case 'media':
      return content.caption;
    case 'reaction':
      return content.emoji;
    case 'poll_vote':
      return content.selectedOptions.join(', ');
    case 'contacts':
      return content.contacts.map((contact) => [contact.name, ...contact.phones].filter(Boolean).join(' ')).join('; ');
    case 'delete':
    case 'other':
      return null;
  }
}
