import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/index.js';
import { screenshot, TEST_TOKEN, useBrowser } from './browser.js';

// The API's reader (/docs, swagger-ui) in a real browser, under the pages' CSP: it must render
// the operations with no script or style refused, and fit a 390-px phone (issue 20). The menu's
// "API" opens the seller's page about the API (/docs/guide), in the seller's language, which
// links to the reader.

/**
 * A phone's browser: without isMobile, Chromium lays every page out at the window's width and
 * ignores the viewport tag; a phone lays a page without one out 980 px wide.
 */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** How wide the page's document is: more than the viewport means the seller scrolls sideways. */
const documentWidth = (page: Page) => page.locator('html').evaluate((html) => (html as unknown as { scrollWidth: number }).scrollWidth);

const { browser, start } = useBrowser();

describe('/docs', () => {
  it('asks to sign in, then shows every operation of the API with nothing refused by the CSP', async () => {
    const service = await start();
    const context = await browser().newContext(PHONE);
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
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    // An operation's line stacks on a phone (its stylesheet, phone.css): the summary gets a line of
    // its own, not a column squeezed between the path and the icons.
    const summary = await page.locator('#operations-purchases-post_api_purchases .opblock-summary-description').boundingBox();
    expect(summary?.width).toBeGreaterThan(390 * 0.6);
    await screenshot(page, 'docs');

    // An operation opens with its body's schema, read from the zod schema of the route.
    await page.locator('#operations-purchases-post_api_purchases .opblock-summary').click();
    await page.waitForSelector('#operations-purchases-post_api_purchases .opblock-body');
    expect(await page.textContent('#operations-purchases-post_api_purchases .opblock-body')).toContain('customer');
    // Its answers' examples are wider than the phone: they scroll in their own box, the page does not.
    await page.locator('#operations-purchases-post_api_purchases .responses-wrapper').scrollIntoViewIfNeeded();
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'docs-purchase');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('opens the seller\'s page about the API from the menu, in pt-BR and phone-wide, which leads to the reader', async () => {
    const service = await start();
    const context = await browser().newContext(PHONE);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(`${service.url}/customers`);
    await page.fill('#token', TEST_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${service.url}/customers`);
    await page.click(`nav a:text-is("${translate('pt-BR', 'page.nav.docs')}")`);
    await page.waitForURL(`${service.url}/docs/guide`);

    expect(await page.textContent('h1')).toBe(translate('pt-BR', 'page.title.api_guide'));
    expect(await page.getAttribute('nav a[aria-current=page]', 'href')).toBe('/docs/guide');
    // The token's line, then the command, each on its own line, as pasted into a terminal.
    const example = (await page.textContent('#purchase-example'))?.split('\n') ?? [];
    expect(example[0]).toMatch(/^TOKEN=\$\(cat '.+admin-token'\)$/);
    expect(example[1]).toBe(`curl -X POST ${service.app.config.publicUrl}/api/purchases \\`);
    expect(await page.isVisible('#purchase-example')).toBe(true);
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'docs-guide');

    const reader = page.locator('#reader-link');
    expect(await reader.textContent()).toBe(translate('pt-BR', 'page.api_guide.reference_link'));
    await reader.click();
    await page.waitForURL(`${service.url}/docs`);
    await page.waitForSelector('.opblock-summary-path');
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);

    expect(problems).toEqual([]);
    await context.close();
  });
});
