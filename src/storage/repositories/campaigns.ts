import type { Database } from '../db.js';

/** A campaign as stored; `variants` is JSON the campaigns module reads (src/campaigns/campaign-types.ts). */
export interface CampaignRow {
  id: number;
  name: string;
  segmentId: string;
  variants: string;
  sendAt: number;
  seed: number;
  attributionDays: number;
  status: 'active' | 'cancelled';
  createdAt: number;
  cancelledAt: number | null;
}

export type NewCampaign = Omit<CampaignRow, 'id' | 'status' | 'cancelledAt'>;

/** What enrolment needs of a segment member, read for all of them at once. */
export interface AudienceMember {
  id: number;
  phone: string | null;
  consentMarketing: 'granted' | 'revoked' | 'unknown';
  optedOutAt: number | null;
  erasedAt: number | null;
  automationPausedAt: number | null;
  suppressedAt: number | null;
  warmAt: number | null;
  coldRefusedAt: number | null;
}

/** One variant's results, counted in SQL (src/campaigns/campaign-results.ts turns them into rates). */
export interface VariantTotals {
  variant: string;
  recipients: number;
  /** Not sent yet: the run has not reached its step, or the message waits in the queue. */
  pending: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  optedOut: number;
  answered: number;
  purchasers: number;
  purchases: number;
  revenueCents: number;
  firstSentAt: number | null;
  lastSentAt: number | null;
}

export interface CampaignRepository {
  /** Stores a campaign (active) and answers its id. */
  insert(campaign: NewCampaign): number;
  setVariants(id: number, variants: string): void;
  find(id: number): CampaignRow | undefined;
  /** Newest first. */
  list(limit: number): CampaignRow[];
  /** A recipient: enrolled (variant and run) or left out (reason). */
  addRecipient(campaignId: number, customerId: number, enrolled: { variant: string; runId: number } | { excluded: string }): void;
  /** The members' enrolment facts, in id order; ids of no customer are left out. */
  audience(customerIds: readonly number[]): AudienceMember[];
  /** How many cold or warm messages (not replies) went to each customer since a moment: the contact budget, for everyone at once. */
  contactCountsSince(since: number): Map<number, number>;
  /** Customer messages queued and due by a moment (they go before a campaign due then). */
  queuedCustomerMessages(dueBy: number): number;
  /** How many were left out, by reason. */
  excludedCounts(campaignId: number): Record<string, number>;
  /** Enrolled recipients by variant. */
  enrolledCounts(campaignId: number): Record<string, number>;
  /**
   * Per variant: sent, delivered, read (the message's receipts), replied, opted out and purchases
   * (with revenue) within `windowMs` after the send, answers to its question. `dedupeSuffix` names
   * the campaign step's outbox row (`<run id><suffix>`).
   */
  totals(campaignId: number, windowMs: number, dedupeSuffix: string): VariantTotals[];
  /** Why messages of the campaign were not sent (skipped, expired, failed, runs stopped first), per variant: [variant, reason or status, count]. */
  notSent(campaignId: number, dedupeSuffix: string): { variant: string; reason: string; count: number }[];
  /**
   * Cancels a campaign (call inside a transaction): runs that have not sent their message end
   * (`reason`), its queued messages are skipped with `reason`; a run whose question already went
   * keeps waiting for the answer. Returns what it stopped; undefined when no such campaign.
   */
  cancel(campaignId: number, reason: string, now: number, dedupeSuffix: string): { runs: number; messages: number } | undefined;
}

const COLUMNS =
  'id, name, segment_id AS segmentId, variants, send_at AS sendAt, seed, attribution_days AS attributionDays, status, created_at AS createdAt, cancelled_at AS cancelledAt';

export function createCampaignRepository(db: Database): CampaignRepository {
  const { sqlite } = db;
  const insert = sqlite.prepare<[string, string, string, number, number, number, number]>(
    "INSERT INTO campaigns (name, segment_id, variants, send_at, seed, attribution_days, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'active', ?)",
  );
  const setVariants = sqlite.prepare<[string, number]>('UPDATE campaigns SET variants = ? WHERE id = ?');
  const byId = sqlite.prepare<[number], CampaignRow>(`SELECT ${COLUMNS} FROM campaigns WHERE id = ?`);
  const list = sqlite.prepare<[number], CampaignRow>(`SELECT ${COLUMNS} FROM campaigns ORDER BY id DESC LIMIT ?`);
  const addRecipient = sqlite.prepare<[number, number, string | null, number | null, string | null]>(
    'INSERT INTO campaign_recipients (campaign_id, customer_id, variant, run_id, excluded) VALUES (?, ?, ?, ?, ?)',
  );
  const audience = sqlite.prepare<[string], AudienceMember>(
    `SELECT id, phone, consent_marketing AS consentMarketing, opted_out_at AS optedOutAt, erased_at AS erasedAt,
            automation_paused_at AS automationPausedAt, suppressed_at AS suppressedAt, warm_at AS warmAt, cold_refused_at AS coldRefusedAt
       FROM customers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  );
  // One pass over the week's sends (outbox_contact_idx), instead of one query per member.
  const contactCounts = sqlite.prepare<[number], { customerId: number; n: number }>(
    `SELECT customer_id AS customerId, count(*) AS n FROM outbox
      WHERE contact IN ('cold', 'warm') AND finished_at >= ? AND status IN ('sent', 'unknown') AND customer_id IS NOT NULL
      GROUP BY customer_id`,
  );
  const queued = sqlite
    .prepare<[number], number>("SELECT count(*) FROM outbox WHERE status = 'queued' AND purpose = 'customer' AND not_before <= ?")
    .pluck();
  const excluded = sqlite.prepare<[number], { reason: string; n: number }>(
    'SELECT excluded AS reason, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND excluded IS NOT NULL GROUP BY excluded ORDER BY excluded',
  );
  const enrolled = sqlite.prepare<[number], { variant: string; n: number }>(
    'SELECT variant, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND variant IS NOT NULL GROUP BY variant ORDER BY variant',
  );
  // Each recipient's message is found by its dedupe key (unique index), its receipts by its WhatsApp
  // id, the replies and purchases after it by (customer, time) indexes: the cost follows the recipients.
  const totals = sqlite.prepare<{ id: number; window: number; suffix: string }, VariantTotals>(
    `WITH sends AS (
       SELECT r.variant, r.customer_id AS customerId, r.run_id AS runId, fr.status AS runStatus,
              o.status AS outboxStatus, o.finished_at AS sentAt, m.status AS messageStatus, m.delivered_at AS deliveredAt, m.read_at AS readAt
         FROM campaign_recipients r
         LEFT JOIN flow_runs fr ON fr.id = r.run_id
         LEFT JOIN outbox o ON o.dedupe_key = r.run_id || @suffix
         LEFT JOIN messages m ON m.wa_id = o.wa_id AND o.status = 'sent'
        WHERE r.campaign_id = @id AND r.variant IS NOT NULL
     )
     SELECT s.variant,
            count(*) AS recipients,
            coalesce(sum((s.outboxStatus IS NULL AND s.runStatus = 'waiting') OR s.outboxStatus IN ('queued', 'sending')), 0) AS pending,
            coalesce(sum(s.outboxStatus = 'sent'), 0) AS sent,
            coalesce(sum(s.outboxStatus = 'sent' AND (s.deliveredAt IS NOT NULL OR s.readAt IS NOT NULL OR s.messageStatus IN ('delivered', 'read'))), 0) AS delivered,
            coalesce(sum(s.outboxStatus = 'sent' AND (s.readAt IS NOT NULL OR s.messageStatus = 'read')), 0) AS read,
            coalesce(sum(s.outboxStatus = 'sent' AND EXISTS (
              SELECT 1 FROM messages i WHERE i.customer_id = s.customerId AND i.direction = 'in' AND i.created_at > s.sentAt AND i.created_at <= s.sentAt + @window)), 0) AS replied,
            coalesce(sum(s.outboxStatus = 'sent' AND c.opted_out_at > s.sentAt AND c.opted_out_at <= s.sentAt + @window), 0) AS optedOut,
            coalesce(sum(EXISTS (SELECT 1 FROM answers a WHERE a.run_id = s.runId)), 0) AS answered,
            coalesce(sum(s.outboxStatus = 'sent' AND EXISTS (
              SELECT 1 FROM purchases p WHERE p.customer_id = s.customerId AND p.purchased_at > s.sentAt AND p.purchased_at <= s.sentAt + @window)), 0) AS purchasers,
            coalesce(sum(CASE WHEN s.outboxStatus = 'sent' THEN (
              SELECT count(*) FROM purchases p WHERE p.customer_id = s.customerId AND p.purchased_at > s.sentAt AND p.purchased_at <= s.sentAt + @window) END), 0) AS purchases,
            coalesce(sum(CASE WHEN s.outboxStatus = 'sent' THEN (
              SELECT coalesce(sum(p.total_cents), 0) FROM purchases p WHERE p.customer_id = s.customerId AND p.purchased_at > s.sentAt AND p.purchased_at <= s.sentAt + @window) END), 0) AS revenueCents,
            min(CASE WHEN s.outboxStatus = 'sent' THEN s.sentAt END) AS firstSentAt,
            max(CASE WHEN s.outboxStatus = 'sent' THEN s.sentAt END) AS lastSentAt
       FROM sends s JOIN customers c ON c.id = s.customerId
      GROUP BY s.variant ORDER BY s.variant`,
  );
  const notSent = sqlite.prepare<{ id: number; suffix: string }, { variant: string; reason: string; count: number }>(
    `SELECT r.variant,
            CASE WHEN o.id IS NULL THEN coalesce(fr.end_reason, 'run_gone') ELSE coalesce(o.last_error, o.status) END AS reason,
            count(*) AS count
       FROM campaign_recipients r
       LEFT JOIN flow_runs fr ON fr.id = r.run_id
       LEFT JOIN outbox o ON o.dedupe_key = r.run_id || @suffix
      WHERE r.campaign_id = @id AND r.variant IS NOT NULL
        AND ((o.id IS NULL AND (fr.id IS NULL OR fr.status = 'cancelled')) OR o.status IN ('skipped', 'expired', 'failed', 'unknown'))
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  // The run ends as the engine ends one (flows/engine.ts `ended`): no step, no wake, no open question.
  const cancelRuns = sqlite.prepare<{ id: number; reason: string; now: number; suffix: string }>(
    `UPDATE flow_runs SET status = 'cancelled', end_reason = @reason, step_id = NULL, wake_at = NULL,
            state = json_set(json_remove(state, '$.contactWait'), '$.ask', json('null')), updated_at = @now, ended_at = @now
      WHERE status = 'waiting'
        AND id IN (SELECT run_id FROM campaign_recipients WHERE campaign_id = @id AND run_id IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = flow_runs.id || @suffix AND o.status IN ('sending', 'sent', 'unknown'))`,
  );
  const skipQueued = sqlite.prepare<{ id: number; reason: string; now: number }>(
    `UPDATE outbox SET status = 'skipped', finished_at = @now, last_error = @reason
      WHERE status = 'queued' AND purpose = 'customer'
        AND run_id IN (SELECT run_id FROM campaign_recipients WHERE campaign_id = @id AND run_id IS NOT NULL)`,
  );
  const markCancelled = sqlite.prepare<[number, number]>("UPDATE campaigns SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'active'");

  return {
    insert: (campaign) =>
      Number(
        insert.run(campaign.name, campaign.segmentId, campaign.variants, campaign.sendAt, campaign.seed, campaign.attributionDays, campaign.createdAt)
          .lastInsertRowid,
      ),
    setVariants: (id, variants) => {
      setVariants.run(variants, id);
    },
    find: (id) => byId.get(id),
    list: (limit) => list.all(limit),
    addRecipient: (campaignId, customerId, enrolledAs) => {
      if ('excluded' in enrolledAs) addRecipient.run(campaignId, customerId, null, null, enrolledAs.excluded);
      else addRecipient.run(campaignId, customerId, enrolledAs.variant, enrolledAs.runId, null);
    },
    audience: (customerIds) => audience.all(JSON.stringify(customerIds)),
    contactCountsSince: (since) => new Map(contactCounts.all(since).map(({ customerId, n }) => [customerId, n])),
    queuedCustomerMessages: (dueBy) => queued.get(dueBy) ?? 0,
    excludedCounts: (campaignId) => Object.fromEntries(excluded.all(campaignId).map(({ reason, n }) => [reason, n])),
    enrolledCounts: (campaignId) => Object.fromEntries(enrolled.all(campaignId).map(({ variant, n }) => [variant, n])),
    totals: (campaignId, windowMs, suffix) => totals.all({ id: campaignId, window: windowMs, suffix }),
    notSent: (campaignId, suffix) => notSent.all({ id: campaignId, suffix }),
    cancel: (campaignId, reason, now, suffix) => {
      if (byId.get(campaignId) === undefined) return undefined;
      // Runs first: they are told apart by whether their message is still queued.
      const runs = cancelRuns.run({ id: campaignId, reason, now, suffix }).changes;
      const messages = skipQueued.run({ id: campaignId, reason, now }).changes;
      markCancelled.run(now, campaignId);
      return { runs, messages };
    },
  };
}
