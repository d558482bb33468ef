import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatLocalTime } from '../../flows/durations.js';
import type { Trigger } from '../../flows/flow-types.js';
import { translate } from '../../i18n/index.js';
import { fields } from '../../intake/fields.js';
import { strictObject } from '../../intake/validate.js';
import type { FlowRunner } from '../../scheduler/flow-runner.js';
import { HttpError } from '../errors.js';
import { apiSchema } from '../openapi.js';
import { presentStartedRun } from '../present.js';
import { parseOrReject, type RouteContext } from './context.js';

/** GET /api/flows (what is loaded) and POST /api/flows/:id/runs (start a manual flow for a customer). */
export function flowRoutes(ctx: RouteContext, runner: FlowRunner) {
  const f = fields(ctx.intake);
  const t = f.t;
  const params = strictObject({ id: z.string().min(1).max(100) }, ctx.locale);
  const start = strictObject({ customerId: z.number().int().positive().optional(), phone: f.phone.optional() }, ctx.locale).refine(
    (body) => (body.customerId === undefined) !== (body.phone === undefined),
    translate(ctx.locale, 'flow.api.customer_or_phone'),
  );

  return async function routes(app: FastifyInstance): Promise<void> {
    const list = apiSchema({
      tag: 'flows',
      summary: 'The flows loaded from FLOWS_DIR',
      response: { 200: '`flows`: each with `id`, `version`, `name`, `enabled`, `file`, `trigger` (in the flow file\'s terms, defaults filled in) and `steps` (`id`, `kind`).' },
    });
    app.get('/flows', { schema: list }, async () => ({
      flows: runner.flows.map((flow) => ({
        id: flow.id,
        version: flow.version,
        name: flow.name,
        enabled: flow.enabled !== false,
        file: flow.file,
        trigger: presentTrigger(flow.trigger),
        steps: flow.steps.map((step) => ({ id: step.id, kind: step.kind })),
      })),
    }));

    const cancelQuery = strictObject({ customerId: z.coerce.number().int().positive().optional() }, ctx.locale);
    const cancel = apiSchema({
      tag: 'flows',
      summary: "Stop a flow's waiting runs (of one customer with ?customerId=)",
      description: 'Their queued messages are recorded as skipped; messages already sent stay sent. Works for a flow whose file was removed too.',
      params,
      querystring: cancelQuery,
      response: { 200: '`{ "cancelled": n }` (may be 0).', 404: 'flow_not_found: no flow with that id was ever loaded.' },
    });
    app.delete('/flows/:id/runs', { schema: cancel }, async (request) => {
      const { id } = parseOrReject(params, request.params, ctx.locale, 'params');
      const { customerId } = parseOrReject(cancelQuery, request.query, ctx.locale, 'query');
      const cancelled = runner.cancelFlowRuns(id, customerId);
      if (cancelled === undefined) throw new HttpError(404, 'flow_not_found', translate(ctx.locale, 'flow.api.not_found', { id }));
      return { cancelled };
    });

    const startRun = apiSchema({
      tag: 'flows',
      summary: 'Start a manual flow for one customer',
      description: 'The body names the customer by exactly one of `customerId` or `phone`.',
      params,
      body: start,
      response: {
        201: '`{ "run": { id, flowId, flowVersion, occurrence, wakeAt } }`: the first step runs at the next tick.',
        404: 'customer_not_found (or erased), or flow_not_found.',
        409: 'flow_not_manual, flow_disabled (turned off with `enabled: false`), customer_opted_out, customer_filtered_out or already_running.',
      },
    });
    app.post('/flows/:id/runs', { schema: startRun }, async (request, reply) => {
      const { id } = parseOrReject(params, request.params, ctx.locale, 'params');
      const body = parseOrReject(start, request.body, ctx.locale);
      const customer = body.customerId !== undefined ? ctx.repos.customers.findById(body.customerId) : ctx.repos.customers.findByPhone(body.phone!);
      if (!customer || customer.erasedAt !== null) {
        throw new HttpError(404, 'customer_not_found', t('error.customer_not_found', { id: body.customerId ?? body.phone ?? '' }));
      }
      const result = ctx.repos.transaction(() => runner.enrollManually(id, customer));
      switch (result) {
        case 'no_flow':
          throw new HttpError(404, 'flow_not_found', translate(ctx.locale, 'flow.api.not_found', { id }));
        case 'not_manual':
          throw new HttpError(409, 'flow_not_manual', translate(ctx.locale, 'flow.api.not_manual', { id }));
        case 'disabled':
          throw new HttpError(409, 'flow_disabled', translate(ctx.locale, 'flow.api.disabled', { id }));
        case 'opted_out':
          throw new HttpError(409, 'customer_opted_out', translate(ctx.locale, 'flow.api.opted_out', { id }));
        case 'filtered_out':
          throw new HttpError(409, 'customer_filtered_out', translate(ctx.locale, 'flow.api.filtered_out', { id }));
        case 'already':
          throw new HttpError(409, 'already_running', translate(ctx.locale, 'flow.api.already', { id }));
        default:
          return reply.status(201).send({ run: presentStartedRun(result) });
      }
    });
  };
}

/** A trigger as the flow file writes it: `at` as "09:00", `days_before`, every default filled in. */
function presentTrigger(trigger: Trigger): Record<string, unknown> {
  switch (trigger.type) {
    case 'purchase':
      return { type: 'purchase', products: trigger.products };
    case 'birthday':
      return { type: 'birthday', days_before: trigger.daysBefore, at: formatLocalTime(trigger.at) };
    case 'inactivity':
      return { type: 'inactivity', days: trigger.days, at: formatLocalTime(trigger.at) };
    case 'repurchase':
      return { type: 'repurchase', days: trigger.days, products: trigger.products, at: trigger.at === null ? null : formatLocalTime(trigger.at) };
    case 'manual':
      return { type: 'manual' };
    case 'tagged':
      return { type: 'tagged', tag: trigger.tag };
    case 'first_message':
      return { type: 'first_message' };
    case 'purchase_count':
      return trigger.every !== null ? { type: 'purchase_count', every: trigger.every } : { type: 'purchase_count', nth: trigger.nth };
  }
}
