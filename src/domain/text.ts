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
