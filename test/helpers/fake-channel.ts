import { EventEmitter } from 'node:events';
import {
  CLOSED_BREAKER,
  NO_LIMITS_READ,
  type WhatsAppLimits,
  type Address,
  type BreakerStatus,
  type Channel,
  type ChannelEvents,
  type ChannelKind,
  type ChannelListener,
  type ChannelState,
  type LinkTrouble,
  type SendResult,
} from '../../src/channels/channel.js';

/**
 * The WhatsApp adapter without WhatsApp: a state, a QR, a pairing code as
 * /connect sees them (waiting for its QR unless told otherwise), and events the
 * test emits by hand, for what the simulator never does (deliver one message
 * twice, a LID without a phone, a late receipt). Sends fail as disconnected.
 */
export class FakeChannel implements Channel {
  kind: ChannelKind = 'whatsapp';
  state: ChannelState;
  stateDetail: string | null = null;
  breaker: BreakerStatus = CLOSED_BREAKER;
  limits: WhatsAppLimits = NO_LIMITS_READ;
  linkedPhone: string | null = null;
  linkTrouble: LinkTrouble | null = null;
  /** linkAgain() calls. */
  linkAgainCalls = 0;
  qr: string | null;
  /** What requestPairingCode answers: a code, or an error to throw. */
  pairing: string | Error = 'ABCD1234';
  readonly pairingRequests: Address[] = [];
  readonly #emitter = new EventEmitter<ChannelEvents>();

  constructor(options: { state?: ChannelState; qr?: string | null } = {}) {
    this.state = options.state ?? 'qr';
    this.qr = options.qr === undefined ? 'some-qr-text' : options.qr;
  }

  /** What the adapter would report: an inbound message, a receipt, a state change. */
  emit<E extends keyof ChannelEvents>(event: E, ...args: ChannelEvents[E]): void {
    (this.#emitter.emit as (event: E, ...args: ChannelEvents[E]) => boolean)(event, ...args);
  }
  listenerCount(event: keyof ChannelEvents): number {
    return this.#emitter.listenerCount(event);
  }
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
  /** Linking again: a new QR, as the adapter's new connection would show. */
  async linkAgain(): Promise<void> {
    this.linkAgainCalls++;
    this.linkTrouble = null;
    this.state = 'qr';
    this.stateDetail = null;
    this.qr = 'another-qr-text';
  }
  resumeSending(): void {
    this.breaker = CLOSED_BREAKER;
  }
}
