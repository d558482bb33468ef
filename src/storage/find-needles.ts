import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { phoneWithoutNinthDigit } from '../domain/phone.js';
import type { Database } from './db.js';

/** Texts shorter than this are too common to be the person's own words ("ok", "sim", "obrigada"). */
const OWN_WORDS_MIN = 12;
/** A quote of the person's words may be cut ("…"): its start is matched too. */
const QUOTE_PREFIX = 40;

export interface Needles {
  /** Matched anywhere: numbers in every written form, the e-mail, the person's own words. */
  phrases: string[];
  /** Matched as whole words only (a name inside another word is not the name). */
  names: string[];
  /** What identifies the number in WhatsApp's key store: the phone's digits (both forms) and LID users. */
  whatsapp: string[];
}

export interface Person {
  phone: string | null;
  name: string | null;
  email: string | null;
}

/**
 * How the person is written in others' rows: read from their own rows, so before those are
 * deleted. Without a number (already erased) there is nothing to look for.
 */
export function findNeedles(db: Database, id: number, person: Person | undefined): Needles {
  if (!person?.phone) return { phrases: [], names: [], whatsapp: [] };
  const { phone, name, email } = person;
  const { sqlite } = db;
  const phrases = new Set<string>(phoneForms(phone));
  const old = phoneWithoutNinthDigit(phone);
  if (old) for (const form of phoneForms(old)) phrases.add(form);
  if (email && email.length >= 5) phrases.add(email);

  // Their own words: what they wrote, and the comments of their answers (quoted in weekly summaries).
  const words = [
    ...sqlite.prepare<[number], string>("SELECT text FROM messages WHERE customer_id = ? AND direction = 'in' AND text IS NOT NULL").pluck().all(id),
    ...sqlite.prepare<[number], string>('SELECT comment FROM answers WHERE customer_id = ? AND comment IS NOT NULL').pluck().all(id),
    ...sqlite.prepare<[number], string>('SELECT text FROM consent_events WHERE customer_id = ? AND text IS NOT NULL').pluck().all(id),
  ];
  for (const text of words) {
    const trimmed = text.trim();
    if (trimmed.length < OWN_WORDS_MIN) continue;
    phrases.add(trimmed);
    if (trimmed.length > QUOTE_PREFIX) phrases.add(trimmed.slice(0, QUOTE_PREFIX));
  }

  // Names: theirs, and the names others gave them when recommending them (a contact card's name).
  const names = new Set<string>();
  const addName = (value: string | null | undefined) => {
    const trimmed = value?.trim() ?? '';
    if (trimmed.length >= 4) names.add(trimmed);
  };
  addName(name);
  for (const given of sqlite.prepare<[string], string | null>('SELECT name FROM referrals WHERE phone = ?').pluck().all(phone)) addName(given);

  const digits = [phone, old].filter((form): form is string => form !== null).map((form) => form.slice(1));
  const lids = sqlite
    .prepare<[string, string], string>('SELECT lid FROM whatsapp_lids WHERE phone = ? OR phone = ?')
    .pluck()
    .all(phone, old ?? phone)
    .map((lid) => lid.split('@')[0]!.split(':')[0]!);
  return { phrases: [...phrases], names: [...names], whatsapp: [...new Set([...digits, ...lids])].filter((value) => value.length >= 8) };
}

/** A number as people, WhatsApp and our own pages write it. */
function phoneForms(e164: string): string[] {
  const digits = e164.slice(1);
  const forms = new Set([e164, digits]);
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed) {
    const national = parsed.formatNational();
    forms.add(national);
    forms.add(parsed.formatInternational());
    forms.add(parsed.nationalNumber);
    // "(11) 91234-5678" is also written "11 91234-5678" and "91234-5678".
    forms.add(national.replace(/[()]/g, ''));
    const local = /\d{4,5}-\d{4}$/.exec(national)?.[0];
    if (local) forms.add(local);
  }
  return [...forms].filter((form) => form.replace(/\D/g, '').length >= 8);
}
