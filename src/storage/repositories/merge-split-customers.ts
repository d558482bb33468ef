import { canonicalPhone } from '../../domain/phone.js';
import type { Database } from '../db.js';

/** Why a duplicate's run and its queued messages ended (outbox last_error, run end_reason). */
export const MERGED = 'merged';

/** What the one-time merge did: each pair as (the number it was stored under, the canonical number). */
export interface MergeReport {
  /** Duplicates folded into an existing customer. */
  merged: { from: string; into: string; keptId: number; droppedId: number }[];
  /** Customers known only under the 12-digit form: the row now carries the canonical number. */
  renamed: { from: string; into: string; id: number }[];
  /** LID mappings rewritten to the canonical number. */
  lids: number;
}

export interface MergeOptions {
  /**
   * Called, inside the merge's transaction, for a customer the merge opted out
   * (the 12-digit twin had said SAIR): the flow runner ends their runs.
   */
  onOptedOut?: (customerId: number) => void;
}

interface CustomerRow {
  id: number;
  phone: string;
  name: string | null;
  birthday: string | null;
  email: string | null;
  tags: string;
  consentMarketing: 'granted' | 'revoked' | 'unknown';
  consentAt: number | null;
  consentSource: string | null;
  consentText: string | null;
  optedOutAt: number | null;
  whatsappJid: string | null;
  handoffUntil: number | null;
  automationPausedAt: number | null;
  lastPurchaseAt: number | null;
  stopReviewAt: number | null;
  stopReviewText: string | null;
  warmAt: number | null;
  coldRefusedAt: number | null;
  createdAt: number;
}

const COLUMNS = `id, phone, name, birthday, email, tags, consent_marketing AS consentMarketing, consent_at AS consentAt,
  consent_source AS consentSource, consent_text AS consentText, opted_out_at AS optedOutAt, whatsapp_jid AS whatsappJid,
  handoff_until AS handoffUntil, automation_paused_at AS automationPausedAt, last_purchase_at AS lastPurchaseAt,
  stop_review_at AS stopReviewAt, stop_review_text AS stopReviewText, warm_at AS warmAt, cold_refused_at AS coldRefusedAt, created_at AS createdAt`;

/**
 * Before every phone was made canonical (domain/phone.ts, canonicalPhone), a
 * Brazilian mobile that WhatsApp addresses without its ninth digit got a
 * second customer under the 12-digit number: its replies, its SAIR and the
 * owner's pauses landed there. This folds each such duplicate into the
 * customer of the canonical number, in one transaction:
 * - messages, answers, runs, purchases, referrals, consent history and queued
 *   messages move to the canonical customer;
 * - the most protective state wins: an opt-out, a revoked consent, a seller's
 *   pause or a handoff on either side holds on the merged customer;
 * - details the canonical customer lacks (name, birthday, e-mail, JID) are
 *   taken from the duplicate; tags are joined.
 * A 12-digit customer with no canonical twin just takes the canonical number.
 * Nothing is left to do the second time: running it again changes nothing.
 */
export function mergeSplitCustomers(db: Database, now: number, options: MergeOptions = {}): MergeReport {
  const { sqlite } = db;
  const report: MergeReport = { merged: [], renamed: [], lids: 0 };
  db.transaction(() => {
    // "+55" and ten digits, the third one (after the area code) 6-9: the only shape canonicalPhone rewrites.
    const candidates = sqlite
      .prepare<[], CustomerRow>(`SELECT ${COLUMNS} FROM customers WHERE phone GLOB '+55[1-9][1-9][6-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' ORDER BY id`)
      .all();
    const byPhone = sqlite.prepare<[string], CustomerRow>(`SELECT ${COLUMNS} FROM customers WHERE phone = ?`);
    for (const duplicate of candidates) {
      const canonical = canonicalPhone(duplicate.phone);
      if (canonical === duplicate.phone) continue;
      const kept = byPhone.get(canonical);
      if (kept) {
        // The opt-out now covers the runs the canonical customer had going: they end as any opt-out ends them.
        if (fold(db, duplicate, kept, now)) options.onOptedOut?.(kept.id);
        report.merged.push({ from: duplicate.phone, into: canonical, keptId: kept.id, droppedId: duplicate.id });
      } else {
        sqlite.prepare('UPDATE customers SET phone = ?, updated_at = ? WHERE id = ?').run(canonical, now, duplicate.id);
        report.renamed.push({ from: duplicate.phone, into: canonical, id: duplicate.id });
      }
    }
    // The adapter's own LID table: mappings learned under the 12-digit form.
    const lids = sqlite
      .prepare<[], { lid: string; phone: string }>(`SELECT lid, phone FROM whatsapp_lids WHERE phone GLOB '+55[1-9][1-9][6-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'`)
      .all();
    const setLid = sqlite.prepare('UPDATE whatsapp_lids SET phone = ? WHERE lid = ?');
    for (const { lid, phone } of lids) {
      const canonical = canonicalPhone(phone);
      if (canonical !== phone) report.lids += setLid.run(canonical, lid).changes;
    }
  });
  return report;
}

/**
 * Moves everything of `duplicate` to `kept` and deletes the duplicate's row.
 * True when the merge opted the kept customer out (the duplicate had said SAIR).
 */
function fold(db: Database, duplicate: CustomerRow, kept: CustomerRow, now: number): boolean {
  const { sqlite } = db;
  const from = duplicate.id;
  const into = kept.id;
  const move = (table: string, column = 'customer_id') =>
    sqlite.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${column} = ?`).run(into, from);

  move('messages');
  move('answers');
  move('purchases');
  move('consent_events');
  move('outbox');
  // A friend both records named is one referral: the canonical customer's row stays.
  sqlite
    .prepare('DELETE FROM referrals WHERE referrer_customer_id = ? AND phone IN (SELECT phone FROM referrals WHERE referrer_customer_id = ?)')
    .run(from, into);
  move('referrals', 'referrer_customer_id');
  // Runs: one per (customer, flow, occurrence). Where both records hold the same enrolment, the
  // canonical customer's run goes on; the duplicate's is ended and kept, renamed, for the record.
  const clashing = sqlite
    .prepare<[number, number], { id: number; occurrence: string; status: string }>(
      `SELECT d.id, d.occurrence, d.status FROM flow_runs d JOIN flow_runs k
         ON k.customer_id = ? AND k.flow_id = d.flow_id AND k.occurrence = d.occurrence
       WHERE d.customer_id = ?`,
    )
    .all(into, from);
  for (const run of clashing) {
    sqlite
      .prepare(
        `UPDATE flow_runs SET occurrence = ?, status = CASE WHEN status = 'waiting' THEN 'cancelled' ELSE status END,
           end_reason = CASE WHEN status = 'waiting' THEN ? ELSE end_reason END,
           ended_at = CASE WHEN status = 'waiting' THEN ? ELSE ended_at END, wake_at = NULL, updated_at = ?
         WHERE id = ?`,
      )
      .run(`${run.occurrence}:merged-${from}`, MERGED, now, now, run.id);
    sqlite.prepare(`UPDATE outbox SET status = 'skipped', last_error = ?, finished_at = ? WHERE run_id = ? AND status = 'queued'`).run(MERGED, now, run.id);
  }
  move('flow_runs');

  const earliest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
  const latest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  const tags = [...new Set([...parseTags(kept.tags), ...parseTags(duplicate.tags)])];
  // Revoked beats granted beats unknown: a "no" given under either number holds.
  const consentRank = { revoked: 2, granted: 1, unknown: 0 } as const;
  const consent = consentRank[duplicate.consentMarketing] > consentRank[kept.consentMarketing] ? duplicate : kept;
  // A stop request waiting for the owner's word on either record still waits (the newer one).
  const review = (duplicate.stopReviewAt ?? -1) > (kept.stopReviewAt ?? -1) ? duplicate : kept;
  // Warm since the first time they wrote under either number; a 463 refusal stands only while both are cold.
  const warmAt = earliest(kept.warmAt, duplicate.warmAt);
  const coldRefusedAt = warmAt === null ? latest(kept.coldRefusedAt, duplicate.coldRefusedAt) : null;
  sqlite.prepare('DELETE FROM customers WHERE id = ?').run(from);
  sqlite
    .prepare(
      `UPDATE customers SET name = ?, birthday = ?, email = ?, tags = ?, consent_marketing = ?, consent_at = ?,
         consent_source = ?, consent_text = ?, opted_out_at = ?, whatsapp_jid = ?, handoff_until = ?,
         automation_paused_at = ?, last_purchase_at = ?, stop_review_at = ?, stop_review_text = ?, warm_at = ?, cold_refused_at = ?,
         created_at = ?, updated_at = ?
       WHERE id = ?`,
    )
    .run(
      kept.name ?? duplicate.name,
      kept.birthday ?? duplicate.birthday,
      kept.email ?? duplicate.email,
      JSON.stringify(tags),
      consent.consentMarketing,
      consent.consentAt,
      consent.consentSource,
      consent.consentText,
      earliest(kept.optedOutAt, duplicate.optedOutAt),
      kept.whatsappJid ?? duplicate.whatsappJid,
      latest(kept.handoffUntil, duplicate.handoffUntil),
      earliest(kept.automationPausedAt, duplicate.automationPausedAt),
      latest(kept.lastPurchaseAt, duplicate.lastPurchaseAt),
      review.stopReviewAt,
      review.stopReviewText,
      warmAt,
      coldRefusedAt,
      Math.min(kept.createdAt, duplicate.createdAt),
      now,
      into,
    );
  return duplicate.optedOutAt !== null && kept.optedOutAt === null;
}

function parseTags(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((tag): tag is string => typeof tag === 'string') : [];
  } catch {
    return [];
  }
}
