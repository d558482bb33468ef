import type { Customer } from '../domain/customer.js';
import { nextSendableTime } from '../domain/local-time.js';
import type { Effect } from '../flows/engine.js';
import type { Run } from '../flows/run-types.js';
import type { NewOutboxRow } from '../storage/repositories/outbox.js';
import { translate } from '../i18n/index.js';
import { enrollForTags } from './enroll.js';
import type { RunnerContext } from './runner-context.js';

/** The runners that already warned about a message skipped for want of SHOP_REVIEW_URL. */
const warnedNoReviewUrl = new WeakSet<RunnerContext>();

/**
 * Stores what one step of a run produced (inside the caller's transaction):
 * messages become outbox rows, one per recipient (the customer, or each
 * OWNER_PHONE for an alert), all enqueued at once; an expired step becomes a
 * row recorded as expired and never sent, a message skipped for a cold
 * customer one recorded as skipped; tags change on the customer at once.
 */
export function storeEffects(ctx: RunnerContext, run: Run, customer: Customer, effects: Effect[]): void {
  const { repos, clock } = ctx;
  const rows: NewOutboxRow[] = [];
  for (const effect of effects) {
    switch (effect.kind) {
      case 'message':
      case 'expired':
      case 'skipped':
        rows.push(...outboxRowsOf(ctx, run, customer, effect));
        break;
      case 'tag':
      case 'untag': {
        const tags = effect.kind === 'tag' ? [...new Set([...customer.tags, ...effect.tags])] : customer.tags.filter((tag) => !effect.tags.includes(tag));
        const added = tags.filter((tag) => !customer.tags.includes(tag));
        repos.customers.setTags(customer.id, tags, clock.now());
        customer = { ...customer, tags };
        // A tag the customer did not have starts its `tagged` flows (a promoter's review request), about this run's purchase.
        enrollForTags(ctx, customer, added, run.purchaseId);
        break;
      }
    }
  }
  if (rows.length > 0) repos.outbox.enqueue(rows, clock.now());
}

/**
 * The rows of one message (or expired or skipped step), with the time each may go: a customer's waits for the hours and days allowed.
 * Expired and skipped ones are recorded finished, at their due time, and never sent.
 */
function outboxRowsOf(ctx: RunnerContext, run: Run, customer: Customer, effect: Extract<Effect, { kind: 'message' | 'expired' | 'skipped' }>): NewOutboxRow[] {
  const { clock } = ctx;
  const recipients = effect.to === 'customer' ? (customer.phone ? [customer.phone] : []) : ctx.ownerPhones;
  if (effect.to === 'owner' && recipients.length === 0) {
    ctx.warn?.('alert_owner step with no OWNER_PHONE configured: the alert was not sent', { runId: run.id, stepId: effect.stepId });
  }
  if (effect.kind === 'expired') {
    ctx.warn?.('a flow step was due too long ago: recorded as expired, not sent', { runId: run.id, stepId: effect.stepId, dueAt: new Date(effect.dueAt).toISOString() });
  }
  if (effect.kind === 'skipped' && effect.reason === 'no_review_url' && !warnedNoReviewUrl.has(ctx)) {
    // Once per running service: every review request would say the same.
    warnedNoReviewUrl.add(ctx);
    ctx.warn?.(translate(ctx.locale, 'log.no_review_url'), { runId: run.id, flowId: run.flowId, stepId: effect.stepId });
  }
  /** Expired or skipped: recorded, never sent. */
  const recordOnly = effect.kind !== 'message';
  return recipients.map((toPhone, index) => ({
    ...(effect.kind === 'message' ? {} : { status: effect.kind }),
    ...(effect.kind === 'skipped' && effect.reason ? { skipReason: effect.reason } : {}),
    dedupeKey: effect.to === 'owner' ? `${effect.dedupeKey}:${toPhone}` : effect.dedupeKey,
    runId: run.id,
    stepId: effect.stepId,
    customerId: customer.id,
    purpose: effect.to,
    toPhone,
    marketing: recordOnly ? false : effect.marketing,
    content: effect.content,
    // Each recipient needs its own WhatsApp id.
    waId: index === 0 ? effect.messageId : ctx.newMessageId(),
    dueAt: effect.dueAt,
    notBefore:
      effect.to === 'owner' || recordOnly
        ? Math.max(effect.dueAt, clock.now())
        : nextSendableTime(Math.max(effect.dueAt, clock.now()), ctx.quietHours, ctx.sendDays, ctx.timezone),
    expiresAt: recordOnly ? effect.dueAt : effect.expiresAt,
  }));
}
