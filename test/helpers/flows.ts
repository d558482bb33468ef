import type { Filter, Flow, Step, StepBody } from '../../src/flows/flow-types.js';
import { hashFlow } from '../../src/flows/load-flows.js';

const DAY = 86_400_000;

/** A flow started by every purchase, its steps in order, each late by at most its third element (3 days by default). */
export function purchaseFlow(id: string, bodies: [string, StepBody, number?][], filter: Partial<Filter> = {}): Flow {
  const steps = bodies.map(
    ([stepId, body, maxLatenessMs], index): Step =>
      ({ ...body, id: stepId, next: bodies[index + 1]?.[0] ?? 'end', maxLatenessMs: maxLatenessMs ?? 3 * DAY, line: index + 1 }),
  );
  const flow: Flow = {
    id,
    version: 1,
    name: id,
    trigger: { type: 'purchase', products: null },
    filter: { tagsAll: [], tagsNone: [], products: null, consent: null, ...filter },
    steps,
    file: `${id}.yaml`,
    hash: '',
  };
  return { ...flow, hash: hashFlow(flow) };
}

/** A step that sends a text. */
export const sendText = (value: string): StepBody => ({ kind: 'send', text: value, image: null });
