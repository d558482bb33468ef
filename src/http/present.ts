import type { ConsentEvent, Customer, Message, Purchase } from '../domain/customer.js';
import { pad2 } from '../domain/dates.js';
import type { Run } from '../flows/run-types.js';
import type { StartedRun } from '../scheduler/flow-runner.js';
import type { Answer } from '../storage/repositories/answers.js';
import type { CustomerRecord } from '../storage/repositories/customer-record.js';
import type { Referral } from '../storage/repositories/referrals.js';

let lastTime = Number.NaN;
let lastIso = '';

/**
 * Epoch milliseconds to ISO 8601 (UTC): what the API shows for every time.
 * An answer often carries the same instant several times (created, updated,
 * purchased "now"), so the last one is kept; the others are written by isoTime.
 */
export function iso(time: number): string;
export function iso(time: number | null): string | null;
export function iso(time: number | null): string | null {
  if (time === null) return null;
  if (time !== lastTime) {
    lastIso = isoTime(time);
    lastTime = time;
  }
  return lastIso;
}

const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00.000Z: from there on (and before 1970) Date writes the year its own way. */
const YEAR_10000 = 253_402_300_800_000;

/**
 * What `new Date(time).toISOString()` gives, for a whole millisecond from 1970 to 9999, in a third
 * of its time (V8's date formatting goes through its runtime: 0.5 µs, three or four times per
 * purchase answered); any other time is left to Date. The calendar is Howard Hinnant's
 * civil_from_days (https://howardhinnant.github.io/date_algorithms.html).
 */
export function isoTime(time: number): string {
  if (!(time >= 0 && time < YEAR_10000) || !Number.isInteger(time)) return new Date(time).toISOString();
  const days = Math.floor(time / DAY_MS);
  let rest = time - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

export function presentCustomer(customer: Customer) {
  return {
    id: customer.id,
    phone: customer.phone,
    name: customer.name,
    birthday: customer.birthday,
    email: customer.email,
    tags: customer.tags,
    consent: {
      marketing: customer.consent.marketing,
      at: iso(customer.consent.at),
      source: customer.consent.source,
      text: customer.consent.text,
    },
    optedOutAt: iso(customer.optedOutAt),
    whatsappJid: customer.whatsappJid,
    handoffUntil: iso(customer.handoffUntil),
    automationPausedAt: iso(customer.automationPausedAt),
    stopReview: customer.stopReview === null ? null : { at: iso(customer.stopReview.at), text: customer.stopReview.text },
    suppressedAt: iso(customer.suppressedAt),
    warmAt: iso(customer.warmAt),
    coldRefusedAt: iso(customer.coldRefusedAt),
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
    erasedAt: iso(customer.erasedAt),
  };
}

export function presentPurchase(purchase: Purchase) {
  return {
    id: purchase.id,
    customerId: purchase.customerId,
    externalId: purchase.externalId,
    items: purchase.items,
    totalCents: purchase.totalCents,
    currency: purchase.currency,
    source: purchase.source,
    purchasedAt: iso(purchase.purchasedAt),
    createdAt: iso(purchase.createdAt),
  };
}

export function presentMessage(message: Message) {
  return {
    id: message.id,
    direction: message.direction,
    waId: message.waId,
    kind: message.kind,
    text: message.text,
    payload: message.payload,
    status: message.status,
    createdAt: iso(message.createdAt),
    sentAt: iso(message.sentAt),
    deliveredAt: iso(message.deliveredAt),
    readAt: iso(message.readAt),
    error: message.error,
  };
}

export function presentStartedRun(run: StartedRun) {
  return { id: run.id, flowId: run.flowId, flowVersion: run.flowVersion, occurrence: run.occurrence, wakeAt: iso(run.wakeAt) };
}

export function presentRun(run: Run) {
  return {
    id: run.id,
    flowId: run.flowId,
    occurrence: run.occurrence,
    status: run.status,
    stepId: run.stepId,
    wakeAt: iso(run.wakeAt),
    waitingFor: run.state.ask ? { stepId: run.state.ask.stepId, kind: run.state.ask.kind, timeoutAt: iso(run.state.ask.timeoutAt) } : null,
    answer: run.state.answer,
    endReason: run.endReason,
    createdAt: iso(run.createdAt),
    endedAt: iso(run.endedAt),
  };
}

export function presentConsentEvent(event: ConsentEvent) {
  return {
    purpose: event.purpose,
    state: event.state,
    at: iso(event.at),
    source: event.source,
    text: event.text,
  };
}

export function presentAnswer(answer: Answer) {
  return {
    id: answer.id,
    runId: answer.runId,
    stepId: answer.stepId,
    kind: answer.kind,
    value: answer.value,
    comment: answer.comment,
    messageWaId: answer.messageWaId,
    at: iso(answer.at),
  };
}

export function presentReferral(referral: Referral) {
  return {
    id: referral.id,
    name: referral.name,
    phone: referral.phone,
    createdAt: iso(referral.createdAt),
  };
}

/** The whole record as the API answers it (GET /api/customers/:id, ?phone=, the writes on one customer, the export). */
export function presentRecord(record: CustomerRecord) {
  return {
    customer: presentCustomer(record.customer),
    purchases: record.purchases.map(presentPurchase),
    messages: record.messages.map(presentMessage),
    consentHistory: record.consentHistory.map(presentConsentEvent),
    runs: record.runs.map(presentRun),
    answers: record.answers.map(presentAnswer),
    referrals: record.referrals.map(presentReferral),
  };
}
