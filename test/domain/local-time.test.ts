import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  atLocal,
  isQuiet,
  localDate,
  localParts,
  nextLocalTime,
  nextSendableTime,
  startOfLocalDay,
  type QuietHours,
  type Weekday,
} from '../../src/domain/local-time.js';

/**
 * São Paulo has had no daylight saving since 2019 (UTC-3 all year). New York
 * in 2026: clocks jump from 02:00 EST to 03:00 EDT on Sunday 8 March, and fall
 * back from 02:00 EDT to 01:00 EST on Sunday 1 November.
 */
const SP = 'America/Sao_Paulo';
const NY = 'America/New_York';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const at = (iso: string) => Date.parse(iso);
const iso = (time: number) => new Date(time).toISOString();
const hm = (text: string) => {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + m!;
};
const EVENING_QUIET: QuietHours = { startMinute: hm('20:00'), endMinute: hm('09:00') };
const LUNCH_QUIET: QuietHours = { startMinute: hm('12:00'), endMinute: hm('14:00') };
const WEEKDAYS_ONLY: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

describe('localParts and localDate', () => {
  // localParts keeps each zone's offset per quarter hour instead of asking Intl every time: it must
  // give what Intl gives at every moment, across changes of offset (whole hours, half hours, 45 minutes).
  const ZONES = [SP, NY, 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu', 'Africa/Casablanca', 'America/Santiago', 'Europe/Lisbon', 'UTC'];
  const formats = new Map(
    ZONES.map((timeZone) => [
      timeZone,
      new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' }),
    ]),
  );
  const intl = (time: number, timeZone: string) => {
    const parts = Object.fromEntries(
      formats
        .get(timeZone)!
        .formatToParts(time)
        .map((part) => [part.type, part.value]),
    );
    return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), minute: Number(parts.hour) * 60 + Number(parts.minute), weekday: parts.weekday!.toLowerCase() };
  };

  it('gives what Intl gives at any moment in any of the zones', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }), (zone, time) => {
        expect(localParts(time, zone)).toEqual(intl(time, zone));
      }),
      { numRuns: 3_000 },
    );
  });

  it('gives what Intl gives minute by minute around each change of offset from 2016 to 2030', () => {
    const offset = (time: number, zone: string) => {
      const p = intl(time, zone);
      return Date.UTC(p.year, p.month - 1, p.day) + p.minute * MINUTE - (time - (time % MINUTE));
    };
    let changes = 0;
    for (const zone of ZONES) {
      // Week by week: no zone changes its offset twice in a week.
      for (let week = Date.UTC(2016, 0, 1); week < Date.UTC(2030, 0, 1); week += 7 * 24 * HOUR) {
        if (offset(week, zone) === offset(week + 7 * 24 * HOUR, zone)) continue;
        // The minute the offset changed, then every minute (and some odd seconds) an hour either side.
        let [low, high] = [week, week + 7 * 24 * HOUR];
        while (high - low > MINUTE) {
          const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
          if (offset(middle, zone) === offset(low, zone)) low = middle;
          else high = middle;
        }
        changes += 1;
        for (let time = high - HOUR; time <= high + HOUR; time += MINUTE) {
          for (const second of [0, 1_000, 59_999]) expect(localParts(time + second, zone), `${zone} ${iso(time + second)}`).toEqual(intl(time + second, zone));
        }
      }
    }
    // São Paulo until 2019, New York, Lord Howe, Chatham, Casablanca, Santiago and Lisbon change every year.
    expect(changes).toBeGreaterThan(150);
  });

  it.each([
    // moment (UTC), zone, year, month, day, local time, weekday
    ['2026-11-20T13:00:00Z', SP, 2026, 11, 20, '10:00', 'fri'],
    ['2026-11-21T02:59:00Z', SP, 2026, 11, 20, '23:59', 'fri'],
    ['2026-11-21T03:00:00Z', SP, 2026, 11, 21, '00:00', 'sat'],
    ['2027-01-01T02:59:59Z', SP, 2026, 12, 31, '23:59', 'thu'],
    ['2026-01-15T14:00:00Z', NY, 2026, 1, 15, '09:00', 'thu'],
    ['2026-07-15T13:00:00Z', NY, 2026, 7, 15, '09:00', 'wed'],
    // Spring forward: 01:59 EST is followed by 03:00 EDT.
    ['2026-03-08T06:59:00Z', NY, 2026, 3, 8, '01:59', 'sun'],
    ['2026-03-08T07:00:00Z', NY, 2026, 3, 8, '03:00', 'sun'],
    // Fall back: 01:30 happens twice, an hour apart.
    ['2026-11-01T05:30:00Z', NY, 2026, 11, 1, '01:30', 'sun'],
    ['2026-11-01T06:30:00Z', NY, 2026, 11, 1, '01:30', 'sun'],
    ['2026-11-01T07:00:00Z', NY, 2026, 11, 1, '02:00', 'sun'],
  ] as const)('%s in %s is %i-%i-%i %s (%s)', (moment, zone, year, month, day, time, weekday) => {
    expect(localParts(at(moment), zone)).toEqual({ year, month, day, minute: hm(time), weekday });
  });

  it.each([
    ['2026-11-21T02:59:00Z', SP, '2026-11-20'],
    ['2026-11-21T03:00:00Z', SP, '2026-11-21'],
    ['2026-01-05T12:00:00Z', SP, '2026-01-05'],
    ['2026-03-08T04:59:00Z', NY, '2026-03-07'],
    ['2026-03-08T05:00:00Z', NY, '2026-03-08'],
    ['2026-11-02T04:59:00Z', NY, '2026-11-01'],
  ] as const)('localDate(%s, %s) is %s, padded', (moment, zone, date) => {
    expect(localDate(at(moment), zone)).toBe(date);
  });
});

describe('atLocal', () => {
  it.each([
    [SP, 2026, 11, 20, '10:00', '2026-11-20T13:00:00.000Z'],
    [SP, 2026, 1, 1, '00:00', '2026-01-01T03:00:00.000Z'],
    [SP, 2026, 12, 31, '23:59', '2027-01-01T02:59:00.000Z'],
    [SP, 2028, 2, 29, '09:00', '2028-02-29T12:00:00.000Z'],
    [NY, 2026, 1, 15, '09:00', '2026-01-15T14:00:00.000Z'],
    [NY, 2026, 7, 15, '09:00', '2026-07-15T13:00:00.000Z'],
    // Around the spring-forward gap.
    [NY, 2026, 3, 8, '01:59', '2026-03-08T06:59:00.000Z'],
    [NY, 2026, 3, 8, '03:00', '2026-03-08T07:00:00.000Z'],
    [NY, 2026, 3, 8, '09:00', '2026-03-08T13:00:00.000Z'],
    // Around the fall-back repeat: a repeated time gives its first occurrence (EDT).
    [NY, 2026, 11, 1, '00:59', '2026-11-01T04:59:00.000Z'],
    [NY, 2026, 11, 1, '01:00', '2026-11-01T05:00:00.000Z'],
    [NY, 2026, 11, 1, '01:30', '2026-11-01T05:30:00.000Z'],
    [NY, 2026, 11, 1, '01:59', '2026-11-01T05:59:00.000Z'],
    [NY, 2026, 11, 1, '02:00', '2026-11-01T07:00:00.000Z'],
    [NY, 2026, 11, 1, '09:00', '2026-11-01T14:00:00.000Z'],
  ] as const)('in %s, %i-%i-%i %s is %s', (zone, year, month, day, time, expected) => {
    expect(iso(atLocal(year, month, day, hm(time), zone))).toBe(expected);
  });

  it('a time in the spring-forward gap lands after the gap, on the same day, less than an hour late', () => {
    const result = atLocal(2026, 3, 8, hm('02:30'), NY);
    expect(result).toBeGreaterThanOrEqual(at('2026-03-08T07:00:00Z'));
    expect(result).toBeLessThan(at('2026-03-08T08:00:00Z'));
    expect(localDate(result, NY)).toBe('2026-03-08');
  });

  it('a time in the spring-forward gap is moved forward by the gap, as Date does (02:30 gives 03:30 EDT)', () => {
    expect(iso(atLocal(2026, 3, 8, hm('02:30'), NY))).toBe('2026-03-08T07:30:00.000Z');
  });

  it('gives back the local date and time it was asked for, for every existing minute of a DST year', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 364 }),
        fc.integer({ min: 0, max: 1439 }),
        fc.constantFrom(SP, NY, 'Europe/Lisbon', 'UTC'),
        (dayOfYear, minute, zone) => {
          const date = new Date(Date.UTC(2026, 0, 1 + dayOfYear));
          const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
          const result = atLocal(year, month, day, minute, zone);
          const parts = localParts(result, zone);
          const skipped = parts.minute !== minute;
          if (skipped) {
            // Only a spring-forward gap may move it, and then forward by less than an hour.
            expect(parts.minute - minute).toBeGreaterThan(0);
            expect(parts.minute - minute).toBeLessThanOrEqual(60);
          }
          expect({ year: parts.year, month: parts.month, day: parts.day }).toEqual({ year, month, day });
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('startOfLocalDay', () => {
  it.each([
    ['2026-11-20T13:00:00Z', SP, 0, '2026-11-20T03:00:00.000Z'],
    ['2026-11-20T02:00:00Z', SP, 0, '2026-11-19T03:00:00.000Z'],
    ['2026-11-20T13:00:00Z', SP, 1, '2026-11-21T03:00:00.000Z'],
    ['2026-11-20T13:00:00Z', SP, -1, '2026-11-19T03:00:00.000Z'],
    ['2026-12-31T15:00:00Z', SP, 1, '2027-01-01T03:00:00.000Z'],
    ['2028-02-28T15:00:00Z', SP, 1, '2028-02-29T03:00:00.000Z'],
    ['2027-02-28T15:00:00Z', SP, 1, '2027-03-01T03:00:00.000Z'],
    // The spring-forward day has 23 hours, the fall-back day 25.
    ['2026-03-08T15:00:00Z', NY, 0, '2026-03-08T05:00:00.000Z'],
    ['2026-03-08T15:00:00Z', NY, 1, '2026-03-09T04:00:00.000Z'],
    ['2026-11-01T15:00:00Z', NY, 0, '2026-11-01T04:00:00.000Z'],
    ['2026-11-01T15:00:00Z', NY, 1, '2026-11-02T05:00:00.000Z'],
    ['2026-11-02T15:00:00Z', NY, -1, '2026-11-01T04:00:00.000Z'],
  ] as const)('startOfLocalDay(%s, %s, %i) is %s', (moment, zone, days, expected) => {
    expect(iso(startOfLocalDay(at(moment), zone, days))).toBe(expected);
  });

  it('makes the spring-forward day 23 hours long and the fall-back day 25', () => {
    const spring = startOfLocalDay(at('2026-03-08T15:00:00Z'), NY);
    const fall = startOfLocalDay(at('2026-11-01T15:00:00Z'), NY);
    expect(startOfLocalDay(spring, NY, 1) - spring).toBe(23 * HOUR);
    expect(startOfLocalDay(fall, NY, 1) - fall).toBe(25 * HOUR);
  });
});

describe('nextLocalTime', () => {
  it.each<[string, string, string, Weekday[] | null, string]>([
    // From Friday 20 Nov 2026, 10:00 in São Paulo.
    ['2026-11-20T13:00:00Z', SP, '09:00', null, '2026-11-21T12:00:00.000Z'],
    ['2026-11-20T13:00:00Z', SP, '10:00', null, '2026-11-20T13:00:00.000Z'],
    ['2026-11-20T13:00:00Z', SP, '11:00', null, '2026-11-20T14:00:00.000Z'],
    ['2026-11-20T13:00:00Z', SP, '00:00', null, '2026-11-21T03:00:00.000Z'],
    ['2026-11-20T13:00:00Z', SP, '09:00', ['mon'], '2026-11-23T12:00:00.000Z'],
    ['2026-11-20T13:00:00Z', SP, '10:00', ['fri'], '2026-11-20T13:00:00.000Z'],
    ['2026-11-20T13:00:00Z', SP, '09:00', ['fri'], '2026-11-27T12:00:00.000Z'],
    ['2026-11-20T13:00:00Z', SP, '09:00', ['sat', 'sun'], '2026-11-21T12:00:00.000Z'],
    ['2026-11-20T13:00:00Z', SP, '09:00', ['sun', 'wed'], '2026-11-22T12:00:00.000Z'],
    // Late on Saturday: Sunday is next.
    ['2026-11-21T23:00:00Z', SP, '08:00', null, '2026-11-22T11:00:00.000Z'],
    // New York, across the spring-forward night: 22 hours from Saturday 10:00 EST to Sunday 09:00 EDT.
    ['2026-03-07T15:00:00Z', NY, '09:00', null, '2026-03-08T13:00:00.000Z'],
    // Across the fall-back night: 24 + 1 hours.
    ['2026-10-31T14:00:00Z', NY, '09:00', null, '2026-11-01T14:00:00.000Z'],
    ['2026-10-31T14:00:00Z', NY, '09:00', ['mon'], '2026-11-02T14:00:00.000Z'],
  ])('from %s in %s, the next %s on %j is %s', (from, zone, time, weekdays, expected) => {
    expect(iso(nextLocalTime(at(from), hm(time), zone, weekdays))).toBe(expected);
  });

  it('skips a local time that does not exist to a moment after the gap that same night', () => {
    const result = nextLocalTime(at('2026-03-07T12:00:00Z'), hm('02:30'), NY);
    expect(localDate(result, NY)).toBe('2026-03-08');
    expect(localParts(result, NY).minute).toBeGreaterThanOrEqual(hm('03:00'));
  });

  it('a repeated local time, asked before it happens, gives its first occurrence', () => {
    expect(iso(nextLocalTime(at('2026-11-01T04:00:00Z'), hm('01:30'), NY))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('from 01:45 EDT on the fall-back night, the next 01:30 is the repeated 01:30 EST', () => {
    expect(iso(nextLocalTime(at('2026-11-01T05:45:00Z'), hm('01:30'), NY))).toBe('2026-11-01T06:30:00.000Z');
  });

  it('is always at or after `from`, at the local time asked, on an allowed day, and within the week', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-01-01T00:00:00Z') }),
        // Away from the New York gap (02:00–03:00), which has no such minute.
        fc.integer({ min: 0, max: 1439 }).filter((minute) => minute < 120 || minute >= 180),
        fc.option(fc.subarray<Weekday>(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], { minLength: 1 }), { nil: null }),
        fc.constantFrom(SP, NY),
        (from, minute, weekdays, zone) => {
          const result = nextLocalTime(from, minute, zone, weekdays);
          expect(result).toBeGreaterThanOrEqual(from);
          expect(result - from).toBeLessThanOrEqual(8 * 24 * HOUR);
          const parts = localParts(result, zone);
          expect(parts.minute).toBe(minute);
          if (weekdays) expect(weekdays).toContain(parts.weekday);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('isQuiet', () => {
  it.each<[string, QuietHours | null, boolean]>([
    // Quiet hours across midnight, 20:00–09:00: start inside, end outside.
    ['19:59', EVENING_QUIET, false],
    ['20:00', EVENING_QUIET, true],
    ['23:59', EVENING_QUIET, true],
    ['00:00', EVENING_QUIET, true],
    ['08:59', EVENING_QUIET, true],
    ['09:00', EVENING_QUIET, false],
    ['12:00', EVENING_QUIET, false],
    // Quiet hours within a day, 12:00–14:00.
    ['11:59', LUNCH_QUIET, false],
    ['12:00', LUNCH_QUIET, true],
    ['13:59', LUNCH_QUIET, true],
    ['14:00', LUNCH_QUIET, false],
    ['02:00', LUNCH_QUIET, false],
    ['22:00', LUNCH_QUIET, false],
    // None.
    ['03:00', null, false],
  ])('%s local with %j is quiet: %s', (time, quiet, expected) => {
    const moment = atLocal(2026, 11, 20, hm(time), SP);
    expect(isQuiet(moment, quiet, SP)).toBe(expected);
  });

  it('reads the local time of the zone it is given, DST included', () => {
    // 00:30 UTC on 10 July is 20:30 EDT in New York (quiet) and 21:30 in São Paulo (quiet);
    // 13:30 UTC is 09:30 EDT (not quiet) and 10:30 in São Paulo.
    expect(isQuiet(at('2026-07-10T00:30:00Z'), EVENING_QUIET, NY)).toBe(true);
    expect(isQuiet(at('2026-07-10T13:30:00Z'), EVENING_QUIET, NY)).toBe(false);
    // 13:30 UTC on 10 January is 08:30 EST: still quiet in winter.
    expect(isQuiet(at('2026-01-10T13:30:00Z'), EVENING_QUIET, NY)).toBe(true);
  });
});

describe('nextSendableTime', () => {
  // 2026-11-20 is a Friday; São Paulo is UTC-3.
  it.each<[string, string, QuietHours | null, Weekday[] | null, string]>([
    ['Friday 10:00, nothing in the way', '2026-11-20T13:00:00Z', EVENING_QUIET, null, '2026-11-20T13:00:00.000Z'],
    ['Friday 20:30, quiet: Saturday 09:00', '2026-11-20T23:30:00Z', EVENING_QUIET, null, '2026-11-21T12:00:00.000Z'],
    ['Saturday 03:00, quiet after midnight: 09:00 that day', '2026-11-21T06:00:00Z', EVENING_QUIET, null, '2026-11-21T12:00:00.000Z'],
    ['Friday 08:59:59, quiet: 09:00', '2026-11-20T11:59:59Z', EVENING_QUIET, null, '2026-11-20T12:00:00.000Z'],
    ['Friday 13:00 at lunch: 14:00', '2026-11-20T16:00:00Z', LUNCH_QUIET, null, '2026-11-20T17:00:00.000Z'],
    ['Friday 22:00 with lunch quiet hours: now', '2026-11-21T01:00:00Z', LUNCH_QUIET, null, '2026-11-21T01:00:00.000Z'],
    ['Friday 20:30, weekdays only: Monday 09:00', '2026-11-20T23:30:00Z', EVENING_QUIET, WEEKDAYS_ONLY, '2026-11-23T12:00:00.000Z'],
    ['Saturday 10:00, weekdays only: Monday 09:00', '2026-11-21T13:00:00Z', EVENING_QUIET, WEEKDAYS_ONLY, '2026-11-23T12:00:00.000Z'],
    ['Sunday 23:00, weekdays only: Monday 09:00', '2026-11-23T02:00:00Z', EVENING_QUIET, WEEKDAYS_ONLY, '2026-11-23T12:00:00.000Z'],
    ['Tuesday 10:00, mon/wed/fri: Wednesday 09:00', '2026-11-24T13:00:00Z', EVENING_QUIET, ['mon', 'wed', 'fri'], '2026-11-25T12:00:00.000Z'],
    ['Saturday 10:00, weekdays, no quiet hours: Monday 00:00', '2026-11-21T13:00:00Z', null, WEEKDAYS_ONLY, '2026-11-23T03:00:00.000Z'],
    ['Saturday 10:00, Saturday allowed: now', '2026-11-21T13:00:00Z', EVENING_QUIET, ['sat'], '2026-11-21T13:00:00.000Z'],
  ])('%s', (_name, from, quiet, days, expected) => {
    expect(iso(nextSendableTime(at(from), quiet, days, SP))).toBe(expected);
  });

  it.each<[string, string, string]>([
    // Saturday 21:00 EST, before the spring-forward night: Sunday 09:00 EDT.
    ['spring forward', '2026-03-08T02:00:00Z', '2026-03-08T13:00:00.000Z'],
    // Saturday 21:00 EDT, before the fall-back night: Sunday 09:00 EST.
    ['fall back', '2026-11-01T01:00:00Z', '2026-11-01T14:00:00.000Z'],
  ])('in New York, across the %s night, the quiet hours end at 09:00 local', (_name, from, expected) => {
    expect(iso(nextSendableTime(at(from), EVENING_QUIET, null, NY))).toBe(expected);
  });

  it('gives the first minute that is neither quiet nor on a day off', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-01-01T00:00:00Z') }).map((time) => time - (time % MINUTE)),
        fc.constantFrom(SP, NY),
        fc.constantFrom<QuietHours | null>(EVENING_QUIET, LUNCH_QUIET, null),
        fc.option(fc.subarray<Weekday>(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], { minLength: 1 }), { nil: null }),
        (from, zone, quiet, days) => {
          const sendable = (time: number) => !isQuiet(time, quiet, zone) && (!days || days.includes(localParts(time, zone).weekday));
          const result = nextSendableTime(from, quiet, days, zone);
          expect(result).toBeGreaterThanOrEqual(from);
          expect(sendable(result)).toBe(true);
          // Nothing earlier would have done: the minute before is either before `from` or not sendable.
          if (result > from) expect(sendable(result - MINUTE)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
