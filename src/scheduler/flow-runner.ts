import { newMessageId as defaultMessageId } from '../channels/channel.js';
import type { Customer, Purchase } from '../domain/customer.js';
import type { StopReason } from '../domain/reasons.js';
import type { Flow } from '../flows/flow-types.js';
import type { Run } from '../flows/run-types.js';
import { advanceDue } from './advance-runs.js';
import { answerPollVote, answerQuestion, answerRun, askStepOf, giveUpOn, markReasked, pollVoteValue, type AskStep } from './answers.js';
import { cancelCustomerRuns, cancelFlowRuns, removedFlowsWithRuns } from './cancel-runs.js';
import { DailyTriggers } from './daily-triggers.js';
import { enrollForFirstMessage, enrollForPurchase, enrollForTags, enrollManually, type ManualEnrollment } from './enroll.js';
import type { RunnerContext, StartedRun } from './runner-context.js';
import { wakeOnContact } from './wake-on-contact.js';

export type { StartedRun } from './runner-context.js';

export type FlowRunnerOptions = Omit<RunnerContext, 'flows' | 'newMessageId'> & {
  flows: Flow[];
  newMessageId?: () => string;
};

/**
 * Where flows meet the database: enrolment (purchases, birthdays, inactivity,
 * repurchase, manual), advancing due runs through the pure engine, answers and
 * cancellations. Each run's step is stored with the messages it produced in
 * one transaction, so a crash can lose neither nor do either twice.
 *
 * One door for its many callers (the intake, the inbox, the tick, the pages);
 * each concept lives in its own file: enroll.ts, daily-triggers.ts,
 * advance-runs.ts, answers.ts, wake-on-contact.ts, cancel-runs.ts, effects-to-outbox.ts and the
 * pure template-context.ts and trigger-times.ts.
 */
export class FlowRunner {
  readonly #ctx: RunnerContext;
  readonly #daily: DailyTriggers;

  constructor(options: FlowRunnerOptions) {
    this.#ctx = { newMessageId: defaultMessageId, ...options, flows: remember(options, options.flows) };
    this.#daily = new DailyTriggers(this.#ctx);
  }

  /** The flows new enrolments use now (the start's, or the last ones replaceFlows gave). */
  get flows(): Flow[] {
    return [...this.#ctx.flows.values()];
  }

  /**
   * The flows new enrolments (purchases, daily triggers, manual starts) use from
   * now on, after a flow file changed (live-flows.ts). Each version is stored
   * first; runs under way are untouched: each follows the version it started on.
   */
  replaceFlows(flows: readonly Flow[]): void {
    this.#ctx.flows = remember(this.#ctx, flows);
  }

  flow(id: string): Flow | undefined {
    return this.#ctx.flows.get(id);
  }

  /**
   * Enrols a customer in the flows a purchase triggers. Called inside the
   * intake's transaction: the purchase and its runs are stored together.
   */
  enrollForPurchase(customer: Customer, purchase: Purchase): StartedRun[] {
    return enrollForPurchase(this.#ctx, customer, purchase);
  }

  /**
   * The seller added tags to a customer (the customer page, PATCH /api/customers/:id):
   * the `tagged` flows of the tags in `added` (ones the customer did not have) start.
   * Call inside the transaction that stored them. (A flow's tag step does this itself.)
   */
  enrollForTags(customer: Customer, added: readonly string[]): StartedRun[] {
    return enrollForTags(this.#ctx, customer, added);
  }

  /** A person's first message to the shop, judged plain by the inbox: the `first_message` flows start (once per customer ever). */
  enrollForFirstMessage(customer: Customer): StartedRun[] {
    return enrollForFirstMessage(this.#ctx, customer);
  }

  /** POST /api/flows/:id/runs: a seller starts a flow for a customer by hand. */
  enrollManually(flowId: string, customer: Customer): ManualEnrollment {
    return enrollManually(this.#ctx, flowId, customer);
  }

  /**
   * Birthday and inactivity triggers, once per local day in TIMEZONE, catching
   * up the days a stopped service missed (at most a week back).
   */
  runDailyTriggers(): number {
    return this.#daily.run();
  }

  /**
   * Moves due runs forward, at most `limit` of them, the longest-due first; each
   * in its own transaction. Returns how many were due.
   */
  advanceDue(limit: number): number {
    return advanceDue(this.#ctx, limit);
  }

  /** The customer answered a question a run is waiting on (already parsed into the ask's value). */
  answer(customerId: number, stepId: string, value: string, comment = ''): Run | undefined {
    return answerQuestion(this.#ctx, customerId, stepId, value, comment);
  }

  /**
   * A poll vote answers the question whose poll it is. The option voted is
   * read back against the options as they were sent.
   */
  answerPollVote(customerId: number, pollMessageId: string, selectedOptions: string[]): Run | undefined {
    return answerPollVote(this.#ctx, customerId, pollMessageId, selectedOptions);
  }

  /** The value a vote on the run's open poll stands for ("yes", an option's key, a score), or undefined. */
  pollVoteValue(run: Run, selectedOptions: string[]): string | undefined {
    return pollVoteValue(this.#ctx, run, selectedOptions);
  }

  /** The ask step a run is waiting on, from the flow version the run follows. */
  askStepOf(run: Run): AskStep | undefined {
    return askStepOf(this.#ctx, run);
  }

  /** Notes that the run's open question was asked again after a reply that could not be read. */
  markReasked(run: Run): void {
    markReasked(this.#ctx, run);
  }

  /** A second reply that could not be read: the question's no_answer branch, the reply kept as the comment. */
  giveUpOn(run: Run, comment: string): Run | undefined {
    return giveUpOn(this.#ctx, run, comment);
  }

  /**
   * Applies an understood answer to the run that asked (inside the caller's
   * transaction). `customer`, when the caller just read it, saves reading it again.
   */
  answerRun(run: Run, value: string, comment: string, customer?: Customer): Run | undefined {
    return answerRun(this.#ctx, run, value, comment, customer);
  }

  /**
   * The seller stops a flow's waiting runs (all of them, or one customer's),
   * and their messages still in the queue; also for a flow whose file was
   * removed, whose runs would otherwise finish on their stored version.
   * Undefined when no such flow was ever loaded.
   */
  cancelFlowRuns(flowId: string, customerId?: number): number | undefined {
    return cancelFlowRuns(this.#ctx, flowId, customerId);
  }

  /** Flows no longer loaded (their file removed) that still have runs waiting, with how many. */
  removedFlowsWithRuns(): { flowId: string; runs: number }[] {
    return removedFlowsWithRuns(this.#ctx);
  }

  /**
   * The customer wrote to the shop (they are warm now): their runs waiting for
   * contact (a send step's `cold: wait_for_contact`) go on at once, or only the
   * run of `purchaseId` when the message named a purchase's click-to-chat code.
   * Returns how many runs were woken. Runs inside the inbound message's transaction.
   */
  contactArrived(customerId: number, purchaseId?: number): number {
    return wakeOnContact(this.#ctx, customerId, purchaseId);
  }

  /** Stops every open run of a customer (opt-out, erasure, a person taking over for good), and skips their queued messages. */
  cancelFor(customerId: number, reason: StopReason): number {
    return cancelCustomerRuns(this.#ctx, customerId, reason);
  }
}

/** The flows by id, each version stored (flow_versions) so that the runs started on it can always read it. */
function remember(ctx: Pick<RunnerContext, 'repos' | 'clock'>, flows: readonly Flow[]): Map<string, Flow> {
  const current = new Map<string, Flow>();
  const now = ctx.clock.now();
  for (const flow of flows) {
    current.set(flow.id, flow);
    ctx.repos.runs.rememberVersion(flow, now);
  }
  return current;
}
