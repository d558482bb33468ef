import { describe, expect, it } from 'vitest';
import { findHeaderRow, mapColumns, splitMultiValue } from '../../src/intake/export-headers.js';

const fieldOf = (title: string) => mapColumns([title])[0]?.field;

describe('mapColumns', () => {
  it.each([
    ['WhatsApp', 'phone'],
    ['Celular/WhatsApp', 'phone'],
    ['Phone 1 - Value', 'phone'],
    ['Mobile Phone', 'phone'],
    ['Telefone celular', 'phone'],
    ['Default Address Phone', 'addressPhone'],
    ['Accepts SMS Marketing', 'whatsappConsent'],
    ['Accepts WhatsApp Marketing', 'whatsappConsent'],
    ['Aceita receber no WhatsApp', 'whatsappConsent'],
    ['WhatsApp opt-in', 'whatsappConsent'],
    ['Aceita Marketing', 'consent'],
    ['E-mail 1 - Value', 'email'],
    ['E-mail Address', 'email'],
    ['Endereço de email', 'email'],
    ['Metafield: facts.birth_date [date]', 'birthday'],
    ['Birth date (customer.metafields.facts.birth_date)', 'birthday'],
    ['Data nascimento', 'birthday'],
    ['Given Name', 'firstName'],
  ] as const)('%j is %s', (title, field) => {
    expect(fieldOf(title)).toBe(field);
  });

  it.each(['Accepts Email Marketing', 'Accepts Marketing', 'Newsletter', 'Phone 1 - Label', 'Phone 1 - Type', 'E-mail 1 - Label', 'Phonetic First Name', 'Telex', 'Contatos', 'Labels', 'Customer ID'])(
    '%j is left out',
    (title) => {
      expect(fieldOf(title)).toBeUndefined();
    },
  );
});

describe('findHeaderRow', () => {
  it('skips title and blank rows above the header, within the first ten', () => {
    expect(findHeaderRow([['Contatos - Loja'], [''], ['Nome', 'Celular']])).toBe(2);
    expect(findHeaderRow([...Array.from({ length: 10 }, () => ['x']), ['telefone']])).toBeUndefined();
    // The API fuzz suite's seed 2089313483: a data row that begins like a title ("phone=…") is not the header.
    expect(findHeaderRow([['x'], ['phone=11912345678&items=1']])).toBeUndefined();
    expect(findHeaderRow([['Telefone: 11 91234-5678'], ['Nome', 'Telefone']])).toBe(1);
  });
});

describe('splitMultiValue', () => {
  it("splits Google's ::: cells and drops empty values", () => {
    expect(splitMultiValue(' +55 11 3333-4444 ::: +55 11 98888-7777 ::: ')).toEqual(['+55 11 3333-4444', '+55 11 98888-7777']);
  });
});
