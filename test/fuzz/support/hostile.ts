import fc from 'fast-check';

/** Text that has broken parsers, databases and terminals before. */
export const SQL_LOOKING = [
  "' OR '1'='1",
  "'; DROP TABLE customers; --",
  '" OR 1=1 --',
  '1; DELETE FROM messages',
  "' UNION SELECT token FROM sessions --",
  "Robert'); DROP TABLE outbox;--",
  "%' AND 1=0 UNION SELECT sqlite_version() --",
  "1' ORDER BY 99--",
  'null',
  'NULL',
  'undefined',
  '\\',
  '\\\\x27',
  '$1',
  '?',
  ':id',
  '*/ SELECT 1 /*',
  "'||(SELECT hex(randomblob(8)))||'",
];

export const UNICODE_EDGES = [
  '\u0000',
  '\uD800',
  '\uDC00',
  '\uDBFF\uDFFF',
  '\uFEFF',
  '\u202E',
  '\u200B',
  '\u200D',
  'e\u0301',
  '👩‍👩‍👧‍👦',
  '🇧🇷',
  '\uFFFD',
  '\uFFFF',
  '\u2028',
  '\u2029',
  'Ａ',
  '\u00AD',
  '\r\n',
  '\t',
  'İ',
  'ß',
  '𝕏',
  'ǅ',
  '\u0085',
  '\u3000',
  '٣',
  '０１２３',
  'Z̴̡̪̫͖̥̔ͫ̃ͪ̿ͥ̆ͩ',
  '<script>alert(1)</script>',
  '{{ 7*7 }}',
  '{% raw %}',
  '${process.exit()}',
  '../../etc/passwd',
  '%00',
  '%zz',
  '\u001b[31m',
];

/** The keys of prototype pollution, as property names anywhere in a body. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

/** Phone numbers written the many ways people write them (valid and not). */
export const PHONE_LIKE = [
  '(11) 91234-5678',
  '+55 11 91234-5678',
  '+55 (11) 9 1234-5678',
  '5511912345678',
  '11912345678',
  '011 91234-5678',
  '(0xx11) 91234-5678',
  '+5511912345678',
  '91234-5678',
  '(11) 8765-4321',
  '+351 912 345 678',
  '+1 415 555 2671',
  '+52 1 55 1234 5678',
  '+5521987654321',
  '21 98765-4321',
  '+55 11 3456-7890',
  '00 55 11 91234 5678',
  '+55 11 91234-5678 ramal 12',
];

/**
 * Builds each arbitrary once per set of arguments: the fuzz builds them inside `chain` for every
 * case, and building one (fc.oneof of a dozen) costs more than drawing from it.
 */
function once<A extends unknown[], T>(build: (...args: A) => fc.Arbitrary<T>): (...args: A) => fc.Arbitrary<T> {
  const built = new Map<string, fc.Arbitrary<T>>();
  return (...args) => {
    const key = JSON.stringify(args);
    let arbitrary = built.get(key);
    if (!arbitrary) built.set(key, (arbitrary = build(...args)));
    return arbitrary;
  };
}

/** Any text: short and plain, hostile, every Unicode plane, or large. */
export const hostileString = once((maxLength: number = 300): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.string({ maxLength: Math.min(maxLength, 40) }), weight: 4 },
    { arbitrary: fc.string({ unit: 'binary', maxLength }), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: Math.min(maxLength, 60) }), weight: 2 },
    { arbitrary: fc.constantFrom(...SQL_LOOKING), weight: 2 },
    { arbitrary: fc.constantFrom(...UNICODE_EDGES), weight: 2 },
    { arbitrary: fc.constantFrom(...PHONE_LIKE), weight: 2 },
    { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS), weight: 1 },
    { arbitrary: fc.array(fc.constantFrom(...UNICODE_EDGES, ...SQL_LOOKING, 'a', ' ', '9'), { maxLength: 12 }).map((parts) => parts.join('')), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom('x', ' ', '9', 'é', '🇧🇷', '\u0000'), fc.integer({ min: 1, max: 20_000 })).map(([unit, n]) => unit.repeat(n)), weight: 1 },
  ),
);

/** A property name a schema does not know: hostile keys included. */
export const hostileKey = once((): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS), weight: 3 },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
    { arbitrary: fc.constantFrom(...SQL_LOOKING, ...UNICODE_EDGES, '', ' ', 'a.b', 'a[0]', '$where', '__proto__.polluted'), weight: 2 },
  ),
);

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels down. */
export function nested(depth: number, kind: 'array' | 'object', leaf: unknown = 1): unknown {
  let value: unknown = leaf;
  for (let level = 0; level < depth; level++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** `depth` levels of `[` or `{"a":` around `leaf`, as JSON text: deeper than any value the test could build. */
export function deeplyNestedJson(depth: number, kind: 'array' | 'object', leaf = '1'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

/** Any JSON value: small ones of every type, hostile text, huge and odd numbers, deep nesting. */
export const hostileJson = once((): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 5 },
    { arbitrary: hostileString(), weight: 3 },
    { arbitrary: hugeOrOddNumber(), weight: 2 },
    { arbitrary: fc.constantFrom(null, true, false, 0, -1, '', [], {}), weight: 2 },
    // Deeper nesting (100,000 levels) is sent as text: as values, recursion in the test itself would overflow.
    { arbitrary: fc.tuple(fc.integer({ min: 1, max: 300 }), fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => nested(depth, kind)), weight: 1 },
    { arbitrary: fc.dictionary(hostileKey(), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }), weight: 1 },
  ),
);

/** Numbers that are not what a field expects: huge, tiny, negative, fractional, past 2^53. */
export const hugeOrOddNumber = once((): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(1e308, -1e308, 5e-324, -0, 0.1, 1.5, -1, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e21, 123_456_789_012),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
  ),
);

/** Bytes of any kind: random, text in another encoding, or binary signatures. */
export const hostileBytes = once((): fc.Arbitrary<Buffer> =>
  fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
    hostileString().filter((text) => text.length > 0).map((text) => Buffer.from(text, 'utf8')),
    fc.constantFrom(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('%PDF-1.4\n'),
      Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
      Buffer.from('phone=11912345678&items=1'),
      Buffer.from('--x\r\nContent-Disposition: form-data; name="phone"\r\n\r\n11912345678\r\n--x--'),
      Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
    ),
  ),
);

/** How many decimal digits a text holds, in any script (libphonenumber reads several). */
export function countDigits(text: string): number {
  return (text.normalize('NFKC').match(/\p{Nd}/gu) ?? []).length;
}

/**
 * A phone number no parser can make a mobile of: at most one digit, or at
 * most four digits and no letters (letters can be read as digits, as in
 * 1-800-FLOWERS). Shortest mobile numbers anywhere have more digits.
 */
export function isSurelyNotAPhone(text: string): boolean {
  const digits = countDigits(text);
  if (digits <= 1) return true;
  return digits <= 4 && !/\p{L}/u.test(text.normalize('NFKC'));
}

export const invalidPhone = once((): fc.Arbitrary<string | number> =>
  fc.oneof(
    hostileString(60).filter(isSurelyNotAPhone),
    fc.constantFrom('', ' ', '+', '+5', '(11)', '()- ', '9', '+55', '1234', '(1) 2-3', '🇧🇷', "' OR 1=1 --", '\u0000', '٣'),
    fc.integer({ min: 0, max: 9_999 }),
    fc.integer({ min: -(2 ** 53) + 1, max: -1 }),
  ),
);
