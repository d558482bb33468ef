/**
 * yes_no: "yes" or "no". "ok", "beleza", "blz", "tá bom", "pode", "quero",
 * "com certeza", 👍, ✅ are yes; "não", "n", "nunca", "jamais", "negativo", 👎,
 * ❌ are no. A negation right before a yes word, or right after a yes verb, is
 * one no ("não quero", "quero não", "claro que não"). "não sei", "talvez", "sei
 * lá", "maybe", "no sé" are unsure: alone they are `no_answer_found`, with a
 * yes or a no they are `conflicting` (so "sim não sei" is conflicting). "sem
 * problema" / "no problem" is yes. In pt-BR, a lone "no" ("no, obrigado") is
 * no, but "no prazo" is not.
 */
import { YES_NO_NEGATORS, YES_NO_WORDS, YES_VERBS, type Polarity } from './answer-words.js';
import { commentAfter } from './comment.js';
import { findHits, type Hit, type Reading } from './reading.js';
import { answer, fail, type ParsedAnswer } from './types.js';

export function parseYesNo(r: Reading): ParsedAnswer {
  const hits = mergeNegations(r, findHits(r, YES_NO_WORDS));
  const polarities = new Set(hits.map((hit) => hit.value));
  if (polarities.size > 1) return fail('conflicting');
  const first = hits[0];
  if (!first || first.value === 'unsure') return fail('no_answer_found');
  return answer(first.value, commentAfter(r, repeatsEnd(r, hits)));
}

/** "não quero" and "quero não" are one no, not a no and a yes. */
function mergeNegations(r: Reading, hits: Hit<Polarity>[]): Hit<Polarity>[] {
  const merged: Hit<Polarity>[] = [];
  for (let k = 0; k < hits.length; k++) {
    const [hit, next] = [hits[k]!, hits[k + 1]];
    const adjacent = next !== undefined && next.first === hit.last + 1;
    const negatorFirst = hit.value === 'no' && YES_NO_NEGATORS.has(hit.key) && next?.value === 'yes';
    const negatorAfter = hit.value === 'yes' && YES_VERBS.has(hit.key) && next?.value === 'no' && YES_NO_NEGATORS.has(next.key);
    if (adjacent && (negatorFirst || negatorAfter)) {
      merged.push({ value: 'no', first: hit.first, last: next.last, key: `${hit.key} ${next.key}` });
      k++;
    } else {
      merged.push(hit);
    }
  }
  return merged;
}

/** "sim sim", "não, não", "👍👍", "pode sim": the answer goes on while it repeats, or while the next word says the same. */
function repeatsEnd(r: Reading, hits: Hit<Polarity>[]): number {
  const first = hits[0]!;
  let last = first.last;
  for (const hit of hits.slice(1)) {
    const between = r.tokens.slice(last + 1, hit.first);
    const repeats = hit.key === first.key && between.every((token) => token.kind === 'sym');
    if (!repeats && !(between.length === 0 && hit.value === first.value)) break;
    last = hit.last;
  }
  return last;
}
