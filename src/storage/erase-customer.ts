import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ErasedStats } from '../domain/customer.js';
import { phoneWithoutNinthDigit } from '../domain/phone.js';
import type { Database } from './db.js';

/** What stands in for an erased person wherever someone else's record mentioned them. */
export const ERASED_MARK = '[apagado]';

/** Tables that never hold a person: the migrations' own, sign-in sessions, flow definitions, the shop's own WhatsApp credentials. */
const NEVER_ABOUT_A_PERSON = new Set(['__drizzle_migrations', 'sessions', 'flow_versions', 'whatsapp_creds']);
/**
 * Other customers' own rows: the person's row is emptied above, and a namesake's name is theirs,
 * not a mention of the person.
 */
const OTHER_PEOPLE = new Set(['customers']);
/** Texts shorter than this are too common to be the person's own words ("ok", "sim", "obrigada"). */
const OWN_WORDS_MIN = 12;
/** A quote of the person's words may be cut ("…"): its start is matched too. */
const QUOTE_PREFIX = 40;

/**
 * Erases a person (LGPD art. 18, VI), all of it, in one transaction:
 * - their own rows: messages, answers, runs, queued and sent messages,
 *   referrals they gave and were given, consent history, what the WhatsApp
 *   adapter kept of their number (the LID table, Baileys' own lid-mapping,
 *   signal sessions, device lists and trust tokens, sent messages);
 * - every mention of them in rows that are someone else's (a friend's
 *   contact card, a referral answer, a run's state, an owner alert, a weekly
 *   summary): their number in any written form, their name and their own
 *   words become "[apagado]", so that the other records stay readable;
 * - the customer row becomes an anonymous tombstone with counts.
 * The scan covers every text column of every table, so a column added later
 * is covered without anyone remembering it here. With secure_delete on (see
 * openDatabase) freed pages are zeroed, and the caller checkpoints the WAL.
 * `remember` is told the number first when the person had opted out, so that
 * their objection outlives their data (the suppression list).
 */
export function eraseCustomer(db: Database, id: number, now: number, remember?: (phone: string, at: number) => void): ErasedStats {
  const { sqlite } = db;
  return db.transaction(() => {
    const person = sqlite
      .prepare<[number], { phone: string | null; name: string | null; email: string | null; optedOutAt: number | null }>(
        'SELECT phone, name, email, opted_out_at AS optedOutAt FROM customers WHERE id = ?',
      )
      .get(id);
    const counts = sqlite
      .prepare<[number], { messagesIn: number; messagesOut: number }>(
        "SELECT coalesce(sum(direction = 'in'), 0) AS messagesIn, coalesce(sum(direction = 'out'), 0) AS messagesOut FROM messages WHERE customer_id = ?",
      )
      .get(id);
    const stats: ErasedStats = {
      messagesIn: counts?.messagesIn ?? 0,
      messagesOut: counts?.messagesOut ?? 0,
      consentEvents: sqlite.prepare<[number], number>('SELECT count(*) FROM consent_events WHERE customer_id = ?').pluck().get(id) ?? 0,
    };
    if (person?.phone && person.optedOutAt !== null) remember?.(person.phone, now);
    const needles = person?.phone ? needlesOf(db, id, person.phone, person.name, person.email) : { phrases: [], names: [], whatsapp: [] };

    // The person's own rows.
    sqlite.prepare('DELETE FROM whatsapp_sent WHERE wa_id IN (SELECT wa_id FROM messages WHERE customer_id = ?)').run(id);
    sqlite.prepare('DELETE FROM outbox WHERE customer_id = ?').run(id);
    sqlite.prepare('DELETE FROM referrals WHERE referrer_customer_id = ?').run(id);
    sqlite.prepare('DELETE FROM answers WHERE customer_id = ?').run(id);
    sqlite.prepare('DELETE FROM flow_runs WHERE customer_id = ?').run(id);
    sqlite.prepare('DELETE FROM messages WHERE customer_id = ?').run(id);
    sqlite.prepare('DELETE FROM consent_events WHERE customer_id = ?').run(id);
    if (person?.phone) {
      sqlite.prepare('DELETE FROM whatsapp_lids WHERE phone = ?').run(person.phone);
      const old = phoneWithoutNinthDigit(person.phone);
      if (old) sqlite.prepare('DELETE FROM whatsapp_lids WHERE phone = ?').run(old);
      sqlite.prepare('DELETE FROM referrals WHERE phone = ?').run(person.phone);
    }
    sqlite
      .prepare(
        `UPDATE customers SET phone = NULL, name = NULL, birthday = NULL, email = NULL, tags = '[]', consent_marketing = 'unknown',
           consent_at = NULL, consent_source = NULL, consent_text = NULL, opted_out_at = NULL, whatsapp_jid = NULL,
           handoff_until = NULL, automation_paused_at = NULL, stop_review_at = NULL, stop_review_text = NULL,
           updated_at = ?, erased_at = ?, erased_stats = ? WHERE id = ?`,
      )
      .run(now, now, JSON.stringify(stats), id);

    // Everywhere else: WhatsApp's session keys that name the number or its LID go; other texts are scrubbed.
    if (needles.whatsapp.length > 0) deleteWhatsAppKeys(db, needles.whatsapp);
    if (needles.phrases.length > 0 || needles.names.length > 0) scrubEverywhere(db, needles);
    return stats;
  });
}

interface Needles {
  /** Matched anywhere: numbers in every written form, the e-mail, the person's own words. */
  phrases: string[];
  /** Matched as whole words only (a name inside another word is not the name). */
  names: string[];
  /** What identifies the number in WhatsApp's key store: the phone's digits (both forms) and LID users. */
  whatsapp: string[];
}

function needlesOf(db: Database, id: number, phone: string, name: string | null, email: string | null): Needles {
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

/** Baileys' key store names people by their number or LID: lid-mapping, sessions, device lists, trust tokens. */
function deleteWhatsAppKeys(db: Database, users: string[]): void {
  const rows = db.sqlite.prepare<[], { type: string; id: string; value: string }>('SELECT type, id, value FROM whatsapp_keys').all();
  const remove = db.sqlite.prepare('DELETE FROM whatsapp_keys WHERE type = ? AND id = ?');
  for (const row of rows) {
    if (users.some((user) => mentionsUser(row.id, user) || mentionsUser(row.value, user))) remove.run(row.type, row.id);
  }
}

/** The user as a whole number: "5511912345678" in "5511912345678.0" or "\"5511912345678\"", not inside a longer number. */
function mentionsUser(text: string, user: string): boolean {
  let at = text.indexOf(user);
  while (at >= 0) {
    const before = text[at - 1];
    const after = text[at + user.length];
    if (!(before && /\d/.test(before)) && !(after && /\d/.test(after))) return true;
    at = text.indexOf(user, at + 1);
  }
  return false;
}

interface Column {
  table: string;
  name: string;
  /** Part of the primary key or a unique index: such a row is removed, never rewritten. */
  key: boolean;
}

/** Every text column of every table that can hold a person, read from the schema itself. */
function textColumns(db: Database): Column[] {
  const tables = db.sqlite
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all()
    .filter((table) => !NEVER_ABOUT_A_PERSON.has(table) && !OTHER_PEOPLE.has(table) && table !== 'whatsapp_keys');
  return tables.flatMap((table) => {
    const keyed = new Set<string>();
    for (const index of db.sqlite.prepare<[], { name: string; unique: number }>(`PRAGMA index_list("${table}")`).all()) {
      if (index.unique !== 1) continue;
      for (const column of db.sqlite.prepare<[], { name: string | null }>(`PRAGMA index_info("${index.name}")`).all()) if (column.name) keyed.add(column.name);
    }
    return db.sqlite
      .prepare<[], { name: string; type: string; pk: number }>(`PRAGMA table_info("${table}")`)
      .all()
      .filter((column) => column.type.toUpperCase() === 'TEXT' || column.type === '' || column.type.toUpperCase() === 'BLOB')
      .map((column) => ({ table, name: column.name, key: column.pk > 0 || keyed.has(column.name) }));
  });
}

function scrubEverywhere(db: Database, needles: Needles): void {
  // Each needle as written, and as it is written inside a JSON string (payloads, states, metrics).
  const phrases = [...new Set(needles.phrases.flatMap((phrase) => [phrase, JSON.stringify(phrase).slice(1, -1)]))];
  const names = [...new Set(needles.names.flatMap((name) => [name, JSON.stringify(name).slice(1, -1)]))];
  const all = [...phrases, ...names];
  const nameRes = names.map((name) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, 'gu'));
  const scrub = (text: string): string => {
    let out = text;
    // Longest first: a form that contains another ("+5511912345678" and "5511912345678") goes whole.
    for (const phrase of [...phrases].sort((a, b) => b.length - a.length)) out = out.split(phrase).join(ERASED_MARK);
    for (const re of nameRes) out = out.replace(re, ERASED_MARK);
    return out;
  };

  // A person mentioned in many rows of one table: each shape of statement is prepared once.
  const prepared = new Map<string, ReturnType<Database['sqlite']['prepare']>>();
  const statement = (text: string) => {
    let found = prepared.get(text);
    if (!found) prepared.set(text, (found = db.sqlite.prepare(text)));
    return found;
  };
  const byTable = new Map<string, Column[]>();
  for (const column of textColumns(db)) byTable.set(column.table, [...(byTable.get(column.table) ?? []), column]);
  for (const [table, columns] of byTable) {
    const params = Object.fromEntries(all.map((needle, index) => [`n${index}`, needle]));
    const where = columns.flatMap((column) => all.map((_needle, index) => `instr("${column.name}", @n${index}) > 0`)).join(' OR ');
    const rows = db.sqlite.prepare<Record<string, string>, Record<string, unknown>>(`SELECT rowid AS "__rowid", * FROM "${table}" WHERE ${where}`).all(params);
    for (const row of rows) {
      const changes = new Map<string, string>();
      let keyHit = false;
      for (const column of columns) {
        const value = row[column.name];
        if (typeof value !== 'string') continue;
        const scrubbed = scrub(value);
        if (scrubbed === value) continue;
        if (column.key) keyHit = true;
        changes.set(column.name, scrubbed);
      }
      if (keyHit) {
        statement(`DELETE FROM "${table}" WHERE rowid = @rowid`).run({ rowid: row.__rowid });
      } else if (changes.size > 0) {
        const sets = [...changes.keys()].map((name, index) => `"${name}" = @v${index}`).join(', ');
        const values = Object.fromEntries([...changes.values()].map((value, index) => [`v${index}`, value]));
        statement(`UPDATE "${table}" SET ${sets} WHERE rowid = @rowid`).run({ ...values, rowid: row.__rowid });
      }
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
