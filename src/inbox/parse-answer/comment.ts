/**
 * The comment that may come with an answer: the text after the answer (the
 * score with its "/10", "de 10", "estrelas"; the first yes/no word and its
 * repeats; the option; the date), as typed, without leading spaces and
 * punctuation. A remark before the answer is not a comment (the whole message
 * stays in the customer's record anyway), nor is a rest that is only
 * punctuation, emoji or laughter ("10 kkkk"). Referrals have no comment; text
 * answers are all value.
 */
import { LAUGHTER } from './answer-words.js';
import { fold, originalOffset, type Reading } from './reading.js';

/** The remark after the answer's last token, as typed. */
export function commentAfter(r: Reading, lastToken: number): string | undefined {
  const token = r.tokens[lastToken];
  const from = token ? originalOffset(r, token.end) : r.original.length;
  const rest = r.original.slice(from).replace(/^[\s\p{P}]+/u, '').trimEnd();
  return isRemark(rest) ? rest : undefined;
}

/** The last token of any of these spans. */
export function lastOf(spans: { last: number }[]): number {
  return spans.reduce((max, span) => Math.max(max, span.last), -1);
}

function isRemark(text: string): boolean {
  const words = fold(text).folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.some((word) => !LAUGHTER.test(word));
}
