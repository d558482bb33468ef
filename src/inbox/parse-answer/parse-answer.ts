/**
 * Reads a customer's typed WhatsApp reply to a question the bot asked, into
 * the value the flow engine expects (src/flows/steps/ask.ts, outcomeOf): nps
 * "0".."10", csat "1".."5", yes_no "yes" | "no", choice the option's key,
 * birthday "YYYY-MM-DD" or "--MM-DD" (src/domain/dates.ts), referral the E.164
 * numbers joined by ",", text the trimmed text. Pure and total: any string
 * gives one of the two shapes, never an exception.
 *
 * One file per kind, as src/flows/steps/ has one per step kind, each with the
 * decisions taken where the rules left room; how a message is folded and cut
 * into words is in reading.ts, the comment after an answer in comment.ts, the
 * word lists in answer-words.ts. A message with nothing but spaces,
 * punctuation and invisible characters is `empty`, for every kind (emoji are
 * not punctuation: "👍" is an answer).
 */
import type { CountryCode } from '../../domain/phone.js';
import type { AskKind } from '../../flows/flow-types.js';
import type { Locale } from '../../i18n/index.js';
import { parseBirthdayAnswer } from './birthday.js';
import { parseChoice } from './choice.js';
import { parseCsat } from './csat.js';
import { parseNps } from './nps.js';
import { read } from './reading.js';
import { parseReferral } from './referral.js';
import { fail, type ParsedAnswer } from './types.js';
import { parseYesNo } from './yes-no.js';

export type { ParsedAnswer, ParseProblem } from './types.js';

export interface ParseOptions {
  /** choice: the options, as the flow lists them (number n picks the n-th). */
  choices?: { key: string; label: string }[];
  /** birthday: the day a date is checked against (not in the future); now by default. */
  today?: Date;
  /** referral: the country of numbers typed without "+"; BR by default. */
  defaultCountry?: CountryCode;
}

export function parseAnswer(kind: AskKind, text: string, locale: Locale, options: ParseOptions = {}): ParsedAnswer {
  if (isBlank(text)) return fail('empty');
  switch (kind) {
    case 'text':
      return { ok: true, value: text.trim() };
    case 'nps':
      return parseNps(read(text, locale));
    case 'csat':
      return parseCsat(read(text, locale));
    case 'yes_no':
      return parseYesNo(read(text, locale));
    case 'choice':
      return parseChoice(read(text, locale), options.choices ?? []);
    case 'birthday':
      return parseBirthdayAnswer(read(text, locale), options.today ?? new Date());
    case 'referral':
      return parseReferral(text, options.defaultCountry ?? 'BR');
  }
}

function isBlank(text: string): boolean {
  return !/[^\s\p{P}\p{Z}\p{Cc}\p{Cf}]/u.test(text);
}
