/**
 * The flows the service runs, loaded again whenever a flow file changes
 * (issue 20): after a save from the pages (reload) and when FLOWS_DIR changes
 * on disk (watch). The same loader as the start reads the folder; a valid
 * file is taken at once (new runs take the new version, runs under way keep
 * theirs: they follow their stored version); a broken file keeps its flow at
 * the last valid version until it is fixed, its errors shown and logged once.
 * What runs is handed over through `apply` (the assembly gives it the flow
 * runner), so this layer never reaches into the scheduler.
 */
import fs from 'node:fs';
import { messageOf } from '../domain/errors.js';
import { translator, type Locale } from '../i18n/index.js';
import type { LiveFlowControl, LiveFlowState } from './flow-editing.js';
import type { Flow } from './flow-types.js';
import { formatFlowErrors, loadFlows, type FlowError } from './load-flows.js';

export interface LiveFlowsOptions {
  /** FLOWS_DIR. */
  dir: string;
  locale: Locale;
  /** The flows the service started with (already loaded and valid). */
  initial: readonly Flow[];
  clock: { now(): number };
  log: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
  /** The flows new enrolments use from now on: called only when a flow's id, content, switch or file changed. */
  apply: (flows: Flow[]) => void;
  /**
   * How many runs of a flow are still under way. A flow whose file was removed starts no new runs; while
   * some of its runs remain it is listed in `kept` (marked `removed`). Without it, removed flows are not listed.
   */
  openRuns?: (flowId: string) => number;
}

export interface WatchOptions {
  /** How long the folder must stay quiet before it is read (editors write in several steps). Default 300 ms. */
  settleMs?: number;
  /** When the folder cannot be watched (removed, unreadable), how often to try again. Default 5 s. */
  retryMs?: number;
}

/** A flow kept at its last valid version; `removed` when its file is gone and only its runs under way go on. */
export type KeptFlow = LiveFlowState['kept'] extends ReadonlyMap<string, infer Kept> ? Kept : never;

export class LiveFlows implements LiveFlowControl {
  readonly #o: LiveFlowsOptions;
  readonly #t: ReturnType<typeof translator>;
  /** The flows new enrolments use now, by id. */
  #current: Map<string, Flow>;
  /** Flows whose file was removed while runs of them remained. */
  readonly #removed = new Map<string, KeptFlow>();
  #state: LiveFlowState;
  /** The errors as last logged, so that each change is logged once. */
  #errorsLogged = '';

  constructor(options: LiveFlowsOptions) {
    this.#o = options;
    this.#t = translator(options.locale);
    this.#current = new Map(options.initial.map((flow) => [flow.id, flow]));
    this.#state = { errors: [], kept: new Map(), loadedAt: options.clock.now() };
  }

  /** The flows new enrolments use now. */
  get flows(): Flow[] {
    return [...this.#current.values()];
  }

  state(): LiveFlowState {
    return this.#state;
  }

  reload(): LiveFlowState {
    const { dir, locale, clock } = this.#o;
    const { flows: valid, errors } = loadFlows(dir, { locale });
    const kept = new Map<string, KeptFlow>();
    let next: Map<string, Flow>;
    if (errors.some((error) => error.file === dir)) {
      // The folder itself is gone or unreadable: everything goes on as it was until it is back.
      next = new Map(this.#current);
      for (const flow of next.values()) kept.set(flow.id, { file: flow.file, version: flow.version });
    } else {
      next = this.#merge(valid, errors, kept);
    }

    if (signature(next) !== signature(this.#current)) {
      const changes = this.#describeChanges(this.#current, next);
      // Applied first: if the runner refuses, nothing here pretends it runs.
      this.#o.apply(sortByFile([...next.values()]));
      this.#current = next;
      this.#o.log('info', this.#t('log.flows_live.changed', { changes: changes.join(', ') }), {
        flows: [...next.values()].map((flow) => `${flow.id}@${flow.version}`),
      });
    }
    this.#logErrors(errors, kept);
    this.#state = { errors, kept, loadedAt: clock.now() };
    return this.#state;
  }

  /**
   * Watches FLOWS_DIR and reloads once it has been quiet for `settleMs`. The
   * watcher's own failures (the folder removed) are logged and retried, never
   * thrown. Returns the function that stops watching.
   */
  watch(options: WatchOptions = {}): () => void {
    const settleMs = options.settleMs ?? 300;
    const retryMs = options.retryMs ?? 5_000;
    const { dir, log } = this.#o;
    let watcher: fs.FSWatcher | undefined;
    let settling: NodeJS.Timeout | undefined;
    let retrying: NodeJS.Timeout | undefined;
    let stopped = false;
    /** The watcher's last failure as logged: a retry that fails the same way is not logged again. */
    let failure = '';
    const failed = (error: unknown) => {
      const detail = codeOf(error);
      if (detail === failure) return;
      failure = detail;
      log('error', this.#t('log.flows_live.watch_failed', { dir, detail, seconds: Math.ceil(retryMs / 1000) }), { err: error });
    };

    const reload = () => {
      settling = undefined;
      if (stopped) return;
      try {
        const state = this.reload();
        // The folder went away under the watcher: watch it again once it is back.
        if (state.errors.some((error) => error.file === dir)) lost();
      } catch (error) {
        log('error', this.#t('log.flows_live.reload_failed', { dir, detail: messageOf(error) }), { err: error });
      }
    };
    const settle = () => {
      if (stopped) return;
      if (settling !== undefined) clearTimeout(settling);
      settling = setTimeout(reload, settleMs);
      settling.unref();
    };
    const open = (): boolean => {
      try {
        // Holds the process like any open handle: the assembly's close() stops it.
        watcher = fs.watch(dir, settle);
      } catch (error) {
        failed(error);
        return false;
      }
      failure = '';
      watcher.on('error', (error) => {
        failed(error);
        lost();
        settle();
      });
      return true;
    };
    const lost = () => {
      watcher?.close();
      watcher = undefined;
      if (stopped || retrying !== undefined) return;
      retrying = setTimeout(function retry() {
        retrying = undefined;
        if (stopped) return;
        if (fs.existsSync(dir) && open()) {
          settle();
          return;
        }
        retrying = setTimeout(retry, retryMs);
        retrying.unref();
      }, retryMs);
      retrying.unref();
    };

    if (!open()) lost();
    return () => {
      stopped = true;
      if (settling !== undefined) clearTimeout(settling);
      if (retrying !== undefined) clearTimeout(retrying);
      watcher?.close();
      watcher = undefined;
    };
  }

  /**
   * The flows from now on: every valid file's flow, except that a flow whose
   * own file is broken now keeps the version it runs (even if another file
   * claims its id); a flow whose file is gone leaves (its runs under way finish).
   */
  #merge(valid: readonly Flow[], errors: readonly FlowError[], kept: Map<string, KeptFlow>): Map<string, Flow> {
    const brokenFiles = new Set(errors.map((error) => error.file));
    const chosen: Flow[] = [];
    for (const flow of this.#current.values()) {
      if (!brokenFiles.has(flow.file)) continue;
      chosen.push(flow);
      kept.set(flow.id, { file: flow.file, version: flow.version });
    }
    for (const flow of valid) if (!kept.has(flow.id)) chosen.push(flow);
    const next = new Map(sortByFile(chosen).map((flow) => [flow.id, flow]));

    for (const flow of this.#current.values()) {
      if (next.has(flow.id)) continue;
      const runs = this.#o.openRuns?.(flow.id) ?? 0;
      if (runs === 0) continue;
      this.#removed.set(flow.id, { file: flow.file, version: flow.version, removed: true });
      this.#o.log('warn', this.#t('log.flow_removed_with_runs', { id: flow.id, runs }), { flowId: flow.id, runs });
    }
    for (const [id, flow] of this.#removed) {
      // Back in the folder, or its last runs ended: nothing left to say.
      if (next.has(id) || (this.#o.openRuns?.(id) ?? 0) === 0) this.#removed.delete(id);
      else if (!kept.has(id)) kept.set(id, flow);
    }
    return next;
  }

  #describeChanges(before: ReadonlyMap<string, Flow>, after: ReadonlyMap<string, Flow>): string[] {
    const t = this.#t;
    const changes: string[] = [];
    for (const flow of after.values()) {
      const old = before.get(flow.id);
      if (old === undefined) {
        changes.push(t('log.flows_live.added', { id: flow.id, version: flow.version }));
        continue;
      }
      if (old.hash !== flow.hash) {
        changes.push(
          old.version === flow.version
            ? t('log.flows_live.same_version', { id: flow.id, version: flow.version })
            : t('log.flows_live.new_version', { id: flow.id, from: old.version, to: flow.version }),
        );
      }
      if ((old.enabled === false) !== (flow.enabled === false)) changes.push(t(flow.enabled === false ? 'log.flows_live.off' : 'log.flows_live.on', { id: flow.id }));
      if (old.file !== flow.file) changes.push(t('log.flows_live.moved', { id: flow.id, file: flow.file }));
    }
    for (const flow of before.values()) if (!after.has(flow.id)) changes.push(t('log.flows_live.removed', { id: flow.id }));
    return changes;
  }

  /** Once per change: the files' errors and what runs meanwhile, or that they were fixed. */
  #logErrors(errors: readonly FlowError[], kept: ReadonlyMap<string, KeptFlow>): void {
    const t = this.#t;
    const { dir, log } = this.#o;
    const text = formatFlowErrors([...errors]);
    if (text === this.#errorsLogged) return;
    const hadErrors = this.#errorsLogged !== '';
    this.#errorsLogged = text;
    if (errors.length === 0) {
      if (hadErrors) log('info', t('log.flows_live.fixed'));
      return;
    }
    const lines: string[] = [];
    for (const file of new Set(errors.map((error) => error.file))) {
      if (file === dir) {
        lines.push(t('log.flows_live.folder', { dir }));
        continue;
      }
      const flows = [...kept].filter(([, flow]) => flow.file === file && flow.removed === undefined);
      if (flows.length === 0) lines.push(t('log.flows_live.not_loaded', { file }));
      for (const [id, flow] of flows) lines.push(t('log.flows_live.kept', { file, id, version: flow.version }));
    }
    log('warn', `${lines.join('\n')}\n${text}`, { errors: errors.length });
  }
}

/** What decides whether the runner gets new flows: each flow's id, content, switch and file. */
function signature(flows: ReadonlyMap<string, Flow>): string {
  return [...flows.values()]
    .map((flow) => [flow.id, flow.hash, flow.enabled === false ? 'off' : 'on', flow.file].join('\u0000'))
    .sort()
    .join('\n');
}

function sortByFile(flows: Flow[]): Flow[] {
  return flows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? messageOf(error);
}
