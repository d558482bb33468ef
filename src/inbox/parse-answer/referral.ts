/**
 * referral: the friends' numbers, E.164, joined by "," (and each with the name
 * found for it). Runs of digits, spaces, "+", "()", "." and "-" are split at
 * spaces and read greedily, longest first, with normalizePhone: so "11 91234
 * 5678 21 98888 7777" is two numbers, and "9 1234-5678" (no area code) is
 * skipped. A name is up to three words that look like one (not a relation or
 * filler word such as "minha amiga", "o zap dela é"; capitalised, when the
 * message has any capital letter), found either before each number or after
 * each, whichever finds more names (before on a tie). A number given twice is
 * listed once, with the first name found for it. Referrals have no comment.
 */
import { normalizePhone, type CountryCode } from '../../domain/phone.js';
import { LAUGHTER, NOT_NAMES } from './answer-words.js';
import { fold, MAX_READ } from './reading.js';
import { fail, type ParsedAnswer } from './types.js';

interface PhoneFound {
  phone: string;
  start: number;
  end: number;
}

interface Chunk {
  start: number;
  end: number;
  digits: number;
}

const PHONE_RUN = /\+?\(?\d[\d\s().-]*\d/g;
const MAX_DIGITS = 15;

export function parseReferral(typed: string, country: CountryCode): ParsedAnswer {
  // "(0xx11)": how numbers were printed when the carrier code was variable.
  const text = typed.slice(0, MAX_READ).replace(/0\s*xx\s*(?=\d)/gi, '0');
  const phones = findPhones(text, country);
  if (phones.length === 0) return fail('no_phone');
  const names = namesFor(text, phones);
  const referrals: { name: string | null; phone: string }[] = [];
  phones.forEach((found, k) => {
    const known = referrals.find((referral) => referral.phone === found.phone);
    if (!known) referrals.push({ name: names[k] ?? null, phone: found.phone });
    else known.name ??= names[k] ?? null;
  });
  return { ok: true, value: referrals.map((referral) => referral.phone).join(','), referrals };
}

function findPhones(text: string, country: CountryCode): PhoneFound[] {
  const found: PhoneFound[] = [];
  for (const run of text.matchAll(PHONE_RUN)) {
    const chunks = [...run[0].matchAll(/\S+/g)].map((m) => ({
      start: run.index + m.index,
      end: run.index + m.index + m[0].length,
      digits: m[0].replace(/\D/g, '').length,
    }));
    for (let i = 0; i < chunks.length; ) {
      const phone = longestPhoneFrom(text, chunks, i, country);
      if (phone) found.push(phone.found);
      i = phone ? phone.next : i + 1;
    }
  }
  return found;
}

function longestPhoneFrom(text: string, chunks: Chunk[], i: number, country: CountryCode): { found: PhoneFound; next: number } | undefined {
  let end = i;
  let digits = 0;
  while (end < chunks.length && digits + chunks[end]!.digits <= MAX_DIGITS) digits += chunks[end++]!.digits;
  for (let j = end; j > i; j--) {
    const [start, stop] = [chunks[i]!.start, chunks[j - 1]!.end];
    const candidate = text.slice(start, stop);
    if (candidate.replace(/\D/g, '').length < 8) return undefined;
    const result = normalizePhone(candidate, country);
    if (result.ok) return { found: { phone: result.e164, start, end: stop }, next: j };
  }
  return undefined;
}

interface NameWord {
  text: string;
  start: number;
  end: number;
}

/** The names next to the numbers: all before, or all after, whichever finds more. */
function namesFor(text: string, phones: PhoneFound[]): (string | null)[] {
  const capitals = /\p{Lu}/u.test(text);
  const before = phones.map((phone, k) => nameBefore(text.slice(k === 0 ? 0 : phones[k - 1]!.end, phone.start), capitals));
  const after = phones.map((phone, k) => nameAfter(text.slice(phone.end, phones[k + 1]?.start ?? text.length), capitals));
  const count = (names: (string | null)[]) => names.filter((name) => name !== null).length;
  return count(after) > count(before) ? after : before;
}

function nameWords(segment: string): NameWord[] {
  return [...segment.matchAll(/\p{L}[\p{L}'’]*/gu)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

function looksLikeName(word: NameWord, capitals: boolean): boolean {
  const folded = fold(word.text).folded;
  if (folded.length < 2 || NOT_NAMES.has(folded) || LAUGHTER.test(folded)) return false;
  return !capitals || /^\p{Lu}/u.test(word.text);
}

const NAME_PARTICLES = new Set(['da', 'de', 'do', 'das', 'dos']);
const MAX_SKIPPED = 5;

function nameBefore(segment: string, capitals: boolean): string | null {
  const words = nameWords(segment).reverse();
  const at = words.findIndex((word, k) => k <= MAX_SKIPPED && looksLikeName(word, capitals));
  if (at < 0) return null;
  const name = collectName(segment, words.slice(at), capitals).reverse();
  return segment.slice(name[0]!.start, name[name.length - 1]!.end);
}

function nameAfter(segment: string, capitals: boolean): string | null {
  const words = nameWords(segment);
  const at = words.findIndex((word, k) => k <= 2 && looksLikeName(word, capitals));
  if (at < 0) return null;
  const name = collectName(segment, words.slice(at), capitals);
  return segment.slice(name[0]!.start, name[name.length - 1]!.end);
}

/** From a first name word on, up to three name words (and "da", "de"... between them), with only spaces between. */
function collectName(segment: string, words: NameWord[], capitals: boolean): NameWord[] {
  const name = [words[0]!];
  for (let k = 1; k < words.length && name.filter((w) => !NAME_PARTICLES.has(w.text)).length < 3; k++) {
    const [word, previous] = [words[k]!, words[k - 1]!];
    const gap = word.start > previous.start ? segment.slice(previous.end, word.start) : segment.slice(word.end, previous.start);
    if (gap.trim() !== '') break;
    if (looksLikeName(word, capitals)) name.push(word);
    else if (NAME_PARTICLES.has(word.text) && words[k + 1] && looksLikeName(words[k + 1]!, capitals)) name.push(word);
    else break;
  }
  return name;
}
