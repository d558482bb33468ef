import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { draftOf } from '../../../src/flows/flow-draft.js';
import { applyAction, draftFromForm, durationFieldOf, formFromDraft, placeErrors, readEditForm } from '../../../src/http/view-models/flow-edit-form.js';
import { buildEditorView } from '../../../src/http/view-models/flow-editor-view.js';
import { liquidNames, previewText } from '../../../src/http/view-models/flow-preview.js';
import { SAMPLE_CONTEXT } from '../../../src/flows/render-template.js';

const source = fs.readFileSync(path.resolve(import.meta.dirname, '../../../flows/pos-compra.yaml'), 'utf8');
const draft = draftOf(source);
const form = () => formFromDraft(draft, 'rev-1', 'purchase');
const options = { locale: 'pt-BR' as const, shopName: 'Café da Ana', timeZone: 'America/Sao_Paulo' };

describe('the editor form', () => {
  it('writes back nothing but the ids for a form left as it was read', () => {
    const { draft: out, problems } = draftFromForm(form(), draft);
    expect(problems).toEqual([]);
    expect(out.trigger).toEqual({});
    expect(out.steps.map((step) => step.step)).toEqual(draft.steps.map((step) => ({ id: step.step.id })));
    expect(out.steps.map((step) => step.from)).toEqual(draft.steps.map((_, index) => index));
  });

  it('writes only what changed, in the file\'s terms: a text, a wait in words, a reminder removed', () => {
    const edited = form();
    edited.steps[0]!.text = 'Oi!';
    const wait = edited.steps[1]!;
    wait.wait = { n: '36', unit: 'h' };
    wait.waitAt = '';
    const ask = edited.steps.find((step) => step.id === 'pesquisa')!;
    ask.reminder = false;
    ask.branches.passive = 'end';
    const { draft: out } = draftFromForm(edited, draft);
    expect(out.steps[0]!.step).toEqual({ id: 'agradecimento', send: 'Oi!' });
    expect(out.steps[1]!.step).toEqual({ id: 'espera-dica', wait: '1d12h' });
    expect(out.steps.find((step) => step.step.id === 'pesquisa')!.step).toEqual({
      id: 'pesquisa',
      ask: { reminder: null, branches: { detractor: 'desculpas', passive: 'end', promoter: 'marca-promotor', no_answer: 'end' } },
    });
  });

  it('reads the fields a browser posts back into the same form', () => {
    const view = buildEditorView(form(), { top: [], fields: {} }, options);
    const fields: Record<string, string> = { name: 'Pós-compra', revision: 'rev-1', enabled: '1', trigger_type: 'purchase', 'trigger.products': '', count: String(view.cards.length) };
    for (const card of view.cards) {
      const p = `s${card.index}.`;
      Object.assign(fields, { [`${p}from`]: String(card.from), [`${p}id`]: card.id, [`${p}kind`]: card.kind ?? '', [`${p}next`]: card.next, [`${p}text`]: card.text });
      Object.assign(fields, { [`${p}wait_n`]: card.wait.n, [`${p}wait_unit`]: card.wait.unit, [`${p}wait_at`]: card.waitAt, [`${p}ask_kind`]: card.askKind, [`${p}question`]: card.question });
      Object.assign(fields, { [`${p}poll`]: card.poll ? '1' : '', [`${p}reminder`]: card.reminder ? '1' : '', [`${p}reminder_n`]: card.reminderAfter.n, [`${p}reminder_unit`]: card.reminderAfter.unit });
      Object.assign(fields, { [`${p}reminder_text`]: card.reminderText, [`${p}timeout_n`]: card.timeout.n, [`${p}timeout_unit`]: card.timeout.unit, [`${p}tags`]: card.tags, [`${p}goto`]: card.goto });
      for (const outcome of card.outcomes) fields[`${p}b.${outcome.outcome}`] = outcome.value;
    }
    const { form: read, action } = readEditForm(fields);
    expect(action).toEqual({ kind: 'save' });
    expect(read).toEqual(form());
  });

  it('keeps a step it does not manage (an image) as the file has it, read-only', () => {
    const image = draftOf('id: foto\nversion: 1\nname: Foto\ntrigger: purchase\nsteps:\n  - id: dica\n    send: { image: dica.jpg, text: "Olha" }\n    next: end\n');
    const read = formFromDraft(image, 'rev', 'purchase');
    expect(read.steps[0]).toMatchObject({ kind: null, id: 'dica', next: 'end' });
    expect(draftFromForm(read, image).draft.steps).toEqual([{ from: 0, step: { id: 'dica' } }]);
    const view = buildEditorView(read, { top: [], fields: {} }, { ...options, summaries: new Map([['dica', 'Mensagem · Imagem: dica.jpg']]) });
    expect(view.cards[0]).toMatchObject({ kindName: 'Passo com imagem', summary: 'Mensagem · Imagem: dica.jpg' });
  });

  it('adds, moves and removes steps', () => {
    let edited = applyAction(form(), { kind: 'add', step: 'send', at: 1 });
    expect(edited.steps[1]).toMatchObject({ from: null, kind: 'send', id: 'send-11' });
    edited = applyAction(edited, { kind: 'up', index: 1 });
    expect(edited.steps.slice(0, 2).map((step) => step.id)).toEqual(['send-11', 'agradecimento']);
    edited = applyAction(edited, { kind: 'remove', index: 0 });
    expect(edited.steps.map((step) => step.id)).toEqual(form().steps.map((step) => step.id));
    expect(readEditForm({ count: '3', action: 'down:7' }).action).toEqual({ kind: 'save' });
  });

  it('says durations in the largest whole unit', () => {
    expect(durationFieldOf(3 * 86_400_000)).toEqual({ n: '3', unit: 'd' });
    expect(durationFieldOf(36 * 3_600_000)).toEqual({ n: '36', unit: 'h' });
    expect(durationFieldOf(90_000)).toEqual({ n: '2', unit: 'm' });
  });

  it('puts each loader error at its field, and the others on their card or at the top', () => {
    const errors = placeErrors(
      [
        { path: 'steps[4].ask.question', where: 'passo "pesquisa" › ask.question', message: 'q' },
        { path: 'steps[4].ask.branches.detrator', where: '', message: 'b' },
        { path: 'steps[4].ask.branches.promoter', where: '', message: 'p' },
        { path: 'steps[1].wait.until', where: '', message: 'w' },
        { path: 'trigger.products', where: '', message: 't' },
        { path: 'name', where: '', message: 'n' },
        { path: 'cold', where: 'cold', message: 'c' },
        { path: 'steps[99].send', where: 'passo 100', message: 's' },
      ],
      form(),
    );
    expect(errors.fields).toEqual({ 's4-question': ['q'], 's4-card': ['b'], 's4-b-promoter': ['p'], 's1-wait': ['w'], 'trigger-products': ['t'], name: ['n'] });
    expect(errors.top).toEqual(['cold: c', 'passo 100: s']);
  });
});

describe('the editor view', () => {
  it('says waits in words and shows each text as the sample customer gets it', () => {
    const view = buildEditorView(form(), { top: [], fields: {} }, options);
    expect(view.cards[1]!.waitWords).toBe('3 dias, às 10:00');
    expect(view.cards[0]!.previews.text).toEqual({ ok: true, text: expect.stringMatching(/^Oi, Ana! .*Café da Ana.*Café especial 250 g e Coador de pano/) });
    expect(view.cards.find((card) => card.id === 'pesquisa')!.outcomes.map((outcome) => outcome.label)).toEqual(['Nota 0 a 6', 'Nota 7 ou 8', 'Nota 9 ou 10', 'Sem resposta']);
  });

  it('offers every name of the sample context, and each one renders', () => {
    const names = liquidNames();
    expect(names).toContain('customer.first_name');
    expect(names).toContain('purchase.products');
    expect(names).not.toContain('purchase.items');
    expect(names.length).toBe(Object.values(SAMPLE_CONTEXT).flatMap((group) => Object.values(group as object).filter((value) => !Array.isArray(value) || value.every((item) => typeof item === 'string'))).length);
    for (const name of names) expect(previewText(`{{ ${name} }}`, options).ok, name).toBe(true);
    expect(previewText('{{ customer.nome }}', options)).toEqual({ ok: false, error: expect.stringContaining('customer.first_name') });
  });
});
