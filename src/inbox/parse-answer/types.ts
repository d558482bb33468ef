/** What reading an answer gives: the value the flow engine expects, or why there is none. */

export type ParseProblem = 'empty' | 'no_answer_found' | 'out_of_range' | 'conflicting' | 'unknown_option' | 'invalid_date' | 'no_phone';

export type ParsedAnswer =
  | { ok: true; value: string; comment?: string; referrals?: { name: string | null; phone: string }[] }
  | { ok: false; reason: ParseProblem };

export function fail(reason: ParseProblem): ParsedAnswer {
  return { ok: false, reason };
}

export function answer(value: string, comment: string | undefined): ParsedAnswer {
  return comment === undefined ? { ok: true, value } : { ok: true, value, comment };
}
