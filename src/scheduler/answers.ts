/**
 * A customer's answers reaching the runs that asked: a reply already parsed
 * into the question's value, a poll vote read back against the options as
 * they were sent, and a reply that could not be read (asked again once, then
 * the question's no_answer branch).
 */
import type { Customer } from '../domain/customer.js';
import type { Flow } from '../flows/flow-types.js';
import { isPollOf, type Run } from '../flows/run-types.js';
import { applyEvent, versionOf } from './advance-runs.js';
import type { RunnerContext } from './runner-context.js';

/** A step that asks the customer a question. */
export type AskStep = Extract<Flow['steps'][number], { kind: 'ask' }>;

/** The customer answered a question a run is waiting on (already parsed into the ask's value). */
export function answerQuestion(ctx: RunnerContext, customerId: number, stepId: string, value: string, comment: string): Run | undefined {
  return ctx.repos.transaction(() => {
    const run = ctx.repos.runs.openFor(customerId).find((open) => open.state.ask?.stepId === stepId);
    return run ? applyEvent(ctx, run, { kind: 'answer', stepId, value, comment }) : undefined;
  });
}

/** A poll vote answers the question whose poll it is. */
export function answerPollVote(ctx: RunnerContext, customerId: number, pollMessageId: string, selectedOptions: string[]): Run | undefined {
  return ctx.repos.transaction(() => {
    const run = ctx.repos.runs.openFor(customerId).find((open) => isPollOf(open.state.ask, pollMessageId));
    const value = run && pollVoteValue(ctx, run, selectedOptions);
    return run && value !== undefined ? applyEvent(ctx, run, { kind: 'answer', stepId: run.state.ask!.stepId, value, comment: '' }) : undefined;
  });
}

/** The value a vote on the run's open poll stands for ("yes", an option's key, a score), or undefined. */
export function pollVoteValue(ctx: RunnerContext, run: Run, selectedOptions: string[]): string | undefined {
  const ask = run.state.ask;
  const chosen = selectedOptions[0];
  if (!ask?.pollOptions || chosen === undefined) return undefined;
  const index = ask.pollOptions.indexOf(chosen);
  const step = askStepOf(ctx, run);
  if (index < 0 || !step) return undefined;
  return step.ask === 'yes_no' ? (index === 0 ? 'yes' : 'no') : step.ask === 'choice' ? (step.options[index]?.key ?? chosen) : chosen;
}

/** The ask step a run is waiting on, from the flow version the run follows. */
export function askStepOf(ctx: RunnerContext, run: Run): AskStep | undefined {
  const ask = run.state.ask;
  const step = ask ? versionOf(ctx, run)?.steps.find((candidate) => candidate.id === ask.stepId) : undefined;
  return step?.kind === 'ask' ? step : undefined;
}

/** Notes that the run's open question was asked again after a reply that could not be read. */
export function markReasked(ctx: RunnerContext, run: Run): void {
  const ask = run.state.ask;
  if (!ask) return;
  ctx.repos.runs.save({ ...run, state: { ...run.state, ask: { ...ask, reasked: true } }, updatedAt: ctx.clock.now() });
}

/** A second reply that could not be read: the question's no_answer branch, the reply kept as the comment. */
export function giveUpOn(ctx: RunnerContext, run: Run, comment: string): Run | undefined {
  const ask = run.state.ask;
  return ask ? applyEvent(ctx, run, { kind: 'unreadable', stepId: ask.stepId, comment }) : undefined;
}

/**
 * Applies an understood answer to the run that asked (inside the caller's
 * transaction). `customer`, when the caller just read it, saves reading it again.
 */
export function answerRun(ctx: RunnerContext, run: Run, value: string, comment: string, customer?: Customer): Run | undefined {
  const ask = run.state.ask;
  return ask ? applyEvent(ctx, run, { kind: 'answer', stepId: ask.stepId, value, comment }, customer) : undefined;
}
