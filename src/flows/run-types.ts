import type { AskKind } from './flow-types.js';

/** A question a run asked and is waiting on. */
export interface OpenAsk {
  stepId: string;
  kind: AskKind;
  /** The WhatsApp id of the question (a poll's votes point at it). */
  messageId: string;
  /** For polls: the options as sent, in order, so a vote can be read back. */
  pollOptions: string[] | null;
  askedAt: number;
  remindAt: number | null;
  timeoutAt: number;
  /** A reply could not be read and the question was asked again once (absent in runs stored before). */
  reasked?: boolean;
  /**
   * Earlier sends of this poll whose outcome was unknown and that the seller
   * had sent again under a new id: a vote on any of them answers it too.
   */
  earlierMessageIds?: string[];
}

/** Whether a poll vote for `pollMessageId` answers this open question (its poll, or an earlier send of it). */
export function isPollOf(ask: OpenAsk | null, pollMessageId: string): boolean {
  return ask !== null && (ask.messageId === pollMessageId || (ask.earlierMessageIds?.includes(pollMessageId) ?? false));
}

export interface RunAnswer {
  stepId: string;
  value: string;
  comment: string;
  outcome: string;
}

/** A message step waiting for a cold customer to write first (`cold: { wait_for_contact }`). */
export interface ContactWait {
  stepId: string;
  /** When the step was due: the wait started then. */
  since: number;
  /** When the wait gives up and the step's `then` decides. */
  until: number;
}

export interface RunState {
  /** How many times each step ran (a goto can come back): part of each message's dedupe key. */
  visits: Record<string, number>;
  ask: OpenAsk | null;
  answer: RunAnswer | null;
  /** Present only while a message step waits for a cold customer to write first. */
  contactWait?: ContactWait;
}

export type RunStatus = 'waiting' | 'done' | 'cancelled';

/** One customer going through one version of one flow. */
export interface Run {
  id: number;
  flowId: string;
  flowHash: string;
  customerId: number;
  occurrence: string;
  purchaseId: number | null;
  status: RunStatus;
  /** The step to run when woken (null once ended, or while only an open question waits). */
  stepId: string | null;
  /**
   * When to wake. Also the run's logical time when it wakes: steps are timed
   * from when they were due, not from when a late tick got to them, so that
   * downtime neither drifts the schedule nor sends stale messages.
   */
  wakeAt: number | null;
  state: RunState;
  endReason: string | null;
  createdAt: number;
  updatedAt: number;
  endedAt: number | null;
}

export const EMPTY_RUN_STATE: RunState = Object.freeze({ visits: {}, ask: null, answer: null });
