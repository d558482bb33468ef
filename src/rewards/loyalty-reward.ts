/**
 * Issue 21: `{{ reward.code }}` and `{{ reward.text }}` in a run's templates.
 * The code is taken only when a template reads it (a flow that never names
 * the reward takes none), under the key "run:<run id>": the run is unique per
 * occurrence (`purchase_count:<purchase id>`), so one occurrence gets one
 * code, whichever of its messages names it. It is taken in the transaction
 * that enqueues the message (applyEvent), so a crash loses or doubles none;
 * a code taken for a message that was not sent after all (expired, skipped)
 * is given back in the same transaction. Customers without marketing consent
 * get no reward.
 */
import type { Customer } from '../domain/customer.js';
import type { Effect } from '../flows/engine.js';
import type { Run } from '../flows/run-types.js';
import { translate } from '../i18n/index.js';
import type { RunnerContext } from '../scheduler/runner-context.js';
import type { RewardClaim } from '../storage/repositories/rewards.js';
import { alertOwnerOnce } from './owner-alert.js';
import { rewardCode, rewardWords } from './reward-text.js';

export interface RunReward {
  /** The template context's `reward`: reading it takes the code. */
  view: { readonly code: string; readonly text: string };
  /** After the step: gives back a code taken now for nothing sent, and tells the owner when the codes ran out. */
  settle(effects: readonly Effect[]): void;
}

export function rewardForRun(ctx: RunnerContext, run: Run, customer: Customer): RunReward {
  let claim: RewardClaim | undefined;
  const take = (): RewardClaim => {
    claim ??= customer.consent.marketing === 'granted' && customer.optedOutAt === null
      ? ctx.repos.rewards.claim('loyalty', `run:${run.id}`, customer.id, ctx.clock.now())
      : { outcome: 'none' };
    return claim;
  };
  const view = {
    get code(): string {
      return rewardCode(take());
    },
    get text(): string {
      return rewardWords(ctx.locale, take());
    },
  };
  return {
    view,
    settle: (effects) => {
      if (claim === undefined) return;
      if (claim.outcome === 'code' && claim.fresh && !effects.some((effect) => effect.kind === 'message')) {
        ctx.repos.rewards.release(`run:${run.id}`);
      }
      if (claim.outcome === 'out_of_codes') {
        alertOwnerOnce(ctx, `rewards:empty:loyalty:${claim.listAt}`, translate(ctx.locale, 'rewards.owner.list_empty', { kind: translate(ctx.locale, 'rewards.kind.loyalty') }), null);
      }
    },
  };
}
