/**
 * Dates as sellers and customers write them. A birthday is stored as
 * "YYYY-MM-DD", or "--MM-DD" (ISO 8601 for a date without a year) when the
 * year is unknown.
 */
export type DateProblem = 'invalid_format' | 'invalid_date' | 'in_future' | 'too_old';

export type BirthdayResult = { ok: true; value: string } | { ok: false; problem: DateProblem };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_NO_YEAR = /^--(\d{2})-(\d{2})$/;
const BR_DATE = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$/;

/** Accepts "1990-03-12", "--03-12", "12/03/1990", "12/3/90", "12/03", "12.03.1990". */
export function parseBirthday(input: string, today: Date): BirthdayResult {
  const text = input.trim();
  let year: number | undefined;
  let month: number;
  let day: number;
  let match = ISO_DATE.exec(text);
  if (match) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = ISO_NO_YEAR.exec(text))) {
    [month, day] = [Number(match[1]), Number(match[2])];
  } else if ((match = BR_DATE.exec(text))) {
    [day, month] = [Number(match[1]), Number(match[2])];
    if (match[3] !== undefined) year = expandYear(match[3], today);
  } else {
    return { ok: false, problem: 'invalid_format' };
  }

  // 29 February is a real birthday: check it against a leap year when the year is unknown.
  if (!isRealDate(year ?? 2000, month, day)) return { ok: false, problem: 'invalid_date' };
  if (year === undefined) return { ok: true, value: `--${pad2(month)}-${pad2(day)}` };
  const value = `${year}-${pad2(month)}-${pad2(day)}`;
  if (value > today.toISOString().slice(0, 10)) return { ok: false, problem: 'in_future' };
  if (year < today.getUTCFullYear() - 120) return { ok: false, problem: 'too_old' };
  return { ok: true, value };
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function expandYear(text: string, today: Date): number {
  if (text.length === 4) return Number(text);
  // "12/03/90" is 1990, "12/03/05" is 2005: a two-digit year is never in the future.
  const twoDigits = Number(text);
  const century = Math.floor(today.getUTCFullYear() / 100) * 100;
  return century + twoDigits > today.getUTCFullYear() ? century - 100 + twoDigits : century + twoDigits;
}

/** Two digits, zero first: a month, day, hour, minute or second as ISO 8601 writes it. */
export function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** "--03-12" says less than "1990-03-12" about the same day: it should not replace it. */
export function isVaguerBirthday(candidate: string, current: string | null): boolean {
  return current !== null && candidate.startsWith('--') && !current.startsWith('--') && current.slice(4) === candidate.slice(1);
}
