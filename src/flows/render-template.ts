/**
 * The texts of a flow are Liquid templates (the language Shopify and
 * Nuvemshop sellers already meet). One configured Liquid instance renders them
 * at send time and checks them at load time against SAMPLE_CONTEXT, so a typo
 * is an error when the service starts, not a broken message at 3 a.m.
 */
import { Liquid, LiquidError, type Template, type Variable } from 'liquidjs';
import { translate, type Locale } from '../i18n/index.js';
import type { TemplateContext } from './flow-types.js';
import { messageOf } from '../domain/errors.js';

/** A complete context: every name a template may use exists here, with a realistic value. */
export const SAMPLE_CONTEXT: TemplateContext = deepFreeze({
  shop: { name: 'Café da Serra', review_url: 'https://g.page/r/CafeDaSerra/review' },
  customer: {
    name: 'Ana Souza',
    first_name: 'Ana',
    phone: '+5511912345678',
    whatsapp_link: 'https://wa.me/5511912345678',
    email: 'ana.souza@example.com',
    tags: ['vip'],
  },
  purchase: {
    external_id: 'pedido-1001',
    total: 'R$ 104,80',
    currency: 'BRL',
    items: [
      { sku: 'CAFE-250', name: 'Café especial 250 g', quantity: 2 },
      { sku: 'COADOR-02', name: 'Coador de pano', quantity: 1 },
    ],
    products: 'Café especial 250 g e Coador de pano',
    purchased_at: '2026-11-20T14:30:00.000Z',
  },
  answer: { value: '9', comment: 'a entrega foi rápida' },
  // Issue 21: the loyalty reward (a coupon code from the seller's list, or their fixed text).
  reward: { code: 'FIEL-7QX2', text: 'cupom FIEL-7QX2' },
});

function createLiquid(timezone?: string): Liquid {
  const engine = new Liquid({
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    // An empty text is false in {% if %}, as a seller expects of {% if answer.comment %}.
    jsTruthy: true,
    // WhatsApp texts, not HTML: nothing is escaped (no outputEscape).
    // No file system: a template cannot include anything.
    templates: {},
    relativeReference: false,
    // A template that loops forever or builds a huge text fails instead of stalling sends.
    parseLimit: 100_000,
    renderLimit: 1_000,
    memoryLimit: 10_000_000,
    // The `date` filter shows times in the shop's zone (the times in the context are UTC).
    ...(timezone ? { timezoneOffset: timezone } : {}),
  });
  for (const tag of ['include', 'render', 'layout', 'block']) delete engine.tags[tag];
  return engine;
}

const liquid = createLiquid();

interface Engine {
  liquid: Liquid;
  /** Parsed templates, by source: flows use a handful of texts, rendered again and again. */
  parsed: Map<string, Template[]>;
}
const engines = new Map<string, Engine>();
const MAX_CACHED = 1_000;

function engineFor(timezone: string | undefined): Engine {
  const key = timezone ?? '';
  let engine = engines.get(key);
  if (!engine) {
    engine = { liquid: timezone ? createLiquid(timezone) : liquid, parsed: new Map() };
    engines.set(key, engine);
  }
  return engine;
}

function parse(engine: Engine, template: string): Template[] {
  let templates = engine.parsed.get(template);
  if (templates === undefined) {
    templates = engine.liquid.parse(template);
    if (engine.parsed.size >= MAX_CACHED) engine.parsed.clear();
    engine.parsed.set(template, templates);
  }
  return templates;
}

/**
 * Renders a checked template, with dates in `timezone` (the shop's TIMEZONE;
 * the machine's zone when not given). A value missing at send time (the first
 * item of a purchase without items) renders as empty text instead of failing
 * the message: the names themselves were checked when the flow loaded.
 */
export function renderTemplate(template: string, context: TemplateContext, timezone?: string): string {
  const plain = substitution(template);
  if (plain) {
    const text = substitute(plain, context);
    if (text !== undefined) return text;
  }
  return renderWithLiquid(template, context, timezone);
}

/** renderTemplate without its shortcut: what the shortcut must always equal. */
export function renderWithLiquid(template: string, context: TemplateContext, timezone?: string): string {
  const engine = engineFor(timezone);
  return String(engine.liquid.renderSync(parse(engine, template), context, { strictVariables: false }));
}

/**
 * Most flow texts are words and `{{ customer.first_name }}`-style names, no
 * filter, no tag. Those are filled in directly: the same text Liquid gives
 * (a test holds the two to it), without Liquid's per-render machinery, which
 * cost more than all the rest of handling a reply. Anything else, or a name
 * whose value is not text, goes to Liquid.
 */
type Substitution = { texts: string[]; paths: string[][] };
const OUTPUT = /\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*\}\}/g;
const substitutions = new Map<string, Substitution | null>();

function substitution(template: string): Substitution | null {
  let found = substitutions.get(template);
  if (found === undefined) {
    const pieces = template.split(OUTPUT);
    const texts = pieces.filter((_, index) => index % 2 === 0);
    const paths = pieces.filter((_, index) => index % 2 === 1).map((path) => path.split('.'));
    // A brace left in the words could pair up with a name's braces in Liquid's reading: Liquid then.
    found = texts.some((text) => text.includes('{') || text.includes('}')) ? null : { texts, paths };
    if (substitutions.size >= MAX_CACHED) substitutions.clear();
    substitutions.set(template, found);
  }
  return found;
}

/** The filled-in text, or undefined when a name is missing or is not text (Liquid decides then). */
function substitute({ texts, paths }: Substitution, context: TemplateContext): string | undefined {
  let out = texts[0]!;
  for (let i = 0; i < paths.length; i++) {
    let value: unknown = context;
    for (const key of paths[i]!) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    if (typeof value !== 'string') return undefined;
    out += value + texts[i + 1]!;
  }
  return out;
}

export type TemplateProblem =
  | { kind: 'syntax'; detail: string }
  | { kind: 'unknown_variable'; name: string; allowed: string[] }
  | { kind: 'unknown_filter'; name: string }
  | { kind: 'unknown_tag'; name: string }
  /** An {% if %} without {% endif %}, a {{ without }}. */
  | { kind: 'not_closed'; what: string }
  | { kind: 'render'; detail: string };

/**
 * What is wrong with a template, or null. Every variable it names (in any
 * branch, rendered or not) must exist in SAMPLE_CONTEXT, and it must render
 * against it with strict variables and filters.
 */
export function findTemplateProblem(template: string): TemplateProblem | null {
  let templates: Template[];
  try {
    templates = parse(engineFor(undefined), template);
  } catch (error) {
    return describeLiquidError(error);
  }
  try {
    const { globals } = liquid.analyzeSync(templates, { partials: false });
    for (const variable of Object.values(globals).flat()) {
      const problem = checkVariable(variable.toArray());
      if (problem) return problem;
    }
    liquid.renderSync(templates, SAMPLE_CONTEXT);
  } catch (error) {
    return describeLiquidError(error);
  }
  return null;
}

/** null when the template is fine; otherwise a short reason naming the unknown variable or filter. */
export function checkTemplate(template: string, locale: Locale = 'pt-BR'): string | null {
  const problem = findTemplateProblem(template);
  return problem === null ? null : describeTemplateProblem(problem, locale);
}

export function describeTemplateProblem(problem: TemplateProblem, locale: Locale): string {
  switch (problem.kind) {
    case 'syntax':
      return translate(locale, 'flow.template.syntax', { detail: problem.detail });
    case 'unknown_variable':
      return problem.allowed.length > 0
        ? translate(locale, 'flow.template.unknown_variable', { name: problem.name, allowed: problem.allowed.join(', ') })
        : translate(locale, 'flow.template.unknown_variable_bare', { name: problem.name });
    case 'unknown_filter':
      return translate(locale, 'flow.template.unknown_filter', { name: problem.name });
    case 'unknown_tag':
      return translate(locale, 'flow.template.unknown_tag', { name: problem.name });
    case 'not_closed':
      return translate(locale, 'flow.template.not_closed', { what: problem.what });
    case 'render':
      return translate(locale, 'flow.template.render', { detail: problem.detail });
  }
}

type Segments = ReturnType<Variable['toArray']>;

/** Walks a variable's path through the sample; the first name that is not there is the problem. */
function checkVariable(segments: Segments): TemplateProblem | null {
  let value: unknown = SAMPLE_CONTEXT;
  const walked: (string | number)[] = [];
  for (const segment of segments) {
    // customer[some_variable]: the key is only known when rendering, which checks it.
    if (Array.isArray(segment)) return null;
    const next = step(value, segment);
    if (next === MISSING) {
      return { kind: 'unknown_variable', name: formatVariable([...walked, segment]), allowed: namesUnder(value, walked) };
    }
    walked.push(segment);
    value = next;
  }
  return null;
}

const MISSING = Symbol('missing');

function step(value: unknown, segment: string | number): unknown {
  if (Array.isArray(value)) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) return value[0];
    if (segment === 'size') return value.length;
    if (segment === 'first') return value[0];
    if (segment === 'last') return value[value.length - 1];
    return MISSING;
  }
  if (typeof value === 'string') return segment === 'size' ? value.length : MISSING;
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, segment)) {
    return (value as Record<string, unknown>)[segment];
  }
  return MISSING;
}

function namesUnder(value: unknown, walked: (string | number)[]): string[] {
  if (Array.isArray(value)) return ['size', 'first', 'last'].map((name) => formatVariable([...walked, name]));
  if (typeof value === 'object' && value !== null) return Object.keys(value).map((name) => formatVariable([...walked, name]));
  return [];
}

function formatVariable(segments: (string | number)[]): string {
  return segments
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`))
    .join('');
}

function describeLiquidError(error: unknown): TemplateProblem {
  if (!(error instanceof LiquidError)) return { kind: 'render', detail: messageOf(error) };
  const detail = (error.originalError?.message ?? error.message).replace(/, line:\d+, col:\d+$/, '');
  const name = (pattern: RegExp) => pattern.exec(detail)?.[1];
  // The static walk has checked every global name: what is left is a loop variable's field.
  const variable = name(/^undefined variable: (.+)$/);
  if (variable !== undefined) return { kind: 'unknown_variable', name: variable, allowed: [] };
  const filter = name(/^undefined filter: (.+)$/);
  if (filter !== undefined) return { kind: 'unknown_filter', name: filter };
  const open = name(/^((?:tag|output) .+) not closed$/);
  if (open !== undefined) return { kind: 'not_closed', what: open.replace(/^(?:tag|output) /, '') };
  const tag = name(/^tag "(.+)" not found$/);
  if (tag !== undefined) return { kind: 'unknown_tag', name: tag };
  return error.name === 'RenderError' ? { kind: 'render', detail } : { kind: 'syntax', detail };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
