import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatLocalTime, parseDuration, parseLocalTime, parseWeekday } from '../../src/flows/durations.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['30m', 30 * MINUTE],
    ['2h', 2 * HOUR],
    ['3d', 3 * DAY],
    ['1w', 7 * DAY],
    ['1d12h', 36 * HOUR],
    ['1w2d3h4m5s', 9 * DAY + 3 * HOUR + 4 * MINUTE + 5000],
    ['90m', 90 * MINUTE],
    [' 2h ', 2 * HOUR],
    ['0m', 0],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  it.each([
    ['', 'empty'],
    ['  ', 'empty'],
    ['2', 'no_unit'],
    ['1.5', 'no_unit'],
    ['2 h', 'format'],
    ['2H', 'format'],
    ['12h1d', 'format'],
    ['1h1h', 'format'],
    ['2 dias', 'format'],
    ['1mo', 'format'],
    ['-1h', 'format'],
    ['h', 'format'],
    ['1.5h', 'format'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(parseDuration(text)).toEqual({ ok: false, problem });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [30_000, '30s'],
    [90 * MINUTE, '1h30m'],
    [36 * HOUR, '1d12h'],
    [7 * DAY, '1w'],
    [14 * DAY, '2w'],
    [10 * DAY, '10d'],
    [366 * DAY, '366d'],
    [1500, '1s'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('writes what parseDuration reads back, for any whole number of seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400 }), (seconds) => {
        expect(parseDuration(formatDuration(seconds * 1000))).toEqual({ ok: true, value: seconds * 1000 });
      }),
    );
  });
});

describe('parseLocalTime', () => {
  it.each([
    ['00:00', 0],
    ['09:30', 570],
    ['9:30', 570],
    ['23:59', 1439],
    [' 10:00 ', 600],
  ])('reads %j as %i', (text, minutes) => {
    expect(parseLocalTime(text)).toEqual({ ok: true, value: minutes });
  });

  it.each([
    ['24:00', 'out_of_range'],
    ['10:60', 'out_of_range'],
    ['10h', 'format'],
    ['10', 'format'],
    ['10:0', 'format'],
    ['10:00:00', 'format'],
    ['', 'format'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(parseLocalTime(text)).toEqual({ ok: false, problem });
  });

  it('formats back', () => {
    expect(formatLocalTime(570)).toBe('09:30');
    expect(formatLocalTime(0)).toBe('00:00');
  });
});

describe('parseWeekday', () => {
  it.each([
    ['dom', 'sun'],
    ['seg', 'mon'],
    ['ter', 'tue'],
    ['qua', 'wed'],
    ['qui', 'thu'],
    ['sex', 'fri'],
    ['sab', 'sat'],
    ['sáb', 'sat'],
    ['Segunda-feira', 'mon'],
    ['terça', 'tue'],
    ['sun', 'sun'],
    ['MON', 'mon'],
    ['wednesday', 'wed'],
    ['lun', 'mon'],
    ['mar', 'tue'],
    ['mie', 'wed'],
    ['mié', 'wed'],
    ['miércoles', 'wed'],
    ['jue', 'thu'],
    ['vie', 'fri'],
    ['sábado', 'sat'],
  ])('reads %j as %s', (name, day) => {
    expect(parseWeekday(name)).toEqual({ ok: true, value: day });
  });

  it.each(['', 'xyz', 'segundo', 'constructor', 'toString', 'se'])('refuses %j', (name) => {
    expect(parseWeekday(name)).toEqual({ ok: false, problem: 'unknown' });
  });
});
