import { isCountryCode, normalizePhone } from '../../domain/phone.js';
import type { FieldIssue } from '../../domain/validation.js';
import type { RouteContext } from '../../http/routes/context.js';
import { translate } from '../../i18n/index.js';
import { purchaseReader } from '../../intake/purchase-input.js';
import type { PurchaseInput } from '../../intake/purchase-rules.js';
import { recordPurchase } from '../../intake/record-purchase.js';
import type { WebhookEvent, WebhookPlatform, WebhookStatus } from '../../storage/repositories/webhook-events.js';

// The one path of every store platform's order into the intake: the platform's adapter maps its
// order to the body POST /api/purchases reads, and from there it is that route's reader and
// recordPurchase, with the same enrolment in the flows. What a webhook became is a
// webhook_events row, whatever it was.

/** What the webhook path needs of the app: the same context the /api routes get. */
export type IntakeDeps = Pick<RouteContext, 'repos' | 'writes' | 'clock' | 'intake' | 'flows'>;

/** A number the order gives for the customer, with the country of the address it came with. */
export interface PhoneCandidate {
  value: string | undefined;
  /** ISO 3166 code of that address ("BR"); otherwise DEFAULT_COUNTRY decides. */
  country?: string | undefined;
}

/** A platform's order as the body of POST /api/purchases, its phone still to be chosen. */
export interface MappedOrder {
  /** In the platform's order of preference: the first usable one is the customer's. */
  phones: PhoneCandidate[];
  body: {
    externalId: string;
    customer: Record<string, unknown>;
    items: unknown[];
    total?: unknown;
    currency?: unknown;
    purchasedAt?: unknown;
    source: string;
  };
}

export interface OrderAdapter {
  platform: WebhookPlatform;
  /** The platform's own id of the order, as text; null when the body names none. */
  orderRef(order: Record<string, unknown>): string | null;
  /** Why this webhook records nothing (a topic or an order status not taken), or null to take it. */
  ignored(topic: string, order: Record<string, unknown>): string | null;
  map(order: Record<string, unknown>): MappedOrder;
}

/** What a webhook became: its row's final status, why, and the purchase. */
export interface WebhookOutcome {
  status: Extract<WebhookStatus, 'recorded' | 'duplicate' | 'skipped'>;
  reason: string | null;
  purchaseId: number | null;
  /** For `invalid_order`: every problem, with its path, as POST /api/purchases would answer them. */
  issues?: FieldIssue[];
}

/** A body that is not an order at all: answered 400 and not stored. */
export type ParsedBody = { ok: true; order: Record<string, unknown> } | { ok: false; problem: 'invalid_json' | 'not_an_object'; detail: string };

/** The order in a body, every integer past 2^53 kept as the text it was written as (quoteUnsafeIntegers). */
export function parseOrder(text: string): ParsedBody {
  return parseObject(text, quoteUnsafeIntegers);
}

/**
 * The order in a body by JSON.parse alone: an integer past 2^53 comes out rounded. For a body read
 * where it arrives (the webhook routes), whose reading takeOrder checks: scanning every body for
 * long numbers costs as much as parsing it, and most orders have none that fregues reads.
 */
export function parseOrderQuickly(text: string): ParsedBody {
  return parseObject(text, (same) => same);
}

function parseObject(text: string, prepare: (text: string) => string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(prepare(text));
  } catch (error) {
    return { ok: false, problem: 'invalid_json', detail: error instanceof Error ? error.message : String(error) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problem: 'not_an_object', detail: Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value };
  }
  return { ok: true, order: value as Record<string, unknown> };
}

/**
 * Shopify's ids go past 2^53 (its documented sample order is 820982911946154508): JSON.parse would
 * round them, and two orders could become one. Integers that a double cannot hold are read as
 * the text they were written as; only number tokens are touched, never the inside of a string.
 */
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let from = 0;
  // Whether the text before `at` ends inside a string, found by jumping from quote to quote.
  let at = 0;
  let inString = false;
  for (const match of text.matchAll(LONG_DIGITS)) {
    let quote = text.indexOf('"', at);
    while (quote !== -1 && quote < match.index) {
      if (!inString || !isEscaped(text, quote)) inString = !inString;
      quote = text.indexOf('"', quote + 1);
    }
    at = match.index;
    const token = match[0];
    if (inString || /[\d.eE+-]/.test(text[match.index - 1] ?? '') || /[.eE]/.test(text[match.index + token.length] ?? '')) continue;
    if (Number.isSafeInteger(Number(token))) continue;
    out += `${text.slice(from, match.index)}"${token}"`;
    from = match.index + token.length;
  }
  return from === 0 ? text : out + text.slice(from);
}

const LONG_DIGITS = /-?\d{16,}/g;

/** A quote preceded by an odd number of backslashes is part of the string. */
function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * Optional details a store may send in a shape we cannot use (an e-mail without a domain, a unit
 * price with a third decimal, a clock in the future): left out rather than losing the sale.
 */
const DROPPABLE = /^(customer\.(name|email)|items\.\d+\.(unitPrice|sku)|total|purchasedAt)$/;

type Decision = { take: true; input: PurchaseInput } | { take: false; outcome: WebhookOutcome };

/** Pure: what the order would become (nothing is written). */
export function decideOrder(
  deps: Pick<IntakeDeps, 'intake'>,
  adapter: OrderAdapter,
  topic: string,
  order: Record<string, unknown>,
  orderRef = adapter.orderRef(order),
): Decision {
  const skip = (reason: string, issues?: FieldIssue[]): Decision => ({
    take: false,
    outcome: { status: 'skipped', reason, purchaseId: null, ...(issues ? { issues } : {}) },
  });
  const ignored = adapter.ignored(topic, order);
  if (ignored !== null) return skip(ignored);
  if (orderRef === null) return skip('invalid_order', [{ path: 'id', message: translate(deps.intake.locale, 'field.required') }]);
  const mapped = adapter.map(order);
  const phone = choosePhone(mapped.phones, deps.intake.defaultCountry);
  if (phone === undefined) return skip('no_phone');

  const read = readerFor(deps.intake);
  // The mapping is this call's own: its customer takes the phone chosen.
  const { body } = mapped;
  body.customer.phone = phone;
  let result = read(body);
  if (!result.ok && result.issues.every((issue) => DROPPABLE.test(issue.path))) {
    result = read(withoutPaths(body, result.issues.map((issue) => issue.path)));
  }
  return result.ok ? { take: true, input: result.value } : skip('invalid_order', result.issues);
}

/** Building the purchase schema costs more than reading an order with it: one per app. */
const readers = new WeakMap<IntakeDeps['intake'], ReturnType<typeof purchaseReader>>();

function readerFor(intake: IntakeDeps['intake']): ReturnType<typeof purchaseReader> {
  let reader = readers.get(intake);
  if (!reader) readers.set(intake, (reader = purchaseReader(intake)));
  return reader;
}

/** The first candidate that is a number WhatsApp can reach, in E.164. */
function choosePhone(candidates: PhoneCandidate[], defaultCountry: IntakeDeps['intake']['defaultCountry']): string | undefined {
  for (const { value, country } of candidates) {
    if (value === undefined || value.trim() === '') continue;
    const region = country?.toUpperCase();
    const result = normalizePhone(value, region !== undefined && isCountryCode(region) ? region : defaultCountry);
    if (result.ok) return result.e164;
  }
  return undefined;
}

function withoutPaths(body: MappedOrder['body'] & { customer: Record<string, unknown> }, paths: string[]): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split('.');
    let holder: unknown = copy;
    for (const part of parts.slice(0, -1)) holder = (holder as Record<string, unknown> | undefined)?.[part];
    if (typeof holder === 'object' && holder !== null) delete (holder as Record<string, unknown>)[parts.at(-1)!];
  }
  return copy;
}

/**
 * Records the order (or why not) and the webhook's row in one commit. A repeated webhook finds its
 * purchase by externalId: nothing changes, and the row says `duplicate`.
 *
 * `order` may come from parseOrderQuickly: when what fregues took of it (the order's id, a SKU, a
 * phone, an amount) holds a number of 16 digits or more, JSON.parse may have rounded it — Shopify's
 * own sample orders have 18-digit ids — and the order is read again from `body` by parseOrder.
 */
export async function takeOrder(
  deps: IntakeDeps,
  adapter: OrderAdapter,
  received: { topic: string; body: string; order: Record<string, unknown> },
): Promise<{ event: WebhookEvent; outcome: WebhookOutcome }> {
  let read = readOrder(deps, adapter, received.topic, received.order);
  if (read.longNumbers) {
    const exact = parseOrder(received.body);
    if (exact.ok) read = readOrder(deps, adapter, received.topic, exact.order);
  }
  const { decision, orderRef } = read;
  return deps.writes.run(() => {
    const now = deps.clock.now();
    const outcome = applyDecision(deps, decision, now);
    const event = deps.repos.webhookEvents.record({
      platform: adapter.platform,
      topic: received.topic,
      orderRef,
      body: received.body,
      receivedAt: now,
      status: outcome.status,
      reason: outcome.reason,
      purchaseId: outcome.purchaseId,
    });
    return { event, outcome };
  });
}

/**
 * What fregues takes of an order, and whether any of it is a number of 16 digits or more (written as
 * one, or as text): the order's id, and what a taken order records (a skipped one records nothing else).
 */
function readOrder(deps: IntakeDeps, adapter: OrderAdapter, topic: string, order: Record<string, unknown>) {
  const orderRef = adapter.orderRef(order);
  const decision = decideOrder(deps, adapter, topic, order, orderRef);
  const longNumbers = hasLongNumber(orderRef) || (decision.take && hasLongNumber(decision.input));
  return { orderRef, decision, longNumbers };
}

/** Whether a value holds an integer past 2^53 or a text with a run of 16 digits (what such an integer becomes as text). */
export function hasLongNumber(value: unknown): boolean {
  if (typeof value === 'string') return value.length >= 16 && /\d{16}/.test(value);
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => hasLongNumber(item));
  for (const key in value) if (hasLongNumber((value as Record<string, unknown>)[key])) return true;
  return false;
}

function applyDecision(deps: IntakeDeps, decision: Decision, now: number): WebhookOutcome {
  if (!decision.take) return decision.outcome;
  const result = recordPurchase(deps.repos, decision.input, now, deps.flows?.enroll);
  return { status: result.outcome === 'created' ? 'recorded' : 'duplicate', reason: null, purchaseId: result.purchase.id };
}

export type ReplayResult =
  | { ok: true; event: WebhookEvent; outcome: WebhookOutcome }
  | { ok: false; problem: 'not_found' | 'not_replayable' | 'already_purchase' | 'invalid_json' | 'not_an_object' };

/**
 * Runs a stored webhook through the same path again (the Integrações page's button): its row
 * gets the new outcome. Its signature was checked when it arrived. Only platforms whose webhook
 * carries the order can be replayed here (`adapters`); the others answer `not_replayable`, and a
 * webhook whose order already is a purchase (its body not kept) `already_purchase`.
 */
export async function replayStoredWebhook(deps: IntakeDeps, adapters: readonly OrderAdapter[], id: number): Promise<ReplayResult> {
  const stored = deps.repos.webhookEvents.find(id);
  if (!stored) return { ok: false, problem: 'not_found' };
  const adapter = adapters.find((candidate) => candidate.platform === stored.platform);
  if (!adapter) return { ok: false, problem: 'not_replayable' };
  // Its order is a purchase and its body is not kept: a replay could only find that purchase again.
  if (stored.body === null) return { ok: false, problem: 'already_purchase' };
  const parsed = parseOrder(stored.body);
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  return { ok: true, ...(await settleStoredOrder(deps, adapter, stored, parsed.order)) };
}

/**
 * The order of a webhook whose row is already stored (a replay, or Nuvemshop's order fetched
 * behind its webhook) through the shared path: the outcome and the row's update in one commit.
 */
export function settleStoredOrder(
  deps: IntakeDeps,
  adapter: OrderAdapter,
  row: { id: number; topic: string },
  order: Record<string, unknown>,
): Promise<{ event: WebhookEvent; outcome: WebhookOutcome }> {
  const decision = decideOrder(deps, adapter, row.topic, order);
  return deps.writes.run(() => {
    const now = deps.clock.now();
    const outcome = applyDecision(deps, decision, now);
    deps.repos.webhookEvents.finish(row.id, outcome.status, outcome.reason, outcome.purchaseId, now);
    return { event: deps.repos.webhookEvents.find(row.id)!, outcome };
  });
}
