/**
 * The YAML form of a flow (docs/flows.md) and its transform into the Flow of
 * flow-types.ts. Two passes, so that one file gives every error at once: the
 * zod schema checks each value where it stands (types, durations, templates,
 * unknown keys); checkReferences reads the raw flow for what needs more than
 * one value (step ids, targets, outcomes, options, loops). Each issue has a
 * path that the loader maps back to a line of the file.
 */
import path from 'node:path';
import { z } from 'zod';
import { normalizeTag } from '../domain/customer.js';
import { slugOf } from '../domain/text.js';
import { translator, type Locale, type MessageKey, type Translate } from '../i18n/index.js';
import { describeIssue } from '../intake/zod-messages.js';
import { BUILTIN_SEGMENTS, isBuiltinSegment, nearBuiltinSegment, SEGMENT_SLUG } from '../segments/rfm.js';
import { formatDuration, parseDuration, parseLocalTime, parseWeekday, WEEKDAYS } from './durations.js';
import type { AskKind, ColdChoice, ColdFallback, Filter, Flow, Step, StepBody, Trigger, Wait, Weekday } from './flow-types.js';
import { describeTemplateProblem, findTemplateProblem } from './render-template.js';

/** A flow as parsed, before the loader adds where it came from. */
export type ParsedFlow = Omit<Flow, 'file' | 'hash'>;

export interface FlowIssue {
  path: (string | number)[];
  message: string;
  /** Whether the problem is the key itself (an unknown key) or its value. */
  at: 'key' | 'value';
}

/** What the loader knows about an image path relative to the flows folder. */
export type ImageProblem = 'missing' | 'outside';

export interface FlowSchemaOptions {
  locale: Locale;
  checkImage: (file: string) => ImageProblem | null;
}

export type FlowParseResult = { ok: true; flow: ParsedFlow } | { ok: false; issues: FlowIssue[] };

export const STEP_KINDS = ['wait', 'send', 'ask', 'alert_owner', 'tag', 'untag', 'goto', 'end'] as const;
export const ASK_KINDS = ['nps', 'csat', 'yes_no', 'choice', 'text', 'referral', 'birthday'] as const satisfies readonly AskKind[];
/** The kinds WhatsApp can show as a poll. */
export const POLL_KINDS: readonly AskKind[] = ['nps', 'csat', 'yes_no', 'choice'];

const FIXED_OUTCOMES: Record<Exclude<AskKind, 'choice'>, string[]> = {
  nps: ['detractor', 'passive', 'promoter'],
  csat: ['unhappy', 'neutral', 'happy'],
  yes_no: ['yes', 'no'],
  text: ['answered'],
  referral: ['answered'],
  birthday: ['answered'],
};

/** The outcomes a branch may name for a question; choice's are its option keys. */
export function outcomesFor(kind: AskKind, optionKeys: string[] = []): string[] {
  return [...(kind === 'choice' ? optionKeys : FIXED_OUTCOMES[kind]), 'no_answer'];
}

/** An option's key from its label: "Não sei, talvez!" → "nao-sei-talvez". */
export function optionKey(label: string): string {
  return slugOf(label);
}

/** What a flow gets for what it does not say (docs/flows.md). */
export const FLOW_DEFAULTS = {
  birthdayAt: 9 * 60,
  inactivityAt: 10 * 60,
  repurchaseAt: 10 * 60,
  daysBefore: 0,
  timeoutMs: 3 * 86_400_000,
  maxLatenessMs: 3 * 86_400_000,
  /** A birthday message is never sent a day late. */
  birthdayMaxLatenessMs: 12 * 3_600_000,
} as const;

const ID = /^[a-z0-9][a-z0-9-]{0,59}$/;
/** A step id, or end. */
const TARGET = /^(end|[a-z0-9][a-z0-9-]{0,59})$/;
/** The steps a `cold:` choice applies to: the ones that message the customer. */
const MESSAGE_KINDS = ['send', 'ask'] as const;
/** What `then:` of a wait for contact takes besides a step id ('end' is a target like any other). */
const COLD_FALLBACKS = ['send', 'skip'] as const;
const MAX_DURATION_MS = 366 * 86_400_000;
const MAX_TEMPLATE = 4096;
const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png'];
/** Characters of regular expressions, globs with classes, or lists written in one string. */
const SKU_FORBIDDEN = /[\p{Cc},;[\]{}()|\\^$]/u;

/** Parses the plain JS form of one YAML file (document.toJS()). Never throws on bad input. */
export function parseFlow(raw: unknown, options: FlowSchemaOptions): FlowParseResult {
  const words = wordsFor(options.locale);
  const result = createFlowSchema(options).safeParse(raw, { error: (issue) => describeZodIssue(issue, options.locale) });
  const references = checkReferences(raw, words);
  if (result.success && references.length === 0) return { ok: true, flow: result.data };
  const issues: FlowIssue[] = result.success
    ? []
    : result.error.issues.map((issue) => ({
        path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
        message: issue.message,
        at: issue.code === 'custom' && (issue.params as { at?: string } | undefined)?.at === 'key' ? 'key' : 'value',
      }));
  return { ok: false, issues: [...issues, ...references] };
}

interface Words {
  t: Translate;
  /** "a, b ou c" in the locale. */
  or: (items: readonly string[]) => string;
}

function wordsFor(locale: Locale): Words {
  const disjunction = new Intl.ListFormat(locale, { type: 'disjunction' });
  return { t: translator(locale), or: (items) => disjunction.format(items) };
}

/** The zod schema of one flow file, with its messages in the locale. */
export function createFlowSchema(options: FlowSchemaOptions) {
  const { t } = wordsFor(options.locale);

  const fail = (ctx: z.RefinementCtx, key: MessageKey, params?: Record<string, string | number>): never => {
    ctx.addIssue({ code: 'custom', message: t(key, params) });
    return z.NEVER;
  };

  /** An object whose unknown keys are each an error naming the allowed ones. */
  const strictObject = <Shape extends z.ZodRawShape>(shape: Shape) => {
    const allowed = Object.keys(shape);
    return z.looseObject(shape).superRefine(
      (value: unknown, ctx) => {
        if (!isRecord(value)) return;
        for (const key of Object.keys(value)) {
          if (allowed.includes(key)) continue;
          ctx.addIssue({ code: 'custom', path: [key], params: { at: 'key' }, message: t('flow.unknown_key', { key, allowed: allowed.join(', ') }) });
        }
      },
      { when: () => true },
    );
  };

  const id = z.string().regex(ID, { error: (issue) => t('flow.id.format', { value: show(issue.input) }) });
  const stepId = id.refine((value) => value !== 'end', { error: () => t('flow.id.reserved') });
  const target = z.string().regex(TARGET, { error: (issue) => t('flow.id.format', { value: show(issue.input) }) });
  const text = (max: number) => z.string().trim().min(1).max(max);

  const duration = z.unknown().transform((value, ctx): number => {
    if (value === undefined) return fail(ctx, 'flow.required');
    if (typeof value === 'number') return fail(ctx, 'flow.duration.no_unit', { value });
    if (typeof value !== 'string') return fail(ctx, 'flow.duration.invalid', { value: show(value) });
    const parsed = parseDuration(value);
    if (!parsed.ok) return fail(ctx, parsed.problem === 'no_unit' ? 'flow.duration.no_unit' : 'flow.duration.invalid', { value });
    if (parsed.value === 0) return fail(ctx, 'flow.duration.zero');
    if (parsed.value > MAX_DURATION_MS) return fail(ctx, 'flow.duration.too_long', { max: formatDuration(MAX_DURATION_MS) });
    return parsed.value;
  });

  const localTime = z.unknown().transform((value, ctx): number => {
    if (value === undefined) return fail(ctx, 'flow.required');
    const parsed = typeof value === 'string' ? parseLocalTime(value) : null;
    return parsed?.ok ? parsed.value : fail(ctx, 'flow.time.invalid', { value: show(value) });
  });

  const weekdays = z
    .array(
      z.unknown().transform((value, ctx): Weekday => {
        const parsed = typeof value === 'string' ? parseWeekday(value) : null;
        return parsed?.ok ? parsed.value : fail(ctx, 'flow.weekday.unknown', { value: show(value) });
      }),
    )
    .min(1)
    .transform((days) => WEEKDAYS.filter((day) => days.includes(day)));

  /** Runs a schema chosen by the shape of the value, keeping its issues (and their paths) as this value's. */
  const parseWith = <T>(schema: z.ZodType<T, unknown>, value: unknown, ctx: z.RefinementCtx, prefix: (string | number)[] = []): T => {
    const parsed = schema.safeParse(value, { error: (issue) => describeZodIssue(issue, options.locale) });
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: [...prefix, ...issue.path] });
    return z.NEVER;
  };

  /** A string or a list of strings, each checked by `item`. */
  const oneOrMany = <T>(item: z.ZodType<T, unknown>) =>
    z.unknown().transform((value, ctx): T[] => {
      if (value === undefined) return fail(ctx, 'flow.required');
      if (typeof value === 'string') return [parseWith(item, value, ctx)];
      if (!Array.isArray(value)) return fail(ctx, 'flow.expected.text_or_list');
      if (value.length === 0) return fail(ctx, 'flow.list.too_short', { min: 1 });
      return value.map((element, index) => parseWith(item, element, ctx, [index]));
    });

  const tag = z.unknown().transform((value, ctx): string => {
    const normalized = typeof value === 'string' ? normalizeTag(value) : undefined;
    return normalized ?? fail(ctx, 'flow.tag.invalid', { value: show(value) });
  });
  /** A tag that must be there (the tagged trigger's): missing is "required", not "invalid: undefined". */
  const requiredTag = z.unknown().transform((value, ctx): string => (value === undefined ? fail(ctx, 'flow.required') : parseWith(tag, value, ctx)));
  const skuPattern = z.unknown().transform((value, ctx): string => {
    if (typeof value !== 'string') return fail(ctx, 'flow.sku.invalid', { value: show(value) });
    const pattern = value.trim();
    if (pattern === '' || pattern.length > 100 || SKU_FORBIDDEN.test(pattern)) return fail(ctx, 'flow.sku.invalid', { value });
    return pattern;
  });

  const template = text(MAX_TEMPLATE).superRefine((value, ctx) => {
    const problem = findTemplateProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: describeTemplateProblem(problem, options.locale) });
  });

  const image = z.string().transform((value, ctx): string => {
    const file = path.posix.normalize(value.trim());
    if (!IMAGE_EXTENSIONS.includes(path.posix.extname(file).toLowerCase())) return fail(ctx, 'flow.image.extension', { file: value });
    if (path.posix.isAbsolute(file) || path.win32.isAbsolute(file) || file.includes('\\') || file === '..' || file.startsWith('../')) {
      return fail(ctx, 'flow.image.outside', { file: value });
    }
    const problem = options.checkImage(file);
    return problem === null ? file : fail(ctx, problem === 'missing' ? 'flow.image.missing' : 'flow.image.outside', { file: value });
  });

  const trigger = z.preprocess(
    // "trigger: manual" is "trigger: { type: manual }".
    (value) => (typeof value === 'string' ? { type: value } : value),
    z.discriminatedUnion('type', [
      strictObject({ type: z.literal('purchase'), products: oneOrMany(skuPattern).optional() }).transform(
        (value): Trigger => ({ type: 'purchase', products: value.products ?? null }),
      ),
      strictObject({
        type: z.literal('birthday'),
        days_before: z.number().int().min(0).max(30).optional(),
        at: localTime.optional(),
      }).transform((value): Trigger => ({ type: 'birthday', daysBefore: value.days_before ?? FLOW_DEFAULTS.daysBefore, at: value.at ?? FLOW_DEFAULTS.birthdayAt })),
      strictObject({ type: z.literal('inactivity'), days: z.number().int().min(7).max(1000), at: localTime.optional() }).transform(
        (value): Trigger => ({ type: 'inactivity', days: value.days, at: value.at ?? FLOW_DEFAULTS.inactivityAt }),
      ),
      strictObject({
        type: z.literal('repurchase'),
        days: z.number().int().min(1).max(365),
        products: oneOrMany(skuPattern),
        at: localTime.optional(),
      }).transform((value): Trigger => ({ type: 'repurchase', days: value.days, products: value.products, at: value.at ?? FLOW_DEFAULTS.repurchaseAt })),
      strictObject({ type: z.literal('manual') }).transform((): Trigger => ({ type: 'manual' })),
      // "trigger: { type: tagged, tag: promotor }": when the tag is added to the customer.
      strictObject({ type: z.literal('tagged'), tag: requiredTag }).transform((value): Trigger => ({ type: 'tagged', tag: value.tag })),
      strictObject({ type: z.literal('first_message') }).transform((): Trigger => ({ type: 'first_message' })),
      // Issue 21: "trigger: { type: purchase_count, every: 5 }" or "{ type: purchase_count, nth: 3 }".
      strictObject({
        type: z.literal('purchase_count'),
        every: z.number().int().min(1).max(1000).optional(),
        nth: z.number().int().min(1).max(1000).optional(),
      }).transform((value, ctx): Trigger => {
        if ((value.every === undefined) === (value.nth === undefined)) return fail(ctx, 'rewards.flow.every_or_nth');
        return { type: 'purchase_count', every: value.every ?? null, nth: value.nth ?? null };
      }),
    ]),
  );

  // A built-in segment's id, or what can be a saved one's (a slug, checked at enrolment: the loader has
  // no database); one a typo away from a built-in id is refused here.
  const segmentId = z.unknown().transform((value, ctx): string => {
    if (typeof value === 'string' && (isBuiltinSegment(value) || (SEGMENT_SLUG.test(value) && !nearBuiltinSegment(value)))) return value;
    return fail(ctx, 'segments.flow.unknown', { value: show(value), allowed: BUILTIN_SEGMENTS.join(', ') });
  });
  const filter = strictObject({
    tags: oneOrMany(tag).optional(),
    not_tags: oneOrMany(tag).optional(),
    products: oneOrMany(skuPattern).optional(),
    consent: z.enum(['marketing']).optional(),
    contact: z.enum(['warm', 'cold']).optional(),
    segment: segmentId.optional(),
  }).transform(
    (value): Filter => ({
      tagsAll: value.tags ?? [],
      tagsNone: value.not_tags ?? [],
      products: value.products ?? null,
      consent: value.consent ?? null,
      ...(value.contact === undefined ? {} : { contact: value.contact }),
      ...(value.segment === undefined ? {} : { segment: value.segment }),
    }),
  );

  // cold: send | skip | { wait_for_contact: 1h, then: send | skip | end | <step id> }
  const coldFallback = z.unknown().transform((value, ctx): ColdFallback => {
    if (value === 'send' || value === 'skip') return value;
    if (typeof value === 'string' && TARGET.test(value)) return { goto: value };
    return fail(ctx, 'flow.cold.then', { value: show(value) });
  });
  const coldWait = strictObject({ wait_for_contact: duration, then: coldFallback.optional() }).transform(
    (value): ColdChoice => ({ kind: 'wait_for_contact', ms: value.wait_for_contact, then: value.then ?? 'send' }),
  );
  const cold = z.unknown().transform((value, ctx): ColdChoice => {
    if (value === 'send' || value === 'skip') return { kind: value };
    if (isRecord(value)) return parseWith(coldWait, value, ctx);
    return fail(ctx, 'flow.cold.invalid', { value: show(value) });
  });

  const waitObject = strictObject({ for: duration.optional(), until: localTime.optional(), weekdays: weekdays.optional() }).transform(
    (value, ctx): Wait => {
      if (value.until !== undefined) return { kind: 'until', afterMs: value.for ?? 0, at: value.until, weekdays: value.weekdays ?? null };
      if (value.weekdays !== undefined) return fail(ctx, 'flow.wait.weekdays_without_until');
      if (value.for !== undefined) return { kind: 'for', ms: value.for };
      return fail(ctx, 'flow.wait.empty');
    },
  );
  const wait = z.unknown().transform((value, ctx): Wait => {
    if (typeof value === 'string' || typeof value === 'number') return { kind: 'for', ms: parseWith(duration, value, ctx) };
    return isRecord(value) ? parseWith(waitObject, value, ctx) : fail(ctx, 'flow.expected.duration_or_object');
  });

  const sendObject = strictObject({ text: template.optional(), image: image.optional() }).transform((value, ctx): StepBody => {
    if (value.image !== undefined) return { kind: 'send', text: null, image: { file: value.image, caption: value.text ?? null } };
    if (value.text !== undefined) return { kind: 'send', text: value.text, image: null };
    return fail(ctx, 'flow.send.empty');
  });
  const send = z.unknown().transform((value, ctx): StepBody => {
    if (typeof value === 'string') return { kind: 'send', text: parseWith(template, value, ctx), image: null };
    return isRecord(value) ? parseWith(sendObject, value, ctx) : fail(ctx, 'flow.expected.text_or_object');
  });

  const labelledOption = strictObject({ key: id, label: text(100) });
  const option = z.unknown().transform((value, ctx): { key: string; label: string } => {
    if (typeof value === 'string') {
      const label = value.trim();
      if (label === '') return fail(ctx, 'flow.text.empty');
      if (label.length > 100) return fail(ctx, 'flow.text.too_long', { max: 100 });
      const key = optionKey(label);
      return key === '' ? fail(ctx, 'flow.ask.option_no_key', { label }) : { key, label };
    }
    if (!isRecord(value)) return fail(ctx, 'flow.expected.text_or_object');
    const { key, label } = parseWith(labelledOption, value, ctx);
    return { key, label };
  });

  const ask = strictObject({
    kind: z.enum(ASK_KINDS),
    question: template,
    poll: z.boolean().optional(),
    options: z.array(option).optional(),
    reminder: strictObject({ after: duration, text: template }).optional(),
    timeout: duration.optional(),
    branches: z.record(z.string(), target).optional(),
  }).transform(
    (value): StepBody => ({
      kind: 'ask',
      ask: value.kind,
      question: value.question,
      poll: value.poll ?? false,
      options: value.options ?? [],
      reminder: value.reminder ? { afterMs: value.reminder.after, text: value.reminder.text } : null,
      timeoutMs: value.timeout ?? FLOW_DEFAULTS.timeoutMs,
      branches: value.branches ?? {},
    }),
  );

  const step = strictObject({
    id: stepId,
    next: target.optional(),
    max_lateness: duration.optional(),
    wait: wait.optional(),
    send: send.optional(),
    ask: ask.optional(),
    alert_owner: template.optional(),
    tag: oneOrMany(tag).optional(),
    untag: oneOrMany(tag).optional(),
    goto: target.optional(),
    end: z.literal(true, { error: () => t('flow.end.true') }).optional(),
    // checkReferences reports it on a step that sends nothing to the customer.
    cold: cold.optional(),
  }).transform((value) => {
    // checkReferences reports a step with no kind or several; this only runs when there is exactly one.
    const own = value.cold === undefined ? {} : { cold: value.cold };
    let body: StepBody = { kind: 'end' };
    if (value.wait !== undefined) body = { kind: 'wait', wait: value.wait };
    else if (value.send !== undefined) body = { ...value.send, ...own };
    else if (value.ask !== undefined) body = { ...value.ask, ...own };
    else if (value.alert_owner !== undefined) body = { kind: 'alert_owner', text: value.alert_owner };
    else if (value.tag !== undefined) body = { kind: 'tag', tags: value.tag };
    else if (value.untag !== undefined) body = { kind: 'untag', tags: value.untag };
    else if (value.goto !== undefined) body = { kind: 'goto', target: value.goto };
    return { id: value.id, next: value.next, maxLatenessMs: value.max_lateness, body };
  });

  return strictObject({
    id,
    version: z.number().int().min(1).max(1_000_000),
    name: text(80),
    // `enabled: false` turns the flow off (the Fluxos page's switch): it starts no runs; running runs go on.
    enabled: z.boolean().optional(),
    trigger,
    filter: filter.optional(),
    cold: cold.optional(),
    steps: z.array(step).min(1, { error: () => t('flow.steps.empty') }),
  }).transform((value): ParsedFlow => {
    const maxLatenessMs = value.trigger.type === 'birthday' ? FLOW_DEFAULTS.birthdayMaxLatenessMs : FLOW_DEFAULTS.maxLatenessMs;
    const steps = value.steps.map(
      (item, index): Step => ({
        id: item.id,
        ...item.body,
        next: item.next ?? value.steps[index + 1]?.id ?? 'end',
        maxLatenessMs: item.maxLatenessMs ?? maxLatenessMs,
        line: 0,
      }),
    );
    return {
      id: value.id,
      version: value.version,
      name: value.name,
      trigger: value.trigger,
      filter: withImpliedConsent(value.trigger, value.filter ?? { tagsAll: [], tagsNone: [], products: null, consent: null }),
      // Only when written: a flow without it keeps the hash it had before `cold` existed.
      ...(value.cold === undefined ? {} : { cold: value.cold }),
      // Only when off: a flow that is on keeps the hash it had before the switch existed.
      ...(value.enabled === false ? { enabled: false as const } : {}),
      steps,
    };
  });
}

/**
 * zod's own issues (types, ranges, enums) in the seller's language: the flow's own sentences first,
 * then the catalogue's words for any other issue (never zod's code, such as invalid_format).
 */
export function describeZodIssue(issue: z.core.$ZodRawIssue, locale: Locale): string {
  const { t, or } = wordsFor(locale);
  const input = issue.input;
  if (issue.code === 'invalid_type') {
    if (input === undefined) return t('flow.required');
    const expected = issue.expected;
    if (expected === 'string') {
      return typeof input === 'number' || typeof input === 'boolean' ? t('flow.expected.text_quoted', { value: String(input) }) : t('flow.expected.text');
    }
    if (expected === 'number' || expected === 'int') return t('flow.expected.integer');
    if (expected === 'boolean') return t('flow.expected.boolean');
    if (expected === 'array') return t('flow.expected.list');
    if (expected === 'object' || expected === 'record') return t('flow.expected.object');
  }
  if (issue.code === 'invalid_value') {
    return input === undefined ? t('flow.required') : t('flow.one_of', { value: show(input), values: or(issue.values.map(show)) });
  }
  // A trigger's type: the only discriminated union.
  if (issue.code === 'invalid_union' && issue.discriminator !== undefined && 'options' in issue && Array.isArray(issue.options)) {
    const value = isRecord(input) ? input[issue.discriminator] : input;
    return value === undefined ? t('flow.required') : t('flow.one_of', { value: show(value), values: or(issue.options.map(show)) });
  }
  if (issue.code === 'too_small') {
    if (issue.origin === 'string') return t('flow.text.empty');
    return t(issue.origin === 'array' ? 'flow.list.too_short' : 'flow.number.too_small', { min: Number(issue.minimum) });
  }
  if (issue.code === 'too_big') {
    const max = Number(issue.maximum);
    return t(issue.origin === 'string' ? 'flow.text.too_long' : issue.origin === 'array' ? 'flow.list.too_long' : 'flow.number.too_big', { max });
  }
  return describeIssue(issue, locale);
}

/** Issue 21: a loyalty flow (purchase_count) gives rewards, which go only to customers with marketing consent. */
function withImpliedConsent(trigger: Trigger, filter: Filter): Filter {
  return trigger.type === 'purchase_count' && filter.consent !== 'marketing' ? { ...filter, consent: 'marketing' } : filter;
}

/** A value as the seller wrote it, for a message. */
function show(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A step id that names one step: well formed and not `end` (whether another step has it too is the caller's to check). */
export const isStepId = (value: unknown): value is string => typeof value === 'string' && ID.test(value) && value !== 'end';
const isAskKind = (value: unknown): value is AskKind => (ASK_KINDS as readonly unknown[]).includes(value);
const isTargetText = (value: unknown): value is string => typeof value === 'string' && ID.test(value);

/**
 * What needs more than one value: step kinds, ids and targets, ask options,
 * outcomes and polls, reminder against timeout, tags in both lists, and loops
 * that never wait. Reads the raw form, so a type error elsewhere in the flow
 * does not hide these.
 */
function checkReferences(raw: unknown, words: Words): FlowIssue[] {
  const { t, or } = words;
  const issues: FlowIssue[] = [];
  const add = (issuePath: (string | number)[], key: MessageKey, params?: Record<string, string | number>, at: 'key' | 'value' = 'value') =>
    issues.push({ path: issuePath, message: t(key, params), at });
  if (!isRecord(raw)) return issues;

  if (isRecord(raw.filter)) {
    const tags = (value: unknown) => (typeof value === 'string' ? [value] : Array.isArray(value) ? value : []).flatMap((item) => (typeof item === 'string' ? [normalizeTag(item) ?? item] : []));
    const none = tags(raw.filter.not_tags);
    for (const tag of tags(raw.filter.tags)) if (none.includes(tag)) add(['filter', 'not_tags'], 'flow.filter.tag_conflict', { tag });
  }

  const steps = Array.isArray(raw.steps) ? raw.steps : [];
  const firstIndex = new Map<string, number>();
  steps.forEach((step, index) => {
    if (!isRecord(step) || typeof step.id !== 'string') return;
    const first = firstIndex.get(step.id);
    if (first === undefined) firstIndex.set(step.id, index);
    else add(['steps', index, 'id'], 'flow.step.duplicate_id', { id: step.id, other: t('flow.where.step_number', { number: first + 1 }) });
  });

  const checkTarget = (value: unknown, issuePath: (string | number)[]) => {
    if (isTargetText(value) && value !== 'end' && !firstIndex.has(value)) add(issuePath, 'flow.step.unknown_target', { target: value });
  };

  steps.forEach((step, index) => {
    if (!isRecord(step)) return;
    const at = ['steps', index];
    // In the order written: the second kind is the one reported.
    const kinds = Object.keys(step).filter((key) => (STEP_KINDS as readonly string[]).includes(key) && step[key] !== undefined);
    if (kinds.length === 0) add(at, 'flow.step.no_kind', { kinds: or(STEP_KINDS) });
    for (const extra of kinds.slice(1)) add([...at, extra], 'flow.step.many_kinds', { kinds: kinds.join(', ') }, 'key');
    checkTarget(step.next, [...at, 'next']);
    checkTarget(step.goto, [...at, 'goto']);
    if (isRecord(step.ask)) checkAsk(step.ask, [...at, 'ask']);
    if (step.cold !== undefined) {
      if (kinds.length > 0 && !kinds.some((kind) => (MESSAGE_KINDS as readonly string[]).includes(kind))) {
        add([...at, 'cold'], 'flow.cold.not_message_step', { kinds: MESSAGE_KINDS.join(', ') }, 'key');
      }
      checkColdTarget(step.cold, [...at, 'cold']);
    }
  });
  checkColdTarget(raw.cold, ['cold']);

  function checkColdTarget(cold: unknown, at: (string | number)[]) {
    if (!isRecord(cold) || (COLD_FALLBACKS as readonly unknown[]).includes(cold.then)) return;
    checkTarget(cold.then, [...at, 'then']);
  }

  function checkAsk(ask: Record<string, unknown>, at: (string | number)[]) {
    if (isRecord(ask.branches)) for (const [outcome, value] of Object.entries(ask.branches)) checkTarget(value, [...at, 'branches', outcome]);
    if (isRecord(ask.reminder)) {
      const after = typeof ask.reminder.after === 'string' ? parseDuration(ask.reminder.after) : null;
      const timeout = typeof ask.timeout === 'string' ? parseDuration(ask.timeout) : { ok: true as const, value: FLOW_DEFAULTS.timeoutMs };
      if (after?.ok && timeout.ok && after.value > 0 && after.value >= timeout.value) {
        add([...at, 'reminder', 'after'], 'flow.ask.reminder_too_late', { after: formatDuration(after.value), timeout: formatDuration(timeout.value) });
      }
    }
    const kind = ask.kind;
    if (!isAskKind(kind)) return;
    if (ask.poll === true && !POLL_KINDS.includes(kind)) add([...at, 'poll'], 'flow.ask.no_poll', { kind, kinds: POLL_KINDS.join(', ') });

    const keys: string[] = [];
    if (kind !== 'choice') {
      if (ask.options !== undefined) add([...at, 'options'], 'flow.ask.options_not_choice', { kind }, 'key');
    } else if (ask.options === undefined) {
      add(at, 'flow.ask.options_required');
    } else if (Array.isArray(ask.options)) {
      if (ask.options.length < 2 || ask.options.length > 12) add([...at, 'options'], 'flow.ask.options_count', { count: ask.options.length });
      // A poll cannot show two options with the same text either.
      const labels: string[] = [];
      ask.options.forEach((item, index) => {
        const key = typeof item === 'string' ? optionKey(item) : isRecord(item) && isTargetText(item.key) ? item.key : '';
        const label = typeof item === 'string' ? item.trim() : isRecord(item) && typeof item.label === 'string' ? item.label.trim() : '';
        if (key !== '' && keys.includes(key)) add([...at, 'options', index], 'flow.ask.option_duplicate', { key });
        else if (label !== '' && labels.includes(label)) add([...at, 'options', index], 'flow.ask.option_duplicate_label', { label });
        if (key !== '' && !keys.includes(key)) keys.push(key);
        if (label !== '') labels.push(label);
      });
    }

    if (!isRecord(ask.branches)) return;
    // A choice whose options are broken has its own error; its outcomes cannot be judged.
    if (kind === 'choice' && keys.length === 0) return;
    const outcomes = outcomesFor(kind, keys);
    for (const outcome of Object.keys(ask.branches)) {
      if (!outcomes.includes(outcome)) add([...at, 'branches', outcome], 'flow.ask.unknown_outcome', { kind, outcomes: or(outcomes) }, 'key');
    }
  }

  checkLoops(steps, firstIndex, add, raw.cold);
  return issues;
}

/**
 * A goto or next that leads back without a wait or a question in between would
 * run forever in one instant (and send the same message each time). A question
 * skipped for a cold customer (`cold: skip`, its own or the flow's) does not
 * wait: it goes on at once to its no_answer branch.
 */
function checkLoops(
  steps: unknown[],
  firstIndex: Map<string, number>,
  add: (issuePath: (string | number)[], key: MessageKey, params?: Record<string, string | number>) => void,
  flowCold: unknown,
) {
  /** Where each instant step goes, with the keys that say so; wait, ask (unless skipped) and end stop the chain. */
  const edges = steps.map((step, index): { to: number; path: string[] } | null => {
    if (!isRecord(step) || step.wait !== undefined || step.end !== undefined) return null;
    let named: { value: string; path: string[] } | null = null;
    if (step.ask !== undefined) {
      if ((step.cold ?? flowCold) !== 'skip') return null;
      const noAnswer = isRecord(step.ask) && isRecord(step.ask.branches) ? step.ask.branches.no_answer : undefined;
      if (isTargetText(noAnswer)) named = { value: noAnswer, path: ['ask', 'branches', 'no_answer'] };
    }
    named ??= isTargetText(step.goto) ? { value: step.goto, path: ['goto'] } : isTargetText(step.next) ? { value: step.next, path: ['next'] } : null;
    if (named === null) return index + 1 < steps.length ? { to: index + 1, path: [] } : null;
    const to = named.value === 'end' ? undefined : firstIndex.get(named.value);
    return to === undefined ? null : { to, path: named.path };
  });
  const reported = new Set<number>();
  edges.forEach((_, start) => {
    const seen = new Set<number>();
    let at: number | undefined = start;
    while (at !== undefined && !seen.has(at)) {
      seen.add(at);
      at = edges[at]?.to;
    }
    if (at !== start) return;
    // The step whose goto/next closes the loop: the one that jumps backwards.
    const members = [...seen];
    const closing = members.find((index) => (edges[index]?.to ?? Infinity) <= index) ?? start;
    if (reported.has(closing)) return;
    reported.add(closing);
    const edge = edges[closing];
    const target = steps[edge?.to ?? 0];
    add(['steps', closing, ...(edge?.path ?? [])], 'flow.step.loop', { target: isRecord(target) ? show(target.id) : '' });
  });
}
