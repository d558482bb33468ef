import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fuzzParameters } from './fuzz/support/fuzz-run.js';
import { logCase, memoryLogger, problemWith } from './fuzz/support/log-lines.js';

// Issue 16: every log line stays JSON whatever is masked, and no phone survives unmasked, over
// arbitrary values (see test/fuzz/support/log-lines.ts). A few hundred cases here (LOG_PROPERTY_RUNS);
// test/fuzz/logger.fuzz.test.ts runs FUZZ_RUNS of them. The seed is printed: FUZZ_SEED replays it.
const RUNS = Number(process.env.LOG_PROPERTY_RUNS ?? 300);

describe('log lines through loggerOptions', () => {
  it('are JSON whatever they carry, and hold no phone unmasked', () => {
    const logger = memoryLogger();
    fc.assert(
      fc.property(logCase, (logged) => {
        const problem = problemWith(logger, logged);
        if (problem) throw new Error(problem);
      }),
      fuzzParameters('log lines through loggerOptions', RUNS, 'npx vitest run test/logger.property.test.ts'),
    );
  });
});
