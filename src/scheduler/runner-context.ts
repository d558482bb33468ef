import type { QuietHours, Weekday } from '../domain/local-time.js';
import type { Flow, TemplateContext } from '../flows/flow-types.js';
import type { Locale } from '../i18n/index.js';
import type { Repositories } from '../storage/repositories/index.js';
import type { Clock } from './clock.js';

/**
 * What the flow runner's parts share (enrolment, advancing, answers,
 * cancellation, effects): the database, the time, the shop's settings and
 * the flows loaded now. The FlowRunner builds it once; each part reads it.
 * `flows` is replaced whole when a flow file changes (FlowRunner.replaceFlows):
 * read it where it is used, never keep it.
 */
export interface RunnerContext {
  repos: Repositories;
  clock: Clock;
  /** The flows new enrolments use now, by id (a run follows its own stored version: see `versionOf`). */
  flows: ReadonlyMap<string, Flow>;
  timezone: string;
  locale: Locale;
  shopName: string;
  /** SHOP_REVIEW_URL for `{{ shop.review_url }}`; absent or '': unset (a message naming it is skipped, no_review_url). */
  shopReviewUrl?: string;
  /**
   * Issue 21: "https://loja.example/r/" when PUBLIC_URL is public https and SHOP_REVIEW_URL is set:
   * `{{ shop.review_url }}` is then the run's tracked link (src/domain/review-link.ts); absent: SHOP_REVIEW_URL itself.
   */
  reviewLinkPrefix?: string | undefined;
  ownerPhones: string[];
  quietHours: QuietHours | null;
  sendDays: Weekday[] | null;
  render: (template: string, context: TemplateContext) => string;
  newMessageId: () => string;
  /** Told of things a person should know (an alert with no OWNER_PHONE to go to). */
  warn?: ((message: string, details?: Record<string, unknown>) => void) | undefined;
}

/** A run that enrolment created, for the intake's answer. */
export interface StartedRun {
  id: number;
  flowId: string;
  flowVersion: number;
  occurrence: string;
  wakeAt: number;
}
