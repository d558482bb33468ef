/**
 * A campaign (issue 21): a one-off message, in one to three variants, to the
 * members of a segment who may receive marketing. What the API takes, what is
 * stored of each variant, and the results the API answers.
 */
import type { CampaignMessage } from '../flows/campaign-flow.js';
import type { VariantKey } from './split.js';

export type { CampaignMessage };

/** POST /api/campaigns and /api/campaigns/preview, validated: exactly one of message and variants. */
export interface CampaignRequest {
  name?: string | undefined;
  segment: string;
  message?: CampaignMessage | undefined;
  /** 2 or 3 messages, split at random among the recipients. */
  variants?: CampaignMessage[] | undefined;
  /** Epoch ms; absent: now. */
  sendAt?: number | undefined;
  attributionDays?: number | undefined;
  /** The split's seed (to reproduce one); absent: a random one. */
  seed?: number | undefined;
}

/** One variant as stored in campaigns.variants (JSON). */
export interface StoredVariant {
  key: VariantKey;
  message: CampaignMessage;
  flowId: string;
  flowHash: string;
}

/** A count among a total: every rate is shown with both (never a bare percentage). */
export interface Rate {
  count: number;
  of: number;
  /** count / of, or null when of is 0. */
  rate: number | null;
}

export interface VariantResults {
  key: VariantKey;
  message: CampaignMessage;
  recipients: number;
  /** Not sent yet: waiting for sendAt, the hours allowed, the daily cap or the budgets. */
  pending: number;
  /** Of the recipients. */
  sent: Rate;
  /** The rest of the rates: of those sent. */
  delivered: Rate;
  read: Rate;
  replied: Rate;
  optedOut: Rate;
  /** Answered the campaign's question (a question campaign). */
  answered: Rate;
  /** Bought at least once within the attribution window after the send. */
  purchased: Rate;
  purchases: number;
  revenueCents: number;
  firstSentAt: string | null;
  lastSentAt: string | null;
  /** Not sent, by reason code (src/domain/reasons.ts) or status. */
  notSent: Record<string, number>;
}

export interface VariantComparison {
  metric: 'replied' | 'purchased';
  test: 'fisher_exact' | 'chi_square' | null;
  pValue: number | null;
  significant: boolean;
  /** The variant that did better, only when the difference is beyond chance. */
  best: VariantKey | null;
  /** In plain words, in the shop's language. */
  verdict: string;
}

export type CampaignStatus = 'scheduled' | 'sending' | 'sent' | 'cancelled';

export interface CampaignSummary {
  id: number;
  name: string;
  segment: string;
  status: CampaignStatus;
  sendAt: string;
  createdAt: string;
  cancelledAt: string | null;
  variants: number;
  recipients: number;
  excluded: Record<string, number>;
}

export interface CampaignResults extends CampaignSummary {
  attributionDays: number;
  seed: number;
  results: VariantResults[];
  /** With two or three variants: replies and purchases compared. */
  comparisons: VariantComparison[];
}
