import { describe, expect, it } from 'vitest';
import { isVaguerBirthday, parseBirthday } from './dates.js';

const today = new Date('2026-11-20T12:00:00Z');

describe('parseBirthday', () => {
  it.each([
    ['12/03/1990', '1990-03-12'],
    ['12/3/1990', '1990-03-12'],
    ['1/2/85', '1985-02-01'],
    ['05/06/10', '2010-06-05'],
    ['12.03.1990', '1990-03-12'],
    ['12-03-1990', '1990-03-12'],
    ['1990-03-12', '1990-03-12'],
    ['12/03', '--03-12'],
    ['--03-12', '--03-12'],
    ['29/02', '--02-29'],
    ['29/02/2000', '2000-02-29'],
    [' 12/03/1990 ', '1990-03-12'],
  ])('reads %j as %s', (input, expected) => {
    expect(parseBirthday(input, today)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['março', 'invalid_format'],
    ['', 'invalid_format'],
    ['1990/03/12', 'invalid_format'],
    ['31/02/1990', 'invalid_date'],
    ['29/02/2001', 'invalid_date'],
    ['12/13/1990', 'invalid_date'],
    ['00/01', 'invalid_date'],
    ['01/01/2030', 'in_future'],
    ['01/01/1850', 'too_old'],
  ])('refuses %j: %s', (input, problem) => {
    expect(parseBirthday(input, today)).toEqual({ ok: false, problem });
  });
});

describe('isVaguerBirthday', () => {
  it('tells a day without a year from the same day with one', () => {
    expect(isVaguerBirthday('--03-12', '1990-03-12')).toBe(true);
    expect(isVaguerBirthday('--03-13', '1990-03-12')).toBe(false);
    expect(isVaguerBirthday('1991-03-12', '1990-03-12')).toBe(false);
    expect(isVaguerBirthday('--03-12', null)).toBe(false);
  });
});
