/**
 * Issue 21: a referral became a customer (the intake converted it with the
 * friend's purchase, src/intake/record-purchase.ts). Inside that purchase's
 * transaction, the referrer gets a thank-you with the seller's referral reward
 * (a coupon code taken now, or the fixed text) and the owner is told. Each
 * message has a dedupe key of the referral, and the code is taken under the
 * key "referral:<id>": a crash before the commit leaves nothing, after it
 * everything, and nothing is ever given twice. Only a referrer with marketing
 * consent is written to; otherwise only the owner hears of it.
 */
import type { Customer, Purchase } from '../domain/customer.js';
import { nextSendableTime } from '../domain/local-time.js';
import { formatPhoneForPeople } from '../domain/phone.js';
import { translate } from '../i18n/index.js';
import type { RunnerContext } from '../scheduler/runner-context.js';
import { alertOwnerOnce } from './owner-alert.js';
import { rewardWords } from './reward-text.js';

const THANKS_LIFETIME_MS = 7 * 86_400_000;

/** What happened to a converted referral's reward; undefined: the purchase converted no referral. */
export type ReferralRewardOutcome = 'sent' | 'no_consent' | 'referrer_gone';

export function rewardConvertedReferral(ctx: RunnerContext, friend: Customer, purchase: Purchase): ReferralRewardOutcome | undefined {
  const { repos, clock, locale } = ctx;
  const conversion = repos.rewards.conversionOf(purchase.id);
  if (!conversion) return undefined;
  const now = clock.now();
  const referrer = repos.customers.findById(conversion.referrerCustomerId);
  const friendName = conversion.friendName ?? friend.name;
  const friendWords = personOf(friendName, friend.phone);
  if (!referrer || referrer.erasedAt !== null || referrer.phone === null) return 'referrer_gone';
  const referrerWords = personOf(referrer.name, referrer.phone);
  const ownerKey = `referral:${conversion.referralId}:owner`;

  if (referrer.consent.marketing !== 'granted' || referrer.optedOutAt !== null) {
    alertOwnerOnce(ctx, ownerKey, converted(ctx, friendWords, referrerWords, translate(locale, 'rewards.owner.no_consent', { referrer: referrerWords })), referrer.id);
    return 'no_consent';
  }

  const claim = repos.rewards.claim('referral', `referral:${conversion.referralId}`, referrer.id, now);
  const reward = rewardWords(locale, claim);
  const thanks = thanksText(ctx, referrer, friendName, reward);
  repos.outbox.enqueue(
    [
      {
        dedupeKey: `referral:${conversion.referralId}:thanks`,
        runId: null,
        stepId: null,
        customerId: referrer.id,
        purpose: 'customer',
        toPhone: referrer.phone,
        // Checked again when it goes: a referrer who revokes consent meanwhile gets nothing.
        marketing: true,
        content: { kind: 'text', text: thanks },
        waId: ctx.newMessageId(),
        dueAt: now,
        notBefore: nextSendableTime(now, ctx.quietHours, ctx.sendDays, ctx.timezone),
        expiresAt: now + THANKS_LIFETIME_MS,
      },
    ],
    now,
  );

  const given =
    claim.outcome === 'out_of_codes'
      ? translate(locale, 'rewards.owner.out_of_codes', { referrer: referrerWords })
      : reward === ''
        ? translate(locale, 'rewards.owner.given_none')
        : translate(locale, 'rewards.owner.given', { reward });
  alertOwnerOnce(ctx, ownerKey, converted(ctx, friendWords, referrerWords, given), referrer.id);
  if (claim.outcome === 'out_of_codes') {
    alertOwnerOnce(ctx, `rewards:empty:referral:${claim.listAt}`, translate(locale, 'rewards.owner.list_empty', { kind: translate(locale, 'rewards.kind.referral') }), null);
  }
  return 'sent';
}

function thanksText(ctx: RunnerContext, referrer: Customer, friendName: string | null, reward: string): string {
  const { locale } = ctx;
  const first = referrer.name?.split(' ')[0] ?? '';
  const friend = friendName?.split(' ')[0] || translate(locale, 'rewards.referral.friend');
  const params = { name: first, friend, shop: ctx.shopName };
  const thanks = first === '' ? translate(locale, 'rewards.referral.thanks_no_name', params) : translate(locale, 'rewards.referral.thanks', params);
  return reward === '' ? thanks : `${thanks} ${translate(locale, 'rewards.referral.reward', { reward })}`;
}

function converted(ctx: RunnerContext, friend: string, referrer: string, given: string): string {
  return translate(ctx.locale, 'rewards.owner.converted', { friend, referrer, given });
}

function personOf(name: string | null, phone: string | null): string {
  const number = phone === null ? '' : formatPhoneForPeople(phone);
  return name ? (number ? `${name} (${number})` : name) : number;
}
