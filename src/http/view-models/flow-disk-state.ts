import type { LiveFlowState } from '../../flows/flow-editing.js';
import type { Flow } from '../../flows/flow-types.js';
import { type Locale, translator } from '../../i18n/index.js';

/** A problem of a flow file as the Fluxos page lists it: where, the place in the flow in words (a step by its id), and why. */
export interface FlowErrorView {
  place: string;
  path: string;
  message: string;
}

/**
 * How the flow files stand now, as the service runs them (live-flows.ts loads
 * every change at once): a flow whose file is broken keeps its last valid
 * version until the file is fixed, and the files' errors are listed.
 */
export interface FlowsOnDisk {
  /** What a running flow's file says now: that it is broken and which version goes on; null when all is well. */
  diskState: (flow: Flow) => string | null;
  errors: FlowErrorView[];
  /** Notices about flows not in the list: a flow whose file was removed while customers are still in it. */
  added: string[];
}

/** The live flows' state (undefined: the service does not reload flows) as the Fluxos page says it. */
export function describeLiveFlows(running: readonly Flow[], state: LiveFlowState | undefined, locale: Locale): FlowsOnDisk {
  const t = translator(locale);
  const kept = state?.kept ?? new Map<string, { file: string; version: number; removed?: true }>();
  const diskState = (flow: Flow): string | null => {
    const entry = kept.get(flow.id);
    if (entry === undefined || entry.removed) return null;
    return t('page.flows.disk.broken', { file: entry.file, id: flow.id, version: entry.version });
  };
  const runningIds = new Set(running.map((flow) => flow.id));
  const added = [...kept]
    .filter(([id, entry]) => entry.removed && !runningIds.has(id))
    .map(([id, entry]) => t('page.flows.disk.gone', { file: entry.file, id, version: entry.version }));
  const errors = (state?.errors ?? []).map((error) => ({
    place: error.line > 0 ? t('page.flows.error_place', { file: error.file, line: error.line, column: error.column }) : error.file,
    path: error.where,
    message: error.message,
  }));
  return { diskState, errors, added };
}
