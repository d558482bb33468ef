import {
  parsePhoneNumberWithError,
  ParseError,
  getCountries,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import { Metadata } from 'libphonenumber-js/core';
import { parsePhoneNumberWithError as parseWithMobileMetadata } from 'libphonenumber-js/mobile';
import mobileMetadata from 'libphonenumber-js/mobile/metadata';

export type { CountryCode };

/** Why a typed phone number was not accepted. Rendered for people by i18n (phone.<problem>). */
export type PhoneProblem =
  | 'empty'
  | 'not_a_number'
  | 'invalid_country'
  | 'too_short'
  | 'too_long'
  | 'missing_area_code'
  | 'invalid'
  | 'not_mobile';

export type PhoneResult =
  | { ok: true; e164: string; country: CountryCode | undefined }
  | { ok: false; problem: PhoneProblem };

/** Types that can hold a WhatsApp account; US-style plans cannot tell the two apart. */
const MOBILE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

export function isCountryCode(value: string): value is CountryCode {
  return COUNTRY_CODES.has(value);
}

/** libphonenumber's countries, once: isSupportedCountry builds its metadata object on every call (65 ns against 2). */
const COUNTRY_CODES: ReadonlySet<string> = new Set(getCountries());

/**
 * Turns what a seller types ("(11) 91234-5678", "+55 11 9 1234 5678",
 * "5511912345678", "011 91234-5678", "(0xx11) 91234-5678") into E.164.
 * Only numbers that can receive WhatsApp messages (mobile) are accepted.
 */
export function normalizePhone(input: string, defaultCountry: CountryCode = 'BR'): PhoneResult {
  // Before the cache: this check costs less than looking a number up among thousands.
  const quick = quickBrazilianMobile(input, defaultCountry);
  if (quick) return quick;
  const key = `${defaultCountry} ${input}`;
  const cached = recent.get(key);
  if (cached !== undefined) return cached;
  const result = older.get(key) ?? Object.freeze(normalizeUncached(input, defaultCountry));
  remember(key, result);
  return result;
}

/**
 * Answers for numbers seen lately: a shop sees the same customers again and again,
 * and parsing a number is costly. Two generations of GENERATION answers (about 2 MB):
 * a full recent one becomes the older one, and an answer found there moves back.
 * Not one Map that deletes its oldest key: V8 keeps a hole per deleted entry and
 * `keys().next()` walks them all, about 30 µs per new number once full.
 */
let recent = new Map<string, PhoneResult>();
let older = new Map<string, PhoneResult>();
const GENERATION = 10_000;

function remember(key: string, result: PhoneResult): void {
  if (recent.size >= GENERATION) {
    older = recent;
    recent = new Map();
  }
  recent.set(key, result);
}

function normalizeUncached(input: string, defaultCountry: CountryCode): PhoneResult {
  const text = cleanTypedNumber(input);
  if (text === '') return { ok: false, problem: 'empty' };
  if (!/\d/.test(text)) return { ok: false, problem: 'not_a_number' };
  return quickBrazilianMobile(text, defaultCountry) ?? quickMobile(text, defaultCountry) ?? normalizeThoroughly(text, defaultCountry);
}

/**
 * The most common case, without parsing: a Brazilian number in E.164 ("+5511912345678"),
 * as shop systems send it. libphonenumber strips nothing from it (Brazil's national
 * prefix starts 0 or 90, no area code does) and finds it valid exactly when it matches
 * Brazil's patterns in the mobile metadata quickMobile uses: the general one, then one
 * number type whose lengths include its own. Those very patterns are asked here, compiled
 * once: under 1 µs, where parsing costs 10 to 25. Anything else goes to libphonenumber
 * (undefined); a test holds both to the same answers.
 */
export function quickBrazilianMobile(text: string, defaultCountry: CountryCode): PhoneResult | undefined {
  if (text.length !== 14 || !BRAZILIAN_E164.test(text) || brazil === undefined) return undefined;
  // libphonenumber refuses any number with a default country it does not know, "+55" ones too.
  if (!isCountryCode(defaultCountry)) return undefined;
  const national = text.slice(3);
  if (!brazil.general.test(national)) return undefined;
  return brazil.types.some((type) => type.lengths.includes(national.length) && type.pattern.test(national))
    ? Object.freeze({ ok: true, e164: text, country: 'BR' })
    : undefined;
}

/** "+55", an area code (two digits, no 0), nine more digits. */
const BRAZILIAN_E164 = /^\+55[1-9]{2}\d{9}$/;

/** The number types getNumberType tries, in its order; which of them Brazil has depends on the metadata. */
const NUMBER_TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

interface PlanPatterns {
  general: RegExp;
  types: { pattern: RegExp; lengths: number[] }[];
}

/** libphonenumber's numbering plan, as far as its typings leave it out. */
interface NumberingPlanReader {
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | undefined;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

/** Brazil's patterns in the mobile metadata; undefined (quick path off) if it reads otherwise than expected. */
const brazil = ((): PlanPatterns | undefined => {
  try {
    // The country of every "+55" number is then Brazil, without looking at its digits.
    if (mobileMetadata.country_calling_codes['55']?.join() !== 'BR') return undefined;
    const metadata = new Metadata(mobileMetadata);
    metadata.selectNumberingPlan('BR');
    const plan = metadata.numberingPlan as unknown as NumberingPlanReader;
    if (plan.nationalPrefixForParsing() !== '(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\\d{10,11}))?') return undefined;
    const entirely = (pattern: string) => new RegExp(`^(?:${pattern})$`);
    const types = NUMBER_TYPES.flatMap((name) => {
      const type = plan.type(name);
      const pattern = type?.pattern();
      // A type without possible lengths would be checked by pattern alone: not expected for Brazil.
      const lengths = type?.possibleLengths();
      if (pattern && !lengths) throw new Error(`${name} without possible lengths`);
      return pattern && lengths ? [{ pattern: entirely(pattern), lengths }] : [];
    });
    return { general: entirely(plan.nationalNumberPattern()), types };
  } catch {
    return undefined;
  }
})();

/**
 * The common case, cheaply: libphonenumber's "mobile" metadata knows only the
 * number types that can be mobiles, so a number valid under it is a valid
 * mobile. Checking every type with the full metadata costs about four times
 * as much, and is left for numbers this does not accept.
 */
function quickMobile(text: string, defaultCountry: CountryCode): PhoneResult | undefined {
  try {
    const parsed = parseWithMobileMetadata(text, defaultCountry);
    return parsed.isValid() ? { ok: true, e164: parsed.number, country: parsed.country } : undefined;
  } catch {
    return undefined;
  }
}

/** With the full metadata: repairs old habits, and says why a number is refused. */
export function normalizeThoroughly(text: string, defaultCountry: CountryCode): PhoneResult {
  let parsed: PhoneNumber;
  try {
    parsed = parsePhoneNumberWithError(text, defaultCountry);
  } catch (error) {
    return { ok: false, problem: problemFromParseError(error) };
  }

  const fixed = parsed.isValid() ? parsed : repairKnownMistakes(parsed, defaultCountry);
  if (!fixed) return { ok: false, problem: problemFromInvalid(parsed, defaultCountry) };
  const type = fixed.getType();
  if (type === undefined || !MOBILE_TYPES.has(type)) return { ok: false, problem: 'not_mobile' };
  return { ok: true, e164: fixed.number, country: fixed.country };
}

function cleanTypedNumber(input: string): string {
  return input
    .normalize('NFKC')
    .trim()
    // "(0xx11)" is how Brazilian numbers were printed when the carrier code was variable.
    .replace(/^\(?\s*0\s*xx\s*/i, '0')
    .replace(/\s+/g, ' ');
}

function problemFromParseError(error: unknown): PhoneProblem {
  if (!(error instanceof ParseError)) return 'invalid';
  switch (error.message) {
    case 'INVALID_COUNTRY':
      return 'invalid_country';
    case 'TOO_SHORT':
      return 'too_short';
    case 'TOO_LONG':
      return 'too_long';
    case 'NOT_A_NUMBER':
      return 'not_a_number';
    default:
      return 'invalid';
  }
}

function problemFromInvalid(parsed: PhoneNumber, defaultCountry: CountryCode): PhoneProblem {
  const national = parsed.nationalNumber;
  if (national.length < 8) return 'too_short';
  if (parsed.countryCallingCode === '55' && defaultCountry === 'BR' && national.length <= 9) {
    return 'missing_area_code';
  }
  if (!parsed.isPossible()) {
    const tooLong = national.length > 11 || parsed.number.length > 16;
    return tooLong ? 'too_long' : 'too_short';
  }
  return 'invalid';
}

/**
 * Old habits that produce a number WhatsApp still knows:
 * - Brazil: mobiles written without the ninth digit, "(11) 8765-4321".
 * - Mexico: mobiles written with the old "1" after +52.
 */
function repairKnownMistakes(parsed: PhoneNumber, defaultCountry: CountryCode): PhoneNumber | undefined {
  const national = parsed.nationalNumber;
  if (parsed.countryCallingCode === '55' && national.length === 10 && /^[6-9]$/.test(national[2] ?? '')) {
    return tryParse(`+55${national.slice(0, 2)}9${national.slice(2)}`, defaultCountry);
  }
  if (parsed.countryCallingCode === '52' && national.length === 11 && national.startsWith('1')) {
    return tryParse(`+52${national.slice(1)}`, defaultCountry);
  }
  return undefined;
}

function tryParse(text: string, defaultCountry: CountryCode): PhoneNumber | undefined {
  try {
    const candidate = parsePhoneNumberWithError(text, defaultCountry);
    return candidate.isValid() ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An E.164 number as people write it: in the national format for numbers of
 * the shop's own country ("(11) 91234-5678"), internationally otherwise
 * ("+351 912 345 678"). A number libphonenumber cannot read is shown as stored.
 */
export function formatPhoneForPeople(e164: string, homeCountry: CountryCode = 'BR'): string {
  try {
    const parsed = parsePhoneNumberWithError(e164);
    return parsed.country === homeCountry ? parsed.formatNational() : parsed.formatInternational();
  } catch {
    return e164;
  }
}

/**
 * Brazil's area codes (DDD), as Anatel assigns them: 67 two-digit codes, none
 * with a 0. Only a number under one of them is a Brazilian mobile whose ninth
 * digit may be missing.
 */
const BRAZIL_AREA_CODES = new Set([
  11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38, 41, 42, 43, 44, 45, 46, 47,
  48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85, 86, 87,
  88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99,
]);

/**
 * The one E.164 form of a person's number. WhatsApp still addresses many
 * Brazilian mobiles from before the ninth digit (2012-2016) without it:
 * "553199668527@s.whatsapp.net" is the same account as +55 31 99966-8527.
 * So "+55" + a real area code + eight digits starting 6-9 (a mobile; landlines
 * start 2-5 and never took the 9) becomes the 13-digit form. Every other
 * number, landlines and other countries included, is returned as it is.
 */
export function canonicalPhone(e164: string): string {
  if (e164.length !== 13 || !e164.startsWith('+55')) return e164;
  if (!/^\+55\d{2}[6-9]\d{7}$/.test(e164)) return e164;
  if (!BRAZIL_AREA_CODES.has(Number(e164.slice(3, 5)))) return e164;
  return `+55${e164.slice(3, 5)}9${e164.slice(5)}`;
}

/** The 12-digit form WhatsApp may use for a Brazilian mobile, or null when the number has no other form. */
export function phoneWithoutNinthDigit(e164: string): string | null {
  if (!/^\+55\d{2}9[6-9]\d{7}$/.test(e164) || !BRAZIL_AREA_CODES.has(Number(e164.slice(3, 5)))) return null;
  return `+55${e164.slice(3, 5)}${e164.slice(6)}`;
}

/** The wa.me address that opens a chat with `e164` in one tap ("" without a number). */
export function waMeLink(e164: string | null): string {
  if (e164 === null) return '';
  const digits = e164.replace(/\D/g, '');
  return digits === '' ? '' : `https://wa.me/${digits}`;
}

/**
 * A click-to-chat link: WhatsApp opens a chat with the shop's number and
 * `text` already typed, and the customer only presses send (their message
 * makes the conversation warm). Null without the shop's number.
 */
export function clickToChatLink(shopE164: string | null, text: string): string | null {
  const base = waMeLink(shopE164);
  return base === '' ? null : `${base}?text=${encodeURIComponent(text)}`;
}
