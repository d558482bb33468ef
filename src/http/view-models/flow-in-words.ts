import { formatLocalTime } from '../../flows/durations.js';
import type { ColdChoice, Filter, Flow, Step, Trigger, Wait, Weekday } from '../../flows/flow-types.js';
import { type Locale, type MessageKey, translator } from '../../i18n/index.js';

/** What a step shows: its kind in words, what it waits for or says, where its answers lead. */
export interface StepInWords {
  id: string;
  kind: Step['kind'];
  kindName: string;
  /** Plain sentences: "Espera 1 hora", "Nota de 0 a 10 (NPS), como enquete". */
  details: string[];
  /** The message as written in the file (Liquid names included), cut to a preview. */
  preview: string | null;
  branches: { outcome: string; target: string }[];
}

/** A flow in plain words: what starts it, who it is for, and each step. */
export interface FlowInWords {
  id: string;
  name: string;
  version: number;
  file: string;
  trigger: string;
  /** Who it is for, and what its messages do for a customer who never wrote to the shop (when the flow says). */
  filter: string[];
  steps: StepInWords[];
}

/** The words a flow's parts are said in, in one language; also what the dry run's timeline reuses. */
export interface FlowPhrases {
  /** 129 600 000 → "1 dia e 12 horas"; weeks only when exact ("10 dias", not "1 semana e 3 dias"). */
  duration: (ms: number) => string;
  /** A step id, or "o fim" for `end`. */
  target: (to: string) => string;
  /** An answer's outcome (promoter, yes, no_answer…) in words; an option's key as its label when the step is given. */
  outcome: (outcome: string, step?: Step & { kind: 'ask' }) => string;
}

const PREVIEW_CHARS = 240;
/** A Sunday (UTC), to name weekdays from Intl. */
const SUNDAY = Date.UTC(2026, 0, 4, 12);
const WEEKDAY_INDEX: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const KNOWN_OUTCOMES = new Set(['detractor', 'passive', 'promoter', 'unhappy', 'neutral', 'happy', 'yes', 'no', 'answered', 'no_answer']);
const UNITS = { week: 7 * 86_400_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 } as const;

export function flowPhrases(locale: Locale): FlowPhrases {
  const t = translator(locale);
  const and = new Intl.ListFormat(locale, { type: 'conjunction' });
  const units = (Object.keys(UNITS) as (keyof typeof UNITS)[]).map((unit) => ({
    format: new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }),
    ms: UNITS[unit],
  }));
  return {
    duration(ms) {
      let rest = Math.max(0, Math.round(ms / 1000) * 1000);
      const parts: string[] = [];
      for (const [index, unit] of units.entries()) {
        if (index === 0 && rest % unit.ms !== 0) continue;
        const amount = Math.floor(rest / unit.ms);
        if (amount > 0) parts.push(unit.format.format(amount));
        rest -= amount * unit.ms;
      }
      return parts.length === 0 ? units[4]!.format.format(0) : and.format(parts);
    },
    target: (to) => (to === 'end' ? t('page.flows.target_end') : to),
    outcome(outcome, step) {
      if (KNOWN_OUTCOMES.has(outcome)) return t(`page.flows.outcome.${outcome}` as MessageKey);
      return step?.options.find((option) => option.key === outcome)?.label ?? outcome;
    },
  };
}

/**
 * A flow as a seller reads it, from the flow as loaded: the Fluxos pages
 * show it, and `fregues flows check` prints it under the check.
 */
export function describeFlow(flow: Flow, locale: Locale): FlowInWords {
  const t = translator(locale);
  const phrases = flowPhrases(locale);
  const { duration, target } = phrases;
  const and = new Intl.ListFormat(locale, { type: 'conjunction' });
  const or = new Intl.ListFormat(locale, { type: 'disjunction' });
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });

  function products(patterns: string[] | null): string {
    if (!patterns || patterns.includes('*')) return t('page.flows.any_product');
    return or.format(patterns);
  }

  function triggerText(): string {
    const trigger: Trigger = flow.trigger;
    switch (trigger.type) {
      case 'purchase':
        return trigger.products ? t('page.flows.trigger.purchase_products', { products: products(trigger.products) }) : t('page.flows.trigger.purchase');
      case 'birthday':
        return trigger.daysBefore === 0
          ? t('page.flows.trigger.birthday', { at: formatLocalTime(trigger.at) })
          : t('page.flows.trigger.birthday_before', { days: duration(trigger.daysBefore * 86_400_000), at: formatLocalTime(trigger.at) });
      case 'inactivity':
        return t('page.flows.trigger.inactivity', { days: duration(trigger.days * 86_400_000), at: formatLocalTime(trigger.at) });
      case 'repurchase': {
        const params = { days: duration(trigger.days * 86_400_000), products: products(trigger.products) };
        return trigger.at === null ? t('page.flows.trigger.repurchase', params) : t('page.flows.trigger.repurchase_at', { ...params, at: formatLocalTime(trigger.at) });
      }
      case 'manual':
        return t('page.flows.trigger.manual', { id: flow.id });
      case 'tagged':
        return t('page.flows.trigger.tagged', { tag: trigger.tag });
      case 'first_message':
        return t('page.flows.trigger.first_message');
      case 'purchase_count':
        return trigger.every !== null
          ? t('page.flows.trigger.purchase_count_every', { every: trigger.every, twice: trigger.every * 2 })
          : t('page.flows.trigger.purchase_count_nth', { nth: trigger.nth ?? 0 });
    }
  }

  function filterText(filter: Filter): string[] {
    const lines: string[] = [];
    if (filter.consent === 'marketing') lines.push(t('page.flows.filter.marketing'));
    if (filter.tagsAll.length > 0) lines.push(t('page.flows.filter.tags_all', { tags: and.format(filter.tagsAll) }));
    if (filter.tagsNone.length > 0) lines.push(t('page.flows.filter.tags_none', { tags: or.format(filter.tagsNone) }));
    if (filter.products) lines.push(t('page.flows.filter.products', { products: products(filter.products) }));
    if (filter.contact) lines.push(t(`page.flows.filter.${filter.contact}`));
    return lines;
  }

  function coldText(choice: ColdChoice): string {
    if (choice.kind !== 'wait_for_contact') return t(`page.flows.cold.${choice.kind}`);
    const { then } = choice;
    const after =
      then === 'send' || then === 'skip'
        ? t(`page.flows.cold.then_${then}`)
        : then.goto === 'end'
          ? t('page.flows.cold.then_end')
          : t('page.flows.cold.then_goto', { target: target(then.goto) });
    return t('page.flows.cold.wait', { duration: duration(choice.ms), then: after });
  }

  function waitText(wait: Wait): string {
    if (wait.kind === 'for') return t('page.flows.wait.for', { duration: duration(wait.ms) });
    const at = formatLocalTime(wait.at);
    const text = wait.afterMs > 0 ? t('page.flows.wait.after_until', { duration: duration(wait.afterMs), at }) : t('page.flows.wait.until', { at });
    if (!wait.weekdays) return text;
    const days = wait.weekdays.map((day) => weekday.format(SUNDAY + WEEKDAY_INDEX[day] * 86_400_000));
    return `${text} ${t('page.flows.wait.weekdays', { days: or.format(days) })}`;
  }

  function stepInWords(step: Step, following: Step | undefined): StepInWords {
    const details: string[] = [];
    let text: string | null = null;
    const branches: StepInWords['branches'] = [];
    switch (step.kind) {
      case 'wait':
        details.push(waitText(step.wait));
        break;
      case 'send':
        if (step.image) details.push(t('page.flows.image', { file: step.image.file }));
        if (step.cold) details.push(coldText(step.cold));
        text = step.image?.caption ?? step.text;
        break;
      case 'ask': {
        details.push(step.poll ? t('page.flows.ask_poll', { kind: t(`page.flows.ask.${step.ask}`) }) : t(`page.flows.ask.${step.ask}`));
        if (step.cold) details.push(coldText(step.cold));
        if (step.options.length > 0) details.push(t('page.flows.options', { options: and.format(step.options.map((option) => option.label)) }));
        if (step.reminder) details.push(t('page.flows.reminder', { duration: duration(step.reminder.afterMs), text: preview(step.reminder.text) ?? '' }));
        details.push(t('page.flows.timeout', { duration: duration(step.timeoutMs) }));
        text = step.question;
        for (const [outcome, to] of Object.entries(step.branches)) branches.push({ outcome: phrases.outcome(outcome, step), target: target(to) });
        break;
      }
      case 'alert_owner':
        text = step.text;
        break;
      case 'tag':
      case 'untag':
        details.push(and.format(step.tags));
        break;
      case 'goto':
        details.push(t('page.flows.goto', { target: target(step.target) }));
        break;
      case 'end':
        break;
    }
    // Where it goes when that is not simply the next step in the file.
    const jumps = step.kind !== 'goto' && step.kind !== 'end' && step.next !== (following?.id ?? 'end');
    if (jumps) details.push(t('page.flows.next', { target: target(step.next) }));
    return { id: step.id, kind: step.kind, kindName: t(`page.flows.kind.${step.kind}`), details, preview: preview(text), branches };
  }

  return {
    id: flow.id,
    name: flow.name,
    version: flow.version,
    file: flow.file,
    trigger: triggerText(),
    filter: [...filterText(flow.filter), ...(flow.cold ? [coldText(flow.cold)] : [])],
    steps: flow.steps.map((step, index) => stepInWords(step, flow.steps[index + 1])),
  };
}

/** A message flattened to one line and cut to a preview. */
function preview(text: string | null): string | null {
  if (text === null) return null;
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}
