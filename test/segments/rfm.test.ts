import { describe, expect, it } from 'vitest';
import { matchesFilters, npsBucket } from '../../src/segments/filters.js';
import { isBelowZero, nearBuiltinSegment, quintileScore, rfmBasis, rfmSegment, scoreCustomer, type CustomerFacts } from '../../src/segments/rfm.js';
import { freeSegmentId, segmentSlug } from '../../src/segments/segments.js';
import { segmentPage } from '../../src/http/routes/segments.js';

const facts = (over: Partial<CustomerFacts> = {}): CustomerFacts => ({
  id: 1,
  tagsJson: '[]',
  birthdayMonth: null,
  consentGranted: false,
  warm: false,
  handoffUntil: null,
  purchases: 1,
  totalCents: 1000,
  lastPurchaseAt: 0,
  lastNps: null,
  ...over,
});

describe('quintile scores (mid-rank percentile in fifths)', () => {
  it('scores five distinct values 1 to 5 and ten values two by two', () => {
    const five = [10, 20, 30, 40, 50];
    expect(five.map((v) => quintileScore(five, v))).toEqual([1, 2, 3, 4, 5]);
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(ten.map((v) => quintileScore(ten, v))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('gives ties one score, and a lone customer the middle one', () => {
    expect(quintileScore([7], 7)).toBe(3);
    const skewed = [1, 1, 1, 1, 2, 2, 3, 3, 4, 5];
    expect([1, 2, 3, 4, 5].map((v) => quintileScore(skewed, v))).toEqual([2, 3, 4, 5, 5]);
    expect(quintileScore([5, 5, 5, 5], 5)).toBe(3);
  });
});

describe('scores from the cuts (what the segments use) against quintileScore (the definition)', () => {
  it('agree on random shops, ties and all', () => {
    let seed = 21;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    for (let shop = 0; shop < 200; shop += 1) {
      const n = 1 + Math.floor(random() * 40);
      const buyers = Array.from({ length: n }, (_, i) =>
        facts({ id: i + 1, purchases: 1 + Math.floor(random() * 4), totalCents: 100 * Math.floor(random() * 6), lastPurchaseAt: Math.floor(random() * 10) }),
      );
      const basis = rfmBasis(buyers);
      const sorted = (read: (c: CustomerFacts) => number) => buyers.map(read).sort((a, b) => a - b);
      const [r, f, m] = [sorted((c) => c.lastPurchaseAt!), sorted((c) => c.purchases), sorted((c) => c.totalCents)];
      for (const c of buyers) {
        expect(scoreCustomer(basis, c)).toEqual({ r: quintileScore(r, c.lastPurchaseAt!), f: quintileScore(f, c.purchases), m: quintileScore(m, c.totalCents) });
      }
    }
  });

  it('scores nobody without a purchase', () => {
    expect(scoreCustomer(rfmBasis([facts()]), facts({ purchases: 0, lastPurchaseAt: null }))).toBeNull();
  });
});

describe('the RFM segment rules, at their boundaries', () => {
  it.each([
    [{ r: 4, f: 4, m: 4 }, 3, 'mais-valiosos'],
    [{ r: 5, f: 5, m: 3 }, 9, 'fieis'],
    [{ r: 3, f: 5, m: 5 }, 9, 'fieis'],
    [{ r: 3, f: 2, m: 2 }, 1, 'novos'],
    [{ r: 5, f: 2, m: 5 }, 1, 'novos'],
    [{ r: 2, f: 2, m: 2 }, 1, 'perdidos'],
    [{ r: 3, f: 3, m: 1 }, 2, 'maior-potencial'],
    [{ r: 4, f: 3, m: 5 }, 2, 'maior-potencial'],
    [{ r: 2, f: 3, m: 1 }, 2, 'em-risco'],
    [{ r: 1, f: 1, m: 3 }, 1, 'em-risco'],
    [{ r: 2, f: 2, m: 2 }, 2, 'perdidos'],
    [{ r: 1, f: 5, m: 5 }, 9, 'em-risco'],
  ] as const)('%o with %i purchases is %s', (score, purchases, segment) => {
    expect(rfmSegment(score, purchases)).toBe(segment);
  });

  it('lands every score in exactly one segment', () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r += 1) for (let f = 1; f <= 5; f += 1) for (let m = 1; m <= 5; m += 1) for (const n of [1, 2]) seen.add(rfmSegment({ r, f, m }, n));
    expect([...seen].sort()).toEqual(['em-risco', 'fieis', 'maior-potencial', 'mais-valiosos', 'novos', 'perdidos']);
  });

  it('is below zero for a detractor (0–6) or an open handoff, not a passive or a handoff that ended', () => {
    expect(isBelowZero(facts({ lastNps: 6 }), 100)).toBe(true);
    expect(isBelowZero(facts({ lastNps: 7 }), 100)).toBe(false);
    expect(isBelowZero(facts({ handoffUntil: 101 }), 100)).toBe(true);
    expect(isBelowZero(facts({ handoffUntil: 100 }), 100)).toBe(false);
  });
});

describe('custom filters', () => {
  const tz = 'America/Sao_Paulo';
  it('matches birthday month, NPS bucket, tags and consent', () => {
    expect(matchesFilters({ birthdayMonth: 3 }, facts({ birthdayMonth: 3 }), tz)).toBe(true);
    expect(matchesFilters({ birthdayMonth: 4 }, facts({ birthdayMonth: 3 }), tz)).toBe(false);
    expect(matchesFilters({ birthdayMonth: 3 }, facts(), tz)).toBe(false);
    expect(npsBucket(null)).toBe('none');
    expect(matchesFilters({ nps: 'none' }, facts(), tz)).toBe(true);
    expect(matchesFilters({ nps: 'passive' }, facts({ lastNps: 8 }), tz)).toBe(true);
    expect(matchesFilters({ tags: ['vip'], notTags: ['atacado'] }, facts({ tagsJson: '["vip"]' }), tz)).toBe(true);
    expect(matchesFilters({ tags: ['vip'], notTags: ['atacado'] }, facts({ tagsJson: '["vip","atacado"]' }), tz)).toBe(false);
    expect(matchesFilters({ consent: 'not_granted' }, facts({ consentGranted: false }), tz)).toBe(true);
    expect(matchesFilters({ consent: 'granted' }, facts({ consentGranted: false }), tz)).toBe(false);
    expect(matchesFilters({ consent: 'granted' }, facts({ consentGranted: true }), tz)).toBe(true);
  });

  it('reads the last purchase dates in the shop time zone', () => {
    // 2026-11-20 01:30 UTC is still the 19th in São Paulo.
    const at = Date.parse('2026-11-20T01:30:00Z');
    expect(matchesFilters({ lastPurchaseTo: '2026-11-19' }, facts({ lastPurchaseAt: at }), tz)).toBe(true);
    expect(matchesFilters({ lastPurchaseFrom: '2026-11-20' }, facts({ lastPurchaseAt: at }), tz)).toBe(false);
    expect(matchesFilters({ lastPurchaseFrom: '2026-11-01' }, facts({ lastPurchaseAt: null, purchases: 0 }), tz)).toBe(false);
  });

  it('matches products with the SKU patterns of flows', () => {
    expect(matchesFilters({ products: ['CAFE-*'] }, facts(), tz, ['cafe-250'])).toBe(true);
    expect(matchesFilters({ products: ['CAFE-*'] }, facts(), tz, ['cha-100'])).toBe(false);
  });
});

describe('segment ids and pages', () => {
  it('makes a slug of the name, never a built-in id (nor one like it) nor one taken', () => {
    expect(segmentSlug('Clientes de Café — VIP!')).toBe('clientes-de-cafe-vip');
    expect(segmentSlug('***')).toBe('segmento');
    expect(freeSegmentId('Novos', () => false)).toBe('segmento-novos');
    expect(freeSegmentId('Perdido', () => false)).toBe('segmento-perdido');
    expect(nearBuiltinSegment(freeSegmentId('Novos', (id) => id === 'segmento-novos'))).toBe(false);
    expect(freeSegmentId('VIP', (id) => id === 'vip' || id === 'vip-2')).toBe('vip-3');
  });

  it('refuses at load what is a typo of a built-in id', () => {
    expect(nearBuiltinSegment('mais-valioso')).toBe(true);
    expect(nearBuiltinSegment('mais-valiosos')).toBe(false);
    expect(nearBuiltinSegment('clientes-vip')).toBe(false);
  });

  it('pages newest first with nextBefore as GET /api/customers does', () => {
    expect(segmentPage([2, 5, 9], 2, undefined)).toEqual({ ids: [9, 5], nextBefore: 5 });
    expect(segmentPage([2, 5, 9], 2, 5)).toEqual({ ids: [2], nextBefore: null });
    expect(segmentPage([2, 5], 2, undefined)).toEqual({ ids: [5, 2], nextBefore: null });
    expect(segmentPage([], 2, undefined)).toEqual({ ids: [], nextBefore: null });
  });
});
