/**
 * The Fluxos editor's form (issue 20), pure: a flow file's draft as form
 * fields a seller fills on a phone, the fields read back into a draft, the
 * form's own actions (add, remove, move a step) and the loader's errors put
 * next to the field they are about. Durations are a number and a unit
 * (minutos, horas, dias), written back in the file's terms ("3d").
 */
import { formatDuration, parseDuration, parseWeekday, WEEKDAYS } from '../../flows/durations.js';
import type { FlowDraft, StepDraft } from '../../flows/flow-editing.js';
import { ASK_KINDS, optionKey, outcomesFor, STEP_KINDS } from '../../flows/flow-schema.js';
import type { AskKind, Weekday } from '../../flows/flow-types.js';
import type { FlowError } from '../../flows/load-flows.js';

export type EditKind = (typeof STEP_KINDS)[number];
export type DurationUnit = 'm' | 'h' | 'd';
export const DURATION_UNITS: readonly DurationUnit[] = ['m', 'h', 'd'];
export const EDIT_KINDS: readonly EditKind[] = STEP_KINDS;
export { ASK_KINDS, WEEKDAYS };

/** What the trigger lets a seller change, by trigger type (docs/flows.md). */
export const TRIGGER_FIELDS = {
  purchase: ['products'],
  birthday: ['days_before', 'at'],
  inactivity: ['days', 'at'],
  repurchase: ['days', 'products', 'at'],
  manual: [],
} as const satisfies Record<string, readonly TriggerField[]>;
export type TriggerField = 'products' | 'days' | 'days_before' | 'at';
export type TriggerType = keyof typeof TRIGGER_FIELDS;

export interface DurationField {
  n: string;
  unit: DurationUnit;
}

export interface StepForm {
  /** The step's index in the file as read; null for a step added in the editor. */
  from: number | null;
  id: string;
  /** null: a step the editor does not manage (an image), shown read-only and kept as the file has it. */
  kind: EditKind | null;
  /** '' goes on to the following step; 'end' or a step id. */
  next: string;
  /** A send's or an alert's text. */
  text: string;
  askKind: AskKind;
  question: string;
  poll: boolean;
  /** One option a line: a label, or "key | label". */
  options: string;
  reminder: boolean;
  reminderAfter: DurationField;
  reminderText: string;
  timeout: DurationField;
  /** outcome → '' (the following step), 'end' or a step id. */
  branches: Record<string, string>;
  wait: DurationField;
  /** "HH:MM" or ''. */
  waitAt: string;
  weekdays: Weekday[];
  /** Comma separated. */
  tags: string;
  goto: string;
}

export interface EditForm {
  name: string;
  revision: string;
  enabled: boolean;
  triggerType: TriggerType;
  trigger: Partial<Record<TriggerField, string>>;
  steps: StepForm[];
}

export type EditAction =
  | { kind: 'save' }
  | { kind: 'refresh' }
  | { kind: 'add'; step: EditKind; at: number }
  | { kind: 'remove' | 'up' | 'down'; index: number };

const UNIT_MS: Record<DurationUnit, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const DEFAULT_TIMEOUT_MS = 3 * 86_400_000;

// ——— the file's draft → the form ———

/** The form for a draft as read from its file; `triggerType` from the file (it is not edited). */
export function formFromDraft(draft: FlowDraft, revision: string, triggerType: TriggerType): EditForm {
  const trigger: EditForm['trigger'] = {};
  for (const field of TRIGGER_FIELDS[triggerType]) trigger[field] = triggerText(draft.trigger[field]);
  return { name: draft.name, revision, enabled: draft.enabled, triggerType, trigger, steps: draft.steps.map(stepFormFromDraft) };
}

function triggerText(value: unknown): string {
  if (Array.isArray(value)) return value.map(scalarText).join(', ');
  return scalarText(value);
}

/** A scalar of the file as text ('' for anything else). */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

export function emptyStep(kind: EditKind, id: string): StepForm {
  return {
    from: null,
    id,
    kind,
    next: '',
    text: '',
    askKind: 'yes_no',
    question: '',
    poll: false,
    options: '',
    reminder: false,
    reminderAfter: { n: '1', unit: 'd' },
    reminderText: '',
    timeout: { n: '3', unit: 'd' },
    branches: {},
    wait: { n: kind === 'wait' ? '1' : '', unit: 'd' },
    waitAt: '',
    weekdays: [],
    tags: '',
    goto: kind === 'goto' ? 'end' : '',
  };
}

function stepFormFromDraft(draft: StepDraft, index: number): StepForm {
  const step = draft.step;
  const id = typeof step.id === 'string' ? step.id : '';
  const kind: EditKind | null = STEP_KINDS.find((key) => step[key] !== undefined && step[key] !== null) ?? null;
  const form = emptyStep(kind ?? 'end', id);
  form.from = draft.from ?? index;
  form.kind = kind;
  form.wait = { n: '', unit: 'd' };
  form.goto = '';
  form.next = typeof step.next === 'string' ? step.next : '';
  switch (kind) {
    case 'send':
      form.text = typeof step.send === 'string' ? step.send : '';
      break;
    case 'alert_owner':
      form.text = typeof step.alert_owner === 'string' ? step.alert_owner : '';
      break;
    case 'ask':
      fillAsk(form, isObject(step.ask) ? step.ask : {});
      break;
    case 'wait':
      fillWait(form, step.wait);
      break;
    case 'tag':
    case 'untag':
      form.tags = listOf(step[kind]).join(', ');
      break;
    case 'goto':
      form.goto = typeof step.goto === 'string' ? step.goto : '';
      break;
    case 'end':
    case null:
      break;
  }
  return form;
}

function fillAsk(form: StepForm, ask: Record<string, unknown>): void {
  form.askKind = (ASK_KINDS as readonly string[]).includes(ask.kind as string) ? (ask.kind as AskKind) : 'text';
  form.question = typeof ask.question === 'string' ? ask.question : '';
  form.poll = ask.poll === true;
  form.options = Array.isArray(ask.options) ? ask.options.map(optionLine).join('\n') : '';
  if (isObject(ask.reminder)) {
    form.reminder = true;
    form.reminderAfter = durationField(ask.reminder.after);
    form.reminderText = typeof ask.reminder.text === 'string' ? ask.reminder.text : '';
  }
  form.timeout = ask.timeout === undefined || ask.timeout === null ? durationFieldOf(DEFAULT_TIMEOUT_MS) : durationField(ask.timeout);
  form.branches = {};
  if (isObject(ask.branches)) for (const [outcome, to] of Object.entries(ask.branches)) form.branches[outcome] = String(to);
}

function optionLine(option: unknown): string {
  if (typeof option === 'string') return option;
  if (isObject(option)) {
    const label = scalarText(option.label);
    const key = scalarText(option.key);
    return key === '' || key === optionKey(label) ? label : `${key} | ${label}`;
  }
  return String(option);
}

function fillWait(form: StepForm, wait: unknown): void {
  if (isObject(wait)) {
    form.wait = wait.for === undefined ? { n: '', unit: 'd' } : durationField(wait.for);
    form.waitAt = typeof wait.until === 'string' ? wait.until : '';
    const days = wait.weekdays ?? wait.on;
    form.weekdays = listOf(days).flatMap((name) => {
      const day = parseWeekday(name);
      return day.ok ? [day.value] : [];
    });
  } else form.wait = durationField(wait);
}

/** A duration as written in the file, as a number and the largest unit it is a whole number of. */
function durationField(value: unknown): DurationField {
  const parsed = parseDuration(scalarText(value));
  return parsed.ok ? durationFieldOf(parsed.value) : { n: scalarText(value), unit: 'd' };
}

export function durationFieldOf(ms: number): DurationField {
  if (ms > 0 && ms % UNIT_MS.d === 0) return { n: String(ms / UNIT_MS.d), unit: 'd' };
  if (ms > 0 && ms % UNIT_MS.h === 0) return { n: String(ms / UNIT_MS.h), unit: 'h' };
  return { n: String(Math.ceil(ms / UNIT_MS.m)), unit: 'm' };
}

// ——— the posted form → the form ———

/** The form as posted (every field a string; a missing one is empty), and the button pressed. */
export function readEditForm(body: unknown): { form: EditForm; action: EditAction } {
  const fields = isObject(body) ? body : {};
  const text = (name: string, max = 5000) => {
    const value = fields[name];
    return typeof value === 'string' ? value.replace(/\r\n/g, '\n').slice(0, max) : '';
  };
  const triggerType = (Object.keys(TRIGGER_FIELDS) as TriggerType[]).find((type) => type === text('trigger_type')) ?? 'manual';
  const trigger: EditForm['trigger'] = {};
  for (const field of TRIGGER_FIELDS[triggerType]) trigger[field] = text(`trigger.${field}`, 500);
  const count = Math.min(200, Math.max(0, Number.parseInt(text('count'), 10) || 0));
  const steps: StepForm[] = [];
  for (let i = 0; i < count; i++) {
    const p = `s${i}.`;
    const kindText = text(`${p}kind`);
    const kind = (STEP_KINDS as readonly string[]).includes(kindText) ? (kindText as EditKind) : null;
    const from = /^\d+$/.test(text(`${p}from`)) ? Number(text(`${p}from`)) : null;
    const step = emptyStep(kind ?? 'end', text(`${p}id`, 100).trim());
    step.from = from;
    step.kind = kind;
    step.next = text(`${p}next`, 100);
    step.text = text(`${p}text`);
    const askKind = text(`${p}ask_kind`);
    if ((ASK_KINDS as readonly string[]).includes(askKind)) step.askKind = askKind as AskKind;
    step.question = text(`${p}question`);
    step.poll = text(`${p}poll`) === '1';
    step.options = text(`${p}options`);
    step.reminder = text(`${p}reminder`) === '1';
    step.reminderAfter = { n: text(`${p}reminder_n`, 20).trim(), unit: unitOf(text(`${p}reminder_unit`)) };
    step.reminderText = text(`${p}reminder_text`);
    step.timeout = { n: text(`${p}timeout_n`, 20).trim(), unit: unitOf(text(`${p}timeout_unit`)) };
    step.branches = {};
    // An outcome left to "the following step" is no branch at all, as in the file.
    for (const outcome of kind === 'ask' ? outcomesOf(step) : []) if (text(`${p}b.${outcome}`) !== '') step.branches[outcome] = text(`${p}b.${outcome}`, 100);
    step.wait = { n: text(`${p}wait_n`, 20).trim(), unit: unitOf(text(`${p}wait_unit`)) };
    step.waitAt = text(`${p}wait_at`, 20).trim();
    step.weekdays = WEEKDAYS.filter((day) => text(`${p}wd.${day}`) === '1');
    step.tags = text(`${p}tags`, 500);
    step.goto = text(`${p}goto`, 100);
    steps.push(step);
  }
  const form: EditForm = { name: text('name', 200), revision: text('revision', 200), enabled: text('enabled') !== '0', triggerType, trigger, steps };
  return { form, action: readAction(text('action', 40), text('add_kind'), text('add_at'), steps.length) };
}

function readAction(action: string, addKind: string, addAt: string, count: number): EditAction {
  if (action === 'add') {
    const step = (STEP_KINDS as readonly string[]).includes(addKind) ? (addKind as EditKind) : 'send';
    const at = /^\d+$/.test(addAt) ? Math.min(Number(addAt), count) : count;
    return { kind: 'add', step, at };
  }
  const move = /^(remove|up|down):(\d+)$/.exec(action);
  if (move && Number(move[2]) < count) return { kind: move[1] as 'remove' | 'up' | 'down', index: Number(move[2]) };
  if (action === 'refresh') return { kind: 'refresh' };
  return { kind: 'save' };
}

function unitOf(text: string): DurationUnit {
  return (DURATION_UNITS as readonly string[]).includes(text) ? (text as DurationUnit) : 'd';
}

/** The outcomes a question's answers can lead from, for its kind and options. */
export function outcomesOf(step: StepForm): string[] {
  return outcomesFor(step.askKind, parseOptions(step.options).map((option) => (typeof option === 'string' ? optionKey(option) : option.key)));
}

function parseOptions(text: string): (string | { key: string; label: string })[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const split = /^([^|]+?)\s*\|\s*(.+)$/.exec(line);
      return split ? { key: split[1]!.trim(), label: split[2]!.trim() } : line;
    });
}

// ——— the form's own actions ———

/** Adds, removes or moves a step: nothing saved, the form is shown again. */
export function applyAction(form: EditForm, action: EditAction): EditForm {
  const steps = [...form.steps];
  switch (action.kind) {
    case 'add':
      steps.splice(action.at, 0, emptyStep(action.step, newStepId(steps, action.step)));
      break;
    case 'remove':
      steps.splice(action.index, 1);
      break;
    case 'up':
    case 'down': {
      const to = action.kind === 'up' ? action.index - 1 : action.index + 1;
      if (to < 0 || to >= steps.length) break;
      [steps[action.index], steps[to]] = [steps[to]!, steps[action.index]!];
      break;
    }
    case 'save':
    case 'refresh':
      break;
  }
  return { ...form, steps };
}

/** "passo-3": the first free one, so a new step can be saved as it is. */
function newStepId(steps: StepForm[], kind: EditKind): string {
  const taken = new Set(steps.map((step) => step.id));
  const base = kind.replace(/_/g, '-');
  for (let n = steps.length + 1; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

// ——— the form → the draft ———

/** A problem the form finds before the loader: a number that is not one. */
export interface FormProblem {
  field: string;
  problem: 'number';
}

/**
 * The draft to save. With `base` (the draft the form was drawn from), only
 * what changed is given for each step kept from the file, so the keys a
 * seller did not touch stay exactly as written (quotes, flow style, `3d`).
 */
export function draftFromForm(form: EditForm, base: FlowDraft | null): { draft: FlowDraft; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const trigger: Record<string, unknown> = {};
  for (const field of TRIGGER_FIELDS[form.triggerType]) {
    const value = triggerValue(field, form.trigger[field] ?? '', problems);
    if (!base || !sameValue(triggerValue(field, triggerText(base.trigger[field]), []), value)) trigger[field] = value;
  }
  const steps = form.steps.map((step, index): StepDraft => {
    const full = fullStep(step, index, problems);
    const original = base && step.from !== null ? base.steps.find((draft, at) => (draft.from ?? at) === step.from) : undefined;
    return { from: step.from, step: original ? changedKeys(full, stepFormFromDraft(original, step.from!), index) : withoutNulls(full) };
  });
  return { draft: { name: form.name, enabled: form.enabled, trigger, steps }, problems };
}

function triggerValue(field: TriggerField, text: string, problems: FormProblem[]): unknown {
  const value = text.trim();
  if (value === '') return null;
  if (field === 'products') {
    const patterns = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
    return patterns.length === 1 ? patterns[0] : patterns;
  }
  if (field === 'at') return value;
  if (!/^\d{1,4}$/.test(value)) {
    problems.push({ field: `trigger-${field}`, problem: 'number' });
    return value;
  }
  return Number(value);
}

/** The step with every key the editor manages, in the file's terms (null: remove the key). */
function fullStep(step: StepForm, index: number, problems: FormProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: step.id, next: step.next === '' ? null : step.next };
  const field = (name: string) => `s${index}-${name}`;
  const duration = (value: DurationField, name: string, zero: boolean) => durationText(value, zero, () => problems.push({ field: field(name), problem: 'number' }));
  switch (step.kind) {
    case null:
      delete out.next;
      if (step.next !== '') out.next = step.next;
      break;
    case 'send':
      out.send = step.text;
      break;
    case 'alert_owner':
      out.alert_owner = step.text;
      break;
    case 'ask': {
      const options = parseOptions(step.options);
      const branches = Object.fromEntries(Object.entries(step.branches).filter(([, to]) => to !== ''));
      out.ask = {
        kind: step.askKind,
        question: step.question,
        poll: step.poll ? true : null,
        options: step.askKind === 'choice' ? options : null,
        reminder: step.reminder ? { after: duration(step.reminderAfter, 'reminder', false), text: step.reminderText } : null,
        timeout: duration(step.timeout, 'timeout', false),
        branches: Object.keys(branches).length > 0 ? branches : null,
      };
      break;
    }
    case 'wait': {
      const forText = duration(step.wait, 'wait', step.waitAt !== '');
      if (step.waitAt === '') out.wait = forText;
      else {
        const wait: Record<string, unknown> = {};
        if (forText !== null) wait.for = forText;
        wait.until = step.waitAt;
        if (step.weekdays.length > 0) wait.weekdays = step.weekdays.map(weekdayName);
        out.wait = wait;
      }
      break;
    }
    case 'tag':
    case 'untag': {
      const tags = step.tags.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
      out[step.kind] = tags.length === 1 ? tags[0] : tags;
      break;
    }
    case 'goto':
      out.goto = step.goto;
      break;
    case 'end':
      out.end = true;
      break;
  }
  return out;
}

/** "3" dias → "3d"; empty (allowed only where `zero`) → null. */
function durationText(value: DurationField, zero: boolean, bad: () => void): string | null {
  if (value.n === '' || (zero && value.n === '0')) {
    if (!zero) bad();
    return null;
  }
  if (!/^\d{1,6}$/.test(value.n)) {
    bad();
    return value.n;
  }
  return formatDuration(Number(value.n) * UNIT_MS[value.unit]);
}

/** Sunday first, in the Portuguese short names the shipped flows use. */
const WEEKDAY_PT: Record<Weekday, string> = { sun: 'dom', mon: 'seg', tue: 'ter', wed: 'qua', thu: 'qui', fri: 'sex', sat: 'sab' };
function weekdayName(day: Weekday): string {
  return WEEKDAY_PT[day];
}

/** The keys of `full` whose meaning differs from the step as the file had it (always the id). */
function changedKeys(full: Record<string, unknown>, before: StepForm, index: number): Record<string, unknown> {
  const old = fullStep(before, index, []);
  const out: Record<string, unknown> = { id: full.id };
  for (const [key, value] of Object.entries(full)) {
    if (key === 'id') continue;
    if (key === 'ask' && isObject(value) && isObject(old.ask)) {
      const ask: Record<string, unknown> = {};
      for (const [name, part] of Object.entries(value)) if (!sameValue(part, old.ask[name])) ask[name] = part;
      if (Object.keys(ask).length > 0) out.ask = ask;
    } else if (!sameValue(value, old[key])) out[key] = value;
  }
  return out;
}

function withoutNulls(step: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(step)) {
    if (value === null) continue;
    out[key] = isObject(value) && !Array.isArray(value) ? withoutNulls(value) : value;
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

/** Durations by what they mean ("72h" is "3d"), lists of one as the one. */
function normalize(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'string') {
    const duration = parseDuration(value);
    return duration.ok && /[a-z]$/.test(value) ? `#${duration.value}` : value;
  }
  if (Array.isArray(value)) return value.length === 1 ? normalize(value[0]) : value.map(normalize);
  if (isObject(value)) return Object.fromEntries(Object.keys(value).sort().map((key) => [key, normalize(value[key])]));
  return value;
}

// ——— errors at their fields ———

/** Errors by the id of the field they are about ("s3-question"); `top` for those about no field. */
export interface PlacedErrors {
  top: string[];
  fields: Record<string, string[]>;
}

/**
 * The loader's errors by field: `steps[3].ask.question` is the fourth card's
 * question; a path the form has no field for goes to its step's card, or to
 * the top of the form.
 */
export function placeErrors(errors: readonly Pick<FlowError, 'path' | 'message' | 'where'>[], form: EditForm): PlacedErrors {
  const placed: PlacedErrors = { top: [], fields: {} };
  for (const error of errors) {
    const field = fieldOf(error.path, form);
    if (field === null) placed.top.push(error.where ? `${error.where}: ${error.message}` : error.message);
    else (placed.fields[field] ??= []).push(error.message);
  }
  return placed;
}

export function fieldOf(path: string, form: EditForm): string | null {
  if (path === 'name') return 'name';
  const trigger = /^trigger\.(products|days|days_before|at)\b/.exec(path);
  if (trigger && (TRIGGER_FIELDS[form.triggerType] as readonly string[]).includes(trigger[1]!)) return `trigger-${trigger[1]}`;
  const match = /^steps\[(\d+)\](?:\.(.*))?$/.exec(path);
  if (!match) return null;
  const index = Number(match[1]);
  const step = form.steps[index];
  if (!step) return null;
  const rest = match[2] ?? '';
  const at = (name: string) => `s${index}-${name}`;
  const [head, second, third] = rest.split('.');
  if (step.kind === null) return at('card');
  switch (head) {
    case 'id':
    case 'next':
      return at(head);
    case 'send':
    case 'alert_owner':
      return at('text');
    case 'wait':
      return at('wait');
    case 'tag':
    case 'untag':
      return at('tags');
    case 'goto':
      return at('goto');
    case undefined:
      return at('card');
    case 'ask':
      if (second === 'question' || second === 'options' || second === 'timeout') return at(second);
      if (second === 'reminder') return at(third === 'text' ? 'reminder_text' : 'reminder');
      if (second === 'branches' && third !== undefined && Object.hasOwn(step.branches, third)) return at(`b-${third}`);
      if (second === 'kind' || second === 'poll') return at('ask_kind');
      return at('card');
    default:
      return at('card');
  }
}

function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value !== '' ? [value] : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
