import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Customer, Message } from '../../domain/customer.js';
import { formatMoney } from '../../domain/money.js';
import { formatPhoneForPeople, waMeLink } from '../../domain/phone.js';
import { type MessageKey, translator } from '../../i18n/index.js';
import { validate } from '../../intake/validate.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';
import { customerDetailsSchema } from './customers.js';

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

/** Why runs end, in words; the rare guard reasons (customer_gone, step_missing…) are shown as stored. */
const END_REASONS = {
  completed: 'page.customer.run_end.completed',
  superseded: 'page.customer.run_end.superseded',
  step_failed: 'page.customer.run_end.step_failed',
  opted_out: 'page.customer.run_end.opted_out',
  cancelled_by_seller: 'page.customer.run_end.cancelled_by_seller',
  merged: 'page.customer.run_end.merged',
} as const satisfies Record<string, MessageKey>;

type EditField = 'name' | 'birthday' | 'email' | 'tags';
const EDIT_FIELDS: readonly EditField[] = ['name', 'birthday', 'email', 'tags'];

/** One line of a customer's timeline, ready for customer.eta. */
interface TimelineEntry {
  at: number;
  /** Among entries of the same moment: a purchase before the message it caused, a question before its answer. */
  order: number;
  kind: 'purchase' | 'message' | 'answer' | 'run' | 'consent' | 'referral';
  [key: string]: unknown;
}

/**
 * The Clientes pages: the list with search, one customer's record and
 * timeline, the seller's pause of their automation, the edit form and erasure
 * with confirmation. They read and write through the same repositories as
 * /api/customers.
 */
export function customersPage(deps: PageDeps) {
  const { locale } = deps;
  const { repos, clock } = deps.route;
  const country = deps.config.defaultCountry;
  const t = translator(locale);
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone: deps.config.timezone });
  const when = (time: number) => ({ iso: new Date(time).toISOString(), text: dateTime.format(time) });
  const phone = (e164: string | null) => (e164 === null ? '' : formatPhoneForPeople(e164, country));
  const money = (cents: number, currency: string) => formatMoney(cents, currency, locale);
  const details = customerDetailsSchema(deps.route.intake);

  function notice(query: unknown): string | null {
    const asked = (query as { notice?: unknown } | undefined)?.notice;
    return typeof asked === 'string' && asked in NOTICES ? t(NOTICES[asked as keyof typeof NOTICES]) : null;
  }

  function displayName(customer: Customer): string {
    return customer.name ?? t('page.customers.no_name');
  }

  /** A stored birthday ("1990-03-12" or "--03-12") as the seller types it back: 12/03/1990, 12/03. */
  function typedBirthday(birthday: string | null): string {
    const match = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(birthday ?? '');
    if (!match) return birthday ?? '';
    return match[1] === '-' ? `${match[3]}/${match[2]}` : `${match[3]}/${match[2]}/${match[1]}`;
  }

  function shownBirthday(birthday: string | null): string | null {
    const match = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(birthday ?? '');
    if (!match) return birthday;
    const year = match[1] === '-' ? 2000 : Number(match[1]);
    const date = Date.UTC(year, Number(match[2]) - 1, Number(match[3]));
    const options: Intl.DateTimeFormatOptions = match[1] === '-' ? { day: 'numeric', month: 'long', timeZone: 'UTC' } : { dateStyle: 'long', timeZone: 'UTC' };
    return new Intl.DateTimeFormat(locale, options).format(date);
  }

  /** The customer with that id from the address, or the 404/410 page already sent. */
  async function liveCustomer(id: string, reply: FastifyReply): Promise<Customer | undefined> {
    const customer = /^\d{1,15}$/.test(id) ? repos.customers.findById(Number(id)) : undefined;
    if (!customer) {
      await renderPage(reply.status(404), deps, 'customer-gone', {
        title: t('page.title.customer_not_found'),
        nav: '/customers',
        text: t('page.customer.not_found', { id }),
      });
      return undefined;
    }
    if (customer.erasedAt !== null) {
      await renderPage(reply.status(410), deps, 'customer-gone', {
        title: t('page.title.customer_erased'),
        nav: '/customers',
        text: t('page.customer.erased', { id: customer.id, at: dateTime.format(customer.erasedAt) }),
      });
      return undefined;
    }
    return customer;
  }

  function listRow(customer: Customer) {
    return {
      id: customer.id,
      name: displayName(customer),
      named: customer.name !== null,
      phone: phone(customer.phone),
      tags: customer.tags,
      optedOut: customer.optedOutAt !== null,
      paused: customer.automationPausedAt !== null,
    };
  }

  function messageEntry(message: Message): TimelineEntry {
    const payload = (message.payload ?? {}) as { author?: unknown; options?: unknown };
    const who = message.direction === 'in' ? t('page.customer.from_customer') : payload.author === 'owner' ? t('page.customer.from_owner') : t('page.customer.from_bot');
    const status = message.direction === 'out' ? messageStatus(message) : null;
    return {
      at: message.createdAt,
      order: 1,
      kind: 'message',
      direction: message.direction,
      who,
      text: message.text ?? `[${message.kind}]`,
      options: message.kind === 'poll' && Array.isArray(payload.options) ? payload.options.map(String) : [],
      status,
    };
  }

  /** WhatsApp's ticks for what went out; what went wrong is said in words. */
  function messageStatus(message: Message): { ticks: string; read: boolean; label: string; words: string | null } {
    switch (message.status) {
      case 'queued':
      case 'sending':
        return { ticks: '✓', read: false, label: t('page.customer.status.sending'), words: null };
      case 'sent':
        return { ticks: '✓', read: false, label: t('page.customer.status.sent'), words: null };
      case 'delivered':
        return { ticks: '✓✓', read: false, label: t('page.customer.status.delivered'), words: null };
      case 'read':
        return { ticks: '✓✓', read: true, label: t('page.customer.status.read'), words: null };
      case 'failed':
        return { ticks: '', read: false, label: '', words: message.error ? t('page.customer.status.failed_because', { error: message.error }) : t('page.customer.status.failed') };
      case 'unknown':
      case 'received':
        return { ticks: '', read: false, label: '', words: t('page.customer.status.unknown') };
    }
  }

  function timeline(customer: Customer): TimelineEntry[] {
    const runs = repos.runs.listFor(customer.id);
    const flowName = (flowId: string) => deps.route.flows?.runner.flow(flowId)?.name ?? flowId;
    const runFlow = new Map(runs.map((run) => [run.id, run.flowId]));
    const entries: TimelineEntry[] = [];
    for (const purchase of repos.purchases.listByCustomer(customer.id)) {
      entries.push({
        at: purchase.purchasedAt,
        order: 0,
        kind: 'purchase',
        items: purchase.items.map((item) => (item.quantity === 1 ? item.name : `${item.quantity} × ${item.name}`)),
        total: purchase.totalCents === null ? null : money(purchase.totalCents, purchase.currency),
        reference: purchase.externalId,
      });
    }
    for (const message of repos.messages.listByCustomer(customer.id)) entries.push(messageEntry(message));
    for (const answer of repos.answers.listFor(customer.id)) {
      const flowId = answer.runId === null ? undefined : runFlow.get(answer.runId);
      entries.push({
        at: answer.at,
        order: 2,
        kind: 'answer',
        question: flowId === undefined ? answer.stepId : `${flowName(flowId)} › ${answer.stepId}`,
        answerKind: t(`page.customer.answer_kind.${answer.kind}`),
        value: answer.value === '' ? t('page.customer.answer_unread') : answer.value,
        comment: answer.comment,
      });
    }
    for (const run of runs) {
      const ask = run.state.ask;
      entries.push({
        at: run.createdAt,
        order: 0.5,
        kind: 'run',
        flow: flowName(run.flowId),
        state: t(`page.customer.run.${run.status}`),
        ended: run.endedAt === null ? null : when(run.endedAt),
        endReason: run.endReason === null ? null : run.endReason in END_REASONS ? t(END_REASONS[run.endReason as keyof typeof END_REASONS]) : run.endReason,
        waitingFor: run.status === 'waiting' && ask ? { step: ask.stepId, until: when(ask.timeoutAt) } : null,
        next: run.status === 'waiting' && run.stepId !== null ? { step: run.stepId, at: run.wakeAt === null ? null : when(run.wakeAt) } : null,
      });
    }
    for (const event of repos.customers.listConsentEvents(customer.id)) {
      entries.push({
        at: event.at,
        order: 3,
        kind: 'consent',
        change: t(`page.customer.consent.${event.purpose}_${event.state}`),
        granted: event.state === 'granted',
        source: event.source,
        text: event.text,
      });
    }
    for (const referral of repos.referrals.listFor(customer.id)) {
      entries.push({ at: referral.createdAt, order: 2.5, kind: 'referral', name: referral.name, phone: phone(referral.phone) });
    }
    // Newest first: the seller opens a customer mostly to see what happened lately (the last
    // purchase, a reply, a message that failed), and on a phone that should not need scrolling.
    // Within one moment, the later of two records of a kind (each list comes oldest first) first too.
    const sequence = new Map(entries.map((entry, index) => [entry, index]));
    entries.sort((a, b) => b.at - a.at || b.order - a.order || sequence.get(b)! - sequence.get(a)!);
    return entries.map((entry) => ({ ...entry, when: when(entry.at) }));
  }

  function customerView(customer: Customer) {
    const now = clock.now();
    return {
      id: customer.id,
      name: displayName(customer),
      named: customer.name !== null,
      phone: phone(customer.phone),
      waLink: waMeLink(customer.phone),
      email: customer.email,
      birthday: shownBirthday(customer.birthday),
      tags: customer.tags,
      marketing: t(`page.customer.marketing.${customer.consent.marketing}`),
      optedOut: customer.optedOutAt === null ? null : dateTime.format(customer.optedOutAt),
      handoffUntil: customer.handoffUntil !== null && customer.handoffUntil > now ? dateTime.format(customer.handoffUntil) : null,
      pausedAt: customer.automationPausedAt === null ? null : dateTime.format(customer.automationPausedAt),
      suppressed: customer.suppressedAt === null ? null : dateTime.format(customer.suppressedAt),
      stopReview: customer.stopReview === null ? null : { at: dateTime.format(customer.stopReview.at), text: customer.stopReview.text },
      since: dateTime.format(customer.createdAt),
    };
  }

  function editForm(customer: Customer) {
    return { name: customer.name ?? '', birthday: typedBirthday(customer.birthday), email: customer.email ?? '', tags: customer.tags.join(', ') };
  }

  function erasePage(reply: FastifyReply, customer: Customer, problem: string | null) {
    return renderPage(reply, deps, 'customer-erase', {
      title: t('page.title.customer_erase'),
      nav: '/customers',
      customer: customerView(customer),
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
      const found = repos.customers.list({ search: q || undefined, limit: PAGE_SIZE + 1, before });
      const shown = found.slice(0, PAGE_SIZE);
      const next = found.length > PAGE_SIZE ? `/customers?${new URLSearchParams({ ...(q ? { q } : {}), before: String(shown.at(-1)!.id) }).toString()}` : null;
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'customers', {
        title: t('page.title.customers'),
        nav: '/customers',
        wide: true,
        q,
        rows: shown.map(listRow),
        next,
        first: before === undefined ? null : `/customers${q ? `?${new URLSearchParams({ q }).toString()}` : ''}`,
        notice: notice(request.query),
      });
    });

    app.get<{ Params: { id: string }; Querystring: { notice?: unknown } }>('/customers/:id', async (request, reply) => {
      const customer = await liveCustomer(request.params.id, reply);
      if (!customer) return reply;
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'customer', {
        title: displayName(customer),
        nav: '/customers',
        customer: customerView(customer),
        timeline: timeline(customer),
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
        customer: customerView(customer),
        form: editForm(customer),
        errors: [],
        fieldErrors: {},
      });
    });

    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/customers/:id/edit', async (request, reply) => {
      const customer = await liveCustomer(request.params.id, reply);
      if (!customer) return reply;
      const body = request.body ?? {};
      const form = Object.fromEntries(EDIT_FIELDS.map((field) => [field, typeof body[field] === 'string' ? body[field] : ''])) as Record<EditField, string>;
      const blank = (value: string) => (value.trim() === '' ? null : value);
      // As PATCH /api/customers/:id with every field: an empty field clears it.
      const input = {
        name: blank(form.name),
        birthday: blank(form.birthday),
        email: blank(form.email),
        tags: form.tags.split(',').map((tag) => tag.trim()).filter((tag) => tag !== ''),
      };
      const result = validate(details, input, locale);
      if (!result.ok) {
        const errors = result.issues.map((issue) => {
          const [field = '', index] = issue.path.split('.');
          const known = (EDIT_FIELDS as readonly string[]).includes(field) ? (field as EditField) : null;
          const tag = known === 'tags' && index !== undefined ? input.tags[Number(index)] : undefined;
          return {
            field: known,
            label: known ? t(`page.customer.field.${known}`) : '',
            message: tag === undefined ? issue.message : `“${tag}”: ${issue.message}`,
          };
        });
        const fieldErrors: Partial<Record<EditField, string>> = {};
        for (const error of errors) if (error.field && !fieldErrors[error.field]) fieldErrors[error.field] = error.message;
        return renderPage(reply.status(400), deps, 'customer-edit', {
          title: t('page.title.customer_edit'),
          nav: '/customers',
          customer: customerView(customer),
          form,
          errors,
          fieldErrors,
        });
      }
      repos.customers.update(customer.id, result.value, clock.now());
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
