import type { z } from 'zod';
import { plural, translate, type Locale, type MessageKey, type PluralKey } from '../i18n/index.js';

type Issue = z.core.$ZodRawIssue;

/**
 * zod's own issues (types, sizes, formats, choices) in the seller's words,
 * from the catalogue: zod's bundled `pt` locale is European Portuguese
 * ("Demasiado pequeno: esperava que…") and its `en` and `es` read as a
 * programmer's notes. Messages a schema writes itself (`t('email.invalid')`,
 * refinements) win over these, as zod gives a schema's own error precedence.
 */
export function zodErrorMap(locale: Locale): z.core.$ZodErrorMap {
  return (issue) => describeIssue(issue, locale);
}

/** The sentence for one issue zod raises, in the locale. */
export function describeIssue(issue: Issue, locale: Locale): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const count = (key: PluralKey, value: number, params?: Record<string, string | number>) => plural(locale, key, value, params);
  const number = (value: number | bigint) => new Intl.NumberFormat(locale, { maximumFractionDigits: 20 }).format(value);
  const or = (items: string[]) => new Intl.ListFormat(locale, { type: 'disjunction' }).format(items);

  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined || issue.expected === 'nonoptional') return t('field.required');
      if (issue.expected === 'int' && typeof issue.input === 'number' && Number.isFinite(issue.input)) return t('zod.integer');
      return t('zod.expected', { expected: t(typeKey(issue.expected)), received: t(typeKey(receivedType(issue.input))) });
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const limit = small ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      const origin = issue.origin;
      if (origin === 'string' || origin === 'array' || origin === 'set') {
        // A size is a whole count: "more than 0" is "at least 1".
        const size = Number(limit) + (inclusive ? 0 : small ? 1 : -1);
        const text = origin === 'string';
        if (issue.exact) return count(text ? 'zod.text.exact' : 'zod.list.exact', size);
        if (small && size <= 1) return t(text ? 'text.empty' : 'zod.list.empty');
        return count(text ? (small ? 'zod.text.min' : 'zod.text.max') : small ? 'zod.list.min' : 'zod.list.max', size);
      }
      if (origin === 'number' || origin === 'int' || origin === 'bigint') {
        const value = number(limit);
        if (small) return inclusive ? t('zod.number.min', { min: value }) : t('zod.number.above', { min: value });
        return inclusive ? t('zod.number.max', { max: value }) : t('zod.number.below', { max: value });
      }
      if (origin === 'date') {
        const date = new Intl.DateTimeFormat(locale, { dateStyle: 'short' }).format(new Date(Number(limit)));
        if (small) return t(inclusive ? 'zod.date.min' : 'zod.date.after', { date });
        return t(inclusive ? 'zod.date.max' : 'zod.date.before', { date });
      }
      if (origin === 'file') return t(small ? 'zod.file.min' : 'zod.file.max', { size: fileSize(Number(limit), locale) });
      return small ? t('zod.value.min', { min: number(limit) }) : t('zod.value.max', { max: number(limit) });
    }
    case 'invalid_format': {
      if (issue.format === 'starts_with') return t('zod.format.starts_with', { prefix: String(issue.prefix) });
      if (issue.format === 'ends_with') return t('zod.format.ends_with', { suffix: String(issue.suffix) });
      if (issue.format === 'includes') return t('zod.format.includes', { includes: String(issue.includes) });
      const key = FORMAT_KEYS[issue.format];
      return key ? t(key) : t('zod.format.other', { format: issue.format });
    }
    case 'not_multiple_of':
      return t('zod.multiple_of', { divisor: number(issue.divisor) });
    case 'unrecognized_keys':
      return t(issue.keys.length === 1 ? 'zod.unknown_key' : 'zod.unknown_keys', { keys: issue.keys.join(', ') });
    case 'invalid_value':
      if (issue.input === undefined) return t('field.required');
      return t('zod.one_of', { values: or(issue.values.map(showValue)) });
    case 'invalid_union': {
      if (issue.input === undefined) return t('field.required');
      if (issue.inclusive === false) return t('zod.union.ambiguous');
      if (issue.discriminator !== undefined && issue.options && issue.options.length > 0) {
        return t('zod.one_of', { values: or(issue.options.map(showValue)) });
      }
      // Each form refused the value for its type ("a number or a text"): say which types are taken.
      const types = issue.errors.map((errors) => (errors.length === 1 && errors[0]?.code === 'invalid_type' && errors[0].path.length === 0 ? errors[0].expected : undefined));
      if (types.length > 0 && types.every((type) => type !== undefined)) {
        const expected = [...new Set(types.map((type) => t(typeKey(type))))];
        return t('zod.expected', { expected: or(expected), received: t(typeKey(receivedType(issue.input))) });
      }
      return t('zod.invalid');
    }
    case 'invalid_key':
      return t('zod.invalid_key', { detail: issue.issues[0]?.message ?? t('zod.invalid') });
    case 'invalid_element':
      return t('zod.invalid_element', { detail: issue.issues[0]?.message ?? t('zod.invalid') });
    case 'custom':
    default:
      return t('zod.invalid');
  }
}

/** Formats with their own sentence; the others are named ("formato inválido (uuid)"). */
const FORMAT_KEYS: Partial<Record<string, MessageKey>> = {
  email: 'email.invalid',
  datetime: 'datetime.invalid',
  date: 'zod.format.date',
  time: 'zod.format.time',
  url: 'zod.format.url',
  lowercase: 'zod.format.lowercase',
  uppercase: 'zod.format.uppercase',
  regex: 'zod.format.pattern',
  template_literal: 'zod.format.pattern',
};

/** zod's type names (expected) and `typeof`-like names (received), to the catalogue's words. */
function typeKey(type: string): MessageKey {
  switch (type) {
    case 'string':
      return 'zod.type.text';
    case 'number':
      return 'zod.type.number';
    case 'int':
    case 'bigint':
      return 'zod.type.integer';
    case 'boolean':
      return 'zod.type.boolean';
    case 'date':
      return 'zod.type.date';
    case 'array':
    case 'tuple':
    case 'set':
      return 'zod.type.list';
    case 'object':
    case 'record':
    case 'map':
      return 'zod.type.object';
    case 'file':
      return 'zod.type.file';
    case 'null':
      return 'zod.type.null';
    case 'nan':
      return 'zod.type.nan';
    default:
      return 'zod.type.other';
  }
}

function receivedType(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (input instanceof Date) return 'date';
  if (typeof File !== 'undefined' && input instanceof File) return 'file';
  if (typeof input === 'number') return Number.isNaN(input) ? 'nan' : 'number';
  return typeof input;
}

function showValue(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function fileSize(bytes: number, locale: Locale): string {
  const [unit, size] = bytes >= 1024 * 1024 ? (['megabyte', bytes / (1024 * 1024)] as const) : bytes >= 1024 ? (['kilobyte', bytes / 1024] as const) : (['byte', bytes] as const);
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: unit === 'byte' ? 'long' : 'short', maximumFractionDigits: 1 }).format(size);
}
