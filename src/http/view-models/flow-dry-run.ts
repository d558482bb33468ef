import { startOfLocalDay } from '../../domain/local-time.js';
import type { Flow, Step } from '../../flows/flow-types.js';
import { type Locale, translator } from '../../i18n/index.js';
import type { Timeline, TimelineEntry } from '../../simulation/dry-run.js';
import { flowPhrases } from './flow-in-words.js';
import type { ViewLocale } from './view-locale.js';

export const MAX_DAYS = 366;
const MAX_ANSWERS = 20;
const MAX_ANSWER_CHARS = 500;
const MAX_NAME_CHARS = 100;
const DEFAULT_SAMPLE_NAME = 'Maria';
const DEFAULT_DAYS = 30;

/**
 * The flow page's form, as typed: the sample customer's name, their answers (comma-separated), the days
 * to run, and whether they already wrote to the shop (a checkbox: "1" when ticked, "" otherwise).
 */
export interface Sample {
  name: string;
  answers: string;
  days: string;
  warm: string;
}

export type ParsedSample = { ok: true; name: string; answers: string[]; days: number; warm: boolean } | { ok: false; problems: string[] };

/** The form from the address, each field not given filled with what reads well for this flow. */
export function readSample(query: Partial<Record<keyof Sample, unknown>>, flow: Flow, locale: Locale): Sample {
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  return {
    name: text(query.name, DEFAULT_SAMPLE_NAME),
    answers: text(query.answers, defaultAnswers(flow, locale)),
    days: text(query.days, String(DEFAULT_DAYS)),
    // An unticked checkbox is not sent at all: cold, the customer who just bought, unless ticked.
    warm: text(query.warm, '') === '' ? '' : '1',
  };
}

/** The sample checked, or every problem with it in words. */
export function parseSample(sample: Sample, locale: Locale): ParsedSample {
  const t = translator(locale);
  const problems: string[] = [];
  const name = sample.name.trim();
  if (name.length === 0 || name.length > MAX_NAME_CHARS) problems.push(t('page.flows.bad_name', { max: MAX_NAME_CHARS }));
  const answers = sample.answers
    .split(',')
    .map((answer) => answer.trim())
    .filter((answer) => answer !== '');
  if (answers.length > MAX_ANSWERS || answers.some((answer) => answer.length > MAX_ANSWER_CHARS)) {
    problems.push(t('page.flows.bad_answers', { count: MAX_ANSWERS, max: MAX_ANSWER_CHARS }));
  }
  const days = Number(sample.days.trim());
  if (!/^\d{1,3}$/.test(sample.days.trim()) || days < 1 || days > MAX_DAYS) problems.push(t('page.flows.bad_days', { value: sample.days, max: MAX_DAYS }));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, name, answers, days, warm: sample.warm !== '' };
}

/** One line of the dry run as the flow page shows it: who, which day of the run, when, and what. */
export interface DryRunLine {
  who: TimelineEntry['who'];
  whoText: string;
  day: string;
  at: string;
  /** The message; for a poll, its question (WhatsApp shows the question, then the options). */
  text: string;
  /** A poll's options in words, shown after its question; null for any other message. */
  options: string | null;
  /** When it was due, if the send governor moved it (quiet hours, days off, the daily cap). */
  moved: string | null;
  /** Why a message was not sent (the customer never wrote to the shop and the flow skips them, or SHOP_REVIEW_URL is empty); null when it was. */
  skipped: string | null;
}

/** The dry run of a flow for the sample customer `name`, started at `start` and run for `days`, in the shop's zone. */
export function buildDryRunTimeline(result: Timeline, run: { start: number; name: string; days: number }, view: Pick<ViewLocale, 'locale' | 'timeZone'>) {
  const t = translator(view.locale);
  const phrases = flowPhrases(view.locale);
  const when = new Intl.DateTimeFormat(view.locale, { weekday: 'short', day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: view.timeZone });
  const firstDay = startOfLocalDay(run.start, view.timeZone);

  function line(entry: TimelineEntry): DryRunLine {
    const day = Math.round((startOfLocalDay(entry.at, view.timeZone) - firstDay) / 86_400_000) + 1;
    const who =
      entry.who === 'customer'
        ? t('page.flows.who.customer', { name: run.name })
        : entry.who === 'owner'
          ? t('page.flows.who.owner')
          : entry.who === 'skipped'
            ? t('page.flows.who.skipped', { name: run.name })
            : entry.who === 'answer'
              ? t('page.flows.who.answer', { name: run.name })
              : t('page.flows.who.branch');
    const text =
      entry.who === 'branch' ? t('page.flows.branch', { outcome: phrases.outcome(entry.text), next: phrases.target(entry.next ?? 'end') }) : (entry.poll?.question ?? entry.text);
    return {
      who: entry.who,
      whoText: who,
      day: t('page.flows.day', { day }),
      at: when.format(entry.at),
      text,
      options: entry.poll ? t('page.flows.poll_options', { options: entry.poll.options.join(' · ') }) : null,
      moved: entry.dueAt === null ? null : t('page.flows.moved', { due: when.format(entry.dueAt) }),
      skipped: entry.who === 'skipped' ? t(entry.skipReason === 'no_review_url' ? 'page.flows.skipped_no_review_url' : 'page.flows.skipped_cold', { name: run.name }) : null,
    };
  }

  const end =
    result.endReason === null
      ? t('page.flows.end.running', { days: phrases.duration(run.days * 86_400_000) })
      : result.endReason === 'completed'
        ? t('page.flows.end.completed')
        : t('page.flows.end.other', { reason: result.endReason });
  return { start: when.format(run.start), entries: result.entries.map(line), end };
}

/** A first answer that reads well for the flow's first question: a promoter's 9, a "Sim", the first option. */
function defaultAnswers(flow: Flow, locale: Locale): string {
  const ask = flow.steps.find((step): step is Step & { kind: 'ask' } => step.kind === 'ask');
  if (!ask) return '';
  switch (ask.ask) {
    case 'nps':
      return '9';
    case 'csat':
      return '5';
    case 'yes_no':
      return translator(locale)('flow.poll.yes');
    case 'choice':
      return ask.options[0]?.label ?? '';
    case 'text':
    case 'referral':
    case 'birthday':
      return '';
  }
}
