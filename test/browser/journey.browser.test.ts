import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { screenshot, TEST_TOKEN, useBrowser } from './browser.js';

// A seller's first day, in a real browser, on the simulator: sign in, link the number by its QR,
// a purchase arrives through the API, the clock moves on the Simulador page, the thanks and the
// survey arrive in the chat, the customer answers, and the answer is on her timeline and in the
// Painel's numbers. Every page leaves a screenshot in test/artifacts/.


const { browser, start } = useBrowser();

async function texts(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(selector).allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
}

describe('a post-sale journey in the browser', () => {
  it('sign in, link by QR, purchase by API, +1 hora / +1 semana, answer the survey in the chat, see it on the timeline and the Painel', async () => {
    // Friday 20 November 2026, 10:00 in São Paulo; the number is not linked yet.
    const clock = new ManualClock('2026-11-20T13:00:00Z');
    const channel = new SimulatorChannel({ clock, linked: false });
    await channel.start();
    const service = await start({ flows: SHIPPED_FLOWS, clock, channel, env: { SHOP_NAME: 'Café da Ana', FLOWS_DIR: path.resolve(import.meta.dirname, '../../flows') } });
    const { url } = service;
    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    // Nothing the pages load fails, and no script error (the sign-in page itself answers 401).
    const problems: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400 && !(response.status() === 401 && response.request().resourceType() === 'document')) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('pageerror', (error) => problems.push(error.message));

    // Sign in: the Painel, empty for now.
    await page.goto(`${url}/`);
    await page.fill('#token', TEST_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/`);
    expect(await page.title()).toBe('Painel · fregues');
    await screenshot(page, 'journey-1-painel-empty');

    // Conectar: the simulator shows a QR image, as a real number would, and the simulated scan links it.
    await page.click('nav >> text=Conectar');
    await page.waitForURL(`${url}/connect`);
    const qr = page.locator('img#qr');
    await expect.poll(() => qr.isVisible()).toBe(true);
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await qr.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await screenshot(page, 'journey-2-connect-qr');
    await page.click('text=Simular a leitura do QR');
    await expect.poll(() => page.textContent('#state-text')).toBe('Conectado');
    await screenshot(page, 'journey-3-connect-linked');

    // A purchase through the API, as a shop's system would post it.
    const purchase = await fetch(`${url}/api/purchases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId: 'pedido-1', customer: { phone: '(11) 91234-5678', name: 'Ana Souza', consent: { marketing: true } }, items: [{ sku: 'CAFE-250', name: 'Café especial 250 g', unitPrice: '39.90' }] }),
    });
    expect(purchase.status).toBe(201);

    // Simulador: Ana's chat is empty until the clock moves an hour.
    await page.click('nav >> text=Simulador');
    await page.fill('#sim-phone', '(11) 91234-5678');
    await page.click('.sim-start button[type=submit]');
    expect(await texts(page, '#sim-bubbles .sim-text')).toEqual([]);
    await page.click('button[name=advance][value="1h"]');
    await expect.poll(() => texts(page, '#sim-bubbles .sim-text')).toEqual([
      'Oi, Ana! Aqui é a equipe Café da Ana 😊 Muito obrigado pela compra de Café especial 250 g. Se precisar de qualquer coisa, é só responder esta mensagem.',
    ]);
    expect(await page.textContent('[role=status]')).toContain('Mensagens enviadas: 1');
    await screenshot(page, 'journey-4-simulator-thanks');

    // A week later: the tip, and the 0-10 question as a poll.
    await page.click('button[name=advance][value="7d"]');
    await expect.poll(async () => (await texts(page, '#sim-bubbles .sim-text')).some((text) => text.includes('de 0 a 10'))).toBe(true);
    expect(await page.locator('#sim-bubbles form.sim-poll button.sim-option').count()).toBe(11);
    await screenshot(page, 'journey-5-simulator-survey');

    // Ana answers in her own words; the bot understands a 9 with a comment and asks for a referral.
    await page.fill('#sim-text', 'nota 9, mas demorou um pouco');
    await page.click('.sim-composer button[type=submit]');
    await expect.poll(() => texts(page, '#sim-bubbles .sim-bubble.mine .sim-text')).toContain('nota 9, mas demorou um pouco');
    await expect.poll(async () => (await texts(page, '#sim-bubbles .sim-text')).some((text) => text.startsWith('Que alegria, Ana!'))).toBe(true);
    await screenshot(page, 'journey-6-simulator-answered');

    // Clientes: the answer on Ana's timeline.
    await page.click('nav >> text=Clientes');
    await page.fill('input[name=q]', 'Ana');
    await page.press('input[name=q]', 'Enter');
    await page.click('text=Ana Souza');
    await page.waitForURL(/\/customers\/\d+$/);
    const timeline = (await texts(page, 'ol.timeline > li')).join('\n');
    expect(timeline).toContain('Nota (0 a 10): 9');
    expect(timeline).toContain('mas demorou um pouco');
    expect(timeline).toContain('Pós-compra');
    await screenshot(page, 'journey-7-customer-timeline');

    // Painel: this week's numbers count her answer.
    await page.click('nav >> text=Painel');
    expect(await page.textContent('#week')).toContain('Esta semana (23/11 a 29/11)');
    const card = async (name: string) => (await page.locator('.card', { has: page.locator('.card-name', { hasText: new RegExp(`^${name}$`) }) }).locator('.card-value').textContent())?.trim();
    expect(await card('NPS')).toBe('100');
    expect(await card('Responderam')).toBe('1');
    expect(await page.locator('figure.chart svg').count()).toBe(1);
    await screenshot(page, 'journey-8-painel');

    // The other pages render, for the screenshots: Fluxos, a flow's dry run, Envios, the API docs.
    for (const [path, name] of [['/flows', 'flows'], ['/flows/pos-compra', 'flow-pos-compra'], ['/outbox', 'outbox'], ['/customers', 'customers']] as const) {
      const response = await page.goto(`${url}${path}`);
      expect(response?.status(), path).toBe(200);
      await screenshot(page, `journey-9-${name}`);
    }
    // The flow on disk is the one running, and its dry run reaches the end.
    await page.goto(`${url}/flows/pos-compra`);
    const flowPage = (await page.textContent('main')) ?? '';
    expect(flowPage).not.toContain('não está mais na pasta');
    expect(flowPage).toContain('O fluxo chega ao fim.');
    expect(problems).toEqual([]);
    await context.close();
  });
});
