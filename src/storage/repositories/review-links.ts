import { randomBytes } from 'node:crypto';
import type { Database } from '../db.js';

/**
 * The tracked review links' small facts (src/domain/review-link.ts), kept in
 * scheduler_state beside the inbox's: the install's key, generated once, and
 * one row per flow run whose link was followed ('review_link.opened:<run id>'
 * → when), so that an open counts once per recipient and a reload nothing. No
 * personal data: a run id and a time (an erased customer's runs are deleted,
 * and their open then counts for nobody).
 */
export interface ReviewLinkStore {
  /** The install's key for review-link tokens, created on first use. */
  key(): Buffer;
  /** The live customer of a run, or null (no such run, or the customer was erased). */
  customerOfRun(runId: number): number | null;
  /** Records that a run's link was followed at `at`; false when it already was (an open counts once). */
  recordOpen(runId: number, at: number): boolean;
}

export const REVIEW_LINK_KEY = 'review_links.key';
/** scheduler_state keys of the opens: this prefix and the run id. */
export const REVIEW_LINK_OPENED = 'review_link.opened:';

export function createReviewLinkStore(db: Database): ReviewLinkStore {
  const { sqlite } = db;
  const insert = sqlite.prepare<[string, string]>('INSERT INTO scheduler_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
  const get = sqlite.prepare<[string], string>('SELECT value FROM scheduler_state WHERE key = ?').pluck();
  const customer = sqlite
    .prepare<[number], number>('SELECT r.customer_id FROM flow_runs r JOIN customers c ON c.id = r.customer_id WHERE r.id = ? AND c.erased_at IS NULL')
    .pluck();
  let cached: Buffer | undefined;

  return {
    key: () => {
      if (cached) return cached;
      // Another process (the CLI) may create it at the same moment: the first one stays.
      insert.run(REVIEW_LINK_KEY, randomBytes(32).toString('hex'));
      cached = Buffer.from(get.get(REVIEW_LINK_KEY)!, 'hex');
      return cached;
    },
    customerOfRun: (runId) => customer.get(runId) ?? null,
    recordOpen: (runId, at) => insert.run(`${REVIEW_LINK_OPENED}${runId}`, String(at)).changes === 1,
  };
}
