import type { Flow, Step, TemplateContext } from '../flow-types.js';
import type { OpenAsk, Run } from '../run-types.js';

/** What a flow asks to be sent. An image is named by its file; the sender reads it. */
export type FlowContent =
  | { kind: 'text'; text: string }
  | { kind: 'image'; file: string; caption: string | null }
  | { kind: 'poll'; question: string; options: string[]; selectableCount: 1 };

export type Effect =
  | {
      kind: 'message';
      stepId: string;
      /** Unique per run, step and visit (and "reminder"): a second enqueue is impossible. */
      dedupeKey: string;
      to: 'customer' | 'owner';
      content: FlowContent;
      /** Needs the customer's marketing consent when it goes out. */
      marketing: boolean;
      dueAt: number;
      expiresAt: number;
      messageId: string;
    }
  | { kind: 'tag'; tags: string[] }
  | { kind: 'untag'; tags: string[] }
  /** A message that was due longer ago than its step allows: recorded as expired, not sent. */
  | { kind: 'expired'; stepId: string; dedupeKey: string; to: 'customer' | 'owner'; content: FlowContent; dueAt: number; messageId: string }
  /**
   * A message not sent on purpose, recorded as skipped so that the seller sees why: the flow chose not to
   * send it to a cold customer (`cold: skip`; no `reason`), or it names a shop setting left empty
   * (`reason: 'no_review_url'`: a review request without its link).
   */
  | { kind: 'skipped'; stepId: string; dedupeKey: string; to: 'customer'; content: FlowContent; dueAt: number; messageId: string; reason?: 'no_review_url' };

/** Everything a step needs besides the run: all of it given, nothing looked up. */
export interface EngineContext {
  flow: Flow;
  now: number;
  timezone: string;
  template: TemplateContext;
  render(template: string, context: TemplateContext): string;
  newMessageId(): string;
  /** Poll labels for yes_no questions, in the shop's language. */
  yesNoLabels: { yes: string; no: string };
  /**
   * Whether the customer has written to the shop's number (warm) or never has
   * (cold), as known now: what a message step's `cold:` choice depends on.
   */
  contact: 'warm' | 'cold';
}

export interface StepInput {
  step: Step;
  run: Run;
  /** The step's logical time: when it was due. */
  at: number;
  /** Which visit of this step this is (1 for the first). */
  visit: number;
  ctx: EngineContext;
  /**
   * The message is recorded as skipped, not sent: the customer is cold and the step's `cold:` says skip
   * (true, or 'cold_skipped'), or the message names a shop setting left empty ('no_review_url').
   */
  skipMessage?: boolean | SkipReason;
}

export type StepResult =
  /** Go straight on to `next`. */
  | { kind: 'continue'; next: string; effects: Effect[] }
  /** Wait until `wakeAt`, then run `next`. */
  | { kind: 'sleep'; next: string; wakeAt: number; effects: Effect[] }
  /** A question was sent: wait for its answer, its reminder or its timeout. */
  | { kind: 'ask'; open: OpenAsk; effects: Effect[] }
  | { kind: 'end'; reason: string; effects: Effect[] };

export function dedupeKey(input: StepInput, suffix?: string): string {
  return `${input.run.id}:${input.step.id}:${input.visit}${suffix ? `:${suffix}` : ''}`;
}

/** A message due at `at` is stale once its step's max_lateness has passed. */
export function isStale(input: StepInput): boolean {
  return input.at + input.step.maxLatenessMs < input.ctx.now;
}

export function message(input: StepInput, to: 'customer' | 'owner', content: FlowContent, suffix?: string): Effect {
  return {
    kind: 'message',
    stepId: input.step.id,
    dedupeKey: dedupeKey(input, suffix),
    to,
    content,
    marketing: to === 'customer' && input.ctx.flow.filter.consent === 'marketing',
    dueAt: input.at,
    expiresAt: input.at + input.step.maxLatenessMs,
    messageId: input.ctx.newMessageId(),
  };
}

/** The message a step would have sent, recorded as skipped: the customer is cold and the flow says so, or it names a setting left empty. */
export function skipped(input: StepInput, content: FlowContent, suffix?: string): Effect {
  const reason = input.skipMessage === 'no_review_url' ? { reason: input.skipMessage } : {};
  return { kind: 'skipped', stepId: input.step.id, dedupeKey: dedupeKey(input, suffix), to: 'customer', content, dueAt: input.at, messageId: input.ctx.newMessageId(), ...reason };
}

/** Why a message is skipped rather than sent (the outbox's reason codes, src/domain/reasons.ts). */
export type SkipReason = 'cold_skipped' | 'no_review_url';

/** `shop.review_url` named in a template: `{{ shop.review_url }}`, `shop["review_url"]`, inside a tag or a filter. */
const NAMES_REVIEW_URL = /\bshop\s*(?:\.\s*review_url\b|\[\s*["']review_url["']\s*\])/u;

/**
 * Whether a customer message made of these templates would go out with a blank
 * where a shop setting belongs: it names `shop.review_url` and SHOP_REVIEW_URL
 * is not set. Such a message is skipped (no_review_url), never sent without its link.
 */
export function missingSetting(templates: readonly (string | null | undefined)[], ctx: EngineContext): 'no_review_url' | undefined {
  if (ctx.template.shop.review_url !== '') return undefined;
  return templates.some((template) => typeof template === 'string' && NAMES_REVIEW_URL.test(template)) ? 'no_review_url' : undefined;
}

/** The message a step would have sent, recorded as expired because it is too late for it. */
export function expired(input: StepInput, to: 'customer' | 'owner', content: FlowContent, suffix?: string): Effect {
  return { kind: 'expired', stepId: input.step.id, dedupeKey: dedupeKey(input, suffix), to, content, dueAt: input.at, messageId: input.ctx.newMessageId() };
}
