import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { describeZodIssue } from '../../src/flows/flow-schema.js';

// zod issues the flow schema has no sentence of its own for: the catalogue's words, never zod's code.

const issue = (raw: Record<string, unknown>) => ({ path: [], input: 'x', ...raw }) as unknown as z.core.$ZodRawIssue;

describe('describeZodIssue', () => {
  it('says an issue with no flow sentence in the seller’s words, not as zod’s code', () => {
    const format = issue({ code: 'invalid_format', format: 'uuid' });
    const multiple = issue({ code: 'not_multiple_of', divisor: 5, input: 7 });
    for (const locale of ['pt-BR', 'en', 'es'] as const) {
      for (const text of [describeZodIssue(format, locale), describeZodIssue(multiple, locale)]) {
        expect(text).not.toMatch(/invalid_format|not_multiple_of|Invalid input/);
      }
    }
    expect(describeZodIssue(multiple, 'pt-BR')).toContain('5');
    expect(describeZodIssue(issue({ code: 'custom' }), 'pt-BR')).toBe('valor inválido');
  });

  it('keeps the flow’s own sentences for what it knows', () => {
    expect(describeZodIssue(issue({ code: 'invalid_type', expected: 'boolean', input: 'sim' }), 'pt-BR')).toBe('use true ou false');
    expect(describeZodIssue(issue({ code: 'invalid_type', expected: 'string', input: undefined }), 'pt-BR')).toBe('campo obrigatório');
  });
});
