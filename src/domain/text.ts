/**
 * Text that needs no cleaning: printable Latin letters (no soft hyphen), single
 * spaces, none at the ends. None of these characters changes under NFC.
 */
const CLEAN_LATIN = /^[\x21-\x7e\u00a1-\u00ac\u00ae-\u024f](?:[\x21-\x7e\u00a1-\u00ac\u00ae-\u024f]| (?=[^ ]))*$/;

/** Trims, joins runs of spaces and drops control characters: names typed on phones come with all of them. */
export function cleanText(value: string): string {
  if (CLEAN_LATIN.test(value)) return value;
  return value
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A slug of a text: lower case, accents dropped, other characters runs of '-', at most 60 long ("Não sei, talvez!" → "nao-sei-talvez"). */
export function slugOf(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}
