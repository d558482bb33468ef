/**
 * The tracked review link (issue 21): `{{ shop.review_url }}` becomes
 * PUBLIC_URL/r/<token>, a redirect to SHOP_REVIEW_URL that counts who
 * followed it. Only when the service is reachable from the internet: a
 * link to this machine would not open on the customer's phone, so without a
 * public https PUBLIC_URL the customer gets SHOP_REVIEW_URL itself and the
 * reputation KPI says it is not measured, never a made-up number.
 *
 * A token names a flow run (one customer, one recipient) without saying
 * which: the run id and a MAC of it, encrypted as one AES block with a key
 * of the install. Nothing personal is in the URL, a token cannot be guessed
 * or forged, and no table maps tokens to runs.
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { isLocalHost } from './addresses.js';

/** Why the share of customers who followed the review link is not measured. */
export type ReviewTrackingOff = 'no_review_step' | 'no_review_url' | 'not_public';

export type ReviewTracking = { measured: true; linkPrefix: string } | { measured: false; reason: ReviewTrackingOff };

/** The redirect route's path, before the token. */
export const REVIEW_LINK_PATH = '/r/';

/** `shop.review_url` named in a template or a step: `{{ shop.review_url }}`, `shop["review_url"]`. */
const NAMES_REVIEW_URL = /\bshop\s*(?:\.\s*review_url\b|\[\s*\\?["']review_url\\?["']\s*\])/u;

/** Whether any step of these flows names `shop.review_url` (a review request). */
export function hasReviewStep(flows: readonly { steps?: unknown }[]): boolean {
  return flows.some((flow) => flow.steps !== undefined && NAMES_REVIEW_URL.test(JSON.stringify(flow.steps)));
}

/**
 * Whether link opens can be counted, and the tracked links' prefix
 * ("https://loja.example/r/") when they can. A review step must exist,
 * SHOP_REVIEW_URL be set, and PUBLIC_URL be a public https address.
 */
export function reviewTrackingOf(input: { publicUrl: string; shopReviewUrl: string | null; hasReviewStep: boolean }): ReviewTracking {
  if (!input.hasReviewStep) return { measured: false, reason: 'no_review_step' };
  if (!input.shopReviewUrl) return { measured: false, reason: 'no_review_url' };
  if (!isPublicHttps(input.publicUrl)) return { measured: false, reason: 'not_public' };
  return { measured: true, linkPrefix: `${input.publicUrl.replace(/\/+$/, '')}${REVIEW_LINK_PATH}` };
}

/** An https address the internet can reach: not this machine, not the shop's own network, not a bare machine name. */
export function isPublicHttps(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:') return false;
  return !isLocalHost(parsed.hostname);
}

const TOKEN = /^[A-Za-z0-9_-]{22}$/;

function subkey(key: Buffer, purpose: string): Buffer {
  return createHmac('sha256', key).update(purpose).digest();
}

function macOf(key: Buffer, runId: bigint): Buffer {
  return createHmac('sha256', subkey(key, 'review-link:mac')).update(runId.toString()).digest().subarray(0, 8);
}

/** The token of a run's review link: 22 URL-safe characters. */
export function reviewLinkToken(key: Buffer, runId: number): string {
  const block = Buffer.alloc(16);
  block.writeBigUInt64BE(BigInt(runId), 0);
  macOf(key, BigInt(runId)).copy(block, 8);
  const cipher = createCipheriv('aes-256-ecb', subkey(key, 'review-link:enc'), null).setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]).toString('base64url');
}

/** The run a token names, or null for anything that is not a token of this install. */
export function runOfReviewToken(key: Buffer, token: string): number | null {
  if (!TOKEN.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  // One spelling per token: the last character's unused bits must be zero.
  if (bytes.length !== 16 || bytes.toString('base64url') !== token) return null;
  const decipher = createDecipheriv('aes-256-ecb', subkey(key, 'review-link:enc'), null).setAutoPadding(false);
  const block = Buffer.concat([decipher.update(bytes), decipher.final()]);
  const runId = block.readBigUInt64BE(0);
  if (runId === 0n || runId > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return timingSafeEqual(block.subarray(8), macOf(key, runId)) ? Number(runId) : null;
}
