import { describe, expect, it } from 'vitest';
import type { Trigger } from '../../../src/flows/flow-types.js';
import { describeFlow, flowPhrases } from '../../../src/http/view-models/flow-in-words.js';
import { ask, buildFlow, sendText, step, waitFor, waitUntil } from '../../helpers/flows.js';

// A flow in plain words from a flow given as data: what the Fluxos pages and `fregues flows check` say.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Every step kind, a jump, a reminder, a poll with options and the branches of a choice. */
const flow = buildFlow(
  'tudo',
  [
    step('espera', waitFor(DAY + 12 * HOUR)),
    step('manha', waitUntil(3 * DAY, '10:00', ['mon', 'fri'])),
    step('foto', { kind: 'send', text: null, image: { file: 'cafe.jpg', caption: 'Nosso café\n  da manhã' } }),
    step(
      'sabor',
      ask('choice', {
        question: 'Qual sabor?',
        poll: true,
        options: [
          { key: 'forte', label: 'Forte' },
          { key: 'suave', label: 'Suave' },
        ],
        reminder: { afterMs: DAY, text: 'Lembra de escolher?' },
        timeoutMs: 14 * DAY,
        branches: { forte: 'marca', suave: 'end', no_answer: 'fim' },
      }),
    ),
    step('marca', { kind: 'tag', tags: ['forte', 'vip'] }),
    step('desmarca', { kind: 'untag', tags: ['suave'] }, { next: 'aviso' }),
    step('pula', { kind: 'goto', target: 'end' }),
    step('aviso', { kind: 'alert_owner', text: 'Ligar para {{ customer.first_name }}' }),
    step('fim', { kind: 'end' }),
  ],
  { version: 4, name: 'Tudo', trigger: { type: 'purchase', products: ['CAFE-*', 'FILTRO'] }, filter: { consent: 'marketing', tagsAll: ['vip', 'sp'], tagsNone: ['atacado'], products: ['*'] } },
);

describe('describeFlow', () => {
  it('says what starts the flow, who it is for, and each step, in pt-BR', () => {
    expect(describeFlow(flow, 'pt-BR')).toEqual({
      id: 'tudo',
      name: 'Tudo',
      version: 4,
      file: 'tudo.yaml',
      trigger: 'Depois de cada compra de CAFE-* ou FILTRO',
      filter: [
        'Só para quem aceitou receber mensagens da loja (marketing).',
        'Só para clientes com as etiquetas vip e sp.',
        'Não vale para clientes com a etiqueta atacado.',
        'Só para quem já comprou qualquer produto.',
      ],
      steps: [
        { id: 'espera', kind: 'wait', kindName: 'Espera', details: ['Espera 1 dia e 12 horas'], preview: null, branches: [] },
        { id: 'manha', kind: 'wait', kindName: 'Espera', details: ['Espera 3 dias e depois até as 10:00 (só seg. ou sex.)'], preview: null, branches: [] },
        { id: 'foto', kind: 'send', kindName: 'Mensagem', details: ['Imagem: cafe.jpg'], preview: 'Nosso café da manhã', branches: [] },
        {
          id: 'sabor',
          kind: 'ask',
          kindName: 'Pergunta',
          details: ['Escolha entre opções, como enquete', 'Opções: Forte e Suave', 'Lembrete depois de 1 dia: Lembra de escolher?', 'Sem resposta em 2 semanas: segue como "sem resposta".'],
          preview: 'Qual sabor?',
          branches: [
            { outcome: 'Forte', target: 'marca' },
            { outcome: 'Suave', target: 'o fim' },
            { outcome: 'Sem resposta', target: 'fim' },
          ],
        },
        { id: 'marca', kind: 'tag', kindName: 'Põe etiqueta', details: ['forte e vip'], preview: null, branches: [] },
        { id: 'desmarca', kind: 'untag', kindName: 'Tira etiqueta', details: ['suave', 'Depois vai para aviso'], preview: null, branches: [] },
        { id: 'pula', kind: 'goto', kindName: 'Pula', details: ['Vai para o fim'], preview: null, branches: [] },
        { id: 'aviso', kind: 'alert_owner', kindName: 'Aviso para o dono', details: [], preview: 'Ligar para {{ customer.first_name }}', branches: [] },
        { id: 'fim', kind: 'end', kindName: 'Fim', details: [], preview: null, branches: [] },
      ],
    });
  });

  it('says every trigger', () => {
    const says = (trigger: Trigger) => describeFlow(buildFlow('f', [step('a', sendText('oi'))], { trigger }), 'pt-BR').trigger;
    expect(says({ type: 'purchase', products: null })).toBe('Depois de cada compra');
    expect(says({ type: 'birthday', daysBefore: 0, at: 9 * 60 })).toBe('No dia do aniversário, às 09:00');
    expect(says({ type: 'birthday', daysBefore: 7, at: 9 * 60 + 30 })).toBe('1 semana antes do aniversário, às 09:30');
    expect(says({ type: 'inactivity', days: 120, at: 10 * 60 })).toBe('120 dias sem comprar, às 10:00');
    expect(says({ type: 'repurchase', days: 30, products: ['*'], at: null })).toBe('30 dias depois de uma compra de qualquer produto');
    expect(says({ type: 'repurchase', days: 30, products: ['CAFE-*'], at: 10 * 60 })).toBe('30 dias depois de uma compra de CAFE-*, às 10:00');
    expect(says({ type: 'manual' })).toBe('Quando você inicia o fluxo para um cliente (POST /api/flows/f/runs)');
  });

  it('cuts a long message to a one-line preview', () => {
    const long = `${'a'.repeat(100)}\n\n${'b'.repeat(200)}`;
    const [shown] = describeFlow(buildFlow('f', [step('a', sendText(long))]), 'pt-BR').steps;
    expect(shown!.preview).toBe(`${'a'.repeat(100)} ${'b'.repeat(138)}…`);
    expect(shown!.preview).toHaveLength(240);
  });

  it('speaks the locale', () => {
    const words = describeFlow(flow, 'en');
    expect(words.trigger).toBe('After each purchase of CAFE-* or FILTRO');
    expect(words.steps.map((shown) => shown.kindName)).toEqual(['Wait', 'Wait', 'Message', 'Question', 'Add tag', 'Remove tag', 'Jump', 'Alert to the owner', 'End']);
    expect(words.steps[0]!.details).toEqual(['Waits 1 day and 12 hours']);
    expect(words.steps[3]!.branches.at(-1)).toEqual({ outcome: 'No answer', target: 'fim' });
    expect(describeFlow(flow, 'es').steps[0]!.details).toEqual(['Espera 1 día y 12 horas']);
  });
});

describe('flowPhrases', () => {
  it('says durations with weeks only when exact, targets and outcomes', () => {
    const { duration, target, outcome } = flowPhrases('pt-BR');
    expect([0, 999, 1000, 90 * 60_000, 10 * DAY, 14 * DAY, 15 * DAY + HOUR].map(duration)).toEqual([
      '0 segundo',
      '1 segundo',
      '1 segundo',
      '1 hora e 30 minutos',
      '10 dias',
      '2 semanas',
      '15 dias e 1 hora',
    ]);
    expect([target('end'), target('pesquisa')]).toEqual(['o fim', 'pesquisa']);
    expect([outcome('promoter'), outcome('no_answer'), outcome('forte')]).toEqual(['Nota 9 ou 10', 'Sem resposta', 'forte']);
  });
});
