/**
 * What the Fluxos page's editor and the flow files agree on (issue 20): a
 * draft is the editor's view of one flow file; saving applies it to the file's
 * YAML document, so comments and layout stay; the same loader validates it.
 * The flow files are the source of truth: the editor only ever writes them,
 * and the service loads them again at once (live-flows.ts).
 */
import type { FlowError } from './load-flows.js';

/** The editor's view of a flow file: what it lets a seller change. */
export interface FlowDraft {
  name: string;
  /** false writes `enabled: false`; true removes the key (on is the default). */
  enabled: boolean;
  /**
   * The trigger's editable keys in the file's own terms (`products`, `days`, `days_before`, `at`);
   * a key set to null is removed; a key absent is left as it is. The trigger's `type` is not edited.
   */
  trigger: Record<string, unknown>;
  /** The steps in their new order. */
  steps: StepDraft[];
}

export interface StepDraft {
  /**
   * The index of this step in the file as it was read (its comments and the keys the editor does
   * not manage travel with it); null for a step added in the editor.
   */
  from: number | null;
  /**
   * The step in the file's own keys (docs/flows.md), only those the editor manages: `id`, `next`,
   * `send` (a text), `ask` (`kind`, `question`, `options`, `poll`, `reminder: { after, text }`,
   * `timeout`, `branches`), `wait` (a duration such as "3d" or `{ for, until, weekdays }`),
   * `alert_owner`, `tag`, `untag`, `goto`, `end`. A key set to null is removed (in `ask`, too:
   * `reminder: null`); a key absent is left as the file has it. A `send` that is not a text (an
   * image with a caption) is not managed: the editor leaves it out.
   */
  step: Record<string, unknown>;
}

/** A flow file as the editor reads it. */
export interface FlowFileRead {
  /** Relative to FLOWS_DIR. */
  file: string;
  source: string;
  /** sha256 of the file's bytes when read: a save names it, and a save over another one is a conflict. */
  revision: string;
  version: number;
  draft: FlowDraft;
}

export type SaveResult =
  | { ok: true; file: string; version: number; revision: string }
  /** The file changed since `revision` was read (another editor, or someone on disk): nothing written. */
  | { ok: false; reason: 'conflict'; current: { revision: string; version: number } }
  /**
   * The loader refused the new text: nothing written. Each error's `path` names the field
   * ("steps[3].ask.question") in the new order of the draft's steps.
   */
  | { ok: false; reason: 'invalid'; errors: FlowError[]; source: string }
  | { ok: false; reason: 'not_found' };

/** A file kept in DATA_DIR/flow-history/<flow id>/ before a save or a restore replaced it. */
export interface HistoryEntry {
  /** The file's name in the flow's history folder: what `restore` takes. */
  entry: string;
  version: number;
  /** When it was replaced (ms since the epoch). */
  savedAt: number;
}

/** A ready flow to start from: the four shipped ones and the gallery's own. */
export interface GalleryItem {
  /** The template's flow id; a new flow takes it, or it with "-2", "-3"… when taken. */
  id: string;
  name: string;
  /** What it does, for the seller (the template's first comment lines). */
  description: string;
  source: string;
}

/** Reads and writes the flow files for the editor; every write validated by the loader first. */
export interface FlowFileStore {
  read(id: string): FlowFileRead | undefined;
  save(id: string, draft: FlowDraft, revision: string): SaveResult;
  /** Writes `enabled`, nothing else (the list's switch); the version is raised like any save. */
  setEnabled(id: string, enabled: boolean, revision: string): SaveResult;
  gallery(): GalleryItem[];
  /** A new file FLOWS_DIR/<new id>.yaml from a gallery item, with `version: 1`. */
  create(galleryId: string, options?: { id?: string; name?: string }): SaveResult & { id?: string };
  /** Newest first. */
  history(id: string): HistoryEntry[];
  /** The kept file's text, for showing it before restoring. */
  historySource(id: string, entry: string): string | undefined;
  /** The kept file back, its version raised past the current one; the current file goes to history. */
  restore(id: string, entry: string, revision: string): SaveResult;
}

/** The flows the service runs now, loaded again whenever a flow file changes. */
export interface LiveFlowState {
  /** Problems of the files on disk now (empty when every file is valid). */
  errors: readonly FlowError[];
  /**
   * Flows still running at their last valid version because their file is broken now
   * (or was removed while runs remain): id → the file and the version kept.
   */
  kept: ReadonlyMap<
    string,
    {
      file: string;
      version: number;
      /** Its file was removed: it starts no new runs; only the runs under way go on, to their end. */
      removed?: true;
    }
  >;
  /** When the folder was last read (ms since the epoch). */
  loadedAt: number;
}

export interface LiveFlowControl {
  state(): LiveFlowState;
  /** Reads FLOWS_DIR again now (after a save from the pages); the watcher calls it on its own. */
  reload(): LiveFlowState;
}
