/**
 * choice: the key of the option picked. Labels and keys are compared word by
 * word after folding. A label contained in the text wins over typos; a label
 * contained in a longer one that also matched ("Entrega" in "Entrega rápida")
 * gives way to it. Typos: Damerau-Levenshtein (optimal string alignment) at
 * most 1 for labels of 4 to 7 letters, 2 for 8 or more; labels of 1 to 3
 * letters ("Sim", "PIX") must be typed exactly, as one typo there is another
 * word. The closest typo match wins; a tie between options is `conflicting`.
 * Numbers 1..n pick the option ("2", "opção 2", "2️⃣", "a segunda", "a
 * última"), but not a number that is part of a matched label ("Kit 2"); a
 * number outside 1..n is ignored. A label and a number that point at different
 * options are `conflicting`. Last resort, when nothing else matched: a word of
 * four letters or more found in one label only ("o preço" for "Preço justo").
 * Negations are not read ("não é a entrega" matches Entrega).
 */
import { CHOICE_LEADS } from './answer-words.js';
import { commentAfter, lastOf } from './comment.js';
import { isNumberWord, type NumberRules } from './numbers.js';
import { fold, isWord, type Reading } from './reading.js';
import { numberItems } from './scores.js';
import { answer, fail, type ParsedAnswer } from './types.js';

interface OptionMatch {
  key: string;
  first: number;
  last: number;
  distance: number;
}

interface TextWord {
  text: string;
  token: number;
}

const FUZZY_WINDOW_LIMIT = 200;

export function parseChoice(r: Reading, choices: { key: string; label: string }[]): ParsedAnswer {
  if (choices.length === 0) return fail('unknown_option');
  const words = r.tokens.flatMap((token, index) => (token.kind === 'sym' ? [] : [{ text: token.text, token: index }]));
  const labelled = matchLabels(words, choices);
  const numbered = matchNumbers(r, choices, labelled);
  const matches = [...labelled, ...numbered];
  const keys = new Set(matches.map((match) => match.key));
  if (keys.size === 0) return fail('unknown_option');
  if (keys.size > 1) return fail('conflicting');
  return answer(matches[0]!.key, commentAfter(r, lastOf(matches)));
}

function matchLabels(words: TextWord[], choices: { key: string; label: string }[]): OptionMatch[] {
  const names = choices.map((choice) => ({ key: choice.key, names: optionNames(choice) }));
  const exact = names.flatMap(({ key, names }) => names.flatMap((name) => containedAt(words, name, key)));
  if (exact.length > 0) return exact.filter((match) => !exact.some((other) => covers(other, match)));
  const fuzzy = names.flatMap(({ key, names }) => names.flatMap((name) => typoMatches(words, name, key)));
  const best = fuzzy.reduce((min, match) => Math.min(min, match.distance), Infinity);
  return fuzzy.length > 0 ? fuzzy.filter((match) => match.distance === best) : labelWordMatches(words, names);
}

/** Last resort: a word of four letters or more from a single label ("o preço" for "Preço justo"). */
function labelWordMatches(words: TextWord[], options: { key: string; names: string[][] }[]): OptionMatch[] {
  return words.flatMap((word) => {
    if (word.text.length < 4 || CHOICE_LEADS.has(word.text)) return [];
    const keys = options.filter(({ names }) => names.some((name) => name.includes(word.text))).map(({ key }) => key);
    return keys.length === 1 ? [{ key: keys[0]!, first: word.token, last: word.token, distance: 0 }] : [];
  });
}

/** The label's words, and the key's when they differ ("preco-justo" → preco justo). */
function optionNames(choice: { key: string; label: string }): string[][] {
  const label = alnumWords(choice.label);
  const key = alnumWords(choice.key);
  const names = label.join(' ') === key.join(' ') ? [label] : [label, key];
  return names.filter((name) => name.length > 0);
}

function alnumWords(text: string): string[] {
  return fold(text).folded.match(/\p{L}+|\d+/gu) ?? [];
}

function containedAt(words: TextWord[], name: string[], key: string): OptionMatch[] {
  const found: OptionMatch[] = [];
  for (let s = 0; s + name.length <= words.length; s++) {
    if (name.every((word, k) => words[s + k]!.text === word)) {
      found.push({ key, first: words[s]!.token, last: words[s + name.length - 1]!.token, distance: 0 });
    }
  }
  return found;
}

/** A match of another option around this one ("Entrega rápida" around "Entrega"). */
function covers(outer: OptionMatch, inner: OptionMatch): boolean {
  const larger = outer.last - outer.first > inner.last - inner.first;
  return outer.key !== inner.key && larger && outer.first <= inner.first && inner.last <= outer.last;
}

function typoMatches(words: TextWord[], name: string[], key: string): OptionMatch[] {
  const target = name.join('');
  if (target.length < 4) return [];
  const allowed = target.length >= 8 ? 2 : 1;
  const found: OptionMatch[] = [];
  for (let size = Math.max(1, name.length - 1); size <= name.length + 1; size++) {
    for (let s = 0; s + size <= Math.min(words.length, FUZZY_WINDOW_LIMIT); s++) {
      const window = words.slice(s, s + size);
      const typed = window.map((word) => word.text).join('');
      if (!/\p{L}/u.test(typed) || Math.abs(typed.length - target.length) > allowed) continue;
      const distance = typoDistance(typed, target);
      if (distance <= allowed) found.push({ key, first: window[0]!.token, last: window[size - 1]!.token, distance });
    }
  }
  return found;
}

/** Damerau-Levenshtein distance, optimal string alignment variant (a swap of two neighbours is one edit). */
function typoDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
    }
    [before, previous] = [previous, current];
  }
  return previous[b.length]!;
}

/** "2", "opção 2", "2️⃣", "a segunda": outside the labels that matched. */
function matchNumbers(r: Reading, choices: { key: string }[], labelled: OptionMatch[]): OptionMatch[] {
  const rules: NumberRules = { min: 1, max: choices.length, scaleStarts: [], stars: false, ordinals: true, praise: false };
  const onlyLeads = r.tokens.every((token, index) => token.kind !== 'word' || isWord(r, index, CHOICE_LEADS) || isNumberWord(token));
  return numberItems(r, rules)
    .filter((item) => !item.excluded && (!item.article || onlyLeads))
    .filter((item) => !labelled.some((match) => match.first <= item.first && item.last <= match.last))
    .flatMap((item) => {
      const choice = Number.isInteger(item.value) ? choices[item.value - 1] : undefined;
      return choice && item.value >= 1 ? [{ key: choice.key, first: item.first, last: item.last, distance: 0 }] : [];
    });
}
