import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Customer } from '../../domain/customer.js';
import { type MessageKey, translator } from '../../i18n/index.js';
import { validate } from '../../intake/validate.js';
import { customerRecord, findCustomer, type CustomerLookup, type CustomerRecordRead } from '../../storage/repositories/customer-record.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';
import { buildCustomerCard, buildCustomerRow, customerName } from '../view-models/customer-card.js';
import { describeEditProblems, fillEditForm, readEditForm } from '../view-models/customer-edit-form.js';
import { buildCustomerTimeline } from '../view-models/customer-timeline.js';
import { shortDateTime, type ViewLocale } from '../view-models/view-locale.js';
import { customerDetailsSchema, saveCustomerDetails } from './customers.js';
import { createOptIn } from '../../intake/opt-in.js';
import { PHONE_SEARCH_MIN_DIGITS } from '../../storage/repositories/customers.js';
import { customersCsv } from '../../segments/export-csv.js';
import { segmentFiltersSchema } from '../../segments/filters.js';
import { isBuiltinSegment } from '../../segments/rfm.js';
import { freeSegmentId, listSegments, segmentMembers, type SegmentSummary } from '../../segments/segments.js';
import { describeSegmentProblems, EMPTY_SEGMENT_FORM, readSegmentForm, type SegmentForm } from '../view-models/segment-form.js';
import { builtinSegmentKey, segmentPage } from './segments.js';
import { strictObject } from '../../intake/validate.js';
import { z } from 'zod';

const PAGE_SIZE = 50;
const SEARCH_MAX = 100;
/** Notices a redirect may ask a page to show: only these keys, never text from the address. */
const NOTICES = {
  saved: 'page.customers.notice.saved',
  paused: 'page.customers.notice.paused',
  resumed: 'page.customers.notice.resumed',
  erased: 'page.customers.notice.erased',
  opted_out: 'page.customers.notice.opted_out',
  segment_saved: 'segments.page.saved',
} as const satisfies Record<string, MessageKey>;

/**
 * The Clientes pages: the list with search, one customer's record and
 * timeline, the seller's pause of their automation, the edit form and erasure
 * with confirmation. They read the record as /api/customers does
 * (customerRecord) and write through the same repositories.
 */
export function customersPage(deps: PageDeps) {
  const { locale } = deps;
  const { repos, clock } = deps.route;
  const view: ViewLocale = { locale, timeZone: deps.config.timezone, country: deps.config.defaultCountry };
  const t = translator(locale);
  const dateTime = shortDateTime(view);
  const details = customerDetailsSchema(deps.route.intake);
  const flowName = (flowId: string) => deps.route.flows?.runner.flow(flowId)?.name;
  /** Whom an alert to the owner went to: its outbox row's number (one row, and one WhatsApp id, per owner). */
  const ownerAlertTo = (waId: string) => repos.outbox.findByWaId(waId)?.toPhone;
  const optIn = createOptIn({ repos, locale, shopPhone: () => deps.channel.linkedPhone ?? repos.whatsappLimits.shopPhone() });

  /** The link and code of the customer's latest purchase, for them to write first; null without a purchase. */
  function latestOptIn(purchases: readonly { id: number; purchasedAt: number }[]) {
    const latest = purchases.at(-1);
    if (!latest) return null;
    const offer = optIn.offer({ kind: 'purchase', id: latest.id });
    return { offer, at: dateTime.format(latest.purchasedAt), card: `/card?purchase=${latest.id}` };
  }

  function notice(query: unknown): string | null {
    const asked = (query as { notice?: unknown } | undefined)?.notice;
    return typeof asked === 'string' && asked in NOTICES ? t(NOTICES[asked as keyof typeof NOTICES]) : null;
  }

  // issue 21: segments on the Clientes page (the selector, the CSV export, the form that saves one).
  const segmentTime = () => ({ now: clock.now(), timeZone: deps.config.timezone });
  const segmentBody = strictObject({ name: z.string().trim().min(1).max(80), filters: segmentFiltersSchema(locale) }, locale);
  const monthName = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  const months = Array.from({ length: 12 }, (_, i) => [String(i + 1), monthName.format(Date.UTC(2026, i, 15))]);
  const isSegmentId = (text: unknown): text is string => typeof text === 'string' && /^[a-z0-9-]{1,80}$/.test(text);
  function segmentOptions(): { builtin: SegmentSummary[]; custom: SegmentSummary[] } {
    const all = listSegments(repos, segmentTime(), (id) => t(builtinSegmentKey(id)));
    return { builtin: all.filter((s) => s.kind === 'built-in'), custom: all.filter((s) => s.kind === 'custom') };
  }

  /** An id from the address: digits only, as many as an SQLite rowid has at most. */
  const isId = (text: string) => /^\d{1,15}$/.test(text);

  /** The 404 (nobody with that id) or 410 (erased, and when) page. */
  function gonePage(reply: FastifyReply, id: string, lookup: Exclude<CustomerLookup, { found: 'live' }>) {
    if (lookup.found === 'none') {
      return renderPage(reply.status(404), deps, 'customer-gone', {
        title: t('page.title.customer_not_found'),
        nav: '/customers',
        text: t('page.customer.not_found', { id }),
      });
    }
    return renderPage(reply.status(410), deps, 'customer-gone', {
      title: t('page.title.customer_erased'),
      nav: '/customers',
      text: t('page.customer.erased', { id: lookup.customer.id, at: dateTime.format(lookup.customer.erasedAt!) }),
    });
  }

  /** The customer with that id from the address, or the 404/410 page already sent. */
  async function liveCustomer(id: string, reply: FastifyReply): Promise<Customer | undefined> {
    const lookup: CustomerLookup = isId(id) ? findCustomer(repos, Number(id)) : { found: 'none' };
    if (lookup.found === 'live') return lookup.customer;
    await gonePage(reply, id, lookup);
    return undefined;
  }

  function card(customer: Customer) {
    return buildCustomerCard(customer, view, clock.now());
  }

  function erasePage(reply: FastifyReply, customer: Customer, problem: string | null) {
    return renderPage(reply, deps, 'customer-erase', {
      title: t('page.title.customer_erase'),
      nav: '/customers',
      customer: card(customer),
      problem,
    });
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    guardPages(app, deps);

    function listPage(reply: FastifyReply, query: { q?: unknown; before?: unknown; notice?: unknown; segment?: unknown }, form: { values: SegmentForm; errors: string[] } | null) {
      const asked = typeof query.before === 'string' && /^\d{1,15}$/.test(query.before) ? Number(query.before) : undefined;
      const before = asked !== undefined && asked > 0 ? asked : undefined;
      const options = segmentOptions();
      const segment = isSegmentId(query.segment) ? [...options.builtin, ...options.custom].find((s) => s.id === query.segment) : undefined;
      if (segment) {
        // A segment's members, newest first, the same pages as the search (the search form clears it).
        const page = segmentPage(segmentMembers(repos, segment.id, segmentTime()) ?? [], PAGE_SIZE, before);
        const base = { segment: segment.id };
        return renderPage(reply.header('cache-control', 'no-store'), deps, 'customers', {
          title: t('page.title.customers'),
          nav: '/customers',
          wide: true,
          q: '',
          tooFewDigits: null,
          rows: repos.segments.customersByIds(page.ids).map((customer) => buildCustomerRow(customer, view)),
          next: page.nextBefore === null ? null : `/customers?${new URLSearchParams({ ...base, before: String(page.nextBefore) }).toString()}`,
          first: before === undefined ? null : `/customers?${new URLSearchParams(base).toString()}`,
          notice: notice(query),
          segments: options,
          segment,
          segmentForm: form ?? { values: EMPTY_SEGMENT_FORM, errors: [] },
          months,
        });
      }
      const q = typeof query.q === 'string' ? query.q.trim().slice(0, SEARCH_MAX) : '';
      // One more than shown: whether there is a next page, without a count of everyone.
      // A phone being typed ("91") is not searched until it has enough digits: say so rather than "none found".
      const tooFewDigits = isShortPhoneSearch(q);
      const found = tooFewDigits ? [] : repos.customers.list({ search: q || undefined, limit: PAGE_SIZE + 1, before });
      const shown = found.slice(0, PAGE_SIZE);
      const next = found.length > PAGE_SIZE ? `/customers?${new URLSearchParams({ ...(q ? { q } : {}), before: String(shown.at(-1)!.id) }).toString()}` : null;
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'customers', {
        title: t('page.title.customers'),
        nav: '/customers',
        wide: true,
        q,
        tooFewDigits: tooFewDigits ? t('page.customers.search_more_digits', { min: PHONE_SEARCH_MIN_DIGITS }) : null,
        rows: shown.map((customer) => buildCustomerRow(customer, view)),
        next,
        first: before === undefined ? null : `/customers${q ? `?${new URLSearchParams({ q }).toString()}` : ''}`,
        notice: notice(query),
        segments: options,
        segment: null,
        segmentForm: form ?? { values: EMPTY_SEGMENT_FORM, errors: [] },
        months,
      });
    }

    app.get<{ Querystring: { q?: unknown; before?: unknown; notice?: unknown; segment?: unknown } }>('/customers', async (request, reply) =>
      listPage(reply, request.query, null),
    );

    // The segment's customers as a spreadsheet (docs/pages.md): erased customers are never in it.
    app.get<{ Querystring: { segment?: unknown } }>('/customers/export.csv', async (request, reply) => {
      const id = request.query.segment;
      const members = isSegmentId(id) ? segmentMembers(repos, id, segmentTime()) : undefined;
      if (!isSegmentId(id) || !members) return reply.redirect('/customers', 303);
      const customers = repos.segments.customersByIds(members).reverse();
      const csv = customersCsv(customers, {
        header: [t('segments.csv.name'), t('segments.csv.phone'), t('segments.csv.email'), t('segments.csv.tags'), t('segments.csv.consent')],
        yes: t('segments.csv.yes'),
        no: t('segments.csv.no'),
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${isBuiltinSegment(id) ? id : `segmento-${id}`}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    });

    app.post<{ Body: Record<string, unknown> }>('/customers/segments', async (request, reply) => {
      const { form, input } = readSegmentForm(request.body ?? {});
      const result = validate(segmentBody, input, locale);
      if (!result.ok) return listPage(reply.status(400), {}, { values: form, errors: describeSegmentProblems(result.issues, t) });
      const id = freeSegmentId(result.value.name, (taken) => repos.segments.findCustom(taken) !== undefined);
      repos.segments.createCustom({ id, name: result.value.name, filters: JSON.stringify(result.value.filters), createdAt: clock.now() });
      return reply.redirect(`/customers?${new URLSearchParams({ segment: id, notice: 'segment_saved' }).toString()}`, 303);
    });

    app.get<{ Params: { id: string }; Querystring: { notice?: unknown } }>('/customers/:id', async (request, reply) => {
      const { id } = request.params;
      const read: CustomerRecordRead = isId(id) ? customerRecord(repos, Number(id)) : { found: 'none' };
      if (read.found !== 'live') return gonePage(reply, id, read);
      const { record } = read;
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'customer', {
        title: customerName(record.customer, locale),
        nav: '/customers',
        customer: card(record.customer),
        timeline: buildCustomerTimeline(record, { ...view, flowName, ownerAlertTo, campaignName: (campaignId) => repos.campaigns.find(campaignId)?.name }),
        optIn: latestOptIn(record.purchases),
        notice: notice(request.query),
      });
    });

    app.post<{ Params: { id: string } }>('/customers/:id/pause', async (request, reply) => {
      const customer = await liveCustomer(request.params.id, reply);
      if (!customer) return reply;
      repos.customers.pauseAutomation(customer.id, clock.now());
      return reply.redirect(`/customers/${customer.id}?notice=paused`, 303);
    });

    app.post<{ Params: { id: string } }>('/customers/:id/resume', async (request, reply) => {
      const customer = await liveCustomer(request.params.id, reply);
      if (!customer) return reply;
      repos.customers.resumeAutomation(customer.id, clock.now());
      return reply.redirect(`/customers/${customer.id}?notice=resumed`, 303);
    });

    // The owner's word on a message that may have asked to stop (or any time): the customer is opted
    // out as if they had sent SAIR, their runs end, and nothing automated tells them (the owner may).
    app.post<{ Params: { id: string } }>('/customers/:id/opt-out', async (request, reply) => {
      const customer = await liveCustomer(request.params.id, reply);
      if (!customer) return reply;
      if (customer.optedOutAt === null) {
        repos.transaction(() => {
          repos.customers.optOut(customer.id, { source: 'owner', text: customer.stopReview?.text ?? null }, clock.now());
          deps.services?.runner.cancelFor(customer.id, 'opted_out');
        });
      }
      return reply.redirect(`/customers/${customer.id}?notice=opted_out`, 303);
    });

    app.get<{ Params: { id: string } }>('/customers/:id/edit', async (request, reply) => {
      const customer = await liveCustomer(request.params.id, reply);
      if (!customer) return reply;
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'customer-edit', {
        title: t('page.title.customer_edit'),
        nav: '/customers',
        customer: card(customer),
        form: fillEditForm(customer),
        errors: [],
        fieldErrors: {},
      });
    });

    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/customers/:id/edit', async (request, reply) => {
      const customer = await liveCustomer(request.params.id, reply);
      if (!customer) return reply;
      const { form, input } = readEditForm(request.body ?? {});
      const result = validate(details, input, locale);
      if (!result.ok) {
        const { errors, fieldErrors } = describeEditProblems(result.issues, input, t);
        return renderPage(reply.status(400), deps, 'customer-edit', {
          title: t('page.title.customer_edit'),
          nav: '/customers',
          customer: card(customer),
          form,
          errors,
          fieldErrors,
        });
      }
      saveCustomerDetails(deps.route, customer, result.value);
      return reply.redirect(`/customers/${customer.id}?notice=saved`, 303);
    });

    app.get<{ Params: { id: string } }>('/customers/:id/erase', async (request, reply) => {
      const customer = await liveCustomer(request.params.id, reply);
      if (!customer) return reply;
      return erasePage(reply.header('cache-control', 'no-store'), customer, null);
    });

    app.post<{ Params: { id: string }; Body: { digits?: unknown } }>('/customers/:id/erase', async (request, reply) => {
      const customer = await liveCustomer(request.params.id, reply);
      if (!customer) return reply;
      const typed = typeof request.body?.digits === 'string' ? request.body.digits.replace(/\D/g, '') : '';
      const expected = (customer.phone ?? '').replace(/\D/g, '').slice(-4);
      if (typed.length !== 4 || typed !== expected) {
        return erasePage(reply.status(400), customer, t(typed === '' ? 'page.customer.erase.missing' : 'page.customer.erase.wrong'));
      }
      repos.customers.erase(customer.id, clock.now());
      return reply.redirect('/customers?notice=erased', 303);
    });
  };
}

/** A search with no letter and fewer digits than a phone search needs ("91", "(1"): nothing is searched. */
export function isShortPhoneSearch(q: string): boolean {
  return q !== '' && !/\p{L}/u.test(q) && q.replace(/\D/g, '').length < PHONE_SEARCH_MIN_DIGITS;
}
