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
