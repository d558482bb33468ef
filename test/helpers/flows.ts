import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { AskKind, Filter, Flow, Step, StepBody, Trigger, Weekday } from '../../src/flows/flow-types.js';
import { hashFlow, loadFlows } from '../../src/flows/load-flows.js';

const DAY = 86_400_000;

/** The flows shipped in flows/, as a seller gets them. */
export const SHIPPED_FLOWS: Flow[] = loadFlows(path.resolve(import.meta.dirname, '../../flows'), { locale: 'pt-BR' }).flows;

/**
 * A seller's own flow files (file name to YAML), loaded as the service loads
 * FLOWS_DIR at start: defaults filled in, templates checked. A flow that does
 * not load fails the test with the loader's errors.
 */
export function flowsFromYaml(files: Record<string, string>): Flow[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-flows-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const { flows, errors } = loadFlows(dir, { locale: 'pt-BR' });
    expect(errors).toEqual([]);
    return flows;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One step of a built flow: without `next` it goes on to the step after it, the last one to 'end'. */
export interface StepSpec {
  id: string;
  body: StepBody;
  next?: string;
  maxLatenessMs?: number;
}

export const step = (id: string, body: StepBody, extra: Omit<StepSpec, 'id' | 'body'> = {}): StepSpec => ({ id, body, ...extra });

/**
 * A flow as load-flows.ts would give it, built without YAML: started by every
 * purchase unless `trigger` says otherwise, every message late by at most
 * `maxLatenessMs` (3 days) unless its step says otherwise, hashed as the
 * loader hashes.
 */
export function buildFlow(
  id: string,
  specs: StepSpec[],
  options: { trigger?: Trigger; filter?: Partial<Filter>; version?: number; name?: string; maxLatenessMs?: number; enabled?: false } = {},
): Flow {
  const steps = specs.map(
    (spec, index): Step =>
      ({
        ...spec.body,
        id: spec.id,
        next: spec.next ?? specs[index + 1]?.id ?? 'end',
        maxLatenessMs: spec.maxLatenessMs ?? options.maxLatenessMs ?? 3 * DAY,
        line: index + 1,
      }),
  );
  const flow: Flow = {
    id,
    version: options.version ?? 1,
    name: options.name ?? id,
    trigger: options.trigger ?? { type: 'purchase', products: null },
    filter: { tagsAll: [], tagsNone: [], products: null, consent: null, ...options.filter },
    ...(options.enabled === false ? { enabled: false as const } : {}),
    steps,
    file: `${id}.yaml`,
    hash: '',
  };
  return { ...flow, hash: hashFlow(flow) };
}

/** A step that sends a text (its own type, so that a test can add `cold` to it). */
export const sendText = (text: string): Extract<StepBody, { kind: 'send' }> => ({ kind: 'send', text, image: null });

/** A step that waits a fixed time. */
export const waitFor = (ms: number): StepBody => ({ kind: 'wait', wait: { kind: 'for', ms } });

/** A local time "HH:MM" as triggers and waits hold it: minutes since midnight. */
export function minuteOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/** A step that waits at least `afterMs`, then until the local time "HH:MM" (on one of `weekdays` when given). */
export const waitUntil = (afterMs: number, time: string, weekdays: Weekday[] | null = null): StepBody => ({
  kind: 'wait',
  wait: { kind: 'until', afterMs, at: minuteOfDay(time), weekdays },
});

type AskBody = Extract<StepBody, { kind: 'ask' }>;

/** A question of `kind` ("Question?", typed, no reminder, 3 days to answer); `extra` overrides any of it. */
export const ask = (kind: AskKind, extra: Partial<Omit<AskBody, 'kind' | 'ask'>> = {}): AskBody => ({
  kind: 'ask',
  ask: kind,
  question: 'Question?',
  poll: false,
  options: [],
  reminder: null,
  timeoutMs: 3 * DAY,
  branches: {},
  ...extra,
});
