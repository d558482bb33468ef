/**
 * The editor's draft of a flow file and back (issue 20): draftOf reads what the
 * Fluxos page lets a seller change; applyDraft writes a draft into the file's
 * own YAML document, so the comments, blank lines, key order and quoting the
 * seller (or a developer) wrote stay where they were. A step keeps its node, so
 * its comments and the keys the editor does not manage move with it.
 */
import { Document, isMap, isScalar, isSeq, Pair, parse, parseDocument, Scalar, visit, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { FlowDraft, StepDraft } from './flow-editing.js';
import { isRecord } from './flow-schema.js';

/** The step keys the editor manages (docs/flows.md); the others (cold, max_lateness…) are left alone. */
const STEP_KEYS = ['id', 'next', 'wait', 'send', 'ask', 'alert_owner', 'tag', 'untag', 'goto', 'end'] as const;
const ASK_KEYS = ['kind', 'question', 'options', 'poll', 'reminder', 'timeout', 'branches'] as const;
/** Keys whose new texts are written in double quotes, as the shipped flows write them. */
const TEXT_KEYS = new Set(['send', 'alert_owner', 'question', 'text', 'label', 'until', 'at', 'name']);
/** Keys whose new maps are written on one line: `wait: { for: 3d, until: "10:00" }`. */
const FLOW_MAP_KEYS = new Set(['wait', 'cold']);
/** Keys the top of a flow file puts `enabled` after, in this order of preference. */
const ENABLED_AFTER = ['name', 'version', 'id'];

const STRINGIFY = { lineWidth: 0, flowCollectionPadding: true } as const;

/** The editor's view of a flow file; a file that is not a flow gives what can be read of it. */
export function draftOf(source: string): FlowDraft {
  let raw: unknown;
  try {
    raw = parseDocument(source).toJS({ maxAliasCount: 100 });
  } catch {
    raw = null;
  }
  const top = isRecord(raw) ? raw : {};
  const trigger = isRecord(top.trigger) ? Object.fromEntries(Object.entries(top.trigger).filter(([key]) => key !== 'type')) : {};
  const steps = Array.isArray(top.steps) ? top.steps : [];
  return {
    name: typeof top.name === 'string' ? top.name : '',
    enabled: top.enabled !== false,
    trigger,
    steps: steps.map((step, index): StepDraft => ({ from: index, step: managedKeys(step) })),
  };
}

function managedKeys(step: unknown): Record<string, unknown> {
  if (!isRecord(step)) return {};
  const managed: Record<string, unknown> = {};
  for (const key of STEP_KEYS) {
    const value = step[key];
    if (value === undefined) continue;
    // An image with a caption is not the editor's to change.
    if (key === 'send' && typeof value !== 'string') continue;
    managed[key] = key === 'ask' && isRecord(value) ? Object.fromEntries(ASK_KEYS.filter((k) => value[k] !== undefined).map((k) => [k, value[k]])) : value;
  }
  return managed;
}

/** Whether a text can be edited through its YAML document: it parses, and holds a map. */
export function isEditable(source: string): boolean {
  const doc = parseDocument(source);
  return doc.errors.length === 0 && isMap(doc.contents);
}

/**
 * The file's text with the draft applied and its `version` raised by one. Throws when the text
 * is not editable (isEditable): the caller checks first.
 */
export function applyDraft(source: string, draft: FlowDraft): string {
  return editDocument(source, (doc, top) => {
    syncKey(doc, top, 'name', draft.name);
    setEnabled(top, draft.enabled);
    applyTrigger(doc, top, draft.trigger);
    applySteps(doc, top, draft.steps);
    raiseVersion(doc, top);
  });
}

/** The text with `enabled` written (or removed for on) and its `version` raised by one, nothing else. */
export function applyEnabled(source: string, enabled: boolean): string {
  return editDocument(source, (doc, top) => {
    setEnabled(top, enabled);
    raiseVersion(doc, top);
  });
}

/** The text with its `version` set, nothing else (a restored file takes a version past the current one). */
export function applyVersion(source: string, version: number): string {
  return editDocument(source, (doc, top) => raiseVersion(doc, top, version));
}

/** The text with its `id`, `name` and `version` set (a new flow from a gallery template). */
export function applyIdentity(source: string, identity: { id: string; name: string; version: number }): string {
  return editDocument(source, (doc, top) => {
    syncKey(doc, top, 'id', identity.id);
    syncKey(doc, top, 'name', identity.name);
    raiseVersion(doc, top, identity.version);
  });
}

/** The `version` a text declares; 0 when it declares none that can be read. */
export function versionOf(source: string): number {
  try {
    const version: unknown = parseDocument(source).get('version');
    return typeof version === 'number' && Number.isInteger(version) ? version : 0;
  } catch {
    return 0;
  }
}

function editDocument(source: string, change: (doc: Document, top: YAMLMap) => void): string {
  const doc = parseDocument(source);
  const top = doc.contents;
  if (doc.errors.length > 0 || !isMap(top)) throw new Error('flow-draft: the text is not an editable flow file');
  keepFlowPadding(doc, source);
  change(doc, top);
  return doc.toString(STRINGIFY);
}

function setEnabled(top: YAMLMap, enabled: boolean) {
  if (enabled) {
    top.delete('enabled');
    return;
  }
  const existing = top.get('enabled', true);
  if (isScalar(existing)) {
    existing.value = false;
    existing.type = undefined;
    return;
  }
  insertAfter(top, 'enabled', new Scalar(false), ENABLED_AFTER);
}

function raiseVersion(doc: Document, top: YAMLMap, to?: number) {
  const node = top.get('version', true);
  const current = isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value) ? node.value : 0;
  const version = to ?? current + 1;
  if (isScalar(node)) {
    node.value = version;
    node.type = undefined;
  } else if (node !== undefined) {
    top.set('version', doc.createNode(version));
  } else {
    insertAfter(top, 'version', doc.createNode(version), ['id']);
  }
}

function insertAfter(map: YAMLMap, key: string, value: Node, after: readonly string[]) {
  const index = after.map((name) => map.items.findIndex((pair) => keyOf(pair) === name)).find((found) => found >= 0);
  map.items.splice(index === undefined ? map.items.length : index + 1, 0, new Pair(new Scalar(key), value));
}

function applyTrigger(doc: Document, top: YAMLMap, trigger: Record<string, unknown>) {
  // The trigger's type is not edited.
  const entries = Object.entries(trigger).filter(([key, value]) => key !== 'type' && value !== undefined);
  const node = top.get('trigger', true);
  if (isMap(node)) {
    applyKeys(doc, node, Object.fromEntries(entries));
    return;
  }
  const added = entries.filter(([, value]) => value !== null);
  // "trigger: manual" becomes a map only when a key is added to it.
  if (!isScalar(node) || added.length === 0) return;
  const map = new YAMLMap(doc.schema);
  map.items.push(new Pair(new Scalar('type'), node));
  for (const [key, value] of added) map.items.push(new Pair(new Scalar(key), createNode(doc, value, key)));
  top.set('trigger', map);
}

function applySteps(doc: Document, top: YAMLMap, drafts: StepDraft[]) {
  const existing = top.get('steps', true);
  const seq = isSeq(existing) ? existing : new YAMLSeq(doc.schema);
  const original = seq.items.map((item) => (isMap(item) ? item : null));
  // The comment above the first step is the list's own in the document; it belongs to that step.
  const first = original[0];
  if (first && seq.commentBefore) {
    first.commentBefore = first.commentBefore ? `${seq.commentBefore}\n${first.commentBefore}` : seq.commentBefore;
    seq.commentBefore = undefined;
  }
  /** Whether the file puts a blank line between steps. */
  const spaced = original.slice(1).some((item) => item?.spaceBefore === true);
  const used = new Set<number>();
  const items = drafts.map((draft, index): YAMLMap => {
    const from = draft.from;
    const kept = from === null ? null : (original[from] ?? null);
    let node: YAMLMap;
    if (kept === null || from === null) {
      node = createNode(doc, withIdFirst(draft.step), 'step') as YAMLMap;
      node.spaceBefore = spaced;
    } else {
      node = used.has(from) ? (kept.clone() as YAMLMap) : kept;
      used.add(from);
      applyKeys(doc, node, draft.step, (key, value, pair) => {
        if (key !== 'ask' || !isRecord(value) || !isMap(pair?.value)) return false;
        applyKeys(doc, pair.value, value);
        return true;
      });
      if (from === 0 && index > 0) node.spaceBefore = spaced;
    }
    if (index === 0) node.spaceBefore = original[0]?.spaceBefore;
    return node;
  });
  seq.items = items;
  if (!isSeq(existing)) top.set('steps', seq);
}

function withIdFirst(step: Record<string, unknown>): Record<string, unknown> {
  const { id, ...rest } = step;
  const clean = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== null && value !== undefined));
  return id === undefined || id === null ? clean : { id, ...clean };
}

/**
 * The draft's keys into a map of the file: null removes a key, absent leaves it, any other value
 * replaces it (reusing its nodes, so comments and quoting stay). `special` handles a key itself.
 */
function applyKeys(
  doc: Document,
  map: YAMLMap,
  values: Record<string, unknown>,
  special?: (key: string, value: unknown, pair: Pair | undefined) => boolean,
) {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (value === null) {
      map.delete(key);
      continue;
    }
    if (special?.(key, value, pairOf(map, key))) continue;
    syncKey(doc, map, key, value);
  }
}

function syncKey(doc: Document, map: YAMLMap, key: string, value: unknown) {
  const pair = pairOf(map, key);
  if (pair === undefined) map.items.push(new Pair(new Scalar(key), createNode(doc, value, key)));
  else pair.value = syncNode(doc, pair.value, value, key);
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => keyOf(pair) === key);
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** The node made to hold `value`, reusing `existing` where it has the same shape. */
function syncNode(doc: Document, existing: unknown, value: unknown, key: string): Node {
  if (value === null || typeof value !== 'object') {
    if (!isScalar(existing)) return createNode(doc, value, key);
    const wasText = typeof existing.value === 'string';
    existing.value = value;
    if (typeof value !== 'string') existing.type = undefined;
    else if (value.includes('\n')) {
      existing.type = multiLineStyle(value, existing.type === Scalar.BLOCK_FOLDED ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL);
    } else if (existing.type === Scalar.BLOCK_LITERAL || existing.type === Scalar.BLOCK_FOLDED) existing.type = Scalar.QUOTE_DOUBLE;
    else if (!wasText) existing.type = TEXT_KEYS.has(key) ? Scalar.QUOTE_DOUBLE : undefined;
    return existing;
  }
  if (Array.isArray(value)) {
    if (!isSeq(existing)) return createNode(doc, value, key);
    existing.items = value.map((item, index) => syncNode(doc, existing.items[index], item, key));
    return existing;
  }
  if (!isMap(existing)) return createNode(doc, value, key);
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== null && item !== undefined);
  existing.items = existing.items.filter((pair) => entries.some(([name]) => name === keyOf(pair)));
  for (const [name, item] of entries) syncKey(doc, existing, name, item);
  return existing;
}

/** A new node for a value, in the house style: texts in double quotes, short lists and waits on one line. */
function createNode(doc: Document, value: unknown, key: string): Node {
  if (Array.isArray(value)) {
    const seq = new YAMLSeq(doc.schema);
    seq.items = value.map((item) => createNode(doc, item, key));
    // Tags and product patterns: `tag: [promotor, vip]`; option labels one per line.
    if (value.every((item) => typeof item !== 'object' || item === null) && !TEXT_KEYS.has(key) && key !== 'options') {
      seq.flow = true;
      unpad(seq);
    }
    return seq;
  }
  if (isRecord(value)) {
    const map = new YAMLMap(doc.schema);
    for (const [name, item] of Object.entries(value)) {
      if (item === null || item === undefined) continue;
      map.items.push(new Pair(new Scalar(name), createNode(doc, item, name)));
    }
    map.flow = FLOW_MAP_KEYS.has(key);
    return map;
  }
  const scalar = doc.createNode(value) as Scalar;
  if (typeof value === 'string') {
    if (value.includes('\n')) scalar.type = multiLineStyle(value, Scalar.BLOCK_LITERAL);
    else if (TEXT_KEYS.has(key)) scalar.type = Scalar.QUOTE_DOUBLE;
  }
  return scalar;
}

/**
 * A multi-line text in a block (`|`, or `>` when the file had it) reads as the seller wrote it, but
 * `yaml` cannot write every text that way: a line of only spaces comes back without them (" \n" read
 * back as "\n"; seed 1939655562 of the draft property). Such a text is written in double quotes.
 */
function multiLineStyle(value: string, block: typeof Scalar.BLOCK_LITERAL | typeof Scalar.BLOCK_FOLDED): Scalar.Type {
  const probe = new Document({ text: value });
  (probe.get('text', true) as Scalar).type = block;
  return (parse(probe.toString()) as { text?: unknown }).text === value ? block : Scalar.QUOTE_DOUBLE;
}

/**
 * The `yaml` package pads every one-line list and map alike (`[ "*" ]`); the shipped files pad
 * maps and not lists. Each one-line collection keeps what the file had.
 */
function keepFlowPadding(doc: Document, source: string) {
  visit(doc, {
    Collection(_, node) {
      if (!node.flow || node.items.length === 0 || !node.range) return;
      if (source[node.range[0] + 1] !== ' ') unpad(node);
    },
  });
}

function unpad(node: YAMLMap | YAMLSeq) {
  // The stringifier hands each collection its context: this one (and its clones) get no padding.
  node.toString = function (this: YAMLMap | YAMLSeq, ctx?: object, ...rest: unknown[]): string {
    const own = Object.getPrototypeOf(this) as { toString: (...args: unknown[]) => string };
    return own.toString.call(this, ctx === undefined ? ctx : { ...ctx, flowCollectionPadding: '' }, ...rest);
  };
}
