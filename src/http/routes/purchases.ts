import type { FastifyInstance } from 'fastify';
import { purchaseReader, purchaseSchema } from '../../intake/purchase-input.js';
import { recordPurchase } from '../../intake/record-purchase.js';
import { apiSchema } from '../openapi.js';
import { translate } from '../../i18n/index.js';
import { iso, presentCustomer, presentPurchase, presentStartedRun } from '../present.js';
import { purchaseAnswerSchema } from '../schemas.js';
import { accepted, type RouteContext } from './context.js';

export function purchaseRoutes(ctx: RouteContext) {
  const body = purchaseSchema(ctx.intake);
  const read = purchaseReader(ctx.intake, body);

  const schema = apiSchema({
    tag: 'purchases',
    summary: 'Record a purchase (the customer is found or created by phone)',
    description: 'Unknown keys are refused. The same `externalId` again is the same purchase (200, nothing changed). See docs/api.md for every field.',
    // read() checks bodies with the quick reader first, then with this same schema.
    body,
    response: {
      200: { description: 'The `externalId` was seen before: the stored customer and purchase, `runs: []`.', schema: purchaseAnswerSchema },
      201: { description: 'The new purchase, its customer and the flow runs it started.', schema: purchaseAnswerSchema },
    },
  });

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post('/purchases', { schema }, async (request, reply) => {
      const input = accepted(read(request.body), ctx.locale);
      const result = await ctx.writes.run(() => recordPurchase(ctx.repos, input, ctx.clock.now(), ctx.flows?.enroll));
      void reply.status(result.outcome === 'created' ? 201 : 200);
      const { suppressedAt } = result.customer;
      return {
        customer: presentCustomer(result.customer),
        purchase: presentPurchase(result.purchase),
        runs: result.runs.map(presentStartedRun),
        // Said where the caller looks: the purchase is stored, and on purpose nothing was started.
        ...(suppressedAt !== null && result.customer.optedOutAt !== null
          ? { suppressed: { since: iso(suppressedAt), message: translate(ctx.locale, 'purchase.suppressed') } }
          : {}),
      };
    });
  };
}
