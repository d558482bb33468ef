import { minorDigits } from './money.js';

/**
 * Why a price as typed was not accepted. Rendered for people by i18n
 * (money.<reason>).
 */
export type MoneyReason = 'empty' | 'invalid' | 'ambiguous' | 'negative' | 'too_precise' | 'too_large';

export type ParsedMoney = { ok: true; cents: number } | { ok: false; reason: MoneyReason };

export interface ParseMoneyOptions {
  /** ISO 4217 code, already checked (isCurrencyCode); decides how many minor units ("cents") a unit has. Default BRL. */
  currency?: string;
}

const MAX_MINOR = 1_000_000_000_000; // the same ceiling as toMinorUnits: far above any small-shop order
const PLAIN = /^\d{1,16}(?:\.\d{1,30})?$/;
const GROUPED = /^\d{1,3}(?:([.,])\d{3})+$/;

/**
 * A price as a Brazilian types it, or as a program sends it, in integer minor
 * units: "R$ 1.039,90", "R$1.039,90", "1.039,90", "39,90", "1039,9", "R$ 39",
 * "39.90", 39.9. The rule (docs/api.md, "Money"):
 * - a number is always read with its decimal point (39.9 is R$ 39,90);
 * - with both "." and ",", the last one is the decimal separator and the other
 *   one groups thousands ("1.039,90" and "1,039.90" are both 1039.90);
 * - a single separator followed by 1 or 2 digits is the decimal separator
 *   ("39,9", "39.90");
 * - a separator followed by exactly 3 digits and nothing else ("1.039",
 *   "1,039") is refused as ambiguous: a thousands separator to a Brazilian, a
 *   decimal point to a program; "1.039,00" or "1039" say which;
 * - repeated separators of one kind group thousands ("1.039.000").
 * Plain "39.90" (the API's documented form) takes a quick path first.
 */
export function parseMoney(input: string | number, options: ParseMoneyOptions = {}): ParsedMoney {
  const digits = minorDigits(options.currency ?? 'BRL');
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, reason: 'invalid' };
    if (input < 0) return { ok: false, reason: 'negative' };
    const text = String(input);
    // 1e21 and 1e-7 print in exponent form: no shop amount looks like that.
    return /e/i.test(text) ? { ok: false, reason: 'invalid' } : toCents(text, digits);
  }
  // The API's documented form ("39.90", "1039") without the work below; "1.039" is left to it.
  if (PLAIN.test(input) && !(input.length <= 7 && input.indexOf('.') !== -1 && input.length - input.indexOf('.') === 4)) return toCents(input, digits);

  let text = input.replace(/[\s\u00a0\u202f]+/g, '');
  if (text === '') return { ok: false, reason: 'empty' };
  let negative = false;
  if (text.startsWith('-')) {
    negative = true;
    text = text.slice(1);
  }
  text = text.replace(/^(R\$|BRL)/i, '');
  if (text.startsWith('-')) {
    negative = true;
    text = text.slice(1);
  }
  if (!/^\d/.test(text) || !/^[\d.,]+$/.test(text)) return { ok: false, reason: 'invalid' };
  if (negative && /[1-9]/.test(text)) return { ok: false, reason: 'negative' };

  const decimal = readSeparators(text);
  if (!decimal.ok) return decimal;
  return toCents(decimal.plain, digits);
}

/** The text rewritten as digits with at most one "." before the fraction. */
function readSeparators(text: string): { ok: true; plain: string } | { ok: false; reason: MoneyReason } {
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  if (lastDot === -1 && lastComma === -1) return { ok: true, plain: text };

  if (lastDot !== -1 && lastComma !== -1) {
    const decimalAt = Math.max(lastDot, lastComma);
    const whole = text.slice(0, decimalAt);
    const fraction = text.slice(decimalAt + 1);
    const grouping = decimalAt === lastDot ? ',' : '.';
    // The grouping character may appear only before the decimal separator, in groups of three.
    const grouped = GROUPED.exec(whole);
    if (grouped === null || grouped[1] !== grouping || !/^\d+$/.test(fraction)) return { ok: false, reason: 'invalid' };
    return { ok: true, plain: `${whole.replaceAll(grouping, '')}.${fraction}` };
  }

  const separator = lastDot === -1 ? ',' : '.';
  const parts = text.split(separator);
  if (parts.length > 2) {
    return GROUPED.test(text) ? { ok: true, plain: parts.join('') } : { ok: false, reason: 'invalid' };
  }
  const [whole = '', fraction = ''] = parts;
  if (whole === '' || fraction === '' || !/^\d+$/.test(fraction)) return { ok: false, reason: 'invalid' };
  if (fraction.length === 3 && /^[1-9]\d{0,2}$/.test(whole)) return { ok: false, reason: 'ambiguous' };
  return { ok: true, plain: `${whole}.${fraction}` };
}

/** "1039.90" to 103990 without floating-point multiplication. */
function toCents(plain: string, digits: number): ParsedMoney {
  const point = plain.indexOf('.');
  let whole = point === -1 ? plain : plain.slice(0, point);
  if (whole.startsWith('0')) whole = whole.replace(/^0+(?=\d)/, '');
  let fraction = point === -1 ? '' : plain.slice(point + 1);
  while (fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  if (whole.length > 13) return { ok: false, reason: 'too_large' };
  if (fraction.length > digits) return { ok: false, reason: 'too_precise' };
  const cents = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(cents) || cents > MAX_MINOR) return { ok: false, reason: 'too_large' };
  return { ok: true, cents };
}
