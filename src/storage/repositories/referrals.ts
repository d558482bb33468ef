import type { Database } from '../db.js';

/**
 * Someone a customer recommended in a referral answer. They did not opt in:
 * a referral is never messaged and never becomes a customer by itself.
 */
export interface Referral {
  id: number;
  referrerCustomerId: number;
  name: string | null;
  /** E.164. */
  phone: string;
  /** The answer that first gave it; null once that answer is gone. */
  answerId: number | null;
  createdAt: number;
}

/** A referral as parseAnswer('referral', …) gives it: `parsed.referrals`. */
export interface NewReferral {
  name: string | null;
  /** E.164. */
  phone: string;
}

export interface ReferralRepository {
  /**
   * Stores the people a customer recommended; returns how many were new.
   * A phone this referrer already gave is not stored again, but a name given
   * now fills one that was missing. Joins the caller's transaction.
   */
  record(referrerId: number, referrals: readonly NewReferral[], answerId: number | null, now: number): number;
  /** The referrer's referrals, oldest first. */
  listFor(referrerId: number): Referral[];
}

const COLUMNS = 'id, referrer_customer_id AS referrerCustomerId, name, phone, answer_id AS answerId, created_at AS createdAt';

export function createReferralRepository(db: Database): ReferralRepository {
  const { sqlite } = db;
  const insert = sqlite.prepare<[number, string | null, string, number | null, number]>(
    `INSERT INTO referrals (referrer_customer_id, name, phone, answer_id, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (referrer_customer_id, phone) DO NOTHING`,
  );
  const fillName = sqlite.prepare<[string, number, string]>(
    'UPDATE referrals SET name = ? WHERE referrer_customer_id = ? AND phone = ? AND name IS NULL',
  );
  const byReferrer = sqlite.prepare<[number], Referral>(`SELECT ${COLUMNS} FROM referrals WHERE referrer_customer_id = ? ORDER BY created_at, id`);
  return {
    record: (referrerId, referrals, answerId, now) => {
      if (referrals.length === 0) return 0;
      return db.transaction(() => {
        let inserted = 0;
        for (const referral of referrals) {
          const name = referral.name?.trim() || null;
          if (insert.run(referrerId, name, referral.phone, answerId, now).changes > 0) inserted += 1;
          else if (name !== null) fillName.run(name, referrerId, referral.phone);
        }
        return inserted;
      });
    },
    listFor: (referrerId) => byReferrer.all(referrerId),
  };
}
