import { randomBytes } from 'node:crypto';
import type { Purchase } from '../domain/customer.js';
import { findOptInCodes, OPT_IN_ID_SPACE, optInCodec, type OptInCodec, type OptInRef } from '../domain/opt-in-code.js';
import { clickToChatLink } from '../domain/phone.js';
import { translate, type Locale } from '../i18n/index.js';
import type { PendingPurchase } from '../storage/repositories/pending-purchases.js';
import type { Repositories } from '../storage/repositories/index.js';

/** What a store shows its customer: the link that opens a chat with the shop, and the code in its text. */
export interface OptInOffer {
  link: string;
  code: string;
}

/**
 * Click-to-chat for this install: the links with the shop's number and a
 * purchase's code (resolveOptIn reads a code back from what a customer wrote).
 */
export interface OptIn {
  /** The link and code of a purchase (or pending one); null while the shop's number is not known. */
  offer(ref: OptInRef): OptInOffer | null;
  /** The shop's own link, with no purchase in it (the counter card); null without the number. */
  shopLink(shopName: string): string | null;
}

export interface OptInOptions {
  repos: Pick<Repositories, 'schedulerState' | 'whatsappLimits'>;
  locale: Locale;
  /** The shop's number: by default as last seen linked (kept in scheduler_state, so that links work while disconnected). */
  shopPhone?: () => string | null;
}

/** Where the per-install key of the codes is kept: made once, at the first start that needs it. */
const SECRET_KEY = 'opt_in.secret';
/** A code is accepted this long after its purchase was recorded. */
export const OPT_IN_CODE_LIFETIME_MS = 90 * 24 * 3600_000;

/** The codec of this install: its secret is read, or made and kept once. */
export function installCodec(repos: Pick<Repositories, 'schedulerState'>): OptInCodec {
  let secret = repos.schedulerState.get(SECRET_KEY);
  if (secret === undefined) {
    secret = randomBytes(16).toString('hex');
    repos.schedulerState.set(SECRET_KEY, secret);
  }
  return optInCodec(secret);
}

export function createOptIn(options: OptInOptions): OptIn {
  const codec = installCodec(options.repos);
  // The text around the code, encoded once per number: the intake builds a link per purchase.
  let cached: { phone: string; parts: { before: string; after: string } | null } | null = null;
  const MARK = '\u0000';
  const partsFor = (phone: string) => {
    if (cached?.phone !== phone) {
      const link = clickToChatLink(phone, translate(options.locale, 'optin.prefilled', { code: MARK }));
      const [before = '', after = ''] = (link ?? '').split(encodeURIComponent(MARK));
      cached = { phone, parts: link === null ? null : { before, after } };
    }
    return cached.parts;
  };
  const shopPhone = options.shopPhone ?? cachedShopPhone(options.repos);

  return {
    offer: (ref) => {
      const phone = shopPhone();
      const parts = phone === null ? null : partsFor(phone);
      if (parts === null) return null;
      const code = codec.encode(ref);
      return { link: `${parts.before}${code}${parts.after}`, code };
    },
    shopLink: (shopName) => clickToChatLink(shopPhone(), translate(options.locale, 'optin.prefilled_shop', { shop: shopName })),
  };
}

/** How long the intake trusts the shop's number it read: it changes only when another number is linked. */
const SHOP_PHONE_CACHE_MS = 1_000;

/**
 * The shop's number as kept in scheduler_state, read at most once a second
 * (by the wall clock): every purchase's answer carries a link, and the
 * intake's speed is measured against a bare route (docs/performance.md).
 */
function cachedShopPhone(repos: Pick<Repositories, 'whatsappLimits'>): () => string | null {
  let phone: string | null = null;
  let readAt = Number.NEGATIVE_INFINITY;
  return () => {
    const now = performance.now();
    if (now - readAt >= SHOP_PHONE_CACHE_MS) {
      phone = repos.whatsappLimits.shopPhone();
      readAt = now;
    }
    return phone;
  };
}

/** What a code in a message stands for, when it is one of this shop's and still good. */
export type OptInTarget = { kind: 'purchase'; purchase: Purchase } | { kind: 'pending'; pending: PendingPurchase };

/**
 * The first code named in `text` that stands for a purchase (or a pending one
 * still waiting) recorded in the last 90 days. A pending purchase that was
 * already claimed stands for the purchase it became.
 */
export function resolveOptIn(
  repos: Pick<Repositories, 'purchases' | 'pendingPurchases'>,
  codec: OptInCodec,
  text: string,
  now: number,
): { code: string; target: OptInTarget } | { code: string; target: null } | null {
  const codes = findOptInCodes(text);
  for (const code of codes) {
    const ref = codec.decode(code);
    const target = ref && targetOf(repos, ref, now - OPT_IN_CODE_LIFETIME_MS);
    if (target) return { code, target };
  }
  return codes.length > 0 ? { code: codes[0]!, target: null } : null;
}

function targetOf(repos: Pick<Repositories, 'purchases' | 'pendingPurchases'>, ref: OptInRef, since: number): OptInTarget | null {
  // The code knows the id modulo 2^24: the newest recent record of that remainder is the one.
  let found: OptInTarget | null = null;
  // (Ids start at 1: a remainder of 0 is 2^24 first.)
  for (let id = ref.id === 0 ? OPT_IN_ID_SPACE : ref.id; ; id += OPT_IN_ID_SPACE) {
    if (ref.kind === 'purchase') {
      const purchase = repos.purchases.find(id);
      if (!purchase) break;
      if (purchase.createdAt >= since) found = { kind: 'purchase', purchase };
    } else {
      const pending = repos.pendingPurchases.find(id);
      if (!pending) break;
      if (pending.createdAt < since) continue;
      const purchase = pending.purchaseId === null ? undefined : repos.purchases.find(pending.purchaseId);
      if (pending.claimedAt === null) found = { kind: 'pending', pending };
      else if (purchase) found = { kind: 'purchase', purchase };
    }
  }
  return found;
}
