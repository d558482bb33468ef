import type { FastifyInstance } from 'fastify';
import { purchaseReader } from '../../intake/purchase-input.js';
import { recordPurchase } from '../../intake/record-purchase.js';
import { presentCustomer, presentPurchase, presentStartedRun } from '../present.js';
import { purchaseAnswerSchema } from '../schemas.js';
import { accepted, type RouteContext } from './context.js';

export function purchaseRoutes(ctx: RouteContext) {
  const read = purchaseReader(ctx.intake);

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post('/purchases', { schema: { response: { 200: purchaseAnswerSchema, 201: purchaseAnswerSchema } } }, async (request, reply) => {
      const input = accepted(read(request.body), ctx.locale);
      const result = await ctx.writes.run(() => recordPurchase(ctx.repos, input, ctx.clock.now(), ctx.flows?.enroll));
      void reply.status(result.outcome === 'created' ? 201 : 200);
      return {
        customer: presentCustomer(result.customer),
        purchase: presentPurchase(result.purchase),
        runs: result.runs.map(presentStartedRun),
      };
    });
  };
}
