import type { Address, BreakerStatus, Channel, ChannelEvents, ChannelListener, ChannelState, LinkTrouble, OutboundContent, SendResult, WhatsAppLimits } from '../../src/channels/channel.js';

/** A channel that passes everything to another one, so that a test can replace one method (send). */
export class DelegatingChannel implements Channel {
  constructor(
    readonly inner: Channel,
    readonly sendWith: (to: Address, content: OutboundContent, opts: { messageId: string }) => Promise<SendResult>,
  ) {}

  get kind() {
    return this.inner.kind;
  }
  get state(): ChannelState {
    return this.inner.state;
  }
  get stateDetail(): string | null {
    return this.inner.stateDetail;
  }
  get linkedPhone(): Address | null {
    return this.inner.linkedPhone;
  }

  get limits(): WhatsAppLimits {
    return this.inner.limits;
  }

  get linkTrouble(): LinkTrouble | null {
    return this.inner.linkTrouble;
  }

  get breaker(): BreakerStatus {
    return this.inner.breaker;
  }
  get qr(): string | null {
    return this.inner.qr;
  }
  start() {
    return this.inner.start();
  }
  stop() {
    return this.inner.stop();
  }
  send(to: Address, content: OutboundContent, opts: { messageId: string }) {
    return this.sendWith(to, content, opts);
  }
  on<E extends keyof ChannelEvents>(event: E, listener: ChannelListener<E>): this {
    this.inner.on(event, listener);
    return this;
  }
  off<E extends keyof ChannelEvents>(event: E, listener: ChannelListener<E>): this {
    this.inner.off(event, listener);
    return this;
  }
  requestPairingCode(phone: Address) {
    return this.inner.requestPairingCode(phone);
  }
  logout() {
    return this.inner.logout();
  }
  linkAgain() {
    return this.inner.linkAgain();
  }
  resumeSending() {
    this.inner.resumeSending();
  }
}
