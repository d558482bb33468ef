/**
 * A segment's customers as a spreadsheet for Excel in Brazil: UTF-8 with a BOM (so that Excel
 * reads the accents), `;` between fields (`,` is the decimal comma there), CRLF line ends, the
 * header in the seller's words, phones in E.164. A text field that starts like a formula
 * (= + - @) gets a leading ' so that Excel shows it instead of running it (phones are left as they are).
 */
import type { Customer } from '../domain/customer.js';

export interface CsvWords {
  header: readonly [name: string, phone: string, email: string, tags: string, consent: string];
  yes: string;
  no: string;
}

const BOM = '\uFEFF';

function cell(value: string, guardFormula = true): string {
  const safe = guardFormula && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function customersCsv(customers: readonly Customer[], words: CsvWords): string {
  const lines = [words.header.map((title) => cell(title)).join(';')];
  for (const customer of customers) {
    if (customer.erasedAt !== null || customer.phone === null) continue;
    lines.push(
      [
        cell(customer.name ?? ''),
        cell(customer.phone, false),
        cell(customer.email ?? ''),
        cell(customer.tags.join(', ')),
        cell(customer.consent.marketing === 'granted' ? words.yes : words.no),
      ].join(';'),
    );
  }
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
