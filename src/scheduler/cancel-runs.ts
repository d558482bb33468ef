import type { StopReason } from '../domain/reasons.js';
import { isCampaignFlowId } from '../flows/campaign-flow.js';
import type { Run } from '../flows/run-types.js';
import { applyEvent } from './advance-runs.js';
import type { RunnerContext } from './runner-context.js';

/**
 * Ends a waiting run and skips its customer messages still in the queue,
 * both stored with the same reason (call inside a transaction). An opt-out
 * goes to the engine as one; any other reason is a cancel.
 */
export function stopRun(ctx: RunnerContext, run: Run, reason: StopReason): void {
  applyEvent(ctx, run, reason === 'opted_out' ? { kind: 'opt_out' } : { kind: 'cancel', reason });
  ctx.repos.outbox.skipQueuedOfRun(run.id, reason, ctx.clock.now());
}

/**
 * The seller stops a flow's waiting runs (all of them, or one customer's),
 * and their messages still in the queue; also for a flow whose file was
 * removed, whose runs would otherwise finish on their stored version.
 * Undefined when no such flow was ever loaded.
 */
export function cancelFlowRuns(ctx: RunnerContext, flowId: string, customerId?: number): number | undefined {
  const { repos } = ctx;
  // A campaign's runs are stopped by cancelling the campaign (POST /api/campaigns/:id/cancel), not as a flow's.
  if (isCampaignFlowId(flowId)) return undefined;
  if (!ctx.flows.has(flowId) && !repos.runs.knowsFlow(flowId)) return undefined;
  return repos.transaction(() => {
    const open = customerId === undefined ? repos.runs.openOfFlow(flowId) : repos.runs.openFor(customerId).filter((run) => run.flowId === flowId);
    for (const run of open) stopRun(ctx, run, 'cancelled_by_seller');
    return open.length;
  });
}

/** Stops every open run of a customer (opt-out, erasure, a person taking over for good). */
export function cancelCustomerRuns(ctx: RunnerContext, customerId: number, reason: StopReason): number {
  return ctx.repos.transaction(() => {
    const open = ctx.repos.runs.openFor(customerId);
    for (const run of open) stopRun(ctx, run, reason);
    return open.length;
  });
}

/** Flows no longer loaded (their file removed) that still have runs waiting, with how many; a campaign's flows were never loaded and are not listed. */
export function removedFlowsWithRuns(ctx: RunnerContext): { flowId: string; runs: number }[] {
  return [...ctx.repos.runs.openCountsByFlow()]
    .filter(([flowId]) => !ctx.flows.has(flowId) && !isCampaignFlowId(flowId))
    .map(([flowId, runs]) => ({ flowId, runs }));
}
