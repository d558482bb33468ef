import { parse } from 'csv-parse/sync';
import type { ConsentChange, CustomerDetails } from '../domain/customer.js';
import type { Repositories } from '../storage/repositories/index.js';
import { cleanText, fields, type IntakeContext } from './fields.js';
import { upsertCustomer } from './record-purchase.js';
import { translator, type Translate } from '../i18n/index.js';
import { validate } from './validate.js';
import { countLineBreaks, decodeSpreadsheet, detectDelimiter, findUnclosedQuote } from './spreadsheet-text.js';
import { findHeaderRow, mapColumns, normalizeHeader, splitMultiValue, type Column, type Field } from './export-headers.js';

export interface ImportRow {
  line: number;
  phone: string;
  details: CustomerDetails;
  consent: ConsentChange | undefined;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

/** Something the import decided for a row that the seller should know: which of several phones it took. */
export interface RowNote {
  line: number;
  note: string;
}

export interface ParsedCsv {
  rows: ImportRow[];
  rejected: RejectedRow[];
  notes: RowNote[];
  /** Header cells that matched no known column, so the seller knows they were left out. */
  ignoredColumns: string[];
}

export interface ImportReport {
  /** Data rows read (header and empty lines excluded). */
  rows: number;
  imported: number;
  created: number;
  updated: number;
  /**
   * Rows whose number is on the suppression list (an opted-out person who was erased): stored,
   * opted out again, nothing automated until they write VOLTAR.
   */
  suppressed: number;
  rejected: RejectedRow[];
  notes: RowNote[];
  ignoredColumns: string[];
  dryRun: boolean;
}

export { decodeSpreadsheet, detectDelimiter };

export type ParseCsvResult = { ok: true; value: ParsedCsv } | { ok: false; message: string };

export const MAX_IMPORT_ROWS = 200_000;
const BATCH_SIZE = 500;

const YES = new Set(['sim', 's', 'yes', 'y', 'si', 'true', 'verdadeiro', '1', 'x', 'ok', 'aceito', 'aceita', 'autorizo', 'subscribed', 'inscrito']);
const NO = new Set(['nao', 'n', 'no', 'false', 'falso', '0', 'recusado', 'unsubscribed', 'not_subscribed', 'notsubscribed']);
/** Shopify's marketing states that are neither a yes nor a no: the stored consent is left as it is. */
const UNDECIDED = new Set(['pending', 'redacted', 'invalid']);

export function parseCustomersCsv(content: Buffer | string, ctx: IntakeContext): ParseCsvResult {
  const t = translator(ctx.locale);
  const text = decodeSpreadsheet(content);
  if (text.replace(/^\uFEFF/, '').trim() === '') return { ok: false, message: t('csv.empty_file') };

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const csvError = error as { code?: string; lines?: number; message?: string };
    if (csvError.code === 'CSV_QUOTE_NOT_CLOSED') return { ok: false, message: t('csv.unclosed_quote', { line: findUnclosedQuote(text) }) };
    // The parser's own message is English: the seller reads what it means, in the locale's words.
    const problem = csvError.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE' || csvError.code === 'CSV_INVALID_CLOSING_QUOTE' ? 'csv.problem.text_after_quote' : 'csv.problem.unreadable';
    return { ok: false, message: t('csv.malformed', { line: csvError.lines ?? '?', detail: t(problem) }) };
  }

  if (records.length === 0) return { ok: false, message: t('csv.empty_file') };
  const headerAt = findHeaderRow(records.map(({ record }) => record));
  if (headerAt === undefined) return { ok: false, message: t('csv.no_phone_column') };
  const header = records[headerAt] as (typeof records)[number];
  const data = records.slice(headerAt + 1);
  if (data.length > MAX_IMPORT_ROWS) return { ok: false, message: t('csv.too_many_rows', { max: MAX_IMPORT_ROWS }) };

  const columns = mapColumns(header.record);
  const f = fields(ctx);
  const rows: ImportRow[] = [];
  const rejected: RejectedRow[] = [];
  const notes: RowNote[] = [];
  // The same phone twice in one file is a mistake to show, not a merge to make quietly.
  const firstLineOf = new Map<string, number>();
  for (const { record, info } of data) {
    const line = info.lines - countLineBreaks(record);
    if (record.every((cell) => cell === '')) continue;
    if (record.length > columns.length && record.slice(columns.length).some((cell) => cell !== '')) {
      rejected.push({ line, reason: t('csv.column_count', { found: record.length, expected: columns.length }) });
      continue;
    }
    const result = readRow(record, columns, f, t);
    if ('reason' in result) {
      rejected.push({ line, reason: result.reason });
      continue;
    }
    const { note, ...row } = result;
    const first = firstLineOf.get(row.phone);
    if (first !== undefined) {
      rejected.push({ line, reason: t('csv.duplicate_phone', { line: first }) });
      continue;
    }
    firstLineOf.set(row.phone, line);
    if (note !== undefined) notes.push({ line, note });
    rows.push({ line, ...row });
  }

  return {
    ok: true,
    value: {
      rows,
      rejected,
      notes,
      ignoredColumns: columns.filter((column) => column.field === undefined && column.title !== '').map((column) => column.title),
    },
  };
}

type Fields = ReturnType<typeof fields>;
type ReadRow = Omit<ImportRow, 'line'> & { note?: string };

/** Outlook writes "0/0/00" for a contact without a birthday. */
const NO_DATE = /^0{1,2}\/0{1,2}\/0{2,4}$/;

function readRow(record: string[], columns: Column[], f: Fields, t: Translate): ReadRow | { reason: string } {
  const problems: string[] = [];
  const cells = (field: Field) =>
    columns.flatMap((column, index) => (column.field === field && record[index] ? [{ title: column.title, value: record[index] }] : []));
  const check = <T>(schema: Parameters<typeof validate>[0], title: string, value: unknown): T | undefined => {
    const result = validate(schema, value, f.locale);
    if (result.ok) return result.value as T;
    problems.push(t('csv.field', { column: title, reason: result.issues.map((issue) => issue.message).join('; ') }));
    return undefined;
  };

  const phone = pickPhone(columns, cells, f, t);
  if ('reason' in phone) problems.push(phone.reason);

  const details: CustomerDetails = {};
  const fullName = cells('name')[0];
  const nameParts = [...cells('firstName'), ...cells('lastName')];
  if (fullName) details.name = check<string>(f.text(200), fullName.title, fullName.value);
  else if (nameParts[0]) details.name = check<string>(f.text(200), nameParts[0].title, nameParts.map((part) => part.value).join(' '));
  const email = cells('email')[0];
  const firstEmail = email && splitMultiValue(email.value)[0];
  if (email && firstEmail) details.email = check<string>(f.email, email.title, firstEmail);
  const birthday = cells('birthday').find((cell) => !NO_DATE.test(cell.value.trim()));
  if (birthday) details.birthday = check<string>(f.birthday, birthday.title, birthday.value);
  const tagCells = cells('tags');
  if (tagCells[0]) {
    const values = tagCells.flatMap((cell) => cell.value.split(/[,;|]/)).map((value) => value.trim()).filter(Boolean);
    details.tags = check<string[]>(f.tags, tagCells[0].title, values);
  }

  // A WhatsApp/SMS answer speaks for WhatsApp; a general one only when there is none.
  let consent: ConsentChange | undefined;
  const consentCell = cells('whatsappConsent')[0] ?? cells('consent')[0];
  if (consentCell) {
    const answer = normalizeHeader(consentCell.value);
    if (YES.has(answer) || NO.has(answer)) {
      consent = { marketing: YES.has(answer), source: 'csv-import', text: cleanText(consentCell.title) };
    } else if (!UNDECIDED.has(answer)) {
      problems.push(t('csv.field', { column: consentCell.title, reason: t('csv.consent_value') }));
    }
  }

  if (problems.length > 0 || 'reason' in phone) return { reason: problems.join('; ') };
  return { phone: phone.e164, details, consent, ...(phone.note === undefined ? {} : { note: phone.note }) };
}

type Cells = (field: Field) => { title: string; value: string }[];

/**
 * The first mobile in the phone columns (each cell may hold several values
 * separated by ":::"), then in the address phone. A landline next to a mobile
 * is passed over; when several numbers were there, the note says which one
 * was taken. With no mobile anywhere, the reason names the column it read.
 */
function pickPhone(columns: Column[], cells: Cells, f: Fields, t: Translate): { e164: string; note?: string } | { reason: string } {
  let firstProblem: string | undefined;
  const fromAddress = cells('addressPhone');
  for (const cell of [...cells('phone'), ...fromAddress]) {
    const values = splitMultiValue(cell.value);
    for (const value of values) {
      const result = validate(f.phone, value, f.locale);
      if (!result.ok) {
        firstProblem ??= t('csv.field', { column: cell.title, reason: result.issues[0]?.message ?? '' });
        continue;
      }
      if (values.length > 1) return { e164: result.value, note: t('csv.phone_picked', { column: cell.title, phone: value, given: cell.value }) };
      if (fromAddress.includes(cell)) {
        return { e164: result.value, note: t('csv.phone_from', { column: cell.title, phone: value }) };
      }
      return { e164: result.value };
    }
  }
  const title = columns.find((column) => column.field === 'phone')?.title ?? columns.find((column) => column.field === 'addressPhone')?.title ?? 'phone';
  return { reason: firstProblem ?? t('csv.field', { column: title, reason: t('phone.empty') }) };
}

/**
 * Writes the rows, 500 to a transaction. A row is written whole or not at all;
 * a phone repeated in the file was already rejected by parseCustomersCsv.
 */
export function importCustomers(
  repos: Repositories,
  parsed: ParsedCsv,
  now: number,
  options: { dryRun?: boolean; onProgress?: (done: number, total: number) => void } = {},
): ImportReport {
  const dryRun = options.dryRun ?? false;
  const report: ImportReport = {
    rows: parsed.rows.length + parsed.rejected.length,
    imported: 0,
    created: 0,
    updated: 0,
    suppressed: 0,
    rejected: [...parsed.rejected],
    notes: parsed.notes,
    ignoredColumns: parsed.ignoredColumns,
    dryRun,
  };
  const seen = new Set<string>();
  for (let start = 0; start < parsed.rows.length; start += BATCH_SIZE) {
    const batch = parsed.rows.slice(start, start + BATCH_SIZE);
    const write = () => {
      for (const row of batch) {
        let created: boolean;
        if (dryRun) {
          created = !seen.has(row.phone) && repos.customers.findByPhone(row.phone) === undefined;
          if (created && repos.suppressions.since(row.phone) !== undefined) report.suppressed += 1;
        } else {
          const upserted = upsertCustomer(repos, { phone: row.phone, details: row.details, consent: row.consent }, now);
          created = upserted.created;
          if (created && upserted.customer.suppressedAt !== null) report.suppressed += 1;
        }
        seen.add(row.phone);
        report.imported += 1;
        if (created) report.created += 1;
        else report.updated += 1;
      }
    };
    if (dryRun) write();
    else repos.transaction(write);
    options.onProgress?.(Math.min(start + BATCH_SIZE, parsed.rows.length), parsed.rows.length);
  }
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}
