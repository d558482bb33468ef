import type { Flow } from '../../flows/flow-types.js';
import type { FlowError } from '../../flows/load-flows.js';
import { type Locale, translator } from '../../i18n/index.js';

/** A problem of a flow file as the Fluxos page lists it: where, the place in the flow in words (a step by its id), and why. */
export interface FlowErrorView {
  place: string;
  path: string;
  message: string;
}

/**
 * The flows folder as it is now, against the flows the service loaded at
 * start (it keeps those until it is restarted): how each loaded flow's file
 * stands, the files' errors, and the flows that would be new.
 */
export interface FlowsOnDisk {
  /** How the file of a loaded flow stands now; null when it is the same. */
  diskState: (flow: Flow) => string | null;
  errors: FlowErrorView[];
  /** Flows in the folder that the service does not run yet. */
  added: string[];
}

export function compareWithDisk(loaded: readonly Flow[], disk: { flows: readonly Flow[]; errors: readonly FlowError[] }, locale: Locale): FlowsOnDisk {
  const t = translator(locale);
  const byId = new Map(disk.flows.map((flow) => [flow.id, flow]));
  const brokenFiles = new Set(disk.errors.map((error) => error.file));
  const diskState = (flow: Flow): string | null => {
    const now = byId.get(flow.id);
    if (now) {
      if (now.hash === flow.hash) return null;
      const changed = t('page.flows.disk.changed', { file: now.file, from: flow.version, to: now.version });
      return now.version === flow.version ? `${changed} ${t('page.flows.disk.same_version', { version: flow.version })}` : changed;
    }
    if (brokenFiles.has(flow.file)) return t('page.flows.disk.broken', { file: flow.file });
    return t('page.flows.disk.gone', { file: flow.file });
  };
  const loadedIds = new Set(loaded.map((flow) => flow.id));
  const added = disk.flows.filter((flow) => !loadedIds.has(flow.id)).map((flow) => t('page.flows.disk.new', { name: flow.name, id: flow.id, file: flow.file }));
  const errors = disk.errors.map((error) => ({
    place: error.line > 0 ? t('page.flows.error_place', { file: error.file, line: error.line, column: error.column }) : error.file,
    path: error.where,
    message: error.message,
  }));
  return { diskState, errors, added };
}
