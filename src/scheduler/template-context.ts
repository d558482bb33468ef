import type { Customer, Purchase } from '../domain/customer.js';
import { reviewLinkToken } from '../domain/review-link.js';
import { formatMoney } from '../domain/money.js';
import { waMeLink } from '../domain/phone.js';
import type { TemplateContext } from '../flows/flow-types.js';
import type { RunAnswer } from '../flows/run-types.js';
import { translate, type Locale } from '../i18n/index.js';

/** The shop as templates see it, and the language its lists and money are written in. */
export interface TemplateShop {
  name: string;
  /** SHOP_REVIEW_URL; '' when unset. */
  reviewUrl: string;
  locale: Locale;
}

/**
 * What a flow's templates may say about a run (pure): the shop, the
 * customer, the purchase the run is about (empty fields when none), and the
 * run's last answer. Money is written in the shop's locale; the products as a
 * sentence ("Café, Filtro e Coador"); the purchase time in ISO 8601, for
 * the templates' date filters to format in TIMEZONE.
 */
export function templateContext(
  shop: TemplateShop,
  customer: Customer,
  purchase: Purchase | undefined,
  answer: RunAnswer | null,
  /** Issue 21: the run's loyalty reward (src/rewards/loyalty-reward.ts: reading it takes the code); absent: none. */
  reward?: TemplateContext['reward'],
): TemplateContext {
  const name = customer.name ?? '';
  const items = purchase?.items ?? [];
  return {
    shop: { name: shop.name, review_url: shop.reviewUrl },
    customer: {
      name,
      first_name: name.split(' ')[0] ?? '',
      phone: customer.phone ?? '',
      whatsapp_link: waMeLink(customer.phone),
      email: customer.email ?? '',
      tags: customer.tags,
    },
    purchase: {
      external_id: purchase?.externalId ?? '',
      total: purchase?.totalCents === null || purchase === undefined ? '' : formatMoney(purchase.totalCents, purchase.currency, shop.locale),
      currency: purchase?.currency ?? '',
      items: items.map((item) => ({ sku: item.sku ?? '', name: item.name, quantity: item.quantity })),
      products: listOf(
        items.map((item) => item.name),
        shop.locale,
      ),
      purchased_at: purchase ? new Date(purchase.purchasedAt).toISOString() : '',
    },
    answer: { value: answer?.value ?? '', comment: answer?.comment ?? '' },
    ...(reward ? { reward } : {}),
  };
}

/** Names joined for a sentence in the locale: "A", "A e B", "A, B e C". */
function listOf(names: string[], locale: Locale): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} ${translate(locale, 'flow.list.and')} ${names.at(-1)}`;
}

/**
 * What `{{ shop.review_url }}` is for a run (issue 21): SHOP_REVIEW_URL, or,
 * when opens can be counted (`prefix`: PUBLIC_URL is public), the run's own
 * tracked link to it: one token per run, so per recipient, never shared.
 */
export function reviewUrlForRun(shopReviewUrl: string, prefix: string | undefined, key: () => Buffer, runId: number): string {
  if (shopReviewUrl === '' || !prefix) return shopReviewUrl;
  return `${prefix}${reviewLinkToken(key(), runId)}`;
}
