/**
 * A campaign's results per variant (issue 21; docs/metrics.md, "Campaigns"):
 * the counts from the record turned into rates that keep their counts, and
 * the variants compared on replies and purchases with a verdict in plain words
 * only when the difference is beyond chance. Pure.
 */
import { readReason } from '../domain/reasons.js';
import { translator, type Locale } from '../i18n/index.js';
import type { CampaignRow, VariantTotals } from '../storage/repositories/campaigns.js';
import { compareVariants, type VariantCount } from './compare-variants.js';
import type { CampaignResults, CampaignStatus, CampaignSummary, Rate, StoredVariant, VariantComparison, VariantResults } from './campaign-types.js';

export function rateOf(count: number, of: number): Rate {
  return { count, of, rate: of === 0 ? null : count / of };
}

export function statusOf(row: CampaignRow, pending: number, now: number): CampaignStatus {
  if (row.status === 'cancelled') return 'cancelled';
  if (now < row.sendAt) return 'scheduled';
  return pending > 0 ? 'sending' : 'sent';
}

export function storedVariants(row: CampaignRow): StoredVariant[] {
  return JSON.parse(row.variants) as StoredVariant[];
}

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

export function summarize(row: CampaignRow, parts: { enrolled: Record<string, number>; excluded: Record<string, number>; pending: number; now: number }): CampaignSummary {
  return {
    id: row.id,
    name: row.name,
    segment: row.segmentId,
    status: statusOf(row, parts.pending, parts.now),
    sendAt: new Date(row.sendAt).toISOString(),
    createdAt: new Date(row.createdAt).toISOString(),
    cancelledAt: iso(row.cancelledAt),
    variants: storedVariants(row).length,
    recipients: Object.values(parts.enrolled).reduce((sum, n) => sum + n, 0),
    excluded: parts.excluded,
  };
}

export function buildResults(
  row: CampaignRow,
  data: { totals: VariantTotals[]; notSent: { variant: string; reason: string; count: number }[]; excluded: Record<string, number>; now: number; locale: Locale },
): CampaignResults {
  const byKey = new Map(data.totals.map((totals) => [totals.variant, totals]));
  const results = storedVariants(row).map((variant): VariantResults => {
    const t = byKey.get(variant.key) ?? emptyTotals(variant.key);
    const notSent: Record<string, number> = {};
    for (const entry of data.notSent.filter((one) => one.variant === variant.key)) {
      // A stored reason with its detail ("resent:<id>") counts under its code; a channel's own error under its first word.
      const code = readReason(entry.reason)?.reason ?? entry.reason.split(':')[0]!;
      notSent[code] = (notSent[code] ?? 0) + entry.count;
    }
    return {
      key: variant.key,
      message: variant.message,
      recipients: t.recipients,
      pending: t.pending,
      sent: rateOf(t.sent, t.recipients),
      delivered: rateOf(t.delivered, t.sent),
      read: rateOf(t.read, t.sent),
      replied: rateOf(t.replied, t.sent),
      optedOut: rateOf(t.optedOut, t.sent),
      answered: rateOf(t.answered, t.sent),
      purchased: rateOf(t.purchasers, t.sent),
      purchases: t.purchases,
      revenueCents: t.revenueCents,
      firstSentAt: iso(t.firstSentAt),
      lastSentAt: iso(t.lastSentAt),
      notSent,
    };
  });
  const pending = results.reduce((sum, one) => sum + one.pending, 0);
  const enrolled = Object.fromEntries(results.map((one) => [one.key, one.recipients]));
  return {
    ...summarize(row, { enrolled, excluded: data.excluded, pending, now: data.now }),
    attributionDays: row.attributionDays,
    seed: row.seed,
    results,
    comparisons: results.length < 2 ? [] : (['replied', 'purchased'] as const).map((metric) => compareOn(metric, results, data.locale)),
  };
}

function compareOn(metric: 'replied' | 'purchased', results: readonly VariantResults[], locale: Locale): VariantComparison {
  const t = translator(locale);
  const groups: VariantCount[] = results.map((one) => ({ key: one.key, count: one[metric].count, of: one[metric].of }));
  const comparison = compareVariants(groups);
  const counts = groups.map((group) => t('campaign.verdict.count', { variant: group.key.toUpperCase(), count: group.count, of: group.of })).join('; ');
  const what = t(metric === 'replied' ? 'campaign.metric.replied' : 'campaign.metric.purchased');
  if (comparison.test === null) {
    return { metric, test: null, pValue: null, significant: false, best: null, verdict: t('campaign.verdict.too_few', { metric: what, counts }) };
  }
  const test = t(comparison.test === 'fisher_exact' ? 'campaign.test.fisher_exact' : 'campaign.test.chi_square');
  const p = formatP(comparison.pValue, locale);
  const best = comparison.best as VariantResults['key'] | null;
  const verdict =
    comparison.significant && best !== null
      ? t('campaign.verdict.beyond_chance', { variant: best.toUpperCase(), metric: what, counts, test, p })
      : t('campaign.verdict.no_difference', { metric: what, counts, test, p });
  return { metric, test: comparison.test, pValue: comparison.pValue, significant: comparison.significant, best, verdict };
}

/** "p = 0,032" in the locale's digits, or "p < 0,001". */
export function formatP(p: number, locale: Locale): string {
  const format = (value: number) => new Intl.NumberFormat(locale, { maximumSignificantDigits: 2 }).format(value);
  return p < 0.001 ? `p < ${format(0.001)}` : `p = ${format(p)}`;
}

function emptyTotals(variant: string): VariantTotals {
  return {
    variant,
    recipients: 0,
    pending: 0,
    sent: 0,
    delivered: 0,
    read: 0,
    replied: 0,
    optedOut: 0,
    answered: 0,
    purchasers: 0,
    purchases: 0,
    revenueCents: 0,
    firstSentAt: null,
    lastSentAt: null,
  };
}
