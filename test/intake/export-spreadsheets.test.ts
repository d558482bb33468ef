import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCustomers, parseCustomersCsv } from '../../src/intake/import-customers.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase, type Database } from '../../src/storage/db.js';
import { createRepositories, type Repositories } from '../../src/storage/repositories/index.js';

const ctx = { locale: 'pt-BR' as const, defaultCountry: 'BR' as const, currency: 'BRL', clock: new ManualClock('2026-11-20T12:00:00Z') };

let db: Database;
let repos: Repositories;
beforeEach(() => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
});
afterEach(() => db.close());

function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'csv', name));
}

function parseOk(content: string | Buffer) {
  const result = parseCustomersCsv(content, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('a Shopify customers export', () => {
  const parsed = () => parseOk(fixture('shopify-customers.csv'));

  it('takes WhatsApp/SMS consent over e-mail consent, and e-mail consent alone changes nothing', () => {
    const byLine = new Map(parsed().rows.map((row) => [row.line, row]));
    const sms = { source: 'csv-import', text: 'Accepts SMS Marketing' };
    // Ana: e-mail "no", SMS "yes": granted. Bruno: e-mail "yes", SMS empty: nothing. Carla: e-mail "yes", SMS "no": revoked.
    expect(byLine.get(3)?.consent).toEqual({ marketing: true, ...sms });
    expect(byLine.get(4)?.consent).toBeUndefined();
    expect(byLine.get(5)?.consent).toEqual({ marketing: false, ...sms });
  });

  it('never revokes a WhatsApp consent already recorded because of an e-mail "no"', () => {
    repos.customers.create({ phone: '+5521998765432', details: {}, consent: { marketing: true, source: 'checkout', text: null } }, 1);
    const csv = 'Phone,Accepts Email Marketing,Accepts SMS Marketing\n+55 21 99876-5432,no,\n';
    importCustomers(repos, parseOk(csv), ctx.clock.now());
    expect(db.sqlite.prepare('SELECT consent_marketing FROM customers').pluck().get()).toBe('granted');
  });

  it("leaves consent alone for Shopify's pending state, and still refuses an answer it cannot read", () => {
    const { rows, rejected } = parseOk('Phone,Accepts SMS Marketing\n+55 21 99876-5432,pending\n+55 11 91234-5678,talvez\n');
    expect(rows).toEqual([{ line: 2, phone: '+5521998765432', details: {}, consent: undefined }]);
    expect(rejected).toEqual([{ line: 3, reason: 'Accepts SMS Marketing: use sim ou não' }]);
  });

  it('falls back to Default Address Phone, and says so', () => {
    const { rows, notes } = parsed();
    expect(rows.find((row) => row.line === 4)?.phone).toBe('+5521998765432');
    expect(notes).toEqual([{ line: 4, note: 'telefone +55 21 99876-5432 tirado de Default Address Phone, porque as colunas de telefone não tinham um celular' }]);
  });

  it('reads the birth-date metafield column, the name parts and the e-mail', () => {
    expect(parsed().rows[0]).toMatchObject({
      line: 3,
      phone: '+5511987654321',
      details: { name: 'Ana Souza', email: 'ana.souza@exemplo.com.br', birthday: '1990-03-12', tags: ['vip', 'café'] },
    });
  });

  it('reports the duplicate phone and the landline per line, and lists the columns left out', () => {
    const { rejected, ignoredColumns } = parsed();
    expect(rejected).toEqual([
      { line: 6, reason: 'o mesmo telefone já está na linha 3: esta linha não foi importada (junte as duas ou apague uma)' },
      { line: 7, reason: 'Phone: não é um celular: o WhatsApp precisa de um número de celular' },
    ]);
    expect(ignoredColumns).toEqual([
      'Customer ID',
      'Accepts Email Marketing',
      'Default Address Company',
      'Default Address Address1',
      'Default Address Address2',
      'Default Address City',
      'Default Address Province Code',
      'Default Address Country Code',
      'Default Address Zip',
      'Total Spent',
      'Total Orders',
      'Note',
      'Tax Exempt',
    ]);
  });
});

describe('a Google Contacts export', () => {
  const parsed = () => parseOk(fixture('google-contacts.csv'));

  it('picks the mobile out of a ::: cell, says which, and reads "E-mail 1 - Value"', () => {
    const { rows, notes } = parsed();
    expect(rows[0]).toMatchObject({ line: 3, phone: '+5511988887777', details: { name: 'Fernanda Alves', email: 'fernanda.alves@exemplo.com.br', birthday: '1988-07-21' } });
    expect(notes).toEqual([{ line: 3, note: 'Phone 1 - Value: escolhido o celular +55 11 98888-7777 entre "+55 11 3333-4444 ::: +55 11 98888-7777"' }]);
  });

  it('takes the mobile from "Phone 2 - Value" when "Phone 1 - Value" is a landline, and a year-less birthday', () => {
    expect(parsed().rows[1]).toMatchObject({ line: 4, phone: '+5521977776666', details: { name: 'Gabriel Moura', birthday: '--05-14' } });
  });

  it('names the value column, never the label column, when no number is a mobile', () => {
    expect(parsed().rejected).toEqual([{ line: 5, reason: 'Phone 1 - Value: não é um celular: o WhatsApp precisa de um número de celular' }]);
    expect(parsed().ignoredColumns).toEqual(expect.arrayContaining(['Phone 1 - Label', 'Phone 2 - Label', 'E-mail 1 - Label', 'Phonetic First Name', 'Labels']));
    expect(parsed().ignoredColumns).not.toContain('E-mail 1 - Value');
  });
});

describe('an Outlook export', () => {
  it('reads 0/0/00 as no date, takes "Mobile Phone" over "Home Phone", and reads a day-first birthday', () => {
    const { rows, rejected } = parseOk(fixture('outlook-contacts.csv'));
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      { line: 3, phone: '+5511966665555', details: { name: 'Igor Nunes', email: 'igor@exemplo.com.br' }, consent: undefined },
      { line: 4, phone: '+5547991234567', details: { name: 'Júlia Campos', email: 'julia@exemplo.com.br', birthday: '1985-05-14' }, consent: undefined },
    ]);
  });
});

describe('a Bling export', () => {
  it('finds the header row below the title and takes "Celular" when "Fone" is a landline', () => {
    const { rows, rejected, ignoredColumns } = parseOk(fixture('bling-contatos.csv'));
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      { line: 4, phone: '+5541987651234', details: { name: 'Karina Teles', email: 'karina@exemplo.com.br', birthday: '1990-03-12' }, consent: undefined },
      { line: 5, phone: '+5541999887766', details: { name: 'Lucas Ferreira' }, consent: undefined },
    ]);
    expect(ignoredColumns).toEqual(expect.arrayContaining(['Fantasia', 'CNPJ / CPF', 'Contatos', 'Limite de crédito']));
  });

  it('says there is no phone column when no row near the top names one', () => {
    expect(parseCustomersCsv('Relatório\n\nnome;cidade\nAna;Santos\n', ctx)).toMatchObject({ ok: false, message: expect.stringContaining('nenhuma coluna de telefone') });
  });
});
