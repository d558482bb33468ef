/**
 * Issue 21: a reward in words, pure. What a claim gave (a coupon code, the
 * seller's fixed text, nothing left) becomes the words a message carries:
 * "cupom FIEL-7QX2", the fixed text, or that the shop will send it.
 */
import type { Trigger } from '../flows/flow-types.js';
import { translate, type Locale } from '../i18n/index.js';
import type { RewardClaim } from '../storage/repositories/rewards.js';

/** `{{ reward.text }}`: the reward in words; '' when the seller set none. */
export function rewardWords(locale: Locale, claim: RewardClaim): string {
  switch (claim.outcome) {
    case 'code':
      return translate(locale, 'rewards.template.code', { code: claim.code });
    case 'text':
      return claim.text;
    case 'out_of_codes':
      return translate(locale, 'rewards.template.out_of_codes');
    case 'none':
      return '';
  }
}

/** `{{ reward.code }}`: the coupon code, or '' (a fixed text, none set, or none left). */
export function rewardCode(claim: RewardClaim): string {
  return claim.outcome === 'code' ? claim.code : '';
}

/** Whether the customer's purchase number `count` is one a `purchase_count` trigger rewards. */
export function isRewardedCount(trigger: Extract<Trigger, { type: 'purchase_count' }>, count: number): boolean {
  if (count < 1) return false;
  if (trigger.every !== null) return count % trigger.every === 0;
  return count === trigger.nth;
}
