import { describe, expect, it } from 'vitest';
import type { FlowError } from '../../../src/flows/load-flows.js';
import { describeLiveFlows } from '../../../src/http/view-models/flow-disk-state.js';
import { buildDryRunTimeline, parseSample, readSample } from '../../../src/http/view-models/flow-dry-run.js';
import { ask, buildFlow, sendText, step } from '../../helpers/flows.js';

// The flow page's sample form, its dry run and the flows folder's state, from data: no server.

/** Friday 20 November 2026, 10:00 in São Paulo. */
const START = Date.parse('2026-11-20T13:00:00Z');
const DAY = 86_400_000;
const nps = buildFlow('nps', [step('q', ask('nps')), step('obrigado', sendText('Obrigado!'))]);

describe('the sample customer', () => {
  it('fills what the address does not give with what reads well for the flow', () => {
    expect(readSample({}, nps, 'pt-BR')).toEqual({ name: 'Maria', answers: '9', days: '30', warm: '' });
    expect(readSample({}, buildFlow('s', [step('q', ask('yes_no'))]), 'en').answers).toBe('Yes');
    const choice = buildFlow('c', [step('q', ask('choice', { options: [{ key: 'a', label: 'Azul' }] }))]);
    expect(readSample({}, choice, 'pt-BR').answers).toBe('Azul');
    expect(readSample({}, buildFlow('t', [step('a', sendText('oi'))]), 'pt-BR').answers).toBe('');
    expect(readSample({ name: 'Zé', answers: ['x'], days: '7' }, nps, 'pt-BR')).toEqual({ name: 'Zé', answers: '9', days: '7', warm: '' });
  });

  it('is cold unless the box "already wrote to the shop" is ticked', () => {
    expect(readSample({ warm: '1' }, nps, 'pt-BR').warm).toBe('1');
    expect(readSample({ warm: 'on' }, nps, 'pt-BR').warm).toBe('1');
    expect(readSample({ warm: '' }, nps, 'pt-BR').warm).toBe('');
    expect(readSample({ warm: ['1', '1'] }, nps, 'pt-BR').warm).toBe('');
    expect(parseSample({ name: 'Zé', answers: '', days: '7', warm: '1' }, 'pt-BR')).toEqual({ ok: true, name: 'Zé', answers: [], days: 7, warm: true });
    expect(parseSample({ name: 'Zé', answers: '', days: '7', warm: '' }, 'pt-BR')).toEqual({ ok: true, name: 'Zé', answers: [], days: 7, warm: false });
  });

  it('is parsed, or every problem is said', () => {
    expect(parseSample({ name: ' Zé ', answers: '3, , não ,', days: '40', warm: '' }, 'pt-BR')).toEqual({ ok: true, name: 'Zé', answers: ['3', 'não'], days: 40, warm: false });
    expect(parseSample({ name: '', answers: Array(21).fill('9').join(','), days: '367', warm: '' }, 'en')).toEqual({
      ok: false,
      problems: ['Name: 1 to 100 characters.', 'Answers: at most 20, each up to 500 characters.', 'Days simulated: a whole number from 1 to 366, not "367".'],
    });
    for (const days of ['0', '2.5', 'abc', '']) expect(parseSample({ name: 'Zé', answers: '', days, warm: '' }, 'pt-BR').ok).toBe(false);
  });
});

describe('buildDryRunTimeline', () => {
  it('says who, which day of the run, when in the shop’s zone, and what; a branch in words; a moved message', () => {
    const timeline = buildDryRunTimeline(
      {
        entries: [
          { at: START, who: 'customer', text: 'De 0 a 10?', dueAt: null },
          { at: START + 10 * 60_000, who: 'answer', text: '3', dueAt: null },
          { at: START + 10 * 60_000, who: 'branch', text: 'detractor', next: 'end', dueAt: null },
          { at: START + DAY + 11 * 3_600_000, who: 'owner', text: 'Ligar', dueAt: START + DAY + 8 * 3_600_000 },
        ],
        endReason: 'completed',
      },
      { start: START, name: 'Zé', days: 30 },
      { locale: 'en', timeZone: 'America/Sao_Paulo' },
    );
    expect(timeline).toEqual({
      start: 'Fri, 11/20, 10:00 AM',
      entries: [
        { who: 'customer', whoText: 'To Zé', day: 'Day 1', at: 'Fri, 11/20, 10:00 AM', text: 'De 0 a 10?', options: null, moved: null, skipped: null },
        { who: 'answer', whoText: 'Zé answers', day: 'Day 1', at: 'Fri, 11/20, 10:10 AM', text: '3', options: null, moved: null, skipped: null },
        { who: 'branch', whoText: 'Path', day: 'Day 1', at: 'Fri, 11/20, 10:10 AM', text: 'Score 0 to 6 → the end', options: null, moved: null, skipped: null },
        // 21:00 in São Paulo is 00:00 UTC: the day is counted in the shop's zone.
        {
          who: 'owner',
          whoText: 'To the owner',
          day: 'Day 2',
          at: 'Sat, 11/21, 09:00 PM',
          text: 'Ligar',
          options: null,
          moved: 'Due Sat, 11/21, 06:00 PM; held by quiet hours, a day off or the daily cap.',
          skipped: null,
        },
      ],
      end: 'The flow reaches its end.',
    });
  });

  it('shows a message skipped for a customer who never wrote to the shop, with why, in the seller’s words', () => {
    const skipped = { entries: [{ at: START + DAY, who: 'skipped' as const, text: 'Feliz aniversário, Zé!', dueAt: null }], endReason: 'completed' };
    const line = (locale: 'pt-BR' | 'en' | 'es') => buildDryRunTimeline(skipped, { start: START, name: 'Zé', days: 30 }, { locale, timeZone: 'America/Sao_Paulo' }).entries[0];
    expect(line('pt-BR')).toEqual({
      who: 'skipped',
      whoText: 'Não enviada para Zé',
      day: 'Dia 2',
      at: 'sáb., 21/11, 10:00',
      text: 'Feliz aniversário, Zé!',
      options: null,
      moved: null,
      skipped: 'Não enviada: Zé ainda não escreveu para a loja, e este fluxo pula quem nunca escreveu.',
    });
    expect(line('en')?.skipped).toBe('Not sent: Zé has not written to the shop yet, and this flow skips those who never wrote.');
    expect(line('es')?.skipped).toBe('No enviado: Zé todavía no le escribió a la tienda, y este flujo salta a quien nunca escribió.');
    // Words a seller reads, not the YAML that says it.
    for (const locale of ['pt-BR', 'en', 'es'] as const) expect(line(locale)?.skipped).not.toContain('cold');
  });

  it('issue 20: shows a poll as WhatsApp does, the question first and then its options', () => {
    const poll = {
      entries: [{ at: START, who: 'customer' as const, text: '[Sim | Não] Gostou?', poll: { question: 'Gostou?', options: ['Sim', 'Não'] }, dueAt: null }],
      endReason: null,
    };
    const line = (locale: 'pt-BR' | 'en' | 'es') => buildDryRunTimeline(poll, { start: START, name: 'Zé', days: 30 }, { locale, timeZone: 'America/Sao_Paulo' }).entries[0];
    expect(line('pt-BR')).toMatchObject({ text: 'Gostou?', options: 'Opções da enquete: Sim · Não' });
    expect(line('en')).toMatchObject({ text: 'Gostou?', options: 'Poll options: Sim · Não' });
    expect(line('es')).toMatchObject({ text: 'Gostou?', options: 'Opciones de la encuesta: Sim · Não' });
  });

  it('says how it ends: still running after the days simulated, or why it stopped', () => {
    const end = (endReason: string | null) => buildDryRunTimeline({ entries: [], endReason }, { start: START, name: 'Zé', days: 14 }, { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' }).end;
    expect(end(null)).toBe('O fluxo continua depois de 2 semanas.');
    expect(end('opted_out')).toBe('O fluxo termina: opted_out.');
  });
});

describe('describeLiveFlows', () => {
  const broken = buildFlow('broken', [step('a', sendText('oi'))], { version: 3 });
  const errors: FlowError[] = [
    { file: 'broken.yaml', line: 3, column: 5, path: 'steps[2].wait', where: 'passo "espera" › wait', message: 'ruim' },
    { file: 'x.yaml', line: 0, column: 0, path: '', where: '', message: 'ilegível' },
  ];
  const kept = new Map([
    ['broken', { file: 'broken.yaml', version: 3 }],
    ['gone', { file: 'gone.yaml', version: 2, removed: true as const }],
  ]);

  it('says which running flow keeps its last valid version, the files’ errors, and a removed flow whose customers finish it', () => {
    const live = describeLiveFlows([nps, broken], { errors, kept, loadedAt: START }, 'en');
    expect([nps, broken].map(live.diskState)).toEqual([null, 'The file broken.yaml has errors (see above): flow broken keeps running version 3 until the file is fixed.']);
    expect(live.errors).toEqual([
      // The step by its id, as the seller named it, not steps[2].
      { place: 'broken.yaml, line 3, column 5', path: 'passo "espera" › wait', message: 'ruim' },
      { place: 'x.yaml', path: '', message: 'ilegível' },
    ]);
    expect(live.added).toEqual(['The file gone.yaml was removed: flow gone takes no new customers, and those already in it finish version 2.']);
    expect(describeLiveFlows([broken], { errors, kept, loadedAt: START }, 'pt-BR').diskState(broken)).toBe(
      'O arquivo broken.yaml está com erro (veja acima): o fluxo broken continua na versão 3 até o arquivo ser corrigido.',
    );
  });

  it('says nothing when every file is valid, or when the service does not reload flows', () => {
    const live = describeLiveFlows([nps], { errors: [], kept: new Map(), loadedAt: START }, 'pt-BR');
    expect(live.diskState(nps)).toBeNull();
    expect(live.errors).toEqual([]);
    expect(live.added).toEqual([]);
    expect(describeLiveFlows([nps], undefined, 'pt-BR')).toMatchObject({ errors: [], added: [] });
  });
});
