/**
 * csat: a rating from 1 to 5, as "1".."5". Digits, number words and stars (a
 * run of ⭐/★/🌟; "★★★☆☆" is 3; stars right after a number are its unit, "5 ⭐"
 * is 5) win over quality words, so "5, produto ótimo mas a embalagem veio
 * ruim" is 5; the numbers are read as nps reads them (scores.ts). Without
 * them, quality words decide, and two that disagree are `conflicting`. A
 * negation up to three words before a good word ("não gostei", "nada bom",
 * "não foi muito bom", "no me gustó", "not good") makes it 2; a negated neutral
 * or bad word ("não foi ruim") is dropped, as it says too little. "nem bom nem
 * ruim" is 3. Intensifiers after the word belong to it ("gostei muito" is 4, no
 * comment). "bom dia" and other greetings are not ratings. "ok" is 3, as the
 * rules say.
 */
import { CSAT_WORDS, INTENSIFIERS, TIMES_OF_DAY } from './answer-words.js';
import { commentAfter } from './comment.js';
import type { NumberRules } from './numbers.js';
import { findHits, isNegated, isWord, type Reading } from './reading.js';
import { decideScore, numberItems } from './scores.js';
import { answer, fail, type ParsedAnswer } from './types.js';

const CSAT_RULES: NumberRules = { min: 1, max: 5, scaleStarts: [0, 1], stars: true, ordinals: false, praise: true };

export function parseCsat(r: Reading): ParsedAnswer {
  const items = numberItems(r, CSAT_RULES);
  if (items.some((item) => !item.excluded)) return decideScore(r, items, CSAT_RULES);
  // Praise not read (irony, a complaint: see praise.ts) is not read as a quality word either ("nota mil").
  const praise = items.filter((item) => item.praise);
  const hits = findHits(r, CSAT_WORDS)
    .filter((hit) => !TIMES_OF_DAY.has(r.tokens[hit.last + 1]?.text ?? ''))
    .filter((hit) => !praise.some((item) => hit.first <= item.last && item.first <= hit.last))
    .flatMap((hit) => (!isNegated(r, hit.first) ? [hit] : hit.value >= 4 ? [{ ...hit, value: 2 }] : []))
    .map((hit) => ({ ...hit, last: intensifiedEnd(r, hit.last) }));
  if (hits.length === 0) return fail('no_answer_found');
  if (new Set(hits.map((hit) => hit.value)).size > 1) return fail('conflicting');
  return answer(String(hits[0]!.value), commentAfter(r, hits[hits.length - 1]!.last));
}

/** "gostei muito", "não gostei nada": the intensifier is part of the rating. */
function intensifiedEnd(r: Reading, last: number): number {
  let end = last;
  while (isWord(r, end + 1, INTENSIFIERS)) end++;
  return end;
}
