import { nextLocalTime } from '../../domain/local-time.js';
import type { Wait } from '../flow-types.js';
import type { StepInput, StepResult } from './types.js';

export function computeWake(wait: Wait, from: number, timezone: string): number {
  if (wait.kind === 'for') return from + wait.ms;
  return nextLocalTime(from + wait.afterMs, wait.at, timezone, wait.weekdays);
}

export function runWait(input: StepInput & { step: { kind: 'wait' } }): StepResult {
  return { kind: 'sleep', next: input.step.next, wakeAt: computeWake(input.step.wait, input.at, input.ctx.timezone), effects: [] };
}
