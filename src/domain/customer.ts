/** The customer record as the rest of the program sees it. Times are epoch milliseconds. */

export type ConsentState = 'granted' | 'revoked' | 'unknown';
/** marketing: offers and reminders; messages: any message at all (SAIR revokes it, VOLTAR grants it again). */
export type ConsentPurpose = 'marketing' | 'messages';

export interface Consent {
  marketing: ConsentState;
  at: number | null;
  source: string | null;
  text: string | null;
}

export interface Customer {
  id: number;
  /** E.164; null once the person has been erased. */
  phone: string | null;
  name: string | null;
  /** "YYYY-MM-DD", or "--MM-DD" when the year is unknown. */
  birthday: string | null;
  email: string | null;
  tags: string[];
  consent: Consent;
  optedOutAt: number | null;
  /** The canonical WhatsApp JID, learned before the first send. */
  whatsappJid: string | null;
  /** Automation pauses until this time while the owner talks to the customer. */
  handoffUntil: number | null;
  /**
   * The seller paused automation for this customer (the Clientes page, or
   * POST /api/customers/:id/pause) at this time, until they resume it: the
   * customer's flow messages wait in the outbox meanwhile.
   */
  automationPausedAt: number | null;
  /**
   * A message that may have been a request to stop, waiting for the owner's
   * word (confirm the opt-out, or resume): automation is paused meanwhile.
   */
  stopReview: { at: number; text: string } | null;
  /**
   * The number was on the suppression list when this record was made (an
   * opted-out person had been erased): opted out again at once, until VOLTAR.
   */
  suppressedAt: number | null;
  /**
   * Warm since: the customer wrote to the shop's number. Null: cold, a message
   * from us opens a new chat, which WhatsApp caps (issue 18).
   */
  warmAt: number | null;
  /** WhatsApp refused a cold message to them (463): reached again only if they write first. */
  coldRefusedAt: number | null;
  createdAt: number;
  updatedAt: number;
  erasedAt: number | null;
}

export interface ConsentEvent {
  id: number;
  customerId: number;
  purpose: ConsentPurpose;
  state: Exclude<ConsentState, 'unknown'>;
  at: number;
  source: string;
  text: string | null;
}

export interface PurchaseItem {
  sku: string | null;
  name: string;
  quantity: number;
  unitPriceCents: number | null;
}

export interface Purchase {
  id: number;
  customerId: number;
  externalId: string | null;
  items: PurchaseItem[];
  /** Integer minor units of `currency`; null when neither a total nor every unit price was given. */
  totalCents: number | null;
  currency: string;
  source: string;
  purchasedAt: number;
  createdAt: number;
}

export type MessageDirection = 'in' | 'out';
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'unknown' | 'received';

export interface Message {
  id: number;
  customerId: number | null;
  direction: MessageDirection;
  waId: string;
  kind: string;
  text: string | null;
  payload: unknown;
  status: MessageStatus;
  createdAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  error: string | null;
}

/** What stays of an erased person: counts only, for the shop's own statistics. */
export interface ErasedStats {
  messagesIn: number;
  messagesOut: number;
  consentEvents: number;
}

/** Fields a seller may set on a customer; undefined leaves a field as it is, null clears it. */
export interface CustomerDetails {
  name?: string | null;
  birthday?: string | null;
  email?: string | null;
  tags?: string[];
}

export interface ConsentChange {
  marketing: boolean;
  source: string;
  text: string | null;
}

const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_-]{0,39}$/u;

/** Tags are compared without case or surrounding spaces: "VIP " and "vip" are one tag. */
export function normalizeTag(tag: string): string | undefined {
  const value = tag.normalize('NFC').trim().toLowerCase().replace(/\s+/g, '-');
  return TAG.test(value) ? value : undefined;
}
