import { describe, expect, it } from 'vitest';
import { parseCustomersCsv } from '../../src/intake/import-customers.js';
import { ManualClock } from '../../src/scheduler/clock.js';

// Issue 20: a CSV the parser could not read said so in the parser's English ("Invalid Closing Quote: found non trimable byte…").

const ctx = (locale: 'pt-BR' | 'en' | 'es') => ({ locale, defaultCountry: 'BR' as const, currency: 'BRL', clock: new ManualClock('2026-11-20T12:00:00Z') });
const TEXT_AFTER_QUOTE = 'nome,telefone\nBia,11912345678\n"Ana"x,11987654321\n';

describe('a CSV the parser cannot read', () => {
  it.each([
    ['pt-BR', 'linha 3: há texto logo depois de uma aspa que fecha um campo (como "Ana"x); confira as aspas dessa linha'],
    ['en', 'line 3: there is text right after a quote that closes a field (as in "Ana"x); check the quotes on that line'],
    ['es', 'línea 3: hay texto justo después de una comilla que cierra un campo (como "Ana"x); revise las comillas de esa línea'],
  ] as const)('says in %s what is wrong, with the line, and nothing of the parser’s English', (locale, message) => {
    const result = parseCustomersCsv(TEXT_AFTER_QUOTE, ctx(locale));
    expect(result).toEqual({ ok: false, message });
    expect(JSON.stringify(result)).not.toMatch(/Invalid|Closing|trimable|byte/);
  });
});
