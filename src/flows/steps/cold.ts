import type { ColdChoice, Flow, Step } from '../flow-types.js';

/** A step that sends the customer a message, and so has a `cold:` choice. */
export type MessageStep = Step & { kind: 'send' | 'ask' };

/** What happens to a message step now: it runs (sends), it is skipped, or it waits for the customer to write until `until`. */
export type ColdDecision = { kind: 'run' } | { kind: 'skip' } | { kind: 'wait'; until: number };

const SEND: ColdChoice = { kind: 'send' };

export function isMessageStep(step: Step): step is MessageStep {
  return step.kind === 'send' || step.kind === 'ask';
}

/** The step's own choice, else the flow's, else send (today's behaviour; also for versions stored before `cold` existed). */
export function coldChoiceOf(step: MessageStep, flow: Flow): ColdChoice {
  return step.cold ?? flow.cold ?? SEND;
}

/**
 * What a message step due at `at` does for this customer. A warm customer
 * always gets it: WhatsApp only limits chats the shop starts. `decided` is the
 * outcome of a wait that already ended (the customer wrote, or time ran out):
 * the step then does not wait again.
 */
export function decideCold(step: MessageStep, flow: Flow, contact: 'warm' | 'cold', at: number, decided?: 'run' | 'skip'): ColdDecision {
  if (decided) return { kind: decided };
  if (contact === 'warm') return { kind: 'run' };
  const choice = coldChoiceOf(step, flow);
  switch (choice.kind) {
    case 'send':
      return { kind: 'run' };
    case 'skip':
      return { kind: 'skip' };
    case 'wait_for_contact':
      return { kind: 'wait', until: at + choice.ms };
  }
}
