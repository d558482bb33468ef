// The soak benchmark's service: the service `npm start` runs (runService, from the
// compiled dist/), with CHANNEL=simulator and a manual clock starting at SOAK_START, the
// rest of its configuration from the environment the benchmark gives it. Started with
// --expose-gc: on 'sample' it collects garbage until the heap stops shrinking, then
// reports its memory, so that samples compare what is live, not what is not yet collected.
import fs from 'node:fs';
import { loadConfig } from '../../dist/config.js';
import { ManualClock } from '../../dist/scheduler/clock.js';
import { runService } from '../../dist/service.js';

const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('start soak-server.mjs with node --expose-gc');

const config = loadConfig(process.env);
const clock = new ManualClock(Number(process.env.SOAK_START));
const historyLimit = Number(process.env.SOAK_SIMULATOR_HISTORY ?? 0);

process.on('message', (message) => {
  if (message !== 'sample') return;
  let heap = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i += 1) {
    gc();
    const used = process.memoryUsage().heapUsed;
    if (used >= heap * 0.999) break;
    heap = used;
  }
  // A turn of the event loop: what the collections freed is returned before RSS is read.
  setImmediate(() => process.send?.({ memory: process.memoryUsage(), rssParts: rssParts() }));
});

/** Linux's split of RSS (/proc/self/status): anonymous memory, mapped files, shared memory; null elsewhere. */
function rssParts() {
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem') };
  } catch {
    return null;
  }
}

await runService(config, {
  clock,
  // The simulated phones keep the chats of the last SOAK_SIMULATOR_HISTORY numbers only (0: all).
  beforeListen: async ({ channel }) => {
    if (historyLimit > 0) channel.limitHistory(historyLimit);
  },
  onListening: (url) => process.send?.({ url }),
  // The IPC channel would keep the process alive after the database is closed.
  onClosed: () => process.disconnect?.(),
});
