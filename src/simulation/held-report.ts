import type { OutboxRow } from '../storage/repositories/outbox.js';

/**
 * Why a message already due is still in the queue after the clock moved: the
 * pause between two sends (SEND_GAP_SECONDS), quiet hours or a day without
 * sends, the daily cap, WhatsApp's quota for new chats (or its time lock), the
 * weekly cap per customer, a pause for that customer (the owner talking, or the
 * seller's), or anything else (the connection down).
 */
export const HELD_WHY = ['gap', 'quiet_hours', 'daily_cap', 'cold_budget', 'contact_cap', 'paused', 'queued'] as const;
export type HeldWhy = (typeof HELD_WHY)[number];

export interface HeldGroup {
  why: HeldWhy;
  count: number;
  /** The earliest of them may go then (epoch ms); null when not known. */
  nextAt: number | null;
}

/** The outbox's reason codes (src/domain/reasons.ts) for a message held past its due time. */
const BY_REASON: Record<string, HeldWhy> = {
  daily_cap: 'daily_cap',
  cold_budget: 'cold_budget',
  reachout_lock: 'cold_budget',
  contact_cap: 'contact_cap',
  handoff: 'paused',
  seller_pause: 'paused',
};

/**
 * The queued messages due by `now` that did not go, grouped by why, in a fixed
 * order (what goes first first). `sendAt` is when the queue may send next (the
 * scheduler's tick says it): after `now`, the messages not held by anything
 * else wait for the pause between sends. A message deferred without a reason
 * waits for the hours allowed (the governor defers quiet hours and days off so).
 */
export function groupHeld(queued: readonly Pick<OutboxRow, 'status' | 'dueAt' | 'notBefore' | 'lastError'>[], now: number, sendAt: number | null): HeldGroup[] {
  const groups = new Map<HeldWhy, HeldGroup>();
  for (const row of queued) {
    if (row.status !== 'queued' || row.dueAt > now) continue;
    let why: HeldWhy;
    let at: number | null;
    if (row.notBefore <= now) {
      const gap = sendAt !== null && sendAt > now;
      why = gap ? 'gap' : 'queued';
      at = gap ? sendAt : null;
    } else {
      const code = row.lastError?.split(':')[0] ?? null;
      why = code === null ? 'quiet_hours' : (BY_REASON[code] ?? 'queued');
      at = row.notBefore;
    }
    const group = groups.get(why) ?? { why, count: 0, nextAt: null };
    group.count += 1;
    if (at !== null) group.nextAt = group.nextAt === null ? at : Math.min(group.nextAt, at);
    groups.set(why, group);
  }
  return HELD_WHY.flatMap((why) => groups.get(why) ?? []);
}
