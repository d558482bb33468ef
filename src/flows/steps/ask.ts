import type { AskKind, Step } from '../flow-types.js';
import type { StepInput, StepResult } from './types.js';
import { expired, isStale, message, skipped } from './types.js';

type AskStep = Step & { kind: 'ask' };

const NPS_OPTIONS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
const CSAT_OPTIONS = ['1', '2', '3', '4', '5'];

/** The options a poll shows, in order; an answer by vote is read back against them. */
export function pollOptions(step: AskStep, labels: { yes: string; no: string }): string[] | null {
  if (!step.poll) return null;
  switch (step.ask) {
    case 'nps':
      return NPS_OPTIONS;
    case 'csat':
      return CSAT_OPTIONS;
    case 'yes_no':
      return [labels.yes, labels.no];
    case 'choice':
      return step.options.map((option) => option.label);
    case 'text':
    case 'referral':
    case 'birthday':
      return null;
  }
}

/**
 * Where an answer leads (docs/flows.md): nps 0–6 detractor, 7–8 passive, 9–10
 * promoter; csat 1–2 unhappy, 3 neutral, 4–5 happy; yes_no yes / no; choice the
 * option's key; text, referral and birthday: answered. Null: not an answer of
 * this kind (the inbox parses replies into these values before they get here).
 */
export function outcomeOf(kind: AskKind, value: string, optionKeys: string[]): string | null {
  switch (kind) {
    case 'nps': {
      const score = scoreOf(value);
      if (score === null || score > 10) return null;
      return score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter';
    }
    case 'csat': {
      const score = scoreOf(value);
      if (score === null || score < 1 || score > 5) return null;
      return score <= 2 ? 'unhappy' : score === 3 ? 'neutral' : 'happy';
    }
    case 'yes_no':
      return value === 'yes' || value === 'no' ? value : null;
    case 'choice':
      return optionKeys.includes(value) ? value : null;
    case 'text':
    case 'referral':
    case 'birthday':
      return value.trim() === '' ? null : 'answered';
  }
}

/** A score written as plain digits: "" is not 0, and "0x9" or "1e1" are not scores. */
function scoreOf(value: string): number | null {
  const text = value.trim();
  return /^\d{1,2}$/.test(text) ? Number(text) : null;
}

export function runAsk(input: StepInput & { step: AskStep }): StepResult {
  const { step, ctx } = input;
  const question = ctx.render(step.question, ctx.template);
  const options = pollOptions(step, ctx.yesNoLabels);
  const content = options ? ({ kind: 'poll', question, options, selectableCount: 1 } as const) : ({ kind: 'text', text: question } as const);
  // A question not asked (a cold customer, cold: skip) or asked too late to be answered counts as not answered.
  if (input.skipMessage) return { kind: 'continue', next: step.branches.no_answer ?? step.next, effects: [skipped(input, content)] };
  if (isStale(input)) return { kind: 'continue', next: step.branches.no_answer ?? step.next, effects: [expired(input, 'customer', content)] };
  const effect = message(input, 'customer', content);
  const messageId = effect.kind === 'message' ? effect.messageId : '';
  return {
    kind: 'ask',
    open: {
      stepId: step.id,
      kind: step.ask,
      messageId,
      pollOptions: options,
      askedAt: input.at,
      remindAt: step.reminder ? input.at + step.reminder.afterMs : null,
      timeoutAt: input.at + step.timeoutMs,
    },
    effects: [effect],
  };
}
