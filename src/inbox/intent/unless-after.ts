/** Patterns that do not count after a subject or some words: "o vendedor não me manda mais" tells, it does not ask. */
import { words, wordSet } from './folded-text.js';

/**
 * Subjects that make "manda", "liga", "para de", "me bloqueia" tell of someone
 * else, not ask: "o vendedor não me manda mais", "o site me bloqueia", "vão me
 * remover?". Checked on the word before a match (or the one before a "não").
 */
const SUBJECTS = [
  'ele', 'ela', 'eles', 'elas', 'vendedor', 'vendedora', 'entregador', 'entregadora', 'motoboy', 'atendente', 'site',
  'app', 'aplicativo', 'sistema', 'banco', 'cartão', 'ninguém', 'filho', 'filha', 'marido', 'esposa',
  'mãe', 'pai', 'vai', 'vão', 'ia', 'iria', 'irão', 'vou', 'foi',
];
/** Words between such a subject and the verb ("ele não me liga", "o site sempre me bloqueia"). */
const ADVERBS = ['não', 'nao', 'n', 'nem', 'nunca', 'mais', 'sempre', 'já'];

const SUBJECT_SET = wordSet(SUBJECTS);
const ADVERB_SET = wordSet(ADVERBS);

export interface Matcher {
  test(text: string): boolean;
}
/**
 * A whole-word pattern whose matches do not count right after some words (a
 * cheaper lookbehind: checked only where the pattern matched).
 */
export function unlessAfter(source: string, after: { subject?: boolean; words?: readonly string[] }): Matcher {
  const re = words(source, 'g');
  const plain = wordSet(after.words ?? []);
  return {
    test(text: string): boolean {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const before = text.slice(0, m.index).split(' ');
        const last = before[before.length - 2] ?? '';
        const prior = before[before.length - 3] ?? '';
        const bySubject =
          after.subject === true && (SUBJECT_SET.has(last) || (ADVERB_SET.has(last) && SUBJECT_SET.has(prior)));
        if (!bySubject && !plain.has(last)) return true;
        re.lastIndex = m.index + 1;
      }
      return false;
    },
  };
}
