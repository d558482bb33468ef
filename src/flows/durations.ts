/**
 * Durations, local times and weekdays as sellers write them in flows:
 * "1d12h", "09:30", "seg". Pure; the schema turns a problem into a message.
 */
import type { LocalTime, Weekday } from './flow-types.js';

export type Parsed<T, Problem extends string> = { ok: true; value: T } | { ok: false; problem: Problem };

/** no_unit: a bare number ("2"), the most common slip; format: anything else. */
export type DurationProblem = 'empty' | 'no_unit' | 'format';
export type LocalTimeProblem = 'format' | 'out_of_range';
export type WeekdayProblem = 'unknown';

const UNIT_MS = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;
type Unit = keyof typeof UNIT_MS;
const UNITS = Object.keys(UNIT_MS) as Unit[];

/** Each unit at most once, largest first: "1d12h", never "12h1d" or "1h1h". */
const DURATION = /^(?:(\d{1,6})w)?(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,6})s)?$/;

/** "30m" → 1 800 000, "1d12h" → 129 600 000; zero is a valid duration here (the schema decides where it is not). */
export function parseDuration(text: string): Parsed<number, DurationProblem> {
  const value = text.trim();
  if (value === '') return { ok: false, problem: 'empty' };
  if (/^\d+(?:[.,]\d+)?$/.test(value)) return { ok: false, problem: 'no_unit' };
  const match = DURATION.exec(value);
  if (!match) return { ok: false, problem: 'format' };
  let ms = 0;
  UNITS.forEach((unit, index) => {
    const amount = match[index + 1];
    if (amount !== undefined) ms += Number(amount) * UNIT_MS[unit];
  });
  return { ok: true, value: ms };
}

/** The notation parseDuration reads: 129 600 000 → "1d12h", 0 → "0s". Whole seconds; a remainder below one second is dropped. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.floor(ms / 1000)) * 1000;
  // Weeks only when exact: "10d" reads better than "1w3d".
  const units: Unit[] = rest % UNIT_MS.w === 0 ? UNITS : UNITS.slice(1);
  let text = '';
  for (const unit of units) {
    const amount = Math.floor(rest / UNIT_MS[unit]);
    if (amount > 0) text += `${amount}${unit}`;
    rest -= amount * UNIT_MS[unit];
  }
  return text === '' ? '0s' : text;
}

/** "09:30" → 570; "9:30" is accepted too. */
export function parseLocalTime(text: string): Parsed<LocalTime, LocalTimeProblem> {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return { ok: false, problem: 'format' };
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return { ok: false, problem: 'out_of_range' };
  return { ok: true, value: hours * 60 + minutes };
}

/** 570 → "09:30". */
export function formatLocalTime(minutes: LocalTime): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Week order, for sorting the weekdays of a wait. */
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * Portuguese, English and Spanish names, short or long, without case or
 * accents. No name means two days: "dom" and "sab" are the same day in
 * Portuguese and Spanish, and Portuguese has no "mar".
 */
const WEEKDAY_NAMES: Record<string, Weekday> = {};
const NAMES: Record<Weekday, string[]> = {
  sun: ['sun', 'sunday', 'dom', 'domingo'],
  mon: ['mon', 'monday', 'seg', 'segunda', 'segunda-feira', 'lun', 'lunes'],
  tue: ['tue', 'tuesday', 'ter', 'terca', 'terca-feira', 'mar', 'martes'],
  wed: ['wed', 'wednesday', 'qua', 'quarta', 'quarta-feira', 'mie', 'miercoles'],
  thu: ['thu', 'thursday', 'qui', 'quinta', 'quinta-feira', 'jue', 'jueves'],
  fri: ['fri', 'friday', 'sex', 'sexta', 'sexta-feira', 'vie', 'viernes'],
  sat: ['sat', 'saturday', 'sab', 'sabado'],
};
for (const day of WEEKDAYS) for (const name of NAMES[day]) WEEKDAY_NAMES[name] = day;

/** "seg", "Segunda-feira", "lun", "mon" → 'mon'. */
export function parseWeekday(name: string): Parsed<Weekday, WeekdayProblem> {
  const key = name
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
  const day = Object.hasOwn(WEEKDAY_NAMES, key) ? WEEKDAY_NAMES[key] : undefined;
  return day === undefined ? { ok: false, problem: 'unknown' } : { ok: true, value: day };
}
