import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iso, isoTime } from '../../src/http/present.js';

describe('isoTime: what Date.prototype.toISOString gives, written without Date', () => {
  it('for any whole millisecond from 1970 to the end of 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (time) => {
        expect(isoTime(time)).toBe(new Date(time).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('at the edges: the epoch, leap days, the last millisecond of a year, of 2099 and of 9999', () => {
    for (const text of [
      '1970-01-01T00:00:00.000Z',
      '1972-02-29T23:59:59.999Z',
      '2000-02-29T12:00:00.000Z',
      '2026-12-31T23:59:59.999Z',
      '2027-01-01T00:00:00.000Z',
      '2099-12-31T23:59:59.999Z',
      '2100-03-01T00:00:00.007Z',
      '9999-12-31T23:59:59.999Z',
    ]) {
      expect(isoTime(Date.parse(text))).toBe(text);
    }
  });

  it('leaves to Date what it does not write: before 1970, from 10000 on, fractions of a millisecond', () => {
    for (const time of [-1, -62_167_219_200_000, 253_402_300_800_000, 1.5]) {
      expect(isoTime(time)).toBe(new Date(time).toISOString());
    }
  });

  it('iso: null stays null, and a time repeated gives the same text', () => {
    expect(iso(null)).toBeNull();
    const time = Date.parse('2026-12-07T10:00:00.123Z');
    expect(iso(time)).toBe('2026-12-07T10:00:00.123Z');
    expect(iso(time)).toBe('2026-12-07T10:00:00.123Z');
    expect(iso(time + 1)).toBe('2026-12-07T10:00:00.124Z');
  });
});
