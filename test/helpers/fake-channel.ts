import { EventEmitter } from 'node:events';
import {
  CLOSED_BREAKER,
  type Address,
  type BreakerStatus,
  type Channel,
  type ChannelEvents,
  type ChannelKind,
  type ChannelListener,
  type ChannelState,
  type SendResult,
} from '../../src/channels/channel.js';

/** The WhatsApp adapter as /connect sees it, without WhatsApp: a state, a QR, a pairing code. */
export class FakeChannel implements Channel {
  kind: ChannelKind = 'whatsapp';
  state: ChannelState = 'qr';
  stateDetail: string | null = null;
  breaker: BreakerStatus = CLOSED_BREAKER;
  qr: string | null = 'some-qr-text';
  /** What requestPairingCode answers: a code, or an error to throw. */
  pairing: string | Error = 'ABCD1234';
  readonly pairingRequests: Address[] = [];
  readonly #emitter = new EventEmitter<ChannelEvents>();

  on<E extends keyof ChannelEvents>(event: E, listener: ChannelListener<E>): this {
    this.#emitter.on(event, listener as never);
    return this;
  }
  off<E extends keyof ChannelEvents>(event: E, listener: ChannelListener<E>): this {
    this.#emitter.off(event, listener as never);
    return this;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(_to: Address, _content: unknown, opts: { messageId: string }): Promise<SendResult> {
    return { ok: false, messageId: opts.messageId, reason: 'disconnected', detail: this.state };
  }
  async requestPairingCode(phone: Address): Promise<string> {
    this.pairingRequests.push(phone);
    if (this.pairing instanceof Error) throw this.pairing;
    return this.pairing;
  }
  /** How many times the shop's number was unlinked. */
  logouts = 0;
  async logout(): Promise<void> {
    this.logouts++;
    this.state = 'qr';
    this.stateDetail = 'unlinked';
  }
  resumeSending(): void {
    this.breaker = CLOSED_BREAKER;
  }
}
