import { defineConfig } from 'vitest/config';

// The browser tests (npm run test:browser): the service on a real port, Debian's chromium driven
// by playwright-core. Apart from `npm test`, since they need /usr/bin/chromium (.ci/run installs it).
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
