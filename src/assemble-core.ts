import type { Logger } from 'pino';
import type { Channel, WhatsAppLimits } from './channels/channel.js';
import type { Config } from './config.js';
import type { Flow } from './flows/flow-types.js';
import { LiveFlows } from './flows/live-flows.js';
import { createInbox, type Inbox } from './inbox/inbox.js';
import { createCampaignService, type CampaignService } from './campaigns/campaigns.js';
import { imageChecker } from './flows/load-flows.js';
import { segmentMembers } from './segments/segments.js';
import { recordTraffic, type RecordedTraffic } from './inbox/record-traffic.js';
import type { Clock } from './scheduler/clock.js';
import { createFlowServices, type FlowServices } from './scheduler/flow-services.js';
import { alertOwnerOfLimits } from './scheduler/limits-alerts.js';
import type { Database } from './storage/db.js';
import { GroupCommit } from './storage/group-commit.js';
import { createRepositories, type Repositories } from './storage/repositories/index.js';
import { createNuvemshopConnector, type NuvemshopConnector, type NuvemshopOptions } from './integrations/nuvemshop/nuvemshop-connector.js';

/** The parts the service is made of; everything else is derived from them. */
export interface AssemblyInput {
  config: Config;
  /** An open database; the assembly owns it from here and closes it last. */
  db: Database;
  /** The channel, or how to make it over the assembled parts (the WhatsApp adapter keeps its session in the database). */
  channel: Channel | ((parts: { db: Database; repos: Repositories; clock: Clock; logger: Logger }) => Channel | Promise<Channel>);
  clock: Clock;
  /** The flows loaded (and validated) from FLOWS_DIR. */
  flows: Flow[];
  logger: Logger;
  /** The send gaps' randomness (Math.random by default); tests and the dry run fix it. */
  random?: () => number;
  /** false: no weekly summary from the tick (a dry run of one flow). Default true. */
  weeklySummary?: boolean;
  /** The Nuvemshop connector's fetch timeout and retry policy (tests shorten them). */
  nuvemshop?: NuvemshopOptions;
  /** true: watch FLOWS_DIR and load each change at once (the service); otherwise flows are loaded again only by liveFlows.reload(). */
  watchFlows?: boolean;
}

/** Everything but HTTP: what the dry run, the benches of the inner paths and the service share. */
export interface Core {
  config: Config;
  db: Database;
  repos: Repositories;
  channel: Channel;
  clock: Clock;
  /** The group commit that the channel's traffic and the HTTP writes share (one fsync for what arrives together). */
  writes: GroupCommit;
  /** The channel's traffic as it is stored in the record. */
  traffic: RecordedTraffic;
  /** The flows at work: the runner, the send governor, the scheduler and the weekly summary. */
  flows: FlowServices;
  /** FLOWS_DIR loaded again when a file changes (watched with `watchFlows`; reload() after a save): new runs take the new version. */
  liveFlows: LiveFlows;
  /** What an inbound message means, handled in the transaction that stores it. */
  inbox: Inbox;
  /** With NUVEMSHOP_APP_SECRET: the webhook's intake and the durable order fetches (run by each tick). */
  nuvemshop: NuvemshopConnector | undefined;
  /** One-off messages to a segment, on the flows' machinery (issue 21). */
  campaigns: CampaignService;
  /** Stops ticking, then the channel, stores what it reported last and closes the database. */
  close: () => Promise<void>;
}

/**
 * The service without HTTP: repositories, channel, traffic, flows and inbox,
 * and the order they shut down in. assemble() (src/assemble.ts) adds the HTTP
 * app on top; the dry run and the benches of the inner paths use this alone.
 */
export async function assembleCore(input: AssemblyInput): Promise<Core> {
  const { config, db, clock, logger } = input;
  const repos = createRepositories(db);
  const channel = typeof input.channel === 'function' ? await input.channel({ db, repos, clock, logger }) : input.channel;
  // Messages, receipts and purchases that arrive together share one commit (one fsync).
  const writes = new GroupCommit(db);
  const traffic = recordTraffic(channel, repos, clock, {
    writes,
    onError: (error) => logger.error({ err: error }, 'what WhatsApp reported could not be stored'),
  });
  const log = (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => logger[level](details ?? {}, message);
  const flows = createFlowServices({
    config,
    flows: input.flows,
    repos,
    channel,
    clock,
    ...(input.random ? { random: input.random } : {}),
    ...(input.weeklySummary === false ? { weeklySummary: false } : {}),
    log,
  });
  // Each valid change of a flow file goes to the runner; a broken file keeps its flow's last valid version.
  const liveFlows = new LiveFlows({
    dir: config.flowsDir,
    locale: config.locale,
    initial: input.flows,
    clock,
    log,
    apply: (next) => flows.runner.replaceFlows(next),
    openRuns: (flowId) => repos.runs.openCountsByFlow().get(flowId) ?? 0,
  });
  const stopWatching = input.watchFlows === true ? liveFlows.watch() : () => {};
  const inbox = createInbox({
    repos,
    runner: flows.runner,
    clock,
    locale: config.locale,
    shopName: config.shopName,
    defaultCountry: config.defaultCountry,
    pagesUrl: config.publicUrl,
    ownerPhones: config.ownerPhones,
    handoffPauseHours: config.handoffPauseHours,
    warn: (message, details) => log('warn', message, details),
  });
  const nuvemshop = createNuvemshopConnector(
    {
      config,
      repos,
      writes,
      clock,
      intake: { locale: config.locale, defaultCountry: config.defaultCountry, currency: config.currency, clock },
      flows: { runner: flows.runner, enroll: (customer, purchase) => flows.runner.enrollForPurchase(customer, purchase) },
      log,
    },
    input.nuvemshop,
  );
  if (nuvemshop) flows.scheduler.alsoEachTick(() => void nuvemshop.fetcher.fetchDueOrders());
  const campaigns = createCampaignService({
    repos,
    clock,
    config,
    segmentMembers: (segmentId) => segmentMembers(repos, segmentId, { now: clock.now(), timeZone: config.timezone }),
    checkImage: (file) => {
      try {
        return imageChecker(config.flowsDir)(file);
      } catch {
        // No flows folder: no image in it either.
        return 'missing';
      }
    },
    kick: () => flows.scheduler.kick(),
  });
  // First: the link time is noted before the scheduler, kicked by the same 'open', sends a cold message.
  connectLimits({ channel, repos, clock, config, flows, log });
  connectTraffic({ channel, traffic, inbox, flows });

  return {
    config,
    db,
    repos,
    channel,
    clock,
    writes,
    traffic,
    flows,
    liveFlows,
    inbox,
    nuvemshop,
    campaigns,
    close: async () => {
      stopWatching();
      await flows.scheduler.stop();
      // A fetch under way stores its outcome before the database closes.
      await nuvemshop?.fetcher.stop();
      await channel.stop();
      // What the channel reported last is committed before the database closes.
      await traffic.settled();
      traffic.detach();
      db.close();
    },
  };
}

/**
 * Each inbound message is understood in the transaction that stores it; once it
 * is committed, an answer or an opt-out's confirmation is sent without waiting
 * for the tick. Receipts settle sends of unknown outcome; the owner typing to a
 * customer from the phone makes the bot step aside.
 */
function connectTraffic(parts: { channel: Channel; traffic: RecordedTraffic; inbox: Inbox; flows: FlowServices }): void {
  const { channel, traffic, inbox, flows } = parts;
  let changed = false;
  traffic.handleInbound((recorded) => {
    const outcome = inbox.handle(recorded);
    if (outcome !== 'kept' && outcome !== 'no_question') changed = true;
  });
  traffic.on('inbound', () => {
    if (!changed) return;
    changed = false;
    flows.scheduler.kick();
  });
  traffic.on('receipt', ({ receipt }) => {
    if (receipt.status !== 'failed') flows.governor.confirmByReceipt(receipt.messageId);
  });
  // Waiting runs keep their place during the owner's pause; their messages go when it ends.
  traffic.on('owner-message', ({ customer }) => inbox.ownerWrote(customer));
  channel.on('state', (state) => {
    if (state === 'open') flows.scheduler.kick();
  });
  channel.on('breaker', (status) => {
    if (!status.open) flows.scheduler.kick();
  });
}

/**
 * WhatsApp's limits (issue 18): kept as the channel reads them (they outlive a
 * restart), the owner told once per event, held messages looked at again when
 * WhatsApp eases; the link time for the warm-up ramp (first seen open, forgotten
 * at logout); and a 463 on a cold message, synchronous or as a late receipt,
 * settles its row as refused and marks the customer, never to be retried.
 */
function connectLimits(parts: {
  channel: Channel;
  repos: Repositories;
  clock: Clock;
  config: Config;
  flows: FlowServices;
  log: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
}): void {
  const { channel, repos, clock, config, flows, log } = parts;
  const noteOpen = () => {
    // A session of unknown age counts from now: the safer end of the warm-up ramp.
    repos.whatsappLimits.noteLinked(clock.now());
    if (channel.linkedPhone !== null) repos.whatsappLimits.noteShopPhone(channel.linkedPhone);
  };
  if (channel.state === 'open') noteOpen();
  channel.on('state', (state) => {
    if (state === 'open') noteOpen();
    else if (state === 'logged_out') repos.whatsappLimits.forgetLink();
  });
  channel.on('limits', (limits) => {
    const now = clock.now();
    const { told, released } = repos.transaction(() => {
      const before = repos.whatsappLimits.read();
      repos.whatsappLimits.save(limits);
      const after = repos.whatsappLimits.read();
      const alerts = alertOwnerOfLimits(after, now, { repos, ownerPhones: config.ownerPhones, locale: config.locale, timezone: config.timezone });
      // Eased (a lock lifted early, a new cycle, a warning withdrawn): what waited is looked at again now.
      const freed = eased(before, after) ? repos.outbox.releaseHeld(['reachout_lock', 'cold_budget'], now) : 0;
      return { told: alerts, released: freed };
    });
    for (const text of told) log('warn', text, { limits });
    // The owner's alert goes now rather than at the next tick.
    if (released > 0 || (told.length > 0 && config.ownerPhones.length > 0)) flows.scheduler.kick();
  });
  channel.on('receipt', (receipt) => {
    if (receipt.status !== 'failed' || receipt.errorCode !== 463) return;
    const now = clock.now();
    const refused = repos.transaction(() => {
      const row = repos.outbox.refuseCold(receipt.messageId, now);
      if (row !== undefined && row.customerId !== null) repos.customers.markColdRefused(row.customerId, now);
      return row;
    });
    if (refused) log('warn', 'WhatsApp refused a new chat (463): that customer is reached only if they write first', { outboxId: refused.id, customerId: refused.customerId });
  });
}

/** Whether WhatsApp's new limits may let through a cold message the old ones held. */
function eased(before: WhatsAppLimits, after: WhatsAppLimits): boolean {
  const lockOf = (limits: WhatsAppLimits) => (limits.lock?.active ? (limits.lock.endsAt ?? Number.POSITIVE_INFINITY) : 0);
  const rank = { none: 0, first_warning: 1, second_warning: 2, capped: 3 } as const;
  if (lockOf(after) < lockOf(before)) return true;
  const [b, a] = [before.cap, after.cap];
  if (a === null || b === null) return false;
  return a.cycleEnd !== b.cycleEnd || rank[a.status] < rank[b.status] || (a.total ?? 0) > (b.total ?? 0);
}
