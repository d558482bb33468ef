import { NO_LIMITS_READ, type WhatsAppLimits } from '../../channels/channel.js';
import type { SchedulerState } from './scheduler-state.js';

/**
 * WhatsApp's limits as the channel last read them, and when the shop's number
 * was linked, kept across restarts (issue 18): a time lock read before a
 * restart still holds cold messages after it, and the warm-up ramp counts days
 * from the link, not from the last start. Kept in scheduler_state as JSON.
 */
export interface WhatsAppLimitsStore {
  read(): WhatsAppLimits;
  /** Keeps the latest values; a part the channel did not read (null) keeps what was stored. */
  save(limits: WhatsAppLimits): void;
  /**
   * When the number was linked. A session that was linked before fregues knew
   * to record it counts from the first time it was seen open (the safer end of
   * the ramp). Null: never linked.
   */
  linkedAt(): number | null;
  /** Remembers the link time, once: a later call keeps the first. */
  noteLinked(at: number): void;
  /** Forgets it (logout, or a new number): the next link starts the ramp again. */
  forgetLink(): void;
  /** The shop's number as last seen linked (E.164), so that click-to-chat links work while disconnected. */
  shopPhone(): string | null;
  noteShopPhone(phone: string | null): void;
  /** True the first time `event` is seen (a time lock's end, a warning of a cycle): the owner is told once per event. */
  firstTimeFor(event: string): boolean;
}

const LIMITS = 'whatsapp.limits';
const LINKED_AT = 'whatsapp.linked_at';
const TOLD = 'whatsapp.told';
const SHOP_PHONE = 'whatsapp.shop_phone';
/** The last events the owner was told of: enough to never repeat one, small enough to stay one row. */
const TOLD_KEPT = 20;

export function createWhatsAppLimitsStore(state: SchedulerState): WhatsAppLimitsStore {
  const read = (): WhatsAppLimits => {
    const text = state.get(LIMITS);
    if (text === undefined) return NO_LIMITS_READ;
    const stored = JSON.parse(text) as Partial<WhatsAppLimits>;
    return { cap: stored.cap ?? null, lock: stored.lock ?? null, waVersion: stored.waVersion ?? null };
  };
  return {
    read,
    save: (limits) => {
      const before = read();
      const next: WhatsAppLimits = {
        cap: limits.cap ?? before.cap,
        lock: limits.lock ?? before.lock,
        waVersion: limits.waVersion ?? before.waVersion,
      };
      state.set(LIMITS, JSON.stringify(next));
    },
    linkedAt: () => {
      const text = state.get(LINKED_AT);
      return text === undefined || text === '' ? null : Number(text);
    },
    noteLinked: (at) => {
      const text = state.get(LINKED_AT);
      if (text === undefined || text === '') state.set(LINKED_AT, String(at));
    },
    forgetLink: () => {
      state.set(LINKED_AT, '');
    },
    shopPhone: () => {
      const text = state.get(SHOP_PHONE);
      return text === undefined || text === '' ? null : text;
    },
    noteShopPhone: (phone) => {
      state.set(SHOP_PHONE, phone ?? '');
    },
    firstTimeFor: (event) => {
      const told = JSON.parse(state.get(TOLD) ?? '[]') as string[];
      if (told.includes(event)) return false;
      state.set(TOLD, JSON.stringify([...told, event].slice(-TOLD_KEPT)));
      return true;
    },
  };
}
