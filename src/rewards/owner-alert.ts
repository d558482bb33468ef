import type { RunnerContext } from '../scheduler/runner-context.js';

const ALERT_LIFETIME_MS = 7 * 86_400_000;

/**
 * Issue 21: tells every OWNER_PHONE, once per `dedupeKey` (the outbox's unique
 * key, so a repeated call or a replay after a crash adds nothing). Joins the
 * caller's transaction; without OWNER_PHONE the log says what was not sent.
 */
export function alertOwnerOnce(ctx: RunnerContext, dedupeKey: string, text: string, customerId: number | null): void {
  const now = ctx.clock.now();
  if (ctx.ownerPhones.length === 0) {
    ctx.warn?.('an alert for the owner was not sent: OWNER_PHONE is not set', { dedupeKey });
    return;
  }
  ctx.repos.outbox.enqueue(
    ctx.ownerPhones.map((owner) => ({
      dedupeKey: `${dedupeKey}:${owner}`,
      runId: null,
      stepId: null,
      customerId,
      purpose: 'owner' as const,
      toPhone: owner,
      marketing: false,
      content: { kind: 'text' as const, text },
      waId: ctx.newMessageId(),
      dueAt: now,
      notBefore: now,
      expiresAt: now + ALERT_LIFETIME_MS,
    })),
    now,
  );
}
