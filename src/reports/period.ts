/**
 * The weeks a report covers: ISO weeks ("2026-W47", Monday to Sunday) in the
 * shop's TIMEZONE, so that "last week" starts at the shop's Monday midnight,
 * not UTC's.
 */
import { atLocal, localParts } from '../domain/local-time.js';

export interface Week {
  /** "2026-W47". */
  id: string;
  /** Monday 00:00 local, inclusive (epoch ms). */
  from: number;
  /** The next Monday 00:00 local, exclusive. */
  to: number;
  /** The Monday's local date, for labels. */
  monday: { year: number; month: number; day: number };
}

const WEEK_ID = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

/** Reads "2026-W47"; undefined for anything else, or a week the year does not have. */
export function parseWeek(id: string, timeZone: string): Week | undefined {
  const match = WEEK_ID.exec(id);
  if (!match) return undefined;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (week < 1 || week > isoWeeksIn(year)) return undefined;
  // ISO week 1 is the week with the year's first Thursday: its Monday is at most 3 days before 4 January.
  const jan4 = Date.UTC(year, 0, 4);
  const mondayOfWeek1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  const monday = new Date(mondayOfWeek1 + (week - 1) * 7 * DAY_MS);
  return weekFromMonday(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone);
}

/** The week a moment falls in, in the zone. */
export function weekOf(time: number, timeZone: string): Week {
  const local = localParts(time, timeZone);
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day));
  const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
  return weekFromMonday(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone);
}

/** The week `count` weeks before (or after, when negative). */
export function weeksBefore(week: Week, count: number, timeZone: string): Week {
  const monday = new Date(Date.UTC(week.monday.year, week.monday.month - 1, week.monday.day) - count * 7 * DAY_MS);
  return weekFromMonday(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone);
}

function weekFromMonday(year: number, month: number, day: number, timeZone: string): Week {
  const next = new Date(Date.UTC(year, month - 1, day) + 7 * DAY_MS);
  // The ISO year is the year of the week's Thursday.
  const thursday = new Date(Date.UTC(year, month - 1, day) + 3 * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const firstThursday = Date.UTC(isoYear, 0, 1 + ((4 - new Date(Date.UTC(isoYear, 0, 1)).getUTCDay() + 7) % 7));
  const number = Math.round((thursday.getTime() - firstThursday) / (7 * DAY_MS)) + 1;
  return {
    id: `${isoYear}-W${String(number).padStart(2, '0')}`,
    from: atLocal(year, month, day, 0, timeZone),
    to: atLocal(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, timeZone),
    monday: { year, month, day },
  };
}

/** 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or is a leap year starting on a Wednesday. */
function isoWeeksIn(year: number): number {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
}
