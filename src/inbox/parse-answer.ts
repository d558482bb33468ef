/**
 * Reads a customer's typed WhatsApp reply to a question the bot asked, into
 * the value the flow engine expects (src/flows/steps/ask.ts, outcomeOf): nps
 * "0".."10", csat "1".."5", yes_no "yes" | "no", choice the option's key,
 * birthday "YYYY-MM-DD" or "--MM-DD" (src/domain/dates.ts), referral the E.164
 * numbers joined by ",", text the trimmed text. Pure and total: any string
 * gives one of the two shapes, never an exception. The word lists are in
 * answer-words.ts.
 *
 * How a message is read. It is folded (NFKD, lowercase, accents, variation
 * selectors and skin tones dropped: "NÃO" is "nao", "9️⃣" is "9", "1️⃣0️⃣" is
 * "10", "🔟" is "10") and cut into numbers, words and single symbols. Words are
 * looked up as typed, then with letters repeated three or more times cut to
 * two ("goood"), then to one ("siiim", "naaao"). pt-BR words always count,
 * whatever the locale; the few en/es words that are everyday Portuguese
 * ("no", "dos", "doce") count in their own locale, or when they stand alone.
 * A message with nothing but spaces, punctuation and invisible characters is
 * `empty`, for every kind (emoji are not punctuation: "👍" is an answer).
 * Only the first 4000 characters are searched for the answer (an answer is
 * short; this bounds the work on a 64 KB message); the comment and a text
 * answer are the whole message.
 *
 * Decisions where the rules left room:
 * - comment: the text after the answer (the score with its "/10", "de 10",
 *   "estrelas"; the first yes/no word and its repeats; the option; the date),
 *   as typed, without leading spaces and punctuation. A remark before the
 *   answer is not a comment (the whole message stays in the customer's record
 *   anyway), nor is a rest that is only punctuation, emoji or laughter
 *   ("10 kkkk"). Referrals have no comment; text answers are all value.
 * - nps / csat: every number in the message is a candidate score, except those
 *   that count something else ("2 dias", "R$ 50", "10%", "10:30", "12/03", "1a
 *   vez"), the ends of the scale written out ("de 0 a 10", "1 a 5", "0-10"),
 *   the top after a score ("9/10", "9 de 10", "9 out of 10"), and a score taken
 *   back by a negation over a verb ("só não dou 10", "no le doy un 10"; but "7
 *   não 9" is a correction, so conflicting). Two different candidates are
 *   `conflicting`, never a guess ("8 ou 9", "7-8", "7... não, 9"); the same
 *   score twice is that score. A half score ("8,5", "8 e meio") is
 *   `conflicting`; a number outside the scale is `out_of_range` ("11", "-1",
 *   "10000", "10.000", "nota 10" for csat). "um", "uma", "un", "una", "uno"
 *   and "one" count as 1 only when no other number is in the message ("dou um
 *   10" is 10). "nota máxima" is the top of the scale, and so is praise
 *   beyond it ("nota mil", "Pra mim você é nota mil", "💯", "nota 1000",
 *   "100/10") and full marks on another scale ("10/10" for csat, "5 de 5"
 *   for nps), unless irony or a complaint comes with it ("nota mil pro atraso
 *   né"): see readPraise. A count in the remark with no unit word after it
 *   ("nota 10, comprei 3") is a second candidate, so conflicting; "2 dias",
 *   "2 amigas", "3 unidades" are not.
 * - csat: digits, number words and stars (a run of ⭐/★/🌟; "★★★☆☆" is 3; stars
 *   right after a number are its unit, "5 ⭐" is 5) win over quality words, so
 *   "5, produto ótimo mas a embalagem veio ruim" is 5. Without them, quality
 *   words decide, and two that disagree are `conflicting`. A negation up to
 *   three words before a good word ("não gostei", "nada bom", "não foi muito
 *   bom", "no me gustó", "not good") makes it 2; a negated neutral or bad word
 *   ("não foi ruim") is dropped, as it says too little. "nem bom nem ruim" is 3.
 *   Intensifiers after the word belong to it ("gostei muito" is 4, no comment).
 *   "bom dia" and other greetings are not ratings. "ok" is 3, as the rules say.
 * - yes_no: "ok", "beleza", "blz", "tá bom", "pode", "quero", "com certeza",
 *   👍, ✅ are yes; "não", "n", "nunca", "jamais", "negativo", 👎, ❌ are no. A
 *   negation right before a yes word, or right after a yes verb, is one no
 *   ("não quero", "quero não", "claro que não"). "não sei", "talvez", "sei lá",
 *   "maybe", "no sé" are unsure: alone they are `no_answer_found`, with a yes
 *   or a no they are `conflicting` (so "sim não sei" is conflicting). "sem
 *   problema" / "no problem" is yes. In pt-BR, a lone "no" ("no, obrigado") is
 *   no, but "no prazo" is not.
 * - choice: labels and keys are compared word by word after folding. A label
 *   contained in the text wins over typos; a label contained in a longer one
 *   that also matched ("Entrega" in "Entrega rápida") gives way to it. Typos:
 *   Damerau-Levenshtein (optimal string alignment) at most 1 for labels of 4 to
 *   7 letters, 2 for 8 or more; labels of 1 to 3 letters ("Sim", "PIX") must be
 *   typed exactly, as one typo there is another word. The closest typo match
 *   wins; a tie between options is `conflicting`. Numbers 1..n pick the option
 *   ("2", "opção 2", "2️⃣", "a segunda", "a última"), but not a number that is
 *   part of a matched label ("Kit 2"); a number outside 1..n is ignored. A
 *   label and a number that point at different options are `conflicting`.
 *   Last resort, when nothing else matched: a word of four letters or more
 *   found in one label only ("o preço" for "Preço justo").
 *   Negations are not read ("não é a entrega" matches Entrega).
 * - birthday: numeric dates are day first in every locale ("03/12" is 3
 *   December), as parseBirthday reads them. A date in the future, more than
 *   120 years ago or impossible ("31/02", "30 de fevereiro") is `invalid_date`.
 *   Two different dates are `conflicting`; an impossible date next to a good
 *   one is ignored. `today` defaults to now.
 * - referral: runs of digits, spaces, "+", "()", "." and "-" are split at
 *   spaces and read greedily, longest first, with normalizePhone: so "11 91234
 *   5678 21 98888 7777" is two numbers, and "9 1234-5678" (no area code) is
 *   skipped. A name is up to three words that look like one (not a relation or
 *   filler word such as "minha amiga", "o zap dela é"; capitalised, when the
 *   message has any capital letter), found either before each number or after
 *   each, whichever finds more names (before on a tie). A number given twice
 *   is listed once, with the first name found for it.
 */
import { parseBirthday } from '../domain/dates.js';
import { normalizePhone, type CountryCode } from '../domain/phone.js';
import type { AskKind } from '../flows/flow-types.js';
import type { Locale } from '../i18n/index.js';
import {
  ARTICLE_LIKE,
  CHOICE_LEADS,
  CSAT_WORDS,
  CURRENCY_SIGNS,
  GIVE_WORDS,
  HALF_PHRASES,
  INTENSIFIERS,
  LAUGHTER,
  LOCAL_ONLY,
  MONTHS,
  NEGATORS,
  NOT_NAMES,
  NUMBER_WORDS,
  ORDINAL_WORDS,
  OUT_OF_WORDS,
  SCALE_CONNECTORS,
  SCALE_END_PHRASES,
  SCORE_UNIT_WORDS,
  TIMES_OF_DAY,
  UNIT_WORDS,
  YES_NO_NEGATORS,
  YES_NO_WORDS,
  YES_VERBS,
  type Polarity,
} from './answer-words.js';

export type ParseProblem = 'empty' | 'no_answer_found' | 'out_of_range' | 'conflicting' | 'unknown_option' | 'invalid_date' | 'no_phone';

export type ParsedAnswer =
  | { ok: true; value: string; comment?: string; referrals?: { name: string | null; phone: string }[] }
  | { ok: false; reason: ParseProblem };

export interface ParseOptions {
  /** choice: the options, as the flow lists them (number n picks the n-th). */
  choices?: { key: string; label: string }[];
  /** birthday: the day a date is checked against (not in the future); now by default. */
  today?: Date;
  /** referral: the country of numbers typed without "+"; BR by default. */
  defaultCountry?: CountryCode;
}

export function parseAnswer(kind: AskKind, text: string, locale: Locale, options: ParseOptions = {}): ParsedAnswer {
  if (isBlank(text)) return fail('empty');
  switch (kind) {
    case 'text':
      return { ok: true, value: text.trim() };
    case 'nps':
      return parseScore(read(text, locale), NPS_RULES);
    case 'csat':
      return parseCsat(read(text, locale));
    case 'yes_no':
      return parseYesNo(read(text, locale));
    case 'choice':
      return parseChoice(read(text, locale), options.choices ?? []);
    case 'birthday':
      return parseBirthdayAnswer(read(text, locale), options.today ?? new Date());
    case 'referral':
      return parseReferral(text, options.defaultCountry ?? 'BR');
  }
}

function fail(reason: ParseProblem): ParsedAnswer {
  return { ok: false, reason };
}

function answer(value: string, comment: string | undefined): ParsedAnswer {
  return comment === undefined ? { ok: true, value } : { ok: true, value, comment };
}

function isBlank(text: string): boolean {
  return !/[^\s\p{P}\p{Z}\p{Cc}\p{Cf}]/u.test(text);
}

// ---------------------------------------------------------------- reading

interface Token {
  kind: 'num' | 'word' | 'sym';
  text: string;
  /** Offsets in the folded text. */
  start: number;
  end: number;
}

interface Reading {
  original: string;
  folded: string;
  /** For each folded character, where the original character it came from ends. */
  ends: number[];
  tokens: Token[];
  locale: Locale;
}

const TOKEN = /\d+(?:[.,]\d+)*|\p{L}+(?:'\p{L}+)*|\S/gu;
const DROPPED = /[\p{M}\p{Cf}\u{1F3FB}-\u{1F3FF}]/gu;
const SPECIAL_CHARS = new Map([['🔟', ' 10 '], ['’', "'"], ['‘', "'"], ['´', "'"], ['`', "'"], ['ʼ', "'"]]);

/**
 * How much of a message is read for an answer: an answer is short, and the
 * rest (a long complaint) is kept whole in the comment and in the customer's
 * messages. Keeps the cost of a 64 KB message small.
 */
const MAX_READ = 4000;

function read(original: string, locale: Locale): Reading {
  const { folded, ends } = fold(original.slice(0, MAX_READ));
  const tokens: Token[] = [];
  for (const match of folded.matchAll(TOKEN)) {
    const text = match[0];
    const kind = /^\d/.test(text) ? 'num' : /^\p{L}/u.test(text) ? 'word' : 'sym';
    tokens.push({ kind, text, start: match.index, end: match.index + text.length });
  }
  return { original, folded, ends, tokens, locale };
}

function fold(original: string): { folded: string; ends: number[] } {
  let folded = '';
  const ends: number[] = [];
  let offset = 0;
  for (const char of original) {
    offset += char.length;
    const out = foldChar(char);
    folded += out;
    for (let i = 0; i < out.length; i++) ends.push(offset);
  }
  return { folded, ends };
}

function foldChar(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x80) return code >= 65 && code <= 90 ? char.toLowerCase() : char;
  return SPECIAL_CHARS.get(char) ?? char.normalize('NFKD').toLowerCase().normalize('NFKD').replace(DROPPED, '');
}

/** Where the original text is at the end of a token (folded offset). */
function originalOffset(r: Reading, foldedEnd: number): number {
  return foldedEnd <= 0 ? 0 : (r.ends[foldedEnd - 1] ?? r.original.length);
}

/** The same word as typed, with long runs cut to two letters, and to one. */
function spellings(word: string): string[] {
  return [word, word.replace(/(\p{L})\1{2,}/gu, '$1$1'), word.replace(/(\p{L})\1+/gu, '$1')];
}

function allowedIn(word: string, r: Reading, standalone: boolean): boolean {
  const locales = LOCAL_ONLY.get(word);
  return locales === undefined || standalone || locales.includes(r.locale);
}

function lookupWord<T>(table: ReadonlyMap<string, T>, r: Reading, index: number): { value: T; word: string } | undefined {
  const token = r.tokens[index];
  if (token?.kind !== 'word') return undefined;
  const next = r.tokens[index + 1];
  const standalone = next === undefined || next.kind === 'sym';
  for (const word of spellings(token.text)) {
    const value = table.get(word);
    if (value !== undefined && allowedIn(word, r, standalone)) return { value, word };
  }
  return undefined;
}

function isWord(r: Reading, index: number, words: ReadonlySet<string>): boolean {
  const token = r.tokens[index];
  if (token?.kind !== 'word' && token?.kind !== 'sym') return false;
  return spellings(token.text).some((word) => words.has(word) && allowedIn(word, r, false));
}

interface Hit<T> {
  value: T;
  /** First and last token. */
  first: number;
  last: number;
  /** The word or phrase as listed. */
  key: string;
}

/** Every word, phrase (up to four words) or symbol of the table, longest first, left to right. */
function findHits<T>(r: Reading, table: ReadonlyMap<string, T>): Hit<T>[] {
  const hits: Hit<T>[] = [];
  for (let i = 0; i < r.tokens.length; i++) {
    const hit = hitAt(r, table, i);
    if (hit) {
      hits.push(hit);
      i = hit.last;
    }
  }
  return hits;
}

function hitAt<T>(r: Reading, table: ReadonlyMap<string, T>, index: number): Hit<T> | undefined {
  const token = r.tokens[index]!;
  if (token.kind === 'sym') {
    const value = table.get(token.text);
    return value === undefined ? undefined : { value, first: index, last: index, key: token.text };
  }
  if (token.kind !== 'word') return undefined;
  for (let count = 4; count >= 2; count--) {
    const words = r.tokens.slice(index, index + count);
    if (words.length < count || words.some((w) => w.kind !== 'word')) continue;
    for (const key of [words.map((w) => w.text).join(' '), words.map((w) => spellings(w.text)[2]).join(' ')]) {
      const value = table.get(key);
      if (value !== undefined) return { value, first: index, last: index + count - 1, key };
    }
  }
  const found = lookupWord(table, r, index);
  return found && { value: found.value, first: index, last: index, key: found.word };
}

// ---------------------------------------------------------------- comments

/** The remark after the answer's last token, as typed. */
function commentAfter(r: Reading, lastToken: number): string | undefined {
  const token = r.tokens[lastToken];
  const from = token ? originalOffset(r, token.end) : r.original.length;
  const rest = r.original.slice(from).replace(/^[\s\p{P}]+/u, '').trimEnd();
  return isRemark(rest) ? rest : undefined;
}

/** The last token of any of these spans. */
function lastOf(spans: { last: number }[]): number {
  return spans.reduce((max, span) => Math.max(max, span.last), -1);
}

function isRemark(text: string): boolean {
  const words = fold(text).folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.some((word) => !LAUGHTER.test(word));
}

// ---------------------------------------------------------------- numbers and scores

interface NumberRules {
  /** The bottom of the scale ("nota mínima"). */
  min: number;
  /** The top of the scale ("9/10", "0 a 10"); for a choice, the number of options. */
  max: number;
  /** Where a scale written out may start ("de 0 a 10", "1 a 10"); none for a choice. */
  scaleStarts: number[];
  stars: boolean;
  /** "2a", "segunda": picks for a choice, not scores. */
  ordinals: boolean;
  /** "nota mil", "💯", "100/10": praise beyond the scale reads as its top (see readPraise); scores only. */
  praise: boolean;
}

interface NumberItem {
  value: number;
  first: number;
  last: number;
  article: boolean;
  ordinal: boolean;
  excluded: boolean;
  /** Read as the top of the scale because of how it is written ("nota mil", "💯", "100/10", "10/10" on csat). */
  praise: boolean;
  /**
   * A number beyond every scale: `digits` a power of ten from 1000 ("1000", "10.000"), `words` with a
   * thousand/million word ("mil", "10 mil", "um milhão"), `compound` a thousand and more ("mil e quinhentos").
   */
  big: 'no' | 'digits' | 'words' | 'compound';
}

const NPS_RULES: NumberRules = { min: 0, max: 10, scaleStarts: [0, 1], stars: false, ordinals: false, praise: true };
const CSAT_RULES: NumberRules = { min: 1, max: 5, scaleStarts: [0, 1], stars: true, ordinals: false, praise: true };
const STARS = new Set(['⭐', '★', '🌟']);
const HUNDRED_POINTS = '💯';
/** A thousand and more, and beyond: see readPraise. Folded, as typed ("milhão" is "milhao"). */
const BIG_WORDS: ReadonlyMap<string, number> = new Map([
  ['mil', 1e3], ['milhao', 1e6], ['milhoes', 1e6], ['bilhao', 1e9], ['bilhoes', 1e9], ['trilhao', 1e12], ['trilhoes', 1e12],
  ['millon', 1e6], ['millones', 1e6], ['billon', 1e12],
  ['thousand', 1e3], ['million', 1e6], ['millions', 1e6], ['billion', 1e9], ['trillion', 1e12], ['zillion', 1e12],
  ['infinito', Infinity], ['infinita', Infinity], ['infinite', Infinity], ['infinity', Infinity],
]);
const BIG_WORD_START = /^(?:mi|bi|tr|th|in|zi)/;
const ENGLISH_BIG_WORDS = new Set(['thousand', 'million', 'millions', 'billion', 'trillion', 'zillion']);
/** After "mil": "mil e quinhentos", "mil quinhentos" is a compound number, not the idiom. */
const AND_WORDS = new Set(['e', 'y', 'and']);
const HUNDREDS = new Set([
  'cem', 'cento', 'duzentos', 'duzentas', 'trezentos', 'trezentas', 'quatrocentos', 'quatrocentas', 'quinhentos',
  'quinhentas', 'seiscentos', 'seiscentas', 'setecentos', 'setecentas', 'oitocentos', 'oitocentas', 'novecentos',
  'novecentas', 'cien', 'ciento', 'doscientos', 'trescientos', 'cuatrocientos', 'quinientos', 'seiscientos',
  'setecientos', 'ochocientos', 'novecientos', 'hundred',
]);
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
/** Between a score and the scale written after it: "8 de 0 a 10", "8, numa escala de 0 a 10". */
const SCALE_LEADS = new Set(['de', 'from', 'del', 'numa', 'na', 'escala', 'on', 'a', 'scale', 'of', 'en', 'una', ',', '(']);
const ORDINAL_SUFFIXES = new Set(['o', 'a', 'os', 'as', 'st', 'nd', 'rd', 'th', '°']);

/** The numbers of a message, each marked as a candidate or not (see the header). */
function numberItems(r: Reading, rules: NumberRules): NumberItem[] {
  const items: NumberItem[] = [];
  for (let i = 0; i < r.tokens.length; i++) {
    const found = numberAt(r, i, rules);
    if (found) {
      const item = withUnits(r, found, rules);
      items.push(item);
      i = item.last;
    }
  }
  if (rules.praise) readPraise(r, items, rules);
  for (const item of items) item.excluded = isExcluded(r, item, rules) || (item.praise && isDoubtfulPraise(r, item));
  dropScaleMentions(r, items, rules);
  return items.some((item) => !item.article) ? items.filter((item) => !item.article) : items;
}

function numberAt(r: Reading, index: number, rules: NumberRules): NumberItem | undefined {
  const token = r.tokens[index]!;
  // `value` is in the base so that each spread below only overwrites: on Node 20 a spread followed by a
  // property the source lacks takes V8's slow path (about 1 µs each, for every word of every reply).
  const base: NumberItem = { first: index, last: index, value: 0, article: false, ordinal: false, excluded: false, praise: false, big: 'no' };
  if (token.kind === 'num') return withBigWord(r, digitsAt(r, index, base), rules);
  if (token.kind === 'sym') {
    if (rules.praise && token.text === HUNDRED_POINTS) return { ...base, value: rules.max, praise: true };
    if (rules.praise && token.text === '∞') return withBigWord(r, { ...base, value: Infinity, big: 'words' }, rules);
    return rules.stars && STARS.has(token.text) ? starsAt(r, index, base) : undefined;
  }
  const end = scaleEndAt(r, index);
  if (end) return { ...base, value: end.which === 'max' ? rules.max : rules.min, last: end.last };
  const word = lookupWord(NUMBER_WORDS, r, index);
  if (word) return withBigWord(r, { ...base, value: word.value, article: ARTICLE_LIKE.has(word.word) }, rules);
  if (rules.praise && bigWordAt(r, index) !== undefined) return withBigWord(r, { ...base, value: 1 }, rules, index);
  // "a thousand", "a million": but "a mil" is "a mil por hora" (flat out), not a number.
  if (rules.praise && r.tokens[index]!.text === 'a' && bigWordAt(r, index + 1)?.english) return withBigWord(r, { ...base, value: 1 }, rules);
  const ordinal = rules.ordinals ? lookupWord(ORDINAL_WORDS, r, index) : undefined;
  if (ordinal) return { ...base, value: ordinal.value === -1 ? rules.max : ordinal.value, ordinal: true };
  return undefined;
}

/** A thousand or more, as a word: "mil", "milhão", "thousand", "millón"; "infinita" is beyond any number. */
function bigWordAt(r: Reading, index: number): { value: number; english: boolean } | undefined {
  // Most words are not: a look at the first letters spares the lookup's spellings (it runs for every word).
  if (!BIG_WORD_START.test(r.tokens[index]?.text ?? '')) return undefined;
  const found = lookupWord(BIG_WORDS, r, index);
  return found && { value: found.value, english: ENGLISH_BIG_WORDS.has(found.word) };
}

/**
 * "mil", "10 mil", "dez mil", "um milhão", "a thousand": a thousand-or-more word right after a number (or
 * alone, from `at`) multiplies it into one number. "mil e quinhentos", "mil quinhentos" are a compound.
 */
function withBigWord(r: Reading, item: NumberItem, rules: NumberRules, at = item.last + 1): NumberItem {
  const big = rules.praise ? bigWordAt(r, at) : undefined;
  if (big === undefined || Number.isNaN(item.value) || item.ordinal) return item;
  let last = at;
  let kind: NumberItem['big'] = 'words';
  if (big.value === 1000) {
    const and = AND_WORDS.has(r.tokens[at + 1]?.text ?? '');
    const next = r.tokens[and ? at + 2 : at + 1];
    const hundreds = next !== undefined && HUNDREDS.has(next.text);
    if (hundreds || (and && next !== undefined && (next.kind === 'num' || isNumberWord(next)))) {
      kind = 'compound';
      last = and ? at + 2 : at + 1;
    }
  }
  return { ...item, value: item.value * big.value, last, big: kind, article: false };
}

function digitsAt(r: Reading, index: number, base: NumberItem): NumberItem {
  const t = r.tokens;
  const token = t[index]!;
  const minus = t[index - 1];
  const beforeMinus = t[index - 2];
  const negative =
    minus?.text === '-' && minus.end === token.start && !(beforeMinus?.kind === 'num' && beforeMinus.end === minus.start);
  const value = numberValue(token.text) * (negative ? -1 : 1);
  const suffix = t[index + 1];
  const ordinal = suffix !== undefined && suffix.start === token.end && ORDINAL_SUFFIXES.has(suffix.text);
  return { ...base, value, first: negative ? index - 1 : index, last: ordinal ? index + 1 : index, ordinal };
}

/** "9" 9, "10.000" 10000 (thousands), "8,5" 8.5, "12.03.1990" not a number. */
function numberValue(text: string): number {
  const groups = text.split(/[.,]/);
  if (groups.length === 1) return Number(text);
  if (groups.slice(1).every((group) => group.length === 3)) return Number(groups.join(''));
  return groups.length === 2 ? Number(`${groups[0]}.${groups[1]}`) : Number.NaN;
}

function starsAt(r: Reading, index: number, base: NumberItem): NumberItem {
  let last = index;
  while (STARS.has(r.tokens[last + 1]?.text ?? '')) last++;
  return { ...base, value: last - index + 1, last };
}

function scaleEndAt(r: Reading, index: number): { which: 'max' | 'min'; last: number } | undefined {
  for (const count of [3, 2]) {
    const words = r.tokens.slice(index, index + count);
    if (words.length < count || words.some((w) => w.kind !== 'word')) continue;
    const which = SCALE_END_PHRASES.get(words.map((w) => w.text).join(' '));
    if (which) return { which, last: index + count - 1 };
  }
  return undefined;
}

/** "5 estrelas", "5 ⭐", "9 pontos": the unit is part of the score; "8 e meio" is 8.5. */
function withUnits(r: Reading, item: NumberItem, rules: NumberRules): NumberItem {
  let last = item.last;
  const half = r.tokens.slice(last + 1, last + 4).map((token) => token.text);
  for (const count of [3, 2]) {
    if (HALF_PHRASES.has(half.slice(0, count).join(' '))) return { ...item, value: item.value + 0.5, last: last + count };
  }
  if (isWord(r, last + 1, SCORE_UNIT_WORDS)) last++;
  else if (rules.stars) while (STARS.has(r.tokens[last + 1]?.text ?? '')) last++;
  return { ...item, last };
}

// ---------------------------------------------------------------- praise beyond the scale

/**
 * Scores written the way people praise, read as the top of the scale asked (10 for nps, 5 for csat). The
 * rules, each from how customers write (sources in test/inbox/praise-scores.test.ts):
 * - "nota mil" / "nota 1000" / "nota 10.000" / "nota 1 milhão" / "nota infinita": "nota" right before a
 *   thousand-or-more word, or a power of ten from 1000 in digits. "Nota mil" comes from the ENEM essay, graded
 *   0 to 1000; in reviews "nota 100000", "Nota 10000000!!" say the same. "nota 100" is not praise (it stays
 *   `out_of_range`, as parse-answer.test.ts says): 100 is a real score on a 0-100 scale, and a 10 with one 0
 *   too many. Nor are "nota 1500" or "nota mil e quinhentos": a number, not the idiom (and how money is said).
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
 *   bare "10", "dez", "nota 10" on csat stays `out_of_range`, as parse-answer.test.ts asserts for "nota 10"
 *   (a 10 may be meant for another question); "10/10" says its own scale. "10/10" as a date ("dia 10/10", "05/05",
 *   "10/10/2024") is not full marks.
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
function readPraise(r: Reading, items: NumberItem[], rules: NumberRules): void {
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
function isDoubtfulPraise(r: Reading, item: NumberItem): boolean {
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

function isExcluded(r: Reading, item: NumberItem, rules: NumberRules): boolean {
  if (Number.isNaN(item.value) || (item.ordinal && !rules.ordinals)) return true;
  const t = r.tokens;
  const next = t[item.last + 1];
  const previous = t[item.first - 1];
  if (next && (UNIT_WORDS.has(next.text) || next.text === '%')) return true;
  if (previous && CURRENCY_SIGNS.has(previous.text)) return true;
  if (next?.text === ':' && t[item.last + 2]?.kind === 'num') return true;
  if (previous?.text === ':' && t[item.first - 2]?.kind === 'num') return true;
  return isInDate(r, item, rules) || isTakenBack(r, item);
}

/** "12/03", "12/03/1990": but "9/10" is a score out of the top of the scale. */
function isInDate(r: Reading, item: NumberItem, rules: NumberRules): boolean {
  const t = r.tokens;
  if (t[item.first]?.kind !== 'num') return false;
  const after = t[item.last + 1]?.text === '/' ? t[item.last + 2] : undefined;
  const before = t[item.first - 1]?.text === '/' ? t[item.first - 2] : undefined;
  if (after?.kind === 'num' && numberValue(after.text) !== rules.max) return true;
  return before?.kind === 'num' && item.value !== rules.max;
}

/** "só não dou 10", "não é um 10", "not a 10", "no le doy un 10". */
function isTakenBack(r: Reading, item: NumberItem): boolean {
  let index = item.first - 1;
  let between = 0;
  while (between < 3 && isWord(r, index, GIVE_WORDS) && !isWord(r, index, NEGATORS)) {
    index--;
    between++;
  }
  return between > 0 && isWord(r, index, NEGATORS);
}

/** "de 0 a 10" says the scale, not a score; "9/10", "9 de 10": the 10 is the top of the scale. */
function dropScaleMentions(r: Reading, items: NumberItem[], rules: NumberRules): void {
  const live = items.filter((item) => !item.excluded);
  for (let k = 0; k + 1 < live.length; k++) {
    const [a, b] = [live[k]!, live[k + 1]!];
    if (a.praise || b.praise) continue;
    const gap = r.tokens.slice(a.last + 1, b.first).map((token) => token.text);
    if (gap.length === 1 && SCALE_CONNECTORS.has(gap[0]!) && rules.scaleStarts.includes(a.value) && b.value === rules.max) {
      a.excluded = b.excluded = true;
      const score = live[k - 1];
      if (score && !score.excluded && r.tokens.slice(score.last + 1, a.first).every((token) => SCALE_LEADS.has(token.text))) {
        score.last = b.last;
      }
    } else if (b.value === rules.max && !b.ordinal && OUT_OF_WORDS.has(gap.join(''))) {
      b.excluded = true;
      a.last = b.last;
    }
  }
}

function parseScore(r: Reading, rules: NumberRules): ParsedAnswer {
  return decideScore(r, numberItems(r, rules), rules);
}

function decideScore(r: Reading, items: NumberItem[], rules: { min: number; max: number }): ParsedAnswer {
  const live = items.filter((item) => !item.excluded);
  if (live.length === 0) return fail('no_answer_found');
  if (new Set(live.map((item) => item.value)).size > 1) return fail('conflicting');
  const { value } = live[0]!;
  if (value < rules.min || value > rules.max) return fail('out_of_range');
  if (!Number.isInteger(value)) return fail('conflicting');
  return answer(String(value), commentAfter(r, lastOf(live)));
}

function parseCsat(r: Reading): ParsedAnswer {
  const items = numberItems(r, CSAT_RULES);
  if (items.some((item) => !item.excluded)) return decideScore(r, items, CSAT_RULES);
  // Praise not read (irony, a complaint: see readPraise) is not read as a quality word either ("nota mil").
  const praise = items.filter((item) => item.praise);
  const hits = findHits(r, CSAT_WORDS)
    .filter((hit) => !TIMES_OF_DAY.has(r.tokens[hit.last + 1]?.text ?? ''))
    .filter((hit) => !praise.some((item) => hit.first <= item.last && item.first <= hit.last))
    .flatMap((hit) => (!isNegated(r, hit.first) ? [hit] : hit.value >= 4 ? [{ ...hit, value: 2 }] : []))
    .map((hit) => ({ ...hit, last: intensifiedEnd(r, hit.last) }));
  if (hits.length === 0) return fail('no_answer_found');
  if (new Set(hits.map((hit) => hit.value)).size > 1) return fail('conflicting');
  return answer(String(hits[0]!.value), commentAfter(r, hits[hits.length - 1]!.last));
}

/** "gostei muito", "não gostei nada": the intensifier is part of the rating. */
function intensifiedEnd(r: Reading, last: number): number {
  let end = last;
  while (isWord(r, end + 1, INTENSIFIERS)) end++;
  return end;
}

/** A negation up to three words before, with no punctuation between. */
function isNegated(r: Reading, first: number): boolean {
  for (let index = first - 1; index >= first - 3 && r.tokens[index]?.kind === 'word'; index--) {
    if (isWord(r, index, NEGATORS)) return true;
  }
  return false;
}

// ---------------------------------------------------------------- yes / no

function parseYesNo(r: Reading): ParsedAnswer {
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

// ---------------------------------------------------------------- choice

interface OptionMatch {
  key: string;
  first: number;
  last: number;
  distance: number;
}

interface TextWord {
  text: string;
  token: number;
}

const FUZZY_WINDOW_LIMIT = 200;

function parseChoice(r: Reading, choices: { key: string; label: string }[]): ParsedAnswer {
  if (choices.length === 0) return fail('unknown_option');
  const words = r.tokens.flatMap((token, index) => (token.kind === 'sym' ? [] : [{ text: token.text, token: index }]));
  const labelled = matchLabels(words, choices);
  const numbered = matchNumbers(r, choices, labelled);
  const matches = [...labelled, ...numbered];
  const keys = new Set(matches.map((match) => match.key));
  if (keys.size === 0) return fail('unknown_option');
  if (keys.size > 1) return fail('conflicting');
  return answer(matches[0]!.key, commentAfter(r, lastOf(matches)));
}

function matchLabels(words: TextWord[], choices: { key: string; label: string }[]): OptionMatch[] {
  const names = choices.map((choice) => ({ key: choice.key, names: optionNames(choice) }));
  const exact = names.flatMap(({ key, names }) => names.flatMap((name) => containedAt(words, name, key)));
  if (exact.length > 0) return exact.filter((match) => !exact.some((other) => covers(other, match)));
  const fuzzy = names.flatMap(({ key, names }) => names.flatMap((name) => typoMatches(words, name, key)));
  const best = fuzzy.reduce((min, match) => Math.min(min, match.distance), Infinity);
  return fuzzy.length > 0 ? fuzzy.filter((match) => match.distance === best) : labelWordMatches(words, names);
}

/** Last resort: a word of four letters or more from a single label ("o preço" for "Preço justo"). */
function labelWordMatches(words: TextWord[], options: { key: string; names: string[][] }[]): OptionMatch[] {
  return words.flatMap((word) => {
    if (word.text.length < 4 || CHOICE_LEADS.has(word.text)) return [];
    const keys = options.filter(({ names }) => names.some((name) => name.includes(word.text))).map(({ key }) => key);
    return keys.length === 1 ? [{ key: keys[0]!, first: word.token, last: word.token, distance: 0 }] : [];
  });
}

/** The label's words, and the key's when they differ ("preco-justo" → preco justo). */
function optionNames(choice: { key: string; label: string }): string[][] {
  const label = alnumWords(choice.label);
  const key = alnumWords(choice.key);
  const names = label.join(' ') === key.join(' ') ? [label] : [label, key];
  return names.filter((name) => name.length > 0);
}

function alnumWords(text: string): string[] {
  return fold(text).folded.match(/\p{L}+|\d+/gu) ?? [];
}

function containedAt(words: TextWord[], name: string[], key: string): OptionMatch[] {
  const found: OptionMatch[] = [];
  for (let s = 0; s + name.length <= words.length; s++) {
    if (name.every((word, k) => words[s + k]!.text === word)) {
      found.push({ key, first: words[s]!.token, last: words[s + name.length - 1]!.token, distance: 0 });
    }
  }
  return found;
}

/** A match of another option around this one ("Entrega rápida" around "Entrega"). */
function covers(outer: OptionMatch, inner: OptionMatch): boolean {
  const larger = outer.last - outer.first > inner.last - inner.first;
  return outer.key !== inner.key && larger && outer.first <= inner.first && inner.last <= outer.last;
}

function typoMatches(words: TextWord[], name: string[], key: string): OptionMatch[] {
  const target = name.join('');
  if (target.length < 4) return [];
  const allowed = target.length >= 8 ? 2 : 1;
  const found: OptionMatch[] = [];
  for (let size = Math.max(1, name.length - 1); size <= name.length + 1; size++) {
    for (let s = 0; s + size <= Math.min(words.length, FUZZY_WINDOW_LIMIT); s++) {
      const window = words.slice(s, s + size);
      const typed = window.map((word) => word.text).join('');
      if (!/\p{L}/u.test(typed) || Math.abs(typed.length - target.length) > allowed) continue;
      const distance = typoDistance(typed, target);
      if (distance <= allowed) found.push({ key, first: window[0]!.token, last: window[size - 1]!.token, distance });
    }
  }
  return found;
}

/** Damerau-Levenshtein distance, optimal string alignment variant (a swap of two neighbours is one edit). */
function typoDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
    }
    [before, previous] = [previous, current];
  }
  return previous[b.length]!;
}

/** "2", "opção 2", "2️⃣", "a segunda": outside the labels that matched. */
function matchNumbers(r: Reading, choices: { key: string }[], labelled: OptionMatch[]): OptionMatch[] {
  const rules: NumberRules = { min: 1, max: choices.length, scaleStarts: [], stars: false, ordinals: true, praise: false };
  const onlyLeads = r.tokens.every((token, index) => token.kind !== 'word' || isWord(r, index, CHOICE_LEADS) || isNumberWord(token));
  return numberItems(r, rules)
    .filter((item) => !item.excluded && (!item.article || onlyLeads))
    .filter((item) => !labelled.some((match) => match.first <= item.first && item.last <= match.last))
    .flatMap((item) => {
      const choice = Number.isInteger(item.value) ? choices[item.value - 1] : undefined;
      return choice && item.value >= 1 ? [{ key: choice.key, first: item.first, last: item.last, distance: 0 }] : [];
    });
}

function isNumberWord(token: Token): boolean {
  return spellings(token.text).some((word) => NUMBER_WORDS.has(word) || ORDINAL_WORDS.has(word));
}

// ---------------------------------------------------------------- birthday

interface DateFound {
  /** As parseBirthday reads it: "12/03/1990", "1990-03-12". */
  text: string;
  start: number;
  end: number;
}

const MONTH_NAMES = [...MONTHS.keys()].sort((a, b) => b.length - a.length).join('|');
const NUMERIC_DATE = /(?<![\d/.-])(\d{4}-\d{2}-\d{2}|--\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}(?:[/.-](?:\d{4}|\d{2}))?)(?!\d|[/.-]\d)/g;
const DAY_MONTH = new RegExp(
  String.raw`(?<!\d)(\d{1,2})(?:o|°|st|nd|rd|th)?\s*(?:(?:de|del|of)\s+|[/.-]\s*)?(${MONTH_NAMES})(?![\p{L}])\.?(?:\s*(?:de|del|,|/|-)?\s*(\d{4}|\d{2})(?![\p{L}\d]))?`,
  'gu',
);
const MONTH_DAY = new RegExp(String.raw`(?<![\p{L}])(${MONTH_NAMES})(?![\p{L}])\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:\s*,?\s*(\d{4})(?!\d))?`, 'gu');

function parseBirthdayAnswer(r: Reading, today: Date): ParsedAnswer {
  const found = findDates(r.folded);
  if (found.length === 0) return fail('no_answer_found');
  const results = found.map((date) => ({ date, result: parseBirthday(date.text, today) }));
  const valid = results.flatMap(({ date, result }) => (result.ok ? [{ date, value: result.value }] : []));
  if (valid.length === 0) return fail(results.some(({ result }) => !result.ok && result.problem !== 'invalid_format') ? 'invalid_date' : 'no_answer_found');
  if (new Set(valid.map(({ value }) => value)).size > 1) return fail('conflicting');
  const end = valid.reduce((max, { date }) => Math.max(max, date.end), 0);
  return answer(valid[0]!.value, commentAfter(r, r.tokens.findLastIndex((token) => token.end <= end)));
}

function findDates(folded: string): DateFound[] {
  const found: DateFound[] = [];
  const add = (date: DateFound) => {
    if (!found.some((other) => date.start < other.end && other.start < date.end)) found.push(date);
  };
  for (const m of folded.matchAll(NUMERIC_DATE)) add({ text: m[1]!, start: m.index, end: m.index + m[0].length });
  for (const m of folded.matchAll(DAY_MONTH)) add(wordDate(m, m[1]!, m[2]!, m[3]));
  for (const m of folded.matchAll(MONTH_DAY)) add(wordDate(m, m[2]!, m[1]!, m[3]));
  return found.sort((a, b) => a.start - b.start);
}

function wordDate(match: RegExpMatchArray, day: string, month: string, year: string | undefined): DateFound {
  const text = `${day}/${MONTHS.get(month) ?? 0}${year === undefined ? '' : `/${year}`}`;
  const start = match.index ?? 0;
  return { text, start, end: start + match[0].length };
}

// ---------------------------------------------------------------- referral

interface PhoneFound {
  phone: string;
  start: number;
  end: number;
}

interface Chunk {
  start: number;
  end: number;
  digits: number;
}

const PHONE_RUN = /\+?\(?\d[\d\s().-]*\d/g;
const MAX_DIGITS = 15;

function parseReferral(typed: string, country: CountryCode): ParsedAnswer {
  // "(0xx11)": how numbers were printed when the carrier code was variable.
  const text = typed.slice(0, MAX_READ).replace(/0\s*xx\s*(?=\d)/gi, '0');
  const phones = findPhones(text, country);
  if (phones.length === 0) return fail('no_phone');
  const names = namesFor(text, phones);
  const referrals: { name: string | null; phone: string }[] = [];
  phones.forEach((found, k) => {
    const known = referrals.find((referral) => referral.phone === found.phone);
    if (!known) referrals.push({ name: names[k] ?? null, phone: found.phone });
    else known.name ??= names[k] ?? null;
  });
  return { ok: true, value: referrals.map((referral) => referral.phone).join(','), referrals };
}

function findPhones(text: string, country: CountryCode): PhoneFound[] {
  const found: PhoneFound[] = [];
  for (const run of text.matchAll(PHONE_RUN)) {
    const chunks = [...run[0].matchAll(/\S+/g)].map((m) => ({
      start: run.index + m.index,
      end: run.index + m.index + m[0].length,
      digits: m[0].replace(/\D/g, '').length,
    }));
    for (let i = 0; i < chunks.length; ) {
      const phone = longestPhoneFrom(text, chunks, i, country);
      if (phone) found.push(phone.found);
      i = phone ? phone.next : i + 1;
    }
  }
  return found;
}

function longestPhoneFrom(text: string, chunks: Chunk[], i: number, country: CountryCode): { found: PhoneFound; next: number } | undefined {
  let end = i;
  let digits = 0;
  while (end < chunks.length && digits + chunks[end]!.digits <= MAX_DIGITS) digits += chunks[end++]!.digits;
  for (let j = end; j > i; j--) {
    const [start, stop] = [chunks[i]!.start, chunks[j - 1]!.end];
    const candidate = text.slice(start, stop);
    if (candidate.replace(/\D/g, '').length < 8) return undefined;
    const result = normalizePhone(candidate, country);
    if (result.ok) return { found: { phone: result.e164, start, end: stop }, next: j };
  }
  return undefined;
}

interface NameWord {
  text: string;
  start: number;
  end: number;
}

/** The names next to the numbers: all before, or all after, whichever finds more. */
function namesFor(text: string, phones: PhoneFound[]): (string | null)[] {
  const capitals = /\p{Lu}/u.test(text);
  const before = phones.map((phone, k) => nameBefore(text.slice(k === 0 ? 0 : phones[k - 1]!.end, phone.start), capitals));
  const after = phones.map((phone, k) => nameAfter(text.slice(phone.end, phones[k + 1]?.start ?? text.length), capitals));
  const count = (names: (string | null)[]) => names.filter((name) => name !== null).length;
  return count(after) > count(before) ? after : before;
}

function nameWords(segment: string): NameWord[] {
  return [...segment.matchAll(/\p{L}[\p{L}'’]*/gu)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

function looksLikeName(word: NameWord, capitals: boolean): boolean {
  const folded = fold(word.text).folded;
  if (folded.length < 2 || NOT_NAMES.has(folded) || LAUGHTER.test(folded)) return false;
  return !capitals || /^\p{Lu}/u.test(word.text);
}

const NAME_PARTICLES = new Set(['da', 'de', 'do', 'das', 'dos']);
const MAX_SKIPPED = 5;

function nameBefore(segment: string, capitals: boolean): string | null {
  const words = nameWords(segment).reverse();
  const at = words.findIndex((word, k) => k <= MAX_SKIPPED && looksLikeName(word, capitals));
  if (at < 0) return null;
  const name = collectName(segment, words.slice(at), capitals).reverse();
  return segment.slice(name[0]!.start, name[name.length - 1]!.end);
}

function nameAfter(segment: string, capitals: boolean): string | null {
  const words = nameWords(segment);
  const at = words.findIndex((word, k) => k <= 2 && looksLikeName(word, capitals));
  if (at < 0) return null;
  const name = collectName(segment, words.slice(at), capitals);
  return segment.slice(name[0]!.start, name[name.length - 1]!.end);
}

/** From a first name word on, up to three name words (and "da", "de"... between them), with only spaces between. */
function collectName(segment: string, words: NameWord[], capitals: boolean): NameWord[] {
  const name = [words[0]!];
  for (let k = 1; k < words.length && name.filter((w) => !NAME_PARTICLES.has(w.text)).length < 3; k++) {
    const [word, previous] = [words[k]!, words[k - 1]!];
    const gap = word.start > previous.start ? segment.slice(previous.end, word.start) : segment.slice(word.end, previous.start);
    if (gap.trim() !== '') break;
    if (looksLikeName(word, capitals)) name.push(word);
    else if (NAME_PARTICLES.has(word.text) && words[k + 1] && looksLikeName(words[k + 1]!, capitals)) name.push(word);
    else break;
  }
  return name;
}
