import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, type Effect, type EngineContext, type EngineEvent } from '../../src/flows/engine.js';
import type { AskKind, ColdChoice, ColdFallback, Flow, TemplateContext, Weekday } from '../../src/flows/flow-types.js';
import { EMPTY_RUN_STATE, type Run } from '../../src/flows/run-types.js';
import { ask, buildFlow, sendText as send, step, waitFor, waitUntil } from '../helpers/flows.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Friday 20 November 2026, 10:00 in São Paulo. */
const T0 = Date.parse('2026-11-20T13:00:00Z');
const RUN_ID = 7;

/** Every flow here is the one 'test-flow': the engine reads its steps and its filter, nothing else. */
const ID = 'test-flow';

function startRun(flow: Flow, overrides: Partial<Run> = {}): Run {
  return {
    id: RUN_ID,
    flowId: flow.id,
    flowHash: flow.hash,
    customerId: 1,
    occurrence: 'manual:1',
    purchaseId: null,
    status: 'waiting',
    stepId: flow.steps[0]!.id,
    wakeAt: T0,
    state: EMPTY_RUN_STATE,
    endReason: null,
    createdAt: T0,
    updatedAt: T0,
    endedAt: null,
    ...overrides,
  };
}

const TEMPLATE: TemplateContext = {
  shop: { name: 'Café da Ana', review_url: '' },
  customer: { name: 'Ana Souza', first_name: 'Ana', phone: '+5511912345678', whatsapp_link: 'https://wa.me/5511912345678', email: '', tags: [] },
  purchase: { external_id: 'p1', total: 'R$ 10,00', currency: 'BRL', items: [], products: 'Café', purchased_at: '' },
  answer: { value: '', comment: '' },
};

/** A fake renderer: enough Liquid to see which answer a template was given. */
const render = (template: string, context: TemplateContext) =>
  template.replaceAll('{{ answer.value }}', context.answer.value).replaceAll('{{ answer.comment }}', context.answer.comment);

function contextAt(flow: Flow, now: number, overrides: Partial<EngineContext> = {}): EngineContext {
  let count = 0;
  return {
    flow,
    now,
    timezone: 'America/Sao_Paulo',
    template: TEMPLATE,
    render,
    newMessageId: () => `msg-${++count}`,
    yesNoLabels: { yes: 'Sim', no: 'Não' },
    contact: 'cold',
    ...overrides,
  };
}

const due: EngineEvent = { kind: 'due' };
const answer = (stepId: string, value: string, comment = ''): EngineEvent => ({ kind: 'answer', stepId, value, comment });

type MessageEffect = Extract<Effect, { kind: 'message' }>;
const messages = (effects: Effect[]) => effects.filter((effect): effect is MessageEffect => effect.kind === 'message');
const texts = (effects: Effect[]) =>
  messages(effects).map((effect) =>
    effect.content.kind === 'text' ? effect.content.text : effect.content.kind === 'poll' ? `[poll] ${effect.content.question}` : `[image] ${effect.content.caption}`,
  );

/** Applies events one after the other, each at its own `now`. */
function play(flow: Flow, events: [EngineEvent, number][], start = startRun(flow)) {
  let run = start;
  const effects: Effect[] = [];
  for (const [event, now] of events) {
    const result = advance(run, event, contextAt(flow, now));
    run = result.run;
    effects.push(...result.effects);
  }
  return { run, effects };
}

// --- Step kinds ----------------------------------------------------------------------

describe('wait', () => {
  it('wait for: sleeps that long and then runs the next step', () => {
    const flow = buildFlow(ID, [step('w', waitFor(HOUR)), step('hello', send('Oi'))]);
    const { run, effects } = advance(startRun(flow), due, contextAt(flow, T0));
    expect(effects).toEqual([]);
    expect(run).toMatchObject({ status: 'waiting', stepId: 'hello', wakeAt: T0 + HOUR, updatedAt: T0 });
    const after = advance(run, due, contextAt(flow, T0 + HOUR));
    expect(texts(after.effects)).toEqual(['Oi']);
    expect(after.run).toMatchObject({ status: 'done', endReason: 'completed' });
  });

  it.each<[string, number, string, Weekday[] | null, string]>([
    // From Friday 10:00 in São Paulo.
    ['the next 09:00', 0, '09:00', null, '2026-11-21T12:00:00.000Z'],
    ['3 days, then 10:00', 3 * DAY, '10:00', null, '2026-11-23T13:00:00.000Z'],
    ['3 days, then 11:00', 3 * DAY, '11:00', null, '2026-11-23T14:00:00.000Z'],
    ['the next Monday 09:00', 0, '09:00', ['mon'], '2026-11-23T12:00:00.000Z'],
    ['3 days, then a Wednesday or Thursday at 10:00', 3 * DAY, '10:00', ['wed', 'thu'], '2026-11-25T13:00:00.000Z'],
    ['today if it is Friday 10:00 already', 0, '10:00', ['fri'], '2026-11-20T13:00:00.000Z'],
  ])('wait until: %s', (_name, afterMs, time, weekdays, expected) => {
    const flow = buildFlow(ID, [step('w', waitUntil(afterMs, time, weekdays)), step('hello', send('Oi'))]);
    const { run } = advance(startRun(flow), due, contextAt(flow, T0));
    expect(new Date(run.wakeAt!).toISOString()).toBe(expected);
    expect(run.stepId).toBe('hello');
  });
});

describe('send', () => {
  it('a text: one message to the customer, keyed by run, step and visit, due when the step was due', () => {
    const flow = buildFlow(ID, [step('hello', send('Oi, Ana'), { maxLatenessMs: 5 * HOUR })]);
    const { run, effects } = advance(startRun(flow), due, contextAt(flow, T0));
    expect(effects).toEqual([
      {
        kind: 'message',
        stepId: 'hello',
        dedupeKey: `${RUN_ID}:hello:1`,
        to: 'customer',
        content: { kind: 'text', text: 'Oi, Ana' },
        marketing: false,
        dueAt: T0,
        expiresAt: T0 + 5 * HOUR,
        messageId: 'msg-1',
      },
    ]);
    expect(run).toMatchObject({ status: 'done', endReason: 'completed', stepId: null, wakeAt: null, endedAt: T0, updatedAt: T0 });
  });

  it('an image with a caption template', () => {
    const flow = buildFlow(ID, [step('photo', { kind: 'send', text: null, image: { file: 'img/cafe.png', caption: 'Para {{ answer.value }}' } })]);
    const ctx = contextAt(flow, T0, { template: { ...TEMPLATE, answer: { value: 'você', comment: '' } } });
    const [effect] = messages(advance(startRun(flow), due, ctx).effects);
    expect(effect?.content).toEqual({ kind: 'image', file: 'img/cafe.png', caption: 'Para você' });
  });

  it('an image without a caption takes the step text as caption, or none', () => {
    const withText = buildFlow(ID, [step('photo', { kind: 'send', text: 'Olha só', image: { file: 'a.jpg', caption: null } })]);
    expect(messages(advance(startRun(withText), due, contextAt(withText, T0)).effects)[0]?.content).toEqual({ kind: 'image', file: 'a.jpg', caption: 'Olha só' });
    const bare = buildFlow(ID, [step('photo', { kind: 'send', text: null, image: { file: 'a.jpg', caption: null } })]);
    expect(messages(advance(startRun(bare), due, contextAt(bare, T0)).effects)[0]?.content).toEqual({ kind: 'image', file: 'a.jpg', caption: null });
  });
});

describe('ask', () => {
  it.each<AskKind>(['nps', 'csat', 'yes_no', 'choice', 'text', 'referral', 'birthday'])('%s without poll: the question as text, then the run waits on it', (kind) => {
    const options = kind === 'choice' ? [{ key: 'a', label: 'A' }, { key: 'b', label: 'B' }] : [];
    const flow = buildFlow(ID, [step('q', ask(kind, { question: 'Diga', options, timeoutMs: 2 * DAY })), step('after', send('depois'))]);
    const { run, effects } = advance(startRun(flow), due, contextAt(flow, T0));
    expect(effects).toEqual([expect.objectContaining({ kind: 'message', stepId: 'q', dedupeKey: `${RUN_ID}:q:1`, content: { kind: 'text', text: 'Diga' } })]);
    expect(run).toMatchObject({ status: 'waiting', stepId: null, wakeAt: T0 + 2 * DAY });
    expect(run.state.ask).toEqual({ stepId: 'q', kind, messageId: 'msg-1', pollOptions: null, askedAt: T0, remindAt: null, timeoutAt: T0 + 2 * DAY });
  });

  it.each<[AskKind, { key: string; label: string }[], string[] | null]>([
    ['nps', [], ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']],
    ['csat', [], ['1', '2', '3', '4', '5']],
    ['yes_no', [], ['Sim', 'Não']],
    ['choice', [{ key: 'entrega', label: 'A entrega' }, { key: 'produto', label: 'O produto' }, { key: 'preco', label: 'O preço' }], ['A entrega', 'O produto', 'O preço']],
    // Kinds that cannot be a poll go as text even when poll is set.
    ['text', [], null],
    ['referral', [], null],
    ['birthday', [], null],
  ])('%s with poll: the options shown are %j', (kind, options, expected) => {
    const flow = buildFlow(ID, [step('q', ask(kind, { question: 'Diga', poll: true, options }))]);
    const { run, effects } = advance(startRun(flow), due, contextAt(flow, T0));
    const [effect] = messages(effects);
    expect(effect?.content).toEqual(expected === null ? { kind: 'text', text: 'Diga' } : { kind: 'poll', question: 'Diga', options: expected, selectableCount: 1 });
    expect(run.state.ask?.pollOptions).toEqual(expected);
    expect(run.state.ask?.messageId).toBe(effect?.messageId);
  });

  it('with a reminder: wakes at the reminder first', () => {
    const flow = buildFlow(ID, [step('q', ask('nps', { reminder: { afterMs: DAY, text: 'Lembra?' }, timeoutMs: 3 * DAY }))]);
    const { run } = advance(startRun(flow), due, contextAt(flow, T0));
    expect(run.state.ask).toMatchObject({ remindAt: T0 + DAY, timeoutAt: T0 + 3 * DAY });
    expect(run.wakeAt).toBe(T0 + DAY);
  });
});

describe('alert_owner, tag, untag, goto, end', () => {
  it('alert_owner: a message to the owner, never marketing, and the run goes on', () => {
    const flow = buildFlow(ID, [step('alert', { kind: 'alert_owner', text: 'Nota {{ answer.value }}' }), step('hello', send('Oi'))], { filter: { consent: 'marketing' } });
    const ctx = contextAt(flow, T0, { template: { ...TEMPLATE, answer: { value: '3', comment: '' } } });
    const { run, effects } = advance(startRun(flow), due, ctx);
    expect(messages(effects).map((effect) => ({ to: effect.to, text: texts([effect])[0], marketing: effect.marketing, key: effect.dedupeKey }))).toEqual([
      { to: 'owner', text: 'Nota 3', marketing: false, key: `${RUN_ID}:alert:1` },
      { to: 'customer', text: 'Oi', marketing: true, key: `${RUN_ID}:hello:1` },
    ]);
    expect(run.status).toBe('done');
  });

  it('tag and untag: effects for the runner to apply, in order', () => {
    const flow = buildFlow(ID, [step('t', { kind: 'tag', tags: ['promotor', 'vip'] }), step('u', { kind: 'untag', tags: ['detrator'] })]);
    expect(advance(startRun(flow), due, contextAt(flow, T0)).effects).toEqual([
      { kind: 'tag', tags: ['promotor', 'vip'] },
      { kind: 'untag', tags: ['detrator'] },
    ]);
  });

  it('goto: jumps over the steps in between', () => {
    const flow = buildFlow(ID, [step('jump', { kind: 'goto', target: 'c' }), step('b', send('b')), step('c', send('c'))]);
    expect(texts(advance(startRun(flow), due, contextAt(flow, T0)).effects)).toEqual(['c']);
  });

  it('goto end: the run is done', () => {
    const flow = buildFlow(ID, [step('jump', { kind: 'goto', target: 'end' }), step('b', send('b'))]);
    const result = advance(startRun(flow), due, contextAt(flow, T0));
    expect(result.effects).toEqual([]);
    expect(result.run).toMatchObject({ status: 'done', endReason: 'completed' });
  });

  it('end: the run is done, completed, and later steps never run', () => {
    const flow = buildFlow(ID, [step('a', send('a')), step('stop', { kind: 'end' }), step('b', send('b'))]);
    const result = advance(startRun(flow), due, contextAt(flow, T0));
    expect(texts(result.effects)).toEqual(['a']);
    expect(result.run).toMatchObject({ status: 'done', endReason: 'completed', stepId: null, wakeAt: null, endedAt: T0 });
  });
});

describe('next', () => {
  it('by default goes to the following step, and after the last one the run is done', () => {
    const flow = buildFlow(ID, [step('a', send('a')), step('b', send('b')), step('c', send('c'))]);
    expect(flow.steps.map((s) => s.next)).toEqual(['b', 'c', 'end']);
    const result = advance(startRun(flow), due, contextAt(flow, T0));
    expect(texts(result.effects)).toEqual(['a', 'b', 'c']);
    expect(result.run.status).toBe('done');
  });

  it('an explicit next skips what is in between; next: end stops there', () => {
    const flow = buildFlow(ID, [step('a', send('a'), { next: 'c' }), step('b', send('b')), step('c', send('c'), { next: 'end' }), step('d', send('d'))]);
    expect(texts(advance(startRun(flow), due, contextAt(flow, T0)).effects)).toEqual(['a', 'c']);
  });

  it('the next of a wait is where the run wakes', () => {
    const flow = buildFlow(ID, [step('w', waitFor(HOUR), { next: 'c' }), step('b', send('b')), step('c', send('c'))]);
    const { run } = advance(startRun(flow), due, contextAt(flow, T0));
    expect(run.stepId).toBe('c');
  });
});

// --- Time ------------------------------------------------------------------------------

describe('logical time', () => {
  it('steps after a wait are timed from when the wait ended, not from when the tick came', () => {
    const flow = buildFlow(ID, [step('w1', waitFor(HOUR)), step('hello', send('Oi')), step('w2', waitFor(DAY)), step('tip', send('Dica'))]);
    const first = advance(startRun(flow), due, contextAt(flow, T0));
    // The tick comes four hours late.
    const late = advance(first.run, due, contextAt(flow, T0 + 5 * HOUR));
    expect(messages(late.effects).map((effect) => effect.dueAt)).toEqual([T0 + HOUR]);
    expect(late.run.wakeAt).toBe(T0 + HOUR + DAY);
    expect(late.run.updatedAt).toBe(T0 + 5 * HOUR);
  });

  it('a question asked late times its reminder and timeout from when it was due', () => {
    const flow = buildFlow(ID, [step('q', ask('nps', { reminder: { afterMs: DAY, text: 'Lembra?' }, timeoutMs: 3 * DAY }))]);
    const { run } = advance(startRun(flow, { wakeAt: T0 }), due, contextAt(flow, T0 + 2 * HOUR));
    expect(run.state.ask).toMatchObject({ askedAt: T0, remindAt: T0 + DAY, timeoutAt: T0 + 3 * DAY });
  });

  it('a run with no wake time runs its step at now', () => {
    const flow = buildFlow(ID, [step('hello', send('Oi'))]);
    const { effects } = advance(startRun(flow, { wakeAt: null }), due, contextAt(flow, T0 + HOUR));
    expect(messages(effects)[0]?.dueAt).toBe(T0 + HOUR);
  });
});

describe('max_lateness', () => {
  it('a send due longer ago than its max_lateness is recorded as expired and the run goes on', () => {
    const flow = buildFlow(ID, [
      step('w', waitFor(HOUR)),
      step('stale', send('velha'), { maxLatenessMs: 2 * HOUR }),
      step('fresh', send('ainda vale'), { maxLatenessMs: DAY }),
      step('w2', waitFor(DAY)),
    ]);
    const first = advance(startRun(flow), due, contextAt(flow, T0));
    const now = T0 + HOUR + 3 * HOUR;
    const { run, effects } = advance(first.run, due, contextAt(flow, now));
    expect(effects).toEqual([expect.objectContaining({ kind: 'expired', stepId: 'stale', dueAt: T0 + HOUR }), expect.objectContaining({ kind: 'message', stepId: 'fresh', dueAt: T0 + HOUR })]);
    expect(run).toMatchObject({ status: 'waiting', stepId: 'end', wakeAt: T0 + HOUR + DAY });
  });

  it('exactly at the limit it is still sent; a millisecond later it is not', () => {
    const flow = buildFlow(ID, [step('hello', send('Oi'), { maxLatenessMs: HOUR })]);
    expect(advance(startRun(flow), due, contextAt(flow, T0 + HOUR)).effects).toEqual([expect.objectContaining({ kind: 'message', expiresAt: T0 + HOUR })]);
    expect(advance(startRun(flow), due, contextAt(flow, T0 + HOUR + 1)).effects).toEqual([expect.objectContaining({ kind: 'expired', stepId: 'hello', dueAt: T0 })]);
  });

  it('a stale question is not asked and counts as not answered: the no_answer branch', () => {
    const flow = buildFlow(ID, [
      step('q', ask('nps', { branches: { no_answer: 'sorry', promoter: 'yay' } }), { maxLatenessMs: HOUR }),
      step('yay', send('yay'), { next: 'end' }),
      step('sorry', send('sorry'), { maxLatenessMs: 3 * DAY }),
    ]);
    const { run, effects } = advance(startRun(flow), due, contextAt(flow, T0 + 2 * HOUR));
    expect(effects[0]).toEqual(expect.objectContaining({ kind: 'expired', stepId: 'q', dueAt: T0 }));
    expect(texts(effects)).toEqual(['sorry']);
    expect(run).toMatchObject({ status: 'done', endReason: 'completed' });
    expect(run.state.ask).toBeNull();
  });

  it('a stale question without a no_answer branch goes on to its next step', () => {
    const flow = buildFlow(ID, [step('q', ask('yes_no'), { maxLatenessMs: HOUR }), step('then', send('then'))]);
    const { effects } = advance(startRun(flow), due, contextAt(flow, T0 + 2 * HOUR));
    expect(effects).toEqual([expect.objectContaining({ kind: 'expired', stepId: 'q', dueAt: T0 }), expect.objectContaining({ stepId: 'then' })]);
  });

  it('the expired record carries what would have been sent, to whom, under the step\'s key', () => {
    const flow = buildFlow(ID, [step('hello', send('Oi, Ana'), { maxLatenessMs: HOUR })]);
    const [effect] = advance(startRun(flow), due, contextAt(flow, T0 + 2 * HOUR)).effects;
    expect(effect).toEqual({ kind: 'expired', stepId: 'hello', dedupeKey: `${RUN_ID}:hello:1`, to: 'customer', content: { kind: 'text', text: 'Oi, Ana' }, dueAt: T0, messageId: 'msg-1' });
  });

  it('a stale owner alert is expired too', () => {
    const flow = buildFlow(ID, [step('alert', { kind: 'alert_owner', text: 'Atenção' }, { maxLatenessMs: HOUR })]);
    expect(advance(startRun(flow), due, contextAt(flow, T0 + 2 * HOUR)).effects).toEqual([expect.objectContaining({ kind: 'expired', stepId: 'alert', dueAt: T0 })]);
  });
});

describe('reminders and timeouts', () => {
  const flow = buildFlow(ID, [
    step('q', ask('nps', { reminder: { afterMs: DAY, text: 'Lembra? {{ answer.value }}' }, timeoutMs: 3 * DAY, branches: { no_answer: 'silence' } })),
    step('thanks', send('obrigado'), { next: 'end' }),
    step('silence', send('tudo bem')),
  ]);

  it('sends the reminder once, at remindAt, then waits for the timeout', () => {
    const asked = advance(startRun(flow), due, contextAt(flow, T0));
    const reminded = advance(asked.run, due, contextAt(flow, T0 + DAY + 5 * MINUTE));
    expect(reminded.effects).toEqual([
      {
        kind: 'message',
        stepId: 'q',
        dedupeKey: `${RUN_ID}:q:1:reminder`,
        to: 'customer',
        content: { kind: 'text', text: 'Lembra? ' },
        marketing: false,
        dueAt: T0 + DAY,
        expiresAt: T0 + DAY + 3 * DAY,
        messageId: 'msg-1',
      },
    ]);
    expect(reminded.run).toMatchObject({ status: 'waiting', wakeAt: T0 + 3 * DAY });
    expect(reminded.run.state.ask).toMatchObject({ remindAt: null, timeoutAt: T0 + 3 * DAY });

    // A tick again before the timeout: no second reminder.
    const again = advance(reminded.run, due, contextAt(flow, T0 + 2 * DAY));
    expect(again.effects).toEqual([]);
    expect(again.run.wakeAt).toBe(T0 + 3 * DAY);
  });

  it('woken before the reminder: nothing happens yet', () => {
    const asked = advance(startRun(flow), due, contextAt(flow, T0));
    const early = advance(asked.run, due, contextAt(flow, T0 + HOUR));
    expect(early.effects).toEqual([]);
    expect(early.run.state).toEqual(asked.run.state);
    expect(early.run.wakeAt).toBe(T0 + DAY);
  });

  it('at the timeout: the no_answer branch, timed at the timeout', () => {
    const { run, effects } = play(flow, [
      [due, T0],
      [due, T0 + DAY],
      [due, T0 + 3 * DAY + HOUR],
    ]);
    expect(texts(effects)).toEqual(['Question?', 'Lembra? ', 'tudo bem']);
    expect(messages(effects).at(-1)?.dueAt).toBe(T0 + 3 * DAY);
    expect(run).toMatchObject({ status: 'done', endReason: 'completed' });
    expect(run.state.ask).toBeNull();
    expect(run.state.answer).toBeNull();
  });

  it('a tick after both the reminder and the timeout only times out: no late reminder', () => {
    const { effects } = play(flow, [
      [due, T0],
      [due, T0 + 4 * DAY],
    ]);
    expect(texts(effects)).toEqual(['Question?', 'tudo bem']);
  });

  it('an unreadable event takes the no_answer branch now, with the reply kept as the comment', () => {
    const asked = advance(startRun(flow), due, contextAt(flow, T0));
    const { run, effects } = advance(asked.run, { kind: 'unreadable', stepId: 'q', comment: 'sei lá' }, contextAt(flow, T0 + HOUR));
    expect(texts(effects)).toEqual(['tudo bem']);
    expect(run.state.answer).toEqual({ stepId: 'q', value: '', comment: 'sei lá', outcome: 'no_answer' });
    expect(advance(asked.run, { kind: 'unreadable', stepId: 'outra', comment: 'x' }, contextAt(flow, T0 + HOUR))).toEqual({ run: asked.run, effects: [] });
  });

  it('a timeout event takes the no_answer branch, timed at the timeout', () => {
    const asked = advance(startRun(flow), due, contextAt(flow, T0));
    const { run, effects } = advance(asked.run, { kind: 'timeout', stepId: 'q' }, contextAt(flow, T0 + 3 * DAY + HOUR));
    expect(texts(effects)).toEqual(['tudo bem']);
    expect(messages(effects)[0]?.dueAt).toBe(T0 + 3 * DAY);
    expect(run).toMatchObject({ status: 'done', endReason: 'completed' });
  });

  it('a timeout event before the timeout, or for another question, changes nothing', () => {
    const asked = advance(startRun(flow), due, contextAt(flow, T0));
    const early = advance(asked.run, { kind: 'timeout', stepId: 'q' }, contextAt(flow, T0 + 3 * DAY - 1));
    expect(early).toEqual({ run: asked.run, effects: [] });
    const other = advance(asked.run, { kind: 'timeout', stepId: 'outra' }, contextAt(flow, T0 + 4 * DAY));
    expect(other).toEqual({ run: asked.run, effects: [] });
  });

  it('a reminder due longer ago than the step allows is recorded as expired, and the question still waits', () => {
    const strict = buildFlow(ID, [
      step('q', ask('nps', { reminder: { afterMs: DAY, text: 'Lembra?' }, timeoutMs: 5 * DAY }), { maxLatenessMs: HOUR }),
      step('thanks', send('obrigado')),
    ]);
    const asked = advance(startRun(strict), due, contextAt(strict, T0));
    const late = advance(asked.run, due, contextAt(strict, T0 + DAY + 2 * HOUR));
    expect(late.effects).toEqual([expect.objectContaining({ kind: 'expired', stepId: 'q', dedupeKey: `${RUN_ID}:q:1:reminder`, dueAt: T0 + DAY, content: { kind: 'text', text: 'Lembra?' } })]);
    expect(late.run).toMatchObject({ status: 'waiting', wakeAt: T0 + 5 * DAY });
  });

  it('without a no_answer branch, a timeout goes on to the next step', () => {
    const plain = buildFlow(ID, [step('q', ask('yes_no', { timeoutMs: DAY })), step('then', send('then'))]);
    const { run, effects } = play(plain, [
      [due, T0],
      [due, T0 + DAY],
    ]);
    expect(texts(effects)).toEqual(['Question?', 'then']);
    expect(run.status).toBe('done');
  });
});

// --- Answers ---------------------------------------------------------------------------

describe('answers', () => {
  const CHOICES = [
    { key: 'entrega', label: 'A entrega' },
    { key: 'produto', label: 'O produto' },
  ];

  /** A question whose `outcome` branch leads to a step that says "hit"; anything else says "miss". */
  function branchingFlow(kind: AskKind, outcome: string) {
    return buildFlow(ID, [
      step('q', ask(kind, { options: kind === 'choice' ? CHOICES : [], branches: { [outcome]: 'hit' } })),
      step('miss', send('miss'), { next: 'end' }),
      step('hit', send('hit: {{ answer.value }}')),
    ]);
  }

  it.each<[AskKind, string, string]>([
    ['nps', '0', 'detractor'],
    ['nps', '6', 'detractor'],
    ['nps', '7', 'passive'],
    ['nps', '8', 'passive'],
    ['nps', '9', 'promoter'],
    ['nps', '10', 'promoter'],
    ['csat', '1', 'unhappy'],
    ['csat', '2', 'unhappy'],
    ['csat', '3', 'neutral'],
    ['csat', '4', 'happy'],
    ['csat', '5', 'happy'],
    ['yes_no', 'yes', 'yes'],
    ['yes_no', 'no', 'no'],
    ['choice', 'entrega', 'entrega'],
    ['choice', 'produto', 'produto'],
    ['text', 'chegou rápido', 'answered'],
    ['referral', '+5511988887777', 'answered'],
    ['birthday', '1990-03-12', 'answered'],
  ])('%s answered %j: outcome %s, its branch taken, the answer kept', (kind, value, outcome) => {
    const flow = branchingFlow(kind, outcome);
    const { run, effects } = play(flow, [
      [due, T0],
      [answer('q', value, 'um comentário'), T0 + HOUR],
    ]);
    expect(texts(effects).slice(1)).toEqual([`hit: ${value}`]);
    expect(run.state.answer).toEqual({ stepId: 'q', value, comment: 'um comentário', outcome });
    expect(run.state.ask).toBeNull();
    expect(run).toMatchObject({ status: 'done', endReason: 'completed' });
  });

  it('an outcome without a branch goes on to the next step', () => {
    const flow = buildFlow(ID, [step('q', ask('nps', { branches: { detractor: 'alert' } })), step('thanks', send('obrigado'), { next: 'end' }), step('alert', { kind: 'alert_owner', text: '!' })]);
    const { effects } = play(flow, [
      [due, T0],
      [answer('q', '10'), T0 + HOUR],
    ]);
    expect(texts(effects).slice(1)).toEqual(['obrigado']);
  });

  it.each<[AskKind, string]>([
    ['nps', '11'],
    ['nps', '-1'],
    ['nps', '7.5'],
    ['nps', 'nove'],
    ['csat', '0'],
    ['csat', '6'],
    ['csat', '2.5'],
    ['csat', '0x3'],
    ['csat', ''],
    ['yes_no', 'sim'],
    ['yes_no', 'YES'],
    ['yes_no', ''],
    ['choice', 'A entrega'],
    ['choice', 'preco'],
    ['text', ''],
    ['text', '   '],
    ['referral', ''],
    ['birthday', ' '],
  ])('%s answered %j: not an answer of that kind, ignored', (kind, value) => {
    const flow = branchingFlow(kind, 'answered');
    const asked = advance(startRun(flow), due, contextAt(flow, T0)).run;
    const result = advance(asked, answer('q', value), contextAt(flow, T0 + HOUR));
    expect(result.run).toBe(asked);
    expect(result.effects).toEqual([]);
  });

  // An empty value is not the score 0 (a detractor, alerting the owner), and only plain digits are scores.
  it.each(['', '   ', '0x9', '1e1'])('nps answered %j is ignored', (value) => {
    const flow = branchingFlow('nps', 'detractor');
    const asked = advance(startRun(flow), due, contextAt(flow, T0)).run;
    const result = advance(asked, answer('q', value), contextAt(flow, T0 + HOUR));
    expect(result.run).toBe(asked);
  });

  it('an answer for a step the run is not waiting on changes nothing', () => {
    const flow = buildFlow(ID, [step('q', ask('nps')), step('q2', ask('nps'))]);
    const asked = advance(startRun(flow), due, contextAt(flow, T0)).run;
    const result = advance(asked, answer('q2', '9'), contextAt(flow, T0 + HOUR));
    expect(result).toEqual({ run: asked, effects: [] });
  });

  it('an answer while no question is open changes nothing', () => {
    const flow = buildFlow(ID, [step('w', waitFor(DAY)), step('q', ask('nps'))]);
    const waiting = advance(startRun(flow), due, contextAt(flow, T0)).run;
    expect(advance(waiting, answer('q', '9'), contextAt(flow, T0 + HOUR))).toEqual({ run: waiting, effects: [] });
  });

  it('a second answer after the first changes nothing', () => {
    const flow = buildFlow(ID, [step('q', ask('nps', { branches: { promoter: 'ref' } })), step('ref', ask('referral'))]);
    const first = play(flow, [
      [due, T0],
      [answer('q', '9'), T0 + HOUR],
    ]).run;
    const second = advance(first, answer('q', '2'), contextAt(flow, T0 + 2 * HOUR));
    expect(second).toEqual({ run: first, effects: [] });
    expect(first.state.answer).toMatchObject({ value: '9', outcome: 'promoter' });
  });

  it('the answer is available to the templates of later steps', () => {
    const flow = buildFlow(ID, [step('q', ask('nps', { branches: { detractor: 'alert' } })), step('alert', { kind: 'alert_owner', text: 'Nota {{ answer.value }}: {{ answer.comment }}' })]);
    const { effects } = play(flow, [
      [due, T0],
      [answer('q', '3', 'demorou'), T0 + HOUR],
    ]);
    expect(texts(effects).at(-1)).toBe('Nota 3: demorou');
  });

  it('steps after an answer are timed from when it came', () => {
    const flow = buildFlow(ID, [step('q', ask('yes_no')), step('thanks', send('obrigado')), step('w', waitFor(DAY))]);
    const { run, effects } = play(flow, [
      [due, T0],
      [answer('q', 'yes'), T0 + 5 * HOUR],
    ]);
    expect(messages(effects).at(-1)?.dueAt).toBe(T0 + 5 * HOUR);
    expect(run.wakeAt).toBe(T0 + 5 * HOUR + DAY);
  });

  it('an answer after the reminder was sent still counts', () => {
    const flow = buildFlow(ID, [step('q', ask('csat', { reminder: { afterMs: DAY, text: 'Lembra?' }, branches: { happy: 'yay' } })), step('yay', send('yay'))]);
    const { run, effects } = play(flow, [
      [due, T0],
      [due, T0 + DAY],
      [answer('q', '5'), T0 + 2 * DAY],
    ]);
    expect(texts(effects)).toEqual(['Question?', 'Lembra?', 'yay']);
    expect(run.state.answer?.outcome).toBe('happy');
  });
});

// --- Ending --------------------------------------------------------------------------------

describe('opt-out, cancel and finished runs', () => {
  const flow = buildFlow(ID, [step('q', ask('nps')), step('thanks', send('obrigado'))]);

  it('opt_out ends the run, cancelled, with the reason opted_out and nothing sent', () => {
    const asked = advance(startRun(flow), due, contextAt(flow, T0)).run;
    const { run, effects } = advance(asked, { kind: 'opt_out' }, contextAt(flow, T0 + HOUR));
    expect(effects).toEqual([]);
    expect(run).toMatchObject({ status: 'cancelled', endReason: 'opted_out', stepId: null, wakeAt: null, endedAt: T0 + HOUR, updatedAt: T0 + HOUR });
    expect(run.state.ask).toBeNull();
  });

  it('cancel ends the run with the reason given', () => {
    const { run } = advance(startRun(flow), { kind: 'cancel', reason: 'superseded' }, contextAt(flow, T0));
    expect(run).toMatchObject({ status: 'cancelled', endReason: 'superseded', stepId: null, wakeAt: null, endedAt: T0 });
  });

  it.each<EngineEvent>([due, answer('q', '9'), { kind: 'contact' }, { kind: 'opt_out' }, { kind: 'cancel', reason: 'x' }])('a run that is not waiting is untouched by %j', (event) => {
    for (const status of ['done', 'cancelled'] as const) {
      const finished = startRun(flow, { status, stepId: null, wakeAt: null, endReason: 'completed', endedAt: T0 });
      expect(advance(finished, event, contextAt(flow, T0 + DAY))).toEqual({ run: finished, effects: [] });
    }
  });

  it('a run woken with no step left and no question is done', () => {
    const { run } = advance(startRun(flow, { stepId: null }), due, contextAt(flow, T0));
    expect(run).toMatchObject({ status: 'done', endReason: 'completed' });
  });

  it('a goto loop without a wait ends with loop_without_wait', () => {
    const loop = buildFlow(ID, [step('a', { kind: 'tag', tags: ['x'] }), step('b', { kind: 'goto', target: 'a' })]);
    const { run } = advance(startRun(loop), due, contextAt(loop, T0));
    expect(run).toMatchObject({ status: 'done', endReason: 'loop_without_wait', stepId: null, wakeAt: null });
  });

  // The loader rejects such loops; the engine's safety net must not flood the customer either.
  it('a goto loop without a wait sends nothing to the customer', () => {
    const loop = buildFlow(ID, [step('a', send('spam')), step('b', { kind: 'goto', target: 'a' })]);
    const { run, effects } = advance(startRun(loop), due, contextAt(loop, T0));
    expect(run.endReason).toBe('loop_without_wait');
    expect(messages(effects)).toEqual([]);
  });

  it('a step that does not exist ends the run with step_missing', () => {
    const { run } = advance(startRun(flow, { stepId: 'ghost' }), due, contextAt(flow, T0));
    expect(run).toMatchObject({ status: 'done', endReason: 'step_missing' });
    const dangling = buildFlow(ID, [step('a', send('a'), { next: 'nowhere' })]);
    const after = advance(startRun(dangling), due, contextAt(dangling, T0));
    expect(texts(after.effects)).toEqual(['a']);
    expect(after.run.endReason).toBe('step_missing');
  });

  it('an open question whose step is gone ends the run with step_missing when due', () => {
    const asked = advance(startRun(flow), due, contextAt(flow, T0)).run;
    const edited = buildFlow(ID, [step('other', send('x'))]);
    const { run } = advance(asked, due, contextAt(edited, T0 + 3 * DAY));
    expect(run).toMatchObject({ status: 'done', endReason: 'step_missing' });
  });
});

// --- Dedupe keys, marketing, purity ----------------------------------------------------------

describe('dedupe keys', () => {
  const loop = buildFlow(ID, [step('hello', send('Oi')), step('w', waitFor(DAY)), step('again', { kind: 'goto', target: 'hello' })]);

  it('a goto that comes back to a send gives it visit 2', () => {
    const { effects, run } = play(loop, [
      [due, T0],
      [due, T0 + DAY],
    ]);
    expect(messages(effects).map((effect) => effect.dedupeKey)).toEqual([`${RUN_ID}:hello:1`, `${RUN_ID}:hello:2`]);
    expect(run.state.visits).toEqual({ hello: 2, w: 2, again: 1 });
  });

  it('another run gets other keys for the same step', () => {
    const a = advance(startRun(loop, { id: 1 }), due, contextAt(loop, T0)).effects;
    const b = advance(startRun(loop, { id: 2 }), due, contextAt(loop, T0)).effects;
    expect(messages(a)[0]?.dedupeKey).toBe('1:hello:1');
    expect(messages(b)[0]?.dedupeKey).toBe('2:hello:1');
  });

  it('are unique per run, step and visit however often a run goes round, and so are message ids', () => {
    const flow = buildFlow(ID, [
      step('q', ask('yes_no', { reminder: { afterMs: HOUR, text: 'e aí?' }, timeoutMs: DAY, branches: { yes: 'hello', no: 'bye' } })),
      step('hello', send('Oi')),
      step('w', waitFor(HOUR)),
      step('back', { kind: 'goto', target: 'q' }),
      step('bye', send('tchau')),
    ]);
    fc.assert(
      fc.property(fc.array(fc.constantFrom<'due' | 'yes' | 'no' | 'late'>('due', 'yes', 'no', 'late'), { maxLength: 40 }), (script) => {
        let run = startRun(flow);
        let now = T0;
        let ids = 0;
        const effects: Effect[] = [];
        const apply = (event: EngineEvent) => {
          const result = advance(run, event, contextAt(flow, now, { newMessageId: () => `id-${++ids}` }));
          run = result.run;
          effects.push(...result.effects);
        };
        apply(due);
        for (const move of script) {
          if (move === 'yes' || move === 'no') apply(answer('q', move));
          else {
            now = Math.max(now, run.wakeAt ?? now) + (move === 'late' ? 2 * HOUR : 0);
            apply(due);
          }
        }
        const sent = messages(effects);
        expect(new Set(sent.map((effect) => effect.dedupeKey)).size).toBe(sent.length);
        expect(new Set(sent.map((effect) => effect.messageId)).size).toBe(sent.length);
      }),
    );
  });
});

describe('marketing', () => {
  const steps = [
    step('q', ask('nps', { poll: true, reminder: { afterMs: HOUR, text: 'Lembra?' }, branches: { detractor: 'alert' } })),
    step('alert', { kind: 'alert_owner', text: 'Atenção' }),
    step('sorry', send('Desculpa')),
  ];

  it.each([
    ['marketing', true],
    [null, false],
  ] as const)('with filter.consent %s, customer messages are marketing: %s; owner messages never', (consent, expected) => {
    const flow = buildFlow(ID, steps, { filter: { consent } });
    const { effects } = play(flow, [
      [due, T0],
      [due, T0 + HOUR],
      [answer('q', '2'), T0 + 2 * HOUR],
    ]);
    expect(messages(effects).map((effect) => [effect.stepId, effect.to, effect.marketing])).toEqual([
      ['q', 'customer', expected],
      ['q', 'customer', expected],
      ['alert', 'owner', false],
      ['sorry', 'customer', expected],
    ]);
  });
});

// --- Cold customers (issue 18) ----------------------------------------------------------------

describe('cold customers: what a message step does for someone who never wrote to the shop', () => {
  const contact: EngineEvent = { kind: 'contact' };
  const cold = (choice: ColdChoice) => ({ cold: choice });
  const waitFor1h = (then: ColdFallback): ColdChoice => ({ kind: 'wait_for_contact', ms: HOUR, then });
  /** Plays events with the customer cold or warm at each. */
  function playAs(flow: Flow, events: [EngineEvent, number, 'warm' | 'cold'][]) {
    let run = startRun(flow);
    const effects: Effect[] = [];
    for (const [event, now, state] of events) {
      const result = advance(run, event, contextAt(flow, now, { contact: state }));
      run = result.run;
      effects.push(...result.effects);
    }
    return { run, effects };
  }

  it('send (the default, or said): the message goes at once, cold or warm, as before issue 18', () => {
    for (const body of [send('Oi'), { ...send('Oi'), ...cold({ kind: 'send' }) }]) {
      const flow = buildFlow(ID, [step('hello', body)]);
      for (const state of ['cold', 'warm'] as const) {
        const { effects, run } = advance(startRun(flow), due, contextAt(flow, T0, { contact: state }));
        expect(messages(effects).map((effect) => [effect.stepId, effect.dueAt])).toEqual([['hello', T0]]);
        expect(run.status).toBe('done');
      }
    }
  });

  it('skip: a cold customer gets nothing from the step, recorded as skipped, and the run goes on; a warm one gets it', () => {
    const flow = buildFlow(ID, [step('hello', { ...send('Oi'), ...cold({ kind: 'skip' }) }), step('w', waitFor(HOUR)), step('tip', send('Dica'))]);
    const { run, effects } = advance(startRun(flow), due, contextAt(flow, T0));
    expect(effects).toEqual([{ kind: 'skipped', stepId: 'hello', dedupeKey: `${RUN_ID}:hello:1`, to: 'customer', content: { kind: 'text', text: 'Oi' }, dueAt: T0, messageId: 'msg-1' }]);
    expect(run).toMatchObject({ status: 'waiting', stepId: 'tip', wakeAt: T0 + HOUR });
    expect(texts(advance(startRun(flow), due, contextAt(flow, T0, { contact: 'warm' })).effects)).toEqual(['Oi']);
  });

  it('skip on a question: not asked, so it counts as not answered (its no_answer branch)', () => {
    const flow = buildFlow(ID, [step('q', { ...ask('yes_no', { branches: { no_answer: 'later' } }), ...cold({ kind: 'skip' }) }), step('yes', send('sim')), step('later', send('depois'))]);
    const { run, effects } = advance(startRun(flow), due, contextAt(flow, T0));
    expect(effects.map((effect) => [effect.kind, 'stepId' in effect ? effect.stepId : null])).toEqual([
      ['skipped', 'q'],
      ['message', 'later'],
    ]);
    expect(run.state.ask).toBeNull();
    expect(run.status).toBe('done');
  });

  it('the flow’s cold applies to every message step without its own; a step’s own wins; other steps are untouched', () => {
    const flow = {
      ...buildFlow(ID, [step('a', send('a')), step('t', { kind: 'tag', tags: ['x'] }), step('b', { ...send('b'), ...cold({ kind: 'send' }) }), step('c', send('c'))]),
      cold: { kind: 'skip' } as ColdChoice,
    };
    const { effects } = advance(startRun(flow), due, contextAt(flow, T0));
    expect(effects.map((effect) => [effect.kind, 'stepId' in effect ? effect.stepId : null])).toEqual([
      ['skipped', 'a'],
      ['tag', null],
      ['message', 'b'],
      ['skipped', 'c'],
    ]);
  });

  describe('wait_for_contact', () => {
    const steps = (then: ColdFallback) => [
      step('thanks', { ...send('Obrigado'), ...cold(waitFor1h(then)) }),
      step('tip', send('Dica')),
      step('other', send('Outra')),
    ];
    const flow = buildFlow(ID, steps('send'));

    it('a warm customer gets the message at once: there is nothing to wait for', () => {
      const { run, effects } = advance(startRun(flow), due, contextAt(flow, T0, { contact: 'warm' }));
      expect(messages(effects).map((effect) => [effect.stepId, effect.dueAt])).toEqual([
        ['thanks', T0],
        ['tip', T0],
        ['other', T0],
      ]);
      expect(run.status).toBe('done');
    });

    it('a cold customer: nothing is sent; the run waits at the step until the duration ends, in its own state', () => {
      const { run, effects } = advance(startRun(flow), due, contextAt(flow, T0));
      expect(effects).toEqual([]);
      expect(run).toMatchObject({ status: 'waiting', stepId: 'thanks', wakeAt: T0 + HOUR, updatedAt: T0 });
      expect(run.state).toEqual({ ...EMPTY_RUN_STATE, contactWait: { stepId: 'thanks', since: T0, until: T0 + HOUR } });
    });

    it('the customer writes while it waits: the step runs at that moment, as for a warm customer, and the run goes on', () => {
      const { run, effects } = playAs(flow, [
        [due, T0, 'cold'],
        [contact, T0 + 20 * MINUTE, 'cold'],
      ]);
      expect(messages(effects).map((effect) => [effect.stepId, effect.dedupeKey, effect.dueAt])).toEqual([
        ['thanks', `${RUN_ID}:thanks:1`, T0 + 20 * MINUTE],
        ['tip', `${RUN_ID}:tip:1`, T0 + 20 * MINUTE],
        ['other', `${RUN_ID}:other:1`, T0 + 20 * MINUTE],
      ]);
      expect(run.status).toBe('done');
      expect(run.state.contactWait).toBeUndefined();
    });

    it('a customer who became warm while the run waited gets it when the wait is due, even if nobody woke the run', () => {
      const { effects } = playAs(flow, [
        [due, T0, 'cold'],
        [due, T0 + HOUR, 'warm'],
      ]);
      expect(messages(effects).map((effect) => [effect.stepId, effect.dueAt])).toEqual([
        ['thanks', T0 + HOUR],
        ['tip', T0 + HOUR],
        ['other', T0 + HOUR],
      ]);
    });

    it('a tick before the end of the wait changes nothing', () => {
      const waiting = advance(startRun(flow), due, contextAt(flow, T0)).run;
      const early = advance(waiting, due, contextAt(flow, T0 + 30 * MINUTE));
      expect(early).toEqual({ run: { ...waiting, wakeAt: T0 + HOUR }, effects: [] });
    });

    it.each<[string, ColdFallback, [string, string][], string]>([
      ['send: the message goes anyway, due when the wait ended', 'send', [['message', 'thanks'], ['message', 'tip'], ['message', 'other']], 'completed'],
      ['skip: the message is recorded as skipped and the run goes on', 'skip', [['skipped', 'thanks'], ['message', 'tip'], ['message', 'other']], 'completed'],
      ['end: the run ends, nothing sent', { goto: 'end' }, [], 'completed'],
      ['a step id: the run goes there', { goto: 'other' }, [['message', 'other']], 'completed'],
    ])('still cold when the wait ends, then %s', (_name, then, expected, endReason) => {
      const flow = buildFlow(ID, steps(then));
      const { run, effects } = playAs(flow, [
        [due, T0, 'cold'],
        [due, T0 + HOUR, 'cold'],
      ]);
      expect(effects.map((effect) => [effect.kind, 'stepId' in effect ? effect.stepId : ''])).toEqual(expected);
      for (const effect of effects) if ('dueAt' in effect) expect(effect.dueAt).toBe(T0 + HOUR);
      expect(run).toMatchObject({ status: 'done', endReason });
      expect(run.state.contactWait).toBeUndefined();
    });

    it('woken late (the service was down): the fallback is timed from the end of the wait, so lateness still counts', () => {
      const late = buildFlow(ID, [step('thanks', { ...send('Obrigado'), ...cold(waitFor1h('send')) }, { maxLatenessMs: 2 * HOUR })]);
      const { effects } = playAs(late, [
        [due, T0, 'cold'],
        [due, T0 + 4 * HOUR, 'cold'],
      ]);
      expect(effects).toEqual([expect.objectContaining({ kind: 'expired', stepId: 'thanks', dueAt: T0 + HOUR })]);
    });

    it('a question waiting for contact is asked when the customer writes, and then waits for its answer', () => {
      const flow = buildFlow(ID, [step('q', { ...ask('nps'), ...cold(waitFor1h('skip')) }), step('thanks', send('obrigado'))]);
      const { run, effects } = playAs(flow, [
        [due, T0, 'cold'],
        [contact, T0 + 5 * MINUTE, 'warm'],
      ]);
      expect(texts(effects)).toEqual(['Question?']);
      expect(run.state.ask).toMatchObject({ stepId: 'q', askedAt: T0 + 5 * MINUTE, timeoutAt: T0 + 5 * MINUTE + 3 * DAY });
      expect(run.state.contactWait).toBeUndefined();
    });

    it('contact changes nothing for a run not waiting for it (a wait step, an open question)', () => {
      const plain = buildFlow(ID, [step('w', waitFor(HOUR)), step('q', ask('nps'))]);
      const sleeping = advance(startRun(plain), due, contextAt(plain, T0)).run;
      expect(advance(sleeping, contact, contextAt(plain, T0 + MINUTE))).toEqual({ run: sleeping, effects: [] });
      const asked = advance(sleeping, due, contextAt(plain, T0 + HOUR)).run;
      expect(advance(asked, contact, contextAt(plain, T0 + 2 * HOUR))).toEqual({ run: asked, effects: [] });
    });

    it('an opt-out while it waits ends the run and forgets the wait', () => {
      const waiting = advance(startRun(flow), due, contextAt(flow, T0)).run;
      const { run, effects } = advance(waiting, { kind: 'opt_out' }, contextAt(flow, T0 + MINUTE));
      expect(effects).toEqual([]);
      expect(run).toMatchObject({ status: 'cancelled', endReason: 'opted_out', wakeAt: null, stepId: null });
      expect(run.state.contactWait).toBeUndefined();
    });

    it('a goto that comes back to the step waits again for a still-cold customer, each visit keyed apart', () => {
      const loop = buildFlow(ID, [step('w', waitFor(DAY)), step('hi', { ...send('Oi'), ...cold(waitFor1h('send')) }), step('back', { kind: 'goto', target: 'w' })]);
      const { run, effects } = playAs(loop, [
        [due, T0, 'cold'],
        [due, T0 + DAY, 'cold'],
        [due, T0 + DAY + HOUR, 'cold'],
        [due, T0 + 2 * DAY + HOUR, 'cold'],
        [contact, T0 + 2 * DAY + 90 * MINUTE, 'warm'],
      ]);
      expect(messages(effects).map((effect) => [effect.dedupeKey, effect.dueAt])).toEqual([
        [`${RUN_ID}:hi:1`, T0 + DAY + HOUR],
        [`${RUN_ID}:hi:2`, T0 + 2 * DAY + 90 * MINUTE],
      ]);
      expect(run).toMatchObject({ status: 'waiting', stepId: 'hi', wakeAt: T0 + 3 * DAY + 90 * MINUTE });
    });
  });
});

describe('purity', () => {
  it('never changes the run it is given', () => {
    const flow = buildFlow(ID, [step('t', { kind: 'tag', tags: ['x'] }), step('q', ask('nps', { reminder: { afterMs: HOUR, text: 'r' } })), step('s', send('s'))]);
    const run = startRun(flow);
    const snapshot = structuredClone(run);
    const asked = advance(run, due, contextAt(flow, T0));
    expect(run).toEqual(snapshot);
    const askedSnapshot = structuredClone(asked.run);
    advance(asked.run, due, contextAt(flow, T0 + HOUR));
    advance(asked.run, answer('q', '9'), contextAt(flow, T0 + HOUR));
    advance(asked.run, { kind: 'opt_out' }, contextAt(flow, T0 + HOUR));
    expect(asked.run).toEqual(askedSnapshot);
  });
});
