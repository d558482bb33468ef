/**
 * nps: a score from 0 to 10, as "0".."10". Which numbers of a message are
 * candidates, and how two of them are settled, is in scores.ts; praise beyond
 * the scale ("nota mil", "💯", "5 de 5") is read as 10 (praise.ts).
 */
import type { NumberRules } from './numbers.js';
import type { Reading } from './reading.js';
import { decideScore, numberItems } from './scores.js';
import type { ParsedAnswer } from './types.js';

const NPS_RULES: NumberRules = { min: 0, max: 10, scaleStarts: [0, 1], stars: false, ordinals: false, praise: true };

export function parseNps(r: Reading): ParsedAnswer {
  return decideScore(r, numberItems(r, NPS_RULES), NPS_RULES);
}
