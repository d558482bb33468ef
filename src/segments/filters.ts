/**
 * A custom segment: the filters a seller saved (docs/metrics.md, "Segments").
 * Every filter given must hold (AND); a filter left out asks nothing.
 */
import { z } from 'zod';
import { normalizeTag } from '../domain/customer.js';
import { atLocal, startOfLocalDay } from '../domain/local-time.js';
import { matchesSku } from '../flows/sku-pattern.js';
import { type Locale, translator } from '../i18n/index.js';
import { strictObject } from '../intake/validate.js';
import type { CustomerFacts } from './rfm.js';

export type NpsBucket = 'promoter' | 'passive' | 'detractor' | 'none';

export interface SegmentFilters {
  /** Every one of these tags. */
  tags?: string[];
  /** None of these tags. */
  notTags?: string[];
  /** Bought (ever) an item whose SKU matches one of these patterns (as flows write them: `CAFE-*`). */
  products?: string[];
  /** The bucket of the latest NPS answer; none: never answered one. */
  nps?: NpsBucket;
  /** The last purchase on or after / on or before this local date ("YYYY-MM-DD", in TIMEZONE). */
  lastPurchaseFrom?: string;
  lastPurchaseTo?: string;
  totalMinCents?: number;
  totalMaxCents?: number;
  purchasesMin?: number;
  purchasesMax?: number;
  /** 1–12. */
  birthdayMonth?: number;
  /** warm: wrote to the shop's number at least once; cold: never did. */
  contact?: 'warm' | 'cold';
  /** granted: gave marketing consent; not_granted: revoked it or never gave it. */
  consent?: 'granted' | 'not_granted';
}

const SKU_FORBIDDEN = /[\p{Cc},;[\]{}()|\\^$]/u;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The filters as the API and the Clientes form take them, in the seller's words when wrong. */
export function segmentFiltersSchema(locale: Locale) {
  const t = translator(locale);
  const tag = z.string().transform((value, ctx) => {
    const normalized = normalizeTag(value);
    if (normalized !== undefined) return normalized;
    ctx.addIssue({ code: 'custom', message: t('tag.invalid'), input: value });
    return z.NEVER;
  });
  const sku = z.string().transform((value, ctx) => {
    const pattern = value.trim();
    if (pattern !== '' && pattern.length <= 100 && !SKU_FORBIDDEN.test(pattern)) return pattern;
    ctx.addIssue({ code: 'custom', message: t('flow.sku.invalid', { value }), input: value });
    return z.NEVER;
  });
  const date = z.string().regex(DATE, t('segments.filter.date'));
  const count = z.number().int().min(0).max(1_000_000_000_000);
  return strictObject(
    {
      tags: z.array(tag).max(50).optional(),
      notTags: z.array(tag).max(50).optional(),
      products: z.array(sku).min(1).max(50).optional(),
      nps: z.enum(['promoter', 'passive', 'detractor', 'none']).optional(),
      lastPurchaseFrom: date.optional(),
      lastPurchaseTo: date.optional(),
      totalMinCents: count.optional(),
      totalMaxCents: count.optional(),
      purchasesMin: count.optional(),
      purchasesMax: count.optional(),
      birthdayMonth: z.number().int().min(1).max(12).optional(),
      contact: z.enum(['warm', 'cold']).optional(),
      consent: z.enum(['granted', 'not_granted']).optional(),
    },
    locale,
  ).superRefine((value, ctx) => {
    const order = (low: keyof SegmentFilters, high: keyof SegmentFilters) => {
      const a = value[low];
      const b = value[high];
      if (a !== undefined && b !== undefined && a > b) ctx.addIssue({ code: 'custom', path: [high], message: t('segments.filter.order'), input: b });
    };
    order('lastPurchaseFrom', 'lastPurchaseTo');
    order('totalMinCents', 'totalMaxCents');
    order('purchasesMin', 'purchasesMax');
  });
}

export function npsBucket(score: number | null): NpsBucket {
  if (score === null) return 'none';
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

/** Whether the filters need the SKUs each customer bought (a second query, over purchases' items). */
export function needsProducts(filters: SegmentFilters): boolean {
  return filters.products !== undefined && filters.products.length > 0;
}

/** Whether any of the filters reads tags (the only column read apart: SegmentRepository.facts). */
export function needsTags(all: readonly SegmentFilters[]): boolean {
  return all.some((f) => (f.tags?.length ?? 0) > 0 || (f.notTags?.length ?? 0) > 0);
}

/** The moment a local date ("2026-11-20") starts in the zone, and `days` later. */
function dayStart(date: string, timeZone: string, days = 0): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const start = atLocal(year, month, day, 0, timeZone);
  return days === 0 ? start : startOfLocalDay(start, timeZone, days);
}

/**
 * The filters as one test, with the dates turned into moments once (not per customer). `bought`:
 * whether the customer ever bought one of the products, needed only when the filters name some
 * (needsProducts; SegmentRepository.customersWhoBought answers it for everyone at once).
 */
export function compileFilters(filters: SegmentFilters, timeZone: string): (facts: CustomerFacts, bought?: boolean) => boolean {
  const from = filters.lastPurchaseFrom === undefined ? undefined : dayStart(filters.lastPurchaseFrom, timeZone);
  const until = filters.lastPurchaseTo === undefined ? undefined : dayStart(filters.lastPurchaseTo, timeZone, 1);
  const tagsAll = filters.tags ?? [];
  const tagsNone = filters.notTags ?? [];
  const products = needsProducts(filters);
  return (facts, bought = false) => {
    if (filters.consent !== undefined && facts.consentGranted !== (filters.consent === 'granted')) return false;
    if (filters.contact !== undefined && facts.warm !== (filters.contact === 'warm')) return false;
    if (filters.purchasesMin !== undefined && facts.purchases < filters.purchasesMin) return false;
    if (filters.purchasesMax !== undefined && facts.purchases > filters.purchasesMax) return false;
    if (filters.totalMinCents !== undefined && facts.totalCents < filters.totalMinCents) return false;
    if (filters.totalMaxCents !== undefined && facts.totalCents > filters.totalMaxCents) return false;
    if (filters.nps !== undefined && npsBucket(facts.lastNps) !== filters.nps) return false;
    if (filters.birthdayMonth !== undefined && facts.birthdayMonth !== filters.birthdayMonth) return false;
    if (from !== undefined || until !== undefined) {
      if (facts.lastPurchaseAt === null) return false;
      if (from !== undefined && facts.lastPurchaseAt < from) return false;
      if (until !== undefined && facts.lastPurchaseAt >= until) return false;
    }
    if (tagsAll.length > 0 || tagsNone.length > 0) {
      const tags = facts.tagsJson === '[]' ? [] : (JSON.parse(facts.tagsJson) as string[]);
      if (!tagsAll.every((tag) => tags.includes(tag))) return false;
      if (tagsNone.some((tag) => tags.includes(tag))) return false;
    }
    if (products && !bought) return false;
    return true;
  };
}

/** Whether a customer passes every filter (compileFilters, for one customer), `skus` what they ever bought. */
export function matchesFilters(filters: SegmentFilters, facts: CustomerFacts, timeZone: string, skus: readonly string[] = []): boolean {
  return compileFilters(filters, timeZone)(facts, needsProducts(filters) && skus.some((sku) => matchesSku(filters.products!, sku)));
}
