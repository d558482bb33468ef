/**
 * Enrolment: a customer starts a run of a flow. A purchase starts its
 * `purchase` flows and its `repurchase` reminders (superseding the reminder
 * of an earlier purchase of the product); a seller starts a `manual` flow by
 * hand; a tag added to a customer starts its `tagged` flows; a person's first
 * message to the shop (as the inbox judged it) starts the `first_message`
 * flows; the daily triggers (daily-triggers.ts) start birthdays and
 * inactivity; a purchase also starts the `purchase_count` (loyalty) flows
 * whose count it reaches, and rewards the referrer of a friend it converted. Each run is unique per (flow, customer, occurrence): enrolling
 * twice starts nothing. A flow turned off (`enabled: false`) starts none.
 */
import type { Customer, Purchase } from '../domain/customer.js';
import type { Filter, Flow } from '../flows/flow-types.js';
import { EMPTY_RUN_STATE } from '../flows/run-types.js';
import { matchesSku } from '../flows/sku-pattern.js';
import { translate } from '../i18n/index.js';
import { rewardConvertedReferral } from '../rewards/referral-reward.js';
import { isRewardedCount } from '../rewards/reward-text.js';
import { isSegmentMember } from '../segments/segments.js';
import { stopRun } from './cancel-runs.js';
import type { RunnerContext, StartedRun } from './runner-context.js';
import { repurchaseWakeAt } from './trigger-times.js';

/**
 * Enrols a customer in the flows a purchase triggers. Called inside the
 * intake's transaction: the purchase and its runs are stored together.
 */
export function enrollForPurchase(ctx: RunnerContext, customer: Customer, purchase: Purchase): StartedRun[] {
  const started: StartedRun[] = [];
  const skus = purchase.items.map((item) => item.sku ?? '');
  // Issue 21: the intake converted a referral with this purchase: thank the referrer, tell the owner.
  rewardConvertedReferral(ctx, customer, purchase);
  /** The customer's purchases, this one included: read only when a loyalty flow asks. */
  let count: number | undefined;
  for (const flow of ctx.flows.values()) {
    if (flow.enabled === false) continue;
    const { trigger } = flow;
    if (trigger.type === 'purchase') {
      if (trigger.products && !skus.some((sku) => matchesSku(trigger.products!, sku))) continue;
      if (!passesFilter(ctx, flow.filter, customer, skus)) continue;
      const run = enrollRun(ctx, flow, customer, `purchase:${purchase.id}`, purchase.id, purchase.purchasedAt);
      if (run) started.push(run);
    } else if (trigger.type === 'repurchase') {
      if (!skus.some((sku) => matchesSku(trigger.products, sku))) continue;
      if (!supersedeEarlierReminders(ctx, flow, customer, purchase)) continue;
      if (!passesFilter(ctx, flow.filter, customer, skus)) continue;
      const run = enrollRun(ctx, flow, customer, `repurchase:${purchase.id}`, purchase.id, repurchaseWakeAt(purchase.purchasedAt, trigger, ctx.timezone));
      if (run) started.push(run);
    } else if (trigger.type === 'purchase_count') {
      // Issue 21, loyalty: the customer's 5th, 10th… (every) or only their Nth purchase; the filter implies marketing consent.
      count ??= ctx.repos.rewards.countPurchases(customer.id);
      if (!isRewardedCount(trigger, count)) continue;
      if (!passesFilter(ctx, flow.filter, customer, skus)) continue;
      const run = enrollRun(ctx, flow, customer, `purchase_count:${purchase.id}`, purchase.id, purchase.purchasedAt);
      if (run) started.push(run);
    }
  }
  return started;
}

/**
 * A new purchase of the product makes the reminder for an earlier one pointless,
 * whether it still waits or already sits in the outbox (held by send days or the cap),
 * and whether or not this purchase starts a new one (the customer may no longer pass
 * the filter). A purchase recorded late, older than one that already has its
 * reminder, supersedes nothing and starts none: false.
 */
function supersedeEarlierReminders(ctx: RunnerContext, flow: Flow, customer: Customer, purchase: Purchase): boolean {
  const { repos, clock } = ctx;
  const others = repos.runs.purchaseRunsOf(customer.id, flow.id).filter((other) => other.purchaseId !== purchase.id);
  if (others.some((other) => other.purchasedAt > purchase.purchasedAt)) return false;
  for (const other of others) {
    // A run already done may still have its reminder in the queue.
    const waiting = other.status === 'waiting' ? repos.runs.find(other.id) : undefined;
    if (waiting) stopRun(ctx, waiting, 'superseded');
    else repos.outbox.skipQueuedOfRun(other.id, 'superseded', clock.now());
  }
  return true;
}

/**
 * Tags were added to a customer (a flow's `tag:` step, the seller on the
 * customer page or PATCH /api/customers/:id): each `tagged` flow whose tag is
 * among `added` (only tags the customer did not have before) starts a run at
 * once, about `purchaseId` when a purchase's run did the tagging. Not while a
 * run of that flow is still under way for them: tagging twice in a row would
 * send the same message twice. Call inside the transaction that stored the tags.
 */
export function enrollForTags(ctx: RunnerContext, customer: Customer, added: readonly string[], purchaseId: number | null = null): StartedRun[] {
  if (added.length === 0) return [];
  const started: StartedRun[] = [];
  let open: { flowId: string }[] | undefined;
  for (const flow of ctx.flows.values()) {
    const { trigger } = flow;
    if (flow.enabled === false || trigger.type !== 'tagged' || !added.includes(trigger.tag)) continue;
    if (!passesFilter(ctx, flow.filter, customer, [])) continue;
    open ??= ctx.repos.runs.openFor(customer.id);
    if (open.some((run) => run.flowId === flow.id)) continue;
    const now = ctx.clock.now();
    const run = enrollRun(ctx, flow, customer, `tagged:${trigger.tag}:${now}`, purchaseId, now);
    if (run) started.push(run);
  }
  return started;
}

/**
 * A person wrote to the shop's number for the first time ever, and the inbox
 * found nothing else to do with it (not a stop request, a complaint, a
 * question, a voice note or an answer: see inbox.ts): each `first_message`
 * flow starts a run at once, once per customer ever. Call inside the
 * transaction that stored the message.
 */
export function enrollForFirstMessage(ctx: RunnerContext, customer: Customer): StartedRun[] {
  const started: StartedRun[] = [];
  for (const flow of ctx.flows.values()) {
    if (flow.enabled === false || flow.trigger.type !== 'first_message') continue;
    if (!passesFilter(ctx, flow.filter, customer, [])) continue;
    const now = ctx.clock.now();
    const run = enrollRun(ctx, flow, customer, 'first_message', null, now);
    if (run) started.push(run);
  }
  return started;
}

/** What a start by hand gives: the run, or why none started. */
export type ManualEnrollment = StartedRun | 'no_flow' | 'not_manual' | 'disabled' | 'opted_out' | 'filtered_out' | 'already';

/** POST /api/flows/:id/runs: a seller starts a flow for a customer by hand. */
export function enrollManually(ctx: RunnerContext, flowId: string, customer: Customer): ManualEnrollment {
  const flow = ctx.flows.get(flowId);
  if (!flow) return 'no_flow';
  if (flow.trigger.type !== 'manual') return 'not_manual';
  if (flow.enabled === false) return 'disabled';
  if (customer.optedOutAt !== null) return 'opted_out';
  if (!passesFilter(ctx, flow.filter, customer, [])) return 'filtered_out';
  // One open run of a manual flow per customer: a second start would send everything twice.
  if (ctx.repos.runs.openFor(customer.id).some((open) => open.flowId === flowId)) return 'already';
  const now = ctx.clock.now();
  return enrollRun(ctx, flow, customer, `manual:${now}`, null, now) ?? 'already';
}

/**
 * Starts a run at the flow's first step, waking at `wakeAt`; nothing for a
 * customer who opted out or was erased, or when this occurrence already has
 * its run.
 */
export function enrollRun(ctx: RunnerContext, flow: Flow, customer: Customer, occurrence: string, purchaseId: number | null, wakeAt: number): StartedRun | undefined {
  const first = flow.steps[0];
  if (!first || customer.optedOutAt !== null || customer.erasedAt !== null) return undefined;
  const run = ctx.repos.runs.create(
    { flowId: flow.id, flowHash: flow.hash, customerId: customer.id, occurrence, purchaseId, stepId: first.id, wakeAt, state: EMPTY_RUN_STATE },
    ctx.clock.now(),
  );
  return run ? { id: run.id, flowId: flow.id, flowVersion: flow.version, occurrence, wakeAt } : undefined;
}

/**
 * Whether a customer passes a flow's filter: marketing consent, warm or cold
 * (whether they ever wrote to the shop), tags, and products ever bought (with
 * `currentSkus`, those of a purchase being stored; the earlier ones are read
 * only when the filter names products).
 */
export function passesFilter(ctx: RunnerContext, filter: Filter, customer: Customer, currentSkus: string[]): boolean {
  if (filter.consent === 'marketing' && customer.consent.marketing !== 'granted') return false;
  if (filter.contact !== undefined && filter.contact !== (customer.warmAt !== null ? 'warm' : 'cold')) return false;
  if (!filter.tagsAll.every((tag) => customer.tags.includes(tag))) return false;
  if (filter.tagsNone.some((tag) => customer.tags.includes(tag))) return false;
  if (filter.products) {
    const patterns = filter.products;
    const bought = [...currentSkus, ...ctx.repos.purchases.listByCustomer(customer.id).flatMap((p) => p.items.map((item) => item.sku ?? ''))];
    if (!bought.some((sku) => matchesSku(patterns, sku))) return false;
  }
  // Last: a built-in segment ranks the customer among every buyer (one aggregate query).
  if (filter.segment !== undefined) {
    const member = isSegmentMember(ctx.repos, filter.segment, customer.id, { now: ctx.clock.now(), timeZone: ctx.timezone });
    if (member === undefined) {
      const flow = [...ctx.flows.values()].find((candidate) => candidate.filter === filter);
      ctx.warn?.(translate(ctx.locale, 'segments.log.unknown', { flow: flow?.id ?? '?', segment: filter.segment }), { flowId: flow?.id, segment: filter.segment, customerId: customer.id });
    }
    if (member !== true) return false;
  }
  return true;
}
