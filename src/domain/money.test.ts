import { describe, expect, it } from 'vitest';
import { formatMoney, isCurrencyCode, toMinorUnits } from './money.js';

describe('toMinorUnits', () => {
  it.each([
    [49.9, 'BRL', 4990],
    ['49.90', 'BRL', 4990],
    ['49,90', 'BRL', 4990],
    [0.3, 'BRL', 30],
    [1.15, 'BRL', 115],
    [1004.99, 'BRL', 100499],
    ['1200', 'BRL', 120000],
    [0, 'BRL', 0],
    ['-0', 'BRL', 0],
    ['49.900', 'BRL', 4990],
    [1500, 'JPY', 1500],
    ['1.234', 'KWD', 1234],
  ] as const)('%j %s is %i minor units', (value, currency, expected) => {
    expect(toMinorUnits(value, currency)).toEqual({ ok: true, minor: expected });
  });

  it.each([
    ['abc', 'BRL', 'not_a_number'],
    ['1.234,56', 'BRL', 'not_a_number'],
    ['R$ 10', 'BRL', 'not_a_number'],
    [Number.NaN, 'BRL', 'not_a_number'],
    [Number.POSITIVE_INFINITY, 'BRL', 'not_a_number'],
    [1e21, 'BRL', 'not_a_number'],
    [-5, 'BRL', 'negative'],
    ['49.999', 'BRL', 'too_precise'],
    ['10.5', 'JPY', 'too_precise'],
    ['99999999999999', 'BRL', 'too_large'],
    // A float that is not the decimal it looks like is refused, not rounded.
    [0.1 + 0.2, 'BRL', 'too_precise'],
  ] as const)('%j %s is refused: %s', (value, currency, problem) => {
    expect(toMinorUnits(value, currency)).toMatchObject({ ok: false, problem });
  });
});

describe('isCurrencyCode', () => {
  it('knows ISO 4217 codes', () => {
    expect(isCurrencyCode('BRL')).toBe(true);
    expect(isCurrencyCode('USD')).toBe(true);
    expect(isCurrencyCode('brl')).toBe(false);
    expect(isCurrencyCode('XYZ')).toBe(false);
  });
});

describe('formatMoney', () => {
  it.each([
    [7980, 'BRL', 'pt-BR', {}, 'R$ 79,80'],
    [7980, 'BRL', 'pt-BR', { rounded: true }, 'R$ 80'],
    [1500, 'JPY', 'pt-BR', {}, 'JP¥ 1.500'],
    [12345, 'USD', 'en', {}, '$123.45'],
    [12345, 'EUR', 'es', {}, '123,45 €'],
  ])('%d %s in %s %o is %s', (minor, currency, locale, options, expected) => {
    expect(formatMoney(minor, currency, locale, options).replace(/\s/g, ' ')).toBe(expected);
  });
});
