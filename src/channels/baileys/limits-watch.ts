import type { NewChatMessageCapInfo, ReachoutTimelockState } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import type { Clock } from '../../scheduler/clock.js';
import { NO_LIMITS_READ, type WhatsAppLimits } from '../channel.js';
import { capFromBaileys, lockFromBaileys } from './limits-from-baileys.js';

/** What the watch asks of the open socket: Baileys' two MEX queries (neither is called by Baileys itself). */
export interface LimitsSource {
  fetchNewChatMessageCap(): Promise<NewChatMessageCapInfo>;
  fetchAccountReachoutTimelock(): Promise<ReachoutTimelockState>;
}

export interface LimitsWatchOptions {
  clock: Clock;
  logger: Logger;
  schedule: (work: () => void, ms: number) => () => void;
  /** The whole latest state, after every reading (a repeated one too: its readAt moved). */
  onRead: (limits: WhatsAppLimits) => void;
}

/** The cap moves with every new chat anyone opens from the number: read again this often while open. */
export const CAP_READ_EVERY_MS = 5 * 60_000;
/** A burst of 463s asks WhatsApp about the time lock once, not once per message. */
export const LOCK_READ_AT_MOST_EVERY_MS = 60_000;

/**
 * WhatsApp's limits on new chats as the Baileys adapter learns them (issue 18):
 * the cap at open, on every `message-capping.update` and every few minutes; the
 * time lock from `connection.update` and, since Baileys never asks after a 463
 * (its own refresh is dead code), from `fetchAccountReachoutTimelock()` at open
 * and after a 463. A reading that fails or says nothing readable keeps the last
 * values: the governor then holds by what it knew, not by a blank.
 */
export class LimitsWatch {
  #limits: WhatsAppLimits = NO_LIMITS_READ;
  #source: LimitsSource | undefined;
  #cancelTick: (() => void) | undefined;
  #cancelLockRead: (() => void) | undefined;
  #lastLockReadAt = -Infinity;
  /** Counts lock readings, so that a fetch whose answer already came as a connection.update is not read twice. */
  #lockReadings = 0;
  readonly #options: LimitsWatchOptions;

  constructor(options: LimitsWatchOptions) {
    this.#options = options;
  }

  get limits(): WhatsAppLimits {
    return this.#limits;
  }

  /** The connection opened: read both now, and the cap every few minutes until detach. */
  attach(source: LimitsSource): void {
    this.detach();
    this.#source = source;
    this.#lastLockReadAt = -Infinity;
    void this.#readCap(source);
    void this.#readLock(source);
    this.#scheduleTick(source);
  }

  /** The connection closed: no more readings, and late answers of the old socket are dropped. */
  detach(): void {
    this.#source = undefined;
    this.#cancelTick?.();
    this.#cancelTick = undefined;
    this.#cancelLockRead?.();
    this.#cancelLockRead = undefined;
  }

  /** The number was unlinked: what was read belonged to its account. */
  forget(): void {
    this.detach();
    if (this.#limits.cap === null && this.#limits.lock === null) return;
    this.#set({ ...this.#limits, cap: null, lock: null });
  }

  noteVersion(version: string): void {
    if (version === this.#limits.waVersion) return;
    this.#set({ ...this.#limits, waVersion: version });
  }

  /** A `message-capping.update`: the server's JSON, as the fetch answers it. */
  noteCapping(info: unknown): void {
    const cap = capFromBaileys(info, this.#limits.cap, this.#options.clock.now());
    if (cap === null) {
      this.#options.logger.warn({ event: 'message-capping.update' }, 'WhatsApp new-chat cap not understood; kept the last values');
      return;
    }
    this.#set({ ...this.#limits, cap });
  }

  /** A `connection.update` carrying reachoutTimeLock (a notification, or the echo of our own fetch). */
  noteLock(state: unknown): void {
    this.#lockReadings += 1;
    const lock = lockFromBaileys(state, this.#options.clock.now());
    if (lock === null) {
      this.#options.logger.warn({ event: 'connection.update' }, 'WhatsApp reach-out time lock not understood; kept the last values');
      return;
    }
    this.#set({ ...this.#limits, lock });
  }

  /**
   * WhatsApp refused a message with 463: it may be this contact (no trust token)
   * or the whole account (a time lock); only the lock query tells. At most once
   * a minute; a 463 inside that minute gets one reading at its end.
   */
  after463(): void {
    const source = this.#source;
    if (!source || this.#cancelLockRead) return;
    const wait = this.#lastLockReadAt + LOCK_READ_AT_MOST_EVERY_MS - this.#options.clock.now();
    if (wait <= 0) {
      void this.#readLock(source);
      return;
    }
    this.#cancelLockRead = this.#options.schedule(() => {
      this.#cancelLockRead = undefined;
      if (this.#source === source) void this.#readLock(source);
    }, wait);
  }

  #scheduleTick(source: LimitsSource): void {
    this.#cancelTick = this.#options.schedule(() => {
      if (this.#source !== source) return;
      void this.#readCap(source);
      // An active lock without a known end only ends by a new reading.
      if (this.#limits.lock?.active) void this.#readLock(source);
      this.#scheduleTick(source);
    }, CAP_READ_EVERY_MS);
  }

  async #readCap(source: LimitsSource): Promise<void> {
    let info: NewChatMessageCapInfo;
    try {
      info = await source.fetchNewChatMessageCap();
    } catch (error) {
      this.#options.logger.warn({ err: error }, "reading WhatsApp's new-chat cap failed; kept the last values");
      return;
    }
    if (this.#source === source) this.noteCapping(info);
  }

  async #readLock(source: LimitsSource): Promise<void> {
    this.#lastLockReadAt = this.#options.clock.now();
    const readingsBefore = this.#lockReadings;
    let state: ReachoutTimelockState;
    try {
      state = await source.fetchAccountReachoutTimelock();
    } catch (error) {
      this.#options.logger.warn({ err: error }, "reading WhatsApp's reach-out time lock failed; kept the last values");
      return;
    }
    // Baileys emits the answer as a connection.update before returning it: read once.
    if (this.#source === source && this.#lockReadings === readingsBefore) this.noteLock(state);
  }

  #set(limits: WhatsAppLimits): void {
    this.#limits = limits;
    this.#options.onRead(limits);
  }
}
