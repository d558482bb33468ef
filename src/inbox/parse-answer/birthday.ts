/**
 * birthday: the date, as parseBirthday gives it ("YYYY-MM-DD", or "--MM-DD"
 * without a year; src/domain/dates.ts). Numeric dates are day first in every
 * locale ("03/12" is 3 December), as parseBirthday reads them; month names in
 * pt-BR, en and es ("12 de março", "March 12th"). A date in the future, more
 * than 120 years ago or impossible ("31/02", "30 de fevereiro") is
 * `invalid_date`. Two different dates are `conflicting`; an impossible date
 * next to a good one is ignored. `today` defaults to now.
 */
import { parseBirthday } from '../../domain/dates.js';
import { MONTHS } from './answer-words.js';
import { commentAfter } from './comment.js';
import type { Reading } from './reading.js';
import { answer, fail, type ParsedAnswer } from './types.js';

interface DateFound {
  /** As parseBirthday reads it: "12/03/1990", "1990-03-12". */
  text: string;
  start: number;
  end: number;
}

const MONTH_NAMES = [...MONTHS.keys()].sort((a, b) => b.length - a.length).join('|');
const NUMERIC_DATE = /(?<![\d/.-])(\d{4}-\d{2}-\d{2}|--\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}(?:[/.-](?:\d{4}|\d{2}))?)(?!\d|[/.-]\d)/g;
const DAY_MONTH = new RegExp(
  String.raw`(?<!\d)(\d{1,2})(?:o|°|st|nd|rd|th)?\s*(?:(?:de|del|of)\s+|[/.-]\s*)?(${MONTH_NAMES})(?![\p{L}])\.?(?:\s*(?:de|del|,|/|-)?\s*(\d{4}|\d{2})(?![\p{L}\d]))?`,
  'gu',
);
const MONTH_DAY = new RegExp(String.raw`(?<![\p{L}])(${MONTH_NAMES})(?![\p{L}])\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:\s*,?\s*(\d{4})(?!\d))?`, 'gu');

export function parseBirthdayAnswer(r: Reading, today: Date): ParsedAnswer {
  const found = findDates(r.folded);
  if (found.length === 0) return fail('no_answer_found');
  const results = found.map((date) => ({ date, result: parseBirthday(date.text, today) }));
  const valid = results.flatMap(({ date, result }) => (result.ok ? [{ date, value: result.value }] : []));
  if (valid.length === 0) return fail(results.some(({ result }) => !result.ok && result.problem !== 'invalid_format') ? 'invalid_date' : 'no_answer_found');
  if (new Set(valid.map(({ value }) => value)).size > 1) return fail('conflicting');
  const end = valid.reduce((max, { date }) => Math.max(max, date.end), 0);
  return answer(valid[0]!.value, commentAfter(r, r.tokens.findLastIndex((token) => token.end <= end)));
}

function findDates(folded: string): DateFound[] {
  const found: DateFound[] = [];
  const add = (date: DateFound) => {
    if (!found.some((other) => date.start < other.end && other.start < date.end)) found.push(date);
  };
  for (const m of folded.matchAll(NUMERIC_DATE)) add({ text: m[1]!, start: m.index, end: m.index + m[0].length });
  for (const m of folded.matchAll(DAY_MONTH)) add(wordDate(m, m[1]!, m[2]!, m[3]));
  for (const m of folded.matchAll(MONTH_DAY)) add(wordDate(m, m[2]!, m[1]!, m[3]));
  return found.sort((a, b) => a.start - b.start);
}

function wordDate(match: RegExpMatchArray, day: string, month: string, year: string | undefined): DateFound {
  const text = `${day}/${MONTHS.get(month) ?? 0}${year === undefined ? '' : `/${year}`}`;
  const start = match.index ?? 0;
  return { text, start, end: start + match[0].length };
}
