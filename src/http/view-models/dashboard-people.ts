import { waMeLink } from '../../domain/phone.js';
import type { WeeklyReport } from '../../reports/weekly.js';
import { phoneForPeople, shortDateTime, type ViewLocale } from './view-locale.js';

/** Someone who needs the owner: a link to their record, and one to talk to them on WhatsApp. */
interface PersonToCall {
  id: number;
  /** Their name, or their phone when they have none. */
  name: string;
  phone: string;
  link: string;
  at: string;
}

/** The people of the Painel's week: who needs the owner, who was referred, whose birthday it is. */
export interface DashboardPeople {
  detractors: (PersonToCall & { score: number; comment: string | null })[];
  questions: (PersonToCall & { text: string | null })[];
  referrals: { name: string | null; phone: string; referrer: string | null }[];
  birthdays: { id: number; name: string; day: string }[];
}

export function buildDashboardPeople(report: WeeklyReport, view: ViewLocale): DashboardPeople {
  const dateTime = shortDateTime(view);
  const phone = (e164: string) => phoneForPeople(e164, view.country);
  const person = (who: { customerId: number; name: string | null; phone: string; at: number }): PersonToCall => ({
    id: who.customerId,
    name: who.name ?? phone(who.phone),
    phone: phone(who.phone),
    link: waMeLink(who.phone),
    at: dateTime.format(who.at),
  });
  return {
    detractors: report.attention.detractors.map((who) => ({ ...person(who), score: who.score, comment: who.comment })),
    questions: report.attention.questions.map((who) => ({ ...person(who), text: who.text })),
    referrals: report.referrals.people.map((who) => ({ name: who.name, phone: phone(who.phone), referrer: who.referrer })),
    // "MM-DD" → "DD/MM".
    birthdays: report.birthdays.map((who) => ({ id: who.customerId, name: who.name ?? phone(who.phone), day: who.monthDay.split('-').reverse().join('/') })),
  };
}
