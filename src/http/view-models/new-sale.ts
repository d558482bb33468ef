import type { Customer, Purchase, PurchaseItem } from '../../domain/customer.js';
import { formatMoney, minorDigits } from '../../domain/money.js';
import { parseMoney } from '../../domain/parse-money.js';
import { normalizePhone, type CountryCode } from '../../domain/phone.js';
import type { Translate } from '../../i18n/index.js';
import type { PurchaseInput } from '../../intake/purchase-input.js';
import { MAX_QUANTITY } from '../../intake/purchase-rules.js';
import type { FieldIssue } from '../../domain/validation.js';
import type { Run } from '../../flows/run-types.js';
import { customerName } from './customer-card.js';
import { momentOf, phoneForPeople, shortDateTime, type Moment, type ViewLocale } from './view-locale.js';

/** Lines the form holds at most: a counter sale has a few; the "another product" button stops there. */
export const SALE_LINES_MAX = 20;
/** Where the consent given at the counter is recorded as coming from. */
export const COUNTER_SOURCE = 'counter';
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

export interface SaleLine {
  name: string;
  sku: string;
  quantity: string;
  price: string;
}

/** The form as typed: given back whole when something is wrong, so nothing is lost. */
export interface SaleForm {
  phone: string;
  name: string;
  consent: boolean;
  /** Made with the empty form: the sale's externalId, so a second submit of the same form is the same sale. */
  nonce: string;
  lines: SaleLine[];
}

/** The problems by the id of their input ("phone", "item-0-price"): shown next to each field. */
export type SaleErrors = Record<string, string>;

/** The body POST /api/purchases takes, built from the form: the page records sales by the same path. */
export interface SaleBody {
  externalId?: string;
  customer: { phone: string; name?: string; consent?: { marketing: true; source: string; text: string } };
  items: { name: string; sku?: string; quantity: number; unitPrice?: string }[];
  source: string;
}

const EMPTY_LINE: SaleLine = { name: '', sku: '', quantity: '1', price: '' };

export function emptySaleForm(nonce: string, phone = ''): SaleForm {
  return { phone, name: '', consent: false, nonce, lines: [{ ...EMPTY_LINE }] };
}

/** The form's fields (item_name_0, item_qty_0, …) as typed; a line left blank is dropped, one is always kept. */
export function readSaleForm(body: unknown): SaleForm & { addLine: boolean } {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = (key: string, max = 400) => {
    const value = fields[key];
    return typeof value === 'string' ? value.slice(0, max) : '';
  };
  const lines: SaleLine[] = [];
  for (let index = 0; index < SALE_LINES_MAX; index += 1) {
    const line = { name: text(`item_name_${index}`), sku: text(`item_sku_${index}`), quantity: text(`item_qty_${index}`, 20), price: text(`item_price_${index}`, 40) };
    if (line.name.trim() !== '' || line.sku.trim() !== '' || line.price.trim() !== '') lines.push(line);
  }
  const addLine = fields.add !== undefined && lines.length < SALE_LINES_MAX;
  if (lines.length === 0 || addLine) lines.push({ ...EMPTY_LINE });
  const nonce = text('nonce', 64);
  return {
    phone: text('phone', 60),
    name: text('name', 200),
    consent: fields.consent !== undefined && fields.consent !== '',
    nonce: NONCE.test(nonce) ? nonce : '',
    lines,
    addLine,
  };
}

export interface SaleRules {
  t: Translate;
  country: CountryCode;
  currency: string;
  /** The consent text the seller's form showed, recorded with the consent. */
  consentText: string;
}

/**
 * Checks what the purchase reader cannot know was typed by a person (the
 * phone, a Brazilian price, a line without a name) and builds the purchase
 * body; the reader checks the rest.
 */
export function checkSale(form: SaleForm, rules: SaleRules): { ok: true; body: SaleBody } | { ok: false; errors: SaleErrors } {
  const { t } = rules;
  const errors: SaleErrors = {};
  const phone = normalizePhone(form.phone, rules.country);
  if (!phone.ok) errors.phone = t(`phone.${phone.problem}`);

  const items: SaleBody['items'] = [];
  form.lines.forEach((line, index) => {
    const name = line.name.trim();
    const blank = name === '' && line.sku.trim() === '' && line.price.trim() === '';
    if (blank) return;
    if (name === '') errors[`item-${index}-name`] = t('page.sale.item_name_missing');
    const quantity = line.quantity.trim() === '' ? 1 : /^\d{1,6}$/.test(line.quantity.trim()) ? Number(line.quantity.trim()) : Number.NaN;
    if (!(quantity >= 1 && quantity <= MAX_QUANTITY)) errors[`item-${index}-quantity`] = t('page.sale.quantity_invalid', { max: MAX_QUANTITY });
    let unitPrice: string | undefined;
    if (line.price.trim() !== '') {
      const price = parseMoney(line.price, { currency: rules.currency });
      if (price.ok) unitPrice = decimalOf(price.cents, rules.currency);
      else errors[`item-${index}-price`] = t(`money.${price.reason}`, { digits: minorDigits(rules.currency) });
    }
    items.push({ name, ...(line.sku.trim() === '' ? {} : { sku: line.sku.trim() }), quantity, ...(unitPrice === undefined ? {} : { unitPrice }) });
  });
  if (items.length === 0) errors['item-0-name'] = t('page.sale.no_items');
  if (!phone.ok || Object.keys(errors).length > 0) return { ok: false, errors };

  const name = form.name.trim();
  return {
    ok: true,
    body: {
      ...(form.nonce === '' ? {} : { externalId: `${COUNTER_SOURCE}:${form.nonce}` }),
      customer: {
        phone: phone.e164,
        ...(name === '' ? {} : { name }),
        ...(form.consent ? { consent: { marketing: true, source: COUNTER_SOURCE, text: rules.consentText } } : {}),
      },
      items,
      source: COUNTER_SOURCE,
    },
  };
}

/** "1039.90": cents in the API's plain form, read back the same by every reader. */
function decimalOf(cents: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(cents);
  const text = String(cents).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** The purchase reader's problems put next to the form's fields (customer.name → "name"); the rest under the form. */
export function placeIssues(issues: readonly FieldIssue[]): SaleErrors {
  const errors: SaleErrors = {};
  for (const issue of issues) {
    const path = issue.path.split('.');
    let field = 'form';
    if (path[0] === 'customer') field = path[1] === 'phone' ? 'phone' : 'name';
    else if (path[0] === 'items' && path[1] !== undefined) {
      const part = path[2] === 'unitPrice' ? 'price' : path[2] === 'quantity' ? 'quantity' : 'name';
      field = `item-${path[1]}-${part}`;
    }
    errors[field] ??= issue.message;
  }
  return errors;
}

/** Whether a stored sale is the one just read (a second tap), not another typed into a form already used. */
export function isSameSale(stored: Pick<Purchase, 'items'>, storedPhone: string | null, input: Pick<PurchaseInput, 'customer' | 'items'>): boolean {
  const key = (items: readonly PurchaseItem[]) => JSON.stringify(items.map(({ sku, name, quantity, unitPriceCents }) => [sku, name, quantity, unitPriceCents]));
  return storedPhone === input.customer.phone && key(stored.items) === key(input.items);
}

/** A recent item as the form offers it: its name, SKU and price written for the price field. */
export interface SaleSuggestion {
  name: string;
  sku: string;
  price: string;
  label: string;
}

export function buildSuggestions(items: readonly PurchaseItem[], locale: string, currency: string): SaleSuggestion[] {
  const digits = minorDigits(currency);
  const number = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
  return items.map((item) => {
    const price = item.unitPriceCents === null ? '' : number.format(item.unitPriceCents / 10 ** digits);
    return { name: item.name, sku: item.sku ?? '', price, label: [item.sku, price].filter(Boolean).join(' · ') };
  });
}

/** What the form says about the number typed: the customer's name, or that they are new. */
export function describeBuyer(customer: Pick<Customer, 'name'> | undefined, t: Translate): { known: boolean; text: string } {
  if (customer === undefined) return { known: false, text: t('page.sale.buyer_new') };
  return { known: true, text: customer.name === null ? t('page.sale.buyer_known_unnamed') : t('page.sale.buyer_known', { name: customer.name }) };
}

/** The answer page: who bought what, the flows the sale started, in words. */
export interface SaleDone {
  buyer: { name: string; phone: string; href: string };
  items: string[];
  total: string | null;
  flows: { name: string; next: Moment | null }[];
  /** Why no flow started, when none did. */
  noFlows: string | null;
  consented: boolean;
}

export function buildSaleDone(input: {
  purchase: Purchase;
  customer: Customer;
  runs: readonly Pick<Run, 'flowId' | 'wakeAt' | 'status'>[];
  flowName: (flowId: string) => string | undefined;
  view: ViewLocale;
  t: Translate;
}): SaleDone {
  const { purchase, customer, view, t } = input;
  const when = shortDateTime(view);
  const money = (cents: number) => formatMoney(cents, purchase.currency, view.locale);
  const flows = input.runs.map((run) => ({
    name: input.flowName(run.flowId) ?? run.flowId,
    next: run.status === 'waiting' && run.wakeAt !== null ? momentOf(run.wakeAt, when) : null,
  }));
  let noFlows: string | null = null;
  if (flows.length === 0) noFlows = t(customer.optedOutAt !== null || customer.suppressedAt !== null ? 'page.sale.no_flows_opted_out' : 'page.sale.no_flows');
  return {
    buyer: { name: customerName(customer, view.locale), phone: phoneForPeople(customer.phone, view.country), href: `/customers/${customer.id}` },
    items: purchase.items.map((item) =>
      t(item.unitPriceCents === null ? 'page.sale.done_item' : 'page.sale.done_item_priced', {
        quantity: item.quantity,
        name: item.name,
        price: item.unitPriceCents === null ? '' : money(item.unitPriceCents),
      }),
    ),
    total: purchase.totalCents === null ? null : money(purchase.totalCents),
    flows,
    noFlows,
    consented: customer.consent.marketing === 'granted',
  };
}
