import type { FastifyInstance } from 'fastify';
import type { TimelineEntry } from '../../simulation/dry-run.js';
import { startOfLocalDay } from '../../domain/local-time.js';
import { formatLocalTime } from '../../flows/durations.js';
import type { Filter, Flow, Step, Trigger, Wait, Weekday } from '../../flows/flow-types.js';
import { loadFlows, type FlowError } from '../../flows/load-flows.js';
import { type MessageKey, translator } from '../../i18n/index.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';

/** What a step shows: its kind in words, what it waits for or says, where its answers lead. */
export interface StepView {
  id: string;
  kind: Step['kind'];
  kindName: string;
  /** Plain sentences: "Espera 1 hora", "Nota de 0 a 10 (NPS), como enquete". */
  details: string[];
  /** The message as written in the file (Liquid names included), cut to a preview. */
  preview: string | null;
  branches: { outcome: string; target: string }[];
}

/** A flow as the pages show it. */
export interface FlowView {
  id: string;
  name: string;
  version: number;
  file: string;
  trigger: string;
  filter: string[];
  steps: StepView[];
  /** How the file on disk stands against what the service loaded at start; null when it is the same. */
  disk: string | null;
}

const PREVIEW_CHARS = 240;
const MAX_DAYS = 366;
const MAX_ANSWERS = 20;
const MAX_ANSWER_CHARS = 500;
const MAX_NAME_CHARS = 100;
const DEFAULT_SAMPLE_NAME = 'Maria';
const DEFAULT_DAYS = 30;
const SAMPLE_PHONE = '+5511912345678';
/** A Sunday (UTC), to name weekdays from Intl. */
const SUNDAY = Date.UTC(2026, 0, 4, 12);
const WEEKDAY_INDEX: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const KNOWN_OUTCOMES = new Set(['detractor', 'passive', 'promoter', 'unhappy', 'neutral', 'happy', 'yes', 'no', 'answered', 'no_answer']);

/**
 * GET /flows (Fluxos): every flow the service runs, in plain words, with the
 * problems of the flow files as they are on disk now (read on each request:
 * the service keeps the flows it loaded at start until it is restarted).
 * GET /flows/:id: one flow's steps and the dry run of it for a sample
 * customer (the assembly's dry run: an in-memory copy, nothing real read or written).
 */
export function flowsPage(deps: PageDeps) {
  const { locale, config } = deps;
  const t = translator(locale);
  const and = new Intl.ListFormat(locale, { type: 'conjunction' });
  const or = new Intl.ListFormat(locale, { type: 'disjunction' });
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  const when = new Intl.DateTimeFormat(locale, { weekday: 'short', day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: config.timezone });
  const units = (['week', 'day', 'hour', 'minute', 'second'] as const).map((unit) => ({
    format: new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }),
    ms: { week: 7 * 86_400_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 }[unit],
  }));

  /** 129 600 000 → "1 dia e 12 horas"; weeks only when exact ("10 dias", not "1 semana e 3 dias"). */
  function duration(ms: number): string {
    let rest = Math.max(0, Math.round(ms / 1000) * 1000);
    const parts: string[] = [];
    for (const [index, unit] of units.entries()) {
      if (index === 0 && rest % unit.ms !== 0) continue;
      const amount = Math.floor(rest / unit.ms);
      if (amount > 0) parts.push(unit.format.format(amount));
      rest -= amount * unit.ms;
    }
    return parts.length === 0 ? units[4]!.format.format(0) : and.format(parts);
  }

  function products(patterns: string[] | null): string {
    if (!patterns || patterns.includes('*')) return t('page.flows.any_product');
    return or.format(patterns);
  }

  function triggerText(flow: Flow): string {
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
    }
  }

  function filterText(filter: Filter): string[] {
    const lines: string[] = [];
    if (filter.consent === 'marketing') lines.push(t('page.flows.filter.marketing'));
    if (filter.tagsAll.length > 0) lines.push(t('page.flows.filter.tags_all', { tags: and.format(filter.tagsAll) }));
    if (filter.tagsNone.length > 0) lines.push(t('page.flows.filter.tags_none', { tags: or.format(filter.tagsNone) }));
    if (filter.products) lines.push(t('page.flows.filter.products', { products: products(filter.products) }));
    return lines;
  }

  function waitText(wait: Wait): string {
    if (wait.kind === 'for') return t('page.flows.wait.for', { duration: duration(wait.ms) });
    const at = formatLocalTime(wait.at);
    const text = wait.afterMs > 0 ? t('page.flows.wait.after_until', { duration: duration(wait.afterMs), at }) : t('page.flows.wait.until', { at });
    if (!wait.weekdays) return text;
    const days = wait.weekdays.map((day) => weekday.format(SUNDAY + WEEKDAY_INDEX[day] * 86_400_000));
    return `${text} ${t('page.flows.wait.weekdays', { days: or.format(days) })}`;
  }

  function target(to: string): string {
    return to === 'end' ? t('page.flows.target_end') : to;
  }

  function outcomeName(outcome: string, step: Step & { kind: 'ask' }): string {
    if (KNOWN_OUTCOMES.has(outcome)) return t(`page.flows.outcome.${outcome}` as MessageKey);
    return step.options.find((option) => option.key === outcome)?.label ?? outcome;
  }

  function preview(text: string | null): string | null {
    if (text === null) return null;
    const flat = text.replace(/\s*\n\s*/g, ' ').trim();
    return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
  }

  function stepView(step: Step, following: Step | undefined): StepView {
    const details: string[] = [];
    let text: string | null = null;
    const branches: StepView['branches'] = [];
    switch (step.kind) {
      case 'wait':
        details.push(waitText(step.wait));
        break;
      case 'send':
        if (step.image) details.push(t('page.flows.image', { file: step.image.file }));
        text = step.image?.caption ?? step.text;
        break;
      case 'ask': {
        details.push(step.poll ? t('page.flows.ask_poll', { kind: t(`page.flows.ask.${step.ask}`) }) : t(`page.flows.ask.${step.ask}`));
        if (step.options.length > 0) details.push(t('page.flows.options', { options: and.format(step.options.map((option) => option.label)) }));
        if (step.reminder) details.push(t('page.flows.reminder', { duration: duration(step.reminder.afterMs), text: preview(step.reminder.text) ?? '' }));
        details.push(t('page.flows.timeout', { duration: duration(step.timeoutMs) }));
        text = step.question;
        for (const [outcome, to] of Object.entries(step.branches)) branches.push({ outcome: outcomeName(outcome, step), target: target(to) });
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

  /** The flows folder as it is now, against what the service loaded at start. */
  function readDisk(loaded: Flow[]) {
    const { flows: onDisk, errors } = loadFlows(config.flowsDir, { locale });
    const byId = new Map(onDisk.map((flow) => [flow.id, flow]));
    const brokenFiles = new Set(errors.map((error) => error.file));
    const diskState = (flow: Flow): string | null => {
      const now = byId.get(flow.id);
      if (now) {
        if (now.hash === flow.hash) return null;
        const changed = t('page.flows.disk.changed', { file: now.file, from: flow.version, to: now.version });
        return now.version === flow.version ? `${changed} ${t('page.flows.disk.same_version', { version: flow.version })}` : changed;
      }
      if (brokenFiles.has(flow.file)) return t('page.flows.disk.broken', { file: flow.file });
      return t('page.flows.disk.gone', { file: flow.file });
    };
    const loadedIds = new Set(loaded.map((flow) => flow.id));
    const added = onDisk.filter((flow) => !loadedIds.has(flow.id)).map((flow) => t('page.flows.disk.new', { name: flow.name, id: flow.id, file: flow.file }));
    return { diskState, errors: errors.map(errorView), added };
  }

  function errorView(error: FlowError) {
    return {
      place: error.line > 0 ? t('page.flows.error_place', { file: error.file, line: error.line, column: error.column }) : error.file,
      path: error.path,
      message: error.message,
    };
  }

  function flowView(flow: Flow, disk: (flow: Flow) => string | null): FlowView {
    return {
      id: flow.id,
      name: flow.name,
      version: flow.version,
      file: flow.file,
      trigger: triggerText(flow),
      filter: filterText(flow.filter),
      steps: flow.steps.map((step, index) => stepView(step, flow.steps[index + 1])),
      disk: disk(flow),
    };
  }

  /** A first answer that reads well for the flow's first question: a promoter's 9, a "Sim", the first option. */
  function defaultAnswers(flow: Flow): string {
    const ask = flow.steps.find((step): step is Step & { kind: 'ask' } => step.kind === 'ask');
    if (!ask) return '';
    switch (ask.ask) {
      case 'nps':
        return '9';
      case 'csat':
        return '5';
      case 'yes_no':
        return t('flow.poll.yes');
      case 'choice':
        return ask.options[0]?.label ?? '';
      case 'text':
      case 'referral':
      case 'birthday':
        return '';
    }
  }

  type Sample = { name: string; answers: string; days: string };
  type Parsed = { ok: true; name: string; answers: string[]; days: number } | { ok: false; problems: string[] };

  function parseSample(sample: Sample): Parsed {
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
    return problems.length > 0 ? { ok: false, problems } : { ok: true, name, answers, days };
  }

  function entryView(entry: TimelineEntry, start: number, name: string) {
    const day = Math.round((startOfLocalDay(entry.at, config.timezone) - startOfLocalDay(start, config.timezone)) / 86_400_000) + 1;
    const who =
      entry.who === 'customer'
        ? t('page.flows.who.customer', { name })
        : entry.who === 'owner'
          ? t('page.flows.who.owner')
          : entry.who === 'answer'
            ? t('page.flows.who.answer', { name })
            : t('page.flows.who.branch');
    const text =
      entry.who === 'branch'
        ? t('page.flows.branch', {
            outcome: KNOWN_OUTCOMES.has(entry.text) ? t(`page.flows.outcome.${entry.text}` as MessageKey) : entry.text,
            next: target(entry.next ?? 'end'),
          })
        : entry.text;
    return {
      who: entry.who,
      whoText: who,
      day: t('page.flows.day', { day }),
      at: when.format(entry.at),
      text,
      moved: entry.dueAt === null ? null : t('page.flows.moved', { due: when.format(entry.dueAt) }),
    };
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    guardPages(app, deps);

    app.get('/flows', async (_request, reply) => {
      const loaded = deps.services?.runner.flows ?? [];
      const disk = readDisk(loaded);
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'flows', {
        title: t('page.title.flows'),
        nav: '/flows',
        flows: loaded.map((flow) => flowView(flow, disk.diskState)),
        errors: disk.errors,
        added: disk.added,
        dir: config.flowsDir,
        running: deps.services !== undefined,
      });
    });

    app.get<{ Params: { id: string }; Querystring: Partial<Record<keyof Sample, unknown>> }>('/flows/:id', async (request, reply) => {
      const flow = deps.services?.runner.flow(request.params.id);
      if (!flow) {
        return renderPage(reply.status(404), deps, 'flow', {
          title: t('page.title.flow_not_found'),
          nav: '/flows',
          notFound: t('page.flows.not_found', { id: request.params.id }),
        });
      }
      const query = request.query;
      const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
      const sample: Sample = {
        name: text(query.name, DEFAULT_SAMPLE_NAME),
        answers: text(query.answers, defaultAnswers(flow)),
        days: text(query.days, String(DEFAULT_DAYS)),
      };
      const disk = readDisk([flow]);
      const page = { title: flow.name, nav: '/flows', notFound: null, flow: flowView(flow, disk.diskState), sample, maxDays: MAX_DAYS };
      const parsed = parseSample(sample);
      if (!parsed.ok) return renderPage(reply.status(400), deps, 'flow', { ...page, problems: parsed.problems, timeline: null });

      const start = deps.route.clock.now();
      const result = await deps.dryRun(flow, { phone: SAMPLE_PHONE, name: parsed.name, answers: parsed.answers, days: parsed.days, start });
      const end =
        result.endReason === null
          ? t('page.flows.end.running', { days: duration(parsed.days * 86_400_000) })
          : result.endReason === 'completed'
            ? t('page.flows.end.completed')
            : t('page.flows.end.other', { reason: result.endReason });
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'flow', {
        ...page,
        problems: [],
        timeline: { start: when.format(start), entries: result.entries.map((entry) => entryView(entry, start, parsed.name)), end },
      });
    });
  };
}
