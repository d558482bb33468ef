/**
 * Who of a segment a campaign may reach (issue 21): only customers with
 * marketing consent who have not opted out, are not erased, not paused by the
 * seller, not refused by WhatsApp as cold, and under the per-customer contact
 * budget. The others are counted with the reason code the outbox would have
 * given them (src/domain/reasons.ts). The send governor checks consent and
 * opt-out again before each send. Pure.
 */
import type { Reason } from '../domain/reasons.js';
import type { AudienceMember } from '../storage/repositories/campaigns.js';

export type ExclusionReason = Extract<Reason, 'erased' | 'opted_out' | 'no_marketing_consent' | 'seller_pause' | 'cold_skipped' | 'contact_cap'>;

/**
 * Why a member is left out, or null. `contacts`: automated messages (not
 * replies) that reached them in the contact window; `cap`: CONTACT_CAP_PER_WEEK.
 */
export function exclusionOf(member: AudienceMember, contacts: number, cap: number): ExclusionReason | null {
  if (member.erasedAt !== null || member.phone === null) return 'erased';
  // On the suppression list (an opted-out person who came back by import or sale): opted out until VOLTAR.
  if (member.optedOutAt !== null || member.suppressedAt !== null) return 'opted_out';
  if (member.consentMarketing !== 'granted') return 'no_marketing_consent';
  // Also a possible stop request waiting for the owner's word (it pauses automation).
  if (member.automationPausedAt !== null) return 'seller_pause';
  // WhatsApp refused a new chat with them: only their own message opens it again.
  if (member.coldRefusedAt !== null && member.warmAt === null) return 'cold_skipped';
  if (contacts >= cap) return 'contact_cap';
  return null;
}

export interface Audience {
  /** Who gets the campaign, ids ascending, with whether they ever wrote to the shop. */
  eligible: { id: number; warm: boolean }[];
  excluded: { id: number; reason: ExclusionReason }[];
}

export function classifyAudience(members: readonly AudienceMember[], contacts: ReadonlyMap<number, number>, cap: number): Audience {
  const audience: Audience = { eligible: [], excluded: [] };
  for (const member of members) {
    const reason = exclusionOf(member, contacts.get(member.id) ?? 0, cap);
    if (reason === null) audience.eligible.push({ id: member.id, warm: member.warmAt !== null });
    else audience.excluded.push({ id: member.id, reason });
  }
  return audience;
}

/** Left out, by reason: { "opted_out": 2, … }. */
export function countByReason(excluded: readonly { reason: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { reason } of excluded) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}
