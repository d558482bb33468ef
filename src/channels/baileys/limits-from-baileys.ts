import type { CappingStatus, NewChatCap, ReachoutLock } from '../channel.js';

/**
 * WhatsApp's limit signals as Baileys delivers them, in fregues' words (issue 18).
 *
 * `fetchNewChatMessageCap()` and `message-capping.update` hand over the server's
 * JSON unconverted (NewChatMessageCapInfo in Baileys' Types/State.d.ts): every
 * field optional, quotas numbers, cycle times strings of epoch seconds. Nothing
 * checks them on the way, so each field is read on its own and one that is
 * missing or not understood is left out, never thrown on: a reading WhatsApp
 * garbled must not take the connection down, and must not erase what was known.
 */

/** A Map, not an object: a status of "__proto__" or "constructor" must not find Object's own. */
const CAPPING_STATUS: ReadonlyMap<unknown, CappingStatus> = new Map([
  ['NONE', 'none'],
  ['FIRST_WARNING', 'first_warning'],
  ['SECOND_WARNING', 'second_warning'],
  ['CAPPED', 'capped'],
]);

/** Epoch seconds before 2001 or after 5138 are not a cycle time (and a value in ms would be the latter). */
const SECONDS_MIN = 1e9;
const SECONDS_MAX = 1e11;
const KIND_MAX_LENGTH = 100;

/** What one reading of the cap said; a field it did not carry (or carried as junk) is absent. */
export interface CapReading {
  total?: number;
  used?: number;
  cycleStart?: number;
  cycleEnd?: number;
  status?: CappingStatus;
}

/** The fields of a NewChatMessageCapInfo that can be read; null when none can (not an object, or nothing known in it). */
export function readCap(info: unknown): CapReading | null {
  if (!isRecord(info)) return null;
  const reading: CapReading = {};
  const total = countOf(info.total_quota);
  const used = countOf(info.used_quota);
  const cycleStart = epochMsOfSeconds(info.cycle_start_timestamp);
  const cycleEnd = epochMsOfSeconds(info.cycle_end_timestamp);
  const status = CAPPING_STATUS.get(info.capping_status);
  if (total !== null) reading.total = total;
  if (used !== null) reading.used = used;
  if (cycleStart !== null) reading.cycleStart = cycleStart;
  if (cycleEnd !== null) reading.cycleEnd = cycleEnd;
  if (status !== undefined) reading.status = status;
  return Object.keys(reading).length === 0 ? null : reading;
}

/**
 * The cap after a reading: what the reading said, over what was known of the
 * same cycle. A reading of a new cycle starts from nothing (status 'none'), so
 * that last cycle's CAPPED does not outlive it; a field missing from a reading
 * of the same cycle keeps its last value (the safer guess than forgetting it).
 * Null when the payload held nothing readable: the caller keeps what it had.
 */
export function capFromBaileys(info: unknown, previous: NewChatCap | null, readAt: number): NewChatCap | null {
  const reading = readCap(info);
  if (reading === null) return null;
  const sameCycle =
    previous !== null &&
    (reading.cycleStart === undefined || reading.cycleStart === previous.cycleStart) &&
    (reading.cycleEnd === undefined || reading.cycleEnd === previous.cycleEnd);
  const base: Omit<NewChatCap, 'readAt'> = sameCycle ? previous : { total: null, used: null, cycleStart: null, cycleEnd: null, status: 'none' };
  return {
    total: reading.total ?? base.total,
    used: reading.used ?? base.used,
    cycleStart: reading.cycleStart ?? base.cycleStart,
    cycleEnd: reading.cycleEnd ?? base.cycleEnd,
    status: reading.status ?? base.status,
    readAt,
  };
}

/**
 * A ReachoutTimelockState (`connection.update`'s reachoutTimeLock, or what
 * `fetchAccountReachoutTimelock()` returns) as a ReachoutLock. Baileys has
 * already turned the server's seconds into a Date. Null when it cannot say
 * whether the lock is on: the caller keeps what it had.
 */
export function lockFromBaileys(state: unknown, readAt: number): ReachoutLock | null {
  if (!isRecord(state) || typeof state.isActive !== 'boolean') return null;
  const ends = state.timeEnforcementEnds;
  const endsAt = ends instanceof Date && Number.isFinite(ends.getTime()) ? ends.getTime() : null;
  const kind = typeof state.enforcementType === 'string' && state.enforcementType !== '' ? state.enforcementType.slice(0, KIND_MAX_LENGTH) : null;
  return { active: state.isActive, endsAt, kind, readAt };
}

/** WhatsApp Web's version as Baileys takes it ([2, 3000, 1043857760]) in the form people read ("2.3000.1043857760"). */
export function versionText(version: readonly number[]): string {
  return version.join('.');
}

/** A non-negative whole count, as a JSON number or a string of digits. */
function countOf(value: unknown): number | null {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(number) && number >= 0 ? number : null;
}

/** Epoch seconds (a string of digits, or a number) as epoch ms. */
function epochMsOfSeconds(value: unknown): number | null {
  const seconds = countOf(value);
  return seconds !== null && seconds >= SECONDS_MIN && seconds < SECONDS_MAX ? seconds * 1000 : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
