import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { es } from '../../src/i18n/es.js';
import { LOCALES, plural, pluralizer, type PluralKey } from '../../src/i18n/index.js';
import { ptBR } from '../../src/i18n/pt-BR.js';

const catalogs = { 'pt-BR': ptBR, en, es } as const;

describe('plural', () => {
  it('pt-BR: 1 reads singular, 0 and 2 or more plural', () => {
    expect(plural('pt-BR', 'count.promoters', 1)).toBe('1 promotor');
    expect(plural('pt-BR', 'count.promoters', 0)).toBe('0 promotores');
    expect(plural('pt-BR', 'count.promoters', 2)).toBe('2 promotores');
    expect(plural('pt-BR', 'count.passives', 1)).toBe('1 neutro');
    expect(plural('pt-BR', 'count.passives', 3)).toBe('3 neutros');
    expect(plural('pt-BR', 'count.detractors', 1)).toBe('1 detrator');
    expect(plural('pt-BR', 'count.detractors', 12)).toBe('12 detratores');
    expect(plural('pt-BR', 'page.dashboard.returning', 1)).toBe('1 voltou a comprar');
    expect(plural('pt-BR', 'page.dashboard.returning', 8)).toBe('8 voltaram a comprar');
  });

  it('en: 1 reads singular, 0 and 2 or more plural', () => {
    expect(plural('en', 'count.promoters', 1)).toBe('1 promoter');
    expect(plural('en', 'count.promoters', 0)).toBe('0 promoters');
    expect(plural('en', 'count.promoters', 2)).toBe('2 promoters');
    expect(plural('en', 'count.detractors', 1)).toBe('1 detractor');
    expect(plural('en', 'page.dashboard.csat_answers', 1)).toBe('1 rating');
    expect(plural('en', 'page.dashboard.csat_answers', 5)).toBe('5 ratings');
  });

  it('es: 1 reads singular, 0 and 2 or more plural', () => {
    expect(plural('es', 'count.promoters', 1)).toBe('1 promotor');
    expect(plural('es', 'count.promoters', 0)).toBe('0 promotores');
    expect(plural('es', 'count.promoters', 2)).toBe('2 promotores');
    expect(plural('es', 'count.detractors', 1)).toBe('1 detractor');
    expect(plural('es', 'count.messages_failed', 1)).toBe('1 falló');
    expect(plural('es', 'count.messages_failed', 4)).toBe('4 fallaron');
  });

  it('writes the count as the locale writes numbers, and a round million (CLDR "many") in the plural', () => {
    expect(plural('pt-BR', 'count.new_customers', 1000)).toBe('1.000 clientes novos');
    expect(plural('en', 'count.new_customers', 1000)).toBe('1,000 new customers');
    expect(plural('es', 'count.promoters', 1_000_000)).toBe('1.000.000 promotores');
    expect(plural('pt-BR', 'count.promoters', 1_000_000)).toBe('1.000.000 promotores');
  });

  it('fills the other placeholders, and a given count wins over the formatted one', () => {
    expect(plural('pt-BR', 'count.owner_numbers', 1)).toBe('1 número do OWNER_PHONE');
    expect(plural('pt-BR', 'count.owner_numbers', 2, { count: 'dois' })).toBe('dois números do OWNER_PHONE');
  });

  it('pluralizer binds the locale', () => {
    for (const locale of LOCALES) {
      const n = pluralizer(locale);
      for (const count of [0, 1, 2]) expect(n('count.detractors', count)).toBe(plural(locale, 'count.detractors', count));
    }
  });

  it('every catalogue writes both forms of every counted message, each with its {count}', () => {
    for (const [locale, catalog] of Object.entries(catalogs)) {
      const keys = Object.keys(catalog);
      const bases = keys.filter((key) => key.endsWith('.one')).map((key) => key.slice(0, -'.one'.length));
      expect(bases.length, locale).toBeGreaterThan(0);
      for (const base of bases) {
        const forms = catalog as Record<string, string>;
        expect(forms[`${base}.other`], `${locale} ${base}.other`).toContain('{count}');
        expect(forms[`${base}.one`], `${locale} ${base}.one`).toContain('{count}');
      }
    }
  });

  it('every catalogue reads singular and plural differently for the nouns a seller counts', () => {
    const nouns: PluralKey[] = ['count.promoters', 'count.passives', 'count.detractors', 'count.new_customers', 'page.dashboard.csat_answers'];
    for (const locale of LOCALES) {
      for (const key of nouns) expect(plural(locale, key, 1), `${locale} ${key}`).not.toBe(plural(locale, key, 2).replace(/^2/, '1'));
    }
  });
});
