import type { Config } from '../config.js';
import { SimulatorChannel } from '../channels/simulator/simulator-channel.js';
import { localParts } from '../domain/local-time.js';
import type { Flow } from '../flows/flow-types.js';
import { SAMPLE_CONTEXT } from '../flows/render-template.js';
import { recordPurchase } from '../intake/record-purchase.js';
import { ManualClock } from '../scheduler/clock.js';
import type { FlowServices } from '../scheduler/flow-services.js';
import { openDatabase } from '../storage/db.js';
import type { Repositories } from '../storage/repositories/index.js';
import type { Customer } from '../domain/customer.js';
import type { Reason } from '../domain/reasons.js';
import { pino } from 'pino';
import { assembleCore } from '../assemble-core.js';
import { pad2 } from '../domain/dates.js';

export interface DryRunOptions {
  phone: string;
  name: string;
  /** Answers given, in order, to the questions the flow asks: "9", "sim", an option. */
  answers: string[];
  days: number;
  start: number;
  /** How long the simulated customer takes to answer. */
  answerAfterMs?: number;
  /**
   * The customer already wrote to the shop (warm). Default false: a customer who just bought and never
   * wrote, the usual case, for whom flows with `cold: skip` send nothing and `wait_for_contact` waits.
   */
  warm?: boolean;
}

export interface TimelineEntry {
  at: number;
  /**
   * A message sent, a message to the customer the flow skipped because they never wrote to the shop
   * (`cold: skip`; its text in `text`), an answer given, or a branch taken after a question (outcome
   * in `text`, the step it leads to in `next`).
   */
  who: 'customer' | 'owner' | 'skipped' | 'answer' | 'branch';
  text: string;
  next?: string;
  /** A question sent as a poll: its question and options apart, for a page that shows them in WhatsApp's order. */
  poll?: { question: string; options: string[] };
  /** When it was due, if the governor moved it (quiet hours, days off, daily cap). */
  dueAt: number | null;
  /** A skipped message's reason when it is not the cold customer's: it names {{ shop.review_url }} and SHOP_REVIEW_URL is empty. */
  skipReason?: 'no_review_url';
}

const DAY = 86_400_000;
const SAMPLE_SHOP = '+5511900000000';
const SAMPLE_OWNER = '+5511988887777';

/** What one customer would see from a flow, and how its run ended (null: still running at the end). */
export interface Timeline {
  entries: TimelineEntry[];
  endReason: string | null;
}

/** A flow's dry run, as the assembly hands it to the pages. */
export type DryRun = (flow: Flow, options: DryRunOptions) => Promise<Timeline>;

/**
 * The timeline one customer would see from a flow, run on an in-memory copy of
 * everything (database, WhatsApp, clock): nothing real is read or written.
 */
export async function dryRunFlow(flow: Flow, config: Config, options: DryRunOptions): Promise<Timeline> {
  // Without OWNER_PHONE an alert would go nowhere; the timeline still shows it, to a sample number.
  config = config.ownerPhones.length > 0 ? config : { ...config, ownerPhones: [SAMPLE_OWNER] };
  const clock = new ManualClock(options.start);
  const channel = new SimulatorChannel({ clock, shopPhone: SAMPLE_SHOP });
  await channel.start();
  const core = await assembleCore({
    config,
    db: openDatabase(':memory:'),
    channel,
    clock,
    flows: [flow],
    logger: pino({ level: 'silent' }),
    // Pacing like the real service, but the gap fixed at its minimum so that the timeline is stable.
    random: () => 0,
    weeklySummary: false,
  });
  try {
    const { repos, flows: services, traffic } = core;
    const customer = repos.customers.create(
      { phone: options.phone, details: { name: options.name }, consent: { marketing: true, source: 'simulation', text: null } },
      clock.now(),
    );
    if (options.warm) repos.customers.markWarm(customer.id, clock.now());

    startFlow(flow, { repos, services, customer, clock, timezone: config.timezone });

    const answers = [...options.answers];
    const entries: TimelineEntry[] = [];
    const end = options.start + options.days * DAY;
    const answerAfter = options.answerAfterMs ?? 10 * 60_000;
    const openAsk = () => repos.runs.openFor(customer.id).find((run) => run.state.ask !== null)?.state.ask ?? null;
    for (let guard = 0; guard < 1_000 && clock.now() < end; guard += 1) {
      const ask = openAsk();
      if (ask && answers.length > 0) {
        await services.scheduler.travel(clock, Math.min(end, Math.max(clock.now(), ask.askedAt) + answerAfter));
        if (clock.now() >= ask.timeoutAt || clock.now() >= end) continue;
        const value = answers.shift()!;
        entries.push({ at: clock.now(), who: 'answer', text: value, dueAt: null });
        const asking = repos.runs.openFor(customer.id).find((run) => run.state.ask?.messageId === ask.messageId);
        giveAnswer(channel, customer.phone!, ask, value);
        await traffic.settled();
        // Read as the inbox read it: an answer moves the run on; a reply it could not read gets the
        // question asked again (the next answer given is the reply to that), a second one no_answer.
        const run = asking && repos.runs.find(asking.id);
        const outcome = run && run.state.ask?.messageId !== ask.messageId && run.state.answer?.stepId === ask.stepId ? run.state.answer.outcome : null;
        if (outcome !== null) entries.push({ at: clock.now(), who: 'branch', text: outcome, next: nextAfter(flow, ask.stepId, outcome), dueAt: null });
        continue;
      }
      const nextWake = repos.runs.nextWakeAt();
      const step = nextWake === null || nextWake > end ? end : Math.max(nextWake, clock.now() + 60_000);
      await services.scheduler.travel(clock, Math.min(end, step));
      // A question left unanswered until its timeout takes the no_answer branch.
      const after = openAsk();
      if (ask && clock.now() >= ask.timeoutAt && (after === null || after.messageId !== ask.messageId)) {
        entries.push({ at: ask.timeoutAt, who: 'branch', text: 'no_answer', next: nextAfter(flow, ask.stepId, 'no_answer'), dueAt: null });
      }
      if (nextWake === null && repos.outbox.nextNotBefore() === null) break;
    }
    await services.scheduler.travel(clock, Math.max(clock.now(), Math.min(end, clock.now() + 60_000)));

    for (const row of repos.outbox.list({ limit: 500 }).reverse()) {
      const text = row.content.kind === 'poll' ? `${row.content.question} [${row.content.options.join(' | ')}]` : row.content.kind === 'image' ? `[${row.content.file}] ${row.content.caption ?? ''}` : row.content.text;
      const poll = row.content.kind === 'poll' ? { poll: { question: row.content.question, options: row.content.options } } : {};
      // Without this a cold customer's birthday or win-back run reads as an empty timeline.
      if (row.status === 'skipped' && row.lastError === ('cold_skipped' satisfies Reason)) {
        entries.push({ at: row.dueAt, who: 'skipped', text, ...poll, dueAt: null });
        continue;
      }
      // A review request without SHOP_REVIEW_URL: shown, with why, rather than left out of the timeline.
      if (row.status === 'skipped' && row.lastError === ('no_review_url' satisfies Reason)) {
        entries.push({ at: row.dueAt, who: 'skipped', text, ...poll, dueAt: null, skipReason: 'no_review_url' });
        continue;
      }
      if (row.status !== 'sent') continue;
      const sentAt = row.finishedAt ?? row.dueAt;
      entries.push({ at: sentAt, who: row.purpose === 'owner' ? 'owner' : 'customer', text, ...poll, dueAt: sentAt - row.dueAt > 60 * 60_000 ? row.dueAt : null });
    }
    entries.sort((a, b) => a.at - b.at);
    const runs = repos.runs.listFor(customer.id);
    const endReason = runs.every((run) => run.status !== 'waiting') ? (runs.at(-1)?.endReason ?? null) : null;
    return { entries, endReason };
  } finally {
    await core.close();
  }
}

function startFlow(
  flow: Flow,
  deps: {
    repos: Repositories;
    services: FlowServices;
    customer: Customer;
    clock: ManualClock;
    timezone: string;
  },
): void {
  const { repos, services, customer, clock, timezone } = deps;
  const { trigger } = flow;
  const purchase = (sku: string, purchasedAt: number) =>
    recordPurchase(
      repos,
      {
        externalId: null,
        customer: { phone: customer.phone!, details: {}, consent: undefined },
        items: [{ sku, name: SAMPLE_CONTEXT.purchase.items[0]?.name ?? sku, quantity: 1, unitPriceCents: 4990 }],
        totalCents: 4990,
        currency: 'BRL',
        source: 'simulation',
        purchasedAt,
      },
      clock.now(),
      (who, what) => services.runner.enrollForPurchase(who, what),
    );
  switch (trigger.type) {
    case 'purchase':
      purchase(exampleSku(trigger.products), clock.now());
      return;
    case 'repurchase':
      purchase(exampleSku(trigger.products), clock.now());
      return;
    case 'birthday': {
      const day = localParts(clock.now() + (trigger.daysBefore + 1) * DAY, timezone);
      repos.customers.update(customer.id, { birthday: `--${pad2(day.month)}-${pad2(day.day)}` }, clock.now());
      return;
    }
    case 'inactivity':
      purchase('SIMULACAO', clock.now() - (trigger.days - 1) * DAY);
      return;
    case 'manual':
      repos.transaction(() => services.runner.enrollManually(flow.id, customer));
      return;
    case 'tagged':
      // As the seller tagging the customer on their page: the tag is new to them.
      repos.transaction(() => {
        const tagged = repos.customers.update(customer.id, { tags: [...customer.tags, trigger.tag] }, clock.now());
        services.runner.enrollForTags(tagged, [trigger.tag]);
      });
      return;
    case 'first_message':
      // The customer's first message, one the inbox leaves to the flow (a plain "oi").
      repos.transaction(() => services.runner.enrollForFirstMessage(customer));
      return;
    case 'purchase_count':
      // Issue 21: as many purchases as the trigger counts; the last one starts the run.
      for (let n = 0; n < (trigger.every ?? trigger.nth ?? 1); n += 1) purchase('SIMULACAO', clock.now());
      return;
  }
}

/**
 * The customer answers as on the phone, and the inbox reads it as it reads real
 * replies: a vote when the answer is one of the poll's options, typed otherwise.
 */
function giveAnswer(channel: SimulatorChannel, phone: string, ask: { messageId: string; pollOptions: string[] | null }, value: string): void {
  const option = ask.pollOptions?.find((label) => normalize(label) === normalize(value));
  if (option) channel.receivePollVote(phone, ask.messageId, [option]);
  else channel.receiveText(phone, value);
}

/** Where a question's outcome leads, as the flow file says. */
function nextAfter(flow: Flow, stepId: string, outcome: string): string {
  const step = flow.steps.find((candidate) => candidate.id === stepId);
  if (!step || step.kind !== 'ask') return 'end';
  return step.branches[outcome] ?? step.next;
}

function normalize(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase();
}

function exampleSku(patterns: string[] | null): string {
  const pattern = patterns?.[0] ?? 'PRODUTO-1';
  return pattern.replace(/\*/g, 'X').replace(/\?/g, 'X');
}
