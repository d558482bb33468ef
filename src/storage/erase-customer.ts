import type { ErasedStats } from '../domain/customer.js';
import { phoneWithoutNinthDigit } from '../domain/phone.js';
import type { Database } from './db.js';
import { eraseMentions } from './erase-mentions.js';
import { findNeedles, type Person } from './find-needles.js';

/**
 * Erases a person (LGPD art. 18, VI), all of it, in one transaction:
 * - their own rows: messages, answers, runs, queued and sent messages,
 *   referrals they gave and were given, consent history, what the WhatsApp
 *   adapter kept of their number (the LID table, Baileys' own lid-mapping,
 *   signal sessions, device lists and trust tokens, sent messages);
 * - every mention of them in rows that are someone else's (a friend's
 *   contact card, a referral answer, a run's state, an owner alert, a weekly
 *   summary): their number in any written form, their name and their own
 *   words become "[apagado]", so that the other records stay readable;
 * - the customer row becomes an anonymous tombstone with counts.
 * How the person is written is read from their own rows before those go
 * (find-needles.ts); the scan of the mentions (erase-mentions.ts) covers every
 * text column of every table, so that a column added later is covered without
 * anyone remembering it there. With secure_delete on (see openDatabase) freed
 * pages are zeroed, and the WAL is checkpointed here.
 * `remember` is told the number first when the person had opted out, so that
 * their objection outlives their data (the suppression list).
 */
export function eraseCustomer(db: Database, id: number, now: number, remember?: (phone: string, at: number) => void): ErasedStats {
  const stats = db.transaction(() => {
    const person = db.sqlite
      .prepare<[number], Person & { optedOutAt: number | null }>('SELECT phone, name, email, opted_out_at AS optedOutAt FROM customers WHERE id = ?')
      .get(id);
    if (person?.phone && person.optedOutAt !== null) remember?.(person.phone, now);
    const needles = findNeedles(db, id, person);
    const erased = eraseCustomerRows(db, id, person?.phone ?? null, now);
    eraseMentions(db, needles);
    return erased;
  });
  // Nothing of the person may stay in the -wal file: copy what was committed into the database
  // (whose freed pages secure_delete zeroes) and empty the WAL. Inside a caller's transaction
  // the caller's commit comes first; it checkpoints when it is done.
  if (!db.sqlite.inTransaction && db.file !== ':memory:') db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return stats;
}

/** The person's own rows, table by table, and their customer row made a tombstone with counts. */
function eraseCustomerRows(db: Database, id: number, phone: string | null, now: number): ErasedStats {
  const { sqlite } = db;
  const counts = sqlite
    .prepare<[number], { messagesIn: number; messagesOut: number }>(
      "SELECT coalesce(sum(direction = 'in'), 0) AS messagesIn, coalesce(sum(direction = 'out'), 0) AS messagesOut FROM messages WHERE customer_id = ?",
    )
    .get(id);
  const stats: ErasedStats = {
    messagesIn: counts?.messagesIn ?? 0,
    messagesOut: counts?.messagesOut ?? 0,
    consentEvents: sqlite.prepare<[number], number>('SELECT count(*) FROM consent_events WHERE customer_id = ?').pluck().get(id) ?? 0,
  };

  sqlite.prepare('DELETE FROM whatsapp_sent WHERE wa_id IN (SELECT wa_id FROM messages WHERE customer_id = ?)').run(id);
  sqlite.prepare('DELETE FROM outbox WHERE customer_id = ?').run(id);
  sqlite.prepare('DELETE FROM referrals WHERE referrer_customer_id = ?').run(id);
  sqlite.prepare('DELETE FROM answers WHERE customer_id = ?').run(id);
  sqlite.prepare('DELETE FROM flow_runs WHERE customer_id = ?').run(id);
  sqlite.prepare('DELETE FROM messages WHERE customer_id = ?').run(id);
  sqlite.prepare('DELETE FROM consent_events WHERE customer_id = ?').run(id);
  // A store's webhook of their order holds their address and e-mail as well: it goes whole (issue 19).
  sqlite.prepare('DELETE FROM webhook_events WHERE purchase_id IN (SELECT id FROM purchases WHERE customer_id = ?)').run(id);
  if (phone) {
    sqlite.prepare('DELETE FROM whatsapp_lids WHERE phone = ?').run(phone);
    const old = phoneWithoutNinthDigit(phone);
    if (old) sqlite.prepare('DELETE FROM whatsapp_lids WHERE phone = ?').run(old);
    sqlite.prepare('DELETE FROM referrals WHERE phone = ?').run(phone);
  }
  sqlite
    .prepare(
      `UPDATE customers SET phone = NULL, name = NULL, birthday = NULL, email = NULL, tags = '[]', consent_marketing = 'unknown',
         consent_at = NULL, consent_source = NULL, consent_text = NULL, opted_out_at = NULL, whatsapp_jid = NULL,
         handoff_until = NULL, automation_paused_at = NULL, stop_review_at = NULL, stop_review_text = NULL,
         warm_at = NULL, cold_refused_at = NULL,
         updated_at = ?, erased_at = ?, erased_stats = ? WHERE id = ?`,
    )
    .run(now, now, JSON.stringify(stats), id);
  return stats;
}
