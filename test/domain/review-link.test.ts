import { describe, expect, it } from 'vitest';
import { hasReviewStep, isPublicHttps, reviewLinkToken, reviewTrackingOf, runOfReviewToken } from '../../src/domain/review-link.js';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);

describe('review-link tokens', () => {
  it('name a run without showing it, and read back only with the install’s key', () => {
    const tokens = [1, 2, 3, 12_345, Number.MAX_SAFE_INTEGER].map((run) => reviewLinkToken(KEY, run));
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.map((token) => runOfReviewToken(KEY, token))).toEqual([1, 2, 3, 12_345, Number.MAX_SAFE_INTEGER]);
    expect(tokens[3]).not.toContain('12345');
    expect(runOfReviewToken(OTHER_KEY, tokens[0]!)).toBeNull();
  });

  it('refuse anything altered: a changed character, another spelling of the same bytes, a wrong length', () => {
    const token = reviewLinkToken(KEY, 42);
    const flipped = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
    expect(runOfReviewToken(KEY, flipped)).toBeNull();
    // The 22nd character carries 2 unused bits: only the canonical spelling is accepted.
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(runOfReviewToken(KEY, token.slice(0, -1) + sibling)).toBeNull();
    for (const bad of ['', token.slice(1), `${token}A`, 'A'.repeat(22), '../../etc/passwd']) expect(runOfReviewToken(KEY, bad)).toBeNull();
  });
});

describe('whether review-link opens can be counted', () => {
  it.each([
    ['https://loja.example.com.br', true],
    ['https://fregues.fly.dev/', true],
    ['https://203.0.113.5', true],
    ['http://loja.example.com.br', false],
    ['http://localhost:3000', false],
    ['https://localhost', false],
    ['https://192.168.0.10', false],
    ['https://10.1.2.3', false],
    ['https://100.64.1.2', false],
    ['https://servidor', false],
    ['https://caixa.local', false],
    ['https://[::1]', false],
    ['não é url', false],
  ])('%s is public https: %s', (url, expected) => {
    expect(isPublicHttps(url)).toBe(expected);
  });

  it('needs a review step, SHOP_REVIEW_URL and a public PUBLIC_URL, and says which is missing first', () => {
    const base = { publicUrl: 'https://loja.example.com.br/', shopReviewUrl: 'https://g.page/r/x/review', hasReviewStep: true };
    expect(reviewTrackingOf(base)).toEqual({ measured: true, linkPrefix: 'https://loja.example.com.br/r/' });
    expect(reviewTrackingOf({ ...base, hasReviewStep: false })).toEqual({ measured: false, reason: 'no_review_step' });
    expect(reviewTrackingOf({ ...base, shopReviewUrl: null })).toEqual({ measured: false, reason: 'no_review_url' });
    expect(reviewTrackingOf({ ...base, publicUrl: 'http://localhost:3000' })).toEqual({ measured: false, reason: 'not_public' });
  });

  it('finds a review step by its use of shop.review_url, however it is written', () => {
    expect(hasReviewStep([{ steps: [{ kind: 'send', text: 'Avalie: {{ shop.review_url }}' }] }])).toBe(true);
    expect(hasReviewStep([{ steps: [{ kind: 'send', text: "Avalie: {{ shop['review_url'] }}" }] }])).toBe(true);
    expect(hasReviewStep([{ steps: [{ kind: 'send', text: 'Avalie: {{ shop["review_url"] }}' }] }])).toBe(true);
    expect(hasReviewStep([{ steps: [{ kind: 'send', text: 'Obrigado, {{ shop.name }}' }] }, {}])).toBe(false);
  });
});
