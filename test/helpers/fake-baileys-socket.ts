import { Boom } from '@hapi/boom';
import { generateWAMessage, makeEventBuffer, type AnyMessageContent, type AuthenticationCreds, type UserFacingSocketConfig, type WAMessage, type WAPresence } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import type { WhatsAppSocket } from '../../src/channels/baileys/whatsapp-channel.js';

/** The shop's own number as the fake socket signs the messages it sends. */
export const FAKE_SHOP_PN = '5511900000000@s.whatsapp.net';

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
  receive(messages: WAMessage[], type: 'notify' | 'append' = 'notify') {
    this.ev.emit('messages.upsert', { messages, type });
  }
}
