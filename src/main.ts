import fs from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config.js';
import { runService, StartError } from './service.js';
import { restrictNewFiles } from './storage/file-modes.js';

/** `npm start`: the configuration from the environment (and an optional .env), then the service. */
async function main(): Promise<void> {
  // Every file the service makes is its user's only (the database holds every customer and the WhatsApp session).
  restrictNewFiles();
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

  try {
    await runService(config);
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

await main();
