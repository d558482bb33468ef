/**
 * Praise beyond the scale ("nota mil", "💯", "100/10", full marks on another scale): the top of the scale asked,
 * unless it may be irony or is taken back. The rules are at readPraise.
 */
import { CSAT_WORDS, CURRENCY_SIGNS, NEGATORS, OUT_OF_WORDS, UNIT_WORDS } from './answer-words.js';
import { STARS, type NumberItem, type NumberRules } from './numbers.js';
import { findHits, isNegated, isWord, type Reading } from './reading.js';

const NOTA_WORDS = new Set(['nota']);
const STAR_WORDS = new Set(['estrela', 'estrelas', 'estrelinha', 'estrelinhas', 'star', 'stars', 'estrella', 'estrellas']);
/** The tops a customer may write a score over: "x/5", "x de 10", "x/100". */
const SCALE_TOPS = new Set([5, 10, 100]);
/** Before a day: "dia 10/10", "chegou 5/5". */
const DATE_LEADS = new Set([
  'dia', 'em', 'no', 'ate', 'desde', 'chegou', 'chega', 'entregue', 'entregou', 'recebi', 'comprei', 'pedi', 'on', 'el', 'day',
  'arrived', 'llego',
]);
/** Irony, anywhere in a message with praise: "só que não", 🙄 (Folha de S.Paulo, 23/11/2021, on 🤡; dci.com.br on 🙃). */
const IRONY_MARKS = new Set(['sqn', 'ironia', 'ironico', 'ironica', 'sarcasmo', '🙄', '🙃', '😒', '🤡', '😑', '😤', '😠', '😡', '🤬', '👎']);
const IRONY_PHRASES = [['so', 'que', 'nao'], ['so', 'q', 'nao']];
/** What goes wrong with an order: near praise, the praise may be irony ("nota mil pro atraso"). */
const COMPLAINT_WORDS = new Set([
  'atraso', 'atrasos', 'atrasou', 'atrasado', 'atrasada', 'atrasados', 'atrasadas', 'atrasaram', 'demora', 'demorou',
  'demorado', 'demorada', 'demoraram', 'quebrado', 'quebrada', 'quebrados', 'quebradas', 'quebrou', 'defeito',
  'defeituoso', 'defeituosa', 'errado', 'errada', 'amassado', 'amassada', 'rasgado', 'rasgada', 'estragado', 'estragada',
  'faltou', 'faltando', 'faltaram', 'extraviado', 'extraviada', 'sumiu', 'descaso', 'desrespeito', 'vergonha',
  'palhacada', 'piada', 'golpe', 'decepcao', 'decepcionado', 'decepcionada', 'pior', 'lamentavel',
  'late', 'delay', 'delayed', 'broken', 'damaged', 'wrong', 'worst', 'missing', 'scam', 'joke', 'disappointed',
  // Not "rota" (a route in Portuguese), "dañado" (folded "danado", "great" in Portuguese) nor "absurdo" ("absurdo de bom").
  'retraso', 'retrasado', 'retrasada', 'roto', 'peor', 'estafa', 'verguenza', 'decepcion',
]);
/** Between a complaint and praise, these make both sincere: "demorou mas nota mil". */
const CONTRAST_WORDS = new Set([
  'mas', 'porem', 'contudo', 'entretanto', 'todavia', 'apesar', 'embora', 'but', 'though', 'although', 'however', 'pero',
  'aunque', 'embargo',
]);

/**
 * Scores written the way people praise, read as the top of the scale asked (10 for nps, 5 for csat). The
 * rules, each from how customers write (sources in test/inbox/praise-scores.test.ts):
 * - "nota mil" / "nota 1000" / "nota 10.000" / "nota 1 milhão" / "nota infinita": "nota" right before a
 *   thousand-or-more word, or a power of ten from 1000 in digits. "Nota mil" comes from the ENEM essay, graded
 *   0 to 1000; in reviews "nota 100000", "Nota 10000000!!" say the same. "nota 100" is not praise (it stays
 *   `out_of_range`, as test/inbox/parse-answer/nps.test.ts says): 100 is a real score on a 0-100 scale, and a
 *   10 with one 0 too many. Nor are "nota 1500" or "nota mil e quinhentos": a number, not the idiom (and how money is said).
 * - "mil" / "um milhão" alone ("Mil!", "mil, chegou rapidinho"): a thousand-or-more word as the whole answer,
 *   before any word. Elsewhere a thousand is not a score: "mil desculpas", "paguei mil", "mil reais", "mil
 *   vezes melhor", "dou mil" are not read (and "paguei 2 mil" is no longer a 2). Digits alone ("1000",
 *   "10000") stay `out_of_range`, as any number outside the scale: only the word is the idiom.
 * - "mil estrelas", "1000 ⭐": a thousand-or-more stars.
 * - "💯" (U+1F4AF HUNDRED POINTS, "perfect score"): anywhere, each one the top.
 * - "100/10", "1000/10", "mil de 10", "a thousand out of ten", "100 de 5": a score over a top of 5, 10 or 100
 *   that is 100 or more, or a thousand-or-more word. "11/10" and "50/10" stay `out_of_range` ("11/10" is also
 *   11 October, and "11/10 would not play again" is written too).
 * - Full marks on another scale: "10/10", "10 de 10" on csat, "5/5", "5 de 5" on nps, "100/100" on both. A
 *   middle score of another scale is not converted ("8/10" on csat is not read, "nota 8" `out_of_range`). A
 *   lone "10", "dez", "nota 10" on csat is its top, as test/inbox/parse-answer/csat.test.ts asserts for "nota
 *   10" (ten is the top of the scale people grade everything on), but "10/5" and "10, 3" are not converted.
 *   "10/10" as a date ("dia 10/10", "05/05", "10/10/2024") is not full marks.
 * Not praise, so not the top (when unsure of the intent, do nothing automated):
 * - taken back, by the same rule as "não dou 10": "não é nota mil";
 * - followed by a negation that ends it ("nota mil não", "nota mil nada!"; but "nota mil nada a reclamar" is
 *   praise) or by "?" ("nota mil?");
 * - in a message with a mark of irony: "só que não", "sqn", 🙄, 🙃, 😒, 🤡...;
 * - in a message with a complaint ("nota mil pro atraso né", "nota mil pelo descaso", "atrasou 3 dias, nota
 *   mil", "nota mil, péssimo"), unless a "mas", "porém", "apesar"... stands between the complaint and the
 *   praise: "demorou mas nota mil", "nota mil, mas atrasou" are praise, the remark the comment.
 * "nota zero" is 0, as before.
 */
export function readPraise(r: Reading, items: NumberItem[], rules: NumberRules): void {
  mergeOutOf(r, items, rules);
  for (let k = items.length - 1; k >= 0; k--) {
    const item = items[k]!;
    if (item.praise) continue;
    if (item.big === 'no' && r.tokens[item.first]?.kind === 'num' && isPowerOfTen(item.value)) item.big = 'digits';
    if (item.big === 'no') continue;
    const afterNota = isWord(r, item.first - 1, NOTA_WORDS);
    const stars = STAR_WORDS.has(r.tokens[item.last]?.text ?? '') || STARS.has(r.tokens[item.last]?.text ?? '');
    const next = r.tokens[item.last + 1];
    const alone = r.tokens.slice(0, item.first).every((token) => token.kind === 'sym') && (next === undefined || next.kind === 'sym');
    if (item.big === 'compound') {
      if (!afterNota) items.splice(k, 1);
    } else if (afterNota || stars || (alone && item.big === 'words')) {
      Object.assign(item, { value: rules.max, praise: true });
    } else if (item.big === 'words') {
      items.splice(k, 1);
    }
  }
  // "nota dez", "10" on a 1-5 question: ten is the top of the scale people grade everything on (school
  // marks), so given alone it is the top of this one. Only a lone 10: "10/5", "dia 10/10", "8" or
  // "10, 3" are not converted (a middle score has no sure translation), and "10 estrelas" counts stars.
  const scored = items.filter((item) => !item.excluded);
  const lone = scored.length === 1 ? scored[0]! : undefined;
  if (rules.max === 5 && rules.stars && lone && lone.value === 10 && lone.big === 'no' && !lone.ordinal && !lone.praise) {
    Object.assign(lone, { value: rules.max, praise: true });
  }
}

/** 1000, 10000, 100000...: how "a lot" is typed in digits. */
function isPowerOfTen(value: number): boolean {
  return value >= 1000 && Number.isSafeInteger(value) && /^10+$/.test(String(value));
}

/** "100/10", "mil de 10", "a thousand out of ten", "10/10" on csat: one item, the top. See readPraise. */
function mergeOutOf(r: Reading, items: NumberItem[], rules: NumberRules): void {
  const t = r.tokens;
  for (let k = 0; k + 1 < items.length; k++) {
    const [a, b] = [items[k]!, items[k + 1]!];
    if (!SCALE_TOPS.has(b.value) || b.big !== 'no' || b.praise || a.ordinal || b.ordinal) continue;
    const gap = t.slice(a.last + 1, b.first).map((token) => token.text);
    if (!OUT_OF_WORDS.has(gap.join(''))) continue;
    const beyond = (a.big === 'words' || a.big === 'digits' || (a.value > b.value && a.value >= 100)) && a.big !== 'compound';
    const full = a.big === 'no' && a.value === b.value;
    if (!beyond && !full) continue;
    if (b.value === rules.max && a.value <= rules.max) continue; // "10/10" on nps, "5 de 5" on csat: read as before.
    if (UNIT_WORDS.has(t[b.last + 1]?.text ?? '') || t[b.last + 1]?.text === '%' || CURRENCY_SIGNS.has(t[a.first - 1]?.text ?? '')) continue;
    if (full && gap[0] === '/' && looksLikeDate(r, a, b)) continue;
    Object.assign(a, { value: rules.max, praise: true, last: b.last });
    items.splice(k + 1, 1);
  }
}

/** "10/10" as a day: "dia 10/10", "chegou 5/5", "05/05", "10/10/2024". */
function looksLikeDate(r: Reading, a: NumberItem, b: NumberItem): boolean {
  const t = r.tokens;
  if (a.value > 31) return false;
  if (/^0\d/.test(t[a.first]?.text ?? '') || /^0\d/.test(t[b.first]?.text ?? '')) return true;
  if (t[b.last + 1]?.text === '/' || t[a.first - 1]?.text === '/') return true;
  return isWord(r, a.first - 1, DATE_LEADS);
}

/** Praise that may be irony or taken back: not read (see readPraise). */
export function isDoubtfulPraise(r: Reading, item: NumberItem): boolean {
  const t = r.tokens;
  const next = t[item.last + 1];
  const after = t[item.last + 2];
  // "nota mil?", "nota mil não!"; but "nota mil nada a reclamar" says the praise again.
  if (next?.text === '?' || (next?.kind === 'word' && isWord(r, item.last + 1, NEGATORS) && (after === undefined || after.kind === 'sym'))) return true;
  const words = t.map((token) => token.text);
  const irony = t.some((token, i) => IRONY_MARKS.has(token.text) || IRONY_PHRASES.some((phrase) => phrase.every((word, j) => words[i + j] === word)));
  if (irony) return true;
  return complaintsIn(r).some((at) => {
    const [from, to] = at < item.first ? [at + 1, item.first] : [item.last + 1, at];
    return !t.slice(from, to).some((_, j) => isWord(r, from + j, CONTRAST_WORDS));
  });
}

/** Where a complaint is: a complaint word, or a bad quality word not negated ("ruim", but not "não foi ruim"). */
function complaintsIn(r: Reading): number[] {
  const words = r.tokens.flatMap((token, i) => (token.kind === 'word' && isWord(r, i, COMPLAINT_WORDS) ? [i] : []));
  const bad = findHits(r, CSAT_WORDS).flatMap((hit) => (hit.value <= 2 && !isNegated(r, hit.first) ? [hit.first] : []));
  return [...words, ...bad];
}
