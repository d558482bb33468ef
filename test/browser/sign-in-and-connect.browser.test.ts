import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.js';
import { screenshot, TEST_TOKEN, useBrowser } from './browser.js';

// The seller's first steps in a real browser: sign in with the admin token, then the /connect
// page with its QR, which updates itself as WhatsApp rotates it.

const { browser, start } = useBrowser();

async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/connect`);
  await page.fill('#token', token);
  await page.click('button[type=submit]');
}

describe('sign-in', () => {
  it('a wrong token is refused with a message; the right one opens /connect with an HttpOnly cookie, never in the URL', async () => {
    const service = await start();
    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();

    await page.goto(`${service.url}/connect`);
    expect(await page.title()).toContain('Entrar');
    await screenshot(page, 'sign-in');

    await signIn(page, service.url, 'wrong-token');
    expect(await page.textContent('[role=alert]')).toBe('Token incorreto.');
    await screenshot(page, 'sign-in-wrong');

    await signIn(page, service.url, TEST_TOKEN);
    await page.waitForURL(`${service.url}/connect`);
    expect(page.url()).not.toContain(TEST_TOKEN);
    expect(await page.textContent('#state-text')).toBe('Conectado');
    expect(await page.textContent('.notice')).toContain('Modo simulador');
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === 'fregues_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The cookie is a session, not the admin token.
    expect(cookies.map((cookie) => cookie.value)).not.toContain(TEST_TOKEN);
    // The forms' CSRF secret, which scripts on the page cannot read either.
    expect(cookies.find((cookie) => cookie.name === '_csrf')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await screenshot(page, 'connect-simulator');
    await context.close();
  });
});

describe('/connect', () => {
  it('shows the QR as an image, and the next one when WhatsApp rotates it', async () => {
    const channel = new FakeChannel();
    channel.qr = 'first-qr-reference';
    const service = await start({ channel });
    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page, service.url, TEST_TOKEN);
    await page.waitForURL(`${service.url}/connect`);

    const first = await QRCode.toDataURL('first-qr-reference', { margin: 1, width: 264 });
    expect(await page.getAttribute('#qr', 'src')).toBe(first);
    expect(await page.isVisible('#qr')).toBe(true);
    // The image really is a picture of that size in the browser, not a broken link.
    expect(await page.$eval('#qr', (img) => [(img as unknown as { naturalWidth: number }).naturalWidth, (img as unknown as { complete: boolean }).complete])).toEqual([264, true]);
    await screenshot(page, 'connect-qr');

    channel.qr = 'second-qr-reference';
    const second = await QRCode.toDataURL('second-qr-reference', { margin: 1, width: 264 });
    // connect.js asks /connect/status every two seconds.
    await expect.poll(() => page.getAttribute('#qr', 'src'), { timeout: 10_000 }).toBe(second);

    // The phone scans it: the page says so without a reload.
    channel.state = 'open';
    channel.qr = null;
    await expect.poll(() => page.textContent('#state-text'), { timeout: 10_000 }).toBe('Conectado');
    expect(await page.isVisible('#qr-section')).toBe(false);
    await screenshot(page, 'connect-linked');
    await context.close();
  });
});

describe('WhatsApp’s limits', () => {
  it('Conectar shows the quota, the time lock and the shop’s QR; a banner on every page; the seller’s page opens from the link', async () => {
    const channel = new FakeChannel({ state: 'open', qr: null });
    channel.linkedPhone = '+5511987654321';
    const service = await start({ channel, env: { SHOP_NAME: 'Café da Ana' } });
    const link = `https://wa.me/5511987654321?text=${encodeURIComponent('Oi, Café da Ana! Quero receber as novidades dos meus pedidos por aqui')}`;
    service.app.repos.whatsappLimits.save({
      cap: { total: 50, used: 37, cycleStart: null, cycleEnd: Date.parse('2026-12-12T15:00:00Z'), status: 'first_warning', readAt: service.app.clock.now() },
      lock: { active: true, endsAt: Date.parse('2026-11-21T18:30:00Z'), kind: 'BIZ_QUALITY', readAt: service.app.clock.now() },
      waVersion: '2.3000.1043857760',
    });
    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page, service.url, TEST_TOKEN);
    await page.waitForURL(`${service.url}/connect`);

    expect(await page.textContent('#limits-quota')).toBe('37 de 50 conversas novas usadas neste ciclo, renova em 12/12');
    expect(await page.textContent('#limits-lock')).toContain('até 21/11/2026, 15:30');
    expect(await page.textContent('#limits-version')).toBe('Versão do WhatsApp Web em uso: 2.3000.1043857760');
    expect(await page.textContent('#limits-banner')).toContain('O WhatsApp bloqueou conversas novas até 21/11/2026, 15:30.');
    expect(await page.getAttribute('#shop-link-url', 'href')).toBe(link);
    // The QR is a picture the browser drew, of the link itself.
    expect(await page.getAttribute('#shop-qr', 'src')).toBe(await QRCode.toDataURL(link, { margin: 1, width: 200 }));
    expect(await page.$eval('#shop-qr', (img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(200);
    await page.locator('#whatsapp-limits').scrollIntoViewIfNeeded();
    await screenshot(page, 'connect-whatsapp-limits');

    await page.click('a[href="/connect/whatsapp-limits"]');
    await page.waitForURL(`${service.url}/connect/whatsapp-limits`);
    expect(await page.textContent('h1')).toBe('O que o WhatsApp limita e o que você pode fazer');
    expect(await page.isVisible('article.document table')).toBe(true);
    expect(await page.isVisible('#limits-banner')).toBe(true);
    // Written for a phone: nothing in the document widens the page past the screen.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'whatsapp-limits-page');

    await page.goto(`${service.url}/outbox`);
    expect(await page.isVisible('#limits-banner')).toBe(true);
    await context.close();
  });
});
