import { z } from 'zod';
import type { ConsentChange, PurchaseItem } from '../domain/customer.js';
import { isCurrencyCode, minorDigits } from '../domain/money.js';
import { parseMoney } from '../domain/parse-money.js';
import { fields, type IntakeContext } from './fields.js';
import type { Validated } from '../domain/validation.js';
import { readPurchaseQuickly } from './purchase-fast-path.js';
import { MAX_ITEMS, MAX_QUANTITY, readPurchaseTime, sumItems, TEXT_LIMITS, type PhonelessPurchaseInput, type PurchaseInput } from './purchase-rules.js';
import { strictObject, validate } from './validate.js';

/** The body of POST /api/purchases, as documented in docs/api.md. */
export function purchaseSchema(ctx: IntakeContext) {
  return purchaseBodySchema(ctx, fields(ctx).phone);
}

/**
 * The body as the API's document states it: `customer.phone` may be left out or null (the purchase
 * then waits for its customer to write with the click-to-chat code, answered 202), as hasNoPhone
 * reads it. Only what is published: bodies are read by purchaseSchema or phonelessPurchaseSchema,
 * chosen by hasNoPhone.
 */
export function documentedPurchaseSchema(ctx: IntakeContext) {
  // The optional phone's output type differs from the reader's; the document needs only its shape.
  return purchaseBodySchema(ctx, fields(ctx).phone.nullable().optional() as unknown as z.ZodType<string, unknown>);
}

/**
 * The same body for a customer who gave no phone (the key left out): the
 * purchase waits in pending_purchases for its click-to-chat code.
 */
export function phonelessPurchaseSchema(ctx: IntakeContext) {
  return purchaseBodySchema(ctx, z.undefined().optional().transform(() => '')).transform(
    ({ customer: { phone: _phone, ...customer }, ...purchase }): PhonelessPurchaseInput => ({ ...purchase, customer }),
  );
}

function purchaseBodySchema(ctx: IntakeContext, phone: z.ZodType<string, unknown>) {
  const f = fields(ctx);
  // Prices as Brazilians type them ("R$ 1.039,90") or as programs send them (39.9);
  // the precision allowed depends on the currency, checked once the whole body is read.
  const amount = z.union([z.number(), z.string()]).superRefine((value, issue) => {
    const money = parseMoney(value, { currency: ctx.currency });
    if (!money.ok && money.reason !== 'too_precise' && money.reason !== 'too_large') issue.addIssue({ code: 'custom', input: value, message: f.t(`money.${money.reason}`, { value: String(value) }) });
  });
  const purchasedAt = z.string().transform((value, issue) => {
    const result = readPurchaseTime(value, ctx.clock.now());
    if (result.ok) return result.time;
    issue.addIssue({ code: 'custom', input: value, message: f.t(`datetime.${result.problem}`) });
    return z.NEVER;
  });

  const item = strictObject(
    {
      sku: f.text(TEXT_LIMITS.sku).optional(),
      name: f.text(TEXT_LIMITS.itemName),
      quantity: z.number().int().min(1).max(MAX_QUANTITY).default(1),
      unitPrice: amount.optional(),
    },
    ctx.locale,
  );

  const customer = strictObject(
    {
      phone,
      name: f.text(TEXT_LIMITS.customerName).optional(),
      birthday: f.birthday.optional(),
      email: f.email.optional(),
      consent: f.consent.optional(),
    },
    ctx.locale,
  );

  return strictObject(
    {
      externalId: z
        .union([z.string(), z.number().int().nonnegative()])
        .transform(String)
        .pipe(f.text(TEXT_LIMITS.externalId))
        .optional(),
      customer,
      items: z.array(item).min(1).max(MAX_ITEMS),
      total: amount.optional(),
      currency: z
        .string()
        .trim()
        .toUpperCase()
        .refine(isCurrencyCode, f.t('currency.unknown'))
        .optional(),
      purchasedAt: purchasedAt.optional(),
      source: f.text(TEXT_LIMITS.source).optional(),
    },
    ctx.locale,
  ).transform((body, issue): PurchaseInput => {
    const currency = body.currency ?? ctx.currency;
    const source = body.source ?? 'api';

    const toCents = (value: number | string | undefined, path: PropertyKey[]): number | null => {
      if (value === undefined) return null;
      const result = parseMoney(value, { currency });
      if (result.ok) return result.cents;
      issue.addIssue({ code: 'custom', path, input: value, message: f.t(`money.${result.reason}`, { digits: minorDigits(currency), value: String(value) }) });
      return null;
    };

    const items = body.items.map(
      (line, index): PurchaseItem => ({
        sku: line.sku ?? null,
        name: line.name,
        quantity: line.quantity,
        unitPriceCents: toCents(line.unitPrice, ['items', index, 'unitPrice']),
      }),
    );
    const given = toCents(body.total, ['total']);
    const totalCents = given ?? sumItems(items);

    const givenConsent = body.customer.consent;
    const consent: ConsentChange | undefined = givenConsent && {
      marketing: givenConsent.marketing,
      source: givenConsent.source ?? `purchase:${source}`,
      text: givenConsent.text ?? null,
    };

    return {
      externalId: body.externalId ?? null,
      customer: {
        phone: body.customer.phone,
        details: { name: body.customer.name, birthday: body.customer.birthday, email: body.customer.email },
        consent,
      },
      items,
      totalCents,
      currency,
      source,
      purchasedAt: body.purchasedAt ?? ctx.clock.now(),
    };
  });
}

/**
 * Reads a purchase body: the quick reader for bodies with nothing wrong, the
 * zod schema (with every problem, in the seller's language) otherwise. The
 * route passes the schema it also documents (OpenAPI) with.
 */
export function purchaseReader(ctx: IntakeContext, schema = purchaseSchema(ctx)): (body: unknown) => Validated<PurchaseInput> {
  return (body) => {
    const quick = readPurchaseQuickly(body, ctx);
    return quick ? { ok: true, value: quick } : validate(schema, body, ctx.locale);
  };
}

/**
 * True when the body's customer gave no phone (left out, null or blank): a
 * store's order without one. Checked before reading, so that the common case
 * keeps the quick reader.
 */
export function hasNoPhone(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const { customer } = body as { customer?: unknown };
  // An array is an object too, and spreading it drops what it holds: `customer: []` must be refused by the
  // reader as the wrong type, not taken as a customer without a phone (seed 1967411895 of the API fuzz).
  if (typeof customer !== 'object' || customer === null || Array.isArray(customer)) return false;
  const { phone } = customer as { phone?: unknown };
  return phone === undefined || phone === null || (typeof phone === 'string' && phone.trim() === '');
}

/** The phoneless body read with every problem reported, without the phone key whatever form it came in. */
export function phonelessPurchaseReader(ctx: IntakeContext, schema = phonelessPurchaseSchema(ctx)): (body: unknown) => Validated<PhonelessPurchaseInput> {
  return (body) => {
    const { customer, ...rest } = body as { customer: Record<string, unknown> };
    const { phone: _phone, ...given } = customer;
    return validate(schema, { ...rest, customer: given }, ctx.locale);
  };
}

export type { PhonelessPurchaseInput, PurchaseInput };
