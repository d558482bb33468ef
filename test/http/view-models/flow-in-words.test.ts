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

describe('describeFlow: cold and warm customers (issue 18)', () => {
  const coldFlow = {
    ...buildFlow(
      'frio',
      [
        step('obrigado', { ...sendText('Obrigado!'), cold: { kind: 'wait_for_contact', ms: HOUR, then: 'send' } }),
        step('pergunta', { ...ask('yes_no'), cold: { kind: 'wait_for_contact', ms: DAY, then: { goto: 'fim' } } }),
        step('dica', { ...sendText('Dica'), cold: { kind: 'wait_for_contact', ms: 2 * HOUR, then: 'skip' } }),
        step('ultima', { ...sendText('Tchau'), cold: { kind: 'wait_for_contact', ms: 30 * 60_000, then: { goto: 'end' } } }),
        step('fim', { ...sendText('Fim'), cold: { kind: 'send' } }),
      ],
      { filter: { contact: 'warm' } },
    ),
    cold: { kind: 'skip' as const },
  };

  it('names the contact filter, the flow’s choice and each step’s own, in pt-BR', () => {
    const words = describeFlow(coldFlow, 'pt-BR');
    expect(words.filter).toEqual([
      'Só para quem já escreveu para a loja no WhatsApp (cliente quente).',
      'Cliente que nunca escreveu para a loja: não recebe a mensagem, e o fluxo segue.',
    ]);
    expect(words.steps.map((shown) => shown.details.find((line) => line.startsWith('Cliente')))).toEqual([
      'Cliente que nunca escreveu para a loja: espera até 1 hora que ele escreva primeiro (se escrever, a mensagem vai na hora); se não escrever, vai assim mesmo.',
      'Cliente que nunca escreveu para a loja: espera até 1 dia que ele escreva primeiro (se escrever, a mensagem vai na hora); se não escrever, vai para fim.',
      'Cliente que nunca escreveu para a loja: espera até 2 horas que ele escreva primeiro (se escrever, a mensagem vai na hora); se não escrever, a mensagem é pulada e o fluxo segue.',
      'Cliente que nunca escreveu para a loja: espera até 30 minutos que ele escreva primeiro (se escrever, a mensagem vai na hora); se não escrever, o fluxo termina.',
      'Cliente que nunca escreveu para a loja: recebe assim mesmo, dentro da cota de conversas novas do WhatsApp.',
    ]);
    expect(describeFlow({ ...coldFlow, filter: { ...coldFlow.filter, contact: 'cold' } }, 'pt-BR').filter[0]).toBe('Só para quem nunca escreveu para a loja no WhatsApp (cliente frio).');
  });

  it('says nothing of it for a flow that does not choose (cold customers get the messages, as before)', () => {
    const plain = describeFlow(buildFlow('simples', [step('s', sendText('oi'))]), 'pt-BR');
    expect(plain.filter).toEqual([]);
    expect(plain.steps[0]!.details).toEqual([]);
  });

  it('in English and Spanish', () => {
    const en = describeFlow(coldFlow, 'en');
    expect(en.filter).toEqual(['Only for customers who have written to the shop on WhatsApp (warm).', 'A customer who never wrote to the shop does not get the message, and the flow goes on.']);
    expect(en.steps[0]!.details).toEqual([
      'A customer who never wrote to the shop: waits up to 1 hour for them to write first (if they do, the message goes at once); if they do not, it goes anyway.',
    ]);
    const es = describeFlow(coldFlow, 'es');
    expect(es.filter[0]).toBe('Solo para quien ya le escribió a la tienda por WhatsApp (cliente cálido).');
    expect(es.steps[3]!.details).toEqual([
      'Cliente que nunca le escribió a la tienda: espera hasta 30 minutos a que escriba primero (si escribe, el mensaje sale en el momento); si no escribe, el flujo termina.',
    ]);
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
