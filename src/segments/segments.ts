/**
 * The segments (issue 21): the built-in RFM ones and the seller's saved filters, computed from the
 * record in one pass over the aggregate rows (two queries: facts, and SKUs only when a filter
 * names products). docs/metrics.md, "Segments", defines each one.
 */
import { slugOf } from '../domain/text.js';
import type { SegmentRepository } from '../storage/repositories/segments.js';
import { compileFilters, needsProducts, needsTags, type SegmentFilters } from './filters.js';
import { BELOW_ZERO, BUILTIN_SEGMENTS, isBelowZero, isBuiltinSegment, nearBuiltinSegment, rfmBasis, rfmSegment, scoreCustomer, type BuiltinSegment, type CustomerFacts, type RfmBasis } from './rfm.js';

export interface SegmentSource {
  segments: SegmentRepository;
}

/** When: recency and handoffs are judged at `now`; the last-purchase dates of custom filters in `timeZone`. */
export interface SegmentTime {
  now: number;
  timeZone: string;
}

export interface SegmentSummary {
  id: string;
  /** A built-in's name is a catalogue key's text (the caller's locale); a custom one's is the seller's. */
  name: string;
  kind: 'built-in' | 'custom';
  count: number;
}

/** Members of each built-in segment, customer ids ascending. */
export function builtinMembers(facts: readonly CustomerFacts[], now: number): Map<BuiltinSegment, number[]> {
  const members = new Map<BuiltinSegment, number[]>(BUILTIN_SEGMENTS.map((id) => [id, []]));
  const basis = rfmBasis(facts);
  for (const customer of facts) {
    const score = scoreCustomer(basis, customer);
    if (score) members.get(rfmSegment(score, customer.purchases))!.push(customer.id);
    if (isBelowZero(customer, now)) members.get(BELOW_ZERO)!.push(customer.id);
  }
  return members;
}

export function parseFilters(json: string): SegmentFilters {
  return JSON.parse(json) as SegmentFilters;
}

function customMembers(source: SegmentSource, facts: readonly CustomerFacts[], filters: SegmentFilters, timeZone: string): number[] {
  const passes = compileFilters(filters, timeZone);
  const bought = needsProducts(filters) ? source.segments.customersWhoBought(filters.products!) : undefined;
  const members: number[] = [];
  for (const customer of facts) if (passes(customer, bought?.has(customer.id))) members.push(customer.id);
  return members;
}

/** Every segment with its count: built-in first (in the order of docs/metrics.md), then the seller's, oldest first. */
export function listSegments(source: SegmentSource, at: SegmentTime, builtinName: (id: BuiltinSegment) => string): SegmentSummary[] {
  const custom = source.segments.listCustom().map((segment) => ({ segment, filters: parseFilters(segment.filters) }));
  const facts = source.segments.facts(needsTags(custom.map(({ filters }) => filters)));
  const builtin = builtinMembers(facts, at.now);
  return [
    ...BUILTIN_SEGMENTS.map((id): SegmentSummary => ({ id, name: builtinName(id), kind: 'built-in', count: builtin.get(id)!.length })),
    ...custom.map(({ segment, filters }): SegmentSummary => ({
      id: segment.id,
      name: segment.name,
      kind: 'custom',
      count: customMembers(source, facts, filters, at.timeZone).length,
    })),
  ];
}

/**
 * The ids of a segment's members (live customers only), ascending; undefined when there is no
 * segment with that id. What campaigns send to.
 */
export function segmentMembers(source: SegmentSource, segmentId: string, at: SegmentTime): number[] | undefined {
  if (isBuiltinSegment(segmentId)) return builtinMembers(source.segments.facts(false), at.now).get(segmentId)!;
  const saved = source.segments.findCustom(segmentId);
  if (!saved) return undefined;
  const filters = parseFilters(saved.filters);
  return customMembers(source, source.segments.facts(needsTags([filters])), filters, at.timeZone);
}

/** How long the RFM cuts of the last check are used again for enrolment, while no purchase came in. */
const CUTS_TTL_MS = 60_000;
const cutsCache = new WeakMap<SegmentRepository, { at: number; lastPurchaseId: number; basis: RfmBasis }>();

/**
 * The RFM cuts for enrolment checks: computed from every buyer (the aggregate query), then kept for
 * a minute of the clock unless a purchase comes in, so that a daily trigger checking a thousand
 * customers reads the purchases once, not a thousand times.
 */
function enrolmentBasis(source: SegmentSource, now: number): RfmBasis {
  const lastPurchaseId = source.segments.lastPurchaseId();
  const hit = cutsCache.get(source.segments);
  if (hit && hit.lastPurchaseId === lastPurchaseId && now >= hit.at && now - hit.at < CUTS_TTL_MS) return hit.basis;
  const basis = rfmBasis(source.segments.facts(false));
  cutsCache.set(source.segments, { at: now, lastPurchaseId, basis });
  return basis;
}

/**
 * Whether one customer is in a segment now (a flow's `filter: { segment }` at enrolment);
 * undefined when there is no segment with that id. The customer's own numbers are read fresh
 * (the purchase being recorded counts); a built-in segment ranks them with the shop's RFM cuts.
 */
export function isSegmentMember(source: SegmentSource, segmentId: string, customerId: number, at: SegmentTime): boolean | undefined {
  const saved = isBuiltinSegment(segmentId) ? undefined : source.segments.findCustom(segmentId);
  if (!isBuiltinSegment(segmentId) && !saved) return undefined;
  const facts = source.segments.factsOf(customerId);
  if (!facts) return false;
  if (segmentId === BELOW_ZERO) return isBelowZero(facts, at.now);
  if (isBuiltinSegment(segmentId)) {
    const score = scoreCustomer(enrolmentBasis(source, at.now), facts);
    return score !== null && rfmSegment(score, facts.purchases) === segmentId;
  }
  const filters = parseFilters(saved!.filters);
  return compileFilters(filters, at.timeZone)(facts, needsProducts(filters) && source.segments.hasBought(customerId, filters.products!));
}

/** A custom segment's id from its name: lower case, accents dropped, words joined by '-'. */
export function segmentSlug(name: string): string {
  return slugOf(name) || 'segmento';
}

/**
 * A slug not taken by `taken`: "clientes-vip", then "clientes-vip-2"… A name that is (or looks
 * like) a built-in id is prefixed ("segmento-novos"): flows refuse near-misses of built-in ids at load.
 */
export function freeSegmentId(name: string, taken: (id: string) => boolean): string {
  const slug = segmentSlug(name);
  const base = isBuiltinSegment(slug) || nearBuiltinSegment(slug) ? `segmento-${slug}` : slug;
  let id = base;
  for (let n = 2; taken(id); n += 1) id = `${base}-${n}`;
  return id;
}
