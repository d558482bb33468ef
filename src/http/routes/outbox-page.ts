import type { FastifyInstance } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { nextSendableTime, type QuietHours, type Weekday } from '../../domain/local-time.js';
import { readReason, type Reason } from '../../domain/reasons.js';
import type { FlowContent } from '../../flows/steps/types.js';
import { type MessageKey, translator } from '../../i18n/index.js';
import { resolveUnknownSend, UNKNOWN_RESOLUTIONS, type UnknownResolution } from '../../scheduler/resolve-unknown.js';
import type { OutboxRow, OutboxStatus } from '../../storage/repositories/outbox.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';
import { campaignFlowLabel } from '../view-models/campaign-view.js';

/** The statuses the page filters by: the outbox's, with 'queued' split in two ('waiting': held for the hours allowed). */
export const PAGE_STATUSES = ['queued', 'waiting', 'sending', 'sent', 'failed', 'unknown', 'skipped', 'expired'] as const;
export type PageStatus = (typeof PAGE_STATUSES)[number];

/** What the governor holds messages for (src/scheduler/send-governor.ts). */
export interface SendingRules {
  timezone: string;
  quietHours: QuietHours | null;
  sendDays: Weekday[] | null;
  ownerAlertsAnytime: boolean;
}

/** Each reason an outbox row may be stored with (src/domain/reasons.ts), in the seller's words. */
export const REASON_WORDS = {
  daily_cap: 'page.outbox.reason.daily_cap',
  seller_pause: 'page.outbox.reason.seller_pause',
  handoff: 'page.outbox.reason.handoff',
  interrupted: 'page.outbox.reason.interrupted',
  expired: 'page.outbox.reason.expired',
  opted_out: 'page.outbox.reason.opted_out',
  no_marketing_consent: 'page.outbox.reason.no_marketing_consent',
  erased: 'page.outbox.reason.erased',
  superseded: 'page.outbox.reason.superseded',
  cancelled_by_seller: 'page.outbox.reason.cancelled_by_seller',
  merged: 'page.outbox.reason.merged',
  resolved_sent: 'page.outbox.reason.resolved_sent',
  resolved_discarded: 'page.outbox.reason.resolved_discarded',
  resent: 'page.outbox.reason.resent',
  cold_budget: 'page.outbox.reason.cold_budget',
  reachout_lock: 'page.outbox.reason.reachout_lock',
  contact_cap: 'page.outbox.reason.contact_cap',
  cold_refused: 'page.outbox.reason.cold_refused',
  cold_skipped: 'page.outbox.reason.cold_skipped',
  no_review_url: 'page.outbox.reason.no_review_url',
} as const satisfies Record<Reason, MessageKey>;

/** The holds of WhatsApp's limits (issue 18): the governor stores the reason in last_error and moves not_before to when it may go. */
const LIMIT_HOLDS = ['cold_budget', 'reachout_lock', 'contact_cap'] as const satisfies readonly Reason[];
export type LimitHold = (typeof LIMIT_HOLDS)[number];

/**
 * Why a queued row waits for the hours allowed, or null when it does not: it
 * is held past both its due time and `now`, and either the daily cap or one of
 * WhatsApp's limits held it (the new-chat quota, the time lock, the weekly
 * contact cap: the governor says so in last_error), or its not-before is exactly the first
 * moment allowed after a stretch of quiet hours or days off under the rules
 * that apply to it (customers: both; the owner: quiet hours unless
 * OWNER_ALERTS_ANYTIME; notices: none). A retry's wait or a handoff pause ends
 * at an arbitrary millisecond, so it is not taken for one; a row held by the
 * cap and then by quiet hours keeps the cap's words, and waits all the same.
 */
export function waitingForHours(row: OutboxRow, now: number, rules: SendingRules): 'cap' | 'hours' | LimitHold | null {
  if (row.status !== 'queued' || row.notBefore <= now || row.notBefore <= row.dueAt || row.purpose === 'notice') return null;
  if (row.purpose === 'customer' && row.lastError === ('daily_cap' satisfies Reason)) return 'cap';
  const limit = LIMIT_HOLDS.find((hold) => hold === row.lastError);
  if (row.purpose === 'customer' && limit !== undefined) return limit;
  const quiet = row.purpose === 'owner' && rules.ownerAlertsAnytime ? null : rules.quietHours;
  const days = row.purpose === 'owner' ? null : rules.sendDays;
  if (!quiet && !days) return null;
  const allowed = (at: number) => nextSendableTime(at, quiet, days, rules.timezone) === at;
  return allowed(row.notBefore) && !allowed(row.notBefore - 1) ? 'hours' : null;
}

const PAGE_SIZE = 50;
const PREVIEW_CHARS = 200;
/** Rows read per query while a page is filled with rows that pass a filter SQL cannot say. */
const BATCH = 500;

/**
 * GET /outbox (Envios): every message queued for WhatsApp and what became of
 * it, filterable by status, newest first, 50 a page (`before`). A send of
 * unknown outcome gets the seller's three choices, each with its risk; the
 * forms post to /outbox/:id/resolve, which answers 303 back to the list.
 */
export function outboxPage(deps: PageDeps) {
  const { locale, config } = deps;
  const { repos, clock } = deps.route;
  const t = translator(locale);
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone: config.timezone });
  const rules: SendingRules = { timezone: config.timezone, quietHours: config.quietHours, sendDays: config.sendDays, ownerAlertsAnytime: config.ownerAlertsAnytime };
  const phone = (e164: string) => parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;

  /** The row's status as the page names it. */
  function pageStatus(row: OutboxRow, now: number): PageStatus {
    return row.status === 'queued' && waitingForHours(row, now, rules) !== null ? 'waiting' : row.status;
  }

  /**
   * A page of rows with a page status, newest first, below `before`: SQL picks
   * the outbox status; 'waiting' and 'queued' are told apart here.
   */
  function listRows(status: PageStatus | undefined, before: number | undefined, now: number): { rows: OutboxRow[]; nextBefore: number | null } {
    if (status === 'waiting') {
      const rows = repos.outbox.heldQueued(now, before).filter((row) => waitingForHours(row, now, rules) !== null);
      return rows.length > PAGE_SIZE ? { rows: rows.slice(0, PAGE_SIZE), nextBefore: rows[PAGE_SIZE - 1]!.id } : { rows, nextBefore: null };
    }
    const sqlStatus: OutboxStatus | undefined = status;
    const keep = status === 'queued' ? (row: OutboxRow) => pageStatus(row, now) === 'queued' : () => true;
    const rows: OutboxRow[] = [];
    let cursor = before;
    for (;;) {
      const batch = repos.outbox.list({ status: sqlStatus, limit: BATCH, before: cursor });
      for (const row of batch) {
        if (!keep(row)) continue;
        rows.push(row);
        if (rows.length > PAGE_SIZE) return { rows: rows.slice(0, PAGE_SIZE), nextBefore: rows[PAGE_SIZE - 1]!.id };
      }
      if (batch.length < BATCH) return { rows, nextBefore: null };
      cursor = batch.at(-1)!.id;
    }
  }

  function counts(now: number): Record<PageStatus, number> {
    const byStatus = repos.outbox.countByStatus();
    const waiting = repos.outbox.heldQueued(now).filter((row) => waitingForHours(row, now, rules) !== null).length;
    return { ...byStatus, queued: byStatus.queued - waiting, waiting };
  }

  function preview(content: FlowContent): string {
    const text =
      content.kind === 'text'
        ? content.text
        : content.kind === 'poll'
          ? t('page.outbox.poll', { question: content.question, options: content.options.join(' | ') })
          : t('page.outbox.image', { file: content.file, caption: content.caption ?? '' });
    const flat = text.replace(/\s*\n\s*/g, ' ').trim();
    return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
  }

  /** Why a row waits, in the seller's words; held by WhatsApp's limits, also when it may go, or that its step's deadline comes first. */
  function heldText(held: NonNullable<ReturnType<typeof waitingForHours>>, row: OutboxRow): string {
    if (held === 'cap' || held === 'hours') return t(`page.outbox.held_${held}`);
    const when =
      row.expiresAt < row.notBefore
        ? t('page.outbox.held_expires', { expires: time.format(row.expiresAt) })
        : t('page.outbox.held_until', { at: time.format(row.notBefore) });
    return `${t(`page.outbox.held_${held}`)} ${when}`;
  }

  /** The stored reason in the seller's words (the resend's with the first attempt's id); a channel's own error as it came. */
  function reason(lastError: string | null): string | null {
    if (lastError === null) return null;
    const known = readReason(lastError);
    return known ? t(REASON_WORDS[known.reason], { id: known.detail }) : lastError;
  }

  function rowView(row: OutboxRow, now: number, names: Map<number, { name: string; erased: boolean }>) {
    const status = pageStatus(row, now);
    const person = row.customerId === null ? undefined : names.get(row.customerId);
    const customer = person && row.customerId !== null ? { id: row.customerId, name: person.erased ? t('page.outbox.erased') : person.name, erased: person.erased } : null;
    const held = status === 'waiting' ? waitingForHours(row, now, rules) : null;
    return {
      id: row.id,
      status,
      statusName: t(`page.outbox.status.${status}`),
      held: held === null ? null : heldText(held, row),
      toOwner: row.purpose === 'owner',
      notice: row.purpose === 'notice',
      customer,
      phone: phone(row.toPhone),
      preview: preview(row.content),
      dueAt: time.format(row.dueAt),
      // Only when it says something: a message queued a second late reads the same minute.
      notBefore: time.format(row.notBefore) !== time.format(row.dueAt) ? time.format(row.notBefore) : null,
      attempts: row.attempts,
      lastError: reason(row.lastError),
      finishedAt: row.finishedAt === null ? null : time.format(row.finishedAt),
      unknown: row.status === 'unknown',
      campaign: campaignOf(row),
    };
  }

  /** A campaign message's row says which campaign and variant (issue 21); null for a flow's. */
  function campaignOf(row: OutboxRow): { id: number; label: string } | null {
    const run = row.runId === null ? undefined : repos.runs.find(row.runId);
    if (!run) return null;
    const label = campaignFlowLabel(run.flowId, t, (id) => repos.campaigns.find(id)?.name);
    return label === null ? null : { id: Number(run.flowId.split(':')[1]), label };
  }

  function page(query: { status?: unknown; before?: unknown; done?: unknown; id?: unknown }, extra: { problem?: string } = {}) {
    const now = clock.now();
    const problems: string[] = [];
    const status = typeof query.status === 'string' && query.status !== '' ? query.status : undefined;
    if (status !== undefined && !(PAGE_STATUSES as readonly string[]).includes(status)) {
      problems.push(t('page.outbox.bad_status', { value: status, allowed: PAGE_STATUSES.join(', ') }));
    }
    const beforeText = typeof query.before === 'string' && query.before !== '' ? query.before : undefined;
    const before = beforeText === undefined ? undefined : Number(beforeText);
    if (beforeText !== undefined && (!/^\d{1,15}$/.test(beforeText) || before! < 1)) problems.push(t('page.outbox.bad_before', { value: beforeText }));
    const filter = problems.length === 0 ? (status as PageStatus | undefined) : undefined;
    const tally = counts(now);
    const total = Object.values(tally).reduce((sum, n) => sum + n, 0);
    const tabs = [
      { href: '/outbox', name: t('page.outbox.all'), count: total, current: filter === undefined },
      ...PAGE_STATUSES.map((value) => ({ href: `/outbox?status=${value}`, name: t(`page.outbox.status.${value}`), count: tally[value], current: filter === value })),
    ];
    const listed = problems.length === 0 ? listRows(filter, before, now) : { rows: [], nextBefore: null };
    const customerIds = [...new Set(listed.rows.map((row) => row.customerId).filter((id): id is number => id !== null))];
    const names = new Map<number, { name: string; erased: boolean }>();
    for (const id of customerIds) {
      const customer = repos.customers.findById(id);
      if (customer) names.set(id, { name: customer.name ?? (customer.phone ? phone(customer.phone) : `#${id}`), erased: customer.erasedAt !== null });
    }
    const done = typeof query.done === 'string' && (UNKNOWN_RESOLUTIONS as readonly string[]).includes(query.done) ? (query.done as UnknownResolution) : null;
    const doneId = typeof query.id === 'string' && /^\d{1,15}$/.test(query.id) ? query.id : null;
    return {
      title: t('page.title.outbox'),
      nav: '/outbox',
      tabs,
      filter: filter ?? '',
      rows: listed.rows.map((row) => rowView(row, now, names)),
      next: listed.nextBefore === null ? null : `/outbox?${new URLSearchParams({ ...(filter ? { status: filter } : {}), before: String(listed.nextBefore) }).toString()}`,
      first: before !== undefined ? (filter ? `/outbox?status=${filter}` : '/outbox') : null,
      notice: done && doneId ? t(`page.outbox.done.${done}`, { id: doneId }) : null,
      problems: extra.problem ? [...problems, extra.problem] : problems,
      hasUnknown: listed.rows.some((row) => row.status === 'unknown'),
    };
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    guardPages(app, deps);

    app.get<{ Querystring: Record<string, unknown> }>('/outbox', async (request, reply) => {
      const data = page(request.query);
      return renderPage(reply.status(data.problems.length > 0 ? 400 : 200).header('cache-control', 'no-store'), deps, 'outbox', data);
    });

    app.post<{ Params: { id: string }; Body: { as?: unknown; back?: unknown } }>('/outbox/:id/resolve', async (request, reply) => {
      const back = typeof request.body?.back === 'string' && (PAGE_STATUSES as readonly string[]).includes(request.body.back) ? request.body.back : undefined;
      const listQuery = back ? { status: back } : {};
      const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : null;
      const as = request.body?.as;
      if (id === null || id < 1) {
        return renderPage(reply.status(404), deps, 'outbox', page(listQuery, { problem: t('page.outbox.not_found', { id: request.params.id }) }));
      }
      if (typeof as !== 'string' || !(UNKNOWN_RESOLUTIONS as readonly string[]).includes(as)) {
        return renderPage(reply.status(400), deps, 'outbox', page(listQuery, { problem: t('page.outbox.bad_resolution', { value: typeof as === 'string' ? as : '' }) }));
      }
      const result = resolveUnknownSend(repos, id, as as UnknownResolution, { now: clock.now() });
      if (!result.ok) {
        const problem =
          result.problem === 'not_found'
            ? t('page.outbox.not_found', { id })
            : t('page.outbox.not_unknown', { id, status: t(`page.outbox.status.${result.status}`) });
        return renderPage(reply.status(result.problem === 'not_found' ? 404 : 409), deps, 'outbox', page(listQuery, { problem }));
      }
      if (as === 'resend') deps.services?.scheduler.kick();
      const target = new URLSearchParams({ ...(back ? { status: back } : {}), done: as, id: String(id) });
      return reply.redirect(`/outbox?${target.toString()}`, 303);
    });
  };
}
