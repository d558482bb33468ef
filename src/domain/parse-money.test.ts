import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoney } from './parse-money.js';

describe('parseMoney', () => {
  it.each([
    ['R$ 39,90', 3990],
    ['R$1.039,90', 103990],
    ['1.039,90', 103990],
    ['39,90', 3990],
    ['39.90', 3990],
    [39.9, 3990],
    [39, 3900],
    ['R$ 39', 3900],
    ['1039,9', 103990],
    ['1039', 103900],
    ['1,039.90', 103990],
    ['1.039.000', 103900000],
    ['1.039.000,50', 103900050],
    ['  R$\u00a039,90 ', 3990],
    ['r$ 5', 500],
    ['BRL 12,5', 1250],
    ['0,99', 99],
    ['0', 0],
    ['-0', 0],
    ['1039.900', 103990],
    ['123', 12300],
    ['000000000000000039,90', 3990],
  ] as const)('reads %j as %i cents', (input, cents) => {
    expect(parseMoney(input)).toEqual({ ok: true, cents });
  });

  it.each([
    ['1.039', 'ambiguous'],
    ['1,039', 'ambiguous'],
    ['R$ 999.000', 'ambiguous'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['R$', 'invalid'],
    ['abc', 'invalid'],
    ['39,90 reais', 'invalid'],
    ['1.03,90', 'invalid'],
    ['1.039.90', 'invalid'],
    ['1,039,90', 'invalid'],
    ['1.039,90.5', 'invalid'],
    ['1,03.9', 'invalid'],
    [',90', 'invalid'],
    ['39,', 'invalid'],
    [Number.NaN, 'invalid'],
    [1e21, 'invalid'],
    ['-R$ 5,00', 'negative'],
    ['R$ -5,00', 'negative'],
    [-1, 'negative'],
    ['39,999', 'ambiguous'],
    ['0,039', 'too_precise'],
    ['39,9999', 'too_precise'],
    [39.999, 'too_precise'],
    ['99999999999999', 'too_large'],
  ] as const)('refuses %j as %s', (input, reason) => {
    expect(parseMoney(input)).toEqual({ ok: false, reason });
  });

  it('follows the currency: no cents in yen, three places in dinars', () => {
    expect(parseMoney('1500', { currency: 'JPY' })).toEqual({ ok: true, cents: 1500 });
    expect(parseMoney('15,5', { currency: 'JPY' })).toEqual({ ok: false, reason: 'too_precise' });
    expect(parseMoney('1,5', { currency: 'KWD' })).toEqual({ ok: true, cents: 1500 });
  });

  it('reads every amount written the Brazilian way back to its cents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_99 }), (cents) => {
        const reais = Math.floor(cents / 100);
        const grouped = String(reais).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
        const text = `R$ ${grouped},${String(cents % 100).padStart(2, '0')}`;
        expect(parseMoney(text)).toEqual({ ok: true, cents });
        expect(parseMoney(`${reais}.${String(cents % 100).padStart(2, '0')}`)).toEqual({ ok: true, cents });
      }),
    );
  });
});
