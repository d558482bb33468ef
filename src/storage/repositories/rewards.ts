import { canonicalPhone, phoneWithoutNinthDigit } from '../../domain/phone.js';
import type { Database } from '../db.js';

/** Issue 21: what a reward is for: a referral that became a customer, or a loyalty flow (`purchase_count`). */
export type RewardKind = 'referral' | 'loyalty';
export const REWARD_KINDS: readonly RewardKind[] = ['referral', 'loyalty'];

/** What the seller set: coupon codes to hand out one by one, a fixed text, or nothing yet. */
export interface RewardSetting {
  kind: RewardKind;
  mode: 'codes' | 'text' | 'none';
  /** The fixed text (mode text); null otherwise. */
  text: string | null;
  /** The codes not given yet, in the order they will be given. */
  codesLeft: string[];
  /** How many codes were already given (each to one occurrence, never again). */
  codesGiven: number;
  /** When the seller last set it; null: never. */
  updatedAt: number | null;
}

/** What the seller sends: a list of codes (pasted), a fixed text, or null to clear it. */
export type RewardInput = { codes: readonly string[] } | { text: string } | null;

/** What configuring did to the pasted codes: how many will be given, which were left out (already given, or pasted twice). */
export interface ConfigureResult {
  added: number;
  skipped: { code: string; reason: 'already_given' | 'repeated' }[];
}

/**
 * What one occurrence gets. `fresh`: this call took the code (false: the
 * occurrence had it already). out_of_codes: the list ran out (`listAt`: the
 * list's version, so that the owner is told once per list).
 */
export type RewardClaim =
  | { outcome: 'code'; code: string; fresh: boolean }
  | { outcome: 'text'; text: string }
  | { outcome: 'out_of_codes'; listAt: number }
  | { outcome: 'none' };

/** A referral that became a customer: the friend's purchase made it so. */
export interface ConvertedReferral {
  referralId: number;
  referrerCustomerId: number;
  /** The name the referrer gave the friend (null when none). */
  friendName: string | null;
  friendCustomerId: number;
  purchaseId: number;
  convertedAt: number;
}

export interface RewardRepository {
  settingOf(kind: RewardKind): RewardSetting;
  /** Replaces the seller's reward of a kind: the codes not given yet are replaced by these; given ones stay given. */
  configure(kind: RewardKind, input: RewardInput, now: number): ConfigureResult;
  /**
   * The reward for one occurrence (`key`: "referral:12", "run:40"), taken in
   * the caller's transaction: the same key always finds the same code, and a
   * code is never given to two keys. Joins the caller's transaction.
   */
  claim(kind: RewardKind, key: string, customerId: number, now: number): RewardClaim;
  /** Gives back a code whose message was not sent after all (expired, skipped): it is the next one given. */
  release(key: string): void;
  /**
   * The purchase's buyer was referred (their number, in any of its Brazilian
   * forms, is in a referral made before the purchase, by someone else) and
   * had bought nothing before that referral: the earliest such referral is
   * converted, once per friend. Joins the caller's transaction.
   */
  convertReferral(friend: { id: number; phone: string | null }, purchase: { id: number; purchasedAt: number }, now: number): ConvertedReferral | undefined;
  /** The referral this purchase converted, if any. */
  conversionOf(purchaseId: number): ConvertedReferral | undefined;
  /** Referrals that became customers in [from, to). */
  countConverted(from: number, to: number): number;
  /** How many purchases the customer has (the one being recorded included): what `purchase_count` counts. */
  countPurchases(customerId: number): number;
}

interface ReferralRow {
  id: number;
  referrerCustomerId: number;
  name: string | null;
  createdAt: number;
}

interface SettingRow {
  mode: 'codes' | 'text';
  text: string | null;
  updatedAt: number;
}

const CONVERSION_COLUMNS = `c.referral_id AS referralId, r.referrer_customer_id AS referrerCustomerId, r.name AS friendName,
  c.customer_id AS friendCustomerId, c.purchase_id AS purchaseId, c.converted_at AS convertedAt`;

export function createRewardRepository(db: Database): RewardRepository {
  const { sqlite } = db;
  const settingRow = sqlite.prepare<[RewardKind], SettingRow>('SELECT mode, text, updated_at AS updatedAt FROM reward_settings WHERE kind = ?');
  const upsertSetting = sqlite.prepare<[RewardKind, string, string | null, number]>(
    `INSERT INTO reward_settings (kind, mode, text, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (kind) DO UPDATE SET mode = excluded.mode, text = excluded.text, updated_at = excluded.updated_at`,
  );
  const deleteSetting = sqlite.prepare<[RewardKind]>('DELETE FROM reward_settings WHERE kind = ?');
  const deleteFree = sqlite.prepare<[RewardKind]>('DELETE FROM reward_codes WHERE kind = ? AND claim_key IS NULL');
  const insertCode = sqlite.prepare<[RewardKind, string]>('INSERT INTO reward_codes (kind, code) VALUES (?, ?) ON CONFLICT (kind, code) DO NOTHING');
  const freeCodes = sqlite.prepare<[RewardKind], string>('SELECT code FROM reward_codes WHERE kind = ? AND claim_key IS NULL ORDER BY id').pluck();
  const givenCount = sqlite.prepare<[RewardKind], number>('SELECT count(*) FROM reward_codes WHERE kind = ? AND claim_key IS NOT NULL').pluck();
  const codeOfKey = sqlite.prepare<[string], string>('SELECT code FROM reward_codes WHERE claim_key = ?').pluck();
  const takeNext = sqlite
    .prepare<[string, number, number, RewardKind], string>(
      `UPDATE reward_codes SET claim_key = ?, customer_id = ?, claimed_at = ?
       WHERE id = (SELECT id FROM reward_codes WHERE kind = ? AND claim_key IS NULL ORDER BY id LIMIT 1)
       RETURNING code`,
    )
    .pluck();
  const releaseKey = sqlite.prepare<[string]>('UPDATE reward_codes SET claim_key = NULL, customer_id = NULL, claimed_at = NULL WHERE claim_key = ?');

  // Every purchase asks, and most buyers were referred by nobody: one index lookup per form of the
  // number, the earliest picked here (`phone IN (?, ?)` with ORDER BY builds a temporary list and a
  // sorter for each call, several times the cost; docs/performance.md).
  const referralsTo = sqlite.prepare<[string], ReferralRow>('SELECT id, referrer_customer_id AS referrerCustomerId, name, created_at AS createdAt FROM referrals WHERE phone = ?');
  const earliestReferral = (phones: readonly string[], friendId: number, before: number): ReferralRow | undefined => {
    let earliest: ReferralRow | undefined;
    for (const phone of phones) {
      for (const row of referralsTo.all(phone)) {
        if (row.referrerCustomerId === friendId || row.createdAt > before) continue;
        if (!earliest || row.createdAt < earliest.createdAt || (row.createdAt === earliest.createdAt && row.id < earliest.id)) earliest = row;
      }
    }
    return earliest;
  };
  const friendConverted = sqlite.prepare<[number], number>('SELECT 1 FROM referral_conversions WHERE customer_id = ?').pluck();
  const boughtBefore = sqlite.prepare<[number, number, number], number>('SELECT 1 FROM purchases WHERE customer_id = ? AND id != ? AND purchased_at < ? LIMIT 1').pluck();
  const insertConversion = sqlite.prepare<[number, number, number, number]>(
    'INSERT INTO referral_conversions (referral_id, customer_id, purchase_id, converted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const byPurchase = sqlite.prepare<[number], ConvertedReferral>(
    `SELECT ${CONVERSION_COLUMNS} FROM referral_conversions c JOIN referrals r ON r.id = c.referral_id WHERE c.purchase_id = ?`,
  );
  const purchasesOf = sqlite.prepare<[number], number>('SELECT count(*) FROM purchases WHERE customer_id = ?').pluck();
  const convertedBetween = sqlite.prepare<[number, number], number>('SELECT count(*) FROM referral_conversions WHERE converted_at >= ? AND converted_at < ?').pluck();

  return {
    settingOf: (kind) => {
      const row = settingRow.get(kind);
      return {
        kind,
        mode: row?.mode ?? 'none',
        text: row?.mode === 'text' ? row.text : null,
        codesLeft: row?.mode === 'codes' ? freeCodes.all(kind) : [],
        codesGiven: givenCount.get(kind) ?? 0,
        updatedAt: row?.updatedAt ?? null,
      };
    },
    configure: (kind, input, now) =>
      db.transaction(() => {
        deleteFree.run(kind);
        if (input === null) {
          deleteSetting.run(kind);
          return { added: 0, skipped: [] };
        }
        if ('text' in input) {
          upsertSetting.run(kind, 'text', input.text, now);
          return { added: 0, skipped: [] };
        }
        upsertSetting.run(kind, 'codes', null, now);
        const result: ConfigureResult = { added: 0, skipped: [] };
        const seen = new Set<string>();
        for (const code of input.codes) {
          if (seen.has(code)) result.skipped.push({ code, reason: 'repeated' });
          else if (insertCode.run(kind, code).changes > 0) result.added += 1;
          // Only given codes are left after deleteFree: this one was given before.
          else result.skipped.push({ code, reason: 'already_given' });
          seen.add(code);
        }
        return result;
      }),
    claim: (kind, key, customerId, now) =>
      db.transaction((): RewardClaim => {
        const held = codeOfKey.get(key);
        if (held !== undefined) return { outcome: 'code', code: held, fresh: false };
        const setting = settingRow.get(kind);
        if (!setting) return { outcome: 'none' };
        if (setting.mode === 'text') return { outcome: 'text', text: setting.text ?? '' };
        const code = takeNext.get(key, customerId, now, kind);
        return code === undefined ? { outcome: 'out_of_codes', listAt: setting.updatedAt } : { outcome: 'code', code, fresh: true };
      }),
    release: (key) => {
      releaseKey.run(key);
    },
    convertReferral: (friend, purchase, now) => {
      if (friend.phone === null) return undefined;
      const phone = canonicalPhone(friend.phone);
      const other = phoneWithoutNinthDigit(phone);
      const referral = earliestReferral(other === null ? [phone] : [phone, other], friend.id, purchase.purchasedAt);
      if (!referral) return undefined;
      return db.transaction(() => {
        if (friendConverted.get(friend.id) !== undefined) return undefined;
        // Already a customer when they were referred: the referral did not bring them.
        if (boughtBefore.get(friend.id, purchase.id, referral.createdAt) !== undefined) return undefined;
        if (insertConversion.run(referral.id, friend.id, purchase.id, now).changes === 0) return undefined;
        return {
          referralId: referral.id,
          referrerCustomerId: referral.referrerCustomerId,
          friendName: referral.name,
          friendCustomerId: friend.id,
          purchaseId: purchase.id,
          convertedAt: now,
        };
      });
    },
    conversionOf: (purchaseId) => byPurchase.get(purchaseId),
    countConverted: (from, to) => convertedBetween.get(from, to) ?? 0,
    countPurchases: (customerId) => purchasesOf.get(customerId) ?? 0,
  };
}
