import { en } from './en.js';
import { es } from './es.js';
import { ptBR, type Catalog, type MessageKey } from './pt-BR.js';

export type { MessageKey };
export const LOCALES = ['pt-BR', 'en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

const catalogs: Record<Locale, Catalog> = { 'pt-BR': ptBR, en, es };

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** Looks a message up and fills its {placeholders}; an unknown placeholder stays visible. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  return catalogs[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** `translate` bound to one locale: the `t` of every module that speaks to a seller or customer. */
export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

/** A message told in two forms, by the catalogue's convention: `<key>.one` and `<key>.other`. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.one` ? (`${Base}.other` extends MessageKey ? Base : never) : never;
}[MessageKey];

const pluralRules = new Map<Locale, Intl.PluralRules>();

/**
 * A count with its words in the right number: "1 promotor", "2 promotores",
 * "0 promotores". The form comes from the platform's `Intl.PluralRules` for
 * the locale; a count of none always takes the plural form, as ICU's `=0`
 * case does (CLDR files Portuguese 0 under "one", but a seller reads
 * "0 promotores", never "0 promotor"). Categories the catalogue does not
 * write (Spanish and Portuguese "many" for a round million) use `.other`.
 * `{count}` is the number formatted for the locale; `params` fill the rest.
 */
export function plural(locale: Locale, key: PluralKey, count: number, params: Record<string, string | number> = {}): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  const form = count !== 0 && rules.select(count) === 'one' ? 'one' : 'other';
  return translate(locale, `${key}.${form}`, { count: new Intl.NumberFormat(locale).format(count), ...params });
}

export type Pluralize = (key: PluralKey, count: number, params?: Record<string, string | number>) => string;

/** `plural` bound to one locale, next to a module's `t`. */
export function pluralizer(locale: Locale): Pluralize {
  return (key, count, params) => plural(locale, key, count, params);
}
