import os from 'node:os';
import { defineConfig } from 'vitest/config';

// The fuzz suites (npm run test:fuzz): FUZZ_RUNS random cases per property, 10,000 by default;
// each property prints its seed, and FUZZ_SEED (with FUZZ_PATH) replays a run. Apart from
// `npm test`, which they would slow down by minutes.
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.test.ts'],
    environment: 'node',
    pool: 'forks',
    // One file per core (vitest leaves one core to itself by default; here it only waits).
    maxWorkers: os.availableParallelism(),
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
  },
});
