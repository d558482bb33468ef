import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParameters } from './support/fuzz-run.js';
import { logCase, memoryLogger, problemWith } from './support/log-lines.js';

// Issue 16: the property of test/logger.property.test.ts, FUZZ_RUNS cases (10,000 by default):
// arbitrary values with phones planted in every written form, logged through loggerOptions;
// every line JSON, no phone readable.
describe('log lines through loggerOptions, fuzzed', () => {
  it('are JSON whatever they carry, and hold no phone unmasked', () => {
    const logger = memoryLogger();
    let lines = 0;
    let phones = 0;
    const started = performance.now();
    fc.assert(
      fc.property(logCase, (logged) => {
        const problem = problemWith(logger, logged);
        if (problem) throw new Error(problem);
        lines += logger.lines.length;
        phones += logged.phones.length;
      }),
      fuzzParameters('log lines through loggerOptions, fuzzed'),
    );
    console.log(`[fuzz] log lines: ${lines.toLocaleString('en')} lines, ${phones.toLocaleString('en')} planted phones, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(lines).toBeGreaterThan(0);
  });
});
