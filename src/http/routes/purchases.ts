import type { FastifyInstance } from 'fastify';
import { createOptIn, OPT_IN_CODE_LIFETIME_MS } from '../../intake/opt-in.js';
import { documentedPurchaseSchema, hasNoPhone, phonelessPurchaseReader, purchaseReader, purchaseSchema, type PhonelessPurchaseInput } from '../../intake/purchase-input.js';
import { recordPurchase } from '../../intake/record-purchase.js';
import { apiSchema } from '../openapi.js';
import { translate } from '../../i18n/index.js';
import { iso, presentCustomer, presentPurchase, presentStartedRun } from '../present.js';
import { pendingAnswerSchema, purchaseAnswerSchema } from '../schemas.js';
import { accepted, type RouteContext } from './context.js';

export function purchaseRoutes(ctx: RouteContext) {
  const body = purchaseSchema(ctx.intake);
  const read = purchaseReader(ctx.intake, body);
  const readPhoneless = phonelessPurchaseReader(ctx.intake);
  const optIn = createOptIn({ repos: ctx.repos, locale: ctx.locale });

  const schema = apiSchema({
    tag: 'purchases',
    summary: 'Record a purchase (the customer is found or created by phone)',
    description:
      'Unknown keys are refused. The same `externalId` again is the same purchase (200, nothing changed). A customer without `phone` makes a pending purchase (202): it is recorded when someone writes to the shop with its click-to-chat code. See docs/api.md for every field.',
    // read() checks bodies with the quick reader first, then with the same schema, phone required; a body
    // without one is read by readPhoneless. The document states both: the phone may be left out.
    body: documentedPurchaseSchema(ctx.intake),
    response: {
      200: { description: 'The `externalId` was seen before: the stored customer and purchase, `runs: []`.', schema: purchaseAnswerSchema },
      201: { description: 'The new purchase, its customer and the flow runs it started.', schema: purchaseAnswerSchema },
      202: { description: 'No phone: the purchase waits for its customer to write with `optIn.code`.', schema: pendingAnswerSchema },
    },
  });

  /** A purchase without a phone waits, as it came, for someone to write with its code; nothing else is created. */
  function recordPending(input: PhonelessPurchaseInput) {
    const now = ctx.clock.now();
    const existing = input.externalId === null ? undefined : ctx.repos.purchases.findByExternalId(input.externalId);
    if (existing) return { status: 200, purchase: existing } as const;
    const pending = ctx.repos.transaction(() => {
      const waiting = input.externalId === null ? undefined : ctx.repos.pendingPurchases.findWaiting(input.externalId);
      if (waiting) return waiting;
      // What waited past its code's lifetime can no longer be claimed: its details go.
      ctx.repos.pendingPurchases.forgetWaitingSince(now - OPT_IN_CODE_LIFETIME_MS);
      return ctx.repos.pendingPurchases.create(input, now);
    });
    return { status: 202, pending } as const;
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post('/purchases', { schema }, async (request, reply) => {
      if (hasNoPhone(request.body)) {
        const input = accepted(readPhoneless(request.body), ctx.locale);
        const result = await ctx.writes.run(() => recordPending(input));
        if (result.status === 202) {
          const { pending } = result;
          void reply.status(202);
          return { pending: { id: pending.id, createdAt: iso(pending.createdAt) }, optIn: optIn.offer({ kind: 'pending', id: pending.id }) };
        }
        // The order came before with a phone (or its code was already used): that purchase is the answer.
        const customer = ctx.repos.customers.findById(result.purchase.customerId);
        return {
          ...(customer ? { customer: presentCustomer(customer) } : {}),
          purchase: presentPurchase(result.purchase),
          runs: [],
          optIn: optIn.offer({ kind: 'purchase', id: result.purchase.id }),
        };
      }
      const input = accepted(read(request.body), ctx.locale);
      const result = await ctx.writes.run(() => recordPurchase(ctx.repos, input, ctx.clock.now(), ctx.flows?.enroll));
      void reply.status(result.outcome === 'created' ? 201 : 200);
      const { suppressedAt } = result.customer;
      return {
        customer: presentCustomer(result.customer),
        purchase: presentPurchase(result.purchase),
        runs: result.runs.map(presentStartedRun),
        optIn: optIn.offer({ kind: 'purchase', id: result.purchase.id }),
        // Said where the caller looks: the purchase is stored, and on purpose nothing was started.
        ...(suppressedAt !== null && result.customer.optedOutAt !== null
          ? { suppressed: { since: iso(suppressedAt), message: translate(ctx.locale, 'purchase.suppressed') } }
          : {}),
      };
    });
  };
}
