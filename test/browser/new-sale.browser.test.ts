import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { screenshot, TEST_TOKEN, useBrowser } from './browser.js';

// A sale at the counter on the seller's phone (390 px): the number formats itself as it is typed,
// the returning customer's name appears, and the answer shows the QR for the customer to scan.

const { browser, start } = useBrowser();

/** How far the page scrolls sideways: nothing may stick out of a phone's width. */
async function overflowOf(page: Page): Promise<number> {
  // (The function runs in the page, where `document` is; this file is type-checked without the DOM.)
  return page.locator('html').evaluate((html) => {
    const root = html as unknown as { scrollWidth: number; clientWidth: number };
    return root.scrollWidth - root.clientWidth;
  });
}

describe('Nova venda, on the phone', () => {
  it('formats the phone as typed, names the returning customer, and records the sale with its QR', async () => {
    const { app, url } = await start({ clock: new ManualClock('2026-11-20T13:00:00Z'), flows: SHIPPED_FLOWS });
    const ana = app.repos.customers.create({ phone: '+5511912345678', details: { name: 'Ana Souza' } }, app.clock.now());

    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${url}/sales/new`);
    await page.fill('#token', TEST_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/sales/new`);

    await page.locator('#phone').pressSequentially('11912345678');
    expect(await page.inputValue('#phone')).toBe('(11) 91234-5678');
    await expect.poll(() => page.locator('#buyer').innerText()).toBe('Cliente: Ana Souza');
    expect(await page.locator('#name').isVisible()).toBe(false);
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'new-sale-1-returning');

    await page.fill('#item-0-name', 'Cafeteira italiana');
    await page.fill('#item-0-price', 'R$ 1.039,90');
    await page.locator('button.sale-submit').click();
    await page.waitForURL(/\/sales\/\d+$/);
    expect(await page.locator('main').innerText()).toContain('Pós-compra');
    await expect.poll(() => page.locator('img.opt-in-card-qr').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'new-sale-2-done');
    expect(app.repos.purchases.listByCustomer(ana.id)).toMatchObject([{ totalCents: 103990, source: 'counter' }]);

    // A number the shop has never seen asks for a name.
    await page.goto(`${url}/sales/new`);
    await page.locator('#phone').pressSequentially('21998765432');
    expect(await page.inputValue('#phone')).toBe('(21) 99876-5432');
    await expect.poll(() => page.locator('#buyer').innerText()).toBe('Número novo: qual é o nome do cliente?');
    expect(await page.locator('#name').isVisible()).toBe(true);
    await context.close();
  }, 60_000);
});
