import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { purchaseBody } from '../helpers/app.js';
import { screenshot, TEST_TOKEN, useBrowser } from './browser.js';

// Segments on Clientes, on the seller's phone (390 px): pick a segment, see only its customers,
// save a segment from the form; nothing sticks out of the screen.

const { browser, start } = useBrowser();

async function overflowOf(page: Page): Promise<number> {
  return page.locator('html').evaluate((html) => {
    const root = html as unknown as { scrollWidth: number; clientWidth: number };
    return root.scrollWidth - root.clientWidth;
  });
}

describe('Clientes segments, on the phone', () => {
  it('filters by a segment and saves one from the form, within 390 px', async () => {
    const { app, url } = await start({ clock: new ManualClock('2026-11-20T13:00:00Z') });
    const buy = async (externalId: string, phone: string, name: string, sku: string) => {
      const response = await app.api({ method: 'POST', url: '/api/purchases', payload: purchaseBody({ externalId, customer: { phone, name }, items: [{ sku, name: 'Produto', quantity: 1, unitPrice: 30 }] }) });
      expect(response.statusCode, response.body).toBe(201);
    };
    await buy('p1', '+5511911110001', 'Ana Souza', 'CAFE-250');
    await buy('p2', '+5511911110002', 'Bruno Lima', 'CHA-100');

    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${url}/customers`);
    await page.fill('#token', TEST_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/customers`);
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'segments-1-list');

    await page.click('summary:has-text("Criar um segmento com filtros")');
    await page.fill('#sf-name', 'Café');
    await page.fill('#sf-products', 'CAFE-*');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'segments-2-form');
    await page.click('button:has-text("Salvar segmento")');
    await page.waitForURL(/segment=cafe/);
    await expect.poll(() => page.locator('table.customers tbody tr').count()).toBe(1);
    expect(await page.locator('table.customers').innerText()).toContain('Ana Souza');
    expect(await page.locator('#segment option:checked').innerText()).toBe('Café (1)');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'segments-3-saved');
    await context.close();
  }, 60_000);
});
