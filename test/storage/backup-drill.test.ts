import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SendCall } from '../../src/channels/simulator/simulator-channel.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { backupDatabase, checkBackupFile, listBackups } from '../../src/storage/backup.js';
import { createWhatsAppStore } from '../../src/storage/repositories/whatsapp.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { runFregues } from '../helpers/run-fregues.js';
import { createShop, type Shop } from '../helpers/shop.js';

// The restore drill (issue 16): a shop at work is backed up while it writes, a
// backup killed halfway spoils nothing, the machine is lost, and the backup,
// restored into a fresh folder, runs the shop on without sending anything twice.

const ROOT = path.resolve(import.meta.dirname, '../..');
const phone = (n: number) => `+55119${String(81_000_000 + n)}`;

let dir: string;
let umask: number;
const apps: Shop[] = [];
beforeEach(() => {
  umask = process.umask();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-drill-'));
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close().catch(() => {});
  process.umask(umask);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(dbFile: string, clock: ManualClock): Promise<Shop> {
  // Fifteen new customers in a day: the cold budget (issue 18) is not what this drill is about.
  const app = await createShop({ flows: SHIPPED_FLOWS, clock, dbFile, env: { COLD_WARMUP: 'off', COLD_DAILY_CAP: '100000' } });
  apps.push(app);
  return app;
}

/** Customer `n` buys a coffee. */
const buy = (app: Shop, n: number) => app.buy({ externalId: `pedido-${n}`, customer: { phone: phone(n), name: `Cliente ${n}` }, items: [{ name: 'Café' }] });
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
/** One line per message a customer got: who and what. */
const received = (calls: readonly SendCall[]) => calls.filter((call) => call.result.ok).map((call) => `${call.to} ${call.content.kind === 'text' ? call.content.text : call.content.kind}`);

/** `fregues`-like child process that backs up `dbFile` page by page and stops, blocked, after the first step until killed. */
function startBlockedBackup(dbFile: string, backupDir: string): { copying: Promise<void>; kill: () => Promise<void> } {
  const script = path.join(dir, 'backup-then-block.mts');
  fs.writeFileSync(
    script,
    `import fs from 'node:fs';
import { backupDatabaseFile } from ${JSON.stringify(path.join(ROOT, 'src/storage/backup.ts'))};
let first = true;
await backupDatabaseFile(${JSON.stringify(dbFile)}, { dir: ${JSON.stringify(backupDir)}, keep: 3, now: Date.now(), pagesPerStep: 1, onProgress: () => {
  if (!first) return;
  first = false;
  process.stdout.write('copying\\n');
  // Blocks here, halfway through the copy, until the parent kills this process.
  fs.readSync(0, Buffer.alloc(1));
} });
process.stdout.write('finished\\n');
`,
  );
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const copying = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('copying')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', () => reject(new Error(`the backup process ended before copying:\n${output}`)));
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  return {
    copying,
    kill: async () => {
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(output).not.toContain('finished');
    },
  };
}

describe('the restore drill', () => {
  it('backs up a working shop, survives a killed backup, restores into a fresh folder and goes on sending nothing twice', async () => {
    const lostDb = path.join(dir, 'lost', 'data', 'fregues.db');
    const backupDir = path.join(dir, 'lost', 'data', 'backups');
    // Friday 10:00 in São Paulo.
    const clock = new ManualClock('2026-11-20T13:00:00Z');
    const shop = await open(lostDb, clock);

    // Ten customers bought in the morning and got their thank-you.
    for (let n = 1; n <= 10; n += 1) await buy(shop, n);
    await shop.travel('2h');
    // Five more bought at 19:00: their thank-you falls in the quiet hours and waits in the outbox for 09:00.
    await shop.travel('7h');
    for (let n = 11; n <= 15; n += 1) await buy(shop, n);
    await shop.travel('90m');
    expect(shop.repos.outbox.list({ status: 'queued', limit: 100 })).toHaveLength(5);
    // The number is linked: the session lives in the database.
    const whatsapp = createWhatsAppStore(shop.db);
    whatsapp.writeCreds('{"me":{"id":"5511999990000:1@s.whatsapp.net"},"registrationId":4242}', clock.now());
    whatsapp.writeKeys([{ type: 'pre-key', id: '1', value: '{"public":"chave-publica","private":"chave-privada"}' }]);
    const sentBefore = received(shop.simulator.sendCalls);
    expect(sentBefore).toHaveLength(10);

    // An earlier backup, then the evening's: written page by page while purchases keep arriving.
    const earlier = await backupDatabase(shop.db.sqlite, { dir: backupDir, keep: 3, now: clock.now() - 86_400_000 });
    const during = backupDatabase(shop.db.sqlite, { dir: backupDir, keep: 3, now: clock.now(), pagesPerStep: 1 });
    for (let n = 16; n <= 20; n += 1) await buy(shop, n);
    const evening = await during;
    expect(checkBackupFile(evening.file)).toEqual({ ok: true, customers: 20 });

    // A backup killed halfway (SIGKILL, another process): the earlier backups are untouched and still whole.
    const hashes = new Map([earlier.file, evening.file].map((file) => [file, sha(file)]));
    const killed = startBlockedBackup(lostDb, backupDir);
    await killed.copying;
    expect(fs.readdirSync(backupDir).filter((name) => name.endsWith('.partial'))).toHaveLength(1);
    await killed.kill();
    expect(listBackups(backupDir).map((backup) => backup.file).sort()).toEqual([earlier.file, evening.file].sort());
    for (const [file, hash] of hashes) {
      expect(sha(file)).toBe(hash);
      expect(checkBackupFile(file)).toMatchObject({ ok: true });
    }

    // The machine is lost with nothing sent after the backup.
    expect(received(shop.simulator.sendCalls)).toEqual(sentBefore);
    await shop.close();
    apps.splice(apps.indexOf(shop), 1);
    const rescued = path.join(dir, 'pendrive', path.basename(evening.file));
    fs.mkdirSync(path.dirname(rescued));
    fs.copyFileSync(evening.file, rescued);
    fs.rmSync(path.join(dir, 'lost'), { recursive: true });

    // A fresh folder on a new machine: `fregues restore`, then the service.
    const fresh = path.join(dir, 'new');
    fs.mkdirSync(fresh);
    const restore = await runFregues(['restore', rescued], { cwd: fresh, clock });
    expect(restore.err).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.out).toContain('(20 clientes)');
    const restoredDb = path.join(fresh, 'data', 'fregues.db');
    expect(fs.statSync(restoredDb).mode & 0o777).toBe(0o600);
    const restored = await open(restoredDb, clock);
    expect(createWhatsAppStore(restored.db).readCreds()).toContain('5511999990000');
    expect(createWhatsAppStore(restored.db).readKeys('pre-key', ['1']).get('1')).toContain('chave-privada');
    expect(restored.repos.outbox.list({ status: 'queued', limit: 100 })).toHaveLength(5);

    // Four days on: the queued thank-yous go at 09:00, the late buyers get theirs, everyone's runs go on to the tip.
    await restored.travel('4d');
    const sentAfter = received(restored.simulator.sendCalls);
    const all = [...sentBefore, ...sentAfter];
    expect(new Set(all).size).toBe(all.length);
    for (const line of sentBefore) expect(sentAfter).not.toContain(line);
    const thanks = (n: number) => all.filter((line) => line.startsWith(`${phone(n)} `) && /obrigad/i.test(line));
    for (let n = 1; n <= 20; n += 1) expect(thanks(n), `thank-you to customer ${n}`).toHaveLength(1);
    const tips = all.filter((line) => line.includes('Uma dica'));
    expect(tips.length).toBeGreaterThanOrEqual(10);
    expect(tips.every((line) => sentAfter.includes(line))).toBe(true);
    expect(restored.repos.outbox.list({ status: 'sending', limit: 10 })).toEqual([]);
  }, 60_000);
});
