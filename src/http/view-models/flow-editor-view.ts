/**
 * What the editor page shows for a form (flow-edit-form.ts): each step's
 * card with its choices named in the seller's words, the waits in words
 * ("3 dias, às 10:00"), each text as a sample customer gets it, and the
 * errors at their fields.
 */
import { ASK_KINDS, WEEKDAYS, outcomesOf, type EditForm, type EditKind, type PlacedErrors, type StepForm, EDIT_KINDS, DURATION_UNITS } from './flow-edit-form.js';
import { flowPhrases } from './flow-in-words.js';
import { liquidNames, previewText, type Preview } from './flow-preview.js';
import { translator, type Locale, type MessageKey } from '../../i18n/index.js';
import type { Weekday } from '../../flows/flow-types.js';

export interface Choice {
  value: string;
  label: string;
}

export interface StepCard extends StepForm {
  index: number;
  kindName: string;
  /** For a step the editor does not manage: what it is, in words. */
  summary: string | null;
  /** Where this step goes after (''), or answers lead: the following step, the end, each other step. */
  targets: Choice[];
  /** For goto: the end or a step. */
  jumpTargets: Choice[];
  outcomes: { outcome: string; label: string; value: string }[];
  waitWords: string;
  previews: { text: Preview | null; question: Preview | null; reminder: Preview | null };
}

export interface EditorView {
  form: EditForm;
  cards: StepCard[];
  errors: PlacedErrors;
  askKinds: Choice[];
  stepKinds: Choice[];
  units: Choice[];
  weekdays: Choice[];
  /** Where a new step may go: before each step, or at the end. */
  positions: Choice[];
  names: string[];
}

export interface EditorViewOptions {
  locale: Locale;
  shopName: string;
  timeZone: string;
  /** Read-only steps' summaries by step id (the flow as loaded, in words). */
  summaries?: ReadonlyMap<string, string>;
}

const SUNDAY = Date.UTC(2026, 0, 4, 12);
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function buildEditorView(form: EditForm, errors: PlacedErrors, options: EditorViewOptions): EditorView {
  const t = translator(options.locale);
  const phrases = flowPhrases(options.locale);
  const preview = (text: string) => previewText(text, options);
  const ids = form.steps.map((step) => step.id).filter((id) => id !== '');
  const weekday = new Intl.DateTimeFormat(options.locale, { weekday: 'short', timeZone: 'UTC' });
  const dayName = (day: Weekday) => weekday.format(SUNDAY + WEEKDAYS.indexOf(day) * 86_400_000);
  const or = new Intl.ListFormat(options.locale, { type: 'disjunction' });

  function waitWords(step: StepForm): string {
    const n = Number(step.wait.n);
    const duration = /^\d+$/.test(step.wait.n) && n > 0 ? phrases.duration(n * UNIT_MS[step.wait.unit]) : null;
    if (step.waitAt === '') return duration ?? '';
    let words = duration === null ? t('page.flow_edit.wait_at', { at: step.waitAt }) : t('page.flow_edit.wait_words', { duration, at: step.waitAt });
    if (step.weekdays.length > 0) words += ` ${t('page.flows.wait.weekdays', { days: or.format(step.weekdays.map(dayName)) })}`;
    return words;
  }

  const cards = form.steps.map((step, index): StepCard => {
    const others = ids.filter((id) => id !== step.id);
    const stepChoices = others.map((id) => ({ value: id, label: t('page.flow_edit.target_step', { id }) }));
    const end = { value: 'end', label: t('page.flow_edit.target_end') };
    return {
      ...step,
      index,
      kindName: step.kind === null ? t('page.flow_edit.kind_other') : t(`page.flows.kind.${step.kind}`),
      summary: step.kind === null ? (options.summaries?.get(step.id) ?? null) : null,
      targets: [{ value: '', label: t('page.flow_edit.target_next') }, end, ...stepChoices],
      jumpTargets: [end, ...stepChoices],
      outcomes:
        step.kind === 'ask'
          ? outcomesOf(step).map((outcome) => ({ outcome, label: phrases.outcome(outcome), value: step.branches[outcome] ?? '' }))
          : [],
      waitWords: step.kind === 'wait' ? waitWords(step) : '',
      previews: {
        text: step.kind === 'send' || step.kind === 'alert_owner' ? preview(step.text) : null,
        question: step.kind === 'ask' ? preview(step.question) : null,
        reminder: step.kind === 'ask' && step.reminder ? preview(step.reminderText) : null,
      },
    };
  });

  return {
    form,
    cards,
    errors,
    askKinds: ASK_KINDS.map((kind) => ({ value: kind, label: t(`page.flows.ask.${kind}`) })),
    stepKinds: EDIT_KINDS.map((kind: EditKind) => ({ value: kind, label: t(`page.flows.kind.${kind}`) })),
    units: DURATION_UNITS.map((unit) => ({ value: unit, label: t(`page.flow_edit.unit.${unit}` as MessageKey) })),
    weekdays: WEEKDAYS.map((day) => ({ value: day, label: dayName(day) })),
    positions: [
      ...form.steps.map((step, index) => ({ value: String(index), label: t('page.flow_edit.position_before', { id: step.id || String(index + 1) }) })),
      { value: String(form.steps.length), label: t('page.flow_edit.position_end') },
    ],
    names: liquidNames(),
  };
}
