import type { Address, CappingStatus, ReachoutLock, WhatsAppLimits } from '../channel.js';
import type { Clock } from '../../scheduler/clock.js';

/**
 * WhatsApp's 2026 rules on new chats, as the simulator plays them
 * (notes/whatsapp-limits-2026.md; issue 18). A new chat is a message to
 * someone who never wrote to the shop. Per cycle the account may open `total`
 * of them; each distinct phone counts once per cycle. WhatsApp warns before
 * the cap; the simulator's thresholds (WhatsApp publishes none):
 * first_warning from 80 % of the quota used, second_warning from 90 %,
 * capped at 100 %. Past the cap, or while a reach-out time lock is active,
 * a new chat is refused (463); chats the customer started keep working.
 * Nothing here keeps time by itself: every read rolls the cycle over and
 * lifts an ended lock by the injected clock.
 */

export interface NewChatCapSetting {
  total: number;
  /** Already used in the cycle that starts now; 0 by default. */
  used?: number;
  /** How long a cycle lasts; 24 by default (WhatsApp's cycles are a day long). */
  cycleHours?: number;
}

export const DEFAULT_CYCLE_HOURS = 24;
/** The enforcement type WhatsApp reports for a lock it imposed over the account's quality. */
export const TIME_LOCK_KIND = 'BIZ_QUALITY';
export const FIRST_WARNING_AT = 0.8;
export const SECOND_WARNING_AT = 0.9;

/** Why a new chat was not opened. */
export type NewChatRefusal = 'refused' | 'locked' | 'capped';

/** A misuse of the rules (a negative quota, a lock that ends in the past): the caller's mistake. */
export class NewChatRuleError extends Error {
  override readonly name = 'NewChatRuleError';
}

interface Cap {
  total: number;
  used: number;
  cycleStart: number;
  cycleMs: number;
}

const HOUR = 3_600_000;

/** How WhatsApp words the account's standing against its quota, by the simulator's thresholds. */
export function cappingStatusOf(used: number, total: number): CappingStatus {
  if (used >= total) return 'capped';
  if (used >= total * SECOND_WARNING_AT) return 'second_warning';
  if (used >= total * FIRST_WARNING_AT) return 'first_warning';
  return 'none';
}

export class NewChatRules {
  readonly #clock: Clock;
  readonly #changed: (limits: WhatsAppLimits) => void;
  #cap: Cap | null = null;
  /** The phones whose new chat this cycle already counted: a second message to one costs nothing more. */
  readonly #opened = new Set<Address>();
  /** null: never locked (nothing to report); endsAt null once lifted. */
  #lock: { endsAt: number | null; kind: string | null } | null = null;
  #refuseNext = 0;

  /** `changed` hears the whole state after each change, as Baileys' message-capping.update. */
  constructor(clock: Clock, changed: (limits: WhatsAppLimits) => void) {
    this.#clock = clock;
    this.#changed = changed;
  }

  /** The rules as WhatsApp would report them now (the cycle rolled over, an ended lock lifted). */
  get limits(): WhatsAppLimits {
    this.refresh();
    return this.#snapshot();
  }

  /** Anything set at all: an untouched network reports nothing, as the default simulator always did. */
  get configured(): boolean {
    return this.#cap !== null || this.#lock !== null;
  }

  /** New chats still to be refused whatever the quota (refuseNext). */
  get refusing(): number {
    return this.#refuseNext;
  }

  /** Rolls the cycle over and lifts an ended lock by the clock; tells the listener if anything changed. */
  refresh(): void {
    const now = this.#clock.now();
    let changed = false;
    const cap = this.#cap;
    if (cap && now >= cap.cycleStart + cap.cycleMs) {
      // Whole cycles: a clock moved by days lands in the cycle it would have reached.
      cap.cycleStart += Math.floor((now - cap.cycleStart) / cap.cycleMs) * cap.cycleMs;
      cap.used = 0;
      this.#opened.clear();
      changed = true;
    }
    const endsAt = this.#lock?.endsAt ?? null;
    if (endsAt !== null && now >= endsAt) {
      this.#lock = { endsAt: null, kind: null };
      changed = true;
    }
    if (changed) this.#tell();
  }

  /** A quota of `total` new chats per cycle, the cycle starting now; null: no cap (the default). */
  setCap(setting: NewChatCapSetting | null): void {
    this.refresh();
    if (setting === null) {
      this.#cap = null;
    } else {
      const { total, used = 0, cycleHours = DEFAULT_CYCLE_HOURS } = setting;
      if (!Number.isInteger(total) || total < 0) throw new NewChatRuleError(`A new-chat quota is a whole number from 0, not ${total}.`);
      if (!Number.isInteger(used) || used < 0 || used > total) throw new NewChatRuleError(`Used new chats are a whole number from 0 to the quota (${total}), not ${used}.`);
      if (!Number.isFinite(cycleHours) || cycleHours <= 0) throw new NewChatRuleError(`A cycle lasts a positive number of hours, not ${cycleHours}.`);
      this.#cap = { total, used, cycleStart: this.#clock.now(), cycleMs: Math.round(cycleHours * HOUR) };
    }
    this.#opened.clear();
    this.#tell();
  }

  /** A reach-out time lock until `endsAt`: new chats are refused until then. */
  lockUntil(endsAt: number, kind: string = TIME_LOCK_KIND): void {
    this.refresh();
    if (!Number.isFinite(endsAt) || endsAt <= this.#clock.now()) {
      throw new NewChatRuleError(`A time lock ends in the future: ${new Date(endsAt).toISOString()} is not after ${new Date(this.#clock.now()).toISOString()}.`);
    }
    this.#lock = { endsAt, kind };
    this.#tell();
  }

  /** Lifts the lock now (WhatsApp reviewed the account); nothing to lift: nothing changes. */
  unlock(): void {
    this.refresh();
    if ((this.#lock?.endsAt ?? null) === null) return;
    this.#lock = { endsAt: null, kind: null };
    this.#tell();
  }

  /** The next `count` new chats are refused whatever the quota (WhatsApp's own judgement of a contact). */
  refuseNext(count: number): void {
    if (!Number.isInteger(count) || count < 1) throw new NewChatRuleError(`refuseNewChats takes a positive whole count, not ${count}.`);
    this.#refuseNext += count;
  }

  /** A message that opens a new chat with `phone`: null if WhatsApp lets it open, else why not. */
  admit(phone: Address): NewChatRefusal | null {
    this.refresh();
    // A lock refuses by itself: it does not spend a refusal asked for.
    if (this.#lockActive()) return 'locked';
    if (this.#refuseNext > 0) {
      this.#refuseNext -= 1;
      return 'refused';
    }
    const cap = this.#cap;
    if (!cap || this.#opened.has(phone)) return null;
    if (cap.used >= cap.total) return 'capped';
    cap.used += 1;
    this.#opened.add(phone);
    this.#tell();
    return null;
  }

  #lockActive(): boolean {
    const endsAt = this.#lock?.endsAt ?? null;
    return endsAt !== null && endsAt > this.#clock.now();
  }

  #snapshot(): WhatsAppLimits {
    const readAt = this.#clock.now();
    const cap = this.#cap;
    const lock: ReachoutLock | null = this.#lock && { active: this.#lockActive(), endsAt: this.#lock.endsAt, kind: this.#lock.kind, readAt };
    return {
      cap: cap && {
        total: cap.total,
        used: cap.used,
        cycleStart: cap.cycleStart,
        cycleEnd: cap.cycleStart + cap.cycleMs,
        status: cappingStatusOf(cap.used, cap.total),
        readAt,
      },
      lock,
      waVersion: null,
    };
  }

  #tell(): void {
    this.#changed(this.#snapshot());
  }
}
