/**
 * Which customer field each spreadsheet column holds, for the header rows the
 * platforms' own exports write (Shopify customers, Google Contacts, Outlook,
 * Bling, Nuvemshop) and for hand-made sheets. Header cells are compared
 * without accents, case or punctuation ("E-mail 1 - Value" is "email1value").
 */

/** `phone` columns are read first; `addressPhone` only when no `phone` cell holds a mobile. */
export type Field =
  | 'phone'
  | 'addressPhone'
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'birthday'
  | 'tags'
  | 'whatsappConsent'
  | 'consent';

/**
 * A column known and deliberately left out (listed with the ignored columns):
 * Google's "Phone 1 - Label" says "Mobile", not a number; an e-mail marketing
 * answer says nothing about WhatsApp, so it never grants or revokes it.
 */
const LEFT_OUT = null;

/** First match wins: the specific patterns come before the broad ones. */
const HEADER_PATTERNS: [Field | typeof LEFT_OUT, RegExp][] = [
  [LEFT_OUT, /^(phone|e?mail|address|website|relation|event|organization|im)\d+(label|type)$/],
  // Shopify: "Accepts SMS Marketing"; other exports: "Accepts WhatsApp Marketing", "Aceita WhatsApp".
  ['whatsappConsent', /^accepts(sms|whats?app|wpp)marketing$/],
  ['whatsappConsent', /^(whats?app|sms|wpp|zap).*(marketing|consent|optin|aceit|autoriz)/],
  ['whatsappConsent', /(consent|optin|aceita|autoriza|accepts).*(whats?app|sms|wpp|zap)/],
  [LEFT_OUT, /^accepts(email)?marketing$/],
  [LEFT_OUT, /^e?mail.*(marketing|consent|optin|newsletter)|(marketing|consent|optin|aceita|autoriza).*e?mail/],
  [LEFT_OUT, /^newsletter/],
  // Shopify's customer export: the number of the default address, a fallback.
  ['addressPhone', /^(default|billing|shipping)?address(1)?phone$/],
  ['phone', /^(whats?app|zap|wpp)/],
  ['phone', /^(celular|cel|movil|mobile|cellphone|cell)/],
  // Not Google's "Phonetic First Name" nor Outlook's "Telex".
  ['phone', /^(telefone|fone|tel|phone|telefono)(?!tic|ex$)/],
  // Outlook: "Primary Phone", "Home Phone", "Business Phone 2"; only a mobile is taken from them.
  ['phone', /^(primary|home|business|other|car)phone\d*$/],
  ['phone', /^contato(telefone|celular|whatsapp)?$/],
  ['firstName', /^(primeironome|firstname|nombre(de)?pila|givenname)$/],
  ['lastName', /^(sobrenome|ultimonome|lastname|apellidos?|surname|familyname)$/],
  ['name', /^(nome|name|nombre|cliente|customer|nomecompleto|fullname|nomedocliente|customername|razaosocial)$/],
  // Google: "E-mail 1 - Value"; Outlook: "E-mail Address", "E-mail 2 Address".
  // Outlook in Portuguese: "Endereço de email".
  ['email', /^(e?mail|correo|correoelectronico|emailaddress|e?mail\d+value|e?mail\d?address|enderecodee?mail\d?)$/],
  [
    'birthday',
    /^(aniversario|nascimento|datadenascimento|datanascimento|datanasc|dtnasc|birthday|birthdate|dateofbirth|dob|cumpleanos|fechadenacimiento)$/,
  ],
  // A Shopify metafield exported as a column: "Birth date (customer.metafields.facts.birth_date)".
  ['birthday', /metafields?.*(birth|nasc|aniver)|(birth|nasc|aniver).*metafields?/],
  ['tags', /^(tags?|etiquetas?|grupos?|segmentos?)$/],
  ['consent', /(marketing|consent|optin|aceita|autoriza|lgpd)/],
];

export function normalizeHeader(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export interface Column {
  title: string;
  field: Field | undefined;
}

export function mapColumns(header: readonly string[]): Column[] {
  return header.map((cell) => {
    const key = normalizeHeader(cell);
    const match = key === '' ? undefined : HEADER_PATTERNS.find(([, pattern]) => pattern.test(key));
    return { title: cell, field: match?.[0] ?? undefined };
  });
}

export function hasPhoneColumn(columns: readonly Column[]): boolean {
  return columns.some((column) => column.field === 'phone' || column.field === 'addressPhone');
}

/**
 * The header row: the first of the first few rows naming a phone column.
 * Some exports (Bling's, a sheet saved with a title) put a title or a blank
 * line above it; rows above the header are not data. A row holding a phone
 * number ("phone=11912345678") is data, never a header, however it begins.
 */
export function findHeaderRow(records: readonly (readonly string[])[], lookAhead = 10): number | undefined {
  const limit = Math.min(records.length, lookAhead);
  for (let index = 0; index < limit; index += 1) {
    const record = records[index] ?? [];
    if (record.some(holdsPhoneNumber)) continue;
    if (hasPhoneColumn(mapColumns(record))) return index;
  }
  return undefined;
}

/** Eight digits or more in one cell: a phone number (or another number), which no column title holds. */
function holdsPhoneNumber(cell: string): boolean {
  return cell.replace(/\D/g, '').length >= 8;
}

/** Google writes several values in one cell: "+55 11 3333-4444 ::: +55 11 98888-7777". */
export function splitMultiValue(cell: string): string[] {
  return cell
    .split(':::')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}
