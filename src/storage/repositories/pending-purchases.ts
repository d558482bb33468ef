import type { PhonelessPurchaseInput } from '../../intake/purchase-rules.js';
import type { Database } from '../db.js';

/** A purchase that came without a phone, waiting for its customer to write with its code. */
export interface PendingPurchase {
  id: number;
  /** As validated; once claimed, without `customer` (see claim). */
  input: PhonelessPurchaseInput;
  createdAt: number;
  /** When someone wrote with its code and it became a purchase; null while it waits. */
  claimedAt: number | null;
  purchaseId: number | null;
}

export interface PendingPurchaseRepository {
  create(input: PhonelessPurchaseInput, now: number): PendingPurchase;
  find(id: number): PendingPurchase | undefined;
  /** The one waiting with that order number (a store sending the same order again). */
  findWaiting(externalId: string): PendingPurchase | undefined;
  /**
   * It became purchase `purchaseId`. The customer's details leave the row:
   * they are the customer's record's now (and erased with it).
   */
  claim(id: number, purchaseId: number, now: number): void;
  /** Forgets what waited since before `before` and was never claimed (its code is no longer accepted). */
  forgetWaitingSince(before: number): number;
}

interface PendingRow {
  id: number;
  input: string;
  createdAt: number;
  claimedAt: number | null;
  purchaseId: number | null;
}

const COLUMNS = 'id, input, created_at AS createdAt, claimed_at AS claimedAt, purchase_id AS purchaseId';

function toPending(row: PendingRow): PendingPurchase {
  return { ...row, input: JSON.parse(row.input) as PhonelessPurchaseInput };
}

export function createPendingPurchaseRepository(db: Database): PendingPurchaseRepository {
  const { sqlite } = db;
  const insert = sqlite.prepare<[string, number]>('INSERT INTO pending_purchases (input, created_at) VALUES (?, ?)');
  const byId = sqlite.prepare<[number], PendingRow>(`SELECT ${COLUMNS} FROM pending_purchases WHERE id = ?`);
  // Few rows wait at a time (they are forgotten after the code's 90 days): no index needed.
  const waiting = sqlite.prepare<[string], PendingRow>(
    `SELECT ${COLUMNS} FROM pending_purchases WHERE claimed_at IS NULL AND json_extract(input, '$.externalId') = ? ORDER BY id DESC LIMIT 1`,
  );
  const claim = sqlite.prepare<[string, number, number, number]>(
    'UPDATE pending_purchases SET input = ?, claimed_at = ?, purchase_id = ? WHERE id = ? AND claimed_at IS NULL',
  );
  const forget = sqlite.prepare<[number]>('DELETE FROM pending_purchases WHERE claimed_at IS NULL AND created_at < ?');

  return {
    create: (input, now) => {
      const { lastInsertRowid } = insert.run(JSON.stringify(input), now);
      return { id: Number(lastInsertRowid), input, createdAt: now, claimedAt: null, purchaseId: null };
    },
    find: (id) => {
      const row = byId.get(id);
      return row ? toPending(row) : undefined;
    },
    findWaiting: (externalId) => {
      const row = waiting.get(externalId);
      return row ? toPending(row) : undefined;
    },
    claim: (id, purchaseId, now) => {
      const row = byId.get(id);
      if (!row) return;
      const { customer: _customer, ...rest } = JSON.parse(row.input) as PhonelessPurchaseInput;
      claim.run(JSON.stringify(rest), now, purchaseId, id);
    },
    forgetWaitingSince: (before) => forget.run(before).changes,
  };
}
