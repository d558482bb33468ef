// Small readers for what store platforms send: numbers as strings, empty strings for "none",
// HTML entities in names, dates with or without a zone. Pure; each platform's mapping uses them.

/** An object's own field when the value is an object (JSON's `{}`), else undefined. */
export function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'object' && field !== null && !Array.isArray(field) ? (field as Record<string, unknown>) : undefined;
}

/** A text field, trimmed; numbers are written as text (ids); empty, null or anything else: undefined. */
export function textAt(value: Record<string, unknown> | undefined, key: string): string | undefined {
  const field = value?.[key];
  if (typeof field === 'number' && Number.isFinite(field)) return String(field);
  if (typeof field !== 'string') return undefined;
  const trimmed = field.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Money or a quantity as sent: a number, or a string of one ("1", "39.90"); blank: undefined. */
export function amountAt(value: Record<string, unknown> | undefined, key: string): number | string | undefined {
  const field = value?.[key];
  if (typeof field === 'number') return field;
  if (typeof field === 'string' && field.trim() !== '') return field.trim();
  return undefined;
}

/**
 * A quantity as a number when it is a whole one written as text ("2", "2.0"); anything else as it
 * came, for the purchase's validation to refuse with its path.
 */
export function readQuantity(value: number | string | undefined): unknown {
  if (typeof value !== 'string') return value;
  return /^\d+(\.0+)?$/.test(value) ? Number(value) : value;
}

/** "First Last" from the parts that are there; undefined when none is. */
export function joinName(...parts: (string | undefined)[]): string | undefined {
  const name = parts.filter((part) => part !== undefined && part !== '').join(' ');
  return name === '' ? undefined : name;
}

/**
 * A date-time a platform wrote without a zone (WooCommerce's `date_created_gmt`: "2017-03-22T19:28:02")
 * read as UTC; with a zone ("+0000", "-05:00", "Z") it is kept, "+0000" written "+00:00".
 */
export function utcDateTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim().replace(' ', 'T');
  const zoned = /^(.*T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})$/i.exec(text);
  if (zoned) return `${zoned[1]}${zoned[2]!.toUpperCase() === 'Z' ? 'Z' : zoned[2]!.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`;
  return /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text;
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', middot: '·', bull: '•',
  times: '×', deg: '°', reg: '®', copy: '©', trade: '™', euro: '€', pound: '£', cent: '¢',
  aacute: 'á', eacute: 'é', iacute: 'í', oacute: 'ó', uacute: 'ú', agrave: 'à', acirc: 'â', ecirc: 'ê',
  ocirc: 'ô', atilde: 'ã', otilde: 'õ', ccedil: 'ç', uuml: 'ü', ntilde: 'ñ',
  Aacute: 'Á', Eacute: 'É', Iacute: 'Í', Oacute: 'Ó', Uacute: 'Ú', Agrave: 'À', Acirc: 'Â', Ecirc: 'Ê',
  Ocirc: 'Ô', Atilde: 'Ã', Otilde: 'Õ', Ccedil: 'Ç', Uuml: 'Ü', Ntilde: 'Ñ',
};

/**
 * WordPress writes product names with HTML entities ("Camiseta &ndash; Azul", "P&amp;B",
 * "&#8211;", "&#x2013;"); the customer reads the character. Unknown entities stay as written.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : entity;
    }
    return NAMED[body] ?? entity;
  });
}
