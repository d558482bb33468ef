import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Customer } from '../../domain/customer.js';
import { translate } from '../../i18n/index.js';
import { fields } from '../../intake/fields.js';
import { importCustomers, parseCustomersCsv } from '../../intake/import-customers.js';
import { strictObject } from '../../intake/validate.js';
import { HttpError } from '../errors.js';
import { iso, presentAnswer, presentConsentEvent, presentCustomer, presentMessage, presentPurchase, presentReferral, presentRun } from '../present.js';
import { parseOrReject, type RouteContext } from './context.js';

const CSV_BODY_LIMIT = 20 * 1024 * 1024;
const CSV_TYPES = ['text/csv', 'application/csv', 'text/comma-separated-values', 'application/vnd.ms-excel', 'application/octet-stream'];

export function customerRoutes(ctx: RouteContext) {
  const f = fields(ctx.intake);
  const t = f.t;
  const idParams = strictObject({ id: z.coerce.number().int().positive() }, ctx.locale);
  const listQuery = strictObject(
    {
      phone: f.phone.optional(),
      q: z.string().max(100).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      before: z.coerce.number().int().positive().optional(),
    },
    ctx.locale,
  );
  const patchBody = strictObject(
    {
      name: f.text(200).nullable().optional(),
      birthday: f.birthday.nullable().optional(),
      email: f.email.nullable().optional(),
      tags: f.tags.optional(),
    },
    ctx.locale,
  ).refine((body) => Object.keys(body).length > 0, t('patch.empty'));
  const importQuery = strictObject({ dryRun: z.enum(['true', 'false', '1', '0']).optional() }, ctx.locale);

  /** The live customer with that id, or the 404/410 a caller should see. */
  function liveCustomer(id: number): Customer {
    const customer = ctx.repos.customers.findById(id);
    if (!customer) throw new HttpError(404, 'customer_not_found', t('error.customer_not_found', { id }));
    if (customer.erasedAt !== null) throw new HttpError(410, 'customer_erased', t('error.customer_erased', { id }));
    return customer;
  }

  function record(customer: Customer) {
    return {
      customer: presentCustomer(customer),
      purchases: ctx.repos.purchases.listByCustomer(customer.id).map(presentPurchase),
      messages: ctx.repos.messages.listByCustomer(customer.id).map(presentMessage),
      consentHistory: ctx.repos.customers.listConsentEvents(customer.id).map(presentConsentEvent),
      runs: ctx.repos.runs.listFor(customer.id).map(presentRun),
      answers: ctx.repos.answers.listFor(customer.id).map(presentAnswer),
      referrals: ctx.repos.referrals.listFor(customer.id).map(presentReferral),
    };
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/customers', async (request) => {
      const query = parseOrReject(listQuery, request.query, ctx.locale, 'query');
      if (query.phone !== undefined) {
        const customer = ctx.repos.customers.findByPhone(query.phone);
        if (!customer) throw new HttpError(404, 'customer_not_found', t('error.customer_not_found', { id: query.phone }));
        return record(customer);
      }
      const customers = ctx.repos.customers.list({ search: query.q, limit: query.limit, before: query.before });
      const last = customers.at(-1);
      return {
        customers: customers.map(presentCustomer),
        nextBefore: customers.length === query.limit && last ? last.id : null,
      };
    });

    app.get('/customers/:id', async (request) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      return record(liveCustomer(id));
    });

    app.patch('/customers/:id', async (request) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      const body = parseOrReject(patchBody, request.body, ctx.locale);
      liveCustomer(id);
      return record(ctx.repos.customers.update(id, body, ctx.clock.now()));
    });

    app.get('/customers/:id/export', async (request, reply) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      const customer = liveCustomer(id);
      void reply.header('content-disposition', `attachment; filename="cliente-${id}.json"`);
      return { format: 'fregues-customer-export', version: 1, exportedAt: iso(ctx.clock.now()), ...record(customer) };
    });

    app.delete('/customers/:id', async (request) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      liveCustomer(id);
      const stats = ctx.repos.customers.erase(id, ctx.clock.now());
      return { erased: true, customerId: id, kept: { purchases: ctx.repos.purchases.listByCustomer(id).length, ...stats } };
    });

    app.register(async (csv) => {
      csv.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT }, (_request, body, done) => {
        done(null, body);
      });
      csv.post('/customers/import', { bodyLimit: CSV_BODY_LIMIT }, async (request) => {
        const query = parseOrReject(importQuery, request.query, ctx.locale, 'query');
        if (!Buffer.isBuffer(request.body)) {
          throw new HttpError(415, 'unsupported_media_type', translate(ctx.locale, 'error.unsupported_media_type', { type: request.headers['content-type'] ?? '-', expected: 'text/csv' }));
        }
        const parsed = parseCustomersCsv(request.body, ctx.intake);
        if (!parsed.ok) throw new HttpError(400, 'invalid_csv', translate(ctx.locale, 'error.invalid_csv', { detail: parsed.message }));
        const dryRun = query.dryRun === 'true' || query.dryRun === '1';
        return importCustomers(ctx.repos, parsed.value, ctx.clock.now(), { dryRun });
      });
    });
  };
}
