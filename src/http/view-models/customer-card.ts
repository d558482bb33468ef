import type { Customer } from '../../domain/customer.js';
import { waMeLink } from '../../domain/phone.js';
import { translator } from '../../i18n/index.js';
import { phoneForPeople, shortDateTime, type ViewLocale } from './view-locale.js';

/** A customer's line in the Clientes list. */
export interface CustomerRow {
  id: number;
  name: string;
  /** False when `name` is the placeholder for a customer without one. */
  named: boolean;
  phone: string;
  tags: string[];
  optedOut: boolean;
  paused: boolean;
}

/** What the top of a customer's pages (record, edit, erase) shows of them, in words and local times. */
export interface CustomerCard {
  id: number;
  name: string;
  named: boolean;
  phone: string;
  waLink: string;
  email: string | null;
  birthday: string | null;
  tags: string[];
  marketing: string;
  optedOut: string | null;
  /** Until when the owner's handoff pauses the automation; null when it is over. */
  handoffUntil: string | null;
  pausedAt: string | null;
  suppressed: string | null;
  stopReview: { at: string; text: string } | null;
  since: string;
  /** Warm or cold, in words: "escreveu para a loja em …" or "ainda não escreveu para a loja". */
  contact: string;
  /** WhatsApp refused a cold message (463): reached only if they write first. */
  coldRefused: string | null;
}

/** The name to show: the customer's, or the placeholder for one without a name. */
export function customerName(customer: Customer, locale: ViewLocale['locale']): string {
  return customer.name ?? translator(locale)('page.customers.no_name');
}

export function buildCustomerRow(customer: Customer, view: ViewLocale): CustomerRow {
  return {
    id: customer.id,
    name: customerName(customer, view.locale),
    named: customer.name !== null,
    phone: phoneForPeople(customer.phone, view.country),
    tags: customer.tags,
    optedOut: customer.optedOutAt !== null,
    paused: customer.automationPausedAt !== null,
  };
}

/** The customer at `now` (a handoff that ended is not shown). */
export function buildCustomerCard(customer: Customer, view: ViewLocale, now: number): CustomerCard {
  const t = translator(view.locale);
  const dateTime = shortDateTime(view);
  const at = (time: number | null) => (time === null ? null : dateTime.format(time));
  return {
    id: customer.id,
    name: customerName(customer, view.locale),
    named: customer.name !== null,
    phone: phoneForPeople(customer.phone, view.country),
    waLink: waMeLink(customer.phone),
    email: customer.email,
    birthday: shownBirthday(customer.birthday, view.locale),
    tags: customer.tags,
    marketing: t(`page.customer.marketing.${customer.consent.marketing}`),
    optedOut: at(customer.optedOutAt),
    handoffUntil: customer.handoffUntil !== null && customer.handoffUntil > now ? dateTime.format(customer.handoffUntil) : null,
    pausedAt: at(customer.automationPausedAt),
    suppressed: at(customer.suppressedAt),
    stopReview: customer.stopReview === null ? null : { at: dateTime.format(customer.stopReview.at), text: customer.stopReview.text },
    since: dateTime.format(customer.createdAt),
    contact: customer.warmAt === null ? t('page.customer.contact.cold') : t('page.customer.contact.warm', { at: dateTime.format(customer.warmAt) }),
    coldRefused: customer.coldRefusedAt === null ? null : t('page.customer.contact.cold_refused', { at: dateTime.format(customer.coldRefusedAt) }),
  };
}

/** A stored birthday ("1990-03-12", or "--03-12" without the year) as people read it: 12 de março de 1990, 12 de março. */
function shownBirthday(birthday: string | null, locale: ViewLocale['locale']): string | null {
  const match = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(birthday ?? '');
  if (!match) return birthday;
  const year = match[1] === '-' ? 2000 : Number(match[1]);
  const date = Date.UTC(year, Number(match[2]) - 1, Number(match[3]));
  const options: Intl.DateTimeFormatOptions = match[1] === '-' ? { day: 'numeric', month: 'long', timeZone: 'UTC' } : { dateStyle: 'long', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(date);
}
