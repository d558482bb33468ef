/**
 * The Clientes page's "create a segment from filters" form: what was typed, as the API's
 * `{ name, filters }` (src/segments/filters.ts validates it), and its problems in the seller's words.
 */
import { parseMoney } from '../../domain/parse-money.js';
import type { FieldIssue } from '../../domain/validation.js';
import type { Translate } from '../../i18n/index.js';

export const SEGMENT_FORM_FIELDS = [
  'name',
  'tags',
  'notTags',
  'products',
  'nps',
  'lastPurchaseFrom',
  'lastPurchaseTo',
  'totalMin',
  'totalMax',
  'purchasesMin',
  'purchasesMax',
  'birthdayMonth',
  'contact',
  'consent',
] as const;
export type SegmentForm = Record<(typeof SEGMENT_FORM_FIELDS)[number], string>;

export const EMPTY_SEGMENT_FORM: SegmentForm = Object.fromEntries(SEGMENT_FORM_FIELDS.map((field) => [field, ''])) as SegmentForm;

/** Reads the posted form: the text as typed (to show again), and the input to validate. */
export function readSegmentForm(body: Record<string, unknown>): { form: SegmentForm; input: { name: string; filters: Record<string, unknown> } } {
  const form = Object.fromEntries(SEGMENT_FORM_FIELDS.map((field) => [field, typeof body[field] === 'string' ? body[field].trim() : ''])) as SegmentForm;
  const filters: Record<string, unknown> = {};
  const list = (text: string) => text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  const whole = (text: string) => (/^\d{1,12}$/.test(text) ? Number(text) : text);
  const money = (text: string) => {
    const parsed = parseMoney(text);
    return parsed.ok ? parsed.cents : text;
  };
  if (form.tags) filters.tags = list(form.tags);
  if (form.notTags) filters.notTags = list(form.notTags);
  if (form.products) filters.products = list(form.products);
  if (form.nps) filters.nps = form.nps;
  if (form.lastPurchaseFrom) filters.lastPurchaseFrom = form.lastPurchaseFrom;
  if (form.lastPurchaseTo) filters.lastPurchaseTo = form.lastPurchaseTo;
  if (form.totalMin) filters.totalMinCents = money(form.totalMin);
  if (form.totalMax) filters.totalMaxCents = money(form.totalMax);
  if (form.purchasesMin) filters.purchasesMin = whole(form.purchasesMin);
  if (form.purchasesMax) filters.purchasesMax = whole(form.purchasesMax);
  if (form.birthdayMonth) filters.birthdayMonth = whole(form.birthdayMonth);
  if (form.contact) filters.contact = form.contact;
  if (form.consent) filters.consent = form.consent;
  return { form, input: { name: form.name, filters } };
}

const LABELS: Record<string, Parameters<Translate>[0]> = {
  name: 'segments.page.name',
  tags: 'segments.page.tags',
  notTags: 'segments.page.not_tags',
  products: 'segments.page.products',
  nps: 'segments.page.nps',
  lastPurchaseFrom: 'segments.page.last_from',
  lastPurchaseTo: 'segments.page.last_to',
  totalMinCents: 'segments.page.total_min',
  totalMaxCents: 'segments.page.total_max',
  purchasesMin: 'segments.page.purchases_min',
  purchasesMax: 'segments.page.purchases_max',
  birthdayMonth: 'segments.page.birthday_month',
  contact: 'segments.page.contact',
  consent: 'segments.page.consent',
};

/** Each problem under the label the seller sees ("Total gasto de (R$)"), not the API's path. */
export function describeSegmentProblems(issues: readonly FieldIssue[], t: Translate): string[] {
  return issues.map((issue) => {
    const key = issue.path.split('.').find((part) => part in LABELS && part !== 'filters');
    const money = key === 'totalMinCents' || key === 'totalMaxCents';
    return t('segments.page.invalid', { field: key ? t(LABELS[key]!) : issue.path, message: money && /number|número/i.test(issue.message) ? t('segments.page.money') : issue.message });
  });
}
