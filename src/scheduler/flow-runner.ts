import { newMessageId as defaultMessageId } from '../channels/channel.js';
import type { Customer, Purchase } from '../domain/customer.js';
import { localParts, nextSendableTime, startOfLocalDay, atLocal, type QuietHours, type Weekday } from '../domain/local-time.js';
import { formatMoney } from '../domain/money.js';
import { waMeLink } from '../domain/phone.js';
import { advance, type Effect, type EngineEvent } from '../flows/engine.js';
import type { Filter, Flow, TemplateContext } from '../flows/flow-types.js';
import { EMPTY_RUN_STATE, isPollOf, type Run } from '../flows/run-types.js';
import { matchesSku } from '../flows/sku-pattern.js';
import { translate, type Locale } from '../i18n/index.js';
import type { Repositories } from '../storage/repositories/index.js';
import type { NewOutboxRow } from '../storage/repositories/outbox.js';
import type { Clock } from './clock.js';
import { messageOf } from '../domain/errors.js';

export interface FlowRunnerOptions {
  repos: Repositories;
  flows: Flow[];
  clock: Clock;
  timezone: string;
  locale: Locale;
  shopName: string;
  ownerPhones: string[];
  quietHours: QuietHours | null;
  sendDays: Weekday[] | null;
  render: (template: string, context: TemplateContext) => string;
  newMessageId?: () => string;
  /** Told of things a person should know (an alert with no OWNER_PHONE to go to). */
  warn?: (message: string, details?: Record<string, unknown>) => void;
}

/** A run that enrolment created, for the intake's answer. */
export interface StartedRun {
  id: number;
  flowId: string;
  flowVersion: number;
  occurrence: string;
  wakeAt: number;
}

const DAY = 24 * 3600_000;
/** How many days of missed daily triggers a late tick catches up (birthday messages expire the same day anyway). */
const DAILY_CATCH_UP_DAYS = 7;

/**
 * Where flows meet the database: enrolment (purchases, birthdays, inactivity,
 * repurchase, manual), advancing due runs through the pure engine, answers and
 * cancellations. Each run's step is stored with the messages it produced in
 * one transaction, so a crash can lose neither nor do either twice.
 */
export class FlowRunner {
  readonly #o: Required<Omit<FlowRunnerOptions, 'warn'>> & Pick<FlowRunnerOptions, 'warn'>;
  readonly #current = new Map<string, Flow>();
  /** The next local midnight after the last day whose daily triggers ran (in memory; the database has the truth). */
  #dailyDoneBefore: number | undefined;

  constructor(options: FlowRunnerOptions) {
    this.#o = { newMessageId: defaultMessageId, ...options };
    const now = options.clock.now();
    for (const flow of options.flows) {
      this.#current.set(flow.id, flow);
      options.repos.runs.rememberVersion(flow, now);
    }
  }

  get flows(): Flow[] {
    return [...this.#current.values()];
  }

  flow(id: string): Flow | undefined {
    return this.#current.get(id);
  }

  /**
   * Enrols a customer in the flows a purchase triggers. Called inside the
   * intake's transaction: the purchase and its runs are stored together.
   */
  enrollForPurchase(customer: Customer, purchase: Purchase): StartedRun[] {
    const started: StartedRun[] = [];
    const skus = purchase.items.map((item) => item.sku ?? '');
    for (const flow of this.#current.values()) {
      const { trigger } = flow;
      if (trigger.type === 'purchase') {
        if (trigger.products && !skus.some((sku) => matchesSku(trigger.products!, sku))) continue;
        if (!this.#passes(flow.filter, customer, skus)) continue;
        const run = this.#enroll(flow, customer, `purchase:${purchase.id}`, purchase.id, purchase.purchasedAt);
        if (run) started.push(run);
      } else if (trigger.type === 'repurchase') {
        if (!skus.some((sku) => matchesSku(trigger.products, sku))) continue;
        // A new purchase of the product makes the reminder for an earlier one pointless,
        // whether it still waits or already sits in the outbox (held by send days or the cap),
        // and whether or not this purchase starts a new one (the customer may no longer pass
        // the filter). A purchase recorded late, older than one that already has its
        // reminder, supersedes nothing and starts none.
        const { repos, clock } = this.#o;
        const others = repos.runs.purchaseRunsOf(customer.id, flow.id).filter((other) => other.purchaseId !== purchase.id);
        if (others.some((other) => other.purchasedAt > purchase.purchasedAt)) continue;
        for (const other of others) {
          // A run already done may still have its reminder in the queue.
          const waiting = other.status === 'waiting' ? repos.runs.find(other.id) : undefined;
          if (waiting) this.#stop(waiting, { kind: 'cancel', reason: 'superseded' }, 'superseded by a newer purchase');
          else repos.outbox.skipQueuedOfRun(other.id, 'superseded by a newer purchase', clock.now());
        }
        if (!this.#passes(flow.filter, customer, skus)) continue;
        // N days after the purchase; with `at`, at that local time on the Nth local day after it.
        let wakeAt = purchase.purchasedAt + trigger.days * DAY;
        if (trigger.at !== null) {
          const day = localParts(startOfLocalDay(purchase.purchasedAt, this.#o.timezone, trigger.days) + DAY / 2, this.#o.timezone);
          wakeAt = atLocal(day.year, day.month, day.day, trigger.at, this.#o.timezone);
        }
        const run = this.#enroll(flow, customer, `repurchase:${purchase.id}`, purchase.id, wakeAt);
        if (run) started.push(run);
      }
    }
    return started;
  }

  /** POST /api/flows/:id/runs: a seller starts a flow for a customer by hand. */
  enrollManually(flowId: string, customer: Customer): StartedRun | 'no_flow' | 'not_manual' | 'opted_out' | 'filtered_out' | 'already' {
    const flow = this.#current.get(flowId);
    if (!flow) return 'no_flow';
    if (flow.trigger.type !== 'manual') return 'not_manual';
    if (customer.optedOutAt !== null) return 'opted_out';
    if (!this.#passes(flow.filter, customer, [])) return 'filtered_out';
    // One open run of a manual flow per customer: a second start would send everything twice.
    if (this.#o.repos.runs.openFor(customer.id).some((open) => open.flowId === flowId)) return 'already';
    const now = this.#o.clock.now();
    return this.#enroll(flow, customer, `manual:${now}`, null, now) ?? 'already';
  }

  /**
   * Birthday and inactivity triggers, once per local day in TIMEZONE, catching
   * up the days a stopped service missed (at most a week back).
   */
  runDailyTriggers(): number {
    const { repos, timezone, clock } = this.#o;
    const now = clock.now();
    // Done for today: most ticks stop here, without any local-day arithmetic.
    if (this.#dailyDoneBefore !== undefined && now < this.#dailyDoneBefore) return 0;
    const today = startOfLocalDay(now, timezone);
    const last = repos.schedulerState.get('daily.evaluated_until');
    let day = last === undefined ? today : Math.max(startOfLocalDay(Number(last), timezone, 1), startOfLocalDay(now, timezone, -DAILY_CATCH_UP_DAYS));
    let enrolled = 0;
    for (; day <= today; day = startOfLocalDay(day, timezone, 1)) {
      enrolled += repos.transaction(() => {
        const count = this.#birthdaysOn(day) + this.#inactivityOn(day);
        repos.schedulerState.set('daily.evaluated_until', String(day));
        return count;
      });
    }
    this.#dailyDoneBefore = startOfLocalDay(today, timezone, 1);
    return enrolled;
  }

  /**
   * Moves due runs forward, at most `limit` of them, the longest-due first; each
   * in its own transaction. Returns how many were advanced.
   */
  advanceDue(limit: number): number {
    const { repos, clock } = this.#o;
    const due = repos.runs.due(clock.now(), limit);
    for (const run of due) {
      try {
        repos.transaction(() => {
          // Read again inside the transaction: another path (an answer) may have moved it.
          const current = repos.runs.find(run.id);
          if (current && current.status === 'waiting' && current.wakeAt !== null && current.wakeAt <= clock.now()) {
            const ask = current.state.ask;
            this.#apply(current, ask && ask.timeoutAt <= clock.now() ? { kind: 'timeout', stepId: ask.stepId } : { kind: 'due' });
          }
        });
      } catch (error) {
        // The database itself failing (busy, full, I/O) is not this run's fault: it
        // stays as it was, and the tick fails and is tried again at the next one.
        if (isDatabaseError(error)) throw error;
        // Its transaction rolled back. Left waiting, it would stay the longest-due
        // run and fail every tick first, so nobody else would ever be served.
        this.#endFailed(run, error);
      }
    }
    return due.length;
  }

  /** Ends a run whose step threw (a template that fails at send time, a bad stored value). */
  #endFailed(run: Run, error: unknown): void {
    const { repos, clock } = this.#o;
    const reason = messageOf(error);
    try {
      repos.transaction(() => {
        const current = repos.runs.find(run.id);
        if (!current || current.status !== 'waiting') return;
        const now = clock.now();
        repos.runs.save({ ...current, status: 'cancelled', endReason: 'step_failed', stepId: null, wakeAt: null, updatedAt: now, endedAt: now });
      });
      this.#o.warn?.('a flow step failed; the run was stopped so the others go on', { runId: run.id, flowId: run.flowId, stepId: run.stepId, error: reason });
    } catch (again) {
      this.#o.warn?.('a flow step failed and the run could not be stopped', { runId: run.id, error: reason, stopError: messageOf(again) });
    }
  }

  /** The customer answered a question a run is waiting on (already parsed into the ask's value). */
  answer(customerId: number, stepId: string, value: string, comment = ''): Run | undefined {
    return this.#o.repos.transaction(() => {
      const run = this.#o.repos.runs.openFor(customerId).find((open) => open.state.ask?.stepId === stepId);
      return run ? this.#apply(run, { kind: 'answer', stepId, value, comment }) : undefined;
    });
  }

  /**
   * A poll vote answers the question whose poll it is. The option voted is
   * read back against the options as they were sent.
   */
  answerPollVote(customerId: number, pollMessageId: string, selectedOptions: string[]): Run | undefined {
    return this.#o.repos.transaction(() => {
      const run = this.#o.repos.runs.openFor(customerId).find((open) => isPollOf(open.state.ask, pollMessageId));
      const value = run && this.pollVoteValue(run, selectedOptions);
      return run && value !== undefined ? this.#apply(run, { kind: 'answer', stepId: run.state.ask!.stepId, value, comment: '' }) : undefined;
    });
  }

  /** The value a vote on the run's open poll stands for ("yes", an option's key, a score), or undefined. */
  pollVoteValue(run: Run, selectedOptions: string[]): string | undefined {
    const ask = run.state.ask;
    const chosen = selectedOptions[0];
    if (!ask?.pollOptions || chosen === undefined) return undefined;
    const index = ask.pollOptions.indexOf(chosen);
    const step = this.askStepOf(run);
    if (index < 0 || !step) return undefined;
    return step.ask === 'yes_no' ? (index === 0 ? 'yes' : 'no') : step.ask === 'choice' ? (step.options[index]?.key ?? chosen) : chosen;
  }

  /** The ask step a run is waiting on, from the flow version the run follows. */
  askStepOf(run: Run): Extract<Flow['steps'][number], { kind: 'ask' }> | undefined {
    const ask = run.state.ask;
    const step = ask ? this.#versionOf(run)?.steps.find((candidate) => candidate.id === ask.stepId) : undefined;
    return step?.kind === 'ask' ? step : undefined;
  }

  /** Notes that the run's open question was asked again after a reply that could not be read. */
  markReasked(run: Run): void {
    const ask = run.state.ask;
    if (!ask) return;
    this.#o.repos.runs.save({ ...run, state: { ...run.state, ask: { ...ask, reasked: true } }, updatedAt: this.#o.clock.now() });
  }

  /** A second reply that could not be read: the question's no_answer branch, the reply kept as the comment. */
  giveUpOn(run: Run, comment: string): Run | undefined {
    const ask = run.state.ask;
    return ask ? this.#apply(run, { kind: 'unreadable', stepId: ask.stepId, comment }) : undefined;
  }

  /**
   * Applies an understood answer to the run that asked (inside the caller's
   * transaction). `customer`, when the caller just read it, saves reading it again.
   */
  answerRun(run: Run, value: string, comment: string, customer?: Customer): Run | undefined {
    const ask = run.state.ask;
    return ask ? this.#apply(run, { kind: 'answer', stepId: ask.stepId, value, comment }, customer) : undefined;
  }

  /**
   * The seller stops a flow's waiting runs (all of them, or one customer's),
   * and their messages still in the queue; also for a flow whose file was
   * removed, whose runs would otherwise finish on their stored version.
   * Undefined when no such flow was ever loaded.
   */
  cancelFlowRuns(flowId: string, customerId?: number): number | undefined {
    const { repos } = this.#o;
    if (!this.#current.has(flowId) && !repos.runs.knowsFlow(flowId)) return undefined;
    return repos.transaction(() => {
      const open = customerId === undefined ? repos.runs.openOfFlow(flowId) : repos.runs.openFor(customerId).filter((run) => run.flowId === flowId);
      for (const run of open) this.#stop(run, { kind: 'cancel', reason: 'cancelled_by_seller' }, 'cancelled by the seller');
      return open.length;
    });
  }

  /** Flows no longer loaded (their file removed) that still have runs waiting, with how many. */
  removedFlowsWithRuns(): { flowId: string; runs: number }[] {
    return [...this.#o.repos.runs.openCountsByFlow()].filter(([flowId]) => !this.#current.has(flowId)).map(([flowId, runs]) => ({ flowId, runs }));
  }

  /** Stops every open run of a customer (opt-out, erasure, a person taking over for good). */
  cancelFor(customerId: number, reason: string): number {
    return this.#o.repos.transaction(() => {
      const open = this.#o.repos.runs.openFor(customerId);
      for (const run of open) this.#stop(run, reason === 'opted_out' ? { kind: 'opt_out' } : { kind: 'cancel', reason }, reason);
      return open.length;
    });
  }

  /** Ends a run (cancel or opt-out) and skips its messages still in the queue. Call inside a transaction. */
  #stop(run: Run, event: Extract<EngineEvent, { kind: 'cancel' | 'opt_out' }>, note: string): void {
    this.#apply(run, event);
    this.#o.repos.outbox.skipQueuedOfRun(run.id, note, this.#o.clock.now());
  }

  /** Applies an event to a run and stores the result with its effects. Call inside a transaction. */
  #apply(run: Run, event: EngineEvent, known?: Customer): Run {
    const { repos, clock } = this.#o;
    const flow = this.#versionOf(run);
    const customer = known?.id === run.customerId ? known : repos.customers.findById(run.customerId);
    if (!flow || !customer || customer.erasedAt !== null) {
      const now = clock.now();
      const ended: Run = { ...run, status: 'cancelled', endReason: flow ? 'customer_gone' : 'flow_version_missing', stepId: null, wakeAt: null, updatedAt: now, endedAt: now };
      repos.runs.save(ended);
      return ended;
    }
    const purchase = run.purchaseId === null ? undefined : repos.purchases.find(run.purchaseId);
    const result = advance(run, event, {
      flow,
      now: clock.now(),
      timezone: this.#o.timezone,
      template: this.#templateContext(customer, purchase, run),
      render: this.#o.render,
      newMessageId: this.#o.newMessageId,
      yesNoLabels: { yes: translate(this.#o.locale, 'flow.poll.yes'), no: translate(this.#o.locale, 'flow.poll.no') },
    });
    repos.runs.save(result.run);
    this.#effects(result.run, customer, result.effects);
    return result.run;
  }

  #effects(run: Run, customer: Customer, effects: Effect[]): void {
    const { repos, clock } = this.#o;
    const rows: NewOutboxRow[] = [];
    for (const effect of effects) {
      switch (effect.kind) {
        case 'message':
        case 'expired': {
          const recipients = effect.to === 'customer' ? (customer.phone ? [customer.phone] : []) : this.#o.ownerPhones;
          if (effect.to === 'owner' && recipients.length === 0) {
            this.#o.warn?.('alert_owner step with no OWNER_PHONE configured: the alert was not sent', { runId: run.id, stepId: effect.stepId });
          }
          if (effect.kind === 'expired') {
            this.#o.warn?.('a flow step was due too long ago: recorded as expired, not sent', { runId: run.id, stepId: effect.stepId, dueAt: new Date(effect.dueAt).toISOString() });
          }
          const expired = effect.kind === 'expired';
          recipients.forEach((toPhone, index) => {
            rows.push({
              ...(expired ? { status: 'expired' as const } : {}),
              dedupeKey: effect.to === 'owner' ? `${effect.dedupeKey}:${toPhone}` : effect.dedupeKey,
              runId: run.id,
              stepId: effect.stepId,
              customerId: customer.id,
              purpose: effect.to,
              toPhone,
              marketing: expired ? false : effect.marketing,
              content: effect.content,
              // Each recipient needs its own WhatsApp id.
              waId: index === 0 ? effect.messageId : this.#o.newMessageId(),
              dueAt: effect.dueAt,
              notBefore:
                effect.to === 'owner' || expired
                  ? Math.max(effect.dueAt, clock.now())
                  : nextSendableTime(Math.max(effect.dueAt, clock.now()), this.#o.quietHours, this.#o.sendDays, this.#o.timezone),
              expiresAt: expired ? effect.dueAt : effect.expiresAt,
            });
          });
          break;
        }
        case 'tag':
        case 'untag': {
          const tags = effect.kind === 'tag' ? [...new Set([...customer.tags, ...effect.tags])] : customer.tags.filter((tag) => !effect.tags.includes(tag));
          repos.customers.setTags(customer.id, tags, clock.now());
          customer = { ...customer, tags };
          break;
        }
      }
    }
    if (rows.length > 0) repos.outbox.enqueue(rows, clock.now());
  }

  #enroll(flow: Flow, customer: Customer, occurrence: string, purchaseId: number | null, wakeAt: number): StartedRun | undefined {
    const first = flow.steps[0];
    if (!first || customer.optedOutAt !== null || customer.erasedAt !== null) return undefined;
    const run = this.#o.repos.runs.create(
      { flowId: flow.id, flowHash: flow.hash, customerId: customer.id, occurrence, purchaseId, stepId: first.id, wakeAt, state: EMPTY_RUN_STATE },
      this.#o.clock.now(),
    );
    return run ? { id: run.id, flowId: flow.id, flowVersion: flow.version, occurrence, wakeAt } : undefined;
  }

  #birthdaysOn(day: number): number {
    const { timezone } = this.#o;
    let count = 0;
    for (const flow of this.#current.values()) {
      if (flow.trigger.type !== 'birthday') continue;
      const { daysBefore, at } = flow.trigger;
      const birthday = localParts(startOfLocalDay(day, timezone, daysBefore) + DAY / 2, timezone);
      const monthDays = [`${pad(birthday.month)}-${pad(birthday.day)}`];
      // A birthday on 29 February is celebrated on 1 March in the other years.
      if (birthday.month === 3 && birthday.day === 1 && !isLeapYear(birthday.year)) monthDays.push('02-29');
      const dayParts = localParts(day + DAY / 2, timezone);
      const wakeAt = atLocal(dayParts.year, dayParts.month, dayParts.day, at, timezone);
      for (const monthDay of monthDays) {
        for (const customer of this.#o.repos.customers.withBirthdayOn(monthDay)) {
          if (!this.#passes(flow.filter, customer, [])) continue;
          if (this.#enroll(flow, customer, `birthday:${birthday.year}`, null, wakeAt)) count += 1;
        }
      }
    }
    return count;
  }

  #inactivityOn(day: number): number {
    const { timezone } = this.#o;
    let count = 0;
    for (const flow of this.#current.values()) {
      if (flow.trigger.type !== 'inactivity') continue;
      const { days, at } = flow.trigger;
      const from = startOfLocalDay(day, timezone, -days);
      const to = startOfLocalDay(day, timezone, -days + 1);
      const dayParts = localParts(day + DAY / 2, timezone);
      const wakeAt = atLocal(dayParts.year, dayParts.month, dayParts.day, at, timezone);
      for (const { customer, purchaseId } of this.#o.repos.customers.lastBoughtBetween(from, to)) {
        if (!this.#passes(flow.filter, customer, [])) continue;
        if (this.#enroll(flow, customer, `inactivity:${purchaseId}`, purchaseId, wakeAt)) count += 1;
      }
    }
    return count;
  }

  #passes(filter: Filter, customer: Customer, currentSkus: string[]): boolean {
    if (filter.consent === 'marketing' && customer.consent.marketing !== 'granted') return false;
    if (!filter.tagsAll.every((tag) => customer.tags.includes(tag))) return false;
    if (filter.tagsNone.some((tag) => customer.tags.includes(tag))) return false;
    if (filter.products) {
      const patterns = filter.products;
      const bought = [...currentSkus, ...this.#o.repos.purchases.listByCustomer(customer.id).flatMap((p) => p.items.map((item) => item.sku ?? ''))];
      if (!bought.some((sku) => matchesSku(patterns, sku))) return false;
    }
    return true;
  }

  #versionOf(run: Run): Flow | undefined {
    return this.#o.repos.runs.version(run.flowId, run.flowHash);
  }

  #templateContext(customer: Customer, purchase: Purchase | undefined, run: Run): TemplateContext {
    const name = customer.name ?? '';
    const items = purchase?.items ?? [];
    const names = items.map((item) => item.name);
    const and = translate(this.#o.locale, 'flow.list.and');
    return {
      shop: { name: this.#o.shopName },
      customer: {
        name,
        first_name: name.split(' ')[0] ?? '',
        phone: customer.phone ?? '',
        whatsapp_link: waMeLink(customer.phone),
        email: customer.email ?? '',
        tags: customer.tags,
      },
      purchase: {
        external_id: purchase?.externalId ?? '',
        total: purchase?.totalCents === null || purchase === undefined ? '' : formatMoney(purchase.totalCents, purchase.currency, this.#o.locale),
        currency: purchase?.currency ?? '',
        items: items.map((item) => ({ sku: item.sku ?? '', name: item.name, quantity: item.quantity })),
        products: names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${and} ${names.at(-1)}`,
        purchased_at: purchase ? new Date(purchase.purchasedAt).toISOString() : '',
      },
      answer: { value: run.state.answer?.value ?? '', comment: run.state.answer?.comment ?? '' },
    };
  }
}

/** An error of SQLite itself (better-sqlite3 gives them a code SQLITE_…), as opposed to one of the flow's step. */
function isDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
