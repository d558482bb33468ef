/** Why an amount was not accepted. Rendered for people by i18n (money.<problem>). */
export type MoneyProblem = 'not_a_number' | 'negative' | 'too_precise' | 'too_large';

export type MoneyResult = { ok: true; minor: number } | { ok: false; problem: MoneyProblem; digits: number };

const MAX_MINOR = 1_000_000_000_000; // a trillion cents: far above any small-shop order
const minorDigitsCache = new Map<string, number>();

/** ISO 4217 codes Intl knows, so that "BRL", "USD", "EUR" pass and "BRR" does not. */
export function isCurrencyCode(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
}

let currencies: Set<string> | undefined;

/** How many minor units a currency has: 2 for BRL, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

/**
 * Converts an amount in currency units (49.9, "49.90" or "49,90") into integer
 * minor units (4990) without passing through floating-point multiplication.
 */
export function toMinorUnits(value: number | string, currency: string): MoneyResult {
  const digits = minorDigits(currency);
  const decimal = parseDecimal(value);
  if (!decimal.ok) return { ok: false, problem: decimal.problem, digits };
  if (decimal.fraction.length > digits) return { ok: false, problem: 'too_precise', digits };
  const minor = Number(decimal.whole) * 10 ** digits + Number(decimal.fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor) || minor > MAX_MINOR) return { ok: false, problem: 'too_large', digits };
  return { ok: true, minor };
}

export type Decimal = { ok: true; whole: string; fraction: string } | { ok: false; problem: Exclude<MoneyProblem, 'too_precise'> };

/** A non-negative decimal amount, with "." or "," before the fraction; trailing zeros dropped. */
export function parseDecimal(value: number | string): Decimal {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const match = text === undefined ? null : /^(-?)(\d{1,16})(?:[.,](\d{1,30}))?$/.exec(text);
  if (match === null) return { ok: false, problem: 'not_a_number' };
  const [, sign, whole = '0', fraction = ''] = match;
  if (sign === '-' && /[1-9]/.test(whole + fraction)) return { ok: false, problem: 'negative' };
  const trimmedWhole = whole.replace(/^0+(?=\d)/, '');
  if (trimmedWhole.length > 13) return { ok: false, problem: 'too_large' };
  return { ok: true, whole: trimmedWhole, fraction: fraction.replace(/0+$/, '') };
}

function numberToPlainString(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  // 1e21 and 1e-7 print in exponent form: no shop amount looks like that.
  return /e/i.test(text) ? undefined : text;
}

/** Currency formatters by locale and currency: building one costs more than formatting with it. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * "R$ 79,80": an amount in minor units as a person in `locale` reads it;
 * `rounded` gives "R$ 80", for a summary read at a glance.
 */
export function formatMoney(minor: number, currency: string, locale: string, options: { rounded?: boolean } = {}): string {
  const rounded = options.rounded === true;
  const key = `${locale} ${currency} ${rounded}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, rounded ? { style: 'currency', currency, currencyDisplay: 'narrowSymbol', maximumFractionDigits: 0 } : { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  return format.format(minor / 10 ** minorDigits(currency));
}
