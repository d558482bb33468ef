import { randomFillSync } from 'node:crypto';

/**
 * The seam between fregues and WhatsApp (design.md, "The Channel seam").
 * Two implementations: the Baileys adapter (the shop's real number) and the
 * simulator (an in-memory phone network for tests, demos and trying flows).
 * Everything above this file speaks in E.164 phone numbers and the types
 * below; JIDs, LIDs and protobufs stay inside the adapters.
 */

export type ChannelState = 'connecting' | 'qr' | 'open' | 'logged_out' | 'banned' | 'closed';

export type ChannelKind = 'whatsapp' | 'simulator';

/** What the rest of the service may read of a channel without being able to send through it. */
export interface ChannelStatus {
  readonly kind: ChannelKind;
  readonly state: ChannelState;
  /** Why the channel is in its state, for people ("another process uses this session", "pinned version outdated"). */
  readonly stateDetail: string | null;
  readonly breaker: BreakerStatus;
}

/**
 * The send circuit breaker: open after WhatsApp said the account is
 * restricted (463) or banned (403); no message goes out until a person resumes.
 */
export interface BreakerStatus {
  open: boolean;
  reason: 'restricted' | 'banned' | null;
  since: number | null;
}

/** A customer's address: the phone number in E.164 ("+5511912345678"). */
export type Address = string;

export type OutboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'image'; image: Buffer; caption?: string; mimetype?: string }
  | { kind: 'poll'; question: string; options: string[]; selectableCount?: number };

export type SendFailure =
  /** The number has no WhatsApp account. */
  | 'not_on_whatsapp'
  /** Not connected: nothing left; may be sent later. */
  | 'disconnected'
  /** WhatsApp refused with 463 (account restricted): never retried. */
  | 'restricted'
  /** The breaker is open: nothing was attempted. */
  | 'breaker_open'
  /** Anything else: whether it left the phone is unknown. */
  | 'failed';

export type SendResult =
  | {
      ok: true;
      messageId: string;
      /** The JID the message went to (canonical, from onWhatsApp). */
      jid: string;
      sentAt: number;
      /**
       * What must be kept to understand replies to this message: for a poll, the
       * secret that decrypts votes. Stored as the message's payload.
       */
      keep: Record<string, unknown> | null;
    }
  | { ok: false; messageId: string; reason: SendFailure; detail: string };

export interface SharedContact {
  name: string | null;
  /** Numbers as the vCard gives them (TEL lines), and the WhatsApp ids (waid=) when present. */
  phones: string[];
}

export type InboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'media'; mediaType: 'image' | 'video' | 'audio' | 'document' | 'sticker'; caption: string | null; mimetype: string | null }
  | { kind: 'contacts'; contacts: SharedContact[] }
  | { kind: 'poll_vote'; pollMessageId: string; selectedOptions: string[] }
  /** emoji null: the reaction was removed. */
  | { kind: 'reaction'; targetMessageId: string; emoji: string | null }
  | { kind: 'edit'; targetMessageId: string; text: string }
  | { kind: 'delete'; targetMessageId: string }
  /** Location, sticker packs, calls and the rest: kept in the record, not understood. */
  | { kind: 'other'; type: string };

export interface InboundMessage {
  /** WhatsApp's message id. */
  id: string;
  /** The customer's number in E.164; null when a LID could not be resolved (yet). */
  phone: string | null;
  /** The chat's JID as it came (a phone JID or a LID). */
  jid: string;
  lid: string | null;
  /** Epoch ms. */
  timestamp: number;
  /** The name the customer set in WhatsApp. */
  pushName: string | null;
  content: InboundContent;
}

/** A message the owner typed on the shop's phone, in a customer's chat. */
export interface OwnerMessage {
  id: string;
  phone: string | null;
  jid: string;
  timestamp: number;
  content: InboundContent;
}

export type ReceiptStatus = 'delivered' | 'read' | 'played' | 'failed';

export interface Receipt {
  messageId: string;
  status: ReceiptStatus;
  at: number;
  /** For failed: WhatsApp's error code (463 is "account restricted"). */
  errorCode: number | null;
}

export interface ChannelEvents {
  qr: [qr: string];
  state: [state: ChannelState, detail: string | null];
  inbound: [message: InboundMessage];
  receipt: [receipt: Receipt];
  'owner-message': [message: OwnerMessage];
  breaker: [status: BreakerStatus];
}

export type ChannelListener<E extends keyof ChannelEvents> = (...args: ChannelEvents[E]) => void;

export interface Channel extends ChannelStatus {
  /** The current QR code text while state is 'qr'. */
  readonly qr: string | null;
  start(): Promise<void>;
  stop(): Promise<void>;
  send(to: Address, content: OutboundContent, opts: { messageId: string }): Promise<SendResult>;
  on<E extends keyof ChannelEvents>(event: E, listener: ChannelListener<E>): this;
  off<E extends keyof ChannelEvents>(event: E, listener: ChannelListener<E>): this;
  /** Linking by number instead of QR: the 8-character code to type under Linked devices. */
  requestPairingCode(phone: Address): Promise<string>;
  /** Unlinks the shop's number and forgets the session; the channel goes back to QR. */
  logout(): Promise<void>;
  /** Closes the breaker after a person checked the account. */
  resumeSending(): void;
}

/**
 * A message id in the form WhatsApp Web uses ("3EB0" and 18 hex digits),
 * assigned before sending so that a send whose outcome is unknown can be
 * recognized later by its echo or receipt.
 */
export function newMessageId(): string {
  return `3EB0${randomHex(9)}`;
}

/** Random bytes drawn from the system's generator a page at a time: one call each costs more than the id. */
const pool = Buffer.alloc(4096);
let used = pool.length;

/** `bytes` random bytes as upper-case hex. */
export function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += bytes;
  return pool.toString('hex', used - bytes, used).toUpperCase();
}

export const CLOSED_BREAKER: BreakerStatus = Object.freeze({ open: false, reason: null, since: null });
