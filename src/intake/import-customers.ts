import { parse } from 'csv-parse/sync';
import type { ConsentChange, CustomerDetails } from '../domain/customer.js';
import type { Repositories } from '../storage/repositories/index.js';
import { cleanText, fields, type IntakeContext } from './fields.js';
import { upsertCustomer } from './record-purchase.js';
import { translator, type Translate } from '../i18n/index.js';
import { validate } from './validate.js';

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

export interface ParsedCsv {
  rows: ImportRow[];
  rejected: RejectedRow[];
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
  ignoredColumns: string[];
  dryRun: boolean;
}

export type ParseCsvResult = { ok: true; value: ParsedCsv } | { ok: false; message: string };

export const MAX_IMPORT_ROWS = 200_000;
const BATCH_SIZE = 500;

type Field = 'phone' | 'name' | 'firstName' | 'lastName' | 'email' | 'birthday' | 'tags' | 'consent';

/**
 * Header names as spreadsheets from Brazilian shops, Shopify, Nuvemshop and
 * hand-made sheets write them, compared without accents, case or punctuation.
 * Phone columns are listed most-likely-WhatsApp first: the first valid mobile wins.
 */
const HEADER_PATTERNS: [Field, RegExp][] = [
  ['phone', /^(whats?app|zap|wpp)/],
  ['phone', /^(celular|cel|movil|mobile|cellphone|cell)/],
  ['phone', /^(telefone|fone|tel|phone|telefono|contato)/],
  ['firstName', /^(primeironome|firstname|nombre(de)?pila|givenname)$/],
  ['lastName', /^(sobrenome|ultimonome|lastname|apellidos?|surname|familyname)$/],
  ['name', /^(nome|name|nombre|cliente|customer|nomecompleto|fullname|nomedocliente|customername|razaosocial)$/],
  ['email', /^(e?mail|correo|correoelectronico|emailaddress)$/],
  ['birthday', /^(aniversario|nascimento|datadenascimento|datanascimento|datanasc|dtnasc|birthday|birthdate|dateofbirth|dob|cumpleanos|fechadenacimiento)$/],
  ['tags', /^(tags?|etiquetas?|grupos?|segmentos?)$/],
  ['consent', /(marketing|consent|optin|aceita|autoriza|lgpd|newsletter)/],
];

const YES = new Set(['sim', 's', 'yes', 'y', 'si', 'true', 'verdadeiro', '1', 'x', 'ok', 'aceito', 'aceita', 'autorizo', 'subscribed', 'inscrito']);
const NO = new Set(['nao', 'n', 'no', 'false', 'falso', '0', 'recusado', 'unsubscribed', 'not_subscribed', 'notsubscribed']);

function normalizeHeader(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** UTF-8 with or without BOM; a file that is not UTF-8 is read as Windows-1252, as Excel saves "CSV" in Brazil. */
export function decodeSpreadsheet(content: Buffer | string): string {
  if (typeof content === 'string') return content;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return new TextDecoder('windows-1252').decode(content);
  }
}

/** The separator that splits the header line into the most cells, outside quotes. */
export function detectDelimiter(text: string): string {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const counts = new Map<string, number>([[';', 0], [',', 0], ['\t', 0]]);
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  return best && best[1] > 0 ? best[0] : ',';
}

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
    return { ok: false, message: t('csv.malformed', { line: csvError.lines ?? '?', detail: csvError.message ?? String(error) }) };
  }

  const [header, ...data] = records;
  if (!header) return { ok: false, message: t('csv.empty_file') };
  if (data.length > MAX_IMPORT_ROWS) return { ok: false, message: t('csv.too_many_rows', { max: MAX_IMPORT_ROWS }) };

  const columns = header.record.map((cell) => {
    const key = normalizeHeader(cell);
    const match = key === '' ? undefined : HEADER_PATTERNS.find(([, pattern]) => pattern.test(key));
    return { title: cell, field: match?.[0] };
  });
  if (!columns.some((column) => column.field === 'phone')) return { ok: false, message: t('csv.no_phone_column') };

  const f = fields(ctx);
  const rows: ImportRow[] = [];
  const rejected: RejectedRow[] = [];
  for (const { record, info } of data) {
    const line = info.lines - countLineBreaks(record);
    if (record.every((cell) => cell === '')) continue;
    if (record.length > columns.length && record.slice(columns.length).some((cell) => cell !== '')) {
      rejected.push({ line, reason: t('csv.column_count', { found: record.length, expected: columns.length }) });
      continue;
    }
    const result = readRow(record, columns, f, t);
    if ('reason' in result) rejected.push({ line, reason: result.reason });
    else rows.push({ line, ...result });
  }

  return {
    ok: true,
    value: {
      rows,
      rejected,
      ignoredColumns: columns.filter((column) => column.field === undefined && column.title !== '').map((column) => column.title),
    },
  };
}

type Columns = { title: string; field: Field | undefined }[];

function readRow(
  record: string[],
  columns: Columns,
  f: ReturnType<typeof fields>,
  t: Translate,
): Omit<ImportRow, 'line'> | { reason: string } {
  const problems: string[] = [];
  const cells = (field: Field) =>
    columns.flatMap((column, index) => (column.field === field && record[index] ? [{ title: column.title, value: record[index] }] : []));
  const check = <T>(schema: Parameters<typeof validate>[0], title: string, value: unknown): T | undefined => {
    const result = validate(schema, value, f.locale);
    if (result.ok) return result.value as T;
    problems.push(t('csv.field', { column: title, reason: result.issues.map((issue) => issue.message).join('; ') }));
    return undefined;
  };

  // The first column holding a valid mobile wins; when none does, the first one's reason is given.
  let phone: string | undefined;
  let phoneProblem: string | undefined;
  for (const cell of cells('phone')) {
    const result = validate(f.phone, cell.value, f.locale);
    if (result.ok) {
      phone = result.value;
      break;
    }
    phoneProblem ??= t('csv.field', { column: cell.title, reason: result.issues[0]?.message ?? '' });
  }
  if (phone === undefined) problems.push(phoneProblem ?? t('csv.field', { column: columns.find((c) => c.field === 'phone')?.title ?? 'phone', reason: t('phone.empty') }));

  const details: CustomerDetails = {};
  const fullName = cells('name')[0];
  const nameParts = [...cells('firstName'), ...cells('lastName')];
  if (fullName) details.name = check<string>(f.text(200), fullName.title, fullName.value);
  else if (nameParts[0]) details.name = check<string>(f.text(200), nameParts[0].title, nameParts.map((part) => part.value).join(' '));
  const email = cells('email')[0];
  if (email) details.email = check<string>(f.email, email.title, email.value);
  const birthday = cells('birthday')[0];
  if (birthday) details.birthday = check<string>(f.birthday, birthday.title, birthday.value);
  const tagCells = cells('tags');
  if (tagCells[0]) {
    const values = tagCells.flatMap((cell) => cell.value.split(/[,;|]/)).map((value) => value.trim()).filter(Boolean);
    details.tags = check<string[]>(f.tags, tagCells[0].title, values);
  }

  let consent: ConsentChange | undefined;
  const consentCell = cells('consent')[0];
  if (consentCell) {
    const answer = normalizeHeader(consentCell.value);
    if (YES.has(answer) || NO.has(answer)) {
      consent = { marketing: YES.has(answer), source: 'csv-import', text: cleanText(consentCell.title) };
    } else {
      problems.push(t('csv.field', { column: consentCell.title, reason: t('csv.consent_value') }));
    }
  }

  if (problems.length > 0 || phone === undefined) return { reason: problems.join('; ') };
  return { phone, details, consent };
}

/**
 * Writes the rows, 500 to a transaction. A row is written whole or not at all;
 * later rows with the same phone update the earlier ones.
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

function countLineBreaks(record: string[]): number {
  return record.reduce((count, cell) => count + (cell.match(/\n/g)?.length ?? 0), 0);
}

/** The line of the quote that opens and never closes, for the error message. */
function findUnclosedQuote(text: string): number {
  let line = 1;
  let openedAt = 1;
  let quoted = false;
  for (const char of text) {
    if (char === '\n') line += 1;
    else if (char === '"') {
      if (!quoted) openedAt = line;
      quoted = !quoted;
    }
  }
  return openedAt;
}
