import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { screenshot, TEST_TOKEN, useBrowser } from './browser.js';

// The owner follows the alert's link on a phone (390 px) to a customer who may have asked to stop,
// reads what they wrote and decides with one tap.

const { browser, start } = useBrowser();

describe('a possible stop request, on the phone', () => {
  it('shows the text and two buttons without overflowing; "Confirmar a saída" opts the customer out', async () => {
    const { app, url } = await start({ clock: new ManualClock('2026-11-20T13:00:00Z') });
    const ana = app.repos.customers.create({ phone: '+5511912345678', details: { name: 'Ana Souza' } }, app.clock.now());
    app.repos.customers.holdForStopReview(ana.id, 'nao quero mais, obrigada', app.clock.now());

    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${url}/customers/${ana.id}`);
    await page.fill('#token', TEST_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/customers/${ana.id}`);

    const review = page.locator('section.stop-review');
    await expect.poll(() => review.isVisible()).toBe(true);
    expect(await review.innerText()).toContain('“nao quero mais, obrigada”');
    // (The function runs in the page, where `document` is; this file is type-checked without the DOM.)
    const overflow = await page.locator('html').evaluate((html) => {
      const root = html as unknown as { scrollWidth: number; clientWidth: number };
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'stop-review-1-customer');

    await review.locator('button', { hasText: 'Confirmar a saída' }).click();
    await page.waitForURL(`${url}/customers/${ana.id}?notice=opted_out`);
    expect(await page.locator('p.notice').innerText()).toContain('não vai mais receber mensagens automáticas');
    expect(await page.locator('section.stop-review').count()).toBe(0);
    expect(app.repos.customers.findById(ana.id)!.optedOutAt).not.toBeNull();
    await screenshot(page, 'stop-review-2-opted-out');
    await context.close();
  }, 60_000);
});
