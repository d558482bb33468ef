/**
 * When the date-based triggers fire, in the shop's time zone (pure): the
 * repurchase reminder after a purchase, and for each local day the birthdays
 * it greets and the purchases that make a customer inactive that day. Local
 * days are read at their noon, so that a DST change at midnight cannot move
 * a day into the one before.
 */
import { atLocal, localParts, startOfLocalDay } from '../domain/local-time.js';
import type { LocalTime } from '../flows/flow-types.js';
import { pad2 } from '../domain/dates.js';

const DAY = 24 * 3600_000;

/** N days after the purchase; with `at`, at that local time on the Nth local day after it. */
export function repurchaseWakeAt(purchasedAt: number, trigger: { days: number; at: LocalTime | null }, timezone: string): number {
  if (trigger.at === null) return purchasedAt + trigger.days * DAY;
  const day = localParts(startOfLocalDay(purchasedAt, timezone, trigger.days) + DAY / 2, timezone);
  return atLocal(day.year, day.month, day.day, trigger.at, timezone);
}

/** The local time `at` on the local day that starts at `day` (a local midnight). */
export function atLocalTimeOn(day: number, at: LocalTime, timezone: string): number {
  const parts = localParts(day + DAY / 2, timezone);
  return atLocal(parts.year, parts.month, parts.day, at, timezone);
}

/**
 * The birthdays greeted on the local day `day`, `daysBefore` days ahead: the
 * year of the birthday (each year's greeting is its own enrolment) and the
 * month-days ("MM-DD") to look for. A birthday on 29 February is greeted on
 * 1 March in the years without one.
 */
export function birthdaysGreetedOn(day: number, daysBefore: number, timezone: string): { year: number; monthDays: string[] } {
  const birthday = localParts(startOfLocalDay(day, timezone, daysBefore) + DAY / 2, timezone);
  const monthDays = [`${pad2(birthday.month)}-${pad2(birthday.day)}`];
  if (birthday.month === 3 && birthday.day === 1 && !isLeapYear(birthday.year)) monthDays.push('02-29');
  return { year: birthday.year, monthDays };
}

/** The last purchases that make a customer `days` days inactive on the local day `day`: those in [from, to). */
export function inactiveSinceWindow(day: number, days: number, timezone: string): { from: number; to: number } {
  return { from: startOfLocalDay(day, timezone, -days), to: startOfLocalDay(day, timezone, -days + 1) };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
