import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advance, type EngineContext } from '../../src/flows/engine.js';
import type { Flow } from '../../src/flows/flow-types.js';
import { formatFlowErrors, loadFlows } from '../../src/flows/load-flows.js';
import { renderTemplate, SAMPLE_CONTEXT } from '../../src/flows/render-template.js';
import { EMPTY_RUN_STATE, type Run } from '../../src/flows/run-types.js';
import { buildDryRunTimeline } from '../../src/http/view-models/flow-dry-run.js';
import { describeFlow } from '../../src/http/view-models/flow-in-words.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { createTestApp } from '../helpers/app.js';
import { runFregues } from '../helpers/run-fregues.js';
import { ask, buildFlow, sendText, step } from '../helpers/flows.js';

// Issue 20: the gallery's ready flows and the two triggers they brought (tagged, first_message),
// read by the real loader, in the seller's words, and as GET /api/flows shows them.

const GALLERY = path.resolve(import.meta.dirname, '../../gallery');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-gallery-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function load(yaml: string) {
  fs.writeFileSync(path.join(dir, 'f.yaml'), yaml);
  return loadFlows(dir, { locale: 'pt-BR' });
}

function errorsOf(yaml: string): string[] {
  return formatFlowErrors(load(yaml).errors).split('\n').filter((line) => line !== '');
}

const STEPS = 'steps:\n  - id: oi\n    send: "Oi!"\n';

describe('the tagged trigger', () => {
  it('reads `trigger: { type: tagged, tag: promotor }`, the tag written any way normalised as tags are', () => {
    const { flows, errors } = load(`id: t\nversion: 1\nname: T\ntrigger:\n  type: tagged\n  tag: " Promotor "\n${STEPS}`);
    expect(errors).toEqual([]);
    expect(flows[0]?.trigger).toEqual({ type: 'tagged', tag: 'promotor' });
  });

  it.each<[string, string, string[]]>([
    ['a missing tag', 'trigger:\n  type: tagged\n', ['f.yaml:4:1 trigger.tag: campo obrigatório']],
    [
      'an invalid tag',
      'trigger:\n  type: tagged\n  tag: "não pode!"\n',
      ['f.yaml:6:8 trigger.tag: etiqueta inválida: não pode!; use letras, números, - ou _ (até 40 caracteres)'],
    ],
    ['a list of tags', 'trigger:\n  type: tagged\n  tag: [promotor, vip]\n', ['f.yaml:6:8 trigger.tag: etiqueta inválida: ["promotor","vip"]; use letras, números, - ou _ (até 40 caracteres)']],
    [
      'a key of another trigger',
      'trigger:\n  type: tagged\n  tag: promotor\n  days: 3\n',
      ['f.yaml:7:3 trigger.days: campo desconhecido: days (aceitos: type, tag)'],
    ],
  ])('%s is an error at its line, in pt-BR', (_, trigger, expected) => {
    expect(errorsOf(`id: t\nversion: 1\nname: T\n${trigger}${STEPS}`)).toEqual(expected);
  });
});

describe('the first_message trigger', () => {
  it('reads `trigger: first_message` and its long form', () => {
    expect(load(`id: t\nversion: 1\nname: T\ntrigger: first_message\n${STEPS}`).flows[0]?.trigger).toEqual({ type: 'first_message' });
    expect(load(`id: t\nversion: 1\nname: T\ntrigger: { type: first_message }\n${STEPS}`).flows[0]?.trigger).toEqual({ type: 'first_message' });
  });

  it('takes no other key', () => {
    expect(errorsOf(`id: t\nversion: 1\nname: T\ntrigger:\n  type: first_message\n  tag: vip\n${STEPS}`)).toEqual([
      'f.yaml:6:3 trigger.tag: campo desconhecido: tag (aceitos: type)',
    ]);
  });

  it('is offered among the trigger types when one is misspelt', () => {
    expect(errorsOf(`id: t\nversion: 1\nname: T\ntrigger: primeira_mensagem\n${STEPS}`)).toEqual([
      'f.yaml:4:1 trigger.type: valor desconhecido: primeira_mensagem; use purchase, birthday, inactivity, repurchase, manual, tagged, first_message ou purchase_count',
    ]);
  });
});

describe('shop.review_url in templates', () => {
  it('is a name templates may use; a misspelt one is an error naming the real names', () => {
    expect(load(`id: t\nversion: 1\nname: T\ntrigger: manual\nsteps:\n  - id: a\n    send: "Avalie: {{ shop.review_url }}"\n`).errors).toEqual([]);
    const [line] = errorsOf(`id: t\nversion: 1\nname: T\ntrigger: manual\nsteps:\n  - id: a\n    send: "Avalie: {{ shop.review_link }}"\n`);
    expect(line).toMatch(/^f\.yaml:7:11 passo "a" › send: .*shop\.review_link/);
    expect(line).toContain('shop.review_url');
  });
});

describe('the gallery', () => {
  it('every gallery/*.yaml loads with the real loader, without one error', () => {
    const files = fs.readdirSync(GALLERY).filter((name) => name.endsWith('.yaml'));
    expect(files.sort()).toEqual(['avaliacao-google.yaml', 'boas-vindas.yaml', 'venda-cruzada.yaml']);
    const { flows, errors } = loadFlows(GALLERY, { locale: 'pt-BR' });
    expect(formatFlowErrors(errors)).toBe('');
    expect(flows.map((flow) => [flow.id, flow.trigger])).toEqual([
      ['avaliacao-google', { type: 'tagged', tag: 'promotor' }],
      ['boas-vindas', { type: 'first_message' }],
      ['venda-cruzada', { type: 'purchase', products: ['CAFE-*'] }],
    ]);
  });

  it('each file opens with comment lines that say what it does (the gallery shows them as its description)', () => {
    for (const name of fs.readdirSync(GALLERY).filter((file) => file.endsWith('.yaml'))) {
      const lines = fs.readFileSync(path.join(GALLERY, name), 'utf8').split('\n');
      const head = lines.slice(0, lines.findIndex((line) => !line.startsWith('#')));
      expect(head.length, name).toBeGreaterThanOrEqual(3);
      expect(head.join(' '), name).not.toMatch(/\b(the|when|customer|flow)\b/i);
    }
  });

  it('says the new triggers in the seller’s words, in the three languages', () => {
    const { flows } = loadFlows(GALLERY, { locale: 'pt-BR' });
    const byId = (id: string) => flows.find((flow) => flow.id === id)!;
    expect(describeFlow(byId('avaliacao-google'), 'pt-BR').trigger).toBe('Quando o cliente recebe a etiqueta promotor');
    expect(describeFlow(byId('boas-vindas'), 'pt-BR').trigger).toBe('Quando o cliente escreve pela primeira vez');
    expect(describeFlow(byId('avaliacao-google'), 'en').trigger).toBe('When the customer gets the tag promotor');
    expect(describeFlow(byId('boas-vindas'), 'es').trigger).toBe('Cuando el cliente escribe por primera vez');
  });

  it('GET /api/flows shows the new triggers in the file’s own terms', async () => {
    const { flows } = loadFlows(GALLERY, { locale: 'pt-BR' });
    const t = await createTestApp({ flows });
    try {
      const response = await t.api({ method: 'GET', url: '/api/flows' });
      expect(response.statusCode).toBe(200);
      const listed = response.json<{ flows: { id: string; trigger: unknown }[] }>().flows;
      expect(listed.map((flow) => [flow.id, flow.trigger])).toEqual([
        ['avaliacao-google', { type: 'tagged', tag: 'promotor' }],
        ['boas-vindas', { type: 'first_message' }],
        ['venda-cruzada', { type: 'purchase', products: ['CAFE-*'] }],
      ]);
    } finally {
      await t.close();
    }
  });
});

describe('the engine and {{ shop.review_url }} left empty', () => {
  const T0 = Date.parse('2026-11-20T13:00:00Z');
  const HOUR = 3_600_000;

  function context(flow: Flow, now: number, reviewUrl: string, contact: 'warm' | 'cold' = 'warm'): EngineContext {
    let count = 0;
    return {
      flow,
      now,
      timezone: 'America/Sao_Paulo',
      template: { ...SAMPLE_CONTEXT, shop: { name: 'Café da Ana', review_url: reviewUrl } },
      render: (template, ctx) => renderTemplate(template, ctx, 'America/Sao_Paulo'),
      newMessageId: () => `msg-${++count}`,
      yesNoLabels: { yes: 'Sim', no: 'Não' },
      contact,
    };
  }

  function run(flow: Flow): Run {
    return { id: 7, flowId: flow.id, flowHash: flow.hash, customerId: 1, occurrence: 'manual:1', purchaseId: null, status: 'waiting', stepId: flow.steps[0]!.id, wakeAt: T0, state: EMPTY_RUN_STATE, endReason: null, createdAt: T0, updatedAt: T0, endedAt: null };
  }

  it('a send naming it is skipped with no_review_url (even for a cold customer whose flow would send), the next step runs; with the URL it goes', () => {
    const flow = buildFlow('f', [step('link', sendText('Avalie aqui: {{ shop.review_url }}')), step('depois', sendText('Obrigado!'))]);
    const empty = advance(run(flow), { kind: 'due' }, context(flow, T0, '', 'cold'));
    expect(empty.effects.map((effect) => [effect.kind, 'reason' in effect ? effect.reason : undefined])).toEqual([
      ['skipped', 'no_review_url'],
      ['message', undefined],
    ]);
    const set = advance(run(flow), { kind: 'due' }, context(flow, T0, 'https://g.page/r/x/review'));
    expect(set.effects.map((effect) => (effect.kind === 'message' && effect.content.kind === 'text' ? effect.content.text : effect.kind))).toEqual([
      'Avalie aqui: https://g.page/r/x/review',
      'Obrigado!',
    ]);
  });

  it('a message that does not name it goes as usual; a question naming it is not asked and takes no_answer', () => {
    const flow = buildFlow('f', [
      step('pergunta', ask('yes_no', { question: 'Já avaliou? {{ shop.review_url }}', branches: { no_answer: 'fim' } })),
      step('outra', sendText('Não devia chegar aqui')),
      step('fim', sendText('Até mais, {{ shop.name }}')),
    ]);
    const result = advance(run(flow), { kind: 'due' }, context(flow, T0, ''));
    expect(result.effects.map((effect) => effect.kind)).toEqual(['skipped', 'message']);
    expect(result.run.status).toBe('done');
  });

  it('a reminder naming it is recorded as skipped when due; the question itself was asked', () => {
    const flow = buildFlow('f', [step('pergunta', ask('yes_no', { question: 'Gostou?', reminder: { afterMs: HOUR, text: 'Se puder, avalie: {{ shop.review_url }}' } }))]);
    const asked = advance(run(flow), { kind: 'due' }, context(flow, T0, ''));
    expect(asked.effects.map((effect) => effect.kind)).toEqual(['message']);
    const reminded = advance(asked.run, { kind: 'due' }, context(flow, T0 + HOUR, ''));
    expect(reminded.effects).toEqual([expect.objectContaining({ kind: 'skipped', reason: 'no_review_url', dedupeKey: '7:pergunta:1:reminder' })]);
  });
});

describe('fregues flows simulate with the gallery’s triggers', () => {
  const simulate = (id: string, env: Record<string, string> = {}) =>
    runFregues(['flows', 'simulate', id, '--start', '2026-03-02T09:00', '--days', '5', '--warm'], {
      cwd: dir,
      env: { FLOWS_DIR: GALLERY, DATA_DIR: dir, SHOP_NAME: 'Café da Ana', ...env },
      clock: new ManualClock(Date.parse('2026-03-02T12:00:00Z')),
    });

  it('first_message: the welcome at once', async () => {
    const result = await simulate('boas-vindas');
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('Oi, Ana! Que bom ter você por aqui 😊 Aqui é a equipe Café da Ana.');
  });

  it('tagged: the review link two days later at 10:00, or the skip and why without SHOP_REVIEW_URL', async () => {
    const sent = await simulate('avaliacao-google', { SHOP_REVIEW_URL: 'https://g.page/r/CafeDaAna/review' });
    expect(sent.code, sent.err).toBe(0);
    expect(sent.lines.find((line) => line.includes('avaliação no Google'))).toMatch(/^qua\., 04\/03, 10:00 .*https:\/\/g\.page\/r\/CafeDaAna\/review$/);
    const skipped = await simulate('avaliacao-google');
    expect(skipped.lines.find((line) => line.includes('avaliação no Google'))).toMatch(/✗ pulada .*\(não enviada: a mensagem leva \{\{ shop\.review_url \}\}, e SHOP_REVIEW_URL está vazio\)$/);
  });
});

describe('the Fluxos page’s dry run', () => {
  it('says why a review request was not sent, apart from a cold customer’s skip', () => {
    const at = Date.parse('2026-11-20T13:00:00Z');
    const timeline = buildDryRunTimeline(
      {
        entries: [
          { at, who: 'skipped', text: 'Avalie: ', dueAt: null, skipReason: 'no_review_url' },
          { at, who: 'skipped', text: 'Feliz aniversário!', dueAt: null },
        ],
        endReason: 'completed',
      },
      { start: at, name: 'Maria', days: 3 },
      { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
    );
    expect(timeline.entries.map((entry) => entry.skipped)).toEqual([
      'Não enviada para Maria: a mensagem leva o link de avaliação da loja, e SHOP_REVIEW_URL está vazio.',
      'Não enviada: Maria ainda não escreveu para a loja, e este fluxo pula quem nunca escreveu.',
    ]);
  });
});
