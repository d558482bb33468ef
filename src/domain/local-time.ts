/**
 * The shop's local time, for a shop that lives in one time zone (TIMEZONE)
 * while the program counts epoch milliseconds. Daylight-saving changes are
 * handled by asking Intl for the offset at the moment in question.
 */

export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  /** Minutes after local midnight. */
  minute: number;
  weekday: Weekday;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export function localParts(time: number, timeZone: string): LocalParts {
  const offset = Number.isFinite(time) ? cachedOffset(time, timeZone) : undefined;
  if (offset === undefined) {
    const { year, month, day, minute, weekday } = intlParts(time, timeZone);
    return { year, month, day, minute, weekday };
  }
  const local = new Date(time + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    minute: local.getUTCHours() * 60 + local.getUTCMinutes(),
    weekday: WEEKDAYS[local.getUTCDay()]!,
  };
}

/** Asking Intl costs microseconds, and flows ask for every message: offsets are kept per quarter hour. */
const BLOCK = 15 * MINUTE;
const offsets = new Map<string, Map<number, number | null>>();

/**
 * The zone's offset over the quarter hour `time` falls in, when it is the same
 * at both ends of it (no zone changes its offset twice within 15 minutes, so
 * then it holds throughout); undefined for the rare quarter hour with a change in it.
 */
function cachedOffset(time: number, timeZone: string): number | undefined {
  let zone = offsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  const block = Math.floor(time / BLOCK);
  let offset = zone.get(block);
  if (offset === undefined) {
    const start = block * BLOCK;
    const first = exactOffsetAt(start, timeZone);
    offset = first === exactOffsetAt(start + BLOCK - 1000, timeZone) ? first : null;
    if (zone.size >= 10_000) zone.clear();
    zone.set(block, offset);
  }
  return offset ?? undefined;
}

/** The offset at a whole second, to the second. */
function exactOffsetAt(time: number, timeZone: string): number {
  const p = intlParts(time, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, Math.floor(p.minute / 60), p.minute % 60, p.second) - time;
}

function intlParts(time: number, timeZone: string): LocalParts & { second: number } {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(time)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    second: Number(parts.second),
    weekday: (parts.weekday ?? 'Sun').slice(0, 3).toLowerCase() as Weekday,
  };
}

/** "2026-11-22": the local date of a moment. */
export function localDate(time: number, timeZone: string): string {
  const { year, month, day } = localParts(time, timeZone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** How far the zone is ahead of UTC at that moment, in ms (São Paulo: -3 h). */
function offsetAt(time: number, timeZone: string): number {
  const p = localParts(time, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, Math.floor(p.minute / 60), p.minute % 60);
  return asUtc - (time - (time % MINUTE));
}

/**
 * The moment a local date and time happens. A time skipped by a DST change is
 * moved forward by the gap, as Date and Temporal's "compatible" do (02:30 on
 * a night that jumps from 02:00 to 03:00 gives 03:30); a repeated one gives
 * its first occurrence.
 */
export function atLocal(year: number, month: number, day: number, minute: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day, Math.floor(minute / 60), minute % 60);
  let guess = naive - offsetAt(naive, timeZone);
  // A second pass settles guesses made across an offset change.
  guess = naive - offsetAt(guess, timeZone);
  const check = localParts(guess, timeZone);
  if (check.minute !== minute) {
    // The wanted minute does not exist (clocks jumped forward): shift it by the gap, as Date does.
    const before = naive - offsetAt(guess - 3 * 60 * MINUTE, timeZone);
    const after = naive - offsetAt(guess + 3 * 60 * MINUTE, timeZone);
    return Math.max(before, after);
  }
  return guess;
}

/** Local midnight of the day `days` after the local day of `time`. */
export function startOfLocalDay(time: number, timeZone: string, days = 0): number {
  const p = localParts(time, timeZone);
  const date = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return atLocal(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), 0, timeZone);
}

/**
 * The first moment at or after `from` that is at local time `minute` on one of
 * `weekdays` (any day when null).
 */
export function nextLocalTime(from: number, minute: number, timeZone: string, weekdays: readonly Weekday[] | null = null): number {
  for (let days = 0; days <= 8; days += 1) {
    const dayStart = startOfLocalDay(from, timeZone, days);
    const p = localParts(dayStart + DAY / 2, timeZone);
    if (weekdays && !weekdays.includes(p.weekday)) continue;
    const candidate = atLocal(p.year, p.month, p.day, minute, timeZone);
    if (candidate >= from) return candidate;
    // On a fall-back night the time may happen a second time, later than `from`.
    const shift = offsetAt(candidate, timeZone) - offsetAt(candidate + 3 * 60 * MINUTE, timeZone);
    if (shift > 0 && candidate + shift >= from && localParts(candidate + shift, timeZone).minute === minute) return candidate + shift;
  }
  throw new Error(`no local time ${minute} on ${weekdays?.join(',') ?? 'any day'} within a week`);
}

export interface QuietHours {
  startMinute: number;
  endMinute: number;
}

/** Whether a moment falls in the quiet hours (which may span midnight: 20:00–09:00). */
export function isQuiet(time: number, quiet: QuietHours | null, timeZone: string): boolean {
  if (!quiet) return false;
  const { minute } = localParts(time, timeZone);
  return quiet.startMinute < quiet.endMinute
    ? minute >= quiet.startMinute && minute < quiet.endMinute
    : minute >= quiet.startMinute || minute < quiet.endMinute;
}

/** The first moment at or after `time` outside the quiet hours and on an allowed day. */
export function nextSendableTime(time: number, quiet: QuietHours | null, days: readonly Weekday[] | null, timeZone: string): number {
  let at = time;
  for (let guard = 0; guard < 16; guard += 1) {
    const p = localParts(at, timeZone);
    if (days && !days.includes(p.weekday)) {
      at = startOfLocalDay(at, timeZone, 1);
      continue;
    }
    if (!isQuiet(at, quiet, timeZone)) return at;
    at = nextLocalTime(at, quiet!.endMinute, timeZone);
  }
  return at;
}
