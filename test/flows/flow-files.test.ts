import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { draftOf } from '../../src/flows/flow-draft.js';
import type { FlowDraft, SaveResult } from '../../src/flows/flow-editing.js';
import { FlowFiles, flowFilesFor } from '../../src/flows/flow-files.js';
import { loadFlows, loadFlowSource } from '../../src/flows/load-flows.js';
import { ManualClock } from '../../src/scheduler/clock.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHIPPED = path.join(ROOT, 'flows');

let tmp: string;
let flowsDir: string;
let historyDir: string;
let galleryDir: string;
let clock: ManualClock;
let files: FlowFiles;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-flow-files-'));
  flowsDir = path.join(tmp, 'flows');
  historyDir = path.join(tmp, 'data', 'flow-history');
  galleryDir = path.join(tmp, 'gallery');
  fs.mkdirSync(flowsDir);
  fs.mkdirSync(galleryDir);
  for (const name of fs.readdirSync(SHIPPED).filter((file) => file.endsWith('.yaml'))) fs.copyFileSync(path.join(SHIPPED, name), path.join(flowsDir, name));
  fs.writeFileSync(
    path.join(galleryDir, 'boas-vindas.yaml'),
    '# Responde a primeira mensagem de um cliente\n# com um olá.\n#\n# Troque o texto à vontade.\nid: boas-vindas\nversion: 4\nname: Boas-vindas\ntrigger: manual\nsteps:\n  - id: ola\n    send: "Olá, {{ customer.first_name }}!"\n',
  );
  fs.writeFileSync(path.join(galleryDir, 'notes.txt'), 'not a flow');
  clock = new ManualClock('2026-11-20T12:00:00.000Z');
  files = new FlowFiles({ flowsDir, historyDir, locale: 'pt-BR', clock, galleryDirs: [SHIPPED, galleryDir, path.join(tmp, 'missing')] });
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const onDisk = (file: string) => fs.readFileSync(path.join(flowsDir, file), 'utf8');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const versionOf = (text: string) => (parseYaml(text) as { version: number }).version;

function readPosCompra() {
  const read = files.read('pos-compra');
  if (read === undefined) throw new Error('pos-compra not found');
  return read;
}

function withSend(draft: FlowDraft, stepId: string, text: string): FlowDraft {
  return { ...draft, steps: draft.steps.map((step) => (step.step.id === stepId ? { ...step, step: { ...step.step, send: text } } : step)) };
}

function expectOk(result: SaveResult): asserts result is Extract<SaveResult, { ok: true }> {
  expect(result).toMatchObject({ ok: true });
}

describe('FlowFiles.read', () => {
  it('finds the file by the id it declares, with its revision and draft', () => {
    fs.renameSync(path.join(flowsDir, 'pos-compra.yaml'), path.join(flowsDir, 'depois.yml'));
    const read = readPosCompra();
    expect(read.file).toBe('depois.yml');
    expect(read.revision).toBe(sha(read.source));
    expect(read.version).toBe(versionOf(read.source));
    expect(read.draft).toEqual(draftOf(read.source));
    expect(files.read('nao-existe')).toBeUndefined();
  });
});

describe('FlowFiles.save', () => {
  it('writes the edit with its comments, raises the version and keeps the old file in the history', () => {
    const read = readPosCompra();
    const result = files.save('pos-compra', withSend(read.draft, 'dica', 'Oi, {{ customer.first_name }}! Guarde em lugar seco.'), read.revision);
    expectOk(result);
    const text = onDisk('pos-compra.yaml');
    expect(result).toEqual({ ok: true, file: 'pos-compra.yaml', version: read.version + 1, revision: sha(text) });
    expect(text).toContain('  # Troque pela dica do seu produto: como usar, como guardar, como combinar.\n  - id: dica\n    send: "Oi, {{ customer.first_name }}! Guarde em lugar seco."\n');
    expect(text.split('\n').filter((line) => line.trimStart().startsWith('#'))).toEqual(read.source.split('\n').filter((line) => line.trimStart().startsWith('#')));
    expect(loadFlows(flowsDir, { locale: 'pt-BR' }).errors).toEqual([]);

    const entry = `2026-11-20T12-00-00.000Z-v${read.version}.yaml`;
    expect(fs.readFileSync(path.join(historyDir, 'pos-compra', entry), 'utf8')).toBe(read.source);
    expect(files.history('pos-compra')).toEqual([{ entry, version: read.version, savedAt: Date.parse('2026-11-20T12:00:00.000Z') }]);
    expect(files.historySource('pos-compra', entry)).toBe(read.source);
    // No temporary file is left beside the flows.
    expect(fs.readdirSync(flowsDir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('tells the second of two editors, and writes nothing over the change on disk', () => {
    const read = readPosCompra();
    const theirs = read.source.replace('Troque pela dica', 'Troquei a dica');
    fs.writeFileSync(path.join(flowsDir, 'pos-compra.yaml'), theirs);
    const result = files.save('pos-compra', withSend(read.draft, 'dica', 'Oi de novo!'), read.revision);
    expect(result).toEqual({ ok: false, reason: 'conflict', current: { revision: sha(theirs), version: read.version } });
    expect(onDisk('pos-compra.yaml')).toBe(theirs);
    expect(fs.existsSync(historyDir)).toBe(false);
    // The other editor's save was the first one: it took.
    const again = files.save('pos-compra', withSend(read.draft, 'dica', 'Oi de novo!'), sha(theirs));
    expectOk(again);
  });

  it('refuses a broken draft with each error at its field in the new order, and writes nothing', () => {
    const read = readPosCompra();
    const steps = read.draft.steps;
    const pesquisa = steps.findIndex((step) => step.step.id === 'pesquisa');
    // The survey first; the thank-you with an unknown Liquid name; a branch to a step that is not there.
    const reordered = [steps[pesquisa]!, ...steps.filter((_, index) => index !== pesquisa)].map((step) => {
      if (step.step.id === 'agradecimento') return { ...step, step: { ...step.step, send: 'Oi, {{ cliente.nome }}!' } };
      if (step.step.id !== 'pesquisa') return step;
      const ask = step.step.ask as Record<string, unknown>;
      return { ...step, step: { ...step.step, ask: { ...ask, branches: { ...(ask.branches as object), detractor: 'nao-existe' } } } };
    });
    const result = files.save('pos-compra', { ...read.draft, steps: reordered }, read.revision);
    expect(result.ok).toBe(false);
    if (result.ok || result.reason !== 'invalid') throw new Error(`expected invalid, got ${JSON.stringify(result)}`);
    expect(result.errors.map((error) => error.path)).toEqual(['steps[0].ask.branches.detractor', 'steps[1].send']);
    const lines = result.source.split('\n');
    expect(lines[result.errors[0]!.line - 1]).toContain('detractor: nao-existe');
    expect(lines[result.errors[1]!.line - 1]).toContain('{{ cliente.nome }}');
    expect(result.errors[1]!.message).toContain('cliente');
    expect(onDisk('pos-compra.yaml')).toBe(read.source);
    expect(fs.existsSync(historyDir)).toBe(false);
  });

  it('turns a flow off and on, raising the version each time', () => {
    const read = readPosCompra();
    const off = files.setEnabled('pos-compra', false, read.revision);
    expectOk(off);
    expect(onDisk('pos-compra.yaml')).toBe(read.source.replace(/^version: \d+\nname: (.*)\n/m, `version: ${read.version + 1}\nname: $1\nenabled: false\n`));
    expect(loadFlows(flowsDir, { locale: 'pt-BR' }).flows.find((flow) => flow.id === 'pos-compra')?.enabled).toBe(false);
    clock.advance(60_000);
    const on = files.setEnabled('pos-compra', true, off.revision);
    expectOk(on);
    expect(onDisk('pos-compra.yaml')).toBe(read.source.replace(/^version: \d+$/m, `version: ${read.version + 2}`));
    expect(files.history('pos-compra').map((entry) => entry.version)).toEqual([read.version + 1, read.version]);
    // A stale revision is a conflict here too.
    expect(files.setEnabled('pos-compra', false, read.revision)).toMatchObject({ ok: false, reason: 'conflict' });
  });
});

describe('FlowFiles.restore', () => {
  it('brings a kept file back past the current version, keeping the current one', () => {
    const read = readPosCompra();
    const saved = files.save('pos-compra', withSend(read.draft, 'dica', 'Texto novo.'), read.revision);
    expectOk(saved);
    const [kept] = files.history('pos-compra');
    clock.advance(3_600_000);
    const restored = files.restore('pos-compra', kept!.entry, saved.revision);
    expectOk(restored);
    expect(restored.version).toBe(read.version + 2);
    expect(onDisk('pos-compra.yaml')).toBe(read.source.replace(/^version: \d+$/m, `version: ${read.version + 2}`));
    expect(files.history('pos-compra')).toEqual([
      { entry: `2026-11-20T13-00-00.000Z-v${read.version + 1}.yaml`, version: read.version + 1, savedAt: Date.parse('2026-11-20T13:00:00Z') },
      kept,
    ]);
    expect(files.historySource('pos-compra', files.history('pos-compra')[0]!.entry)).toContain('Texto novo.');
    expect(files.restore('pos-compra', kept!.entry, saved.revision)).toMatchObject({ ok: false, reason: 'conflict' });
  });
});

describe('FlowFiles.gallery and create', () => {
  it('lists the shipped flows then the gallery, with their first comment lines as description', () => {
    const gallery = files.gallery();
    expect(gallery.map((item) => item.id)).toEqual(['aniversario', 'pos-compra', 'recompra', 'reconquista', 'boas-vindas']);
    expect(gallery.at(-1)).toMatchObject({ name: 'Boas-vindas', description: 'Responde a primeira mensagem de um cliente com um olá.\nTroque o texto à vontade.' });
    expect(gallery[1]?.description).toMatch(/^Depois de cada compra: agradecimento, uma dica de uso, a pesquisa de 0 a 10 e, conforme/);
  });

  it('creates a new file at version 1 with an id no other flow has', () => {
    const first = files.create('pos-compra');
    expect(first).toMatchObject({ ok: true, id: 'pos-compra-2', file: 'pos-compra-2.yaml', version: 1 });
    const text = onDisk('pos-compra-2.yaml');
    expect(text).toMatch(/^id: pos-compra-2\nversion: 1\nname: Pós-compra 2\n/m);
    expect(text.startsWith('# Depois de cada compra')).toBe(true);
    expect(files.create('pos-compra')).toMatchObject({ ok: true, id: 'pos-compra-3' });
    expect(files.create('boas-vindas', { id: 'ola', name: 'Olá' })).toMatchObject({ ok: true, id: 'ola', file: 'ola.yaml' });
    expect(onDisk('ola.yaml')).toContain('id: ola\nversion: 1\nname: Olá\n');
    const loaded = loadFlows(flowsDir, { locale: 'pt-BR' });
    expect(loaded.errors).toEqual([]);
    expect(loaded.flows.map((flow) => flow.id).sort()).toEqual(['aniversario', 'ola', 'pos-compra', 'pos-compra-2', 'pos-compra-3', 'recompra', 'reconquista']);
    expect(files.create('nao-existe')).toEqual({ ok: false, reason: 'not_found' });
  });

  it('refuses an id or a name the loader refuses, writing nothing', () => {
    const before = fs.readdirSync(flowsDir).sort();
    const badId = files.create('pos-compra', { id: '../../fora' });
    expect(badId).toMatchObject({ ok: false, reason: 'invalid', errors: [{ path: 'id' }] });
    const badName = files.create('pos-compra', { id: 'outro', name: ' ' });
    expect(badName).toMatchObject({ ok: false, reason: 'invalid', errors: [{ path: 'name' }] });
    expect(fs.readdirSync(flowsDir).sort()).toEqual(before);
    expect(fs.readdirSync(tmp).sort()).toEqual(['flows', 'gallery']);
  });
});

describe('paths from the outside', () => {
  it('never leave the flows and history folders', () => {
    fs.writeFileSync(path.join(tmp, 'segredo.yaml'), 'id: segredo\nversion: 1\nname: S\ntrigger: manual\nsteps:\n  - id: a\n    end: true\n');
    fs.mkdirSync(path.join(historyDir, 'pos-compra'), { recursive: true });
    fs.copyFileSync(path.join(tmp, 'segredo.yaml'), path.join(historyDir, 'segredo.yaml'));
    const read = readPosCompra();
    expect(files.read('../segredo')).toBeUndefined();
    expect(files.save('../segredo', read.draft, read.revision)).toEqual({ ok: false, reason: 'not_found' });
    expect(files.history('../pos-compra')).toEqual([]);
    expect(files.historySource('pos-compra', '../segredo.yaml')).toBeUndefined();
    expect(files.historySource('pos-compra', '../../segredo.yaml')).toBeUndefined();
    expect(files.historySource('pos-compra', '2026-11-20T12-00-00.000Z-v1.yaml')).toBeUndefined();
    expect(files.restore('pos-compra', '../segredo.yaml', read.revision)).toEqual({ ok: false, reason: 'not_found' });
    expect(files.restore('pos-compra', '/etc/passwd', read.revision)).toEqual({ ok: false, reason: 'not_found' });
    expect(onDisk('pos-compra.yaml')).toBe(read.source);
  });
});

describe('loadFlowSource', () => {
  it('checks a text as a file of the folder, its id unique among the other files', () => {
    const source = onDisk('recompra.yaml');
    expect(loadFlowSource(flowsDir, 'recompra.yaml', source, { locale: 'pt-BR' }).errors).toEqual([]);
    const copy = loadFlowSource(flowsDir, 'outra.yaml', source, { locale: 'pt-BR' });
    expect(copy.flow).toBeNull();
    expect(copy.errors).toMatchObject([{ file: 'outra.yaml', path: 'id', line: 7 }]);
    expect(copy.errors[0]?.message).toContain('recompra.yaml');
  });
});

describe('flowFilesFor', () => {
  it('keeps the history in DATA_DIR/flow-history and offers the shipped flows', () => {
    const store = flowFilesFor({ flowsDir, dataDir: path.join(tmp, 'data'), locale: 'pt-BR' }, clock);
    const read = store.read('recompra');
    expect(read).toBeDefined();
    expectOk(store.setEnabled('recompra', false, read!.revision));
    expect(fs.readdirSync(path.join(tmp, 'data', 'flow-history', 'recompra'))).toEqual([`2026-11-20T12-00-00.000Z-v${read!.version}.yaml`]);
    expect(store.gallery().map((item) => item.id).slice(0, 4)).toEqual(['aniversario', 'pos-compra', 'recompra', 'reconquista']);
  });
});
