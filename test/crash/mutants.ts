import { checkCrashRun, describeCrashReport } from './check.js';
import { runCrash } from './harness.js';
import fs from 'node:fs';

/**
 * Shows that the crash suite fails on a service that breaks the guarantee:
 * each mutant changes the compiled service (never src/) and runs a smaller
 * crash run, which must report problems. Not part of `npm run test:crash`;
 * run by hand: `npx tsx test/crash/mutants.ts [name...]` (docs/reliability.md).
 */
const SENDER = 'src/scheduler/send-governor.ts';
const UNKNOWN_AT_START = "repos.outbox.finish(row.id, 'unknown', clock.now(), 'interrupted' satisfies Reason);";

const mutants: Record<string, { source: string; from: string; to: string }> = {
  // A row left 'sending' by a crash goes back to the queue: sent again after the restart.
  'resend-after-crash': { source: SENDER, from: UNKNOWN_AT_START, to: "repos.outbox.retry(row.id, clock.now(), 'resent after a crash');" },
  // A row left 'sending' is taken as sent, whether WhatsApp got it or not.
  'trust-the-claim': { source: SENDER, from: UNKNOWN_AT_START, to: "repos.outbox.finish(row.id, 'sent', clock.now());" },
  // Rows left 'sending' are never looked at again.
  'no-reconcile': { source: 'src/scheduler/flow-services.ts', from: 'const { confirmed, unknown } = governor.reconcile();', to: 'const { confirmed, unknown } = { confirmed: 0, unknown: 0 };' },
};

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(mutants);
let escaped = 0;
for (const name of names) {
  const mutant = mutants[name];
  if (!mutant) throw new Error(`no mutant ${name}; there are ${Object.keys(mutants).join(', ')}`);
  let applied = false;
  const run = await runCrash({
    seed: 7,
    customers: 120,
    purchases: 150,
    minKills: 12,
    sendLatencyMs: 8,
    log: () => {},
    mutate: (source, code) => {
      if (source !== mutant.source) return code;
      if (!code.includes(mutant.from)) throw new Error(`mutant ${name}: ${mutant.from} is not in ${source}`);
      applied = true;
      return code.replace(mutant.from, mutant.to);
    },
  }).catch((error: unknown) => {
    console.log(`${name}: the run itself failed (caught): ${String(error).split('\n')[0]}`);
    return null;
  });
  if (!applied) throw new Error(`mutant ${name} was not applied`);
  if (!run) continue;
  const report = checkCrashRun(run);
  fs.rmSync(run.dir, { recursive: true, force: true });
  console.log(`${name}: ${describeCrashReport(report)}`);
  const problems = [...report.problems.lost, ...report.problems.twice, ...report.problems.settled];
  for (const problem of problems.slice(0, 3)) console.log(`  ${problem}`);
  if (problems.length === 0) escaped += 1;
}
if (escaped > 0) {
  console.log(`${escaped} mutant(s) escaped the checks`);
  process.exitCode = 1;
}
