import { execFileSync } from 'node:child_process';

// npm run bench -- <name>: runs one benchmark (or all) and exits 1 when a target is missed.
const benchmarks: Record<string, () => Promise<{ run: () => Promise<boolean> }>> = {
  intake: () => import('./intake.js'),
  tick: () => import('./tick.js'),
  inbound: () => import('./inbound.js'),
  report: () => import('./report.js'),
  soak: () => import('./soak.js'),
  backup: () => import('./backup.js'),
  webhooks: () => import('./webhooks.js'),
  segments: () => import('./segments.js'),
  campaigns: () => import('./campaigns.js'),
};

const names = process.argv.slice(2);
const chosen = names.length === 0 ? Object.keys(benchmarks) : names;
const unknown = chosen.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}

// Benchmarks measure the compiled code that `npm start` runs.
execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });

let ok = true;
for (const name of chosen) {
  const { run } = await benchmarks[name]!();
  ok = (await run()) && ok;
}
process.exit(ok ? 0 : 1);
