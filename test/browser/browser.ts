import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createTestApp, TEST_TOKEN, type TestApp } from '../helpers/app.js';

/** Debian's chromium, as CI installs it (apt-get install chromium). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts');

export { TEST_TOKEN };

/** Headless, no sandbox (CI runs as root), and none of the background traffic a desktop browser makes. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--no-first-run',
      '--metrics-recording-only',
      '--disable-dev-shm-usage',
    ],
  });
}

/** The service on a real port of 127.0.0.1, as a browser reaches it. */
export async function startService(options: Parameters<typeof createTestApp>[0] = {}): Promise<{ app: TestApp; url: string }> {
  const app = await createTestApp(options);
  const url = await app.app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

/** A screenshot of the page under test/artifacts/ (not committed): every run leaves them to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * For a test file: one headless chromium for all its tests, and the service
 * each test starts with `start()`, closed after that test.
 */
export function useBrowser(): { browser: () => Browser; start: typeof startService } {
  let browser: Browser | undefined;
  let service: { app: TestApp; url: string } | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await service?.app.close();
    service = undefined;
  });
  return {
    browser: () => {
      if (!browser) throw new Error('the browser is not launched yet');
      return browser;
    },
    start: async (options) => (service = await startService(options)),
  };
}
