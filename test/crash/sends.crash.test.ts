import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCrashRun, describeCrashReport, firstProblems, type CrashReport } from './check.js';
import { runCrash, type CrashRun } from './harness.js';

// The design's crash target: killing the process with SIGKILL at random points while it sends
// loses no scheduled step and sends no message twice, nor again one WhatsApp refused with 463
// (issue 18: new chats refused and time locks play too). One run (about two minutes), judged
// five ways. CRASH_SEED replays a run's plan (the kills' real moments vary with the machine);
// CRASH_KEEP=1 keeps its folder (database, delivery log, flows).
const seed = process.env.CRASH_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.CRASH_SEED);
const CUSTOMERS = 320;
const PURCHASES = 420;
const MIN_KILLS = 30;

let run: CrashRun | undefined;
let report: CrashReport;

beforeAll(async () => {
  console.log(`crash suite: seed ${seed} (CRASH_SEED=${seed} npm run test:crash replays this plan)`);
  run = await runCrash({
    seed,
    customers: CUSTOMERS,
    purchases: PURCHASES,
    minKills: MIN_KILLS,
    sendLatencyMs: 8,
    log: (line) => console.log(`crash suite: ${line}`),
  });
  report = checkCrashRun(run);
  console.log(describeCrashReport(report));
  if (process.env.CRASH_KEEP === '1') console.log(`crash suite: kept ${run.dir}`);
}, 600_000);

afterAll(() => {
  if (run && process.env.CRASH_KEEP !== '1') fs.rmSync(run.dir, { recursive: true, force: true });
});

describe(`the service killed with SIGKILL while it sends (seed ${seed})`, () => {
  it('was killed at least 30 times, often between the claim and the result, and started again each time', () => {
    expect(report.kills).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(report.restarts).toBe(report.kills);
    // The window the suite exists for: a start after the kill found a row left in 'sending'.
    expect(report.betweenClaimAndResult).toBeGreaterThanOrEqual(5);
    expect(report.unknownDelivered).toBeGreaterThan(0);
    expect(report.unknown - report.unknownDelivered).toBeGreaterThan(0);
  });

  it('lost nothing: every purchase stored once, every run ended with the steps its flow and its answer call for', () => {
    expect(firstProblems(report.problems.lost)).toEqual([]);
    expect(report.purchases).toBe(PURCHASES);
    expect(report.scheduled).toBeGreaterThanOrEqual(1_000);
    // Every path of the survey ran: yes, no and silence.
    expect(Math.min(report.answers.yes, report.answers.no, report.answers.none)).toBeGreaterThan(0);
  });

  it('sent nothing twice: no message id and no text reached a phone more than once', () => {
    expect(firstProblems(report.problems.twice)).toEqual([]);
  });

  it('settled every message: sent and received exactly once, or unknown, listed for the owner, never more than the kills', () => {
    expect(firstProblems(report.problems.settled)).toEqual([]);
    // Besides: new chats WhatsApp refused, and what their customers were not sent after (issue 18).
    expect(report.sent + report.unknown + report.coldRefusedRows + report.coldSkippedRows).toBe(report.scheduled);
    expect(report.unknown).toBeLessThanOrEqual(report.kills);
  });

  it('sent no message refused with 463 again, settled the refused ones as such, and the faults did happen', () => {
    expect(report.problems.twice.filter((problem) => problem.includes('refused with 463'))).toEqual([]);
    expect(report.newChatFaults.refuseNewChats).toBeGreaterThan(0);
    expect(report.newChatFaults.locks).toBeGreaterThan(0);
    expect(report.refused).toBeGreaterThan(0);
    expect(report.coldRefusedRows).toBeGreaterThan(0);
    expect(report.refusalsLostToKills).toBeLessThanOrEqual(report.kills);
    expect(report.coldRefusedRows + report.refusalsLostToKills).toBe(report.refused);
  });
});
