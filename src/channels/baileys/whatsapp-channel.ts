import { EventEmitter } from 'node:events';
import type { Boom } from '@hapi/boom';
import NodeCache from '@cacheable/node-cache';
import {
  Browsers,
  DEFAULT_CONNECTION_CONFIG,
  isJidBroadcast,
  isJidNewsletter,
  isLidUser,
  isPnUser,
  jidDecode,
  jidNormalizedUser,
  makeCacheableSignalKeyStore,
  makeWASocket,
  type AnyMessageContent,
  type AuthenticationCreds,
  type BaileysEventEmitter,
  type CacheStore,
  type ConnectionState,
  type Contact,
  type LIDMapping,
  type MiscMessageGenerationOptions,
  type NewChatMessageCapInfo,
  type ReachoutTimelockState,
  type UserFacingSocketConfig,
  type WAMessage,
  type WAMessageKey,
  type WAMessageUpdate,
  type WAPresence,
  type WAVersion,
  proto,
} from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import { translate, type Locale } from '../../i18n/index.js';
import { canonicalPhone } from '../../domain/phone.js';
import type { Clock } from '../../scheduler/clock.js';
import type { WhatsAppStore } from '../../storage/repositories/whatsapp.js';
import {
  CLOSED_BREAKER,
  type WhatsAppLimits,
  type Address,
  type BreakerStatus,
  type Channel,
  type ChannelEvents,
  type ChannelListener,
  type ChannelState,
  type LinkTrouble,
  type OutboundContent,
  type SendOptions,
  type SendResult,
} from '../channel.js';
import { LinkRefusedError } from '../link-refusal.js';
import { loadAuthState, type SqliteAuthState } from './auth-state.js';
import { classifyLinkError, decideOnDisconnect, type DownReason } from './disconnect-policy.js';
import { translateMessage, translateReceipt, type PollCreation, type TranslateContext } from './from-baileys.js';
import { versionText } from './limits-from-baileys.js';
import { LimitsWatch } from './limits-watch.js';
import { pollCreationOf, toBaileysContent } from './to-baileys.js';
import { messageOf } from '../../domain/errors.js';

/**
 * What the adapter uses of a Baileys socket. A real WASocket satisfies it, and
 * so does the fake socket of the tests, whose `ev` is Baileys' own event buffer.
 */
export interface WhatsAppSocket {
  ev: BaileysEventEmitter;
  user?: { id: string; lid?: string | undefined } | undefined;
  authState: { creds: AuthenticationCreds };
  sendMessage(jid: string, content: AnyMessageContent, options?: MiscMessageGenerationOptions): Promise<WAMessage | undefined>;
  sendPresenceUpdate(type: WAPresence, toJid?: string): Promise<void>;
  onWhatsApp(...phoneNumbers: string[]): Promise<{ jid: string; exists: boolean }[] | undefined>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  logout(message?: string): Promise<void>;
  end(error: Error | undefined): void;
  signalRepository: { lidMapping: { getPNForLID(lid: string): Promise<string | null> } };
  fetchNewChatMessageCap(): Promise<NewChatMessageCapInfo>;
  fetchAccountReachoutTimelock(): Promise<ReachoutTimelockState>;
}

/** Baileys' fetchLatestWaWebVersion in production: never throws; on failure, the pinned version with isLatest false. */
export type WaVersionFetcher = () => Promise<{ version: WAVersion; isLatest: boolean }>;

export type SocketFactory = (config: UserFacingSocketConfig) => WhatsAppSocket;

/** Where the canonical JID of each number is kept (on the customer record). */
export interface JidCache {
  get(phone: Address): string | undefined;
  set(phone: Address, jid: string): void;
}

export interface WhatsAppChannelOptions {
  store: WhatsAppStore;
  jids: JidCache;
  clock: Clock;
  logger: Logger;
  locale: Locale;
  /** Opens a socket; Baileys' makeWASocket in production, a fake in tests. */
  createSocket?: SocketFactory;
  random?: () => number;
  /** Runs `work` after `ms`; returns a cancel function. setTimeout in production. */
  schedule?: (work: () => void, ms: number) => () => void;
  /** Waits while "typing…" shows. */
  sleep?: (ms: number) => Promise<void>;
  /** The name under Linked devices on the phone. */
  deviceName?: string;
  /** Told when a person must act (banned, session used elsewhere, outdated version, restricted). */
  onAlert?: (message: string) => void;
  /**
   * Asks for WhatsApp Web's current version, at start and after a 405. None:
   * Baileys' pinned version, never asked (tests; global fetch must not run there).
   */
  fetchWaVersion?: WaVersionFetcher;
}

const SEEN_LIMIT = 10_000;
const SENT_MESSAGES_KEPT_MS = 30 * 24 * 3600_000;
const POLLS_KEPT_MS = 180 * 24 * 3600_000;
/** Ids of messages sent cold, to tell a cold 463 from a warm one: nacks come within seconds of the send. */
const COLD_IDS_KEPT = 5_000;

/** How long "typing…" shows before a text: about a fast thumb's speed, within bounds. */
export function typingDelayMs(text: string): number {
  return Math.min(6_000, Math.max(1_000, 600 + 40 * text.length));
}

/** The shop's own WhatsApp number through Baileys (WhatsApp Web's multi-device protocol). */
export class WhatsAppChannel extends EventEmitter implements Channel {
  readonly kind = 'whatsapp' as const;
  #state: ChannelState = 'closed';
  #stateDetail: string | null = null;
  #qr: string | null = null;
  #breaker: BreakerStatus = CLOSED_BREAKER;
  #socket: WhatsAppSocket | undefined;
  /** Bumped for every socket, so that a dropped socket's late events are ignored. */
  #generation = 0;
  #attempt = 0;
  /** The socket now in use showed a QR or opened: WhatsApp was reached. */
  #reached = false;
  #linkTrouble: LinkTrouble | null = null;
  #stopped = true;
  #cancelReconnect: (() => void) | undefined;
  #auth: SqliteAuthState | undefined;
  #me: { pn: string | null; lid: string | null } = { pn: null, lid: null };
  /** Ids of messages already handled: WhatsApp delivers some twice (notify, then append). */
  readonly #seen = new Set<string>();
  /** Ids of the last messages sent to customers who never wrote: their 463 is theirs, not the account's. */
  readonly #coldIds = new Set<string>();
  #version: WAVersion = DEFAULT_CONNECTION_CONFIG.version;
  /** A 405 made us fetch the version since the last 'open': a second one stops. */
  #versionUpdated = false;
  readonly #limits: LimitsWatch;
  /** One cache for the life of the process, as Baileys asks, across reconnects. */
  // (NodeCache's generic get/set are typed per instance; Baileys wants them per call.)
  readonly #retryCounter = new NodeCache({ stdTTL: 3600, useClones: false }) as unknown as CacheStore;
  readonly #options: Required<Omit<WhatsAppChannelOptions, 'onAlert' | 'fetchWaVersion'>> & Pick<WhatsAppChannelOptions, 'onAlert' | 'fetchWaVersion'>;

  constructor(options: WhatsAppChannelOptions) {
    super();
    this.#options = {
      createSocket: (config) => makeWASocket(config),
      random: Math.random,
      schedule: (work, ms) => {
        const timer = setTimeout(work, ms);
        return () => clearTimeout(timer);
      },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      deviceName: 'fregues',
      ...options,
    };
    this.#limits = new LimitsWatch({
      clock: this.#options.clock,
      logger: this.#options.logger,
      schedule: this.#options.schedule,
      onRead: (limits) => this.#emit('limits', limits),
    });
  }

  get state(): ChannelState {
    return this.#state;
  }

  get stateDetail(): string | null {
    return this.#stateDetail;
  }

  get qr(): string | null {
    return this.#qr;
  }

  /** The shop's number from the session's own id: known from the first 'open' until the number is unlinked. */
  get linkedPhone(): string | null {
    return this.#me.pn ? phoneFromJid(this.#me.pn) : null;
  }

  get limits(): WhatsAppLimits {
    return this.#limits.limits;
  }

  get breaker(): BreakerStatus {
    return this.#breaker;
  }

  get linkTrouble(): LinkTrouble | null {
    return this.#linkTrouble;
  }

  override on<E extends keyof ChannelEvents>(event: E, listener: ChannelListener<E>): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  override off<E extends keyof ChannelEvents>(event: E, listener: ChannelListener<E>): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }

  #emit<E extends keyof ChannelEvents>(event: E, ...args: ChannelEvents[E]): void {
    super.emit(event, ...args);
  }

  async start(): Promise<void> {
    if (!this.#stopped) return;
    this.#stopped = false;
    const now = this.#options.clock.now();
    this.#options.store.pruneSent(now - SENT_MESSAGES_KEPT_MS, now - POLLS_KEPT_MS);
    const generation = this.#generation;
    await this.#updateVersion();
    // Stopped (or stopped and started again) while asking: that other start connects.
    if (generation === this.#generation) this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelReconnect?.();
    this.#cancelReconnect = undefined;
    this.#dropSocket();
    this.#linkTrouble = null;
    this.#setState('closed', null);
  }

  async linkAgain(): Promise<void> {
    if (this.#state === 'open' || this.#state === 'qr' || this.#state === 'banned') return;
    this.#cancelReconnect?.();
    this.#cancelReconnect = undefined;
    if (this.#stopped) return this.start();
    // A person asked: the next failure waits the first delay again.
    this.#attempt = 0;
    this.#connect();
  }

  async requestPairingCode(phone: Address): Promise<string> {
    const socket = this.#socket;
    if (this.#state === 'open' || socket?.authState.creds.registered) {
      throw new LinkRefusedError('already_linked', 'pairing needs the QR step: the number is already linked');
    }
    if (!socket || this.#state !== 'qr') throw new LinkRefusedError('not_linking', `pairing needs the QR step: the connection is ${this.#state}`);
    return socket.requestPairingCode(phone.replace(/\D/g, ''));
  }

  async logout(): Promise<void> {
    const socket = this.#socket;
    if (socket && this.#state === 'open') {
      try {
        await socket.logout('fregues: unlinked by the shop');
      } catch (error) {
        this.#options.logger.warn({ err: error }, 'WhatsApp logout failed; forgetting the session anyway');
      }
    }
    this.#relink('logged_out', 'unlinked');
  }

  resumeSending(): void {
    if (!this.#breaker.open) return;
    this.#breaker = CLOSED_BREAKER;
    this.#emit('breaker', this.#breaker);
  }

  async send(to: Address, content: OutboundContent, opts: SendOptions): Promise<SendResult> {
    const { messageId, cold = false } = opts;
    if (this.#breaker.open) return { ok: false, messageId, reason: 'breaker_open', detail: this.#breaker.reason ?? 'open' };
    const socket = this.#socket;
    if (!socket || this.#state !== 'open') return { ok: false, messageId, reason: 'disconnected', detail: this.#state };

    let jid: string | undefined;
    try {
      jid = await this.#jidOf(socket, to);
    } catch (error) {
      return { ok: false, messageId, reason: 'disconnected', detail: `onWhatsApp failed: ${messageOf(error)}` };
    }
    if (jid === undefined) return { ok: false, messageId, reason: 'not_on_whatsapp', detail: to };

    if (content.kind === 'text') await this.#showTyping(socket, jid, content.text);

    // Before the send: WhatsApp's refusal may overtake sendMessage's answer.
    if (cold) rememberIn(this.#coldIds, messageId, COLD_IDS_KEPT);
    let sent: WAMessage | undefined;
    try {
      sent = await socket.sendMessage(jid, toBaileysContent(content), { messageId });
    } catch (error) {
      if (statusOf(error) === 463) {
        this.#limits.after463();
        if (cold) return { ok: false, messageId, reason: 'cold_refused', detail: messageOf(error) };
        this.#openBreaker('restricted');
        return { ok: false, messageId, reason: 'restricted', detail: messageOf(error) };
      }
      // It may or may not have left the phone: the caller marks it unknown, never resends blindly.
      return { ok: false, messageId, reason: 'failed', detail: messageOf(error) };
    }

    this.#seen.add(messageId);
    const poll = sent ? pollCreationOf(sent, this.#creatorJids()) : null;
    if (sent) {
      this.#options.store.rememberSent(messageId, { jid, message: encodeMessage(sent), isPoll: poll !== null }, this.#options.clock.now());
    }
    return {
      ok: true,
      messageId,
      jid,
      sentAt: this.#options.clock.now(),
      keep: poll ? { pollOptions: poll.options } : null,
    };
  }

  #connect(): void {
    if (this.#stopped) return;
    this.#dropSocket();
    const generation = ++this.#generation;
    this.#auth ??= loadAuthState(this.#options.store, () => this.#options.clock.now());
    const auth = this.#auth;
    const baileysLogger = this.#options.logger.child({ module: 'baileys' }, { level: 'warn' });
    this.#reached = false;
    // Trying now: no other try is planned until this one fails.
    if (this.#linkTrouble) this.#linkTrouble = { ...this.#linkTrouble, retryAt: null };
    this.#setState('connecting', null);

    const socket = this.#options.createSocket({
      auth: { creds: auth.state.creds, keys: makeCacheableSignalKeyStore(auth.state.keys, baileysLogger) },
      browser: Browsers.ubuntu(this.#options.deviceName),
      version: this.#version,
      logger: baileysLogger,
      syncFullHistory: false,
      markOnlineOnConnect: false,
      msgRetryCounterCache: this.#retryCounter,
      shouldIgnoreJid: (jid) => isJidBroadcast(jid) || isJidNewsletter(jid),
      getMessage: async (key: WAMessageKey) => this.#storedMessage(key),
    });
    this.#socket = socket;
    const live = () => generation === this.#generation && !this.#stopped;

    socket.ev.on('connection.update', (update) => {
      if (live()) this.#onConnectionUpdate(update);
    });
    socket.ev.on('creds.update', () => {
      if (live()) auth.saveCreds();
    });
    socket.ev.on('messages.upsert', ({ messages }) => {
      if (live()) void this.#onMessages(socket, messages);
    });
    socket.ev.on('messages.update', (updates) => {
      if (live()) this.#onUpdates(updates);
    });
    socket.ev.on('message-capping.update', (info) => {
      if (live()) this.#safely('message-capping.update', () => this.#limits.noteCapping(info));
    });
    socket.ev.on('lid-mapping.update', (mapping) => {
      if (live()) this.#safely('lid-mapping.update', () => this.#learnLids([mapping]));
    });
    // History is never acted on; it only teaches which LID is which phone.
    socket.ev.on('messaging-history.set', ({ lidPnMappings, contacts }) => {
      if (!live()) return;
      this.#safely('messaging-history.set', () => this.#learnLids(lidPnMappings ?? []));
      this.#safely('messaging-history.set', () => this.#learnContacts(contacts));
    });
    socket.ev.on('contacts.upsert', (contacts) => {
      if (live()) this.#safely('contacts.upsert', () => this.#learnContacts(contacts));
    });
    socket.ev.on('contacts.update', (contacts) => {
      if (live()) this.#safely('contacts.update', () => this.#learnContacts(contacts));
    });
  }

  /**
   * Baileys calls these handlers from inside its own processing of what WhatsApp sent: a throw
   * would cut that processing short (the rest of a batch, the acknowledgement). What this
   * adapter cannot read is logged and skipped, as in #onMessages.
   */
  #safely(event: string, handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.#options.logger.warn({ err: error, event }, 'WhatsApp event not understood; skipped');
    }
  }

  #onConnectionUpdate(update: Partial<ConnectionState>): void {
    if (update.qr || update.connection === 'open') {
      this.#reached = true;
      this.#linkTrouble = null;
    }
    if (update.qr) {
      this.#qr = update.qr;
      this.#setState('qr', null);
      this.#emit('qr', update.qr);
    }
    // The lock holds cold sends (the governor reads it in limits); warm ones go on, so no breaker.
    if (update.reachoutTimeLock !== undefined) this.#limits.noteLock(update.reachoutTimeLock);
    if (update.connection === 'open') {
      this.#attempt = 0;
      this.#versionUpdated = false;
      this.#qr = null;
      const socket = this.#socket;
      const user = socket?.user;
      this.#me = {
        pn: user?.id ? jidNormalizedUser(user.id) : null,
        lid: user?.lid ? jidNormalizedUser(user.lid) : null,
      };
      this.#setState('open', null);
      if (socket) this.#limits.attach(socket);
    } else if (update.connection === 'close') {
      this.#onClose(update.lastDisconnect?.error);
    }
  }

  #onClose(error: unknown): void {
    this.#qr = null;
    const statusCode = statusOf(error);
    // Without a way to ask for the current version, a new attempt would announce the same one.
    const versionSettled = this.#versionUpdated || this.#options.fetchWaVersion === undefined;
    const decision = decideOnDisconnect(statusCode, this.#attempt, this.#options.random, versionSettled);
    // Closed before any QR or connection (no internet, a firewall, WhatsApp down): said to the seller, with the next try.
    const unreached = decision.action === 'reconnect' && !this.#reached && decision.delayMs > 0;
    if (unreached) this.#noteTrouble(error, decision.delayMs);
    else this.#options.logger.info({ statusCode, decision }, 'WhatsApp connection closed');
    switch (decision.action) {
      case 'reconnect':
        this.#attempt += 1;
        this.#dropSocket();
        this.#setState('connecting', null);
        this.#cancelReconnect = this.#options.schedule(() => this.#connect(), decision.delayMs);
        return;
      case 'update_version':
        this.#dropSocket();
        this.#setState('connecting', null);
        void this.#reconnectWithNewVersion();
        return;
      case 'relink':
        this.#relink('logged_out', decision.reason);
        return;
      case 'stop':
        this.#stopOn(decision.state, decision.reason);
        return;
    }
  }

  /** One line in the log per failed attempt, in the seller's words, and the trouble the pages show. */
  #noteTrouble(error: unknown, delayMs: number): void {
    const now = this.#options.clock.now();
    const { code, statusCode } = classifyLinkError(error);
    this.#linkTrouble = { code, statusCode, at: now, failures: (this.#linkTrouble?.failures ?? 0) + 1, retryAt: now + delayMs };
    const { locale } = this.#options;
    this.#options.logger.warn(
      { statusCode, linkError: code, failures: this.#linkTrouble.failures, retryInMs: delayMs, error: messageOf(error) },
      translate(locale, 'log.whatsapp_unreachable', { error: translate(locale, `link.error.${code}`), seconds: Math.max(1, Math.round(delayMs / 1000)) }),
    );
  }

  #stopOn(state: 'banned' | 'closed', reason: 'banned' | 'replaced' | 'outdated'): void {
    this.#dropSocket();
    this.#linkTrouble = null;
    if (reason === 'banned') this.#openBreaker('banned');
    this.#setState(state, this.#detail(reason));
    this.#alert(this.#detail(reason));
  }

  /**
   * After a 405: WhatsApp moved on from the version we announced (in 2026 a bump broke every
   * pairing until clients updated). One reconnect with the current version; none when no newer
   * one is known, since the same version would only be refused again.
   */
  async #reconnectWithNewVersion(): Promise<void> {
    const generation = this.#generation;
    const before = versionText(this.#version);
    await this.#updateVersion();
    if (this.#stopped || generation !== this.#generation) return;
    if (versionText(this.#version) === before) {
      this.#stopOn('closed', 'outdated');
      return;
    }
    this.#versionUpdated = true;
    this.#connect();
  }

  /** Asks for WhatsApp Web's current version; keeps the one in use when the answer is not a version. */
  async #updateVersion(): Promise<void> {
    const fetchVersion = this.#options.fetchWaVersion;
    if (fetchVersion) {
      try {
        const { version, isLatest } = await fetchVersion();
        if (isWaVersion(version)) this.#version = version;
        this.#options.logger.info({ version: versionText(this.#version), isLatest }, 'WhatsApp Web version');
      } catch (error) {
        this.#options.logger.warn({ err: error }, 'asking for the WhatsApp Web version failed; keeping the one in use');
      }
    }
    this.#limits.noteVersion(versionText(this.#version));
  }

  /** Forgets the session and opens a new socket, which will show a new QR. */
  #relink(state: 'logged_out', reason: DownReason | 'unlinked'): void {
    this.#dropSocket();
    this.#options.store.clearSession();
    this.#auth = undefined;
    this.#me = { pn: null, lid: null };
    this.#limits.forget();
    this.#setState(state, this.#detail(reason));
    if (!this.#stopped) this.#cancelReconnect = this.#options.schedule(() => this.#connect(), 0);
  }

  async #onMessages(socket: WhatsAppSocket, messages: WAMessage[]): Promise<void> {
    for (const message of messages) {
      // A message in a shape this adapter cannot read is skipped, not thrown: the handler runs
      // detached from Baileys, so a throw would be an unhandled rejection that ends the process,
      // and would lose the rest of the batch.
      try {
        await this.#onMessage(socket, message);
      } catch (error) {
        this.#options.logger.warn({ err: error, id: describeId(message) }, 'WhatsApp message not understood; skipped');
      }
    }
  }

  async #onMessage(socket: WhatsAppSocket, message: WAMessage): Promise<void> {
    const id = message.key.id;
    if (!id || this.#seen.has(id)) return;
    this.#remember(id);
    await this.#resolveLid(socket, message.key);
    const result = translateMessage(message, this.#translateContext());
    if (result.kind === 'inbound') this.#emit('inbound', result.message);
    else if (result.kind === 'owner') this.#emit('owner-message', result.message);
    else this.#options.logger.debug({ id, reason: result.reason }, 'WhatsApp message skipped');
  }

  #onUpdates(updates: WAMessageUpdate[]): void {
    if (!Array.isArray(updates)) {
      this.#options.logger.warn({ event: 'messages.update', type: typeof updates }, 'WhatsApp event not understood; skipped');
      return;
    }
    // Each update alone: one that cannot be read does not lose the others.
    for (const update of updates) this.#safely('messages.update', () => this.#onUpdate(update));
  }

  #onUpdate(update: WAMessageUpdate): void {
    const receipt = translateReceipt(update, this.#options.clock.now());
    if (!receipt) return;
    const refused = receipt.errorCode === 463;
    // A cold message's 463 is WhatsApp declining that new chat (the governor marks the customer);
    // any other says the account itself is restricted.
    if (refused && !this.#coldIds.has(receipt.messageId)) this.#openBreaker('restricted');
    this.#emit('receipt', receipt);
    if (refused) this.#limits.after463();
  }

  #translateContext(): TranslateContext {
    return {
      me: this.#me,
      phoneOf: (jid, altJid) => this.#phoneOf(jid, altJid),
      sentByBot: (id) => this.#options.store.readSent(id) !== undefined,
      pollCreation: (id) => this.#pollCreation(id),
    };
  }

  /**
   * A LID-addressed sender without the phone alongside: ask Baileys' own mapping
   * before translating, and keep what it says.
   */
  async #resolveLid(socket: WhatsAppSocket, key: WAMessageKey): Promise<void> {
    const jid = key.remoteJid;
    if (!jid || !isLidUser(jid) || (key.remoteJidAlt && isPnUser(key.remoteJidAlt))) return;
    const lid = jidNormalizedUser(jid);
    if (this.#options.store.phoneOfLid(lid) !== undefined) return;
    try {
      const pn = await socket.signalRepository.lidMapping.getPNForLID(lid);
      if (pn) this.#learnLids([{ lid, pn }]);
    } catch (error) {
      this.#options.logger.debug({ err: error }, 'LID lookup failed');
    }
  }

  #phoneOf(jid: string, altJid: string | null): string | null {
    const forms = [jid, altJid].filter((form): form is string => typeof form === 'string');
    const pn = forms.find((form) => isPnUser(form));
    const lid = forms.find((form) => isLidUser(form));
    if (pn) {
      const phone = phoneFromJid(pn);
      if (phone && lid) this.#learnLids([{ lid, pn }]);
      return phone;
    }
    // A mapping learned before phones were made canonical may hold the 12-digit form.
    const known = lid ? this.#options.store.phoneOfLid(jidNormalizedUser(lid)) : undefined;
    return known === undefined ? null : canonicalPhone(known);
  }

  #learnLids(mappings: LIDMapping[]): void {
    const pairs = mappings.flatMap(({ lid, pn }) => {
      const phone = phoneFromJid(pn);
      return phone && isLidUser(lid) ? [{ lid: jidNormalizedUser(lid), phone }] : [];
    });
    if (pairs.length > 0) this.#options.store.rememberLids(pairs, this.#options.clock.now());
  }

  #learnContacts(contacts: Partial<Contact>[]): void {
    this.#learnLids(
      contacts.flatMap((contact) => {
        const lid = contact.lid ?? (contact.id && isLidUser(contact.id) ? contact.id : undefined);
        const pn = contact.phoneNumber ?? (contact.id && isPnUser(contact.id) ? contact.id : undefined);
        return lid && pn ? [{ lid, pn }] : [];
      }),
    );
  }

  async #jidOf(socket: WhatsAppSocket, phone: Address): Promise<string | undefined> {
    const cached = this.#options.jids.get(phone);
    if (cached) return cached;
    const [found] = (await socket.onWhatsApp(phone)) ?? [];
    if (!found?.exists) return undefined;
    const jid = jidNormalizedUser(found.jid);
    this.#options.jids.set(phone, jid);
    return jid;
  }

  async #showTyping(socket: WhatsAppSocket, jid: string, text: string): Promise<void> {
    try {
      await socket.sendPresenceUpdate('composing', jid);
      await this.#options.sleep(typingDelayMs(text));
      await socket.sendPresenceUpdate('paused', jid);
    } catch (error) {
      // Typing is a courtesy: its failure must not stop the message.
      this.#options.logger.debug({ err: error }, 'presence update failed');
    }
  }

  #storedMessage(key: WAMessageKey): proto.IMessage | undefined {
    if (!key.id) return undefined;
    const record = this.#options.store.readSent(key.id);
    return record ? (decodeMessage(record.message).message ?? undefined) : undefined;
  }

  #pollCreation(id: string): PollCreation | undefined {
    const record = this.#options.store.readSent(id);
    if (!record?.isPoll) return undefined;
    return pollCreationOf(decodeMessage(record.message), this.#creatorJids()) ?? undefined;
  }

  #creatorJids(): string[] {
    return [this.#me.pn, this.#me.lid].filter((jid): jid is string => jid !== null);
  }

  #openBreaker(reason: 'restricted' | 'banned'): void {
    if (this.#breaker.open) return;
    this.#breaker = { open: true, reason, since: this.#options.clock.now() };
    this.#emit('breaker', this.#breaker);
    if (reason === 'restricted') this.#alert(this.#detail('restricted'));
  }

  #setState(state: ChannelState, detail: string | null): void {
    if (state === this.#state && detail === this.#stateDetail) return;
    this.#state = state;
    this.#stateDetail = detail;
    this.#emit('state', state, detail);
  }

  #detail(reason: DownReason | 'restricted' | 'unlinked'): string {
    return translate(this.#options.locale, `whatsapp.detail.${reason}`);
  }

  #alert(message: string): void {
    this.#options.logger.error({ alert: true }, message);
    this.#options.onAlert?.(message);
  }

  #remember(id: string): void {
    rememberIn(this.#seen, id, SEEN_LIMIT);
  }

  #dropSocket(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#generation += 1;
    this.#limits.detach();
    if (!socket) return;
    try {
      socket.end(undefined);
    } catch {
      // A socket already closed by WhatsApp throws on end(); it is dropped either way.
    }
  }
}

/**
 * A sent message as protobuf bytes (base64): JSON would not do, because
 * protobuf objects turn their bytes (a poll's secret) into base64 strings on
 * the way in and do not turn them back.
 */
export function encodeMessage(message: WAMessage): string {
  return Buffer.from(proto.WebMessageInfo.encode(message).finish()).toString('base64');
}

export function decodeMessage(text: string): WAMessage {
  return proto.WebMessageInfo.decode(Buffer.from(text, 'base64')) as WAMessage;
}

/**
 * "5511912345678@s.whatsapp.net" or "5511912345678:3@s.whatsapp.net" to "+5511912345678".
 * A Brazilian mobile WhatsApp still addresses without its ninth digit
 * ("553199668527@s.whatsapp.net") is the same person as the 13-digit number:
 * the canonical form is returned, so that one person has one record.
 */
export function phoneFromJid(jid: string): string | null {
  const user = jidDecode(jid)?.user;
  return user && /^\d{8,15}$/.test(user) ? canonicalPhone(`+${user}`) : null;
}

/** Adds `id`, forgetting the oldest beyond `limit` (a Set keeps insertion order). */
function rememberIn(ids: Set<string>, id: string, limit: number): void {
  ids.add(id);
  if (ids.size > limit) ids.delete(ids.values().next().value as string);
}

function isWaVersion(version: unknown): version is WAVersion {
  return Array.isArray(version) && version.length === 3 && version.every((part) => Number.isSafeInteger(part) && part >= 0);
}

function statusOf(error: unknown): number | undefined {
  const boom = error as Partial<Boom> | undefined;
  return typeof boom?.output?.statusCode === 'number' ? boom.output.statusCode : undefined;
}

/** The id of a message that could not be read, for the log, if it has a readable one. */
function describeId(message: unknown): string | null {
  const id: unknown = (message as { key?: { id?: unknown } } | null)?.key?.id;
  return typeof id === 'string' ? id.slice(0, 100) : null;
}

