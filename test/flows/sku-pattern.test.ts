import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesSku, skuPatternToRegExp } from '../../src/flows/sku-pattern.js';

describe('matchesSku', () => {
  it.each<[string[], string, boolean]>([
    // * is any run of characters, empty included.
    [['CAFE-*'], 'CAFE-250', true],
    [['CAFE-*'], 'CAFE-', true],
    [['CAFE-*'], 'CAFE', false],
    [['CAFE-*'], 'XCAFE-250', false],
    [['*-250'], 'CAFE-250', true],
    [['*-250'], 'CAFE-2500', false],
    [['C*E'], 'CAFE', true],
    [['C*E'], 'CE', true],
    [['*'], 'anything at all', true],
    // An item without a SKU is compared as '': only a pattern that accepts the empty text matches it.
    [['*'], '', true],
    [['CAFE-*'], '', false],
    // ? is exactly one character.
    [['FILTRO-?'], 'FILTRO-1', true],
    [['FILTRO-?'], 'FILTRO-12', false],
    [['FILTRO-?'], 'FILTRO-', false],
    [['??'], 'ab', true],
    [['??'], 'a', false],
    // Without case, accents included.
    [['cafe-*'], 'CAFE-250', true],
    [['CAFE-*'], 'cafe-250', true],
    [['CAFÉ-*'], 'café-250', true],
    // The whole SKU: no partial match.
    [['CAFE'], 'CAFE-250', false],
    [['CAFE'], 'MEU-CAFE', false],
    [['CAFE'], 'CAFE', true],
    // Characters that mean something in a regular expression are plain characters here.
    [['A.B'], 'A.B', true],
    [['A.B'], 'AxB', false],
    [['A+B'], 'A+B', true],
    [['A+B'], 'AAB', false],
    [['(X)'], '(X)', true],
    [['[AB]'], '[AB]', true],
    [['[AB]'], 'A', false],
    [['A|B'], 'A|B', true],
    [['A|B'], 'A', false],
    [['^A$'], '^A$', true],
    [['A{2}'], 'A{2}', true],
    [['A{2}'], 'AA', false],
    [['C:\\X'], 'C:\\X', true],
    [['A/B'], 'A/B', true],
    // Any of the patterns.
    [['CAFE-*', 'FILTRO-?'], 'FILTRO-9', true],
    [['CAFE-*', 'FILTRO-?'], 'CHA-1', false],
    [[], 'CAFE-250', false],
  ])('%j matches %j: %s', (patterns, sku, expected) => {
    expect(matchesSku(patterns, sku)).toBe(expected);
  });

  it('compiles each pattern once', () => {
    expect(skuPatternToRegExp('CAFE-*')).toBe(skuPatternToRegExp('CAFE-*'));
  });

  it('a literal pattern (no * or ?) matches itself, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }).filter((text) => !/[*?\n\r\u2028\u2029]/.test(text)), (sku) => {
        expect(matchesSku([sku], sku)).toBe(true);
        expect(matchesSku([sku], `${sku}x`)).toBe(false);
        expect(matchesSku([`${sku}*`], `${sku}-whatever`)).toBe(true);
      }),
    );
  });
});
