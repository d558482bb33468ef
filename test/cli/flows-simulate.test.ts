import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { runFregues } from '../helpers/run-fregues.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-cli-simulate-'));
  fs.cpSync(path.join(ROOT, 'flows'), path.join(dir, 'flows'), { recursive: true });
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}) {
  return runFregues(args, { cwd: dir, env, clock: new ManualClock(Date.parse('2026-03-02T12:00:00Z')) });
}

/** The lines after the header, each reduced to "dd/mm hh:mm  what". */
function timeline(lines: string[]): string[] {
  return lines.slice(1).map((line) => line.replace(/^\S+\s+(\d\d\/\d\d),\s+(\d\d:\d\d)\s+/, '$1 $2  '));
}

describe('fregues flows simulate', () => {
  it('prints the pos-compra journey of a promoter with local times and the branch taken, writing nothing', async () => {
    const result = await run(['flows', 'simulate', 'pos-compra', '--answers', '9', '--days', '30', '--start', '2026-03-02T09:00']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.lines[0]).toContain('Simulação do fluxo pos-compra v3 para +5511912345678');
    expect(result.lines[0]).toContain('America/Sao_Paulo');
    const steps = timeline(result.lines);
    expect(steps[0]).toMatch(/^02\/03 10:00 {2}→ cliente {2}Oi, Ana! .*obrigado pela compra/);
    expect(steps[1]).toMatch(/^05\/03 10:00 {2}→ cliente {2}.*dica/);
    expect(steps[2]).toMatch(/^08\/03 10:00 {2}→ cliente {2}Ana, de 0 a 10.* \[0 \| 1 .* \| 10\]$/);
    expect(steps[3]).toBe('08/03 10:10  ← resposta  9');
    expect(steps[4]).toBe('08/03 10:10  ↳ Nota 9 ou 10: segue para marca-promotor');
    expect(steps[5]).toMatch(/^08\/03 10:10 {2}→ cliente {2}.*contato de um amigo/);
    expect(result.lines.at(-1)).toBe('O fluxo chega ao fim.');
    // Nothing real was touched: no database, no data folder.
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('shows the birthday message skipped for a customer who never wrote to the shop (cold: skip), and sent with --warm', async () => {
    const cold = await run(['flows', 'simulate', 'aniversario', '--start', '2026-03-02T09:00', '--days', '3']);
    expect(cold.err).toBe('');
    expect(cold.code).toBe(0);
    expect(timeline(cold.lines)).toEqual([
      '03/03 09:00  ✗ pulada   Feliz aniversário, Ana! 🎂 Toda a equipe Minha Loja deseja um dia lindo, cheio de alegria. Obrigado por estar com a gente! (não enviada: o cliente ainda não escreveu para a loja, e o fluxo pula quem nunca escreveu)',
      'O fluxo chega ao fim.',
    ]);

    const warm = await run(['flows', 'simulate', 'aniversario', '--start', '2026-03-02T09:00', '--days', '3', '--warm']);
    expect(warm.code).toBe(0);
    expect(timeline(warm.lines)).toEqual([
      '03/03 09:00  → cliente  Feliz aniversário, Ana! 🎂 Toda a equipe Minha Loja deseja um dia lindo, cheio de alegria. Obrigado por estar com a gente!',
      'O fluxo chega ao fim.',
    ]);
  });

  it('sends pos-compra’s thank-you at once to a --warm customer, with no hour waiting for them to write', async () => {
    const { lines } = await run(['flows', 'simulate', 'pos-compra', '--start', '2026-03-02T09:00', '--days', '1', '--warm']);
    expect(timeline(lines)[0]).toMatch(/^02\/03 09:00 {2}→ cliente {2}Oi, Ana! .*obrigado pela compra/);
  });

  it('says in the seller’s language why a message was skipped', async () => {
    const { lines } = await run(['flows', 'simulate', 'reconquista', '--start', '2026-03-02T09:00', '--days', '3'], { LOCALE: 'en' });
    expect(lines.some((line) => /✗ skipped {3}Oi, Ana! Quanto tempo!.*\(not sent: the customer has not written to the shop yet, and the flow skips those who never wrote\)$/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('→ customer'))).toBe(false);
  });

  it('reads a --start with seconds and no zone as a local time in TIMEZONE, like one without seconds', async () => {
    const withSeconds = await run(['flows', 'simulate', 'pos-compra', '--days', '1', '--start', '2026-03-02T09:00:30']);
    const without = await run(['flows', 'simulate', 'pos-compra', '--days', '1', '--start', '2026-03-02T09:00']);
    expect(withSeconds.code).toBe(0);
    expect(withSeconds.lines).toEqual(without.lines);
  });

  it('shows a detractor alert to the owner, even before OWNER_PHONE is set', async () => {
    const { code, lines } = await run(['flows', 'simulate', 'pos-compra', '--answers', '3', '--start', '2026-03-02T09:00']);
    expect(code).toBe(0);
    const steps = timeline(lines);
    expect(steps).toContain('08/03 10:10  ↳ Nota 0 a 6: segue para desculpas');
    expect(steps.some((line) => /^08\/03 10:10 {2}→ dono {4}.*nota 3 de 0 a 10/.test(line))).toBe(true);
    expect(steps.some((line) => /→ cliente {2}Poxa, Ana/.test(line))).toBe(true);
  });

  it('shows a message due in quiet hours moving to the morning, with when it was due', async () => {
    const { lines } = await run(['flows', 'simulate', 'pos-compra', '--start', '2026-03-07T21:30', '--days', '2']);
    const first = timeline(lines)[0]!;
    expect(first).toMatch(/^08\/03 09:00 {2}→ cliente/);
    expect(first).toMatch(/\(previsto para \S+ 07\/03, 22:30; adiado pelo horário de silêncio/);
    expect(lines.at(-1)).toBe('O fluxo continua depois do período simulado.');
  });

  it('follows no_answer when the customer never answers', async () => {
    const { lines } = await run(['flows', 'simulate', 'pos-compra', '--start', '2026-03-02T09:00', '--days', '20']);
    const steps = timeline(lines);
    expect(steps.some((line) => /↳ Sem resposta: segue para /.test(line))).toBe(true);
    expect(steps.some((line) => line.includes('← resposta'))).toBe(false);
  });

  it('reads the shop time zone and language from the environment', async () => {
    const { lines } = await run(['flows', 'simulate', 'pos-compra', '--answers', '9', '--start', '2026-03-02T09:00', '--phone', '(21) 98888-7777'], {
      LOCALE: 'en',
      TIMEZONE: 'America/Manaus',
    });
    expect(lines[0]).toContain('Simulation of flow pos-compra v3 for +5521988887777');
    expect(lines[0]).toContain('America/Manaus');
    expect(lines.some((line) => line.includes('↳ Score 9 or 10: goes on to'))).toBe(true);
  });

  it('reads answers as the inbox reads real replies: typed words, then a question asked again once', async () => {
    const typed = timeline((await run(['flows', 'simulate', 'pos-compra', '--answer', 'nota 9, mas atrasou', '--start', '2026-03-02T09:00'])).lines);
    expect(typed).toContain('08/03 10:10  ← resposta  nota 9, mas atrasou');
    expect(typed).toContain('08/03 10:10  ↳ Nota 9 ou 10: segue para marca-promotor');

    const unclear = timeline((await run(['flows', 'simulate', 'pos-compra', '--answer', 'hmm, sei la', '--answer', 'oito', '--start', '2026-03-02T09:00'])).lines);
    const at = unclear.indexOf('08/03 10:10  ← resposta  hmm, sei la');
    expect(at).toBeGreaterThan(0);
    // The inbox's clarification, then the second reply read as the score.
    expect(unclear[at + 1]).toMatch(/^08\/03 10:10 {2}→ cliente {2}Só pra eu anotar certinho: qual nota você dá, de 0 a 10/);
    expect(unclear[at + 2]).toBe('08/03 10:20  ← resposta  oito');
    expect(unclear[at + 3]).toBe('08/03 10:20  ↳ Nota 7 ou 8: segue para obrigado-nota');
  });

  it('names a choice taken by its option’s label, and the end as the Fluxos page does', async () => {
    fs.writeFileSync(
      path.join(dir, 'flows', 'melhorar.yaml'),
      [
        'id: melhorar',
        'version: 1',
        'name: Melhorar',
        'trigger: manual',
        'steps:',
        '  - id: pergunta',
        '    ask:',
        '      kind: choice',
        '      question: "O que podia ser melhor?"',
        '      options:',
        '        - Entrega',
        '        - { key: outro, label: "Outra coisa" }',
        '      branches: { outro: end }',
        '  - id: obrigado',
        '    send: "Anotado"',
      ].join('\n'),
    );
    const { code, err, lines } = await run(['flows', 'simulate', 'melhorar', '--answers', '2', '--start', '2026-03-02T09:00']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const steps = timeline(lines);
    expect(steps.some((line) => line.endsWith('↳ Outra coisa: segue para o fim'))).toBe(true);
    expect(lines.at(-1)).toBe('O fluxo chega ao fim.');
  });

  it('takes answers one by one with --answer, keeping their commas', async () => {
    fs.writeFileSync(
      path.join(dir, 'flows', 'opiniao.yaml'),
      [
        'id: opiniao',
        'version: 1',
        'name: Opinião',
        'trigger: manual',
        'steps:',
        '  - id: pergunta',
        '    ask:',
        '      kind: text',
        '      question: "O que achou?"',
        '  - id: obrigado',
        '    send: "Anotado: {{ answer.value }}"',
      ].join('\n'),
    );
    const { code, err, lines } = await run(['flows', 'simulate', 'opiniao', '--answer', 'bom, mas atrasou', '--start', '2026-03-02T09:00']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const steps = timeline(lines);
    expect(steps.some((line) => /^02\/03 09:1\d {2}← resposta {2}bom, mas atrasou$/.test(line))).toBe(true);
    expect(steps.some((line) => line.endsWith('↳ Respondeu: segue para obrigado'))).toBe(true);
    expect(steps.some((line) => line.endsWith('Anotado: bom, mas atrasou'))).toBe(true);
  });

  it.each([
    [['flows', 'simulate'], 'Informe o fluxo'],
    [['flows', 'simulate', 'nao-existe'], 'O fluxo nao-existe não existe em flows. Fluxos disponíveis: aniversario, pos-compra, recompra, reconquista'],
    [['flows', 'simulate', 'pos-compra', '--days', '0'], '--days deve ser um número inteiro de 1 a 366, não "0"'],
    [['flows', 'simulate', 'pos-compra', '--start', 'amanhã'], '--start deve ser uma data e hora ISO 8601'],
    [['flows', 'simulate', 'pos-compra', '--phone', '123'], '--phone "123": '],
    [['flows', 'simulate', 'pos-compra', '--dias', '3'], "Unknown option '--dias'"],
    [['flows', 'simulate', 'pos-compra', '--warm=sim'], "Option '--warm' does not take an argument"],
  ])('refuses %j with a clear message', async (args, message) => {
    const { code, out, err } = await run(args);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain(message);
  });

  it('refuses to simulate while a flow in the folder is broken, with file and line', async () => {
    fs.writeFileSync(path.join(dir, 'flows', 'quebrado.yaml'), 'id: quebrado\nversion: 1\nname: Q\ntrigger: manual\nsteps:\n  - id: a\n    send: "{{ cliente.nome }}"\n');
    const { code, err } = await run(['flows', 'simulate', 'pos-compra']);
    expect(code).toBe(1);
    expect(err).toMatch(/quebrado\.yaml:7/);
  });
});
