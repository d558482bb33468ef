import { defineConfig } from 'vitest/config';

// The crash suite (npm run test:crash): the real service in a child process, killed with SIGKILL
// dozens of times while it sends. Apart from `npm test`, since it takes minutes (docs/reliability.md).
export default defineConfig({
  test: {
    include: ['test/crash/**/*.crash.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
