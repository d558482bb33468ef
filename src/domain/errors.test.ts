import { describe, expect, it } from 'vitest';
import { messageOf } from './errors.js';

describe('messageOf', () => {
  it.each([
    [new Error('disk full'), 'disk full'],
    [new TypeError('not a function'), 'not a function'],
    ['a thrown string', 'a thrown string'],
    [463, '463'],
    [undefined, 'undefined'],
  ])('%o reads as %s', (error, text) => {
    expect(messageOf(error)).toBe(text);
  });
});
