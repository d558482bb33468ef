import type { StepInput, StepResult } from './types.js';
import { expired, isStale, message } from './types.js';

export function runAlertOwner(input: StepInput & { step: { kind: 'alert_owner' } }): StepResult {
  const { step, ctx } = input;
  const content = { kind: 'text', text: ctx.render(step.text, ctx.template) } as const;
  return { kind: 'continue', next: step.next, effects: [(isStale(input) ? expired : message)(input, 'owner', content)] };
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
