import type { Step } from './flow-types.js';
import type { ContactWait, Run, RunState } from './run-types.js';
import { outcomeOf, runAsk } from './steps/ask.js';
import { coldChoiceOf, decideCold, isMessageStep } from './steps/cold.js';
import { runAlertOwner, runEnd, runGoto, runTag } from './steps/others.js';
import { runSend } from './steps/send.js';
import { expired, isStale, message, missingSetting, skipped, type Effect, type EngineContext, type StepInput, type StepResult } from './steps/types.js';
import { runWait } from './steps/wait.js';

export type { Effect, EngineContext, FlowContent } from './steps/types.js';

export type EngineEvent =
  /** The run's wake_at has come: a wait ended, a reminder or a timeout is due. */
  | { kind: 'due' }
  /** The open question's time ran out with no answer: its no_answer branch. Ignored before its timeout. */
  | { kind: 'timeout'; stepId: string }
  /** The customer replied twice and neither could be read as the answer: the no_answer branch now, the reply kept as the comment. */
  | { kind: 'unreadable'; stepId: string; comment: string }
  /** The customer answered the open question (value already parsed: "9", "yes", an option key, a text). */
  | { kind: 'answer'; stepId: string; value: string; comment: string }
  /** The customer wrote to the shop (they are warm now): a message step waiting for contact runs at once. */
  | { kind: 'contact' }
  /** The customer asked not to be messaged again. */
  | { kind: 'opt_out' }
  | { kind: 'cancel'; reason: string };

export interface Advanced {
  run: Run;
  effects: Effect[];
}

/** More steps than this without a wait or a question is a flow going round in circles. */
const MAX_STEPS_PER_ADVANCE = 100;

/**
 * The flow engine: a pure function from (run, event, context) to the run after
 * it and what should happen (messages to queue, tags, expired steps). It never
 * sleeps, reads nothing and writes nothing; the scheduler stores its result in
 * one transaction.
 */
export function advance(run: Run, event: EngineEvent, ctx: EngineContext): Advanced {
  if (run.status !== 'waiting') return { run, effects: [] };
  switch (event.kind) {
    case 'opt_out':
      return { run: ended(run, 'cancelled', 'opted_out', ctx.now), effects: [] };
    case 'cancel':
      return { run: ended(run, 'cancelled', event.reason, ctx.now), effects: [] };
    case 'answer':
      return answer(run, event, ctx);
    case 'timeout':
      return timeout(run, event.stepId, ctx);
    case 'unreadable':
      return unreadable(run, event, ctx);
    case 'contact':
      return contact(run, ctx);
    case 'due':
      return due(run, ctx);
  }
}

/** A step the run ran before it waited, and how it runs now that the wait is over. */
interface Resumed {
  stepId: string;
  as: 'run' | 'skip';
}

function due(run: Run, ctx: EngineContext): Advanced {
  const wait = run.state.contactWait;
  if (wait) return contactWaitDue(run, wait, ctx);
  const ask = run.state.ask;
  if (!ask) {
    if (run.stepId === null) return { run: ended(run, 'done', 'completed', ctx.now), effects: [] };
    return execute(run, run.stepId, run.wakeAt ?? ctx.now, [], ctx);
  }
  const step = stepOf(ctx, ask.stepId);
  if (!step || step.kind !== 'ask') return { run: ended(run, 'done', 'step_missing', ctx.now), effects: [] };

  if (ctx.now >= ask.timeoutAt) return timeout(run, ask.stepId, ctx);
  if (ask.remindAt !== null && ctx.now >= ask.remindAt) {
    const effects: Effect[] = [];
    if (step.reminder) {
      const input: StepInput = { step, run, at: ask.remindAt, visit: run.state.visits[step.id] ?? 1, ctx };
      const content = { kind: 'text', text: ctx.render(step.reminder.text, ctx.template) } as const;
      // A reminder naming {{ shop.review_url }} while SHOP_REVIEW_URL is empty is recorded as skipped, like its question would be.
      const missing = missingSetting([step.reminder.text], ctx);
      if (missing) effects.push(skipped({ ...input, skipMessage: missing }, content, 'reminder'));
      else effects.push((isStale(input) ? expired : message)(input, 'customer', content, 'reminder'));
    }
    const state: RunState = { ...run.state, ask: { ...ask, remindAt: null } };
    return { run: touched({ ...run, state, wakeAt: ask.timeoutAt }, ctx.now), effects };
  }
  // Woken early (a tick that ran ahead of itself): nothing to do yet.
  return { run: { ...run, wakeAt: wakeOf(ask) }, effects: [] };
}

function timeout(run: Run, stepId: string, ctx: EngineContext): Advanced {
  const ask = run.state.ask;
  if (!ask || ask.stepId !== stepId || ctx.now < ask.timeoutAt) return { run, effects: [] };
  const step = stepOf(ctx, ask.stepId);
  if (!step || step.kind !== 'ask') return { run: ended(run, 'done', 'step_missing', ctx.now), effects: [] };
  const state: RunState = { ...run.state, ask: null };
  // Timed from when the question ran out, not from when a late tick noticed.
  return execute({ ...run, state }, step.branches.no_answer ?? step.next, ask.timeoutAt, [], ctx);
}

function unreadable(run: Run, event: Extract<EngineEvent, { kind: 'unreadable' }>, ctx: EngineContext): Advanced {
  const ask = run.state.ask;
  if (!ask || ask.stepId !== event.stepId) return { run, effects: [] };
  const step = stepOf(ctx, ask.stepId);
  if (!step || step.kind !== 'ask') return { run, effects: [] };
  const state: RunState = { ...run.state, ask: null, answer: { stepId: step.id, value: '', comment: event.comment, outcome: 'no_answer' } };
  const context = { ...ctx, template: { ...ctx.template, answer: { value: '', comment: event.comment } } };
  return execute({ ...run, state }, step.branches.no_answer ?? step.next, ctx.now, [], context);
}

function answer(run: Run, event: Extract<EngineEvent, { kind: 'answer' }>, ctx: EngineContext): Advanced {
  const ask = run.state.ask;
  // An answer to a question this run is not (or no longer) waiting on changes nothing.
  if (!ask || ask.stepId !== event.stepId) return { run, effects: [] };
  const step = stepOf(ctx, ask.stepId);
  if (!step || step.kind !== 'ask') return { run, effects: [] };
  const outcome = outcomeOf(step.ask, event.value, step.options.map((option) => option.key));
  if (outcome === null) return { run, effects: [] };
  const state: RunState = {
    ...run.state,
    ask: null,
    answer: { stepId: step.id, value: event.value, comment: event.comment, outcome },
  };
  const context = { ...ctx, template: { ...ctx.template, answer: { value: event.value, comment: event.comment } } };
  return execute({ ...run, state }, step.branches[outcome] ?? step.next, ctx.now, [], context);
}

/** The customer wrote while a message step waited for them: it runs now, for a warm customer. */
function contact(run: Run, ctx: EngineContext): Advanced {
  const wait = run.state.contactWait;
  if (!wait) return { run, effects: [] };
  return execute(withoutContactWait(run), wait.stepId, ctx.now, [], { ...ctx, contact: 'warm' }, { stepId: wait.stepId, as: 'run' });
}

/**
 * A message step's wait for contact is due. A customer who became warm
 * meanwhile (and whose run was not woken then) gets the message now; before
 * its end the wait goes on; at its end the step's `then` decides, timed from
 * the end of the wait.
 */
function contactWaitDue(run: Run, wait: ContactWait, ctx: EngineContext): Advanced {
  const waiting = withoutContactWait(run);
  if (ctx.contact === 'warm') return execute(waiting, wait.stepId, Math.min(ctx.now, wait.until), [], ctx, { stepId: wait.stepId, as: 'run' });
  // Woken early (a tick that ran ahead of itself): nothing to do yet.
  if (ctx.now < wait.until) return { run: { ...run, wakeAt: wait.until }, effects: [] };
  const step = stepOf(ctx, wait.stepId);
  if (!step || !isMessageStep(step)) return { run: ended(run, 'done', 'step_missing', ctx.now), effects: [] };
  const choice = coldChoiceOf(step, ctx.flow);
  const then = choice.kind === 'wait_for_contact' ? choice.then : 'send';
  if (then === 'send') return execute(waiting, step.id, wait.until, [], ctx, { stepId: step.id, as: 'run' });
  if (then === 'skip') return execute(waiting, step.id, wait.until, [], ctx, { stepId: step.id, as: 'skip' });
  return execute(waiting, then.goto, wait.until, [], ctx);
}

function withoutContactWait(run: Run): Run {
  const { contactWait: _done, ...state } = run.state;
  return { ...run, state };
}

/**
 * Runs steps from `target` at logical time `at` until one waits, asks or ends.
 * `resumed`: the first step already waited for contact and runs (or is skipped) without waiting again.
 */
function execute(start: Run, target: string, at: number, effects: Effect[], ctx: EngineContext, resumed?: Resumed): Advanced {
  let run = start;
  let next = target;
  for (let count = 0; count < MAX_STEPS_PER_ADVANCE; count += 1) {
    if (next === 'end') return { run: ended(run, 'done', 'completed', ctx.now), effects };
    const step = stepOf(ctx, next);
    if (!step) return { run: ended(run, 'done', 'step_missing', ctx.now), effects };

    const decided = count === 0 && resumed?.stepId === step.id ? resumed.as : undefined;
    const cold = isMessageStep(step) ? decideCold(step, ctx.flow, ctx.contact, at, decided) : ({ kind: 'run' } as const);
    if (cold.kind === 'wait') {
      // Not a visit yet: the step runs (and counts) when the wait ends.
      const state: RunState = { ...run.state, contactWait: { stepId: step.id, since: at, until: cold.until } };
      return { run: touched({ ...run, state, stepId: step.id, wakeAt: cold.until }, ctx.now), effects };
    }

    const visit = (run.state.visits[step.id] ?? 0) + 1;
    run = { ...run, state: { ...run.state, visits: { ...run.state.visits, [step.id]: visit } } };
    // A message naming a shop setting left empty (SHOP_REVIEW_URL) is skipped, whatever the customer: never sent with a blank link.
    const missing = isMessageStep(step) ? missingSetting(messageTemplates(step), ctx) : undefined;
    const result = runStep({ step, run, at, visit, ctx, skipMessage: missing ?? cold.kind === 'skip' });
    effects.push(...result.effects);

    switch (result.kind) {
      case 'continue':
        next = result.next;
        break;
      case 'sleep':
        return { run: touched({ ...run, stepId: result.next, wakeAt: result.wakeAt }, ctx.now), effects };
      case 'ask': {
        const state: RunState = { ...run.state, ask: result.open };
        return { run: touched({ ...run, state, stepId: null, wakeAt: wakeOf(result.open) }, ctx.now), effects };
      }
      case 'end':
        return { run: ended(run, 'done', result.reason, ctx.now), effects };
    }
  }
  // A flow going round in circles is stopped, and what it queued on the way is dropped: better
  // nothing than fifty copies of a message (the loader refuses such loops; this is the safety net).
  return { run: ended(run, 'done', 'loop_without_wait', ctx.now), effects: [] };
}

function runStep(input: StepInput): StepResult {
  const { step } = input;
  switch (step.kind) {
    case 'wait':
      return runWait({ ...input, step });
    case 'send':
      return runSend({ ...input, step });
    case 'ask':
      return runAsk({ ...input, step });
    case 'alert_owner':
      return runAlertOwner({ ...input, step });
    case 'tag':
    case 'untag':
      return runTag({ ...input, step });
    case 'goto':
      return runGoto({ ...input, step });
    case 'end':
      return runEnd();
  }
}

/** The templates of a message step that make what the customer receives now (a question's reminder is checked when it is due). */
function messageTemplates(step: Step): (string | null)[] {
  if (step.kind === 'send') return [step.text, step.image?.caption ?? null];
  return step.kind === 'ask' ? [step.question] : [];
}

function stepOf(ctx: EngineContext, id: string): Step | undefined {
  return ctx.flow.steps.find((step) => step.id === id);
}

function wakeOf(ask: { remindAt: number | null; timeoutAt: number }): number {
  return ask.remindAt === null ? ask.timeoutAt : Math.min(ask.remindAt, ask.timeoutAt);
}

function touched(run: Run, now: number): Run {
  return { ...run, updatedAt: now };
}

function ended(run: Run, status: 'done' | 'cancelled', reason: string, now: number): Run {
  const { contactWait: _waiting, ...state } = run.state;
  return { ...run, status, endReason: reason, stepId: null, wakeAt: null, state: { ...state, ask: null }, updatedAt: now, endedAt: now };
}
