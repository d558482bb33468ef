import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeFlow } from '../../src/http/view-models/flow-in-words.js';
import { loadFlows } from '../../src/flows/load-flows.js';
import { runFregues } from '../helpers/run-fregues.js';

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

/** What `flows check` prints of a `valid` flow after the check: the Fluxos page's plain words (pt-BR). */
const inWords = (id: string, when = `Quando você inicia o fluxo para um cliente (POST /api/flows/${id}/runs)`) =>
  `\nFluxo ${id} (${id} v2, ${id}.yaml)\n  Quando: ${when}\n  1. Espera (a)\n     Espera 1 hora\n  2. Mensagem (b)\n     “oi”\n`;

describe('fregues flows check', () => {
  it('checks FLOWS_DIR (default ./flows), prints one line per flow, then each flow in plain words', async () => {
    write({ 'flows/a.yaml': valid('a'), 'flows/b.yaml': valid('b', 'purchase'), 'flows/README.md': 'leia-me' });
    expect(await run(['flows', 'check'])).toEqual({
      code: 0,
      out: `a v2 "Fluxo a": gatilho manual, passos: 2\nb v2 "Fluxo b": gatilho compra, passos: 2\nFluxos sem erros em flows: 2.\n${inWords('a')}${inWords('b', 'Depois de cada compra')}`,
      err: '',
    });
  });

  it('takes the folder from FLOWS_DIR or from the command line', async () => {
    write({ 'outros/a.yaml': valid('a'), 'terceira/c.yaml': valid('c') });
    const fromEnv = await run(['flows', 'check'], { FLOWS_DIR: 'outros' });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.out).toContain('Fluxos sem erros em outros: 1.');
    const fromArgument = await run(['flows', 'check', 'terceira'], { FLOWS_DIR: 'outros' });
    expect(fromArgument.out).toBe(`c v2 "Fluxo c": gatilho manual, passos: 2\nFluxos sem erros em terceira: 1.\n${inWords('c')}`);
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
        'b.yaml:10:11 passo "b" › next: nenhum passo tem o id nada; use o id de um passo deste fluxo ou end',
        'b.yaml:12:50 passo "c" › ask.branches.detrator: saída desconhecida para uma pergunta nps; use detractor, passive, promoter ou no_answer',
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
      // The check's lines (four flows and the verdict), then the four flows in plain words.
      const [check = '', ...flows] = result.out.trimEnd().split('\n\n');
      expect(check.split('\n')).toHaveLength(5);
      expect(flows).toHaveLength(4);
    }
  });

  it('issue 18: says what a flow does for customers who never wrote to the shop, and its contact filter', async () => {
    write({
      'flows/frio.yaml': [
        'id: frio',
        'version: 1',
        'name: Frio',
        'trigger: purchase',
        'filter: { contact: warm }',
        'cold: skip',
        'steps:',
        '  - id: obrigado',
        '    send: "Obrigado!"',
        '    cold: { wait_for_contact: 2h, then: end }',
        '',
      ].join('\n'),
    });
    const result = await run(['flows', 'check']);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      [
        'Frio (frio v1, frio.yaml)',
        '  Quando: Depois de cada compra',
        '  Só para quem já escreveu para a loja no WhatsApp (cliente quente).',
        '  Cliente que nunca escreveu para a loja: não recebe a mensagem, e o fluxo segue.',
        '  1. Mensagem (obrigado)',
        '     Cliente que nunca escreveu para a loja: espera até 2 horas que ele escreva primeiro (se escrever, a mensagem vai na hora); se não escrever, o fluxo termina.',
        '     “Obrigado!”',
      ].join('\n'),
    );
    const english = await run(['flows', 'check'], { LOCALE: 'en' });
    expect(english.out).toContain('     A customer who never wrote to the shop: waits up to 2 hours for them to write first (if they do, the message goes at once); if they do not, the flow ends.');
  });

  it('says each flow in the words of the Fluxos page (describeFlow), in the LOCALE', async () => {
    write({
      'flows/nps.yaml': [
        'id: nps',
        'version: 3',
        'name: Survey',
        'trigger: { type: purchase, products: [CAFE-*] }',
        'filter: { consent: marketing, not_tags: [wholesale] }',
        'steps:',
        '  - id: wait',
        '    wait: { for: 3d, until: "10:00", weekdays: [mon, tue] }',
        '  - id: survey',
        '    ask:',
        '      kind: nps',
        '      question: "From 0 to 10?"',
        '      timeout: 2d',
        '      branches: { detractor: sorry, no_answer: end }',
        '  - id: thanks',
        '    send: "Thanks!"',
        '    next: end',
        '  - id: sorry',
        '    alert_owner: "Call {{ customer.first_name }}"',
      ].join('\n'),
    });
    const result = await run(['flows', 'check'], { LOCALE: 'en' });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      [
        'nps v3 "Survey": trigger purchase, steps: 4',
        'Flows without errors in flows: 1.',
        '',
        'Survey (nps v3, nps.yaml)',
        '  When: After each purchase of CAFE-*',
        '  Only for customers who agreed to the shop’s messages (marketing).',
        '  Not for customers tagged wholesale.',
        '  1. Wait (wait)',
        '     Waits 3 days, then until 10:00 (only Mon or Tue)',
        '  2. Question (survey)',
        '     Score from 0 to 10 (NPS)',
        '     No answer within 2 days: goes on as "no answer".',
        '     “From 0 to 10?”',
        '     Score 0 to 6 → sorry',
        '     No answer → the end',
        '  3. Message (thanks)',
        '     Then goes to the end',
        '     “Thanks!”',
        '  4. Alert to the owner (sorry)',
        '     “Call {{ customer.first_name }}”',
        '',
      ].join('\n'),
    );
    // The same builder as the page: each sentence above is one of describeFlow's.
    const words = describeFlow(loadFlows(path.join(dir, 'flows'), { locale: 'en' }).flows[0]!, 'en');
    expect([words.trigger, ...words.filter, ...words.steps.flatMap((step) => [step.kindName, ...step.details, step.preview ?? ''])]).toEqual([
      'After each purchase of CAFE-*',
      'Only for customers who agreed to the shop’s messages (marketing).',
      'Not for customers tagged wholesale.',
      'Wait',
      'Waits 3 days, then until 10:00 (only Mon or Tue)',
      '',
      'Question',
      'Score from 0 to 10 (NPS)',
      'No answer within 2 days: goes on as "no answer".',
      'From 0 to 10?',
      'Message',
      'Then goes to the end',
      'Thanks!',
      'Alert to the owner',
      'Call {{ customer.first_name }}',
    ]);
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
