/**
 * Reads the flows folder: every *.yaml / *.yml file, one flow each. Every
 * problem of every file is collected with its file, line, column and path;
 * the service refuses to start while any is left, so nothing here throws for
 * bad input.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isAlias, isCollection, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type YAMLError } from 'yaml';
import { type Locale, type MessageKey, translator, type Translate } from '../i18n/index.js';
import type { Flow } from './flow-types.js';
import { isRecord, isStepId, parseFlow, type FlowIssue, type ImageProblem, type ParsedFlow } from './flow-schema.js';

export interface FlowError {
  /** Relative to the flows folder (the folder itself when it cannot be read). */
  file: string;
  /** 1-based; 0 when the problem is not at a place in a file. */
  line: number;
  column: number;
  /** Where in the flow, for programs (an editor puts the error at its field): "steps[3].ask.branches.detrator"; empty for the whole file. */
  path: string;
  /**
   * Where in the flow, for the seller: a step by its id, `passo "pesquisa" › ask.branches.detrator`,
   * or by its number from 1 when it has no id of its own (`passo 4 › wait`); empty for the whole file.
   */
  where: string;
  message: string;
}

export interface LoadFlowsOptions {
  locale: Locale;
}

/** Larger than any flow a person writes; stops a stray export from being parsed. */
const MAX_FILE_BYTES = 1_000_000;

export function loadFlows(dir: string, options: LoadFlowsOptions): { flows: Flow[]; errors: FlowError[] } {
  const t = translator(options.locale);
  const folderError = (key: MessageKey) => ({ flows: [], errors: [{ file: dir, line: 0, column: 0, path: '', where: '', message: t(key) }] });

  let names: string[];
  try {
    if (!fs.statSync(dir).isDirectory()) return folderError('flow.folder.not_a_folder');
    names = listFlowFiles(dir);
  } catch (error) {
    return folderError((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'flow.folder.missing' : 'flow.folder.unreadable');
  }

  const checkImage = imageChecker(dir);

  const flows: Flow[] = [];
  const errors: FlowError[] = [];
  /** The first file that uses each flow id, to name it when another does too. */
  const ids = new Map<string, string>();
  for (const file of names) {
    const result = loadFile(dir, file, options.locale, checkImage);
    errors.push(...result.errors);
    if (result.id !== null) {
      const first = ids.get(result.id.value);
      if (first !== undefined) {
        errors.push({ file, ...result.id.position, path: 'id', where: 'id', message: t('flow.duplicate_flow', { id: result.id.value, file: first }) });
        continue;
      }
      ids.set(result.id.value, file);
    }
    if (result.flow) flows.push(result.flow);
  }
  return { flows, errors: sortErrors(errors) };
}

/** The flow files of a folder, sorted: *.yaml and *.yml, dotfiles left out. Throws when the folder cannot be read. */
export function listFlowFiles(dir: string): string[] {
  return (
    fs
      .readdirSync(dir, { withFileTypes: true })
      // Dotfiles are editors' locks and backups (".#pos-compra.yaml"), not flows.
      .filter((entry) => /\.ya?ml$/i.test(entry.name) && !entry.name.startsWith('.') && isFile(path.join(dir, entry.name)))
      .map((entry) => entry.name)
      .sort()
  );
}

export function imageChecker(dir: string): (file: string) => ImageProblem | null {
  const realDir = fs.realpathSync(dir);
  return (file) => {
    const full = path.join(realDir, file);
    if (!isFile(full)) return 'missing';
    const real = fs.realpathSync(full);
    return real.startsWith(realDir + path.sep) ? null : 'outside';
  };
}

/**
 * Checks a text as if it were the file `file` of the flows folder `dir` (the editor's save, before
 * anything is written): the same rules as loadFlows, images found beside it, and its flow id
 * unique among the folder's other files.
 */
export function loadFlowSource(dir: string, file: string, source: string, options: LoadFlowsOptions): { flow: Flow | null; errors: FlowError[] } {
  const t = translator(options.locale);
  if (Buffer.byteLength(source, 'utf8') > MAX_FILE_BYTES) {
    return { flow: null, errors: [{ file, line: 0, column: 0, path: '', where: '', message: t('flow.file.too_large', { max: '1 MB' }) }] };
  }
  let checkImage: (file: string) => ImageProblem | null;
  let others: string[];
  try {
    checkImage = imageChecker(dir);
    others = listFlowFiles(dir).filter((name) => name !== file);
  } catch (error) {
    const key = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'flow.folder.missing' : 'flow.folder.unreadable';
    return { flow: null, errors: [{ file: dir, line: 0, column: 0, path: '', where: '', message: t(key) }] };
  }
  const result = loadSource(file, source.replace(/^\uFEFF/, ''), options.locale, checkImage);
  const errors = [...result.errors];
  if (result.id !== null) {
    const claimed = result.id;
    const other = others.find((name) => claimedFlowId(path.join(dir, name)) === claimed.value);
    if (other !== undefined) {
      errors.push({ file, ...claimed.position, path: 'id', where: 'id', message: t('flow.duplicate_flow', { id: claimed.value, file: other }) });
    }
  }
  return { flow: errors.length === 0 ? result.flow : null, errors: sortErrors(errors) };
}

/** The flow id a file declares, read without checking the rest; null when it declares none it can be read from. */
export function claimedFlowId(file: string): string | null {
  try {
    const buffer = fs.readFileSync(file);
    if (buffer.length > MAX_FILE_BYTES) return null;
    const doc = parseDocument(buffer.toString('utf8').replace(/^\uFEFF/, ''));
    if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
    const id = doc.contents.get('id');
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

interface Position {
  line: number;
  column: number;
}

interface FileResult {
  flow: Flow | null;
  errors: FlowError[];
  /** The flow id the file claims, even when the rest is broken, for the duplicate check. */
  id: { value: string; position: Position } | null;
}

function loadFile(dir: string, file: string, locale: Locale, checkImage: (file: string) => ImageProblem | null): FileResult {
  const t = translator(locale);
  const fileError = (message: string, position: Position = { line: 0, column: 0 }): FileResult => ({
    flow: null,
    errors: [{ file, ...position, path: '', where: '', message }],
    id: null,
  });

  let source: string;
  try {
    const buffer = fs.readFileSync(path.join(dir, file));
    if (buffer.length > MAX_FILE_BYTES) return fileError(t('flow.file.too_large', { max: '1 MB' }));
    source = buffer.toString('utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    return fileError(t('flow.file.cannot_read', { detail: (error as NodeJS.ErrnoException).code ?? String(error) }));
  }
  return loadSource(file, source, locale, checkImage);
}

/** One flow file's text, checked: what loadFile does once the file is read. */
function loadSource(file: string, source: string, locale: Locale, checkImage: (file: string) => ImageProblem | null): FileResult {
  const t = translator(locale);
  const fileError = (message: string, position: Position = { line: 0, column: 0 }): FileResult => ({
    flow: null,
    errors: [{ file, ...position, path: '', where: '', message }],
    id: null,
  });

  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    // One slip often gives two errors at the same place; the first says it best.
    const errors = new Map<string, FlowError>();
    for (const error of doc.errors) {
      const position = at(error.pos[0]);
      const place = `${position.line}:${position.column}`;
      if (!errors.has(place)) errors.set(place, { file, ...position, path: '', where: '', message: describeYamlError(error, source, t) });
    }
    return { flow: null, id: null, errors: [...errors.values()] };
  }
  // "send: {{ customer.first_name }}" is a map with a map as its key, not a text.
  const bracedKey = findCollectionKey(doc);
  if (bracedKey !== undefined) return fileError(t('flow.yaml.quote_braces'), at(bracedKey));

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch {
    // An alias to nothing, or too many of them (a "billion laughs" file).
    return fileError(t('flow.yaml.syntax'), { line: 1, column: 1 });
  }
  if (raw === null || raw === undefined) return fileError(t('flow.file.empty'));
  if (typeof raw !== 'object' || Array.isArray(raw)) return fileError(t('flow.file.not_a_flow'), { line: 1, column: 1 });

  const claimed = (raw as Record<string, unknown>).id;
  const id = typeof claimed === 'string' ? { value: claimed, position: at(locate(doc, ['id'], 'value')) } : null;
  const result = parseFlow(raw, { locale, checkImage });
  if (!result.ok) {
    const errors = result.issues.map((issue) => ({
      file,
      ...at(locate(doc, issue.path, issue.at)),
      path: formatPath(issue.path),
      where: pathInWords(issue.path, raw, t),
      message: issue.message,
    }));
    return { flow: null, errors, id };
  }
  const steps = result.flow.steps.map((step, index) => ({ ...step, line: at(locate(doc, ['steps', index], 'value')).line }));
  return { flow: { ...result.flow, steps, file, hash: hashFlow(result.flow) }, errors: [], id };
}

/** sha256 of the definition alone (no file, hash or lines): moving a step's comment does not make a new version. */
export function hashFlow(flow: ParsedFlow | Flow): string {
  const { id, version, name, trigger, filter } = flow;
  const steps = flow.steps.map(({ line: _line, ...step }) => step);
  return createHash('sha256').update(canonicalJson({ id, version, name, trigger, filter, steps })).digest('hex');
}

/** JSON with object keys sorted at every level, so equal definitions give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The source offset of what an issue path names: the key itself for an
 * unknown key, otherwise the value; when the path goes further than the file
 * (a missing key), the object that should hold it.
 */
function locate(doc: Document, issuePath: (string | number)[], at: FlowIssue['at']): number {
  let node: unknown = doc.contents;
  /** Where the current node is named: its key in the parent object, or itself for a list item. */
  let namedAt = offsetOf(node);
  let keyAt: number | undefined;
  for (const segment of issuePath) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === String(segment));
      if (pair === undefined) return namedAt ?? 0;
      keyAt = offsetOf(pair.key);
      node = pair.value;
      namedAt = keyAt;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      keyAt = undefined;
      namedAt = offsetOf(node);
    } else {
      // Deeper than the file goes: "trigger: purchase" has no trigger.type node.
      return namedAt ?? 0;
    }
  }
  if (at === 'key' && keyAt !== undefined) return keyAt;
  return offsetOf(node) ?? keyAt ?? 0;
}

function findCollectionKey(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Pair(_, pair, ancestors) {
      if (!isCollection(pair.key)) return undefined;
      found = offsetOf(ancestors[ancestors.length - 1]) ?? offsetOf(pair.key);
      return visit.BREAK;
    },
  });
  return found;
}

function offsetOf(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: [number, number, number] | null }).range;
  return range?.[0];
}

/** ["steps", 3, "ask"] → "steps[3].ask". */
export function formatPath(issuePath: (string | number)[]): string {
  return issuePath.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

/**
 * The path as a seller reads it: the step by its id when it has one that names it alone
 * (`passo "pesquisa" › ask.branches.detrator`), by its number from 1 otherwise (`passo 4 › wait`);
 * paths outside the steps as written (`trigger.type`).
 */
function pathInWords(issuePath: (string | number)[], raw: unknown, t: Translate): string {
  const [list, index, ...rest] = issuePath;
  if (list !== 'steps' || typeof index !== 'number') return formatPath(issuePath);
  const steps = isRecord(raw) && Array.isArray(raw.steps) ? (raw.steps as unknown[]) : [];
  const idOf = (step: unknown) => (isRecord(step) ? step.id : undefined);
  const id = idOf(steps[index]);
  const named = isStepId(id) && steps.filter((step) => idOf(step) === id).length === 1;
  const step = named ? t('flow.where.step_id', { id }) : t('flow.where.step_number', { number: index + 1 });
  return rest.length === 0 ? step : `${step} › ${formatPath(rest)}`;
}

const YAML_MESSAGES: Partial<Record<string, MessageKey>> = {
  DUPLICATE_KEY: 'flow.yaml.duplicate_key',
  TAB_AS_INDENT: 'flow.yaml.tab',
  MULTIPLE_DOCS: 'flow.yaml.multiple_docs',
  BAD_INDENT: 'flow.yaml.indent',
  // The slips of texts written without quotes: "send: Oi: tudo bem?", "send: "Oi" amiga", "send: @loja".
  BLOCK_AS_IMPLICIT_KEY: 'flow.yaml.colon',
  UNEXPECTED_TOKEN: 'flow.yaml.quote',
  BAD_SCALAR_START: 'flow.yaml.bad_start',
  // A line with no "key: value" (a forgotten colon, a long text without quotes).
  MULTILINE_IMPLICIT_KEY: 'flow.yaml.no_colon',
  BAD_DQ_ESCAPE: 'flow.yaml.escape',
};

/** MISSING_CHAR is several slips: an unclosed quote or bracket, a key without its colon, a missing comma… */
function missingWhat(message: string): MessageKey {
  if (message.startsWith('Implicit map keys need to be followed by map values')) return 'flow.yaml.no_colon';
  if (message.startsWith('Missing closing') || message.startsWith('Missing , ') || message.startsWith('Missing , or :')) return 'flow.yaml.missing_char';
  return 'flow.yaml.syntax';
}

function describeYamlError(error: YAMLError, source: string, t: Translate): string {
  const key = error.code === 'MISSING_CHAR' ? missingWhat(error.message) : YAML_MESSAGES[error.code];
  // The start of what the error points at: a repeated key's name, a reserved first character.
  const text = error.code === 'DUPLICATE_KEY' ? (source.slice(error.pos[0]).split(/:\s|\n/)[0] ?? '') : source.slice(error.pos[0], error.pos[0] + 1);
  // The parser's own English (error.message) never reaches the seller: its code picks the sentence.
  return t(key ?? 'flow.yaml.syntax', { text });
}

function sortErrors(errors: FlowError[]): FlowError[] {
  return errors
    .map((error, index) => ({ error, index }))
    .sort((a, b) => compare(a.error.file, b.error.file) || a.error.line - b.error.line || a.error.column - b.error.column || a.index - b.index)
    .map(({ error }) => error);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One line per error: "pos-compra.yaml:12:7 passo "pesquisa" › ask.branches.detrator: saída desconhecida...". */
export function formatFlowErrors(errors: FlowError[]): string {
  return sortErrors(errors)
    .map((error) => {
      const place = error.line > 0 ? `${error.file}:${error.line}:${error.column}` : error.file;
      return error.where === '' ? `${place}: ${error.message}` : `${place} ${error.where}: ${error.message}`;
    })
    .join('\n');
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
