import { z } from 'zod';
import type { ConsentChange, CustomerDetails, PurchaseItem } from '../domain/customer.js';
import { isCurrencyCode, parseDecimal, toMinorUnits } from '../domain/money.js';
import { fields, type IntakeContext } from './fields.js';
import { strictObject } from './validate.js';

/** A purchase after validation: phone in E.164, money in integer minor units, times in epoch ms. */
export interface PurchaseInput {
  externalId: string | null;
  customer: { phone: string; details: CustomerDetails; consent: ConsentChange | undefined };
  items: PurchaseItem[];
  totalCents: number | null;
  currency: string;
  source: string;
  purchasedAt: number;
}

const MAX_ITEMS = 500;
const FUTURE_TOLERANCE_MS = 5 * 60_000; // shop systems' clocks drift a little
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The body of POST /api/purchases, as documented in docs/api.md. */
export function purchaseSchema(ctx: IntakeContext) {
  const f = fields(ctx);
  // The precision allowed depends on the currency, checked once the whole body is read.
  const amount = z.union([z.number(), z.string()]).superRefine((value, issue) => {
    const decimal = parseDecimal(value);
    if (!decimal.ok) issue.addIssue({ code: 'custom', input: value, message: f.t(`money.${decimal.problem}`) });
  });
  const purchasedAt = z.string().transform((value, issue) => {
    const parsed = ISO_DATETIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(parsed) || parsed < Date.UTC(2000, 0, 1)) {
      issue.addIssue({ code: 'custom', input: value, message: f.t('datetime.invalid') });
    } else if (parsed > ctx.clock.now() + FUTURE_TOLERANCE_MS) {
      issue.addIssue({ code: 'custom', input: value, message: f.t('datetime.in_future') });
    }
    return parsed;
  });

  const item = strictObject(
    {
      sku: f.text(100).optional(),
      name: f.text(300),
      quantity: z.number().int().min(1).max(100_000).default(1),
      unitPrice: amount.optional(),
    },
    ctx.locale,
  );

  const customer = strictObject(
    {
      phone: f.phone,
      name: f.text(200).optional(),
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
        .pipe(f.text(200))
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
      source: f.text(50).optional(),
    },
    ctx.locale,
  ).transform((body, issue): PurchaseInput => {
    const currency = body.currency ?? ctx.currency;
    const source = body.source ?? 'api';

    const toCents = (value: number | string | undefined, path: PropertyKey[]): number | null => {
      if (value === undefined) return null;
      const result = toMinorUnits(value, currency);
      if (result.ok) return result.minor;
      issue.addIssue({ code: 'custom', path, input: value, message: f.t(`money.${result.problem}`, { digits: result.digits }) });
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

/** The total when every line has a price; unknown (null) otherwise. */
function sumItems(items: PurchaseItem[]): number | null {
  let total = 0;
  for (const item of items) {
    if (item.unitPriceCents === null) return null;
    total += item.unitPriceCents * item.quantity;
  }
  return Number.isSafeInteger(total) ? total : null;
}
