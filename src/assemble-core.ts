import type { Logger } from 'pino';
import type { Channel } from './channels/channel.js';
import type { Config } from './config.js';
import type { Flow } from './flows/flow-types.js';
import { createInbox, type Inbox } from './inbox/inbox.js';
import { recordTraffic, type RecordedTraffic } from './inbox/record-traffic.js';
import type { Clock } from './scheduler/clock.js';
import { createFlowServices, type FlowServices } from './scheduler/flow-services.js';
import type { Database } from './storage/db.js';
import { GroupCommit } from './storage/group-commit.js';
import { createRepositories, type Repositories } from './storage/repositories/index.js';

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
  /** What an inbound message means, handled in the transaction that stores it. */
  inbox: Inbox;
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
    inbox,
    close: async () => {
      await flows.scheduler.stop();
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
