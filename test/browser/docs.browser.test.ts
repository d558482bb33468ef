import { describe, expect, it } from 'vitest';
import { screenshot, TEST_TOKEN, useBrowser } from './browser.js';

// The API's reader (/docs, swagger-ui) in a real browser, under the pages' CSP: it must render
// the operations with no script or style refused.

const { browser, start } = useBrowser();

describe('/docs', () => {
  it('asks to sign in, then shows every operation of the API with nothing refused by the CSP', async () => {
    const service = await start();
    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    // Every file the reader loads once signed in (the sign-in form itself answers 401).
    let signedIn = false;
    page.on('response', (response) => {
      if (signedIn && response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });

    const signIn = await page.goto(`${service.url}/docs`);
    expect(signIn?.status()).toBe(401);
    await page.fill('#token', TEST_TOKEN);
    signedIn = true;
    await page.click('button[type=submit]');
    await page.waitForURL(`${service.url}/docs`);
    expect(await page.title()).toBe('fregues API');

    await page.waitForSelector('.opblock-summary-path');
    const paths = await page.locator('.opblock-summary-path').allTextContents();
    expect(paths.map((text) => text.replace(/\u200b/g, ''))).toEqual(expect.arrayContaining(['/health', '/api/purchases', '/api/customers/{id}', '/api/simulator/clock']));
    expect(await page.textContent('.info .title')).toContain('fregues API');
    await screenshot(page, 'docs');

    // An operation opens with its body's schema, read from the zod schema of the route.
    await page.locator('#operations-purchases-post_api_purchases .opblock-summary').click();
    await page.waitForSelector('#operations-purchases-post_api_purchases .opblock-body');
    expect(await page.textContent('#operations-purchases-post_api_purchases .opblock-body')).toContain('customer');
    await screenshot(page, 'docs-purchase');

    expect(problems).toEqual([]);
    await context.close();
  });
});
