import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { screenshot, TEST_TOKEN, useBrowser } from './browser.js';

// Campanhas on a 390-px phone (issue 21): the seller writes a campaign to a saved segment, sees the
// text as a customer gets it while typing (the flow editor's preview), picks a name from the list,
// checks who will and will not get it and why, sends it, and finds it on its page with the sends
// going out as time passes. No page scrolls sideways; every step leaves a screenshot in test/artifacts/.

const { browser, start } = useBrowser();

async function overflowOf(page: Page): Promise<number> {
  return page.locator('html').evaluate((html) => {
    const root = html as unknown as { scrollWidth: number; clientWidth: number };
    return root.scrollWidth - root.clientWidth;
  });
}

async function texts(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(selector).allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
}

describe('Campanhas in the browser', () => {
  it('write a campaign with the preview, Conferir, Enviar, and see it on its page', async () => {
    // Friday 20 November 2026, 10:00 in São Paulo.
    const clock = new ManualClock('2026-11-20T13:00:00Z');
    const { url, app } = await start({ clock, env: { SHOP_NAME: 'Café da Ana', COLD_WARMUP: 'off', COLD_DAILY_CAP: '1000' } });
    const api = async (method: string, path: string, body?: unknown) => {
      const answer = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(answer.status, `${method} ${path}`).toBeLessThan(300);
      return answer.json() as Promise<Record<string, unknown>>;
    };
    const people = [
      { phone: '(11) 91234-0001', name: 'Ana Souza', marketing: true },
      { phone: '(11) 91234-0002', name: 'Bruno Lima', marketing: false },
      { phone: '(11) 91234-0003', name: 'Carla Dias', marketing: true },
    ];
    for (const [index, person] of people.entries()) {
      const bought = (await api('POST', '/api/purchases', {
        externalId: `pedido-${index}`,
        customer: { phone: person.phone, name: person.name, consent: { marketing: person.marketing } },
        items: [{ sku: 'CAFE-250', name: 'Café especial 250 g', unitPrice: '39.90' }],
      })) as { customer: { id: number } };
      await api('PATCH', `/api/customers/${bought.customer.id}`, { tags: ['clube'] });
    }
    await api('POST', '/api/segments', { name: 'Clube do café', filters: { tags: ['clube'] } });

    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400 && !(response.request().resourceType() === 'document' && response.status() === 401)) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(`${url}/campaigns`);
    await page.fill('#token', TEST_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/campaigns`);
    expect(await page.textContent('#no-campaigns')).toContain('Nenhuma campanha ainda');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'campaigns-1-list');

    await page.click('#new-campaign');
    await page.waitForURL(`${url}/campaigns/new`);
    await page.selectOption('#segment', 'clube-do-cafe');
    // Only the text's fields show for a text; the second variant only with an A/B test.
    expect(await page.isVisible('#v0-question')).toBe(false);
    expect(await page.isVisible('#v1-box')).toBe(false);
    const text = page.locator('#v0-text');
    await text.fill('Oi, ');
    await page.selectOption('#v0-text + .name-picker select', '{{ customer.first_name }}');
    await text.press('End');
    await text.type('! Chegou o café da estação na {{ shop.name }}.');
    await expect.poll(() => texts(page, '.edit-preview[data-for="v0-text"] .preview-text')).toEqual(['Oi, Ana! Chegou o café da estação na Café da Ana.']);
    // A name written wrong is flagged as it is typed.
    await text.fill('Oi, {{ cliente.nome }}!');
    await expect.poll(() => texts(page, '.edit-preview[data-for="v0-text"] .preview-error')).toEqual([expect.stringContaining('cliente')]);
    await text.fill('Oi, {{ customer.first_name }}! Chegou o café da estação na {{ shop.name }}.');
    await page.selectOption('#variants', '2');
    expect(await page.isVisible('#v1-box')).toBe(true);
    await page.fill('#v1-text', '{{ customer.first_name }}, café da estação chegou ☕');
    await page.fill('#name', 'Café da estação');
    await expect.poll(() => texts(page, '.edit-preview[data-for="v0-text"] .preview-text')).toEqual(['Oi, Ana! Chegou o café da estação na Café da Ana.']);
    await expect.poll(() => texts(page, '.edit-preview[data-for="v1-text"] .preview-text')).toEqual(['Ana, café da estação chegou ☕']);
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'campaigns-2-new');

    await page.click('#check');
    await page.waitForURL(`${url}/campaigns/new`);
    expect((await page.textContent('#check-recipients h2'))?.trim()).toBe('Vão receber: 2');
    expect((await page.textContent('#check-excluded h2'))?.trim()).toBe('Não vão receber: 1');
    expect(await texts(page, '#check-excluded li')).toEqual(['sem consentimento para mensagens da loja: 1']);
    expect(await page.textContent('#check-when')).toContain('A primeira sai por volta de 20/11/2026, 10:00');
    expect(await texts(page, '#check-sample .preview-text')).toEqual(['Oi, Ana! Chegou o café da estação na Café da Ana.', 'Ana, café da estação chegou ☕']);
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'campaigns-3-check');

    await page.click('#send');
    await page.waitForURL(`${url}/campaigns/1?notice=created`);
    expect(await page.textContent('p.notice')).toContain('Campanha criada');
    await app.flows.scheduler.travel(app.clock, app.clock.now() + 3_600_000);
    await page.reload();
    expect((await page.textContent('#campaign-status'))?.trim()).toBe('enviada');
    expect(await texts(page, '#campaign-progress dd')).toEqual(['0', '2', '0']);
    expect(await page.textContent('#campaign-verdict')).toContain('respostas');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'campaigns-4-page');

    await page.click('text=Voltar para Campanhas');
    await page.waitForURL(`${url}/campaigns`);
    expect(await page.textContent('#campanha-1')).toContain('Café da estação');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'campaigns-5-list');
    expect(problems).toEqual([]);
    await context.close();
  });
});
