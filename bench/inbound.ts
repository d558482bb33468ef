// Inbound replies fully handled per second against raw single-row SQLite commits,
// in the same run on the same machine. Target (issue 5): ratio >= 0.5.
//
// What one reply costs, measured: a customer who got the NPS poll of the shipped
// pos-compra flow types an answer ("9, mas a entrega atrasou"; REPLY_MIX below:
// promoters, passives and a detractor) and the simulator channel delivers it to
// recordTraffic, wired as main.ts wires it: with a GroupCommit. Each reply is
// handled in full inside the commit: the customer found, the message stored, the
// reply parsed, the answer row stored, the run advanced (tag, next step) and its
// next message queued in the outbox; the replies that arrived in the same
// event-loop turn share one IMMEDIATE transaction with synchronous=FULL, so one
// fsync, and each still stands or falls alone (GroupCommit's savepoints on a
// failure). The round is timed until every reply is committed
// (traffic.settled()) and the tick the inbox kicks after answers has run too
// (daily triggers, due runs, the send queue): that is part of a reply's cost in
// the service.
//
// How replies arrive: BENCH_BURST at a time (default 50) in one event-loop turn,
// then the next burst once those are stored. Fifty is a moderate burst, of the
// kind that comes when many customers answer the same week's polls, or when
// WhatsApp delivers the messages it held while the service was offline (hundreds
// at once on reconnection); under a steady stream faster than the service, each
// commit takes whatever arrived while the previous one was being handled.
// BENCH_BURST=1 measures one reply per turn, each its own commit (the latency
// floor when the service is idle; docs/performance.md records both).
//
// Not measured: sending the queued messages. The governor's gap is drawn by the
// `random` the flow services take: 0 s while seeding, the maximum (60 s) while
// measuring, and the clock stands still, so one message goes out in the whole
// benchmark (in the warm-up round), as in production where one message leaves every
// 20-60 s whatever the replies. Nor the read receipts that precede a reply (each
// its own commit in record-traffic): the chats are marked read during the setup.
//
// Setup, outside the timing: a SQLite file opened by openDatabase (WAL,
// synchronous=FULL), the repositories, the SimulatorChannel on a ManualClock,
// assembled by assembleCore as `npm start` is, with the shipped flows/ (pt-BR). Each
// customer buys once through recordPurchase with the runner's enrolment (the
// body read by the intake's purchaseReader, marketing consent given); then the
// scheduler's time travel runs the week: thanks, tip and the NPS poll are sent
// through the simulator, and every pos-compra run waits on its `pesquisa` ask
// (checked before measuring). Seeding runs with synchronous=OFF to be quick;
// FULL is put back before the first round. Both files start the rounds with a
// WAL at its full size (1,000 pages, as in a service that has run a while): a
// WAL that still grows made the first rounds' fsyncs dearer than the later ones.
//
// Baseline: autocommit `INSERT INTO bench_commit` of one small row, one
// transaction each, the same loop shape (a setImmediate between commits), on a
// second file opened by openDatabase in the same directory (same pragmas, same
// file system), brought to a full-size WAL by 4,000 untimed commits.
//
// Each round also prints the process's CPU time (user + system, all threads) per
// reply and per baseline commit. For the baseline the elapsed time beyond it is
// mostly fsync; for replies it can exceed the elapsed time, as the garbage
// collector works partly on helper threads.
//
// Rounds: a warm-up round, then BENCH_ROUNDS rounds (default 5), each with
// BENCH_REPLIES replies (default 500) from customers who have not replied yet
// and as many baseline commits, alternating which goes first; the verdict is the
// median of the rounds' ratios. Afterwards every reply must have produced its
// inbound message, an answer row with the expected score and a queued next
// message for its run, or the benchmark throws.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { assembleCore, type Core } from '../src/assemble-core.js';
import { SimulatorChannel } from '../src/channels/simulator/simulator-channel.js';
import { loadConfig } from '../src/config.js';
import { formatFlowErrors, loadFlows } from '../src/flows/load-flows.js';
import { purchaseReader } from '../src/intake/purchase-input.js';
import { recordPurchase } from '../src/intake/record-purchase.js';
import { ManualClock } from '../src/scheduler/clock.js';
import { openDatabase, readPragmas, type Database } from '../src/storage/db.js';
import { machine } from './lib/report.js';

const TARGET = 0.5;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REPLIES = Number(process.env.BENCH_REPLIES ?? 500);
const BURST = Number(process.env.BENCH_BURST ?? 50);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
// 10:00 in São Paulo, the default TIMEZONE.
const START = Date.parse('2026-11-20T13:00:00Z');
const DAY = 86_400_000;
const OWNER = '+5511900001111';

/** Typed answers as customers send them, with the score each must be read as and the next step it leads to. */
// Five promoters (tagged, then asked for a referral), two passives (thanked), one
// detractor (the owner alerted and an apology queued), as in a shop doing well.
const REPLY_MIX: { text: string; value: string; next: string; alert: boolean }[] = [
  { text: '9, mas a entrega atrasou', value: '9', next: 'indicacao', alert: false },
  { text: 'nota 10!!', value: '10', next: 'indicacao', alert: false },
  { text: '8', value: '8', next: 'obrigado-nota', alert: false },
  { text: 'dez', value: '10', next: 'indicacao', alert: false },
  { text: '9, mas a entrega atrasou', value: '9', next: 'indicacao', alert: false },
  { text: '7 de 10', value: '7', next: 'obrigado-nota', alert: false },
  { text: '10 👏👏', value: '10', next: 'indicacao', alert: false },
  { text: '5, o pacote chegou amassado', value: '5', next: 'desculpas', alert: true },
];

interface Customer {
  id: number;
  phone: string;
  reply: (typeof REPLY_MIX)[number];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
/** CPU time (user + system, all threads) in µs since `since`. */
const cpuSince = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return user + system;
};
const count = (db: Database, sql: string, ...params: unknown[]) => (db.sqlite.prepare(sql).pluck().get(...params) as number | bigint | null) ?? 0;

export async function run(): Promise<boolean> {
  const total = REPLIES * (ROUNDS + 1);
  console.log(`inbound benchmark: ${REPLIES.toLocaleString('en-US')} typed NPS replies per round (arriving ${BURST} at a time) vs as many single-row commits, warm-up + ${ROUNDS} rounds (${total.toLocaleString('en-US')} customers)`);
  console.log(`machine: ${machine()}`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-inbound-'));
  const db = openDatabase(path.join(dir, 'fregues.db'));
  const baseline = openDatabase(path.join(dir, 'baseline.db'));
  const errors: string[] = [];
  let core: Core | undefined;
  try {
    const config = loadConfig(
      { DATA_DIR: dir, QUIET_HOURS: 'off', SEND_GAP_SECONDS: '0-60', DAILY_SEND_CAP: '100000', COLD_WARMUP: 'off', COLD_DAILY_CAP: '100000', CONTACT_CAP_PER_WEEK: '100', OWNER_PHONE: OWNER, SHOP_NAME: 'Café da Ana' },
      ROOT,
    );
    const loaded = loadFlows(config.flowsDir, { locale: config.locale });
    if (loaded.errors.length > 0) throw new Error(formatFlowErrors(loaded.errors));
    const clock = new ManualClock(START);
    const channel = new SimulatorChannel({ clock });
    await channel.start();
    // The send gap is min + random() * (max - min): 0 s while seeding, 60 s while measuring.
    let gapDraw = 0;
    // As `npm start` wires it (the assembly), without HTTP; what could not be stored or sent is an error of the run.
    core = await assembleCore({
      config,
      db,
      channel,
      clock,
      flows: loaded.flows,
      random: () => gapDraw,
      logger: pino({ level: 'error' }, new Writable({ write(chunk: Buffer, _encoding, done) { errors.push(chunk.toString()); done(); } })),
    });
    const { repos, traffic, flows: { runner, scheduler } } = core;

    // --- Seeding, untimed -----------------------------------------------------------
    const seedStart = performance.now();
    db.sqlite.pragma('synchronous = OFF');
    const read = purchaseReader({ locale: config.locale, defaultCountry: config.defaultCountry, currency: config.currency, clock });
    const customers: Customer[] = [];
    for (let i = 0; i < total; i += 1) {
      const phone = `+55119${String(20_000_000 + i)}`;
      const body = {
        externalId: `inbound-${i}`,
        customer: { phone, name: `Cliente ${i} Bench`, consent: { marketing: true } },
        items: [{ sku: 'CAFE-250', name: 'Café especial 250 g', quantity: 2, unitPrice: '39.90' }],
      };
      const input = read(body);
      if (!input.ok) throw new Error(`purchase ${i} refused: ${JSON.stringify(input.issues)}`);
      const result = recordPurchase(repos, input.value, clock.now(), (who, what) => runner.enrollForPurchase(who, what));
      customers.push({ id: result.customer.id, phone, reply: REPLY_MIX[i % REPLY_MIX.length]! });
    }
    // Thanks after 1 h, the tip on day 4 and the NPS poll on day 7 at 10:00: sent through the simulator.
    await scheduler.travel(clock, START + 7 * DAY + 60_000);
    await channel.flush();
    await traffic.settled();
    // The customers open the chat (read receipts) before they answer, not as part of it.
    for (const customer of customers) channel.markRead(customer.phone);
    await channel.flush();
    await traffic.settled();
    const waiting = count(
      db,
      `SELECT count(*) FROM flow_runs WHERE flow_id = 'pos-compra' AND status = 'waiting' AND step_id IS NULL AND json_extract(state, '$.ask.stepId') = 'pesquisa' AND json_extract(state, '$.ask.messageId') IS NOT NULL`,
    );
    const polls = count(db, `SELECT count(*) FROM outbox WHERE step_id = 'pesquisa' AND status = 'sent'`);
    const read_ = count(db, `SELECT count(*) FROM messages WHERE direction = 'out' AND status = 'read'`);
    const queued = count(db, `SELECT count(*) FROM outbox WHERE status = 'queued'`);
    if (Number(waiting) !== total || Number(polls) !== total || Number(read_) !== 3 * total || Number(queued) !== 0) {
      throw new Error(`seeding: ${waiting} runs waiting on pesquisa, ${polls} polls sent, ${read_} messages read, ${queued} queued (expected ${total}, ${total}, ${3 * total}, 0)`);
    }
    if (errors.length > 0) throw new Error(`seeding: ${errors.join('; ')}`);
    baseline.sqlite.exec('CREATE TABLE bench_commit (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, at INTEGER NOT NULL, note TEXT NOT NULL)');
    const insert = baseline.sqlite.prepare('INSERT INTO bench_commit (n, at, note) VALUES (?, ?, ?)');
    let commits = 0;
    // A service that has run a while has a WAL file at its full size (wal_autocheckpoint,
    // 1,000 pages), rewritten from its start after each checkpoint; a WAL that still grows
    // makes each fsync also write the file's new size. Seeding got fregues.db there; the
    // baseline's file gets there with untimed commits.
    baseline.sqlite.pragma('synchronous = OFF');
    for (let i = 0; i < 4_000; i += 1) insert.run((commits += 1), Date.now(), 'one small row');
    for (const file of [db, baseline]) {
      file.sqlite.pragma('synchronous = FULL');
      file.sqlite.pragma('wal_checkpoint(PASSIVE)');
    }
    const walPages = (file: Database) => Math.floor(fs.statSync(`${file.file}-wal`).size / (file.sqlite.pragma('page_size', { simple: true }) as number));
    for (const [name, file] of [['fregues.db', db], ['baseline.db', baseline]] as const) {
      const pragmas = readPragmas(file.sqlite);
      if (pragmas.journalMode !== 'wal' || pragmas.synchronous !== 2) throw new Error(`${name}: ${JSON.stringify(pragmas)}`);
      if (walPages(file) < 1_000) throw new Error(`${name}: the WAL holds ${walPages(file)} pages, not yet its full size`);
    }
    console.log(
      `setup: ${total.toLocaleString('en-US')} runs waiting on the NPS ask, ${(3 * total).toLocaleString('en-US')} messages sent and read, in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; ` +
        `both files WAL (${walPages(db)} and ${walPages(baseline)} pages), synchronous=FULL`,
    );

    // --- Measuring -------------------------------------------------------------------
    gapDraw = 1;

    interface Rate {
      rate: number;
      cpuMicros: number;
    }

    async function inboundRound(batch: Customer[]): Promise<Rate> {
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < batch.length; i += BURST) {
        for (const customer of batch.slice(i, i + BURST)) channel.receiveText(customer.phone, customer.reply.text);
        await traffic.settled();
        await turn();
      }
      // The tick the last answer kicked.
      await scheduler.tick();
      return { rate: batch.length / ((performance.now() - start) / 1000), cpuMicros: cpuSince(cpu) / batch.length };
    }

    async function baselineRound(n: number): Promise<Rate> {
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < n; i += 1) {
        commits += 1;
        insert.run(commits, Date.now(), 'one small row');
        await turn();
      }
      return { rate: n / ((performance.now() - start) / 1000), cpuMicros: cpuSince(cpu) / n };
    }

    const ratios: number[] = [];
    const inboundRates: number[] = [];
    const baselineRates: number[] = [];
    const inboundCpu: number[] = [];
    const baselineCpu: number[] = [];
    for (let round = 0; round <= ROUNDS; round += 1) {
      const batch = customers.slice(round * REPLIES, (round + 1) * REPLIES);
      let inbound: Rate;
      let raw: Rate;
      if (round % 2 === 0) {
        inbound = await inboundRound(batch);
        raw = await baselineRound(batch.length);
      } else {
        raw = await baselineRound(batch.length);
        inbound = await inboundRound(batch);
      }
      const ratio = inbound.rate / raw.rate;
      const label = round === 0 ? 'warm-up' : `round ${round}`;
      console.log(
        `${label.padEnd(8)}: inbound ${Math.round(inbound.rate).toLocaleString('en-US').padStart(5)} replies/s (${(1000 / inbound.rate).toFixed(2)} ms, CPU ${Math.round(inbound.cpuMicros)} µs each), ` +
          `baseline ${Math.round(raw.rate).toLocaleString('en-US').padStart(5)} commits/s (${(1000 / raw.rate).toFixed(2)} ms, CPU ${Math.round(raw.cpuMicros)} µs each), ratio ${ratio.toFixed(2)}${round % 2 === 0 ? '' : ' (baseline first)'}`,
      );
      // The first round warms the JIT and the page cache.
      if (round > 0) {
        ratios.push(ratio);
        inboundRates.push(inbound.rate);
        baselineRates.push(raw.rate);
        inboundCpu.push(inbound.cpuMicros);
        baselineCpu.push(raw.cpuMicros);
      }
    }
    await scheduler.stop();

    // --- Every reply fully handled ----------------------------------------------------
    verify(db, customers);
    if (errors.length > 0) throw new Error(`while measuring: ${errors.join('; ')}`);
    console.log(`checked: ${total.toLocaleString('en-US')} replies stored, answered with the expected score, their runs advanced and their next message queued`);

    const ratio = median(ratios);
    console.log(
      `median: inbound ${Math.round(median(inboundRates)).toLocaleString('en-US')} replies/s (CPU ${Math.round(median(inboundCpu))} µs each), baseline ${Math.round(median(baselineRates)).toLocaleString('en-US')} commits/s (CPU ${Math.round(median(baselineCpu))} µs each)`,
    );
    console.log(`ratio: ${ratio.toFixed(2)} (median of rounds ${ratios.map((value) => value.toFixed(2)).join(', ')}; target >= ${TARGET}) ${ratio >= TARGET ? 'PASS' : 'FAIL'}`);
    return ratio >= TARGET;
  } finally {
    // The assembly owns the database once made: it stops the channel and its traffic, then closes it.
    if (core) await core.close();
    else db.close();
    baseline.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Throws unless every customer's reply is in the record, answered the NPS, and moved its run on to a queued message. */
function verify(db: Database, customers: Customer[]): void {
  const inbound = db.sqlite.prepare<[number], { n: number }>(`SELECT count(*) AS n FROM messages WHERE customer_id = ? AND direction = 'in' AND status = 'received'`);
  const answer = db.sqlite.prepare<[number], { value: string; comment: string | null; runId: number }>(
    `SELECT value, comment, run_id AS runId FROM answers WHERE customer_id = ? AND step_id = 'pesquisa' AND kind = 'nps'`,
  );
  const next = db.sqlite.prepare<[number, string], { n: number }>(
    `SELECT count(*) AS n FROM outbox WHERE run_id = ? AND step_id = ? AND purpose = 'customer' AND status IN ('queued', 'sent')`,
  );
  // The inbox's alert for a detractor (0-6), one per reply.
  const alert = db.sqlite.prepare<[number], { n: number }>(
    `SELECT count(*) AS n FROM outbox WHERE customer_id = ? AND purpose = 'owner' AND dedupe_key LIKE 'detractor-alert:%' AND status IN ('queued', 'sent')`,
  );
  const runOf = db.sqlite.prepare<[number], { status: string; ask: string | null }>(`SELECT status, json_extract(state, '$.ask.stepId') AS ask FROM flow_runs WHERE id = ?`);
  const problems: string[] = [];
  for (const customer of customers) {
    const answers = answer.all(customer.id);
    const stored = inbound.get(customer.id)?.n ?? 0;
    if (stored !== 1) problems.push(`${customer.phone}: ${stored} inbound messages`);
    if (answers.length !== 1 || answers[0]!.value !== customer.reply.value) {
      problems.push(`${customer.phone}: answers ${JSON.stringify(answers)} for ${JSON.stringify(customer.reply.text)}`);
      continue;
    }
    const { runId } = answers[0]!;
    const queued = next.get(runId, customer.reply.next)?.n ?? 0;
    if (queued !== 1) problems.push(`${customer.phone}: ${queued} outbox rows for step ${customer.reply.next} of run ${runId}`);
    const alerts = alert.get(customer.id)?.n ?? 0;
    if (alerts !== (customer.reply.alert ? 1 : 0)) problems.push(`${customer.phone}: ${alerts} owner alerts for ${JSON.stringify(customer.reply.text)}`);
    const state = runOf.get(runId);
    if (!state || state.ask === 'pesquisa') problems.push(`${customer.phone}: run ${runId} did not move on (${JSON.stringify(state)})`);
  }
  if (problems.length > 0) throw new Error(`${problems.length} replies not fully handled, e.g.\n${problems.slice(0, 10).join('\n')}`);
}
