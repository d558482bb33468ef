import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.js';
import { demoServiceOf } from './demo/service.js';
import { seedDemoShop } from './demo/seed.js';
import { DEMO_SHOP, FEATURED } from './demo/shop.js';
import { localParts, atLocal } from './domain/local-time.js';
import { translator } from './i18n/index.js';
import { ManualClock } from './scheduler/clock.js';
import { runService, StartError } from './service.js';

/**
 * `npm run demo`: the whole product without a WhatsApp account. The service
 * runs with the simulator and a manual clock on a temporary database (deleted
 * at exit), seeded with eight weeks of a small coffee shop; it prints the
 * address and the token to sign in with. The flows of FLOWS_DIR (./flows)
 * run from a copy in that temporary folder, so what the seller tries in the
 * Fluxos page's editor is thrown away with the rest.
 */
async function demo(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-demo-'));
  const token = crypto.randomBytes(24).toString('base64url');
  // The editor writes flow files: the demo's edits go to its own copy, never to the shop's folder.
  const flows = path.resolve(process.env.FLOWS_DIR ?? 'flows');
  const flowsCopy = path.join(dir, 'flows');
  if (fs.existsSync(flows)) fs.cpSync(flows, flowsCopy, { recursive: true });
  let config: Config;
  try {
    config = loadConfig({
      LOG_LEVEL: 'warn',
      SHOP_NAME: DEMO_SHOP.name,
      OWNER_PHONE: DEMO_SHOP.owner,
      ...process.env,
      // What makes it a demo, whatever the environment says.
      CHANNEL: 'simulator',
      // The demo's database is thrown away: no backups of it, and none into a real BACKUP_DIR's rotation.
      BACKUP_CRON: 'off',
      SIMULATOR_LINKED: 'true',
      DATA_DIR: dir,
      ...(fs.existsSync(flowsCopy) ? { FLOWS_DIR: flowsCopy } : {}),
      ADMIN_TOKEN: token,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const t = translator(config.locale);
  const removeData = () => fs.rmSync(dir, { recursive: true, force: true });

  // The demo's day starts at 10:00 in the shop's zone, today: the shop is open and the flows may send.
  const today = localParts(Date.now(), config.timezone);
  const now = atLocal(today.year, today.month, today.day, 10 * 60, config.timezone);
  const clock = new ManualClock(now);
  process.stdout.write(`${t('demo.seeding', { shop: DEMO_SHOP.name })}\n`);

  try {
    await runService(config, {
      clock,
      // The sign-in page points to the token printed below, not to a file the demo never writes.
      adminTokenHint: 'demo',
      beforeListen: async ({ app, simulation }) => {
        if (!simulation) throw new Error('the demo needs the simulator');
        await simulation.phones.start();
        const seeded = await seedDemoShop(demoServiceOf(app, simulation.phones, clock, token), now);
        process.stdout.write(`${t('demo.seeded', { customers: seeded.customers, purchases: seeded.purchases, replies: seeded.replies })}\n`);
      },
      onListening: (url) => {
        process.stdout.write(
          `\n${t('demo.ready', { url, token, customer: FEATURED.name, phone: FEATURED.phone, owner: DEMO_SHOP.owner })}\n\n`,
        );
      },
      onClosed: removeData,
    });
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    console.error(error.message);
    removeData();
    process.exit(1);
  }
}

await demo();
