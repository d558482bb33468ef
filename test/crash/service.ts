import { ConfigError, loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { runService } from '../../src/service.js';

/**
 * The service as the crash suite runs it (harness.ts starts it again after
 * every SIGKILL): the real runService with the simulator, configured by the
 * environment as `npm start` is, plus two things only a test gives:
 * - CRASH_CLOCK_START (epoch ms): the manual clock starts where the harness
 *   last told the killed process to go, so simulated time survives restarts;
 * - CRASH_SEND_LATENCY_MS: each send takes that long in real time, so that a
 *   kill lands between the claim and the result often enough to matter.
 */
const start = Number(process.env.CRASH_CLOCK_START);
if (!Number.isSafeInteger(start)) {
  console.error(`CRASH_CLOCK_START must be epoch milliseconds, not ${JSON.stringify(process.env.CRASH_CLOCK_START)}`);
  process.exit(2);
}
let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
if (config.channel !== 'simulator') {
  console.error('the crash suite runs the simulator only: WhatsApp is never reached');
  process.exit(2);
}
await runService(config, { clock: new ManualClock(start), simulatorSendLatencyMs: Number(process.env.CRASH_SEND_LATENCY_MS ?? '0') });
