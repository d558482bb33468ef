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

const PAGE_SIZE = 50;
const SEARCH_MAX = 100;
/** Notices a redirect may ask a page to show: only these keys, never text from the address. */
const NOTICES = {
  saved: 'page.customers.notice.saved',
  paused: 'page.customers.notice.paused',
  resumed: 'page.customers.notice.resumed',
  erased: 'page.customers.notice.erased',
  opted_out: 'page.customers.notice.opted_out',
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

    app.get<{ Querystring: { q?: unknown; before?: unknown; notice?: unknown } }>('/customers', async (request, reply) => {
      const q = typeof request.query.q === 'string' ? request.query.q.trim().slice(0, SEARCH_MAX) : '';
      const asked = typeof request.query.before === 'string' && /^\d{1,15}$/.test(request.query.before) ? Number(request.query.before) : undefined;
      const before = asked !== undefined && asked > 0 ? asked : undefined;
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
        notice: notice(request.query),
      });
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
        timeline: buildCustomerTimeline(record, { ...view, flowName, ownerAlertTo }),
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
