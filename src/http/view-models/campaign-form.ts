/**
 * The Nova campanha form (issue 21): what the seller typed, read from the
 * posted fields into the request the campaign service takes, with every
 * problem placed at its field (the form's own checks, and the service's
 * issues by their path). Pure: the route hands in the clock and the segments.
 */
import type { CampaignMessage, CampaignRequest } from '../../campaigns/campaign-types.js';
import type { CampaignMessageIssue } from '../../flows/campaign-flow.js';
import { atLocal } from '../../domain/local-time.js';
import { ASK_KINDS } from '../../flows/flow-schema.js';
import type { AskKind } from '../../flows/flow-types.js';
import { translator, type Locale } from '../../i18n/index.js';

export const MESSAGE_KINDS = ['text', 'image', 'question'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export const VARIANT_FIELDS = ['text', 'image', 'caption', 'question', 'options'] as const;
type VariantField = (typeof VARIANT_FIELDS)[number];

/** A sendAt this far in the past is taken as now (the API's grace); further ahead than a year is refused. */
const PAST_GRACE_MS = 5 * 60_000;
const MAX_AHEAD_MS = 366 * 86_400_000;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The form's values, as typed (kept as they were on a page with errors). */
export interface CampaignFormValues {
  name: string;
  segment: string;
  kind: MessageKind;
  askKind: AskKind;
  poll: boolean;
  /** How many variants: 1 (no A/B), 2 or 3. */
  variantCount: 1 | 2 | 3;
  variants: Record<VariantField, string>[];
  when: 'now' | 'later';
  sendAt: string;
  attributionDays: string;
  /** The split's seed, fixed at the Conferir step so that what was shown is what is sent. */
  seed: string;
}

/** Errors by field id (`segment`, `v1-text`…) and those of no field. */
export interface FormErrors {
  top: string[];
  fields: Record<string, string[]>;
}

export function emptyCampaignForm(): CampaignFormValues {
  return {
    name: '',
    segment: '',
    kind: 'text',
    askKind: 'yes_no',
    poll: false,
    variantCount: 1,
    variants: [0, 1, 2].map(() => emptyVariant()),
    when: 'now',
    sendAt: '',
    attributionDays: '7',
    seed: '',
  };
}

function emptyVariant(): Record<VariantField, string> {
  return { text: '', image: '', caption: '', question: '', options: '' };
}

const field = (body: Record<string, unknown>, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value : '';
};

/** The posted fields as the form's values (anything unknown falls back to the form's default). */
export function readCampaignForm(body: unknown): CampaignFormValues {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const kind = field(fields, 'kind');
  const askKind = field(fields, 'ask_kind');
  const count = Number(field(fields, 'variants'));
  return {
    name: field(fields, 'name').slice(0, 200),
    segment: field(fields, 'segment'),
    kind: (MESSAGE_KINDS as readonly string[]).includes(kind) ? (kind as MessageKind) : 'text',
    askKind: (ASK_KINDS as readonly string[]).includes(askKind) ? (askKind as AskKind) : 'yes_no',
    poll: field(fields, 'poll') === '1',
    variantCount: count === 2 || count === 3 ? count : 1,
    variants: [0, 1, 2].map((index) => Object.fromEntries(VARIANT_FIELDS.map((name) => [name, field(fields, `v${index}.${name}`)])) as Record<VariantField, string>),
    when: field(fields, 'when') === 'later' ? 'later' : 'now',
    sendAt: field(fields, 'send_at'),
    attributionDays: field(fields, 'attribution_days'),
    seed: /^\d{1,10}$/.test(field(fields, 'seed')) ? field(fields, 'seed') : '',
  };
}

/** The values as posted fields again (the Conferir step carries them in hidden inputs). */
export function campaignFormFields(values: CampaignFormValues): [string, string][] {
  const pairs: [string, string][] = [
    ['name', values.name],
    ['segment', values.segment],
    ['kind', values.kind],
    ['ask_kind', values.askKind],
    ['poll', values.poll ? '1' : ''],
    ['variants', String(values.variantCount)],
    ['when', values.when],
    ['send_at', values.sendAt],
    ['attribution_days', values.attributionDays],
    ['seed', values.seed],
  ];
  values.variants.slice(0, values.variantCount).forEach((variant, index) => {
    for (const name of VARIANT_FIELDS) pairs.push([`v${index}.${name}`, variant[name]]);
  });
  return pairs;
}

function addError(errors: FormErrors, id: string | null, message: string): void {
  if (id === null) errors.top.push(message);
  else (errors.fields[id] ??= []).push(message);
}

/**
 * The request the campaign service takes, or the form's own errors: a segment
 * chosen among `segmentIds`, a date and time (in `timeZone`) neither past nor
 * more than a year ahead, attribution days from 1 to 90, a name of at most 80.
 * The messages themselves are checked by the service (issuesToFields places them).
 */
export function campaignRequestOf(
  values: CampaignFormValues,
  options: { locale: Locale; timeZone: string; now: number; segmentIds: readonly string[] },
): { ok: true; request: CampaignRequest } | { ok: false; errors: FormErrors } {
  const t = translator(options.locale);
  const errors: FormErrors = { top: [], fields: {} };
  const name = values.name.trim();
  if (name.length > 80) addError(errors, 'name', t('page.campaign.error.name_long'));
  if (values.segment === '') addError(errors, 'segment', t('page.campaign.error.segment_missing'));
  else if (!options.segmentIds.includes(values.segment)) addError(errors, 'segment', t('segments.error.not_found', { id: values.segment }));
  let sendAt: number | undefined;
  if (values.when === 'later') {
    const match = LOCAL_DATE_TIME.exec(values.sendAt.trim());
    const [year, month, day, hour, minute] = (match ?? []).slice(1).map(Number) as [number, number, number, number, number];
    const valid = match !== null && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59;
    if (!valid) addError(errors, 'send_at', t('page.campaign.error.send_at_format'));
    else {
      const at = atLocal(year, month, day, hour * 60 + minute, options.timeZone);
      if (at < options.now - PAST_GRACE_MS) addError(errors, 'send_at', t('campaign.error.send_at_past'));
      else if (at > options.now + MAX_AHEAD_MS) addError(errors, 'send_at', t('campaign.error.send_at_far'));
      else sendAt = Math.max(options.now, at);
    }
  }
  const daysText = values.attributionDays.trim();
  const days = daysText === '' ? 7 : /^\d{1,3}$/.test(daysText) ? Number(daysText) : Number.NaN;
  if (!Number.isInteger(days) || days < 1 || days > 90) addError(errors, 'attribution_days', t('page.campaign.error.attribution_days'));
  const messages = values.variants.slice(0, values.variantCount).map((variant) => messageOf(values, variant));
  if (errors.top.length > 0 || Object.keys(errors.fields).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      ...(name === '' ? {} : { name }),
      segment: values.segment,
      ...(messages.length === 1 ? { message: messages[0]! } : { variants: messages }),
      sendAt,
      attributionDays: days,
      ...(values.seed === '' ? {} : { seed: Number(values.seed) % 2 ** 31 }),
    },
  };
}

function messageOf(values: CampaignFormValues, variant: Record<VariantField, string>): CampaignMessage {
  if (values.kind === 'text') return { text: variant.text };
  if (values.kind === 'image') return { image: variant.image.trim(), ...(variant.caption.trim() === '' ? {} : { caption: variant.caption }) };
  const options = variant.options
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return {
    ask: {
      kind: values.askKind,
      question: variant.question,
      ...(options.length > 0 ? { options } : {}),
      ...(values.poll ? { poll: true } : {}),
    },
  };
}

/**
 * The service's issues at the form's fields: `message.text` and
 * `variants.1.text` to `v0-text` and `v1-text`, `….ask.question` to the
 * question, `….ask.kind` to the kind of question, a problem of the whole
 * question (a choice without options) to its options; the rest above the form.
 */
export function issuesToFields(issues: readonly CampaignMessageIssue[], values: CampaignFormValues): FormErrors {
  const errors: FormErrors = { top: [], fields: {} };
  for (const issue of issues) {
    const [head, second, ...rest] = issue.path;
    let index: number | null = null;
    let tail: (string | number)[] = [];
    if (head === 'message') {
      index = 0;
      tail = second === undefined ? [] : [second, ...rest];
    } else if (head === 'variants' && typeof second === 'number') {
      index = second;
      tail = rest;
    }
    addError(errors, index === null ? fieldOfTop(head) : fieldOf(index, tail, values), issue.message);
  }
  return errors;
}

function fieldOfTop(head: string | number | undefined): string | null {
  if (head === 'sendAt') return 'send_at';
  if (head === 'attributionDays') return 'attribution_days';
  if (head === 'segment' || head === 'name') return head;
  return null;
}

function fieldOf(index: number, tail: (string | number)[], values: CampaignFormValues): string | null {
  const [first, second] = tail;
  if (first === 'text' || first === 'caption' || first === 'image') return `v${index}-${first}`;
  if (first !== 'ask') return null;
  if (second === 'question') return `v${index}-question`;
  if (second === 'options') return `v${index}-options`;
  if (second === 'kind' || second === 'poll') return 'ask_kind';
  return values.askKind === 'choice' ? `v${index}-options` : `v${index}-question`;
}
