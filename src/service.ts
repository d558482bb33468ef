import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import QRCode from 'qrcode';
import { assemble } from './assemble.js';
import type { Config } from './config.js';
import { resolveAdminToken } from './http/auth.js';
import { translate, translator } from './i18n/index.js';
import { logDestination, loggerOptions, maskPhonesInText, resolveLogFormat } from './logger.js';
import { ManualClock, systemClock, type Clock } from './scheduler/clock.js';
import { formatFlowErrors, loadFlows } from './flows/load-flows.js';
import { openDatabase, type Database } from './storage/db.js';
import type { Repositories } from './storage/repositories/index.js';
import { createWhatsAppStore } from './storage/repositories/whatsapp.js';
import type { Channel } from './channels/channel.js';
import { SimulatorChannel } from './channels/simulator/simulator-channel.js';
import { mergeSplitCustomers, type MergeReport } from './storage/repositories/merge-split-customers.js';
import { formatMode, privateDataPaths, restrictNewFiles, tightenDataFiles, type TightenReport } from './storage/file-modes.js';
import { BackupSchedule } from './scheduler/backup-schedule.js';
import { messageOf } from './domain/errors.js';
import type { Simulation } from './simulation/simulation.js';
import type { AdminTokenHint } from './http/pages.js';

export interface ServiceOptions {
  /** The service's clock; by default the system's, or a manual one starting now with the simulator. */
  clock?: Clock;
  /** Before the port opens and the channel and the tick start: the demo seeds its shop here. */
  beforeListen?: (parts: { app: FastifyInstance; channel: Channel; clock: Clock; adminToken: string; simulation: Simulation | undefined }) => Promise<void>;
  onListening?: (url: string) => void;
  /** After a shutdown, once the database is closed. */
  onClosed?: () => void;
  /** With the simulator: a real delay per send, for the crash suite (SimulatorChannelOptions.sendLatencyMs). */
  simulatorSendLatencyMs?: number;
  /** What the sign-in page says about the token: 'demo' for the one the demo prints; the service's file or variable by default. */
  adminTokenHint?: AdminTokenHint;
}

/** Why the service could not start, said to the person who started it; the process exits with 1. */
export class StartError extends Error {
  override name = 'StartError';
}

/**
 * The service as a process: the data's file modes, the admin token, the flows,
 * the assembly (src/assemble.ts), backups, the signals that stop it, the port
 * and the QR in the terminal. `npm start` (main.ts) and `npm run demo`
 * (demo.ts) run it; it throws a StartError when it cannot start.
 */
export async function runService(config: Config, options: ServiceOptions = {}): Promise<void> {
  // Readable lines for a person at the terminal, JSON for files and collectors (LOG_FORMAT).
  const logFormat = resolveLogFormat(config.logFormat, process.stdout.isTTY);
  const logger = pino(loggerOptions(config.logLevel), logDestination(logFormat, { timezone: config.timezone, locale: config.locale }));
  const t = translator(config.locale);

  // Only the service's user may read the shop's data: new files by the umask, older ones tightened before SQLite opens them.
  restrictNewFiles();
  logTightened(logger, config.locale, tightenDataFiles(privateDataPaths(config)));
  const db = openDatabase(config.databaseFile);
  const admin = resolveAdminToken(config.adminToken, config.adminTokenFile);
  if (admin.origin.kind === 'file') {
    logger.info({ file: admin.origin.file }, t(admin.origin.created ? 'log.token_generated' : 'log.token_loaded', { file: admin.origin.file }));
  }

  // The service refuses to start with a broken flow: better now than a broken message at 3 a.m.
  const loaded = loadFlows(config.flowsDir, { locale: config.locale });
  if (loaded.errors.length > 0) {
    db.close();
    throw new StartError(`${t('log.flows_broken', { dir: config.flowsDir })}\n${formatFlowErrors(loaded.errors)}`);
  }
  logger.info({ flows: loaded.flows.map((flow) => `${flow.id}@${flow.version}`) }, t('log.flows_loaded', { count: loaded.flows.length }));

  // With the simulator, time moves only when told to (POST /api/simulator/clock): flows can be watched unfolding.
  const clock = options.clock ?? (config.channel === 'simulator' ? new ManualClock(Date.now()) : systemClock);
  const assembly = await assemble({
    config,
    db,
    clock,
    flows: loaded.flows,
    // A flow file changed on disk (or saved from the pages) is loaded at once; a broken one keeps its last valid version.
    watchFlows: true,
    logger,
    adminToken: admin.token,
    adminTokenHint: options.adminTokenHint,
    channel: ({ repos }) => createChannel(config, db, repos, logger, clock, options.simulatorSendLatencyMs ?? 0),
  });
  const { app, channel, flows } = assembly;
  logMerge(logger, config.locale, mergeSplitCustomers(db, clock.now(), { onOptedOut: (id) => flows.runner.cancelFor(id, 'opted_out') }));

  // Backups follow the machine's clock, even when the simulator's clock is moved by hand.
  const backups = config.backupCron === null ? null : new BackupSchedule({
    sqlite: db.sqlite, dir: config.backupDir, keep: config.backupKeep, cron: config.backupCron, timezone: config.timezone, clock: systemClock,
    onBackup: (result, ms) => logger.info({ file: result.file, bytes: result.bytes, ms: Math.round(ms), removed: result.removed.length }, t('log.backup_done', { file: result.file, removed: result.removed.length })),
    onError: (error) => logger.error({ err: error }, t('log.backup_failed', { dir: config.backupDir })),
  });

  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'fatal error, shutting down');
    else logger.info(t('log.shutting_down', { signal: signal ?? 'close' }));
    // No backup starts while the service stops; the assembly stops ticking, taking requests and messages, then closes the database.
    await backups?.stop();
    await assembly.close();
    options.onClosed?.();
  });

  if (options.beforeListen) {
    await options.beforeListen({ app, channel, clock, adminToken: admin.token, simulation: assembly.simulation });
  }

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const cannotListen = t('log.cannot_listen', { address: `${config.host}:${config.port}`, detail: messageOf(error) });
    logger.fatal({ err: error }, cannotListen);
    await backups?.stop();
    await assembly.close();
    options.onClosed?.();
    throw new StartError(cannotListen, { cause: error });
  }
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${config.port}`;
  logger.info(t('log.listening', { url }));
  options.onListening?.(url);

  channel.on('state', (state, detail) => logger.info({ channel: channel.kind, state, detail }, t('log.channel_state', { state: t(`whatsapp.state.${state}`) })));
  channel.on('qr', (qr) => void showQr(qr, `${url}/connect`, config.locale));
  await channel.start();
  flows.scheduler.start();
  backups?.start();
}

/** How long the start waits for WhatsApp Web's current version before connecting with the pinned one. */
const WA_VERSION_TIMEOUT_MS = 10_000;

async function createChannel(config: Config, db: Database, repos: Repositories, logger: Logger, clock: Clock, sendLatencyMs: number): Promise<Channel> {
  if (config.channel === 'simulator') {
    return new SimulatorChannel({
      clock,
      locale: config.locale,
      linked: config.simulatorLinked,
      sendLatencyMs,
      ...(config.simulatorDeliveryLog === null ? {} : { deliveryLog: config.simulatorDeliveryLog }),
    });
  }
  // Loaded only for the real number: Baileys is the largest part of the start, and the simulator needs none of it.
  const [{ WhatsAppChannel }, { customerJidCache }, { fetchLatestWaWebVersion }] = await Promise.all([
    import('./channels/baileys/whatsapp-channel.js'),
    import('./channels/baileys/jid-cache.js'),
    import('@whiskeysockets/baileys'),
  ]);
  return new WhatsAppChannel({
    store: createWhatsAppStore(db),
    jids: customerJidCache(repos.customers, systemClock),
    clock: systemClock,
    logger,
    locale: config.locale,
    onAlert: (message) => logger.fatal({ alert: true }, message),
    // Baileys' own fetch has no time limit: a web.whatsapp.com that hangs must not hold the start.
    fetchWaVersion: () => fetchLatestWaWebVersion({ signal: AbortSignal.timeout(WA_VERSION_TIMEOUT_MS) }),
  });
}

/**
 * What the start's one-time merge of customers split by the ninth digit did,
 * numbers masked: the log may be shared when asking for help.
 */
function logMerge(logger: Logger, locale: Config['locale'], report: MergeReport): void {
  if (report.merged.length === 0 && report.renamed.length === 0) return;
  const list = report.merged.map(({ from, into }) => `${maskPhonesInText(from)} → ${maskPhonesInText(into)}`).join(', ');
  logger.info(
    { merged: report.merged.length, renamed: report.renamed.length, lids: report.lids },
    translate(locale, 'log.customers_merged', { merged: report.merged.length, list: list === '' ? '—' : list, renamed: report.renamed.length }),
  );
}

/** Files and folders of the data that others could read, made private at start: said, so that a seller knows they were. */
function logTightened(logger: Logger, locale: Config['locale'], report: TightenReport): void {
  if (report.tightened.length > 0) {
    const list = report.tightened.map((item) => `${item.path} ${formatMode(item.from)} → ${formatMode(item.to)}`).join(', ');
    logger.warn({ tightened: report.tightened.length }, translate(locale, 'log.files_tightened', { count: report.tightened.length, list }));
  }
  for (const item of report.failed) logger.error({ file: item.path, code: item.code }, translate(locale, 'log.files_not_tightened', { file: item.path, code: item.code }));
}

/** The QR in the terminal, for a seller who started fregues by hand; a service manager's log gets the page address instead. */
async function showQr(qr: string, connectUrl: string, locale: Config['locale']): Promise<void> {
  if (!process.stderr.isTTY) return;
  const picture = await QRCode.toString(qr, { type: 'terminal', small: true });
  process.stderr.write(`\n${translate(locale, 'log.scan_qr', { url: connectUrl })}\n${picture}\n`);
}

