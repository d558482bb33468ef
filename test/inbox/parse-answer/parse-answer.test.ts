import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AskKind } from '../../../src/flows/flow-types.js';
import { outcomeOf } from '../../../src/flows/steps/ask.js';
import { LOCALES } from '../../../src/i18n/index.js';
import { parseAnswer, type ParsedAnswer, type ParseProblem } from '../../../src/inbox/parse-answer/parse-answer.js';
import { no, TODAY, yes } from '../../helpers/parsed-answers.js';

describe('text', () => {
  it.each<[string, ParsedAnswer]>([
    ['  adorei o café  ', yes('adorei o café')],
    ['👍', yes('👍')],
    ['ok', yes('ok')],
    ['...', no('empty')],
    ['', no('empty')],
    [' \n ', no('empty')],
  ])('reads %j', (text, expected) => {
    expect(parseAnswer('text', text, 'pt-BR')).toStrictEqual(expected);
  });
});

describe('a long message', () => {
  it('is searched in its first 4000 characters, and its comment is kept whole', () => {
    const complaint = 'a entrega atrasou '.repeat(5000).trim();
    expect(parseAnswer('nps', `nota 3, ${complaint}`, 'pt-BR')).toStrictEqual(yes('3', complaint));
    expect(parseAnswer('nps', `${complaint} nota 3`, 'pt-BR')).toStrictEqual(no('no_answer_found'));
  });
});

describe('any input', () => {
  const KINDS: AskKind[] = ['nps', 'csat', 'yes_no', 'choice', 'text', 'referral', 'birthday'];
  const PROBLEMS: ParseProblem[] = ['empty', 'no_answer_found', 'out_of_range', 'conflicting', 'unknown_option', 'invalid_date', 'no_phone'];
  const choices = [
    { key: 'entrega', label: 'Entrega' },
    { key: 'preco-justo', label: 'Preço justo' },
  ];
  const pieces = [
    'sim', 'não', 'nao', 'no', 'nota', '9', '10', '/10', ' de ', ' a ', '0', '-', '⭐', '★', '🔟', '1️⃣', '👍', '👎', 'ótimo',
    'bom', 'dia', ' ', ',', '.', '!', '?', '12/03', 'março', '12 de ', '(11) ', '91234-5678', '+55', 'Ana', 'kkk', 'entrega',
    'preço', 'justo', 'opção', '2', 'talvez', 'quero', 'R$', '%', ':', '\u0301', '\ufe0f', '\u200d', '\ud800', '\udc00',
    // Praise (test/inbox/praise-scores.test.ts).
    'mil', ' mil', '💯', '1000', 'milhão', 'a thousand', ' e ', '∞', 'atraso', 'mas', '🙄',
  ];
  const texts = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 40 }),
    fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((parts) => parts.join('')),
  );

  it('never throws and always answers with one of the two shapes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), texts, fc.constantFrom(...LOCALES), (kind, text, locale) => {
        const result = parseAnswer(kind, text, locale, { choices, today: TODAY });
        if (!result.ok) {
          expect(Object.keys(result).sort()).toEqual(['ok', 'reason']);
          expect(PROBLEMS).toContain(result.reason);
          return;
        }
        expect(typeof result.value).toBe('string');
        expect(result.value).not.toBe('');
        if (result.comment !== undefined) expect(result.comment.trim()).not.toBe('');
        if (kind === 'referral') {
          expect(result.value).toMatch(/^\+\d{8,15}(,\+\d{8,15})*$/);
          expect(result.referrals?.map((r) => r.phone).join(',')).toBe(result.value);
        } else {
          expect(result.referrals).toBeUndefined();
        }
        if (kind === 'birthday') expect(result.value).toMatch(/^(\d{4}|-)-\d{2}-\d{2}$/);
        // Every value is one the flow engine takes.
        expect(outcomeOf(kind, result.value, choices.map((c) => c.key))).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});
