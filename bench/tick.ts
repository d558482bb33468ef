// A scheduler tick costs what is due, not what exists: the same tick (1,000 runs
// due) over 10,000 runs and over 1,000,000, on SQLite files with the service's
// pragmas. Target (design.md): the big one within 1.3x of the small one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { assembleCore, type Core } from '../src/assemble-core.js';
import { SimulatorChannel } from '../src/channels/simulator/simulator-channel.js';
import { loadConfig } from '../src/config.js';
import type { Flow } from '../src/flows/flow-types.js';
import { ManualClock } from '../src/scheduler/clock.js';
import { openDatabase, type Database } from '../src/storage/db.js';
import { machine } from './lib/report.js';

const TARGET = 1.3;
const DUE = 1_000;
const CUSTOMERS = 1_000;
const SIZES = [10_000, 1_000_000];
const REPEATS = Number(process.env.BENCH_ROUNDS ?? 5);
const NOW = Date.parse('2026-11-20T13:00:00Z');

const FLOW: Flow = {
  id: 'bench',
  version: 1,
  name: 'Bench',
  trigger: { type: 'manual' },
  filter: { tagsAll: [], tagsNone: [], products: null, consent: null },
  file: 'bench.yaml',
  hash: 'bench-v1',
  steps: [
    { id: 'espera', kind: 'wait', wait: { kind: 'for', ms: 3_600_000 }, next: 'oi', maxLatenessMs: 3 * 86_400_000, line: 1 },
    { id: 'oi', kind: 'send', text: 'Oi {{ customer.first_name }}!', image: null, next: 'end', maxLatenessMs: 3 * 86_400_000, line: 2 },
  ],
};

function seed(db: Database, runs: number): void {
  const { sqlite } = db;
  sqlite.transaction(() => {
    const customer = sqlite.prepare("INSERT INTO customers (phone, name, created_at, updated_at) VALUES (?, 'Cliente Bench', 1, 1)");
    for (let i = 0; i < CUSTOMERS; i += 1) customer.run(`+55119${String(10_000_000 + i)}`);
    const run = sqlite.prepare(
      `INSERT INTO flow_runs (flow_id, flow_hash, customer_id, occurrence, status, step_id, wake_at, state, created_at, updated_at)
       VALUES ('bench', 'bench-v1', ?, ?, 'waiting', 'espera', ?, '{"visits":{},"ask":null,"answer":null}', 1, 1)`,
    );
    for (let i = 0; i < runs; i += 1) {
      // The first DUE are due now; the rest wait up to a year ahead.
      const wakeAt = i < DUE ? NOW - 60_000 : NOW + 3_600_000 + (i % 365) * 86_400_000;
      run.run((i % CUSTOMERS) + 1, `manual:${i}`, wakeAt);
    }
  })();
}

/** Puts the due runs back as they were and forgets what the last tick queued. */
function reset(db: Database): void {
  db.sqlite.exec(`
    UPDATE flow_runs SET status = 'waiting', step_id = 'espera', wake_at = ${NOW - 60_000}, state = '{"visits":{},"ask":null,"answer":null}', end_reason = NULL, ended_at = NULL WHERE id <= ${DUE};
    DELETE FROM outbox; DELETE FROM messages; DELETE FROM scheduler_state;
  `);
}

async function measure(runs: number): Promise<{ ms: number[]; advanced: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-tick-'));
  const db = openDatabase(path.join(dir, 'fregues.db'));
  let core: Core | undefined;
  try {
    seed(db, runs);
    const config = loadConfig({ DATA_DIR: dir, QUIET_HOURS: 'off', COLD_WARMUP: 'off', COLD_DAILY_CAP: '100000', CONTACT_CAP_PER_WEEK: '100' }, dir);
    const clock = new ManualClock(NOW);
    const channel = new SimulatorChannel({ clock });
    await channel.start();
    core = await assembleCore({ config, db, channel, clock, flows: [FLOW], random: () => 0, logger: pino({ level: 'silent' }) });
    const { scheduler } = core.flows;
    const ms: number[] = [];
    let advanced = 0;
    for (let round = 0; round <= REPEATS; round += 1) {
      reset(db);
      clock.set(NOW);
      const start = performance.now();
      const result = await scheduler.tick();
      const elapsed = performance.now() - start;
      advanced = result.advanced;
      // The first round warms the JIT and the page cache.
      if (round > 0) ms.push(elapsed);
    }
    return { ms, advanced };
  } finally {
    if (core) await core.close();
    else db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function run(): Promise<boolean> {
  console.log(`tick benchmark: ${DUE} runs due among ${SIZES.map((size) => size.toLocaleString('en-US')).join(' and ')}, ${REPEATS} rounds each`);
  console.log(`machine: ${machine()}`);
  const results: number[] = [];
  for (const size of SIZES) {
    const { ms, advanced } = await measure(size);
    if (advanced < DUE) throw new Error(`only ${advanced} of ${DUE} due runs advanced`);
    results.push(median(ms));
    console.log(`${size.toLocaleString('en-US').padStart(9)} runs: tick ${median(ms).toFixed(1)} ms (median; rounds ${ms.map((value) => value.toFixed(1)).join(', ')}), ${advanced} run steps advanced`);
  }
  const ratio = results[1]! / results[0]!;
  console.log(`ratio: ${ratio.toFixed(2)} (target <= ${TARGET}) ${ratio <= TARGET ? 'PASS' : 'FAIL'}`);
  return ratio <= TARGET;
}
