/**
 * RFM (recency, frequency, monetary) scores and the built-in segments, pure.
 * Each dimension is scored 1 to 5 by the customer's mid-rank percentile among
 * the shop's own customers who bought at least once (docs/metrics.md,
 * "Segments"): p = (below + equal / 2) / n, score = 1 + floor(5 p), at most 5.
 * Ties get the same score; a shop with one customer scores them 3 everywhere.
 */

/** What the segments read of one live customer: one row of the aggregate query. */
export interface CustomerFacts {
  id: number;
  /** The tags column as stored (a JSON array): parsed only when a filter asks. */
  tagsJson: string;
  /** 1–12, or null without a birthday. */
  birthdayMonth: number | null;
  /** Gave marketing consent (and did not revoke it). */
  consentGranted: boolean;
  /** Wrote to the shop's number at least once. */
  warm: boolean;
  handoffUntil: number | null;
  purchases: number;
  totalCents: number;
  lastPurchaseAt: number | null;
  /** The score of the customer's latest NPS answer (0–10), or null. */
  lastNps: number | null;
}

export const RFM_SEGMENTS = ['mais-valiosos', 'maior-potencial', 'fieis', 'novos', 'em-risco', 'perdidos'] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];
/** The overlay: a customer is in it as well as in their RFM segment. */
export const BELOW_ZERO = 'abaixo-de-zero';
export const BUILTIN_SEGMENTS = [...RFM_SEGMENTS, BELOW_ZERO] as const;
export type BuiltinSegment = (typeof BUILTIN_SEGMENTS)[number];

export function isBuiltinSegment(id: string): id is BuiltinSegment {
  return (BUILTIN_SEGMENTS as readonly string[]).includes(id);
}

export interface RfmScore {
  r: number;
  f: number;
  m: number;
}

/** Scores a value among sorted values (ascending): the mid-rank percentile in fifths. */
export function quintileScore(sorted: ArrayLike<number>, value: number): number {
  const n = sorted.length;
  if (n === 0) return 3;
  const below = lowerBound(sorted, value);
  const equal = upperBound(sorted, value) - below;
  const p = (below + equal / 2) / n;
  return Math.min(5, 1 + Math.floor(5 * p));
}

function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where each score starts, per dimension: `cuts[k - 2]` is the smallest value that scores k or
 * more (k = 2…5; Infinity when none does). quintileScore grows with the value, so a customer's
 * score is 1 plus the number of cuts at or below their value: four comparisons, not a search.
 */
export interface RfmBasis {
  recency: readonly number[];
  frequency: readonly number[];
  monetary: readonly number[];
}

/** The cuts of quintileScore over values sorted ascending, in one walk over the runs of equal values. */
export function quintileCuts(sorted: ArrayLike<number>): number[] {
  const n = sorted.length;
  const cuts = [Infinity, Infinity, Infinity, Infinity];
  for (let i = 0; i < n; ) {
    const value = sorted[i]!;
    let j = i + 1;
    while (j < n && sorted[j] === value) j += 1;
    const score = Math.min(5, 1 + Math.floor((5 * (i + (j - i) / 2)) / n));
    for (let k = 2; k <= score; k += 1) if (cuts[k - 2] === Infinity) cuts[k - 2] = value;
    i = j;
  }
  return cuts;
}

function scoreFrom(cuts: readonly number[], value: number): number {
  return 1 + (value >= cuts[0]! ? 1 : 0) + (value >= cuts[1]! ? 1 : 0) + (value >= cuts[2]! ? 1 : 0) + (value >= cuts[3]! ? 1 : 0);
}

export function rfmBasis(facts: readonly CustomerFacts[]): RfmBasis {
  let buyers = 0;
  for (const c of facts) if (c.purchases > 0 && c.lastPurchaseAt !== null) buyers += 1;
  const recency = new Float64Array(buyers);
  const frequency = new Float64Array(buyers);
  const monetary = new Float64Array(buyers);
  let i = 0;
  for (const c of facts) {
    if (c.purchases === 0 || c.lastPurchaseAt === null) continue;
    recency[i] = c.lastPurchaseAt;
    frequency[i] = c.purchases;
    monetary[i] = c.totalCents;
    i += 1;
  }
  return { recency: quintileCuts(recency.sort()), frequency: quintileCuts(frequency.sort()), monetary: quintileCuts(monetary.sort()) };
}

export function scoreCustomer(basis: RfmBasis, facts: CustomerFacts): RfmScore | null {
  if (facts.purchases === 0 || facts.lastPurchaseAt === null) return null;
  return {
    r: scoreFrom(basis.recency, facts.lastPurchaseAt),
    f: scoreFrom(basis.frequency, facts.purchases),
    m: scoreFrom(basis.monetary, facts.totalCents),
  };
}

/**
 * The one RFM segment of a scored customer: the first rule that holds, in this
 * order (the table in docs/metrics.md). Every score lands in exactly one.
 */
export function rfmSegment(score: RfmScore, purchases: number): RfmSegment {
  const { r, f, m } = score;
  if (r >= 4 && f >= 4 && m >= 4) return 'mais-valiosos';
  if (purchases === 1 && r >= 3) return 'novos';
  if (f >= 4 && r >= 3) return 'fieis';
  if (r >= 3) return 'maior-potencial';
  if (f >= 3 || m >= 3) return 'em-risco';
  return 'perdidos';
}

/** Detractors (latest NPS 0–6) and customers the owner is handling (a handoff not over yet). */
export function isBelowZero(facts: CustomerFacts, now: number): boolean {
  return (facts.lastNps !== null && facts.lastNps <= 6) || (facts.handoffUntil !== null && facts.handoffUntil > now);
}

/** What a saved segment's id looks like (segmentSlug's output). */
export const SEGMENT_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A typo of a built-in id ("mais-valioso", "em-riscos"): at most two letters away, and not it. */
export function nearBuiltinSegment(id: string): boolean {
  return !isBuiltinSegment(id) && BUILTIN_SEGMENTS.some((builtin) => editDistance(id, builtin) <= 2);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
