import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { formatFlowErrors, loadFlows, type FlowError } from '../../src/flows/load-flows.js';
import { translate, type Locale } from '../../src/i18n/index.js';
import { fuzzParameters, fuzzRuns, Tally } from './support/fuzz-run.js';
import { deeplyNestedJson, hostileString, hugeOrOddNumber, nested, SQL_LOOKING, UNICODE_EDGES } from './support/hostile.js';

// Issue 8: random mutations of the shipped flows and examples (keys deleted, duplicated and
// renamed, values of the wrong type, unknown step kinds, random text edits, byte flips, deep
// nesting, huge numbers, YAML's own traps: aliases, tags, directives, several documents) give a
// load error with its file and line, or a flow; loadFlows never throws.

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCES = ['flows', 'examples/en', 'examples/es'].flatMap((folder) =>
  fs
    .readdirSync(path.join(ROOT, folder))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => ({ name: `${folder}/${name}`, text: fs.readFileSync(path.join(ROOT, folder, name), 'utf8') })),
);
const LOCALES: Locale[] = ['pt-BR', 'en', 'es'];
/**
 * Loading costs about 9 ms a file (the flow schema is built for each), so a fifth of FUZZ_RUNS
 * (2,000 by default) keeps this suite within a minute; FUZZ_FLOW_RUNS sets it apart.
 */
const FLOW_RUNS = process.env.FUZZ_FLOW_RUNS ? Number(process.env.FUZZ_FLOW_RUNS) : Math.ceil(fuzzRuns() / 5);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-flows-fuzz-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------- mutations

type Path = (string | number)[];

/** Every path into a value, so that a mutation can land anywhere. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (typeof value === 'object' && value !== null) return [prefix, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  return [prefix];
}

function parentOf(root: unknown, at: Path): Record<string | number, unknown> | undefined {
  let node = root as Record<string | number, unknown> | undefined;
  for (const part of at.slice(0, -1)) node = node?.[part] as Record<string | number, unknown> | undefined;
  return typeof node === 'object' && node !== null ? node : undefined;
}

/** What a value may become: any type, odd numbers, hostile or template text, deep nesting. */
const anyValue = fc.oneof(
  fc.constantFrom('', 'end', '1d', '0m', '99999999999d', '1e400h', '-1d', '09:00', '25:61', '{{ x }}', '{{ customer.nope }}', '{% if %}', '{% for x in y %}', '{{', '}}', '{{ customer.first_name | append: 1 }}', '{% include "x" %}', '../x.jpg', '/etc/passwd', 'nps', 'choice', 'seg', '*', 'marketing', 'purchase', 'manual'),
  hostileString(200),
  fc.constantFrom(...SQL_LOOKING, ...UNICODE_EDGES),
  hugeOrOddNumber(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 64, -(2 ** 31)),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), { maxKeys: 4 }),
  fc.tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => nested(depth, kind)),
);

const STEP_KINDS = ['wait', 'send', 'ask', 'alert_owner', 'tag', 'goto', 'end'];

type Structural =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'rename key'; at: number; key: string }
  | { op: 'unknown step kind'; step: number; kind: string; value: unknown }
  | { op: 'duplicate step'; step: number }
  | { op: 'step target'; step: number; target: string };

const structural: fc.Arbitrary<Structural> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: anyValue }),
  fc.record({ op: fc.constant('rename key' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom('id', 'version', 'steps', 'trigger', 'next', 'kind', 'Send', 'stpes', '__proto__', 'constructor', ''), fc.string({ maxLength: 10 })) }),
  fc.record({ op: fc.constant('unknown step kind' as const), step: fc.nat(), kind: fc.oneof(fc.constantFrom('webhook', 'sned', 'SEND', 'email', 'wait_until', 'http', '', 'ask ', 'send\u0000'), fc.string({ maxLength: 12 })), value: anyValue }),
  fc.record({ op: fc.constant('duplicate step' as const), step: fc.nat() }),
  fc.record({ op: fc.constant('step target' as const), step: fc.nat(), target: fc.oneof(fc.constantFrom('end', 'missing', '', 'self'), fc.string({ maxLength: 10 })) }),
);

/** Applies a change to the parsed flow (a copy); a change that has no place in it leaves it as it is. */
function applyStructural(flow: unknown, change: Structural): unknown {
  const copy = structuredClone(flow) as Record<string, unknown>;
  const paths = pathsOf(copy).filter((at) => at.length > 0);
  const steps = Array.isArray(copy.steps) ? (copy.steps as unknown[]) : [];
  switch (change.op) {
    case 'delete':
    case 'replace':
    case 'rename key': {
      const at = paths[change.at % Math.max(paths.length, 1)];
      const parent = at && parentOf(copy, at);
      if (!at || !parent) return copy;
      const last = at.at(-1)!;
      if (change.op === 'delete') {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else if (change.op === 'replace') parent[last] = change.value;
      else if (!Array.isArray(parent)) {
        const value = parent[last];
        delete parent[last];
        Object.defineProperty(parent, change.key, { value, enumerable: true, writable: true, configurable: true });
      }
      return copy;
    }
    case 'unknown step kind': {
      const step = steps[change.step % Math.max(steps.length, 1)] as Record<string, unknown> | undefined;
      if (typeof step !== 'object' || step === null) return copy;
      const known = Object.keys(step).find((key) => STEP_KINDS.includes(key));
      if (known) delete step[known];
      Object.defineProperty(step, change.kind, { value: change.value, enumerable: true, writable: true, configurable: true });
      return copy;
    }
    case 'duplicate step': {
      const step = steps[change.step % Math.max(steps.length, 1)];
      if (step !== undefined) steps.splice(change.step % steps.length, 0, structuredClone(step));
      return copy;
    }
    case 'step target': {
      const step = steps[change.step % Math.max(steps.length, 1)] as Record<string, unknown> | undefined;
      if (typeof step !== 'object' || step === null) return copy;
      step.next = change.target === 'self' ? step.id : change.target;
      return copy;
    }
  }
}

/** Text and byte edits: YAML's special characters, its own features, encodings, sizes. */
type Textual =
  | { op: 'splice'; at: number; remove: number; insert: string }
  | { op: 'flip byte'; at: number; mask: number }
  | { op: 'duplicate line'; line: number }
  | { op: 'truncate'; at: number }
  | { op: 'yaml trap'; at: number; trap: string }
  | { op: 'deep nesting'; line: number; depth: number; kind: 'array' | 'object' | 'block' }
  | { op: 'huge number'; which: number; number: string }
  | { op: 'line endings'; style: 'crlf' | 'cr' | 'bom' | 'nul' }
  | { op: 'too large'; extra: number };

const YAML_TRAPS = [
  '---\n',
  '\n---\nid: outro\n',
  '%YAML 1.2\n---\n',
  '%TAG ! tag:x,2000:\n',
  'x: &a [*a]\n',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
  '<<: *nada\n',
  '<<: {id: x}\n',
  'x: !!binary aGVsbG8=\n',
  'x: !!js/function "function(){}"\n',
  'x: !!python/object:os.system ls\n',
  'x: !custom 1\n',
  '? [a, b]\n: c\n',
  '? { a: 1 }\n: c\n',
  '{{ customer.first_name }}: x\n',
  'send: {{ customer.first_name }}\n',
  'x: |\n  bloco\n',
  'x: >-\n',
  '\t- id: x\n',
  '# comentário só\n',
  '"\n',
  "'\n",
  '[\n',
  '{\n',
  ': \n',
  '- \n',
  '&\n',
  '*\n',
  '!\n',
  '@x\n',
  '`x`\n',
  'x: "\\u0000\\ud800"\n',
  'x: 0o777\n',
  'x: 0x_FF\n',
  'x: 1_000\n',
  'x: .nan\n',
  'x: -.inf\n',
  'x: 2001-12-14t21:59:43.10-05:00\n',
  'x: ~\n',
  'x: yes\n',
  'x: no\n',
  'x: on\n',
  '__proto__: { polluted: true }\n',
  'constructor: { prototype: { polluted: true } }\n',
];

const textual: fc.Arbitrary<Textual> = fc.oneof(
  fc.record({
    op: fc.constant('splice' as const),
    at: fc.nat(),
    remove: fc.nat(40),
    insert: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(':', ': ', '-', '- ', '{', '}', '[', ']', '&', '*', '!', '%', '|', '>', '#', '"', "'", '\t', '\n', '\r', '\u0000', '  ', '\n  ', ',', '?', '\\'), fc.string({ unit: 'binary', maxLength: 6 })),
  }),
  fc.record({ op: fc.constant('flip byte' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('duplicate line' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('yaml trap' as const), at: fc.nat(), trap: fc.constantFrom(...YAML_TRAPS) }),
  fc.record({ op: fc.constant('deep nesting' as const), line: fc.nat(), depth: fc.integer({ min: 10, max: 5_000 }), kind: fc.constantFrom('array' as const, 'object' as const, 'block' as const) }),
  fc.record({ op: fc.constant('huge number' as const), which: fc.nat(), number: fc.constantFrom('1e999', '-1e999', '99999999999999999999999', '0x7fffffffffffffff', '.inf', '.nan', '-0', '1.5', '1e-400', '0', '-1', '9007199254740993') }),
  fc.record({ op: fc.constant('line endings' as const), style: fc.constantFrom('crlf' as const, 'cr' as const, 'bom' as const, 'nul' as const) }),
);
/** Over the 1 MB a flow file may have: rare, each costs a megabyte written and read. */
const tooLarge: fc.Arbitrary<Textual> = fc.record({ op: fc.constant('too large' as const), extra: fc.integer({ min: 1, max: 2_000 }) });

/** Applies a text edit; bytes come back as a Buffer only when they no longer are valid UTF-8. */
function applyTextual(source: string | Buffer, change: Textual): string | Buffer {
  if (change.op === 'flip byte') {
    const bytes = Buffer.from(source);
    if (bytes.length === 0) return bytes;
    const at = change.at % bytes.length;
    bytes[at] = bytes[at]! ^ change.mask;
    return bytes;
  }
  const text = typeof source === 'string' ? source : source.toString('utf8');
  const lines = text.split('\n');
  switch (change.op) {
    case 'splice': {
      const at = change.at % (text.length + 1);
      return text.slice(0, at) + change.insert + text.slice(at + change.remove);
    }
    case 'duplicate line': {
      const index = change.line % lines.length;
      lines.splice(index, 0, lines[index]!);
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, change.at % (text.length + 1));
    case 'yaml trap': {
      // At the start of a line: a trap at the top level or inside a block.
      const index = change.at % (lines.length + 1);
      return [...lines.slice(0, index), change.trap.replace(/\n$/, ''), ...lines.slice(index)].join('\n');
    }
    case 'deep nesting': {
      const index = change.line % lines.length;
      const line = lines[index]!;
      const key = /^(\s*(?:- )?[\w-]+:)/.exec(line)?.[1] ?? 'x:';
      const deep =
        change.kind === 'block'
          ? `\n${Array.from({ length: Math.min(change.depth, 300) }, (_, level) => `${' '.repeat(2 * (level + 1))}a:`).join('\n')} 1`
          : ` ${deeplyNestedJson(change.depth, change.kind)}`;
      lines[index] = `${key}${deep}`;
      return lines.join('\n');
    }
    case 'huge number': {
      const numbers = [...text.matchAll(/(?<=:\s*)-?\d+(?:\.\d+)?(?=\s*$)/gm)];
      const match = numbers[change.which % Math.max(numbers.length, 1)];
      if (!match || match.index === undefined) return `${text}\nversion: ${change.number}`;
      return text.slice(0, match.index) + change.number + text.slice(match.index + match[0].length);
    }
    case 'line endings':
      return change.style === 'crlf' ? text.replace(/\n/g, '\r\n') : change.style === 'cr' ? text.replace(/\n/g, '\r') : change.style === 'bom' ? `\uFEFF${text}` : text.replace(/\n/g, '\u0000\n');
    case 'too large':
      return `${text}\n# ${'x'.repeat(1_000_000 + change.extra)}\n`;
  }
}

type Mutation = { kind: 'structural'; change: Structural } | { kind: 'textual'; change: Textual };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: structural.map((change) => ({ kind: 'structural' as const, change })), weight: 150 },
  { arbitrary: textual.map((change) => ({ kind: 'textual' as const, change })), weight: 150 },
  { arbitrary: tooLarge.map((change) => ({ kind: 'textual' as const, change })), weight: 1 },
);

/** The file after the mutations, in order: structural ones on the flow as parsed (when it still parses), textual ones on its text. */
function mutated(source: string, mutations: Mutation[]): string | Buffer {
  let content: string | Buffer = source;
  for (const step of mutations) {
    if (step.kind === 'textual') {
      content = applyTextual(content, step.change);
      continue;
    }
    let flow: unknown;
    try {
      flow = parseYaml(content.toString(), { maxAliasCount: 100, logLevel: 'error' });
    } catch {
      continue;
    }
    if (typeof flow !== 'object' || flow === null) continue;
    try {
      content = stringifyYaml(applyStructural(flow, step.change), { aliasDuplicateObjects: false });
    } catch {
      // A value YAML cannot write (a cycle): the change is not made.
    }
  }
  return content;
}

// ---------------------------------------------------------------- the property

/** A message that leaks code into the seller's screen: empty, a JS value, a placeholder not filled in. */
const BROKEN_MESSAGE = /^\s*$|undefined|\[object Object\]|\{(key|value|values|allowed|kinds?|id|other|target|outcomes|after|timeout|min|max|file|tag|detail|text|label|count|name|what|dir|line|path)\}/;

function problemsWith(errors: FlowError[], files: Map<string, string>, locale: Locale, flowsByFile: Set<string>): string[] {
  const problems: string[] = [];
  const wholeFile = new Set([translate(locale, 'flow.file.empty'), translate(locale, 'flow.file.too_large', { max: '1 MB' })]);
  for (const error of errors) {
    const text = files.get(error.file);
    const lines = text?.split(/\r\n|\r|\n/).length;
    if (text === undefined || lines === undefined) problems.push(`an error names ${JSON.stringify(error.file)}, not a file written`);
    else if (!Number.isInteger(error.line) || error.line < 0 || error.line > lines + 1) problems.push(`line ${error.line} of a ${lines}-line file`);
    else if (error.line === 0 && !wholeFile.has(error.message)) problems.push(`line 0 for ${JSON.stringify(error.message)}`);
    if (!Number.isInteger(error.column) || error.column < 0) problems.push(`column ${error.column}`);
    if (typeof error.path !== 'string') problems.push(`path ${String(error.path)}`);
    // (What the file itself says may be quoted back: a text "undefined" is the seller's.)
    const broken = typeof error.message === 'string' ? BROKEN_MESSAGE.exec(error.message) : null;
    if (typeof error.message !== 'string' || (broken && !text?.includes(broken[0].trim()))) problems.push(`message ${JSON.stringify(error.message)}`);
  }
  // Each file gives its flow or its errors, never both, never neither.
  for (const file of files.keys()) {
    const erred = errors.some((error) => error.file === file);
    if (erred === flowsByFile.has(file)) problems.push(`${file}: ${erred ? 'a flow and errors' : 'neither a flow nor an error'}`);
  }
  return problems;
}

describe('mutated flow files', () => {
  it('give a flow or load errors with their file and line, and never a throw', () => {
    const outcomes = new Tally();
    const operations = new Tally();
    let files = 0;
    const started = performance.now();
    fc.assert(
      fc.property(
        fc.constantFrom(...SOURCES),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...LOCALES),
        fc.oneof({ arbitrary: fc.constant(undefined), weight: 9 }, { arbitrary: fc.constantFrom(...SOURCES), weight: 1 }),
        (source, mutations, locale, beside) => {
          for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { force: true });
          const content = mutated(source.text, mutations);
          const written = new Map<string, string>();
          fs.writeFileSync(path.join(dir, 'mutado.yaml'), content);
          written.set('mutado.yaml', content.toString());
          // Now and then beside an intact flow (maybe the very one it came from: the same id twice).
          if (beside) {
            fs.writeFileSync(path.join(dir, 'intacto.yaml'), beside.text);
            written.set('intacto.yaml', beside.text);
          }
          files += written.size;
          for (const step of mutations) operations.add(step.change.op);

          let result: ReturnType<typeof loadFlows>;
          try {
            result = loadFlows(dir, { locale });
            formatFlowErrors(result.errors);
          } catch (error) {
            throw new Error(`loadFlows threw: ${error instanceof Error ? error.stack : String(error)}`, { cause: error });
          }
          const problems = problemsWith(result.errors, written, locale, new Set(result.flows.map((flow) => flow.file)));
          if (problems.length > 0) throw new Error(`${problems.join('; ')}\n  errors: ${JSON.stringify(result.errors).slice(0, 1_000)}`);
          outcomes.add(result.errors.some((error) => error.file === 'mutado.yaml') ? 'load error' : 'a flow');
        },
      ),
      fuzzParameters('mutated flow files', FLOW_RUNS),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`[fuzz] flows: ${outcomes.total.toLocaleString('en')} mutated files (${files.toLocaleString('en')} files loaded) from ${SOURCES.length} shipped flows in ${seconds.toFixed(1)} s; ${outcomes.toString()}\n  mutations: ${operations.toString()}`);
    if (!process.env.FUZZ_PATH) expect(outcomes.total).toBeGreaterThanOrEqual(FLOW_RUNS);
    // The mutations are not all caught by the same early check: both outcomes occur.
    expect(outcomes.counts.get('load error') ?? 0).toBeGreaterThan(0);
  });
});
