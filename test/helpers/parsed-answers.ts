import type { ParsedAnswer, ParseProblem } from '../../src/inbox/parse-answer/parse-answer.js';

/** An answer read, with its comment when there is one. */
export function yes(value: string, comment?: string): ParsedAnswer {
  return comment === undefined ? { ok: true, value } : { ok: true, value, comment };
}

/** No answer read, and why. */
export function no(reason: ParseProblem): ParsedAnswer {
  return { ok: false, reason };
}

/** The day birthdays are checked against in the answer tests. */
export const TODAY = new Date('2026-03-01T12:00:00Z');
