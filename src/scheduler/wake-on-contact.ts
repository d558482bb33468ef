import { applyEvent } from './advance-runs.js';
import type { RunnerContext } from './runner-context.js';

/**
 * The customer wrote to the shop: their runs whose message step waits for
 * contact (`cold: { wait_for_contact }`) run that step now, for a warm
 * customer; with `purchaseId` (the message named a purchase's click-to-chat
 * code), only the run of that purchase. Their other waiting runs find the
 * customer warm when their wait is due. Joins the caller's transaction (the
 * inbound message's), so the message and what it started are stored together.
 */
export function wakeOnContact(ctx: RunnerContext, customerId: number, purchaseId?: number): number {
  return ctx.repos.transaction(() => {
    let woken = 0;
    for (const run of ctx.repos.runs.openFor(customerId)) {
      if (!run.state.contactWait) continue;
      if (purchaseId !== undefined && run.purchaseId !== purchaseId) continue;
      applyEvent(ctx, run, { kind: 'contact' });
      woken += 1;
    }
    return woken;
  });
}
