import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../../scheduler/clock.js';
import { translate, type Locale } from '../../i18n/index.js';
import {
  CLOSED_BREAKER,
  NO_LIMITS_READ,
  type WhatsAppLimits,
  type Address,
  type BreakerStatus,
  type Channel,
  type ChannelEvents,
  type ChannelListener,
  type ChannelState,
  type InboundContent,
  type InboundMessage,
  type OutboundContent,
  type OwnerMessage,
  type Receipt,
  type SendFailure,
  type SendOptions,
  type SendResult,
  type SharedContact,
  randomHex,
} from '../channel.js';
import type { LinkRefusal } from '../link-refusal.js';
import { DeliveryLog, digestOf } from './delivery-log.js';
import { NewChatRuleError, NewChatRules, type NewChatCapSetting } from './new-chat-rules.js';

/**
 * An in-memory phone network behind the Channel interface: the shop's linked
 * number on one side, any number of customers' phones on the other. Tests,
 * the demo and the seller's "try my flows" page drive the customers' side
 * (receiveText, receivePollVote, ...) and inject faults (dropConnection,
 * failNextSend, restrictNextSend, a new-chat quota, a time lock: see
 * new-chat-rules.ts); everything above sees what it would
 * see from the real WhatsApp adapter. Unlinked (`linked: false`), it also
 * plays the linking: a QR code, a pairing code, and the shop's phone that
 * scans or types them (scanQr, enterPairingCode).
 */

export interface SimulatorChannelOptions {
  clock: Clock;
  /** The language of the state's detail people read (LOCALE); pt-BR by default, as LOCALE's. */
  locale?: Locale;
  /** E.164 of the linked (shop's) number. */
  shopPhone?: string;
  /**
   * true (the default): the number is linked whenever the channel starts, so
   * start() opens with no QR, and after logout() the channel stays logged out
   * until the next start(). false: it starts unlinked, as a new install of the
   * real channel does: start() shows a QR ('qr' state and event) until the
   * shop's phone links it (scanQr(), or requestPairingCode() then
   * enterPairingCode()); logout() forgets the link and a new QR follows, as
   * the Baileys adapter re-pairs. The link survives stop() and start().
   */
  linked?: boolean;
  /**
   * A file to append one JSON line to for every message WhatsApp accepts,
   * before send() answers (SIMULATOR_DELIVERY_LOG; see delivery-log.ts). Unset: nothing is written.
   */
  deliveryLog?: string;
  /**
   * A test hook, no configuration variable: each send takes this many real
   * milliseconds, half before WhatsApp accepts it and half before the answer
   * reaches the caller (its receipt comes after the answer, as without it),
   * so that a crash test can kill the service between the claim and the
   * result. 0, the default: send() answers at once, without timers.
   */
  sendLatencyMs?: number;
}

/** One call to send(), whatever came of it: resends and failures included. */
export interface SendCall {
  readonly messageId: string;
  readonly to: Address;
  readonly content: OutboundContent;
  readonly at: number;
  readonly result: SendResult;
  /**
   * WhatsApp took it as a new chat: sent with `cold: true`, or without `cold` to a phone that never
   * wrote. `cold: false` is taken at its word: a chat older than the simulator's memory (a restart).
   */
  readonly newChat: boolean;
  /** Accepted, then refused by WhatsApp with this code (463: a new chat it would not open); null otherwise. */
  readonly refused: number | null;
}

export type InboundMediaType = Extract<InboundContent, { kind: 'media' }>['mediaType'];

/** An outbound message as the phone shows it: images without their bytes. */
export type SimulatedOutboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'image'; caption: string | null; mimetype: string | null; size: number }
  | { kind: 'poll'; question: string; options: string[]; selectableCount: number };

export type BotMessageStatus = 'sent' | 'delivered' | 'read';

export type SimulatedMessage =
  | { id: string; direction: 'in'; from: 'customer'; at: number; content: InboundContent; status: null }
  | { id: string; direction: 'out'; from: 'bot'; at: number; content: SimulatedOutboundContent; status: BotMessageStatus }
  | { id: string; direction: 'out'; from: 'owner'; at: number; content: { kind: 'text'; text: string }; status: null };

/** A misuse of the simulator (bad content, an unknown poll, a malformed number): a bug in the caller, not a send outcome. */
export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';
}

/** Linking refused as a real phone would be (already linked, no QR, a wrong code): coded, so the pages and the API say it in the seller's language. */
export class SimulatorLinkError extends SimulatorError {
  constructor(
    readonly linkRefusal: LinkRefusal,
    message: string,
  ) {
    super(message);
  }
}

type NetworkEvent =
  | { event: 'inbound'; payload: InboundMessage }
  | { event: 'receipt'; payload: Receipt }
  | { event: 'owner-message'; payload: OwnerMessage };

type InjectedFault = 'failed' | 'restricted';

interface Conversation {
  messages: SimulatedMessage[];
  /** The customer wrote to the shop: for WhatsApp the chat is theirs, no longer a new one. */
  wrote: boolean;
  /** Bot messages by id, to recognize a resend and to find polls. */
  sent: Map<string, { message: Extract<SimulatedMessage, { from: 'bot' }>; result: Extract<SendResult, { ok: true }>; poll: PollShape | null }>;
}

interface PollShape {
  options: string[];
  selectableCount: number;
}

const E164 = /^\+[1-9]\d{7,14}$/;
/** How long WhatsApp lets the first QR of a linking live, and each one after it (Baileys' qrTimeout defaults). */
export const FIRST_QR_MS = 60_000;
export const NEXT_QR_MS = 20_000;
/** Where a WhatsApp linking QR points; Baileys builds the same. */
const QR_PREFIX = 'https://wa.me/settings/linked_devices#';
/** The companion type Baileys reports for fregues' browser (Ubuntu, "fregues": OTHER_WEB_CLIENT). */
const QR_PLATFORM = '9';
/** Pairing codes are 8 characters of this alphabet (Crockford's, as Baileys makes them). */
const PAIRING_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTVWXYZ';
const MIN_POLL_OPTIONS = 2;
const MAX_POLL_OPTIONS = 12;
const RESTRICTED_CODE = 463;
/**
 * How many microtask turns a send's receipt waits. One is not enough: it runs
 * before the continuation of `await send()`. A few let a caller some async
 * functions up the stack (outbox → governor → channel) record the message
 * before its receipt arrives, as a real network round trip would, without timers.
 */
const RECEIPT_HOPS = 8;

/** What WhatsApp clients put on media of each type when the sender's app gives nothing more specific. */
const DEFAULT_MIMETYPES: Record<InboundMediaType, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/pdf',
  sticker: 'image/webp',
};

export class SimulatorChannel implements Channel {
  readonly kind = 'simulator' as const;
  readonly shopPhone: string;

  readonly #clock: Clock;
  readonly #emitter = new EventEmitter<ChannelEvents>();
  #state: ChannelState = 'closed';
  #stateDetail: string | null = null;
  #breaker: BreakerStatus = CLOSED_BREAKER;
  readonly #sendCalls: SendCall[] = [];
  readonly #conversations = new Map<Address, Conversation>();
  readonly #names = new Map<Address, string>();
  readonly #notOnWhatsApp = new Set<Address>();
  readonly #faults: InjectedFault[] = [];
  /** Network events that happened while the shop's device was offline; WhatsApp hands them over on reconnection. */
  readonly #offline: NetworkEvent[] = [];
  /** Receipts scheduled by send() that have not arrived yet. */
  #inFlight = 0;
  /** Linked at every start (the default), or only when the shop's phone links it. */
  readonly #linkedAtStart: boolean;
  /** The number is linked: a start opens without a QR. */
  #session: boolean;
  /** The QR shown while unlinked; its keys stay for one linking, its reference changes at each rotation. */
  #qr: { text: string; keys: string; expiresAt: number } | null = null;
  /** The pairing code asked for in this linking, until it is used or the linking ends. */
  #pairingCode: string | null = null;
  /** How many phones' chats (and at least how many send calls) are kept: limitHistory(). */
  #historyLimit = Number.POSITIVE_INFINITY;
  readonly #deliveryLog: DeliveryLog | null;
  readonly #sendLatencyMs: number;
  readonly #newChats: NewChatRules;
  readonly #locale: Locale;

  constructor(options: SimulatorChannelOptions) {
    this.#clock = options.clock;
    this.#locale = options.locale ?? 'pt-BR';
    this.shopPhone = requirePhone(options.shopPhone ?? '+5511900000000', 'shopPhone');
    this.#linkedAtStart = options.linked ?? true;
    this.#session = this.#linkedAtStart;
    this.#deliveryLog = options.deliveryLog ? new DeliveryLog(options.deliveryLog) : null;
    const latency = options.sendLatencyMs ?? 0;
    if (!Number.isFinite(latency) || latency < 0) throw new SimulatorError(`sendLatencyMs is a number of milliseconds from 0, not ${latency}.`);
    this.#sendLatencyMs = latency;
    this.#newChats = new NewChatRules(this.#clock, (limits) => this.#emitter.emit('limits', limits));
  }

  get state(): ChannelState {
    return this.#state;
  }

  get stateDetail(): string | null {
    return this.#stateDetail;
  }

  get linkedPhone(): string | null {
    return this.shopPhone;
  }

  /** WhatsApp's limits on new chats as the simulated network applies them now; nothing set: NO_LIMITS_READ. */
  get limits(): WhatsAppLimits {
    return this.#newChats.configured ? this.#newChats.limits : NO_LIMITS_READ;
  }

  get breaker(): BreakerStatus {
    return { ...this.#breaker };
  }

  /** The simulated network is always within reach. */
  get linkTrouble(): null {
    return null;
  }

  /** The current QR code text while the state is 'qr' (what the shop's phone would scan), else null. */
  get qr(): string | null {
    return this.#state === 'qr' ? (this.#qr?.text ?? null) : null;
  }

  /**
   * When WhatsApp would replace the current QR (by the injected clock): 60 s
   * after the first of a linking, 20 s after each next one. Null outside 'qr'.
   */
  get qrExpiresAt(): number | null {
    return this.#state === 'qr' ? (this.#qr?.expiresAt ?? null) : null;
  }

  /** Every send() call in order, including resends and failures (not calls rejected as programming errors). */
  get sendCalls(): readonly SendCall[] {
    return this.#sendCalls;
  }

  on<E extends keyof ChannelEvents>(event: E, listener: ChannelListener<E>): this {
    this.#emitter.on(event, listener as never);
    return this;
  }

  off<E extends keyof ChannelEvents>(event: E, listener: ChannelListener<E>): this {
    this.#emitter.off(event, listener as never);
    return this;
  }

  async start(): Promise<void> {
    if (this.#state === 'open' || this.#state === 'connecting' || this.#state === 'qr') return;
    if (this.#linkedAtStart) this.#session = true;
    if (this.#session) this.#setState('open', null);
    else this.#showQr();
  }

  async stop(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#endLinking();
    this.#setState('closed', null);
    this.#deliveryLog?.close();
  }

  /**
   * Linking by number: the 8-character code (as Baileys gives it, without the
   * dash WhatsApp shows) that the shop's phone types under Linked devices;
   * enterPairingCode plays that. Only while a QR is shown, as on the real channel.
   */
  async requestPairingCode(phone: Address): Promise<string> {
    requirePhone(phone, 'phone');
    if (this.#state !== 'qr') throw this.#notLinking();
    this.#pairingCode = pairingCode();
    return this.#pairingCode;
  }

  /** Forgets the link. Unlinked simulators then show a new QR, as the Baileys adapter re-pairs; linked ones wait for start(). */
  async logout(): Promise<void> {
    const running = this.#state !== 'closed';
    this.#session = false;
    this.#endLinking();
    this.#setState('logged_out', null);
    if (running && !this.#linkedAtStart) this.#showQr();
  }

  /** After an unlink: a new linking with a new QR, linked simulators included (their phone then plays the scan); stopped: start(). */
  async linkAgain(): Promise<void> {
    if (this.#state === 'logged_out') this.#showQr();
    else if (this.#state === 'closed') await this.start();
  }

  /**
   * Bounds what the network remembers, for a simulator that runs for weeks (the soak
   * benchmark): the chats of at most `phones` phones, the one begun longest ago forgotten
   * first (its polls can no longer be voted in, and a message id sent to it again shows
   * again), and the last `phones` send calls at least. Unbounded until called: tests read
   * everything.
   */
  limitHistory(phones: number): void {
    if (!Number.isInteger(phones) || phones < 1) throw new SimulatorError(`limitHistory takes a positive whole number of phones, not ${phones}.`);
    this.#historyLimit = phones;
    while (this.#conversations.size > phones) this.#forgetOldestChat();
    if (this.#sendCalls.length > phones) this.#sendCalls.splice(0, this.#sendCalls.length - phones);
  }

  resumeSending(): void {
    if (!this.#breaker.open) return;
    this.#breaker = CLOSED_BREAKER;
    this.#emitter.emit('breaker', this.breaker);
  }

  async send(to: Address, content: OutboundContent, opts: SendOptions): Promise<SendResult> {
    requirePhone(to, 'to');
    const shown = describeOutbound(content);
    const { messageId } = opts;
    if (messageId.length === 0) throw new SimulatorError('send() needs a messageId.');

    if (this.#sendLatencyMs === 0) {
      const attempt = this.#attemptSend(to, content, shown, opts, (arrive) => this.#afterRoundTrip(arrive));
      this.#recordCall({ messageId, to, content, at: this.#clock.now(), ...attempt });
      return attempt.result;
    }
    const half = this.#sendLatencyMs / 2;
    await wait(half);
    // Receipts wait for the answer to reach the caller, as they do without the latency.
    const held: (() => void)[] = [];
    const attempt = this.#attemptSend(to, content, shown, opts, (arrive) => held.push(arrive));
    const { result } = attempt;
    this.#recordCall({ messageId, to, content, at: this.#clock.now(), ...attempt });
    await wait(this.#sendLatencyMs - half);
    for (const arrive of held) this.#afterRoundTrip(arrive);
    return result;
  }

  // --- The customers' phones ---------------------------------------------------

  receiveText(from: Address, text: string, opts: { name?: string } = {}): InboundMessage {
    if (text.length === 0) throw new SimulatorError('WhatsApp sends no empty text messages.');
    if (opts.name !== undefined) this.#names.set(requirePhone(from, 'from'), opts.name);
    return this.#receive(from, { kind: 'text', text });
  }

  receiveContacts(from: Address, contacts: SharedContact[]): InboundMessage {
    if (contacts.length === 0) throw new SimulatorError('A shared contact message holds at least one contact.');
    return this.#receive(from, { kind: 'contacts', contacts: contacts.map((c) => ({ name: c.name, phones: [...c.phones] })) });
  }

  receivePollVote(from: Address, pollMessageId: string, optionNames: string[]): InboundMessage {
    const phone = requirePhone(from, 'from');
    const poll = this.#conversations.get(phone)?.sent.get(pollMessageId)?.poll;
    if (!poll) throw new SimulatorError(`No poll ${pollMessageId} was sent to ${phone}.`);
    const unknown = optionNames.filter((name) => !poll.options.includes(name));
    if (unknown.length > 0) {
      throw new SimulatorError(`Poll ${pollMessageId} has no option ${unknown.map((n) => JSON.stringify(n)).join(', ')}; its options are ${JSON.stringify(poll.options)}.`);
    }
    if (new Set(optionNames).size !== optionNames.length) throw new SimulatorError('A poll vote names each option at most once.');
    if (poll.selectableCount > 0 && optionNames.length > poll.selectableCount) {
      throw new SimulatorError(`Poll ${pollMessageId} allows at most ${poll.selectableCount} option(s).`);
    }
    // An empty selection is how WhatsApp reports a withdrawn vote.
    return this.#receive(phone, { kind: 'poll_vote', pollMessageId, selectedOptions: [...optionNames] });
  }

  /** emoji null removes the reaction. The target may be any message id, as customers react to old messages too. */
  receiveReaction(from: Address, targetMessageId: string, emoji: string | null): InboundMessage {
    if (emoji === '') throw new SimulatorError('A reaction is an emoji, or null to remove it.');
    return this.#receive(from, { kind: 'reaction', targetMessageId, emoji });
  }

  receiveMedia(from: Address, mediaType: InboundMediaType, caption?: string): InboundMessage {
    const text = caption === undefined || caption === '' ? null : caption;
    if (text !== null && (mediaType === 'audio' || mediaType === 'sticker')) {
      throw new SimulatorError(`WhatsApp has no caption on ${mediaType} messages.`);
    }
    return this.#receive(from, { kind: 'media', mediaType, caption: text, mimetype: DEFAULT_MIMETYPES[mediaType] });
  }

  /** The customer opened the chat: every bot message in it is read. */
  markRead(phone: Address): void {
    this.#readChat(requirePhone(phone, 'phone'));
  }

  // --- The shop's own phone ------------------------------------------------------

  /** WhatsApp replaces the QR with a new one (the 'qr' event), as it does when one expires; returns the new text. */
  rotateQr(): string {
    if (this.#state !== 'qr' || !this.#qr) throw new SimulatorError(`There is no QR to replace: the channel is ${this.#state}.`);
    const text = qrText(this.#qr.keys);
    this.#qr = { text, keys: this.#qr.keys, expiresAt: this.#clock.now() + NEXT_QR_MS };
    this.#emitter.emit('qr', text);
    return text;
  }

  /** The shop's phone scans the QR shown now: the number is linked and the channel opens. */
  scanQr(): void {
    if (this.#state !== 'qr') throw this.#notLinking();
    this.#link();
  }

  /** The shop's phone types the pairing code (case, spaces and the dash do not matter): linked if it is the one given. */
  enterPairingCode(code: string): void {
    if (this.#state !== 'qr') throw this.#notLinking();
    if (this.#pairingCode === null) throw new SimulatorLinkError('no_pairing_code', 'No pairing code was asked for: call requestPairingCode first.');
    if (code.replace(/[\s-]/g, '').toUpperCase() !== this.#pairingCode) {
      throw new SimulatorLinkError('wrong_pairing_code', `Wrong pairing code ${JSON.stringify(code)}: it is not the one this linking gave.`);
    }
    this.#link();
  }

  /** The owner typed in a customer's chat on the shop's phone; the linked device sees it as an owner message. */
  ownerTypes(to: Address, text: string): OwnerMessage {
    const phone = requirePhone(to, 'to');
    if (text.length === 0) throw new SimulatorError('WhatsApp sends no empty text messages.');
    const message: OwnerMessage = { id: newPhoneMessageId(), phone, jid: toJid(phone), timestamp: this.#clock.now(), content: { kind: 'text', text } };
    this.#conversation(phone).messages.push({ id: message.id, direction: 'out', from: 'owner', at: message.timestamp, content: { kind: 'text', text }, status: null });
    this.#deliver({ event: 'owner-message', payload: message });
    return message;
  }

  // --- Faults --------------------------------------------------------------------

  /** The link to WhatsApp drops: sends answer 'disconnected' and network events wait until restoreConnection(). */
  dropConnection(): void {
    if (this.#state !== 'open') return;
    this.#setState('connecting', translate(this.#locale, 'simulator.detail.dropped'));
  }

  restoreConnection(): void {
    if (this.#state !== 'connecting') return;
    this.#setState('open', null);
  }

  /** The next `count` sends that reach WhatsApp fail with an unknown outcome; nothing reaches the phone. */
  failNextSend(count = 1): void {
    if (!Number.isInteger(count) || count < 1) throw new SimulatorError(`failNextSend takes a positive whole count, not ${count}.`);
    for (let i = 0; i < count; i++) this.#faults.push('failed');
  }

  /** The next send that reaches WhatsApp is answered with 463 (account restricted). */
  restrictNextSend(): void {
    this.#faults.push('restricted');
  }

  markNotOnWhatsApp(phone: Address): void {
    this.#notOnWhatsApp.add(requirePhone(phone, 'phone'));
  }

  /**
   * WhatsApp's quota of new chats per cycle, the cycle starting now (see
   * new-chat-rules.ts for the warnings); null: no quota, the default. Emits 'limits'.
   */
  setNewChatCap(setting: NewChatCapSetting | null): WhatsAppLimits {
    playRule(() => this.#newChats.setCap(setting));
    return this.limits;
  }

  /** A reach-out time lock until `endsAt` (epoch ms, in the future): new chats get 463 until then; it lifts by itself. */
  lockReachout(endsAt: number): WhatsAppLimits {
    playRule(() => this.#newChats.lockUntil(endsAt));
    return this.limits;
  }

  /** WhatsApp lifts the time lock early. */
  liftReachoutLock(): WhatsAppLimits {
    this.#newChats.unlock();
    return this.limits;
  }

  /** The next `count` new chats get 463 whatever the quota; warm chats are not affected. */
  refuseNewChats(count: number): void {
    playRule(() => this.#newChats.refuseNext(count));
  }

  /** New chats still to be refused by refuseNewChats. */
  get refusingNewChats(): number {
    return this.#newChats.refusing;
  }

  // --- Reading -------------------------------------------------------------------

  /** Resolves once every receipt already scheduled by send() has arrived (or been queued while offline). */
  async flush(): Promise<void> {
    while (this.#inFlight > 0) await Promise.resolve();
  }

  /** Every message with that phone, both directions, in order; copies, so callers cannot change the network. */
  conversation(phone: Address): SimulatedMessage[] {
    return (this.#conversations.get(phone)?.messages ?? []).map(copyMessage);
  }

  /** Phones with at least one message, in the order their conversations began. */
  phones(): Address[] {
    return [...this.#conversations.keys()];
  }

  // --- Inside --------------------------------------------------------------------

  /** `roundTrip` schedules what comes back from the network later (a receipt). */
  #attemptSend(
    to: Address,
    content: OutboundContent,
    shown: SimulatedOutboundContent,
    opts: SendOptions,
    roundTrip: (arrive: () => void) => void,
  ): { result: SendResult; newChat: boolean; refused: number | null } {
    const { messageId } = opts;
    const answer = (result: SendResult) => ({ result, newChat: false, refused: null });
    if (this.#state !== 'open') {
      return answer(fail(messageId, 'disconnected', this.#state === 'connecting' ? 'the connection dropped' : `the channel is ${this.#state}`));
    }
    if (this.#breaker.open) return answer(fail(messageId, 'breaker_open', `sending is stopped (${this.#breaker.reason ?? 'unknown'})`));
    if (this.#notOnWhatsApp.has(to)) return answer(fail(messageId, 'not_on_whatsapp', `${to} has no WhatsApp account`));

    const fault = this.#faults.shift();
    if (fault === 'failed') return answer(fail(messageId, 'failed', 'injected failure: the message did not reach the phone'));
    if (fault === 'restricted') {
      const now = this.#clock.now();
      this.#breaker = { open: true, reason: 'restricted', since: now };
      this.#emitter.emit('breaker', this.breaker);
      const receipt: Receipt = { messageId, status: 'failed', at: now, errorCode: RESTRICTED_CODE };
      roundTrip(() => this.#deliver({ event: 'receipt', payload: receipt }));
      return answer(fail(messageId, 'restricted', `WhatsApp answered ${RESTRICTED_CODE}: the account is restricted`));
    }

    // WhatsApp clients show a message id once per chat: a resend is accepted and changes nothing.
    const earlier = this.#conversations.get(to)?.sent.get(messageId);
    if (earlier) {
      this.#deliveryLog?.append({ messageId, to, digest: digestOf(shown), at: new Date(this.#clock.now()).toISOString(), repeat: true });
      return answer({ ...earlier.result, keep: copyKeep(earlier.result.keep) });
    }

    const sentAt = this.#clock.now();
    const poll = content.kind === 'poll' ? { options: [...content.options], selectableCount: content.selectableCount ?? 1 } : null;
    const result: Extract<SendResult, { ok: true }> = {
      ok: true,
      messageId,
      jid: toJid(to),
      sentAt,
      keep: poll ? { pollOptions: [...poll.options] } : null,
    };
    // Said cold by the sender, or to a phone that never wrote (a sender that does not say).
    const newChat = opts.cold ?? !this.#conversations.get(to)?.wrote;
    if (newChat && this.#newChats.admit(to) !== null) {
      // As Baileys: the send succeeds, WhatsApp's refusal arrives afterwards as a failed receipt; nothing reaches the phone.
      this.#deliveryLog?.append({ messageId, to, digest: digestOf(shown), at: new Date(sentAt).toISOString(), refused: RESTRICTED_CODE });
      const receipt: Receipt = { messageId, status: 'failed', at: sentAt, errorCode: RESTRICTED_CODE };
      roundTrip(() => this.#deliver({ event: 'receipt', payload: receipt }));
      return { result: { ...result, keep: copyKeep(result.keep) }, newChat, refused: RESTRICTED_CODE };
    }

    const conversation = this.#conversation(to);
    // Accepted: on record outside the process before the caller hears of it.
    this.#deliveryLog?.append({ messageId, to, digest: digestOf(shown), at: new Date(sentAt).toISOString() });
    const message: Extract<SimulatedMessage, { from: 'bot' }> = { id: messageId, direction: 'out', from: 'bot', at: sentAt, content: shown, status: 'sent' };
    conversation.messages.push(message);
    conversation.sent.set(messageId, { message, result, poll });
    // Never inside send(): the caller records the message before its receipt can arrive.
    roundTrip(() => {
      if (message.status === 'sent') this.#markDelivered(message);
    });
    return { result: { ...result, keep: copyKeep(result.keep) }, newChat, refused: null };
  }

  #markDelivered(message: Extract<SimulatedMessage, { from: 'bot' }>): void {
    message.status = 'delivered';
    this.#deliver({ event: 'receipt', payload: { messageId: message.id, status: 'delivered', at: this.#clock.now(), errorCode: null } });
  }

  #readChat(phone: Address): void {
    const conversation = this.#conversations.get(phone);
    if (!conversation) return;
    for (const message of conversation.messages) {
      if (message.from !== 'bot' || message.status === 'read') continue;
      // A message read before its delivery receipt went out is delivered first, as on a real phone.
      if (message.status === 'sent') this.#markDelivered(message);
      message.status = 'read';
      this.#deliver({ event: 'receipt', payload: { messageId: message.id, status: 'read', at: this.#clock.now(), errorCode: null } });
    }
  }

  #receive(from: Address, content: InboundContent): InboundMessage {
    const phone = requirePhone(from, 'from');
    if (this.#notOnWhatsApp.has(phone)) throw new SimulatorError(`${phone} is marked as not on WhatsApp and cannot send messages.`);
    // Customers read the chat before replying.
    this.#readChat(phone);
    const message: InboundMessage = {
      id: newPhoneMessageId(),
      phone,
      jid: toJid(phone),
      lid: null,
      timestamp: this.#clock.now(),
      pushName: this.#names.get(phone) ?? null,
      content,
    };
    const conversation = this.#conversation(phone);
    conversation.messages.push({ id: message.id, direction: 'in', from: 'customer', at: message.timestamp, content, status: null });
    conversation.wrote = true;
    this.#deliver({ event: 'inbound', payload: message });
    return message;
  }

  #conversation(phone: Address): Conversation {
    let conversation = this.#conversations.get(phone);
    if (!conversation) {
      conversation = { messages: [], wrote: false, sent: new Map() };
      this.#conversations.set(phone, conversation);
      if (this.#conversations.size > this.#historyLimit) this.#forgetOldestChat();
    }
    return conversation;
  }

  #forgetOldestChat(): void {
    const [oldest] = this.#conversations.keys();
    if (oldest === undefined) return;
    this.#conversations.delete(oldest);
    this.#names.delete(oldest);
  }

  #recordCall(call: SendCall): void {
    this.#sendCalls.push(call);
    // Trimmed in halves, not at every call: a splice moves the whole array.
    if (this.#sendCalls.length >= 2 * this.#historyLimit) this.#sendCalls.splice(0, this.#sendCalls.length - this.#historyLimit);
  }

  /** A new linking: fresh keys and a first QR, shown after the 'qr' state as the Baileys adapter does. */
  #showQr(): void {
    const keys = [randomBytes(32), randomBytes(32), randomBytes(32)].map((bytes) => bytes.toString('base64')).join(',');
    const text = qrText(keys);
    this.#qr = { text, keys, expiresAt: this.#clock.now() + FIRST_QR_MS };
    this.#setState('qr', null);
    this.#emitter.emit('qr', text);
  }

  #link(): void {
    this.#session = true;
    this.#endLinking();
    this.#setState('open', null);
  }

  #endLinking(): void {
    this.#qr = null;
    this.#pairingCode = null;
  }

  #notLinking(): SimulatorLinkError {
    if (this.#state === 'open' || this.#state === 'connecting') return new SimulatorLinkError('already_linked', 'The simulator needs no linking now: the number is already linked.');
    return new SimulatorLinkError('not_linking', `The simulator shows no QR now (the channel is ${this.#state}): there is nothing to link.`);
  }

  #setState(state: ChannelState, detail: string | null): void {
    this.#state = state;
    this.#stateDetail = detail;
    this.#emitter.emit('state', state, detail);
    if (state !== 'open') return;
    // At each connection the real channel reads the limits again; an untouched network has none to report.
    if (this.#newChats.configured) this.#emitter.emit('limits', this.#newChats.limits);
    this.#flushOffline();
  }

  /** Hands a network event to the shop's device now if it is online, else when it comes back. */
  #deliver(item: NetworkEvent): void {
    if (this.#state !== 'open') {
      this.#offline.push(item);
      return;
    }
    this.#emit(item);
  }

  #afterRoundTrip(arrive: () => void): void {
    this.#inFlight++;
    const hop = (left: number): void => {
      if (left > 0) {
        queueMicrotask(() => hop(left - 1));
        return;
      }
      this.#inFlight--;
      arrive();
    };
    hop(RECEIPT_HOPS);
  }

  #flushOffline(): void {
    // A listener may drop the connection again mid-flush; what is left waits for the next reconnection.
    while (this.#state === 'open') {
      const item = this.#offline.shift();
      if (!item) return;
      this.#emit(item);
    }
  }

  #emit(item: NetworkEvent): void {
    switch (item.event) {
      case 'inbound':
        this.#emitter.emit('inbound', item.payload);
        return;
      case 'receipt':
        this.#emitter.emit('receipt', item.payload);
        return;
      case 'owner-message':
        this.#emitter.emit('owner-message', item.payload);
        return;
    }
  }
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A rule set that could not be (a quota below what is used, a lock ending in the past): the caller's mistake. */
function playRule(act: () => void): void {
  try {
    act();
  } catch (error) {
    if (error instanceof NewChatRuleError) throw new SimulatorError(error.message);
    throw error;
  }
}

function fail(messageId: string, reason: SendFailure, detail: string): SendResult {
  return { ok: false, messageId, reason, detail };
}

function requirePhone(phone: string, what: string): Address {
  if (!E164.test(phone)) throw new SimulatorError(`${what} must be a phone number in E.164 ("+5511912345678"), not ${JSON.stringify(phone)}.`);
  return phone;
}

/** A QR code's text as WhatsApp's looks: a fresh reference, then the linking's keys and the platform. */
function qrText(keys: string): string {
  return `${QR_PREFIX}2@${randomBytes(48).toString('base64')},${keys},${QR_PLATFORM}`;
}

function pairingCode(): string {
  // 8 characters of 32 letters: 5 random bits each.
  const bytes = randomBytes(8);
  return [...bytes].map((byte) => PAIRING_ALPHABET[byte & 31]).join('');
}

function toJid(phone: Address): string {
  return `${phone.slice(1)}@s.whatsapp.net`;
}

/** Ids as a phone app makes them; random so that a restarted demo never reuses one its database already holds. */
function newPhoneMessageId(): string {
  return `3A${randomHex(9)}`;
}

/** Checks content as WhatsApp would and gives the form the phone shows. */
function describeOutbound(content: OutboundContent): SimulatedOutboundContent {
  switch (content.kind) {
    case 'text':
      if (content.text.length === 0) throw new SimulatorError('WhatsApp sends no empty text messages.');
      return { kind: 'text', text: content.text };
    case 'image':
      if (content.image.length === 0) throw new SimulatorError('An image message needs image bytes.');
      return { kind: 'image', caption: content.caption ?? null, mimetype: content.mimetype ?? null, size: content.image.length };
    case 'poll':
      return describePoll(content);
  }
}

function describePoll(poll: Extract<OutboundContent, { kind: 'poll' }>): SimulatedOutboundContent {
  if (poll.question.trim().length === 0) throw new SimulatorError('A poll needs a question.');
  if (poll.options.length < MIN_POLL_OPTIONS || poll.options.length > MAX_POLL_OPTIONS) {
    throw new SimulatorError(`A poll has ${MIN_POLL_OPTIONS} to ${MAX_POLL_OPTIONS} options, not ${poll.options.length}.`);
  }
  if (poll.options.some((option) => option.trim().length === 0)) throw new SimulatorError('Poll options cannot be empty.');
  if (new Set(poll.options).size !== poll.options.length) throw new SimulatorError(`Poll options must be distinct: ${JSON.stringify(poll.options)}.`);
  const selectableCount = poll.selectableCount ?? 1;
  if (!Number.isInteger(selectableCount) || selectableCount < 0 || selectableCount > poll.options.length) {
    // 0 means "any number", as in WhatsApp's own poll message.
    throw new SimulatorError(`A poll's selectableCount is 0 (any) to ${poll.options.length}, not ${selectableCount}.`);
  }
  return { kind: 'poll', question: poll.question, options: [...poll.options], selectableCount };
}

function copyKeep(keep: Record<string, unknown> | null): Record<string, unknown> | null {
  return keep === null ? null : structuredClone(keep);
}

function copyMessage(message: SimulatedMessage): SimulatedMessage {
  return structuredClone(message);
}
