/**
 * The flow files as the Fluxos page's editor reads and writes them (issue 20).
 * Every write is checked by the loader first and nothing is written when it
 * fails; the file being replaced is kept in DATA_DIR/flow-history/<flow id>/
 * first; a save names the revision it was made from, and one over another
 * save (or a change on disk) is a conflict, not a loss. Files are written
 * whole or not at all (a temporary file beside it, fsync, rename).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Locale } from '../i18n/index.js';
import { packagePath } from '../package-path.js';
import { syncDir } from '../storage/durable-files.js';
import type { Clock } from '../scheduler/clock.js';
import { applyDraft, applyEnabled, applyIdentity, applyVersion, draftOf, isEditable, versionOf } from './flow-draft.js';
import type { FlowDraft, FlowFileRead, FlowFileStore, GalleryItem, HistoryEntry, SaveResult } from './flow-editing.js';
import { claimedFlowId, listFlowFiles, loadFlowSource } from './load-flows.js';

export interface FlowFilesOptions {
  flowsDir: string;
  /** DATA_DIR/flow-history. */
  historyDir: string;
  locale: Locale;
  clock: Clock;
  /** Where the ready flows are, in the order the gallery shows them; a folder that is missing is skipped. */
  galleryDirs: string[];
}

/** A flow id as the loader takes it: also what keeps a name from the outside inside its folder. */
const FLOW_ID = /^[a-z0-9][a-z0-9-]{0,59}$/;
/** A kept file: `2026-11-20T12-00-00.000Z-v3.yaml` (and `-2` when two land in the same millisecond). */
const HISTORY_ENTRY = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2}(?:\.\d+)?)Z-v(\d+)(?:-\d+)?\.yaml$/;

interface Current {
  file: string;
  source: string;
  revision: string;
}

export class FlowFiles implements FlowFileStore {
  readonly #options: FlowFilesOptions;

  constructor(options: FlowFilesOptions) {
    this.#options = options;
  }

  read(id: string): FlowFileRead | undefined {
    const current = this.#current(id);
    if (current === undefined) return undefined;
    return { ...current, version: versionOf(current.source), draft: draftOf(current.source) };
  }

  save(id: string, draft: FlowDraft, revision: string): SaveResult {
    return this.#replace(id, revision, (source) => applyDraft(source, draft));
  }

  setEnabled(id: string, enabled: boolean, revision: string): SaveResult {
    return this.#replace(id, revision, (source) => applyEnabled(source, enabled));
  }

  gallery(): GalleryItem[] {
    const items: GalleryItem[] = [];
    for (const dir of this.#options.galleryDirs) {
      let names: string[];
      try {
        names = listFlowFiles(dir).filter((name) => name.endsWith('.yaml'));
      } catch {
        continue;
      }
      for (const name of names) {
        let source: string;
        try {
          source = fs.readFileSync(path.join(dir, name), 'utf8');
        } catch {
          continue;
        }
        const id = claimedFlowId(path.join(dir, name));
        // The first folder's template wins: the shipped flows before the gallery's.
        if (id === null || items.some((item) => item.id === id)) continue;
        items.push({ id, name: draftOf(source).name, description: leadingComment(source), source });
      }
    }
    return items;
  }

  create(galleryId: string, options: { id?: string; name?: string } = {}): SaveResult & { id?: string } {
    const template = this.gallery().find((item) => item.id === galleryId);
    if (template === undefined || !isEditable(template.source)) return { ok: false, reason: 'not_found' };
    const wanted = options.id ?? template.id;
    // A file written meanwhile under the name chosen is someone else's: the next free name is taken.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const id = FLOW_ID.test(wanted) ? uniqueId(wanted, this.#takenIds()) : wanted;
      const suffix = id === wanted ? '' : id.slice(id.lastIndexOf('-') + 1);
      const name = options.name ?? (suffix === '' ? template.name : `${template.name} ${suffix}`);
      const source = applyIdentity(template.source, { id, name, version: 1 });
      // An id the loader refuses names no file: its errors are reported against the template's.
      const file = `${FLOW_ID.test(id) ? id : template.id}.yaml`;
      const { errors } = loadFlowSource(this.#options.flowsDir, file, source, { locale: this.#options.locale });
      if (errors.length > 0) return { ok: false, reason: 'invalid', errors, source };
      try {
        writeNew(path.join(this.#options.flowsDir, file), source);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      return { ok: true, file, version: 1, revision: revisionOf(source), id };
    }
    throw new Error(`flow-files: no free file name for ${wanted}`);
  }

  history(id: string): HistoryEntry[] {
    if (!FLOW_ID.test(id)) return [];
    let names: string[];
    try {
      names = fs.readdirSync(path.join(this.#options.historyDir, id));
    } catch {
      return [];
    }
    return names
      .flatMap((entry): HistoryEntry[] => {
        const match = HISTORY_ENTRY.exec(entry);
        if (match === null) return [];
        const savedAt = Date.parse(`${match[1]}T${match[2]}:${match[3]}:${match[4]}Z`);
        return Number.isNaN(savedAt) ? [] : [{ entry, version: Number(match[5]), savedAt }];
      })
      .sort((a, b) => b.savedAt - a.savedAt || b.version - a.version || (a.entry < b.entry ? 1 : -1));
  }

  historySource(id: string, entry: string): string | undefined {
    const file = this.#historyFile(id, entry);
    if (file === undefined) return undefined;
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  restore(id: string, entry: string, revision: string): SaveResult {
    const kept = this.historySource(id, entry);
    if (kept === undefined) return { ok: false, reason: 'not_found' };
    return this.#replace(id, revision, (source) => (isEditable(kept) ? applyVersion(kept, versionOf(source) + 1) : kept));
  }

  /** Re-reads the file, checks the revision, makes the new text, checks it, keeps the old file, writes the new one. */
  #replace(id: string, revision: string, change: (source: string) => string): SaveResult {
    const current = this.#current(id);
    if (current === undefined) return { ok: false, reason: 'not_found' };
    if (current.revision !== revision) {
      return { ok: false, reason: 'conflict', current: { revision: current.revision, version: versionOf(current.source) } };
    }
    const locale = this.#options.locale;
    if (!isEditable(current.source)) {
      // A file broken on disk cannot take a draft: its own errors say why.
      return { ok: false, reason: 'invalid', errors: loadFlowSource(this.#options.flowsDir, current.file, current.source, { locale }).errors, source: current.source };
    }
    const source = change(current.source);
    const { flow, errors } = loadFlowSource(this.#options.flowsDir, current.file, source, { locale });
    if (flow === null) return { ok: false, reason: 'invalid', errors, source };
    this.#keep(id, current);
    writeAtomic(path.join(this.#options.flowsDir, current.file), source);
    return { ok: true, file: current.file, version: flow.version, revision: revisionOf(source) };
  }

  /** The flow's file now: the one that declares the id (or, when none can be read, the one named after it). */
  #current(id: string): Current | undefined {
    if (!FLOW_ID.test(id)) return undefined;
    const dir = this.#options.flowsDir;
    let names: string[];
    try {
      names = listFlowFiles(dir);
    } catch {
      return undefined;
    }
    const claims = names.map((name) => ({ name, claimed: claimedFlowId(path.join(dir, name)) }));
    const file =
      claims.find((claim) => claim.claimed === id)?.name ??
      claims.find((claim) => claim.claimed === null && (claim.name === `${id}.yaml` || claim.name === `${id}.yml`))?.name;
    if (file === undefined) return undefined;
    try {
      const bytes = fs.readFileSync(path.join(dir, file));
      return { file, source: bytes.toString('utf8'), revision: revisionOf(bytes) };
    } catch {
      return undefined;
    }
  }

  #takenIds(): Set<string> {
    const dir = this.#options.flowsDir;
    const taken = new Set<string>();
    for (const name of listFlowFiles(dir)) {
      taken.add(name.replace(/\.ya?ml$/i, ''));
      const claimed = claimedFlowId(path.join(dir, name));
      if (claimed !== null) taken.add(claimed);
    }
    return taken;
  }

  /** Copies the file about to be replaced into the flow's history folder. */
  #keep(id: string, current: Current) {
    const dir = path.join(this.#options.historyDir, id);
    fs.mkdirSync(dir, { recursive: true });
    const stamp = new Date(this.#options.clock.now()).toISOString().replaceAll(':', '-');
    const base = `${stamp}-v${versionOf(current.source)}`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        writeNew(path.join(dir, `${base}${attempt === 1 ? '' : `-${attempt}`}.yaml`), current.source);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
      }
    }
  }

  #historyFile(id: string, entry: string): string | undefined {
    if (!FLOW_ID.test(id) || !HISTORY_ENTRY.test(entry) || path.basename(entry) !== entry) return undefined;
    const file = path.join(this.#options.historyDir, id, entry);
    try {
      return fs.statSync(file).isFile() ? file : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The store of the Config's folders: FLOWS_DIR, DATA_DIR/flow-history, the shipped flows and the gallery. */
export function flowFilesFor(config: Pick<Config, 'flowsDir' | 'dataDir' | 'locale'>, clock: Clock): FlowFiles {
  return new FlowFiles({
    flowsDir: config.flowsDir,
    historyDir: path.join(config.dataDir, 'flow-history'),
    locale: config.locale,
    clock,
    galleryDirs: [packagePath('flows'), packagePath('gallery')],
  });
}

function revisionOf(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** `pos-compra`, or `pos-compra-2`, `-3`… when taken; never longer than a flow id may be. */
function uniqueId(wanted: string, taken: Set<string>): string {
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${wanted.slice(0, 60 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The template's first comment lines, without `#`: wrapped lines joined, an empty `#` line starts a paragraph. */
function leadingComment(source: string): string {
  const paragraphs: string[][] = [[]];
  for (const line of source.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (!line.startsWith('#')) break;
    const text = line.replace(/^#+/, '').trim();
    if (text === '') paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]?.push(text);
  }
  return paragraphs
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join(' '))
    .join('\n');
}

/** Replaces a file whole or not at all: a temporary file beside it, written and synced, then renamed over it. */
function writeAtomic(file: string, content: string) {
  const temp = tempBeside(file);
  try {
    writeSynced(temp, content);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncDir(path.dirname(file));
}

/** Writes a new file whole, refusing (EEXIST) when the name is taken, even by a file written meanwhile. */
function writeNew(file: string, content: string) {
  const temp = tempBeside(file);
  try {
    writeSynced(temp, content);
    fs.linkSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
  syncDir(path.dirname(file));
}

/** A dotfile, so that neither the loader nor a folder watcher takes it for a flow. */
function tempBeside(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}

function writeSynced(file: string, content: string) {
  const fd = fs.openSync(file, 'wx');
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
