import type { Customer } from '../domain/customer.js';
import { messageOf } from '../domain/errors.js';
import { advance, type EngineEvent } from '../flows/engine.js';
import type { Flow } from '../flows/flow-types.js';
import type { Run } from '../flows/run-types.js';
import { translate } from '../i18n/index.js';
import { rewardForRun } from '../rewards/loyalty-reward.js';
import { storeEffects } from './effects-to-outbox.js';
import type { RunnerContext } from './runner-context.js';
import { reviewUrlForRun, templateContext } from './template-context.js';

/**
 * Applies an event to a run through the pure engine and stores the result
 * with its effects (call inside a transaction). A run whose flow version or
 * customer is gone ends instead. `known`, a customer the caller just read,
 * saves reading it again.
 */
export function applyEvent(ctx: RunnerContext, run: Run, event: EngineEvent, known?: Customer): Run {
  const { repos, clock } = ctx;
  const flow = versionOf(ctx, run);
  const customer = known?.id === run.customerId ? known : repos.customers.findById(run.customerId);
  if (!flow || !customer || customer.erasedAt !== null) {
    const now = clock.now();
    const ended: Run = { ...run, status: 'cancelled', endReason: flow ? 'customer_gone' : 'flow_version_missing', stepId: null, wakeAt: null, updatedAt: now, endedAt: now };
    repos.runs.save(ended);
    return ended;
  }
  const purchase = run.purchaseId === null ? undefined : repos.purchases.find(run.purchaseId);
  // Issue 21: `{{ reward.* }}` takes the run's coupon code, in this transaction, only if a template reads it.
  const reward = rewardForRun(ctx, run, customer);
  const result = advance(run, event, {
    flow,
    now: clock.now(),
    timezone: ctx.timezone,
    template: templateContext(
      { name: ctx.shopName, reviewUrl: reviewUrlForRun(ctx.shopReviewUrl ?? '', ctx.reviewLinkPrefix, () => repos.reviewLinks.key(), run.id), locale: ctx.locale },
      customer,
      purchase,
      run.state.answer,
      reward.view,
    ),
    render: ctx.render,
    newMessageId: ctx.newMessageId,
    yesNoLabels: { yes: translate(ctx.locale, 'flow.poll.yes'), no: translate(ctx.locale, 'flow.poll.no') },
    // The customer writing is what makes them warm; the event says so even before the record does.
    contact: event.kind === 'contact' || customer.warmAt !== null ? 'warm' : 'cold',
  });
  repos.runs.save(result.run);
  storeEffects(ctx, result.run, customer, result.effects);
  reward.settle(result.effects);
  return result.run;
}

/** The flow version a run follows (the one it started with, even after the file changed). */
export function versionOf(ctx: RunnerContext, run: Run): Flow | undefined {
  return ctx.repos.runs.version(run.flowId, run.flowHash);
}

/**
 * Moves due runs forward, at most `limit` of them, the longest-due first; each
 * in its own transaction. Returns how many were due.
 */
export function advanceDue(ctx: RunnerContext, limit: number): number {
  const { repos, clock } = ctx;
  const due = repos.runs.due(clock.now(), limit);
  for (const run of due) {
    try {
      repos.transaction(() => {
        // Read again inside the transaction: another path (an answer) may have moved it.
        const current = repos.runs.find(run.id);
        if (current && current.status === 'waiting' && current.wakeAt !== null && current.wakeAt <= clock.now()) {
          const ask = current.state.ask;
          applyEvent(ctx, current, ask && ask.timeoutAt <= clock.now() ? { kind: 'timeout', stepId: ask.stepId } : { kind: 'due' });
        }
      });
    } catch (error) {
      // The database itself failing (busy, full, I/O) is not this run's fault: it
      // stays as it was, and the tick fails and is tried again at the next one.
      if (isDatabaseError(error)) throw error;
      // Its transaction rolled back. Left waiting, it would stay the longest-due
      // run and fail every tick first, so nobody else would ever be served.
      endFailed(ctx, run, error);
    }
  }
  return due.length;
}

/** Ends a run whose step threw (a template that fails at send time, a bad stored value). */
function endFailed(ctx: RunnerContext, run: Run, error: unknown): void {
  const { repos, clock } = ctx;
  const reason = messageOf(error);
  try {
    repos.transaction(() => {
      const current = repos.runs.find(run.id);
      if (!current || current.status !== 'waiting') return;
      const now = clock.now();
      repos.runs.save({ ...current, status: 'cancelled', endReason: 'step_failed', stepId: null, wakeAt: null, updatedAt: now, endedAt: now });
    });
    ctx.warn?.('a flow step failed; the run was stopped so the others go on', { runId: run.id, flowId: run.flowId, stepId: run.stepId, error: reason });
  } catch (again) {
    ctx.warn?.('a flow step failed and the run could not be stopped', { runId: run.id, error: reason, stopError: messageOf(again) });
  }
}

/** An error of SQLite itself (better-sqlite3 gives them a code SQLITE_…), as opposed to one of the flow's step. */
function isDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}
