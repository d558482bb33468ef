import { formatPhoneForPeople, type CountryCode } from '../../domain/phone.js';
import type { Locale } from '../../i18n/index.js';

/**
 * Who reads a page and where: the language, the shop's time zone and the
 * country whose numbers are written the national way. Every view model takes
 * it, so that a test can build a page's data without a server.
 */
export interface ViewLocale {
  locale: Locale;
  timeZone: string;
  country: CountryCode;
}

/** A moment as a page's <time> shows it: the instant for machines, the text for people. */
export interface Moment {
  iso: string;
  text: string;
}

/** The pages' date and time: "20/11/2026, 10:00" in the shop's zone (pt-BR). */
export function shortDateTime(view: Pick<ViewLocale, 'locale' | 'timeZone'>): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(view.locale, { dateStyle: 'short', timeStyle: 'short', timeZone: view.timeZone });
}

/** A moment written in `format`, with its ISO instant. */
export function momentOf(time: number, format: Intl.DateTimeFormat): Moment {
  return { iso: new Date(time).toISOString(), text: format.format(time) };
}

/** A phone as people write it: national in the shop's country, international otherwise; '' for none. */
export function phoneForPeople(e164: string | null, country: CountryCode): string {
  return e164 === null ? '' : formatPhoneForPeople(e164, country);
}
