/**
 * The numbers of a message as candidate scores, and the score they decide
 * (nps and csat; a choice reads its option numbers the same way).
 *
 * Decisions where the rules left room: every number in the message is a
 * candidate score, except those that count something else ("2 dias", "R$ 50",
 * "10%", "10:30", "12/03", "1a vez"), the ends of the scale written out ("de 0
 * a 10", "1 a 5", "0-10"), the top after a score ("9/10", "9 de 10", "9 out of
 * 10"), and a score taken back by a negation over a verb ("só não dou 10", "no
 * le doy un 10"; but "7 não 9" is a correction, so conflicting). Two different
 * candidates are `conflicting`, never a guess ("8 ou 9", "7-8", "7... não,
 * 9"); the same score twice is that score. A half score ("8,5", "8 e meio") is
 * `conflicting`; a number outside the scale is `out_of_range` ("11", "-1",
 * "10000", "10.000", "nota 8" for csat; a lone "10" on csat is its top, see
 * praise.ts). "um", "uma", "un", "una", "uno" and "one" count as 1 only when
 * no other number is in the message ("dou um 10" is 10). "nota máxima" is the
 * top of the scale, and so is praise beyond it ("nota
 * mil", "Pra mim você é nota mil", "💯", "nota 1000", "100/10") and full marks
 * on another scale ("10/10" for csat, "5 de 5" for nps), unless irony or a
 * complaint comes with it ("nota mil pro atraso né"): see readPraise in
 * praise.ts. A count in the remark with no unit word after it ("nota 10,
 * comprei 3") is a second candidate, so conflicting; "2 dias", "2 amigas", "3
 * unidades" are not.
 */
import { CURRENCY_SIGNS, GIVE_WORDS, NEGATORS, OUT_OF_WORDS, SCALE_CONNECTORS, UNIT_WORDS } from './answer-words.js';
import { commentAfter, lastOf } from './comment.js';
import { numberAt, numberValue, withUnits, type NumberItem, type NumberRules } from './numbers.js';
import { isDoubtfulPraise, readPraise } from './praise.js';
import { isWord, type Reading } from './reading.js';
import { answer, fail, type ParsedAnswer } from './types.js';

/** Between a score and the scale written after it: "8 de 0 a 10", "8, numa escala de 0 a 10". */
const SCALE_LEADS = new Set(['de', 'from', 'del', 'numa', 'na', 'escala', 'on', 'a', 'scale', 'of', 'en', 'una', ',', '(']);

/** The numbers of a message, each marked as a candidate or not (see the header). */
export function numberItems(r: Reading, rules: NumberRules): NumberItem[] {
  const items: NumberItem[] = [];
  for (let i = 0; i < r.tokens.length; i++) {
    const found = numberAt(r, i, rules);
    if (found) {
      const item = withUnits(r, found, rules);
      items.push(item);
      i = item.last;
    }
  }
  if (rules.praise) readPraise(r, items, rules);
  for (const item of items) item.excluded = isExcluded(r, item, rules) || (item.praise && isDoubtfulPraise(r, item));
  dropScaleMentions(r, items, rules);
  return items.some((item) => !item.article) ? items.filter((item) => !item.article) : items;
}

function isExcluded(r: Reading, item: NumberItem, rules: NumberRules): boolean {
  if (Number.isNaN(item.value) || (item.ordinal && !rules.ordinals)) return true;
  const t = r.tokens;
  const next = t[item.last + 1];
  const previous = t[item.first - 1];
  if (next && (UNIT_WORDS.has(next.text) || next.text === '%')) return true;
  if (previous && CURRENCY_SIGNS.has(previous.text)) return true;
  if (next?.text === ':' && t[item.last + 2]?.kind === 'num') return true;
  if (previous?.text === ':' && t[item.first - 2]?.kind === 'num') return true;
  return isInDate(r, item, rules) || isTakenBack(r, item);
}

/** "12/03", "12/03/1990": but "9/10" is a score out of the top of the scale. */
function isInDate(r: Reading, item: NumberItem, rules: NumberRules): boolean {
  const t = r.tokens;
  if (t[item.first]?.kind !== 'num') return false;
  const after = t[item.last + 1]?.text === '/' ? t[item.last + 2] : undefined;
  const before = t[item.first - 1]?.text === '/' ? t[item.first - 2] : undefined;
  if (after?.kind === 'num' && numberValue(after.text) !== rules.max) return true;
  return before?.kind === 'num' && item.value !== rules.max;
}

/** "só não dou 10", "não é um 10", "not a 10", "no le doy un 10". */
function isTakenBack(r: Reading, item: NumberItem): boolean {
  let index = item.first - 1;
  let between = 0;
  while (between < 3 && isWord(r, index, GIVE_WORDS) && !isWord(r, index, NEGATORS)) {
    index--;
    between++;
  }
  return between > 0 && isWord(r, index, NEGATORS);
}

/** "de 0 a 10" says the scale, not a score; "9/10", "9 de 10": the 10 is the top of the scale. */
function dropScaleMentions(r: Reading, items: NumberItem[], rules: NumberRules): void {
  const live = items.filter((item) => !item.excluded);
  for (let k = 0; k + 1 < live.length; k++) {
    const [a, b] = [live[k]!, live[k + 1]!];
    if (a.praise || b.praise) continue;
    const gap = r.tokens.slice(a.last + 1, b.first).map((token) => token.text);
    if (gap.length === 1 && SCALE_CONNECTORS.has(gap[0]!) && rules.scaleStarts.includes(a.value) && b.value === rules.max) {
      a.excluded = b.excluded = true;
      const score = live[k - 1];
      if (score && !score.excluded && r.tokens.slice(score.last + 1, a.first).every((token) => SCALE_LEADS.has(token.text))) {
        score.last = b.last;
      }
    } else if (b.value === rules.max && !b.ordinal && OUT_OF_WORDS.has(gap.join(''))) {
      b.excluded = true;
      a.last = b.last;
    }
  }
}

export function decideScore(r: Reading, items: NumberItem[], rules: { min: number; max: number }): ParsedAnswer {
  const live = items.filter((item) => !item.excluded);
  if (live.length === 0) return fail('no_answer_found');
  if (new Set(live.map((item) => item.value)).size > 1) return fail('conflicting');
  const { value } = live[0]!;
  if (value < rules.min || value > rules.max) return fail('out_of_range');
  if (!Number.isInteger(value)) return fail('conflicting');
  return answer(String(value), commentAfter(r, lastOf(live)));
}
