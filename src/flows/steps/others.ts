import type { StepInput, StepResult } from './types.js';
import { isStale, message } from './types.js';

export function runAlertOwner(input: StepInput & { step: { kind: 'alert_owner' } }): StepResult {
  const { step, ctx } = input;
  if (isStale(input)) return { kind: 'continue', next: step.next, effects: [{ kind: 'expired', stepId: step.id, dueAt: input.at }] };
  return { kind: 'continue', next: step.next, effects: [message(input, 'owner', { kind: 'text', text: ctx.render(step.text, ctx.template) })] };
}

export function runTag(input: StepInput & { step: { kind: 'tag' | 'untag' } }): StepResult {
  const { step } = input;
  return { kind: 'continue', next: step.next, effects: [{ kind: step.kind, tags: step.tags }] };
}

export function runGoto(input: StepInput & { step: { kind: 'goto' } }): StepResult {
  return { kind: 'continue', next: input.step.target, effects: [] };
}

export function runEnd(): StepResult {
  return { kind: 'end', reason: 'completed', effects: [] };
}
