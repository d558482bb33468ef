import { z } from 'zod';
import type { ConsentChange, CustomerDetails, PurchaseItem } from '../domain/customer.js';
import { parseBirthday } from '../domain/dates.js';
import { isCurrencyCode } from '../domain/money.js';
import { parseMoney } from '../domain/parse-money.js';
import { CONSENT_LIMITS, cleanText, EMAIL_MAX, readPhone, type IntakeContext } from './fields.js';
import { MAX_ITEMS, MAX_QUANTITY, readPurchaseTime, sumItems, TEXT_LIMITS, type PurchaseInput } from './purchase-rules.js';

/**
 * The purchase body read without zod, for the common case of a body with
 * nothing wrong in it: zod's generic walk over the schema was the largest
 * cost of intake (see docs/performance.md). It gives up (undefined) at the
 * first doubt, and the zod schema then reads the body and reports every
 * problem. It uses the same field readers as the schema, and a property test
 * holds it to the schema's result for every body it accepts.
 */
export function readPurchaseQuickly(body: unknown, ctx: IntakeContext): PurchaseInput | undefined {
  if (!isPlainObject(body) || !hasOnlyKeys(body, BODY_KEYS)) return undefined;

  const currency = body.currency === undefined ? ctx.currency : readCurrency(body.currency);
  const customer = readCustomer(body.customer, ctx);
  if (currency === undefined || customer === undefined) return undefined;

  const { items: rawItems } = body;
  if (!Array.isArray(rawItems) || rawItems.length < 1 || rawItems.length > MAX_ITEMS) return undefined;
  const items: PurchaseItem[] = [];
  for (const raw of rawItems) {
    const item = readItem(raw, currency);
    if (item === undefined) return undefined;
    items.push(item);
  }

  let externalId: string | null = null;
  if (body.externalId !== undefined) {
    const raw = body.externalId;
    if (typeof raw === 'number' && !(Number.isSafeInteger(raw) && raw >= 0)) return undefined;
    if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
    const text = readText(String(raw), TEXT_LIMITS.externalId);
    if (text === undefined) return undefined;
    externalId = text;
  }

  let totalCents: number | null;
  if (body.total === undefined) totalCents = sumItems(items);
  else {
    const given = readMoney(body.total, currency);
    if (given === undefined) return undefined;
    totalCents = given;
  }

  let purchasedAt = ctx.clock.now();
  if (body.purchasedAt !== undefined) {
    if (typeof body.purchasedAt !== 'string') return undefined;
    const time = readPurchaseTime(body.purchasedAt, purchasedAt);
    if (!time.ok) return undefined;
    purchasedAt = time.time;
  }

  let source = 'api';
  if (body.source !== undefined) {
    const text = typeof body.source === 'string' ? readText(body.source, TEXT_LIMITS.source) : undefined;
    if (text === undefined) return undefined;
    source = text;
  }

  const consent: ConsentChange | undefined = customer.consent && {
    marketing: customer.consent.marketing,
    source: customer.consent.source ?? `purchase:${source}`,
    text: customer.consent.text ?? null,
  };
  return {
    externalId,
    customer: { phone: customer.phone, details: customer.details, consent },
    items,
    totalCents,
    currency,
    source,
    purchasedAt,
  };
}

const BODY_KEYS = new Set(['externalId', 'customer', 'items', 'total', 'currency', 'purchasedAt', 'source']);
const CUSTOMER_KEYS = new Set(['phone', 'name', 'birthday', 'email', 'consent']);
const ITEM_KEYS = new Set(['sku', 'name', 'quantity', 'unitPrice']);
const CONSENT_KEYS = new Set(['marketing', 'source', 'text']);
const EMAIL = z.regexes.email;

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function hasOnlyKeys(value: Plain, allowed: Set<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

function readText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = cleanText(value);
  return text.length >= 1 && text.length <= max ? text : undefined;
}

function readCurrency(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const code = value.trim().toUpperCase();
  return isCurrencyCode(code) ? code : undefined;
}

function readMoney(value: unknown, currency: string): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  // The same reader as the schema's: "39.90" and 39.9 take its quick path, "R$ 39,90" its full one.
  const result = parseMoney(value, { currency });
  return result.ok ? result.cents : undefined;
}

function readItem(raw: unknown, currency: string): PurchaseItem | undefined {
  if (!isPlainObject(raw) || !hasOnlyKeys(raw, ITEM_KEYS)) return undefined;
  const name = readText(raw.name, TEXT_LIMITS.itemName);
  if (name === undefined) return undefined;
  let sku: string | null = null;
  if (raw.sku !== undefined) {
    const text = readText(raw.sku, TEXT_LIMITS.sku);
    if (text === undefined) return undefined;
    sku = text;
  }
  let quantity = 1;
  if (raw.quantity !== undefined) {
    const q = raw.quantity;
    if (typeof q !== 'number' || !Number.isSafeInteger(q) || q < 1 || q > MAX_QUANTITY) return undefined;
    quantity = q;
  }
  let unitPriceCents: number | null = null;
  if (raw.unitPrice !== undefined) {
    const cents = readMoney(raw.unitPrice, currency);
    if (cents === undefined) return undefined;
    unitPriceCents = cents;
  }
  return { sku, name, quantity, unitPriceCents };
}

interface QuickCustomer {
  phone: string;
  details: CustomerDetails;
  consent: { marketing: boolean; source: string | undefined; text: string | undefined } | undefined;
}

function readCustomer(raw: unknown, ctx: IntakeContext): QuickCustomer | undefined {
  if (!isPlainObject(raw) || !hasOnlyKeys(raw, CUSTOMER_KEYS)) return undefined;
  const { phone: rawPhone } = raw;
  let given: string | number;
  if (typeof rawPhone === 'string') given = rawPhone;
  else if (typeof rawPhone === 'number' && Number.isSafeInteger(rawPhone) && rawPhone >= 0) given = rawPhone;
  else return undefined;
  const phone = readPhone(given, ctx);
  if (!phone.ok) return undefined;

  const details: CustomerDetails = { name: undefined, birthday: undefined, email: undefined };
  if (raw.name !== undefined) {
    details.name = readText(raw.name, TEXT_LIMITS.customerName);
    if (details.name === undefined) return undefined;
  }
  if (raw.birthday !== undefined) {
    if (typeof raw.birthday !== 'string') return undefined;
    const birthday = parseBirthday(raw.birthday, new Date(ctx.clock.now()));
    if (!birthday.ok) return undefined;
    details.birthday = birthday.value;
  }
  if (raw.email !== undefined) {
    if (typeof raw.email !== 'string') return undefined;
    const email = raw.email.trim().toLowerCase();
    if (email.length > EMAIL_MAX || !EMAIL.test(email)) return undefined;
    details.email = email;
  }

  let consent: QuickCustomer['consent'];
  if (raw.consent !== undefined) {
    const stated = raw.consent;
    if (!isPlainObject(stated) || !hasOnlyKeys(stated, CONSENT_KEYS) || typeof stated.marketing !== 'boolean') return undefined;
    const source = stated.source === undefined ? undefined : readText(stated.source, CONSENT_LIMITS.source);
    const text = stated.text === undefined ? undefined : readText(stated.text, CONSENT_LIMITS.text);
    if ((stated.source !== undefined && source === undefined) || (stated.text !== undefined && text === undefined)) return undefined;
    consent = { marketing: stated.marketing, source, text };
  }
  return { phone: phone.e164, details, consent };
}
