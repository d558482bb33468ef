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
  /** WhatsApp's limits on new chats as last read (issue 18); nothing read yet: NO_LIMITS_READ. */
  readonly limits: WhatsAppLimits;
  /** The shop's own number in E.164, once linked (the click-to-chat link's address); null before. */
  readonly linkedPhone: Address | null;
  /** WhatsApp could not be reached: the last failure and the next try; null once a QR or the connection came. */
  readonly linkTrouble: LinkTrouble | null;
}

/**
 * What the last attempt to reach WhatsApp ran into, before any QR or connection
 * (`link.error.<code>` says it in words): `unreachable` (the name web.whatsapp.com
 * did not resolve, or no route: no internet), `refused` (refused or cut on the
 * way: a firewall or a proxy), `timed_out` (408: no answer in time),
 * `certificate` (the TLS certificate was not accepted: a wrong date and time, or
 * a proxy that intercepts), `connection_closed` (428), `unavailable` (503),
 * `failed` (anything else).
 */
export const LINK_ERROR_CODES = ['unreachable', 'refused', 'timed_out', 'certificate', 'connection_closed', 'unavailable', 'failed'] as const;
export type LinkErrorCode = (typeof LINK_ERROR_CODES)[number];

export interface LinkTrouble {
  code: LinkErrorCode;
  /** WhatsApp's (Baileys') status code, when there was one (408, 428, 503…). */
  statusCode: number | null;
  /** When the last attempt failed (epoch ms). */
  at: number;
  /** Attempts in a row that failed so. */
  failures: number;
  /** When the next attempt starts (epoch ms); null when none is planned. */
  retryAt: number | null;
}

/** WhatsApp's own words for how close the account is to its new-chat cap. */
export type CappingStatus = 'none' | 'first_warning' | 'second_warning' | 'capped';

/**
 * WhatsApp's cap on new chats (messages to people who never wrote to the shop),
 * per cycle: Baileys' `fetchNewChatMessageCap()` and `message-capping.update`.
 * Times are epoch ms; a field WhatsApp did not send is null.
 */
export interface NewChatCap {
  total: number | null;
  used: number | null;
  cycleStart: number | null;
  cycleEnd: number | null;
  status: CappingStatus;
  /** When the channel read it. */
  readAt: number;
}

/**
 * The account's reach-out time lock: while active, WhatsApp refuses new chats
 * (463) until `endsAt`; conversations the customer started keep working.
 */
export interface ReachoutLock {
  active: boolean;
  endsAt: number | null;
  /** WhatsApp's enforcement type as it came ("BIZ_QUALITY", "WEB_COMPANION_ONLY", …). */
  kind: string | null;
  readAt: number;
}

export interface WhatsAppLimits {
  cap: NewChatCap | null;
  lock: ReachoutLock | null;
  /** The WhatsApp Web version the channel connects with ("2.3000.1043857760"); null for the simulator. */
  waVersion: string | null;
}

export const NO_LIMITS_READ: WhatsAppLimits = Object.freeze({ cap: null, lock: null, waVersion: null });

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
  /** WhatsApp refused a cold message (463: a new chat it will not open): never retried, the breaker stays closed. */
  | 'cold_refused'
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

export interface SendOptions {
  messageId: string;
  /**
   * The customer never wrote to the shop: this message opens a new chat. A 463
   * for it means WhatsApp will not open that chat (cold_refused, or a failed
   * receipt), not that the account is restricted: the breaker stays closed.
   */
  cold?: boolean;
}

export interface ChannelEvents {
  qr: [qr: string];
  state: [state: ChannelState, detail: string | null];
  inbound: [message: InboundMessage];
  receipt: [receipt: Receipt];
  'owner-message': [message: OwnerMessage];
  breaker: [status: BreakerStatus];
  /** WhatsApp's limits changed (or were read again): the whole latest state. */
  limits: [limits: WhatsAppLimits];
}

export type ChannelListener<E extends keyof ChannelEvents> = (...args: ChannelEvents[E]) => void;

export interface Channel extends ChannelStatus {
  /** The current QR code text while state is 'qr'. */
  readonly qr: string | null;
  start(): Promise<void>;
  stop(): Promise<void>;
  send(to: Address, content: OutboundContent, opts: SendOptions): Promise<SendResult>;
  on<E extends keyof ChannelEvents>(event: E, listener: ChannelListener<E>): this;
  off<E extends keyof ChannelEvents>(event: E, listener: ChannelListener<E>): this;
  /** Linking by number instead of QR: the 8-character code to type under Linked devices. */
  requestPairingCode(phone: Address): Promise<string>;
  /** Unlinks the shop's number and forgets the session; the channel goes back to QR. */
  logout(): Promise<void>;
  /**
   * Starts linking again now, after an unlink or a stop, or while WhatsApp cannot be
   * reached (instead of waiting for the next try): a new connection, which shows a QR
   * when no number is linked. Nothing while linked or while a QR shows.
   */
  linkAgain(): Promise<void>;
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
