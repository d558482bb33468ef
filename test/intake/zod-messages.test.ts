import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { createTestApp, purchaseBody } from '../helpers/app.js';
import { LOCALES, type Locale } from '../../src/i18n/index.js';
import { validate } from '../../src/intake/validate.js';

/** The first message validate gives for the input, in the locale. */
function message(schema: z.ZodType, input: unknown, locale: Locale = 'pt-BR'): string {
  const result = validate(schema, input, locale);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.issues.map((issue) => issue.message).join(' | ');
}

const day = (iso: string) => new Intl.DateTimeFormat('pt-BR', { dateStyle: 'short' }).format(new Date(iso));

/** Every issue code zod 4 raises, with its origins, and what a Brazilian seller reads. */
const cases: { what: string; schema: z.ZodType; input: unknown; pt: string }[] = [
  { what: 'invalid_type, missing', schema: z.object({ a: z.number() }), input: {}, pt: 'obrigatório' },
  { what: 'invalid_type, number', schema: z.number(), input: 'abc', pt: 'esperava um número, recebeu um texto' },
  { what: 'invalid_type, text', schema: z.string(), input: 12, pt: 'esperava um texto, recebeu um número' },
  { what: 'invalid_type, boolean', schema: z.boolean(), input: 'sim', pt: 'esperava um valor sim/não, recebeu um texto' },
  { what: 'invalid_type, list', schema: z.array(z.string()), input: { a: 1 }, pt: 'esperava uma lista, recebeu um objeto com campos' },
  { what: 'invalid_type, object', schema: z.object({}), input: null, pt: 'esperava um objeto com campos, recebeu um valor vazio (null)' },
  { what: 'invalid_type, record', schema: z.record(z.string(), z.string()), input: [], pt: 'esperava um objeto com campos, recebeu uma lista' },
  { what: 'invalid_type, date', schema: z.date(), input: '2026-01-01', pt: 'esperava uma data, recebeu um texto' },
  { what: 'invalid_type, file', schema: z.file(), input: 'foto.jpg', pt: 'esperava um arquivo, recebeu um texto' },
  { what: 'invalid_type, NaN', schema: z.number(), input: Number.NaN, pt: 'esperava um número, recebeu um número inválido' },
  { what: 'invalid_type, integer', schema: z.number().int(), input: 1.5, pt: 'deve ser um número inteiro' },
  { what: 'too_small, number', schema: z.number().int().min(1), input: 0, pt: 'o número deve ser no mínimo 1' },
  { what: 'too_small, number exclusive', schema: z.number().positive(), input: -2, pt: 'o número deve ser maior que 0' },
  { what: 'too_small, bigint', schema: z.bigint().min(5n), input: 1n, pt: 'o número deve ser no mínimo 5' },
  { what: 'too_big, number', schema: z.number().max(100_000), input: 100_001, pt: 'o número deve ser no máximo 100.000' },
  { what: 'too_big, number exclusive', schema: z.number().lt(10), input: 10, pt: 'o número deve ser menor que 10' },
  { what: 'too_small, text empty', schema: z.string().min(1), input: '', pt: 'não pode ficar vazio' },
  { what: 'too_small, text', schema: z.string().min(3), input: 'ab', pt: 'texto curto demais: no mínimo 3 caracteres' },
  { what: 'too_big, text', schema: z.string().max(100), input: 'x'.repeat(101), pt: 'texto longo demais: no máximo 100 caracteres' },
  { what: 'too_big, text of one', schema: z.string().max(1), input: 'xy', pt: 'texto longo demais: no máximo 1 caractere' },
  { what: 'too_small, text exact', schema: z.string().length(2), input: 'a', pt: 'o texto deve ter exatamente 2 caracteres' },
  { what: 'too_small, list empty', schema: z.array(z.string()).min(1), input: [], pt: 'a lista não pode ficar vazia' },
  { what: 'too_small, list', schema: z.array(z.string()).min(2), input: ['a'], pt: 'a lista deve ter no mínimo 2 itens' },
  { what: 'too_big, list', schema: z.array(z.string()).max(1), input: ['a', 'b'], pt: 'a lista pode ter no máximo 1 item' },
  { what: 'too_big, tuple', schema: z.tuple([z.string()]), input: ['a', 'b'], pt: 'a lista pode ter no máximo 1 item' },
  { what: 'too_big, set', schema: z.set(z.number()).max(2), input: new Set([1, 2, 3]), pt: 'a lista pode ter no máximo 2 itens' },
  { what: 'too_small, date', schema: z.date().min(new Date('2026-01-10T12:00:00Z')), input: new Date('2026-01-01T12:00:00Z'), pt: `a data deve ser ${day('2026-01-10T12:00:00Z')} ou depois` },
  { what: 'too_big, date', schema: z.date().max(new Date('2026-01-10T12:00:00Z')), input: new Date('2026-02-01T12:00:00Z'), pt: `a data deve ser ${day('2026-01-10T12:00:00Z')} ou antes` },
  { what: 'too_big, file', schema: z.file().max(2 * 1024 * 1024), input: new File(['x'.repeat(3 * 1024 * 1024)], 'a.jpg'), pt: 'arquivo grande demais: no máximo 2 MB' },
  { what: 'too_small, file', schema: z.file().min(1), input: new File([], 'a.jpg'), pt: 'arquivo pequeno demais: no mínimo 1 byte' },
  { what: 'invalid_format, email', schema: z.email(), input: 'ana@', pt: 'e-mail inválido' },
  { what: 'invalid_format, url', schema: z.url(), input: 'minhaloja', pt: 'endereço de site inválido: use um endereço completo, como https://minhaloja.com.br' },
  { what: 'invalid_format, ISO date', schema: z.iso.date(), input: '20/11/2026', pt: 'data inválida: use aaaa-mm-dd, como 2026-11-20' },
  { what: 'invalid_format, ISO date and time', schema: z.iso.datetime({ offset: true }), input: 'ontem', pt: 'data e hora inválidas: use ISO 8601, como 2026-11-20T14:30:00-03:00' },
  { what: 'invalid_format, pattern', schema: z.string().regex(/^[A-Z]+$/), input: 'abc', pt: 'formato inválido' },
  { what: 'invalid_format, starts with', schema: z.string().startsWith('PED-'), input: '123', pt: 'deve começar com "PED-"' },
  { what: 'invalid_format, uuid', schema: z.uuid(), input: 'x', pt: 'formato inválido (uuid)' },
  { what: 'not_multiple_of', schema: z.number().multipleOf(5), input: 3, pt: 'deve ser múltiplo de 5' },
  { what: 'unrecognized_keys, one', schema: z.strictObject({ a: z.string() }), input: { a: 'x', b: 1 }, pt: 'campo desconhecido: b' },
  { what: 'unrecognized_keys, two', schema: z.strictObject({ a: z.string() }), input: { a: 'x', b: 1, c: 2 }, pt: 'campos desconhecidos: b, c' },
  { what: 'invalid_value, enum', schema: z.enum(['pix', 'boleto', 'cartão']), input: 'cheque', pt: 'deve ser "pix", "boleto" ou "cartão"' },
  { what: 'invalid_value, literal', schema: z.literal(true), input: false, pt: 'deve ser true' },
  { what: 'invalid_union, types', schema: z.union([z.number(), z.string()]), input: true, pt: 'esperava um número ou um texto, recebeu um valor sim/não' },
  {
    what: 'invalid_union, discriminator',
    schema: z.discriminatedUnion('kind', [z.object({ kind: z.literal('a') }), z.object({ kind: z.literal('b') })]),
    input: { kind: 'c' },
    pt: 'deve ser "a" ou "b"',
  },
  { what: 'invalid_union, other', schema: z.union([z.string().min(5), z.email()]), input: 'ab', pt: 'valor inválido' },
  { what: 'invalid_key', schema: z.record(z.string().min(2), z.number()), input: { a: 1 }, pt: 'nome de campo inválido: texto curto demais: no mínimo 2 caracteres' },
  { what: 'invalid_element', schema: z.map(z.object({}), z.number()), input: new Map([[{}, 'b']]), pt: 'item inválido: esperava um número, recebeu um texto' },
  { what: 'custom', schema: z.string().refine(() => false), input: 'x', pt: 'valor inválido' },
];

/** Words of European Portuguese (and zod's own pt locale) a Brazilian seller would not write. */
const EUROPEAN = /demasiado|esperava que|ficheiro|registo|tuplo|vetor|entrada inválida|fosse|tivesse|>=|<=/i;

describe('zod messages in Brazilian Portuguese', () => {
  it.each(cases)('$what', ({ schema, input, pt }) => {
    const text = message(schema, input);
    expect(text).toBe(pt);
    expect(text).not.toMatch(EUROPEAN);
  });

  it('keeps a message the schema writes itself', () => {
    expect(message(z.string().min(1, 'escreva o nome'), '')).toBe('escreva o nome');
  });

  it.each([
    { locale: 'en' as const, expected: ['the number must be at least 1', 'expected a number, got a text', 'text too long: at most 100 characters', 'unknown field: b'] },
    { locale: 'es' as const, expected: ['el número debe ser como mínimo 1', 'se esperaba un número, se recibió un texto', 'texto demasiado largo: como máximo 100 caracteres', 'campo desconocido: b'] },
  ])('speaks $locale in its own words', ({ locale, expected }) => {
    const schemas: [z.ZodType, unknown][] = [
      [z.number().min(1), 0],
      [z.number(), 'abc'],
      [z.string().max(100), 'x'.repeat(101)],
      [z.strictObject({}), { b: 1 }],
    ];
    expect(schemas.map(([schema, input]) => message(schema, input, locale))).toEqual(expected);
  });

  it('never answers with zod’s bundled wording in any locale', () => {
    const zodWords = /Demasiado|Too (small|big)|Invalid input|Entrada inválida|esperava que|se esperaba que|expected .* to be/;
    for (const locale of LOCALES) {
      for (const { schema, input } of cases) expect(message(schema, input, locale)).not.toMatch(zodWords);
    }
  });
});

describe('POST /api/purchases answers with Brazilian messages', () => {
  it('says the quantity must be at least 1', async () => {
    const t = await createTestApp();
    try {
      const response = await t.api({
        method: 'POST',
        url: '/api/purchases',
        payload: purchaseBody({ items: [{ name: 'Café especial 250 g', quantity: 0 }, { name: 'Coador', quantity: 'duas' }] }),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toEqual({
        code: 'validation_failed',
        message: 'Alguns dados estão inválidos.',
        issues: [
          { path: 'items.0.quantity', message: 'o número deve ser no mínimo 1' },
          { path: 'items.1.quantity', message: 'esperava um número, recebeu um texto' },
        ],
      });
    } finally {
      await t.close();
    }
  });
});
