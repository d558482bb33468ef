import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Customer, CustomerDetails } from '../../domain/customer.js';
import { translate } from '../../i18n/index.js';
import { fields, type IntakeContext } from '../../intake/fields.js';
import { importCustomers, parseCustomersCsv } from '../../intake/import-customers.js';
import { strictObject } from '../../intake/validate.js';
import { customerRecord, customerRecordByPhone, findCustomer, readCustomerRecord, type CustomerRecordRead } from '../../storage/repositories/customer-record.js';
import { HttpError } from '../errors.js';
import { apiSchema } from '../openapi.js';
import { iso, presentCustomer, presentRecord } from '../present.js';
import { parseOrReject, type RouteContext } from './context.js';

const CSV_BODY_LIMIT = 20 * 1024 * 1024;
const CSV_TYPES = ['text/csv', 'application/csv', 'text/comma-separated-values', 'application/vnd.ms-excel', 'application/octet-stream'];

/**
 * What a seller may change of a customer (PATCH /api/customers/:id, and the
 * Clientes page's form): a value, null to clear it, or absent to leave it.
 */
export function customerDetailsSchema(intake: IntakeContext) {
  const f = fields(intake);
  return strictObject(
    {
      name: f.text(200).nullable().optional(),
      birthday: f.birthday.nullable().optional(),
      email: f.email.nullable().optional(),
      tags: f.tags.optional(),
    },
    intake.locale,
  );
}

/**
 * Saves a seller's change to a customer (PATCH /api/customers/:id and the
 * Clientes page's form) and, in the same transaction, starts the `tagged`
 * flows of the tags it adds (those the customer did not have).
 */
export function saveCustomerDetails(route: Pick<RouteContext, 'repos' | 'clock' | 'flows'>, customer: Customer, details: CustomerDetails): Customer {
  return route.repos.transaction(() => {
    const changed = route.repos.customers.update(customer.id, details, route.clock.now());
    const added = changed.tags.filter((tag) => !customer.tags.includes(tag));
    route.flows?.runner.enrollForTags(changed, added);
    return changed;
  });
}

/** What the routes answering a customer's record answer (the OpenAPI document's words). */
const RECORD = '`{ customer, purchases, messages, consentHistory, runs, answers, referrals }` (see docs/api.md).';

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
  const patchBody = customerDetailsSchema(ctx.intake).refine((body) => Object.keys(body).length > 0, t('patch.empty'));
  const importQuery = strictObject({ dryRun: z.enum(['true', 'false', '1', '0']).optional() }, ctx.locale);

  /** The 404/410 a caller should see when there is no live customer `asked` (an id, or a phone). */
  function missing(read: Exclude<CustomerRecordRead, { found: 'live' }>, asked: number | string): HttpError {
    return read.found === 'none'
      ? new HttpError(404, 'customer_not_found', t('error.customer_not_found', { id: asked }))
      : new HttpError(410, 'customer_erased', t('error.customer_erased', { id: asked }));
  }

  /** The live customer with that id, or the 404/410 a caller should see. */
  function liveCustomer(id: number): Customer {
    const found = findCustomer(ctx.repos, id);
    if (found.found !== 'live') throw missing(found, id);
    return found.customer;
  }

  /** The record as answered, of a customer the route just changed. */
  function record(customer: Customer) {
    return presentRecord(readCustomerRecord(ctx.repos, customer));
  }

  function liveRecord(read: CustomerRecordRead, asked: number | string) {
    if (read.found !== 'live') throw missing(read, asked);
    return presentRecord(read.record);
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    const list = apiSchema({
      tag: 'customers',
      summary: 'A page of customers, newest first, or the record of one (?phone=)',
      description: '`?phone=` (any format): the whole record of that customer, or 404. Otherwise `?q=` (part of a name, or digits of a phone), `?limit=` and `?before=` (the `nextBefore` of the previous page).',
      querystring: listQuery,
      response: { 200: '`{ customers, nextBefore }`, or with `?phone=` the record as in GET /api/customers/{id}.', 404: 'customer_not_found: no customer with that phone.' },
    });
    app.get('/customers', { schema: list }, async (request) => {
      const query = parseOrReject(listQuery, request.query, ctx.locale, 'query');
      if (query.phone !== undefined) {
        return liveRecord(customerRecordByPhone(ctx.repos, query.phone), query.phone);
      }
      const customers = ctx.repos.customers.list({ search: query.q, limit: query.limit, before: query.before });
      const last = customers.at(-1);
      return {
        customers: customers.map(presentCustomer),
        nextBefore: customers.length === query.limit && last ? last.id : null,
      };
    });

    const notFound = { 404: 'customer_not_found: no customer with that id.', 410: "customer_erased: the customer's data was erased on request." };
    const read = apiSchema({ tag: 'customers', summary: "A customer's whole record", params: idParams, response: { 200: RECORD, ...notFound } });
    app.get('/customers/:id', { schema: read }, async (request) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      return liveRecord(customerRecord(ctx.repos, id), id);
    });

    const patch = apiSchema({
      tag: 'customers',
      summary: "Change a customer's name, birthday, e-mail or tags",
      description: 'Any of the fields: a value, or null to clear it; `tags` replaces the list. An empty body is a 400.',
      params: idParams,
      body: patchBody,
      response: { 200: `The record after the change: ${RECORD}`, ...notFound },
    });
    app.patch('/customers/:id', { schema: patch }, async (request) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      const body = parseOrReject(patchBody, request.body, ctx.locale);
      return record(saveCustomerDetails(ctx, liveCustomer(id), body));
    });

    // The seller's pause of this customer's automation (not the owner's handoff, which ends by itself).
    const pause = apiSchema({
      tag: 'customers',
      summary: "Pause the automation for this customer (the seller's pause, until resumed)",
      params: idParams,
      response: { 200: `The record, with \`customer.automationPausedAt\`: ${RECORD}`, ...notFound },
    });
    app.post('/customers/:id/pause', { schema: pause }, async (request) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      liveCustomer(id);
      return record(ctx.repos.customers.pauseAutomation(id, ctx.clock.now()));
    });

    const resume = apiSchema({
      tag: 'customers',
      summary: "Resume the automation paused for this customer",
      params: idParams,
      response: { 200: `The record, \`customer.automationPausedAt\` null: ${RECORD}`, ...notFound },
    });
    app.post('/customers/:id/resume', { schema: resume }, async (request) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      liveCustomer(id);
      return record(ctx.repos.customers.resumeAutomation(id, ctx.clock.now()));
    });

    // The owner's word on a message that may have asked to stop (customer.stopReview), or a stop
    // request received elsewhere (by phone, in the shop): opted out as if they had sent SAIR.
    const optOut = apiSchema({
      tag: 'customers',
      summary: 'Opt the customer out of every message (the owner confirms a stop request)',
      description: 'Revokes consent with source `owner` (and the text of `customer.stopReview`, when one waited), ends the runs, and sends the customer nothing. Idempotent.',
      params: idParams,
      response: { 200: `The record, with \`customer.optedOutAt\`: ${RECORD}`, ...notFound },
    });
    app.post('/customers/:id/opt-out', { schema: optOut }, async (request) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      const customer = liveCustomer(id);
      if (customer.optedOutAt !== null) return record(customer);
      return ctx.repos.transaction(() => {
        const changed = ctx.repos.customers.optOut(id, { source: 'owner', text: customer.stopReview?.text ?? null }, ctx.clock.now());
        ctx.flows?.runner.cancelFor(id, 'opted_out');
        return record(changed);
      });
    });

    const exportSchema = apiSchema({
      tag: 'customers',
      summary: 'Everything stored about the person, as a JSON download (LGPD art. 18, II)',
      params: idParams,
      response: { 200: '`{ format: "fregues-customer-export", version: 1, exportedAt, ...the record }`, as an attachment.', ...notFound },
    });
    app.get('/customers/:id/export', { schema: exportSchema }, async (request, reply) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      const whole = liveRecord(customerRecord(ctx.repos, id), id);
      void reply.header('content-disposition', `attachment; filename="cliente-${id}.json"`);
      return { format: 'fregues-customer-export', version: 1, exportedAt: iso(ctx.clock.now()), ...whole };
    });

    const erase = apiSchema({
      tag: 'customers',
      summary: 'Erase the person (LGPD art. 18, VI); the purchases stay, anonymous',
      params: idParams,
      response: { 200: '`{ erased: true, customerId, kept: { purchases, messagesIn, messagesOut, consentEvents } }`.', ...notFound },
    });
    app.delete('/customers/:id', { schema: erase }, async (request) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      liveCustomer(id);
      const stats = ctx.repos.customers.erase(id, ctx.clock.now());
      return { erased: true, customerId: id, kept: { purchases: ctx.repos.purchases.listByCustomer(id).length, ...stats } };
    });

    app.register(async (csv) => {
      csv.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT }, (_request, body, done) => {
        done(null, body);
      });
      const schema = apiSchema({
        tag: 'customers',
        summary: 'Import customers from a spreadsheet (CSV); ?dryRun=true checks without writing',
        description: 'At most 20 MiB and 200,000 rows; separator, encoding and columns are detected (see docs/api.md). Each row is imported whole or rejected whole.',
        querystring: importQuery,
        body: z.string().describe('The spreadsheet, as CSV.'),
        consumes: CSV_TYPES,
        response: {
          200: '`{ rows, imported, created, updated, suppressed, rejected: [{ line, reason }], notes: [{ line, note }], ignoredColumns, dryRun }`; `suppressed` counts new customers whose number is on the suppression list (stored, opted out, nothing automated until they write VOLTAR).',
          400: 'validation_failed for the query, or invalid_csv: the file cannot be read as a whole.',
          413: 'payload_too_large: over 20 MiB.',
          415: 'unsupported_media_type: not CSV.',
        },
      });
      csv.post('/customers/import', { bodyLimit: CSV_BODY_LIMIT, schema }, async (request) => {
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
