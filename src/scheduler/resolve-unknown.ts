import { newMessageId as defaultMessageId } from '../channels/channel.js';
import { reasonWithDetail } from '../domain/reasons.js';
import type { Repositories } from '../storage/repositories/index.js';
import type { OutboxRow, OutboxStatus } from '../storage/repositories/outbox.js';

/**
 * What the seller decided about a send of unknown outcome (the service cannot
 * tell whether WhatsApp got it: docs/operations.md, "After a crash"):
 * - sent: they saw it in the chat; the row and the message become 'sent';
 * - resend: it goes again through the governor (quiet hours, cap, opt-out),
 *   accepting that the customer may get it twice;
 * - discard: treated as not sent; nothing more goes.
 */
export const UNKNOWN_RESOLUTIONS = ['sent', 'resend', 'discard'] as const;
export type UnknownResolution = (typeof UNKNOWN_RESOLUTIONS)[number];

export type ResolveResult =
  | { ok: true; row: OutboxRow }
  | { ok: false; problem: 'not_found' }
  | { ok: false; problem: 'not_unknown'; status: OutboxStatus };

/** A resent message is not dropped as late for this long: quiet hours, days off and the cap may hold it first. */
export const RESEND_LIFETIME_MS = 7 * 24 * 3600_000;

/** The error a discarded send's message keeps in the customer's record (its outbox row says 'resolved_discarded'). */
export const DISCARDED_MESSAGE_ERROR = 'outcome unknown; discarded by the seller, treated as not sent';

/**
 * Settles one 'unknown' outbox row, with its message in the record, in one
 * transaction. A resend keeps the row (and its dedupe key) and gives it a new
 * WhatsApp id: the old id's message stays in the record as it was, so that a
 * late receipt for the first attempt lands there and changes nothing in the
 * outbox. A poll a run is waiting on is answered by a vote on either send.
 */
export function resolveUnknownSend(
  repos: Repositories,
  id: number,
  as: UnknownResolution,
  options: { now: number; newMessageId?: () => string },
): ResolveResult {
  const { now } = options;
  return repos.transaction((): ResolveResult => {
    const row = repos.outbox.find(id);
    if (!row) return { ok: false, problem: 'not_found' };
    if (row.status !== 'unknown') return { ok: false, problem: 'not_unknown', status: row.status };
    switch (as) {
      case 'sent':
        repos.outbox.resolveUnknownAsSent(id, 'resolved_sent');
        repos.messages.changeStatus(row.waId, { status: 'sent', at: row.finishedAt ?? now, error: null });
        break;
      case 'discard':
        repos.outbox.resolveUnknownAsDiscarded(id, now, 'resolved_discarded');
        repos.messages.changeStatus(row.waId, { status: 'failed', at: now, error: DISCARDED_MESSAGE_ERROR });
        break;
      case 'resend': {
        const waId = (options.newMessageId ?? defaultMessageId)();
        const expiresAt = Math.max(row.expiresAt, now + RESEND_LIFETIME_MS);
        repos.outbox.requeueUnknown(id, { waId, now, expiresAt, note: reasonWithDetail('resent', row.waId) });
        const run = row.runId === null || row.content.kind !== 'poll' ? undefined : repos.runs.find(row.runId);
        const ask = run?.state.ask;
        if (run && run.status === 'waiting' && ask && ask.messageId === row.waId) {
          repos.runs.save({
            ...run,
            state: { ...run.state, ask: { ...ask, messageId: waId, earlierMessageIds: [...(ask.earlierMessageIds ?? []), row.waId] } },
            updatedAt: now,
          });
        }
        break;
      }
    }
    return { ok: true, row: repos.outbox.find(id)! };
  });
}
