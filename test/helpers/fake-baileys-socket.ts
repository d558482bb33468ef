import { Boom } from '@hapi/boom';
import {
  generateWAMessage,
  makeEventBuffer,
  NewChatMessageCappingMVStatusType,
  NewChatMessageCappingOTEStatusType,
  NewChatMessageCappingStatusType,
  ReachoutTimelockEnforcementType,
  WAMessageStatus,
  type AnyMessageContent,
  type AuthenticationCreds,
  type NewChatMessageCapInfo,
  type ReachoutTimelockState,
  type UserFacingSocketConfig,
  type WAMessage,
  type WAPresence,
} from '@whiskeysockets/baileys';
import { pino } from 'pino';
import type { WhatsAppSocket } from '../../src/channels/baileys/whatsapp-channel.js';

/** The shop's own number as the fake socket signs the messages it sends. */
export const FAKE_SHOP_PN = '5511900000000@s.whatsapp.net';

/**
 * The reach-out time lock as WhatsApp's server answers Baileys' MEX query
 * (xwa2_fetch_account_reachout_timelock): the end in epoch seconds, as a string.
 */
export interface RawReachoutTimelock {
  is_active?: boolean;
  time_enforcement_ends?: string;
  enforcement_type?: string;
}

/** The text Baileys puts beside a 463 (ACCOUNT_RESTRICTED_TEXT in Utils/decode-wa-message.js). */
export const ACCOUNT_RESTRICTED_TEXT = 'Your account has been restricted';

/**
 * A Baileys socket for the adapter (WhatsAppChannel's createSocket) with Baileys' own event
 * buffer as `ev` and every call the adapter makes recorded. Nothing here touches a network:
 * what WhatsApp would do is said by the test (open(), receive(), …) or set on the fields.
 */
export class FakeBaileysSocket implements WhatsAppSocket {
  readonly ev = makeEventBuffer(pino({ level: 'silent' }));
  user: { id: string; lid?: string } | undefined;
  readonly authState: { creds: AuthenticationCreds };
  readonly sent: { jid: string; content: AnyMessageContent; messageId: string | undefined }[] = [];
  readonly presence: { type: WAPresence; jid: string | undefined }[] = [];
  readonly onWhatsAppCalls: string[] = [];
  readonly pairingRequests: string[] = [];
  ended = false;
  loggedOut = false;
  /** Thrown by the next sendMessage calls while set. */
  sendError: Error | undefined;
  /** The numbers on WhatsApp (E.164 to JID); 'everyone': every number asked for, at its digits. */
  registered: Map<string, string> | 'everyone' = new Map();
  /** What Baileys' own LID mapping knows (LID to phone JID). */
  lids = new Map<string, string>();
  /**
   * What fetchNewChatMessageCap answers: the server's JSON, passed on by Baileys unconverted, or
   * the error it throws (a Boom from executeWMexQuery). By default an account far from any cap.
   */
  newChatCap: NewChatMessageCapInfo | Error = {
    capping_status: NewChatMessageCappingStatusType.NONE,
    ote_status: NewChatMessageCappingOTEStatusType.NOT_ELIGIBLE,
    mv_status: NewChatMessageCappingMVStatusType.NOT_ACTIVE,
  };
  /** What the server answers fetchAccountReachoutTimelock, or the error thrown. By default no lock. */
  reachoutTimelock: RawReachoutTimelock | Error = { is_active: false };
  capReads = 0;
  lockReads = 0;
  readonly signalRepository = { lidMapping: { getPNForLID: async (lid: string) => this.lids.get(lid) ?? null } };

  constructor(readonly config: UserFacingSocketConfig) {
    this.authState = { creds: config.auth.creds };
  }

  async sendMessage(jid: string, content: AnyMessageContent, options?: { messageId?: string }): Promise<WAMessage | undefined> {
    this.sent.push({ jid, content, messageId: options?.messageId });
    if (this.sendError) throw this.sendError;
    return generateWAMessage(jid, content, {
      userJid: FAKE_SHOP_PN,
      messageId: options?.messageId ?? 'X',
      upload: async () => {
        throw new Error('no uploads in tests');
      },
    });
  }

  async sendPresenceUpdate(type: WAPresence, jid?: string): Promise<void> {
    this.presence.push({ type, jid });
  }

  async onWhatsApp(...phones: string[]): Promise<{ jid: string; exists: boolean }[]> {
    this.onWhatsAppCalls.push(...phones);
    const registered = this.registered;
    if (registered === 'everyone') return phones.map((phone) => ({ jid: `${phone.replace(/\D/g, '')}@s.whatsapp.net`, exists: true }));
    return phones.flatMap((phone) => {
      const jid = registered.get(phone);
      return jid ? [{ jid, exists: true }] : [];
    });
  }

  async requestPairingCode(phone: string): Promise<string> {
    this.pairingRequests.push(phone);
    return 'ABCD1234';
  }

  async logout(): Promise<void> {
    this.loggedOut = true;
  }

  end(): void {
    this.ended = true;
  }

  async fetchNewChatMessageCap(): Promise<NewChatMessageCapInfo> {
    this.capReads += 1;
    if (this.newChatCap instanceof Error) throw this.newChatCap;
    return structuredClone(this.newChatCap);
  }

  /** As Baileys' own (Socket/socket.js): converts the server's answer, emits it as a connection.update, and returns it. */
  async fetchAccountReachoutTimelock(): Promise<ReachoutTimelockState> {
    this.lockReads += 1;
    const raw = this.reachoutTimelock;
    if (raw instanceof Error) throw raw;
    const result: ReachoutTimelockState = {
      isActive: !!raw.is_active,
      timeEnforcementEnds: raw.time_enforcement_ends && raw.time_enforcement_ends !== '0' ? new Date(parseInt(raw.time_enforcement_ends, 10) * 1000) : undefined,
      enforcementType: (raw.enforcement_type as ReachoutTimelockEnforcementType | undefined) ?? ReachoutTimelockEnforcementType.DEFAULT,
    };
    this.ev.emit('connection.update', { reachoutTimeLock: result });
    return result;
  }

  // What WhatsApp does to the socket, in the tests' words.
  showQr(qr: string) {
    this.ev.emit('connection.update', { qr, connection: 'connecting' });
  }
  open() {
    this.user = { id: '5511900000000:7@s.whatsapp.net', lid: '111111111111111:7@lid' };
    this.ev.emit('connection.update', { connection: 'open' });
  }
  close(statusCode: number | undefined) {
    const error = statusCode === undefined ? new Error('socket hang up') : new Boom('closed', { statusCode });
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  }
  /** The socket ends with this error, as Baileys' end() emits it (Socket/socket.js): connection 'close' and lastDisconnect. */
  fail(error: Error) {
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  }
  receive(messages: WAMessage[], type: 'notify' | 'append' = 'notify') {
    this.ev.emit('messages.upsert', { messages, type });
  }
  /** WhatsApp's MessageCappingInfoNotification: Baileys emits its payload as it came. */
  capping(payload: NewChatMessageCapInfo) {
    this.ev.emit('message-capping.update', payload);
  }
  /**
   * WhatsApp's NotificationUserReachoutTimelockUpdate, as Baileys turns it into a connection.update
   * (Socket/messages-recv.js): lifted, or set until `endsAtSeconds` (server's epoch seconds).
   */
  timeLock(state: { isActive: false } | { isActive: true; endsAtSeconds: string; enforcementType?: ReachoutTimelockEnforcementType }) {
    const reachoutTimeLock: ReachoutTimelockState = state.isActive
      ? { isActive: true, timeEnforcementEnds: new Date(parseInt(state.endsAtSeconds, 10) * 1000), enforcementType: state.enforcementType ?? ReachoutTimelockEnforcementType.DEFAULT }
      : { isActive: false, enforcementType: ReachoutTimelockEnforcementType.DEFAULT };
    this.ev.emit('connection.update', { reachoutTimeLock });
  }
  /** The server's nack of a sent message with error 463, as Baileys' handleBadAck reports it. */
  nack463(id: string, remoteJid: string) {
    this.ev.emit('messages.update', [{ key: { remoteJid, fromMe: true, id }, update: { status: WAMessageStatus.ERROR, messageStubParameters: ['463', ACCOUNT_RESTRICTED_TEXT] } }]);
  }
}

/**
 * What Node's net/dns give the WebSocket when WhatsApp cannot be reached ("getaddrinfo ENOTFOUND
 * web.whatsapp.com", "connect ECONNREFUSED 157.240.226.60:443", "connect ETIMEDOUT …"): an Error
 * with code, errno and syscall.
 */
export function systemError(code: 'ENOTFOUND' | 'EAI_AGAIN' | 'ECONNREFUSED' | 'ETIMEDOUT' | 'ECONNRESET', errno: number): Error {
  const syscall = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'getaddrinfo' : 'connect';
  const where = syscall === 'getaddrinfo' ? 'web.whatsapp.com' : '157.240.226.60:443';
  return Object.assign(new Error(`${syscall} ${code} ${where}`), { errno, code, syscall, ...(syscall === 'getaddrinfo' ? { hostname: 'web.whatsapp.com' } : { address: '157.240.226.60', port: 443 }) });
}

/**
 * Baileys' mapWebSocketError (Socket/socket.js): every error of the WebSocket becomes a Boom
 * "WebSocket Error (<message>)" with the error as data and the status of getCodeFromWSError
 * (Utils/generics.js): 408 for a system error (a code starting with E) or a message with "timed
 * out" (ws's "Opening handshake has timed out"), 500 otherwise.
 */
export function webSocketError(cause: Error): Boom {
  const code = (cause as { code?: unknown }).code;
  const statusCode = (typeof code === 'string' && code.startsWith('E')) || cause.message.includes('timed out') ? 408 : 500;
  return new Boom(`WebSocket Error (${cause.message})`, { statusCode, data: cause });
}

/** Baileys' promiseTimeout (Utils/generics.js) when the connection's first frames do not come in connectTimeoutMs. */
export function timedOut(): Boom {
  return new Boom('Timed Out', { statusCode: 408, data: { stack: new Error().stack } });
}

/** The WebSocket closed under Baileys (ws 'close'): 428, no data. */
export function connectionTerminated(): Boom {
  return new Boom('Connection Terminated', { statusCode: 428 });
}

/** WhatsApp's stream error with code 503 (CB:stream:error, getErrorCodeFromStreamError): the reason node as data. */
export function streamError503(): Boom {
  return new Boom('Stream Errored (unknown)', { statusCode: 503, data: { tag: 'stream:error', attrs: { code: '503' } } });
}
