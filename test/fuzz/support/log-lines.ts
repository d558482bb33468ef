import { Writable } from 'node:stream';
import fc from 'fast-check';
import { pino } from 'pino';
import { loggerOptions } from '../../../src/logger.js';

// Issue 16: the property behind "logs stay valid JSON whatever is masked". Arbitrary values
// (numbers of any sign and size, fractions and exponents, strings with every escape JSON has and
// lone surrogates, nested objects and arrays, keys of any text) with Brazilian mobiles planted
// among them in every written form, as strings and as numbers, logged through a pino logger built
// with the service's loggerOptions: every line must parse as JSON, and no planted phone may be
// readable in it. Used by test/logger.property.test.ts (npm test, a few hundred cases) and
// test/fuzz/logger.fuzz.test.ts (FUZZ_RUNS cases).

/** Brazil's area codes (DDD): none has a 0. */
const DDDS = [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38, 41, 42, 43, 44, 45, 46, 47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99];

/** A Brazilian mobile: its DDD and its 9 digits (9XXXXXXXX). */
export interface Mobile {
  ddd: string;
  local: string;
}

export const mobile: fc.Arbitrary<Mobile> = fc.record({
  ddd: fc.constantFrom(...DDDS).map(String),
  local: fc.integer({ min: 0, max: 99_999_999 }).map((n) => `9${String(n).padStart(8, '0')}`),
});

/** The forms of a mobile that give it away, to be looked for in a line: its 9 digits, alone or with their hyphen. */
export function leakyForms({ local }: Mobile): string[] {
  return [local, `${local.slice(0, 5)}-${local.slice(5)}`, `${local.slice(0, 5)} ${local.slice(5)}`];
}

/** How people and programs write a mobile: with and without the country code and DDD, formatted or not, as a JID. */
function writtenForms({ ddd, local }: Mobile): string[] {
  const dash = `${local.slice(0, 5)}-${local.slice(5)}`;
  return [`+55 ${ddd} ${dash}`, `+55${ddd}${local}`, `55${ddd}${local}`, `(${ddd}) ${dash}`, `${ddd}${local}`, `${ddd} ${dash}`, dash, `%2B55${ddd}${local}`, `55${ddd}${local}@s.whatsapp.net`];
}

/** Text around a phone: anything (escapes, quotes, backslashes, lone surrogates) that does not make its digits part of a longer number. */
const filler = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('', ' ', '"', '\\', '\n', '\u0000', '\ud83d', '\u2028', '{"x":', ':', ',', '[', 'tel ', 'é'));
const before = filler.filter((text) => !/[\d.]$/.test(text));
const after = filler.filter((text) => !/^[\d.]/.test(text));

/** A value that is a planted phone, as a string in any form or as a number (any sign, with or without a fraction), and the phone. */
export const plantedPhone: fc.Arbitrary<{ value: string | number; phone: Mobile }> = mobile.chain((phone) =>
  fc.oneof(
    fc.tuple(before, fc.constantFrom(...writtenForms(phone)), after).map(([head, form, tail]) => ({ value: `${head}${form}${tail}`, phone })),
    fc.tuple(fc.constantFrom(`55${phone.ddd}${phone.local}`, `${phone.ddd}${phone.local}`), fc.boolean(), fc.constantFrom('', '.25', '.5')).map(([digits, negative, fraction]) => ({ value: Number(`${negative ? '-' : ''}${digits}${fraction}`), phone })),
  ),
);

/** Numbers of every sign and size: exponent forms (1e21 and up, below 1e-6), NaN and the infinities (null in JSON), -0. */
const anyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double({ min: 1e6, max: 1e23, noNaN: true }),
  fc.double({ min: -1e23, max: -1e6, noNaN: true }),
  fc.constantFrom(5.5e12, -5.5e12, 1e21, 5.511912345678e21, 5e-7, -0, Number.MAX_VALUE, Number.MIN_VALUE),
);

/** A value to log, with the phones planted in it (in its values and its keys). */
export interface Case {
  value: unknown;
  message: string;
  phones: Mobile[];
}

const PLANTED = Symbol('planted');
type Planted = { [PLANTED]: true; value: string | number; phone: Mobile };

export const logCase: fc.Arbitrary<Case> = fc
  .tuple(
    fc.anything({
      maxDepth: 4,
      maxKeys: 6,
      key: fc.oneof(fc.string({ unit: 'binary', maxLength: 10 }), plantedPhone.map(({ value, phone }) => `${String(value)}\u0001${phone.ddd}${phone.local}`)),
      values: [
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        anyNumber,
        fc.boolean(),
        fc.constant(null),
        plantedPhone.map((planted): Planted => ({ [PLANTED]: true, ...planted })),
      ],
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withSparseArray: true,
      withTypedArray: true,
    }),
    fc.option(plantedPhone, { nil: undefined }),
    fc.string({ unit: 'binary', maxLength: 20 }),
  )
  .map(([raw, inMessage, text]) => {
    const phones: Mobile[] = [];
    // Planted leaves become their value; a planted key carries its phone after a \u0001 (a
    // generated key of at most 10 characters cannot end in \u0001 and 11 digits), taken off here.
    const unwrap = (node: unknown, depth: number): unknown => {
      if (typeof node !== 'object' || node === null) return node;
      if (PLANTED in node) {
        const planted = node as Planted;
        phones.push(planted.phone);
        return planted.value;
      }
      if (depth > 10 || !(Array.isArray(node) || Object.getPrototypeOf(node) === Object.prototype || Object.getPrototypeOf(node) === null)) return node;
      const result: Record<string, unknown> | unknown[] = Array.isArray(node) ? [] : (Object.create(Object.getPrototypeOf(node) as object | null) as Record<string, unknown>);
      for (const key of Object.keys(node)) {
        let name = key;
        const mark = key.indexOf('\u0001');
        if (mark >= 0 && /^\d{11}$/.test(key.slice(mark + 1))) {
          const digits = key.slice(mark + 1);
          phones.push({ ddd: digits.slice(0, 2), local: digits.slice(2) });
          name = key.slice(0, mark);
        }
        // defineProperty: "__proto__" is a key like any other here.
        Object.defineProperty(result, name, { value: unwrap((node as Record<string, unknown>)[key], depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return result;
    };
    const value = unwrap(raw, 0);
    let message = text;
    if (inMessage) {
      message = `${text} ${String(inMessage.value)}`;
      phones.push(inMessage.phone);
    }
    return { value, message, phones };
  });

/** A pino logger with the service's options writing into memory, and the lines it wrote. */
export function memoryLogger(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  // No time field: a 13-digit clock could hold a planted phone's 9 digits by chance.
  return { log: pino({ ...loggerOptions('trace'), timestamp: false }, stream), lines };
}

/** Logs a case the ways the service logs (fields merged into the line, under a key, as an error's cause) and says what is wrong with the lines, or null. */
export function problemWith(logger: { log: pino.Logger; lines: string[] }, { value, message, phones }: Case): string | null {
  logger.lines.length = 0;
  const { log } = logger;
  let expected = 2;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    log.info(value, message);
    expected += 1;
  }
  log.warn({ value }, message);
  log.child({ context: value }).error(message);
  if (logger.lines.length !== expected) return `wrote ${logger.lines.length} lines, not ${expected}`;
  for (const line of logger.lines) {
    if (!line.endsWith('\n') || line.indexOf('\n') !== line.length - 1) return `not one line: ${JSON.stringify(line)}`;
    try {
      JSON.parse(line);
    } catch (error) {
      return `not JSON (${(error as Error).message}): ${line}`;
    }
    // Searched in the line as written and in its keys and strings as read back (an escape must not
    // hide a phone either). A number's fraction and exponent are left out: the digits of an
    // unrelated 9.999999998e+22 are no phone (a phone's number is its integer part).
    const written = line.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (token) => (token.startsWith('"') ? token : /[eE]/.test(token) ? '0' : token.replace(/\.\d+$/, '')));
    const read = textsOf(JSON.parse(line) as unknown).join('\n');
    for (const phone of phones) {
      for (const form of leakyForms(phone)) {
        if (written.includes(form) || read.includes(form)) return `phone ${phone.ddd} ${phone.local} readable as ${JSON.stringify(form)} in ${line}`;
      }
    }
  }
  return null;
}

/** Every key, string and number of a parsed JSON value, as text. */
function textsOf(value: unknown, texts: string[] = []): string[] {
  if (typeof value === 'string') texts.push(value);
  else if (typeof value === 'number') texts.push(Math.abs(value) < 1e21 ? String(Math.trunc(value)) : '0');
  else if (Array.isArray(value)) for (const item of value) textsOf(item, texts);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      texts.push(key);
      textsOf(item, texts);
    }
  }
  return texts;
}
