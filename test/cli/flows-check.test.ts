import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFregues } from '../helpers/cli.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-cli-flows-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string> = {}) {
  const { code, out, err } = await runFregues(args, { cwd: dir, env });
  return { code, out, err };
}

function write(files: Record<string, string>) {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}

const valid = (id: string, trigger = 'manual') => `id: ${id}\nversion: 2\nname: Fluxo ${id}\ntrigger: ${trigger}\nsteps:\n  - id: a\n    wait: 1h\n  - id: b\n    send: oi\n`;

describe('fregues flows check', () => {
  it('checks FLOWS_DIR (default ./flows) and prints one line per flow', async () => {
    write({ 'flows/a.yaml': valid('a'), 'flows/b.yaml': valid('b', 'purchase'), 'flows/README.md': 'leia-me' });
    expect(await run(['flows', 'check'])).toEqual({
      code: 0,
      out: 'a v2 "Fluxo a": gatilho manual, passos: 2\nb v2 "Fluxo b": gatilho purchase, passos: 2\nFluxos sem erros em flows: 2.\n',
      err: '',
    });
  });

  it('takes the folder from FLOWS_DIR or from the command line', async () => {
    write({ 'outros/a.yaml': valid('a'), 'terceira/c.yaml': valid('c') });
    const fromEnv = await run(['flows', 'check'], { FLOWS_DIR: 'outros' });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.out).toContain('Fluxos sem erros em outros: 1.');
    const fromArgument = await run(['flows', 'check', 'terceira'], { FLOWS_DIR: 'outros' });
    expect(fromArgument.out).toBe('c v2 "Fluxo c": gatilho manual, passos: 2\nFluxos sem erros em terceira: 1.\n');
  });

  it('prints every error with file, line and path, and exits 1', async () => {
    write({
      'flows/a.yaml': valid('a'),
      'flows/b.yaml': `${valid('b')}    next: nada\n  - id: c\n    ask: { kind: nps, question: "?", branches: { detrator: end } }\n`,
      'flows/c.yaml': valid('a'),
    });
    expect(await run(['flows', 'check'])).toEqual({
      code: 1,
      out: '',
      err: [
        'b.yaml:10:11 steps[1].next: nenhum passo tem o id nada; use o id de um passo deste fluxo ou end',
        'b.yaml:12:50 steps[2].ask.branches.detrator: saída desconhecida para uma pergunta nps; use detractor, passive, promoter ou no_answer',
        'c.yaml:1:5 id: id de fluxo repetido: a já é usado em a.yaml',
        'Erros nos fluxos de flows: 3. O serviço não inicia até que sejam corrigidos.',
        '',
      ].join('\n'),
    });
  });

  it('speaks the LOCALE', async () => {
    write({ 'flows/a.yaml': 'id: a\n' });
    const result = await run(['flows', 'check'], { LOCALE: 'en' });
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      [
        'a.yaml:1:1 version: required field',
        'a.yaml:1:1 name: required field',
        'a.yaml:1:1 trigger: required field',
        'a.yaml:1:1 steps: required field',
        'Errors in the flows of flows: 4. The service will not start until they are fixed.',
        '',
      ].join('\n'),
    );
  });

  it('says so when the folder is missing, and accepts an empty one', async () => {
    const missing = await run(['flows', 'check', 'nada']);
    expect(missing).toEqual({
      code: 1,
      out: '',
      err: `${path.join(dir, 'nada')}: a pasta de fluxos não existe (confira FLOWS_DIR)\nErros nos fluxos de nada: 1. O serviço não inicia até que sejam corrigidos.\n`,
    });
    fs.mkdirSync(path.join(dir, 'vazia'));
    expect(await run(['flows', 'check', 'vazia'])).toEqual({ code: 0, out: 'Nenhum fluxo em vazia: a pasta não tem arquivos .yaml.\n', err: '' });
  });

  it('passes the shipped flows and examples', async () => {
    for (const folder of ['flows', 'examples/en', 'examples/es']) {
      const result = await run(['flows', 'check', path.join(ROOT, folder)]);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(result.out.split('\n').filter((line) => line !== '')).toHaveLength(5);
    }
  });

  it('refuses an unknown subcommand or extra arguments, and a bad configuration', async () => {
    for (const args of [['flows'], ['flows', 'lint'], ['flows', 'check', 'a', 'b']]) {
      const result = await run(args);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/^Comando desconhecido: flows.*\n\nUso: fregues <comando>/);
    }
    const badConfig = await run(['flows', 'check'], { LOCALE: 'fr' });
    expect(badConfig.code).toBe(1);
    expect(badConfig.err).toContain('LOCALE="fr"');
  });

  it('is in the help', async () => {
    const result = await run(['help']);
    expect(result.out).toContain('flows check [pasta]');
  });
});
