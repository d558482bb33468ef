/**
 * How a message is read. It is folded (NFKD, lowercase, accents, variation
 * selectors and skin tones dropped: "NÃO" is "nao", "9️⃣" is "9", "1️⃣0️⃣" is
 * "10", "🔟" is "10") and cut into numbers, words and single symbols. Words are
 * looked up as typed, then with letters repeated three or more times cut to
 * two ("goood"), then to one ("siiim", "naaao"). pt-BR words always count,
 * whatever the locale; the few en/es words that are everyday Portuguese
 * ("no", "dos", "doce") count in their own locale, or when they stand alone.
 * Only the first 4000 characters are searched for the answer (an answer is
 * short; this bounds the work on a 64 KB message); the comment and a text
 * answer are the whole message.
 */
import type { Locale } from '../../i18n/index.js';
import { LOCAL_ONLY, NEGATORS } from './answer-words.js';

export interface Token {
  kind: 'num' | 'word' | 'sym';
  text: string;
  /** Offsets in the folded text. */
  start: number;
  end: number;
}

export interface Reading {
  original: string;
  folded: string;
  /** For each folded character, where the original character it came from ends. */
  ends: number[];
  tokens: Token[];
  locale: Locale;
}

const TOKEN = /\d+(?:[.,]\d+)*|\p{L}+(?:'\p{L}+)*|\S/gu;
const DROPPED = /[\p{M}\p{Cf}\u{1F3FB}-\u{1F3FF}]/gu;
const SPECIAL_CHARS = new Map([['🔟', ' 10 '], ['’', "'"], ['‘', "'"], ['´', "'"], ['`', "'"], ['ʼ', "'"]]);

/**
 * How much of a message is read for an answer: an answer is short, and the
 * rest (a long complaint) is kept whole in the comment and in the customer's
 * messages. Keeps the cost of a 64 KB message small.
 */
export const MAX_READ = 4000;

export function read(original: string, locale: Locale): Reading {
  const { folded, ends } = fold(original.slice(0, MAX_READ));
  const tokens: Token[] = [];
  for (const match of folded.matchAll(TOKEN)) {
    const text = match[0];
    const kind = /^\d/.test(text) ? 'num' : /^\p{L}/u.test(text) ? 'word' : 'sym';
    tokens.push({ kind, text, start: match.index, end: match.index + text.length });
  }
  return { original, folded, ends, tokens, locale };
}

export function fold(original: string): { folded: string; ends: number[] } {
  let folded = '';
  const ends: number[] = [];
  let offset = 0;
  for (const char of original) {
    offset += char.length;
    const out = foldChar(char);
    folded += out;
    for (let i = 0; i < out.length; i++) ends.push(offset);
  }
  return { folded, ends };
}

function foldChar(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x80) return code >= 65 && code <= 90 ? char.toLowerCase() : char;
  return SPECIAL_CHARS.get(char) ?? char.normalize('NFKD').toLowerCase().normalize('NFKD').replace(DROPPED, '');
}

/** Where the original text is at the end of a token (folded offset). */
export function originalOffset(r: Reading, foldedEnd: number): number {
  return foldedEnd <= 0 ? 0 : (r.ends[foldedEnd - 1] ?? r.original.length);
}

/** The same word as typed, with long runs cut to two letters, and to one. */
export function spellings(word: string): string[] {
  return [word, word.replace(/(\p{L})\1{2,}/gu, '$1$1'), word.replace(/(\p{L})\1+/gu, '$1')];
}

function allowedIn(word: string, r: Reading, standalone: boolean): boolean {
  const locales = LOCAL_ONLY.get(word);
  return locales === undefined || standalone || locales.includes(r.locale);
}

export function lookupWord<T>(table: ReadonlyMap<string, T>, r: Reading, index: number): { value: T; word: string } | undefined {
  const token = r.tokens[index];
  if (token?.kind !== 'word') return undefined;
  const next = r.tokens[index + 1];
  const standalone = next === undefined || next.kind === 'sym';
  for (const word of spellings(token.text)) {
    const value = table.get(word);
    if (value !== undefined && allowedIn(word, r, standalone)) return { value, word };
  }
  return undefined;
}

export function isWord(r: Reading, index: number, words: ReadonlySet<string>): boolean {
  const token = r.tokens[index];
  if (token?.kind !== 'word' && token?.kind !== 'sym') return false;
  return spellings(token.text).some((word) => words.has(word) && allowedIn(word, r, false));
}

export interface Hit<T> {
  value: T;
  /** First and last token. */
  first: number;
  last: number;
  /** The word or phrase as listed. */
  key: string;
}

/** Every word, phrase (up to four words) or symbol of the table, longest first, left to right. */
export function findHits<T>(r: Reading, table: ReadonlyMap<string, T>): Hit<T>[] {
  const hits: Hit<T>[] = [];
  for (let i = 0; i < r.tokens.length; i++) {
    const hit = hitAt(r, table, i);
    if (hit) {
      hits.push(hit);
      i = hit.last;
    }
  }
  return hits;
}

function hitAt<T>(r: Reading, table: ReadonlyMap<string, T>, index: number): Hit<T> | undefined {
  const token = r.tokens[index]!;
  if (token.kind === 'sym') {
    const value = table.get(token.text);
    return value === undefined ? undefined : { value, first: index, last: index, key: token.text };
  }
  if (token.kind !== 'word') return undefined;
  for (let count = 4; count >= 2; count--) {
    const words = r.tokens.slice(index, index + count);
    if (words.length < count || words.some((w) => w.kind !== 'word')) continue;
    for (const key of [words.map((w) => w.text).join(' '), words.map((w) => spellings(w.text)[2]).join(' ')]) {
      const value = table.get(key);
      if (value !== undefined) return { value, first: index, last: index + count - 1, key };
    }
  }
  const found = lookupWord(table, r, index);
  return found && { value: found.value, first: index, last: index, key: found.word };
}

/** A negation up to three words before, with no punctuation between. */
export function isNegated(r: Reading, first: number): boolean {
  for (let index = first - 1; index >= first - 3 && r.tokens[index]?.kind === 'word'; index--) {
    if (isWord(r, index, NEGATORS)) return true;
  }
  return false;
}
