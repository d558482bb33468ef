/**
 * The text the intent readers of this folder compare: what a customer's
 * free-text WhatsApp message asks for is read before anything else reads it
 * (stop-request.ts, opt-in.ts, needs-owner.ts), pt-BR first, then en and es,
 * by pure functions of the text that never throw.
 *
 * How text is compared. Case, accents (NFD, marks stripped), apostrophes,
 * emojis and extra spaces do not count; a run of one letter counts once, in the
 * message and in the patterns alike ("saaaair" is "sair", "whatsapp" is
 * "whatsap", "errado" is "erado"), so shouting and typos like "sairrr" match.
 * Punctuation between clauses (. , ! ? ; : and line breaks) is kept as a break
 * that phrases do not run across: "Não, chegou certinho" is no "não chegou".
 */
/** One letter repeated counts once: "saaaair" is "sair", "mensagemm" is "mensagem". */
export function squeeze(text: string): string {
  return text.replace(/(\p{L})\1+/gu, '$1');
}

/** Punctuation that ends a clause (opt-out and complaints do not read across it). */
const CLAUSE_BREAK = /[.!?;:,\n\r¿¡…？！。]+/gu;
/** Punctuation that ends a sentence (a question word starts one; commas do not). */
export const SENTENCE_BREAK = /[.!?;:\n\r¿¡…？！。]+/gu;

/**
 * Lower case without accents, apostrophes or symbols: words separated by one
 * space, each break in the text as a "|" word, letter runs squeezed.
 */
export function fold(text: string, breaks: RegExp | null = CLAUSE_BREAK): string {
  let plain = text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/['’‘`´|]/gu, '');
  if (breaks !== null) plain = plain.replace(breaks, ' | ');
  const out: string[] = [];
  for (const word of plain.replace(/[^\p{L}\p{N}|]+/gu, ' ').split(' ')) {
    if (word === '') continue;
    if (word === '|' && (out.length === 0 || out[out.length - 1] === '|')) continue;
    out.push(word);
  }
  if (out[out.length - 1] === '|') out.pop();
  return squeeze(out.join(' '));
}

/** The words of a folded text without its breaks. */
export function unbroken(folded: string): string {
  return folded
    .split(' ')
    .filter((w) => w !== '|' && w !== '')
    .join(' ');
}

/** A regex alternative of phrases written as people spell them, folded like the text is. */
export function alt(phrases: readonly string[]): string {
  return `(?:${phrases.map((p) => fold(p, null)).join('|')})`;
}

export const B = '(?<![\\p{L}\\p{N}])';
export const E = '(?![\\p{L}\\p{N}])';
/** The end of a clause in folded text. */
export const END = '(?= \\||$)';

/** A pattern matched on whole words of folded text. */
export function words(source: string, flags = ''): RegExp {
  return new RegExp(`${B}(?:${source})${E}`, `u${flags}`);
}

/** Each phrase with every spelling of "não" in front. */
export function negated(phrases: readonly string[]): string[] {
  return ['não', 'nao', 'n', 'naum', 'nem'].flatMap((no) => phrases.map((p) => `${no} ${p}`));
}

/** Each phrase after "não" as people type it, or after "nunca (mais)" and "jamais". */
export function never(phrases: readonly string[]): string[] {
  return [...negated(phrases), ...['nunca', 'nunca mais', 'jamais'].flatMap((no) => phrases.map((p) => `${no} ${p}`))];
}

/** A folded word set. */
export function wordSet(list: readonly string[]): ReadonlySet<string> {
  return new Set(list.map((w) => fold(w, null)));
}
