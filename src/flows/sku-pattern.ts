/**
 * SKU patterns in flows: `*` any run of characters, `?` one character,
 * compared without case ("CAFE-*" matches "cafe-250").
 */
const compiled = new Map<string, RegExp>();

export function skuPatternToRegExp(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    const source = pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${source}$`, 'i');
    compiled.set(pattern, regex);
  }
  return regex;
}

export function matchesSku(patterns: readonly string[], sku: string): boolean {
  return patterns.some((pattern) => skuPatternToRegExp(pattern).test(sku));
}
