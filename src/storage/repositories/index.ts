import type { Database } from '../db.js';
import { createAnswerRepository, type AnswerRepository } from './answers.js';
import { createCampaignRepository, type CampaignRepository } from './campaigns.js';
import { createCustomerRepository, type CustomerRepository } from './customers.js';
import { createMessageRepository, type MessageRepository } from './messages.js';
import { createMetricsRepository, type MetricsRepository } from './metrics.js';
import { createOutboxRepository, type OutboxRepository } from './outbox.js';
import { createPendingPurchaseRepository, type PendingPurchaseRepository } from './pending-purchases.js';
import { createPurchaseRepository, type PurchaseRepository } from './purchases.js';
import { createReferralRepository, type ReferralRepository } from './referrals.js';
import { createReportRepository, type ReportRepository } from './reports.js';
import { createReviewLinkStore, type ReviewLinkStore } from './review-links.js';
import { createRewardRepository, type RewardRepository } from './rewards.js';
import { createRunRepository, type RunRepository } from './runs.js';
import { createSchedulerState, type SchedulerState } from './scheduler-state.js';
import { createSegmentRepository, type SegmentRepository } from './segments.js';
import { createSessionRepository, type SessionRepository } from './sessions.js';
import { createSuppressionList, type SuppressionList } from './suppressions.js';
import { createWebhookEventRepository, type WebhookEventRepository } from './webhook-events.js';
import { createWhatsAppLimitsStore, type WhatsAppLimitsStore } from './whatsapp-limits.js';

export type { AnswerRepository, CampaignRepository, CustomerRepository, MessageRepository, MetricsRepository, OutboxRepository, PurchaseRepository, ReferralRepository, ReportRepository, RunRepository, SchedulerState, SessionRepository, WebhookEventRepository, WhatsAppLimitsStore };

/** Every repository over one database, plus its transaction: what use cases receive. */
export interface Repositories {
  customers: CustomerRepository;
  purchases: PurchaseRepository;
  /** Purchases that came without a phone, waiting for their click-to-chat code (issue 18). */
  pendingPurchases: PendingPurchaseRepository;
  messages: MessageRepository;
  runs: RunRepository;
  answers: AnswerRepository;
  /** People customers recommended: never messaged, never made customers. */
  referrals: ReferralRepository;
  outbox: OutboxRepository;
  schedulerState: SchedulerState;
  /** The weekly summary's counts: reads only. */
  metrics: MetricsRepository;
  /** The weekly summaries sent, one per week. */
  reports: ReportRepository;
  /** Who is signed in to the seller's pages. */
  sessions: SessionRepository;
  /** Opted-out people who were erased, as keyed hashes: their objection outlives their data. */
  suppressions: SuppressionList;
  /** WhatsApp's limits as last read, and when the number was linked (issue 18). */
  whatsappLimits: WhatsAppLimitsStore;
  /** Webhooks the store platforms sent, and the Nuvemshop order fetches still due (issue 19). */
  webhookEvents: WebhookEventRepository;
  /** What the segments read, and the custom segments the seller saved (issue 21). */
  segments: SegmentRepository;
  /** The tracked review links' key and opens (issue 21: reputation). */
  reviewLinks: ReviewLinkStore;
  /** One-off messages to a segment and who they reached (issue 21). */
  campaigns: CampaignRepository;
  /** Issue 21: the seller's rewards (coupon codes given once, or a fixed text) and the referrals that became customers. */
  rewards: RewardRepository;
  transaction<T>(work: () => T): T;
}

export function createRepositories(db: Database): Repositories {
  const suppressions = createSuppressionList(db);
  const schedulerState = createSchedulerState(db);
  return {
    customers: createCustomerRepository(db, { suppressions }),
    suppressions,
    purchases: createPurchaseRepository(db),
    pendingPurchases: createPendingPurchaseRepository(db),
    messages: createMessageRepository(db),
    runs: createRunRepository(db),
    answers: createAnswerRepository(db),
    referrals: createReferralRepository(db),
    outbox: createOutboxRepository(db),
    schedulerState,
    whatsappLimits: createWhatsAppLimitsStore(schedulerState),
    metrics: createMetricsRepository(db),
    reports: createReportRepository(db),
    sessions: createSessionRepository(db),
    webhookEvents: createWebhookEventRepository(db),
    campaigns: createCampaignRepository(db),
    segments: createSegmentRepository(db),
    reviewLinks: createReviewLinkStore(db),
    rewards: createRewardRepository(db),
    transaction: (work) => db.transaction(work),
  };
}
