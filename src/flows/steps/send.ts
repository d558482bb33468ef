import type { StepInput, StepResult } from './types.js';
import { expired, isStale, message, skipped } from './types.js';

export function runSend(input: StepInput & { step: { kind: 'send' } }): StepResult {
  const { step, ctx } = input;
  const text = step.text === null ? null : ctx.render(step.text, ctx.template);
  const content = step.image
    ? ({ kind: 'image', file: step.image.file, caption: step.image.caption === null ? text : ctx.render(step.image.caption, ctx.template) } as const)
    : ({ kind: 'text', text: text ?? '' } as const);
  if (input.skipMessage) return { kind: 'continue', next: step.next, effects: [skipped(input, content)] };
  return { kind: 'continue', next: step.next, effects: [(isStale(input) ? expired : message)(input, 'customer', content)] };
}
