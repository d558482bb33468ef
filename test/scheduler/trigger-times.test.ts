import { describe, expect, it } from 'vitest';
import { startOfLocalDay } from '../../src/domain/local-time.js';
import { atLocalTimeOn, birthdaysGreetedOn, inactiveSinceWindow, isLeapYear, repurchaseWakeAt } from '../../src/scheduler/trigger-times.js';
import { minuteOfDay } from '../helpers/flows.js';

const SP = 'America/Sao_Paulo';
const DAY = 24 * 3600_000;
/** Local midnight of a São Paulo date. */
const day = (date: string) => startOfLocalDay(Date.parse(`${date}T12:00:00-03:00`), SP);
const iso = (time: number) => new Date(time).toISOString();

describe('repurchaseWakeAt', () => {
  it('without a time: exactly N days after the purchase', () => {
    const purchasedAt = Date.parse('2026-11-20T18:47:00-03:00');
    expect(repurchaseWakeAt(purchasedAt, { days: 30, at: null }, SP)).toBe(purchasedAt + 30 * DAY);
  });

  it('with a time: at that local time on the Nth local day, for a morning or a late-evening purchase alike', () => {
    expect(iso(repurchaseWakeAt(Date.parse('2026-11-20T08:00:00-03:00'), { days: 30, at: minuteOfDay('10:00') }, SP))).toBe('2026-12-20T13:00:00.000Z');
    expect(iso(repurchaseWakeAt(Date.parse('2026-11-20T23:30:00-03:00'), { days: 30, at: minuteOfDay('10:00') }, SP))).toBe('2026-12-20T13:00:00.000Z');
  });
});

describe('atLocalTimeOn', () => {
  it('is the local time on that local day', () => {
    expect(iso(atLocalTimeOn(day('2026-11-20'), minuteOfDay('09:30'), SP))).toBe('2026-11-20T12:30:00.000Z');
  });

  it('keeps the day where clocks change at midnight (Santiago: forward on 6 September, back on 5 April 2026)', () => {
    const santiago = (date: string) => startOfLocalDay(Date.parse(`${date}T16:00:00Z`), 'America/Santiago');
    expect(iso(atLocalTimeOn(santiago('2026-09-06'), minuteOfDay('10:00'), 'America/Santiago'))).toBe('2026-09-06T13:00:00.000Z');
    expect(iso(atLocalTimeOn(santiago('2026-04-05'), minuteOfDay('10:00'), 'America/Santiago'))).toBe('2026-04-05T14:00:00.000Z');
  });
});

describe('birthdaysGreetedOn', () => {
  it('on the day itself, and N days before', () => {
    expect(birthdaysGreetedOn(day('2026-11-20'), 0, SP)).toEqual({ year: 2026, monthDays: ['11-20'] });
    expect(birthdaysGreetedOn(day('2026-11-20'), 3, SP)).toEqual({ year: 2026, monthDays: ['11-23'] });
  });

  it('the year is the birthday’s, not the greeting’s: a week before New Year greets next year’s 2 January', () => {
    expect(birthdaysGreetedOn(day('2026-12-26'), 7, SP)).toEqual({ year: 2027, monthDays: ['01-02'] });
  });

  it('29 February is greeted on 1 March in a year without one, and only on 29 February in a leap year', () => {
    expect(birthdaysGreetedOn(day('2027-03-01'), 0, SP)).toEqual({ year: 2027, monthDays: ['03-01', '02-29'] });
    expect(birthdaysGreetedOn(day('2028-02-29'), 0, SP)).toEqual({ year: 2028, monthDays: ['02-29'] });
    expect(birthdaysGreetedOn(day('2028-03-01'), 0, SP)).toEqual({ year: 2028, monthDays: ['03-01'] });
    // Three days ahead of 1 March in a year without 29 February: 26 February.
    expect(birthdaysGreetedOn(day('2027-02-26'), 3, SP)).toEqual({ year: 2027, monthDays: ['03-01', '02-29'] });
  });
});

describe('inactiveSinceWindow', () => {
  it('is the local day exactly N days before', () => {
    const { from, to } = inactiveSinceWindow(day('2026-11-20'), 60, SP);
    expect(iso(from)).toBe('2026-09-21T03:00:00.000Z');
    expect(iso(to)).toBe('2026-09-22T03:00:00.000Z');
  });
});

describe('isLeapYear', () => {
  it.each([
    [2024, true],
    [2026, false],
    [2028, true],
    [1900, false],
    [2000, true],
    [2100, false],
  ])('%i: %s', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });
});
