/**
 * The seam between fregues and WhatsApp (design.md, "The Channel seam").
 * The adapters (Baileys, simulator) implement it; /health reads its state.
 */
export type ChannelState = 'connecting' | 'qr' | 'open' | 'logged_out' | 'banned' | 'closed';

export type ChannelKind = 'whatsapp' | 'simulator';

/** What the rest of the service may read of a channel without being able to send through it. */
export interface ChannelStatus {
  readonly kind: ChannelKind;
  readonly state: ChannelState;
}
