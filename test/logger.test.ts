import { describe, expect, it } from 'vitest';
import { maskPhonesInText } from '../src/logger.js';

describe('maskPhonesInText', () => {
  it.each([
    ['+5511912345678', '+55*******5678'],
    ['ligar para +55 11 91234-5678 hoje', 'ligar para +55 ** *****-5678 hoje'],
    ['"url":"/x?to=%2B5511912345678"', '"url":"/x?to=%2B55*******5678"'],
    ['5511912345678@s.whatsapp.net', '*********5678@s.whatsapp.net'],
    ['5511912345678:3@s.whatsapp.net', '*********5678:3@s.whatsapp.net'],
    ['123456789012345@lid', '***********2345@lid'],
    ['numero 5511912345678 salvo', 'numero *********5678 salvo'],
    ['cel 11912345678', 'cel *******5678'],
    ['(11) 91234-5678', '(**) *****-5678'],
    ['+14155552671', '+14*****2671'],
  ])('masks %j', (input, expected) => {
    expect(maskPhonesInText(input)).toBe(expected);
  });

  it.each([
    '{"level":30,"time":1795363485311,"pid":4355}',
    'listening on 127.0.0.1:3000',
    '"responseTime":15.654732999999851',
    'purchase 42 total 122020 cents',
  ])('leaves other numbers alone: %j', (input) => {
    expect(maskPhonesInText(input)).toBe(input);
  });
});
