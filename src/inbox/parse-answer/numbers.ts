/**
 * One number of a message, as people type it: digits ("9", "10.000", "8,5",
 * "-1", "2a"), number words ("dez", "nine", "once"), the ends of the scale
 * ("nota máxima"), a run of stars ("★★★"), a thousand-or-more word ("mil", "10
 * mil", "um milhão"), with its unit ("5 estrelas", "9 pontos", "8 e meio").
 * Which of them are scores is decided in scores.ts.
 */
import {
  ARTICLE_LIKE,
  HALF_PHRASES,
  NUMBER_WORDS,
  ORDINAL_WORDS,
  SCALE_END_PHRASES,
  SCORE_UNIT_WORDS,
} from './answer-words.js';
import { isWord, lookupWord, spellings, type Reading, type Token } from './reading.js';

export interface NumberRules {
  /** The bottom of the scale ("nota mínima"). */
  min: number;
  /** The top of the scale ("9/10", "0 a 10"); for a choice, the number of options. */
  max: number;
  /** Where a scale written out may start ("de 0 a 10", "1 a 10"); none for a choice. */
  scaleStarts: number[];
  stars: boolean;
  /** "2a", "segunda": picks for a choice, not scores. */
  ordinals: boolean;
  /** "nota mil", "💯", "100/10": praise beyond the scale reads as its top (see readPraise); scores only. */
  praise: boolean;
}

export interface NumberItem {
  value: number;
  first: number;
  last: number;
  article: boolean;
  ordinal: boolean;
  excluded: boolean;
  /** Read as the top of the scale because of how it is written ("nota mil", "💯", "100/10", "10/10" on csat). */
  praise: boolean;
  /**
   * A number beyond every scale: `digits` a power of ten from 1000 ("1000", "10.000"), `words` with a
   * thousand/million word ("mil", "10 mil", "um milhão"), `compound` a thousand and more ("mil e quinhentos").
   */
  big: 'no' | 'digits' | 'words' | 'compound';
}

export const STARS = new Set(['⭐', '★', '🌟']);
const HUNDRED_POINTS = '💯';
/** A thousand and more, and beyond: see readPraise. Folded, as typed ("milhão" is "milhao"). */
const BIG_WORDS: ReadonlyMap<string, number> = new Map([
  ['mil', 1e3], ['milhao', 1e6], ['milhoes', 1e6], ['bilhao', 1e9], ['bilhoes', 1e9], ['trilhao', 1e12], ['trilhoes', 1e12],
  ['millon', 1e6], ['millones', 1e6], ['billon', 1e12],
  ['thousand', 1e3], ['million', 1e6], ['millions', 1e6], ['billion', 1e9], ['trillion', 1e12], ['zillion', 1e12],
  ['infinito', Infinity], ['infinita', Infinity], ['infinite', Infinity], ['infinity', Infinity],
]);
const BIG_WORD_START = /^(?:mi|bi|tr|th|in|zi)/;
const ENGLISH_BIG_WORDS = new Set(['thousand', 'million', 'millions', 'billion', 'trillion', 'zillion']);
/** After "mil": "mil e quinhentos", "mil quinhentos" is a compound number, not the idiom. */
const AND_WORDS = new Set(['e', 'y', 'and']);
const HUNDREDS = new Set([
  'cem', 'cento', 'duzentos', 'duzentas', 'trezentos', 'trezentas', 'quatrocentos', 'quatrocentas', 'quinhentos',
  'quinhentas', 'seiscentos', 'seiscentas', 'setecentos', 'setecentas', 'oitocentos', 'oitocentas', 'novecentos',
  'novecentas', 'cien', 'ciento', 'doscientos', 'trescientos', 'cuatrocientos', 'quinientos', 'seiscientos',
  'setecientos', 'ochocientos', 'novecientos', 'hundred',
]);
const ORDINAL_SUFFIXES = new Set(['o', 'a', 'os', 'as', 'st', 'nd', 'rd', 'th', '°']);

export function numberAt(r: Reading, index: number, rules: NumberRules): NumberItem | undefined {
  const token = r.tokens[index]!;
  // `value` is in the base so that each spread below only overwrites: on Node 20 a spread followed by a
  // property the source lacks takes V8's slow path (about 1 µs each, for every word of every reply).
  const base: NumberItem = { first: index, last: index, value: 0, article: false, ordinal: false, excluded: false, praise: false, big: 'no' };
  if (token.kind === 'num') return withBigWord(r, digitsAt(r, index, base), rules);
  if (token.kind === 'sym') {
    if (rules.praise && token.text === HUNDRED_POINTS) return { ...base, value: rules.max, praise: true };
    if (rules.praise && token.text === '∞') return withBigWord(r, { ...base, value: Infinity, big: 'words' }, rules);
    return rules.stars && STARS.has(token.text) ? starsAt(r, index, base) : undefined;
  }
  const end = scaleEndAt(r, index);
  if (end) return { ...base, value: end.which === 'max' ? rules.max : rules.min, last: end.last };
  const word = lookupWord(NUMBER_WORDS, r, index);
  if (word) return withBigWord(r, { ...base, value: word.value, article: ARTICLE_LIKE.has(word.word) }, rules);
  if (rules.praise && bigWordAt(r, index) !== undefined) return withBigWord(r, { ...base, value: 1 }, rules, index);
  // "a thousand", "a million": but "a mil" is "a mil por hora" (flat out), not a number.
  if (rules.praise && r.tokens[index]!.text === 'a' && bigWordAt(r, index + 1)?.english) return withBigWord(r, { ...base, value: 1 }, rules);
  const ordinal = rules.ordinals ? lookupWord(ORDINAL_WORDS, r, index) : undefined;
  if (ordinal) return { ...base, value: ordinal.value === -1 ? rules.max : ordinal.value, ordinal: true };
  return undefined;
}

/** A thousand or more, as a word: "mil", "milhão", "thousand", "millón"; "infinita" is beyond any number. */
function bigWordAt(r: Reading, index: number): { value: number; english: boolean } | undefined {
  // Most words are not: a look at the first letters spares the lookup's spellings (it runs for every word).
  if (!BIG_WORD_START.test(r.tokens[index]?.text ?? '')) return undefined;
  const found = lookupWord(BIG_WORDS, r, index);
  return found && { value: found.value, english: ENGLISH_BIG_WORDS.has(found.word) };
}

/**
 * "mil", "10 mil", "dez mil", "um milhão", "a thousand": a thousand-or-more word right after a number (or
 * alone, from `at`) multiplies it into one number. "mil e quinhentos", "mil quinhentos" are a compound.
 */
function withBigWord(r: Reading, item: NumberItem, rules: NumberRules, at = item.last + 1): NumberItem {
  const big = rules.praise ? bigWordAt(r, at) : undefined;
  if (big === undefined || Number.isNaN(item.value) || item.ordinal) return item;
  let last = at;
  let kind: NumberItem['big'] = 'words';
  if (big.value === 1000) {
    const and = AND_WORDS.has(r.tokens[at + 1]?.text ?? '');
    const next = r.tokens[and ? at + 2 : at + 1];
    const hundreds = next !== undefined && HUNDREDS.has(next.text);
    if (hundreds || (and && next !== undefined && (next.kind === 'num' || isNumberWord(next)))) {
      kind = 'compound';
      last = and ? at + 2 : at + 1;
    }
  }
  return { ...item, value: item.value * big.value, last, big: kind, article: false };
}

function digitsAt(r: Reading, index: number, base: NumberItem): NumberItem {
  const t = r.tokens;
  const token = t[index]!;
  const minus = t[index - 1];
  const beforeMinus = t[index - 2];
  const negative =
    minus?.text === '-' && minus.end === token.start && !(beforeMinus?.kind === 'num' && beforeMinus.end === minus.start);
  const value = numberValue(token.text) * (negative ? -1 : 1);
  const suffix = t[index + 1];
  const ordinal = suffix !== undefined && suffix.start === token.end && ORDINAL_SUFFIXES.has(suffix.text);
  return { ...base, value, first: negative ? index - 1 : index, last: ordinal ? index + 1 : index, ordinal };
}

/** "9" 9, "10.000" 10000 (thousands), "8,5" 8.5, "12.03.1990" not a number. */
export function numberValue(text: string): number {
  const groups = text.split(/[.,]/);
  if (groups.length === 1) return Number(text);
  if (groups.slice(1).every((group) => group.length === 3)) return Number(groups.join(''));
  return groups.length === 2 ? Number(`${groups[0]}.${groups[1]}`) : Number.NaN;
}

function starsAt(r: Reading, index: number, base: NumberItem): NumberItem {
  let last = index;
  while (STARS.has(r.tokens[last + 1]?.text ?? '')) last++;
  return { ...base, value: last - index + 1, last };
}

function scaleEndAt(r: Reading, index: number): { which: 'max' | 'min'; last: number } | undefined {
  for (const count of [3, 2]) {
    const words = r.tokens.slice(index, index + count);
    if (words.length < count || words.some((w) => w.kind !== 'word')) continue;
    const which = SCALE_END_PHRASES.get(words.map((w) => w.text).join(' '));
    if (which) return { which, last: index + count - 1 };
  }
  return undefined;
}

/** "5 estrelas", "5 ⭐", "9 pontos": the unit is part of the score; "8 e meio" is 8.5. */
export function withUnits(r: Reading, item: NumberItem, rules: NumberRules): NumberItem {
  let last = item.last;
  const half = r.tokens.slice(last + 1, last + 4).map((token) => token.text);
  for (const count of [3, 2]) {
    if (HALF_PHRASES.has(half.slice(0, count).join(' '))) return { ...item, value: item.value + 0.5, last: last + count };
  }
  if (isWord(r, last + 1, SCORE_UNIT_WORDS)) last++;
  else if (rules.stars) while (STARS.has(r.tokens[last + 1]?.text ?? '')) last++;
  return { ...item, last };
}

export function isNumberWord(token: Token): boolean {
  return spellings(token.text).some((word) => NUMBER_WORDS.has(word) || ORDINAL_WORDS.has(word));
}
