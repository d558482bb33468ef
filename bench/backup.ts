// How long a backup of a big shop takes (issue 16), against the physical limit
// measured in the same run on the same file: copying the same bytes with the
// file system (fs.copyFileSync, then fsync), which is what any backup must at
// least do. Target: `fregues backup` within 8x of that copy (SQLite copies page by page
// through its pager, a file copy is one kernel memcpy from the page cache: about
// 5x here at 50 MB).
//
// The data, generated untimed with a seeded random generator: a database of
// BENCH_BACKUP_MB megabytes (default 1024), made by openDatabase (so the
// schema is the service's, migrations applied, WAL), filled with 100,000
// customers and then messages of 80 to 600 characters of word-like text in
// large transactions with synchronous=OFF (FULL is put back), the WAL
// checkpointed and truncated.
//
// Measured, BENCH_ROUNDS rounds (default 3), each in a new backup folder, in
// alternating order: the copy; `fregues backup` (backupDatabaseFile: its own
// connection, every page in one step); the service's scheduled backup
// (backupDatabase on the service's connection, 1,024 pages per step, the event
// loop running between steps; the longest step is printed, as the longest the
// service's requests and sends can wait). Each backup includes what the
// service does after the copy: switching the file to a rollback journal,
// fsync, rename, folder fsync. The verdict is the median ratio of
// `fregues backup` to the copy. Afterwards `PRAGMA integrity_check` on one
// backup (what `fregues restore` runs before putting it in place) is timed.
//
// The file is in the OS page cache (it was just written), as a running
// service's database mostly is; a cold read of the disk would add the same
// read time to the copy and to the backup.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BACKUP_PAGES_PER_STEP } from '../src/scheduler/backup-schedule.js';
import { backupDatabase, backupDatabaseFile, checkBackupFile } from '../src/storage/backup.js';
import { openDatabase } from '../src/storage/db.js';
import { mulberry32 } from './lib/random.js';
import { machine } from './lib/report.js';

const TARGET = 8;
const MEGABYTES = Number(process.env.BENCH_BACKUP_MB ?? 1024);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CUSTOMERS = 100_000;
const WORDS = ['obrigado', 'pela', 'compra', 'café', 'entrega', 'chegou', 'nota', 'dez', 'adorei', 'quando', 'volta', 'estoque', 'pedido', 'sim', 'não', 'amanhã', 'loja', 'produto', 'tamanho', 'cor'];

function build(file: string): { bytes: number; messages: number; ms: number } {
  const started = performance.now();
  const db = openDatabase(file);
  const { sqlite } = db;
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  const random = mulberry32(16);
  const text = () => {
    const length = 80 + Math.floor(random() * 520);
    let out = '';
    while (out.length < length) out += `${WORDS[Math.floor(random() * WORDS.length)]} `;
    return out.slice(0, length);
  };
  const insertCustomer = sqlite.prepare('INSERT INTO customers (id, phone, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (let id = 1; id <= CUSTOMERS; id += 1) insertCustomer.run(id, `+55119${String(10_000_000 + id)}`, `Cliente ${id}`, id, id);
  })();
  const insertMessage = sqlite.prepare(
    `INSERT INTO messages (customer_id, direction, wa_id, kind, text, status, created_at, sent_at) VALUES (?, ?, ?, 'text', ?, 'read', ?, ?)`,
  );
  const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
  const target = MEGABYTES * 1024 * 1024;
  let messages = 0;
  while ((sqlite.pragma('page_count', { simple: true }) as number) * pageSize < target) {
    sqlite.transaction(() => {
      for (let i = 0; i < 50_000; i += 1) {
        messages += 1;
        const at = 1_750_000_000_000 + messages * 30_000;
        insertMessage.run(1 + Math.floor(random() * CUSTOMERS), random() < 0.5 ? 'in' : 'out', `3EB0${messages.toString(16).padStart(16, '0')}`, text(), at, at);
      }
    })();
  }
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('synchronous = FULL');
  db.close();
  return { bytes: fs.statSync(file).size, messages, ms: performance.now() - started };
}

function copyWithFsync(from: string, to: string): void {
  fs.copyFileSync(from, to);
  const fd = fs.openSync(to, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function run(): Promise<boolean> {
  console.log(`backup benchmark: a ${MEGABYTES} MB database, ${ROUNDS} rounds; target: fregues backup within ${TARGET}x of a file copy with fsync`);
  console.log(`machine: ${machine()}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-bench-backup-'));
  try {
    const file = path.join(dir, 'fregues.db');
    const built = build(file);
    console.log(`data: ${(built.bytes / 2 ** 20).toFixed(0)} MiB, ${CUSTOMERS.toLocaleString('en-US')} customers, ${built.messages.toLocaleString('en-US')} messages (built in ${seconds(built.ms)}, untimed)`);

    const copies: number[] = [];
    const cli: number[] = [];
    const service: number[] = [];
    let longestStep = 0;
    let lastBackup = '';
    const db = openDatabase(file);
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        const target = path.join(dir, `round-${round}`);
        fs.mkdirSync(target);
        const measures: (() => Promise<void>)[] = [
          async () => {
            const started = performance.now();
            copyWithFsync(file, path.join(target, 'copy.db'));
            copies.push(performance.now() - started);
            fs.rmSync(path.join(target, 'copy.db'));
          },
          async () => {
            const started = performance.now();
            const result = await backupDatabaseFile(file, { dir: path.join(target, 'cli'), keep: 1, now: Date.now() });
            cli.push(performance.now() - started);
            lastBackup = result.file;
          },
          async () => {
            let previous = performance.now();
            const started = previous;
            await backupDatabase(db.sqlite, {
              dir: path.join(target, 'service'),
              keep: 1,
              now: Date.now(),
              pagesPerStep: BACKUP_PAGES_PER_STEP,
              onProgress: () => {
                const now = performance.now();
                longestStep = Math.max(longestStep, now - previous);
                previous = now;
              },
            });
            service.push(performance.now() - started);
            fs.rmSync(path.join(target, 'service'), { recursive: true });
          },
        ];
        for (const measure of round % 2 === 0 ? measures : [...measures].reverse()) await measure();
        console.log(`round ${round + 1}: copy ${seconds(copies.at(-1)!)}, fregues backup ${seconds(cli.at(-1)!)}, service backup ${seconds(service.at(-1)!)}`);
        if (round < ROUNDS - 1) fs.rmSync(path.join(target, 'cli'), { recursive: true });
      }
    } finally {
      db.close();
    }

    const started = performance.now();
    const check = checkBackupFile(lastBackup);
    const checkMs = performance.now() - started;
    if (!check.ok) throw new Error(`the backup does not check: ${check.problem} ${check.detail}`);

    const ratio = median(cli) / median(copies);
    console.log(`median: copy ${seconds(median(copies))}, fregues backup ${seconds(median(cli))}, service backup ${seconds(median(service))} (longest step ${longestStep.toFixed(0)} ms)`);
    console.log(`restore check (PRAGMA integrity_check + tables) of one backup: ${seconds(checkMs)}`);
    console.log(`ratio: ${ratio.toFixed(2)} (fregues backup / copy; target <= ${TARGET}) ${ratio <= TARGET ? 'PASS' : 'FAIL'}`);
    return ratio <= TARGET;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
