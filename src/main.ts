import fs from 'node:fs';
import closeWithGrace from 'close-with-grace';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { resolveAdminToken } from './http/auth.js';
import { translate } from './i18n/index.js';
import { loggerOptions } from './logger.js';
import { systemClock } from './scheduler/clock.js';
import { openDatabase } from './storage/db.js';

/** The one place that wires the real parts: database, clock, HTTP server and shutdown. */
async function main(): Promise<void> {
  // A .env next to where the service starts is optional: every variable has a default.
  if (fs.existsSync('.env')) process.loadEnvFile('.env');

  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  const logger = pino(loggerOptions(config.logLevel));
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(config.locale, key, params);

  const db = openDatabase(config.databaseFile);
  const admin = resolveAdminToken(config.adminToken, config.adminTokenFile);
  if (admin.origin.kind === 'file') {
    logger.info({ file: admin.origin.file }, t(admin.origin.created ? 'log.token_generated' : 'log.token_loaded', { file: admin.origin.file }));
  }

  const app = await buildApp({ config, db, clock: systemClock, adminToken: admin.token, logger });

  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'fatal error, shutting down');
    else logger.info(t('log.shutting_down', { signal: signal ?? 'close' }));
    // Stop taking requests first, so nothing writes to the database while it closes.
    await app.close();
    db.close();
  });

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    logger.fatal({ err: error }, `cannot listen on ${config.host}:${config.port}`);
    db.close();
    process.exit(1);
  }
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  logger.info(t('log.listening', { url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${config.port}` }));
}

await main();
