import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/flows/load-flows.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { screenshot, TEST_TOKEN, useBrowser } from './browser.js';

// The Fluxos editor on a 390-px phone (issue 20): the seller changes the thank-you text, sees it as
// a sample customer would while typing, saves, and the next purchase's thank-you in the Simulador
// carries it with no restart; a broken edit shows its error at the field and writes nothing; a flow
// turned off starts no runs. Every page leaves a screenshot in test/artifacts/.

const { browser, start } = useBrowser();
const SHIPPED = path.resolve(import.meta.dirname, '../../flows');
let dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

async function overflowOf(page: Page): Promise<number> {
  return page.locator('html').evaluate((html) => {
    const root = html as unknown as { scrollWidth: number; clientWidth: number };
    return root.scrollWidth - root.clientWidth;
  });
}

async function texts(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(selector).allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
}

const NEW_THANKS = 'Oi, {{ customer.first_name }}! A {{ shop.name }} agradece de coração a sua compra 💚';

describe('the flow editor in the browser', () => {
  it('edit the thank-you, see the preview, save, and the next purchase gets it; a broken edit saves nothing; a flow turned off starts no runs', async () => {
    const flowsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-browser-flows-'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-browser-data-'));
    dirs.push(flowsDir, dataDir);
    for (const name of fs.readdirSync(SHIPPED)) if (name.endsWith('.yaml')) fs.copyFileSync(path.join(SHIPPED, name), path.join(flowsDir, name));
    const file = path.join(flowsDir, 'pos-compra.yaml');
    const { flows } = loadFlows(flowsDir, { locale: 'pt-BR' });
    // Friday 20 November 2026, 10:00 in São Paulo.
    const clock = new ManualClock('2026-11-20T13:00:00Z');
    const { url } = await start({ flows, clock, env: { SHOP_NAME: 'Café da Ana', FLOWS_DIR: flowsDir, DATA_DIR: dataDir } });
    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('response', (response) => {
      const expected = response.request().resourceType() === 'document' && [400, 401].includes(response.status());
      if (response.status() >= 400 && !expected) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const buy = async (externalId: string) => {
      const answer = await fetch(`${url}/api/purchases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ externalId, customer: { phone: '(11) 91234-5678', name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café especial 250 g', unitPrice: '39.90' }] }),
      });
      expect(answer.status).toBe(201);
      return (await answer.json()) as { runs: { flowId: string }[] };
    };

    await page.goto(`${url}/flows`);
    await page.fill('#token', TEST_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/flows`);
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'flow-editor-1-flows');

    // Editar: the thank-you's card, its preview as Ana gets it while the seller types.
    await page.click('#flow-pos-compra >> text=Editar');
    await page.waitForURL(`${url}/flows/pos-compra/edit`);
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    const thanks = page.locator('#s0-text');
    await thanks.fill(NEW_THANKS);
    await expect.poll(() => texts(page, '.edit-preview[data-for="s0-text"] .preview-text')).toEqual(['Oi, Ana! A Café da Ana agradece de coração a sua compra 💚']);
    // A name from the list goes in at the cursor, and the preview follows.
    await thanks.press('End');
    await page.selectOption('#s0-text + .name-picker select', '{{ purchase.products }}');
    expect(await thanks.inputValue()).toBe(`${NEW_THANKS}{{ purchase.products }}`);
    await expect.poll(() => texts(page, '.edit-preview[data-for="s0-text"] .preview-text')).toEqual(['Oi, Ana! A Café da Ana agradece de coração a sua compra 💚Café especial 250 g e Coador de pano']);
    await thanks.fill(NEW_THANKS);
    await expect.poll(() => texts(page, '.edit-preview[data-for="s0-text"] .preview-text')).toEqual(['Oi, Ana! A Café da Ana agradece de coração a sua compra 💚']);
    await screenshot(page, 'flow-editor-2-edit');
    await page.click('#save');
    await page.waitForURL(/\/flows\/pos-compra\?notice=saved/);
    expect(await page.textContent('p.notice')).toMatch(/^Salvo: versão \d+, já em uso\.$/);
    expect(fs.readFileSync(file, 'utf8')).toContain(`send: "${NEW_THANKS}"`);
    await screenshot(page, 'flow-editor-3-saved');

    // The next purchase's thank-you, in the Simulador, an hour later: the new text, no restart.
    await buy('pedido-1');
    await page.click('nav >> text=Simulador');
    await page.fill('#sim-phone', '(11) 91234-5678');
    await page.click('.sim-start button[type=submit]');
    await page.click('button[name=advance][value="1h"]');
    await expect.poll(() => texts(page, '#sim-bubbles .sim-text')).toEqual(['Oi, Ana! A Café da Ana agradece de coração a sua compra 💚']);
    await screenshot(page, 'flow-editor-4-simulator');

    // A broken edit: the preview flags it, saving shows the error at the field and writes nothing.
    const before = fs.readFileSync(file, 'utf8');
    await page.goto(`${url}/flows/pos-compra/edit`);
    const tip = page.locator('#s2-text');
    await tip.fill('Oi, {{ cliente.nome }}!');
    await expect.poll(() => texts(page, '.edit-preview[data-for="s2-text"] .preview-error')).toEqual([expect.stringContaining('cliente')]);
    await page.click('#save');
    await expect.poll(() => page.locator('#s2-text-error').textContent()).toContain('variável desconhecida: cliente');
    expect(await page.inputValue('#s2-text')).toBe('Oi, {{ cliente.nome }}!');
    expect(await page.getAttribute('#s2-text', 'aria-describedby')).toBe('s2-text-error');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'flow-editor-5-broken');

    // Turned off on the list: the next purchase starts no run of it.
    await page.goto(`${url}/flows`);
    await page.click('#flow-pos-compra form.flow-switch button');
    await page.waitForURL(/\/flows\?notice=off/);
    expect(await page.textContent('#flow-pos-compra .switch-state')).toBe('Desligado');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^enabled: false$/m);
    const off = await buy('pedido-2');
    expect(off.runs.map((run) => run.flowId)).not.toContain('pos-compra');
    await screenshot(page, 'flow-editor-6-off');

    // The gallery and the history, for the screenshots and the width.
    for (const [address, name] of [['/flows/new', 'gallery'], ['/flows/pos-compra/history', 'history']] as const) {
      const response = await page.goto(`${url}${address}`);
      expect(response?.status(), address).toBe(200);
      expect(await overflowOf(page), address).toBeLessThanOrEqual(0);
      await screenshot(page, `flow-editor-7-${name}`);
    }
    await page.click('text=Ver o texto');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'flow-editor-8-history-entry');
    expect(problems).toEqual([]);
    await context.close();
  });
});
