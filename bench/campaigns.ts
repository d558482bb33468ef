// Campaigns (issue 21, point 6): a campaign to 10,000 recipients enqueued in one transaction, in
// well under a second, against the bare inserts of the same rows in the same run on the same file.
//
// What is measured: POST /api/campaigns' work without HTTP (core.campaigns.create): the segment's
// members (a saved segment, "consent granted", computed by src/segments over the whole shop), each
// member's enrolment facts in one query, the contact budget in one query, the seeded A/B split, the
// estimate, then one transaction: the campaign, its two flow versions, 10,000 runs and 10,000
// recipient rows (plus the ones left out). The segment's own cost is measured apart and printed;
// the verdict is on the rest (enqueue = create − members).
//
// Baseline: 10,000 flow_runs and 10,000 campaign_recipients rows inserted by two prepared
// statements in one transaction, on the same file with the service's pragmas.
//
// Data: 12,000 customers, 10,000 with marketing consent (the rest are not members), each with a
// purchase; generated untimed. Rounds: a warm-up, then BENCH_ROUNDS (default 5), each a new campaign.
// Target: the median enqueue under 500 ms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { assembleCore, type Core } from '../src/assemble-core.js';
import { SimulatorChannel } from '../src/channels/simulator/simulator-channel.js';
import { loadConfig } from '../src/config.js';
import { segmentMembers } from '../src/segments/segments.js';
import { ManualClock } from '../src/scheduler/clock.js';
import { openDatabase, type Database } from '../src/storage/db.js';
import { machine } from './lib/report.js';

const TARGET_MS = 500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MEMBERS = 10_000;
const OTHERS = 2_000;
const NOW = Date.parse('2026-11-20T15:00:00Z');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function seed(db: Database): void {
  const { sqlite } = db;
  sqlite.transaction(() => {
    const customer = sqlite.prepare(
      "INSERT INTO customers (phone, name, consent_marketing, warm_at, created_at, updated_at, last_purchase_at) VALUES (?, 'Cliente Bench', ?, ?, 1, 1, ?)",
    );
    const purchase = sqlite.prepare(
      "INSERT INTO purchases (customer_id, items, total_cents, currency, source, purchased_at, created_at) VALUES (?, '[]', 5000, 'BRL', 'bench', ?, ?)",
    );
    for (let i = 0; i < MEMBERS + OTHERS; i += 1) {
      const at = NOW - (i % 300) * 86_400_000;
      const id = Number(customer.run(`+55119${String(10_000_000 + i)}`, i < MEMBERS ? 'granted' : 'unknown', i % 3 === 0 ? null : 1, at).lastInsertRowid);
      purchase.run(id, at, at);
    }
    sqlite.prepare("INSERT INTO segments (id, name, filters, created_at) VALUES ('aceitam', 'Aceitam ofertas', '{\"consent\":\"granted\"}', 1)").run();
  })();
}

/** The physical limit: the same number of runs and recipient rows, bare prepared inserts, one transaction. */
function bareInserts(db: Database, round: number): number {
  const { sqlite } = db;
  const run = sqlite.prepare(
    `INSERT INTO flow_runs (flow_id, flow_hash, customer_id, occurrence, status, step_id, wake_at, state, created_at, updated_at)
     VALUES ('bare', 'bare', ?, ?, 'waiting', 'campanha', ?, '{"visits":{},"ask":null,"answer":null}', ?, ?)`,
  );
  const campaign = Number(
    sqlite.prepare("INSERT INTO campaigns (name, segment_id, variants, send_at, seed, status, created_at) VALUES ('bare', 'aceitam', '[]', ?, 1, 'cancelled', ?)").run(NOW, NOW)
      .lastInsertRowid,
  );
  const recipient = sqlite.prepare("INSERT INTO campaign_recipients (campaign_id, customer_id, variant, run_id) VALUES (?, ?, 'a', ?)");
  const start = performance.now();
  sqlite.transaction(() => {
    for (let id = 1; id <= MEMBERS; id += 1) {
      const runId = Number(run.run(id, `bare:${round}`, NOW, NOW, NOW).lastInsertRowid);
      recipient.run(campaign, id, runId);
    }
  })();
  return performance.now() - start;
}

export async function run(): Promise<boolean> {
  console.log(`campaigns benchmark: one campaign to ${MEMBERS.toLocaleString('en-US')} recipients (2 variants) among ${(MEMBERS + OTHERS).toLocaleString('en-US')} customers, ${ROUNDS} rounds`);
  console.log(`machine: ${machine()}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-campaigns-'));
  const db = openDatabase(path.join(dir, 'fregues.db'));
  let core: Core | undefined;
  try {
    seed(db);
    const config = loadConfig({ DATA_DIR: dir, CONTACT_CAP_PER_WEEK: '100' }, dir);
    const clock = new ManualClock(NOW);
    const channel = new SimulatorChannel({ clock });
    await channel.start();
    core = await assembleCore({ config, db, channel, clock, flows: [], random: () => 0, logger: pino({ level: 'silent' }) });
    const body = { segment: 'aceitam', variants: [{ text: 'Oi, {{ customer.first_name }}! Café novo na loja.' }, { text: 'Chegou café novo, {{ customer.first_name }}!' }] };
    const create: number[] = [];
    const members: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round <= ROUNDS; round += 1) {
      let start = performance.now();
      const ids = segmentMembers(core.repos, 'aceitam', { now: clock.now(), timeZone: config.timezone });
      const membersMs = performance.now() - start;
      if (ids?.length !== MEMBERS) throw new Error(`the segment has ${ids?.length} members, not ${MEMBERS}`);
      start = performance.now();
      const created = core.campaigns.create(body);
      const createMs = performance.now() - start;
      if (!created.ok || created.value.recipients !== MEMBERS) throw new Error(`the campaign did not enrol ${MEMBERS}: ${JSON.stringify(created)}`);
      // Cancelled at once, so that the next round's contact budget and queue look the same (nothing was sent).
      core.campaigns.cancel(created.value.id);
      const bareMs = bareInserts(db, round);
      // The first round warms the JIT and the page cache.
      if (round === 0) continue;
      create.push(createMs);
      members.push(membersMs);
      bare.push(bareMs);
    }
    const enqueue = create.map((value, index) => value - members[index]!);
    const ratio = median(enqueue) / median(bare);
    console.log(`create: ${median(create).toFixed(0)} ms (median; rounds ${create.map((value) => value.toFixed(0)).join(', ')})`);
    console.log(`  of which the segment's members: ${median(members).toFixed(0)} ms; enqueue: ${median(enqueue).toFixed(0)} ms`);
    console.log(`bare inserts of the same rows: ${median(bare).toFixed(0)} ms; enqueue / bare: ${ratio.toFixed(2)}`);
    const ok = median(enqueue) < TARGET_MS;
    console.log(`enqueue ${median(enqueue).toFixed(0)} ms (target < ${TARGET_MS} ms) ${ok ? 'PASS' : 'FAIL'}`);
    return ok;
  } finally {
    if (core) await core.close();
    else db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
