import type { Page } from 'playwright-core';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { customerJidCache } from '../../src/channels/baileys/jid-cache.js';
import { WhatsAppChannel } from '../../src/channels/baileys/whatsapp-channel.js';
import { createWhatsAppStore } from '../../src/storage/repositories/whatsapp.js';
import { FakeBaileysSocket, systemError, timedOut, webSocketError } from '../helpers/fake-baileys-socket.js';
import { screenshot, TEST_TOKEN, useBrowser } from './browser.js';

// Issue 20, point 5: Conectar on a machine that cannot reach WhatsApp showed a broken-image icon and
// "Esperando o WhatsApp enviar o QR code…" forever. Here the real WhatsApp adapter, put together by
// the assembly, gets sockets that fail as Baileys' do without internet (408): never a real connection.

const { browser, start } = useBrowser();

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/connect`);
  await page.fill('#token', TEST_TOKEN);
  await page.click('button[type=submit]');
  await page.waitForURL(`${url}/connect`);
}

/** Every image the page shows was drawn: none is a broken-image icon. */
function brokenImages(page: Page): Promise<string[]> {
  return page.$$eval('img', (images) =>
    images
      .map((image) => image as unknown as { id: string; hidden: boolean; complete: boolean; naturalWidth: number; offsetParent: unknown })
      .filter((image) => !image.hidden && image.offsetParent !== null && (!image.complete || image.naturalWidth === 0))
      .map((image) => image.id),
  );
}

describe('Conectar when WhatsApp cannot be reached', () => {
  it('explains it at 390 px, with what to check, the last error and the next try, and follows the next failure without a reload', async () => {
    const sockets: FakeBaileysSocket[] = [];
    const retries: { ms: number; run: () => void }[] = [];
    /** How each new socket ends: as Baileys' do with no internet, a moment after it is made. */
    const failures = [timedOut(), webSocketError(systemError('ENOTFOUND', -3008))];
    const service = await start({
      channel: ({ db, repos, clock }) =>
        new WhatsAppChannel({
          store: createWhatsAppStore(db),
          jids: customerJidCache(repos.customers, clock),
          clock,
          logger: pino({ level: 'silent' }),
          locale: 'pt-BR',
          random: () => 0.5,
          createSocket: (config) => {
            const socket = new FakeBaileysSocket(config);
            sockets.push(socket);
            const failure = failures.shift();
            if (failure) setImmediate(() => socket.fail(failure));
            return socket;
          },
          // The next try is run by the test, after moving the service's clock.
          schedule: (run, ms) => {
            const task = { ms, run };
            retries.push(task);
            return () => void retries.splice(retries.indexOf(task), 1);
          },
          sleep: async () => undefined,
        }),
    });
    await service.app.channel.start();
    await expect.poll(() => service.app.channel.linkTrouble?.code).toBe('timed_out');

    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page, service.url);

    expect(await page.textContent('#state-text')).toBe('Conectando ao WhatsApp…');
    expect(await page.isVisible('#link-trouble')).toBe(true);
    expect(await page.textContent('#link-trouble strong')).toBe('Não foi possível falar com o WhatsApp a partir deste computador.');
    expect(await page.$$eval('#link-trouble li', (items) => items.map((item) => item.textContent))).toEqual([
      'se este computador está conectado à internet;',
      'se um firewall, antivírus ou proxy não bloqueia o acesso a web.whatsapp.com;',
      'se a data e a hora deste computador estão certas.',
    ]);
    // 15:00:00Z in São Paulo; the first try waits 0.75 s.
    expect(await page.textContent('#trouble-error')).toBe('Último erro, às 12:00:00: o WhatsApp não respondeu a tempo (408).');
    expect(await page.textContent('#trouble-retry')).toBe('Nova tentativa às 12:00:00.');
    // No wait for a QR that cannot come, and no broken image.
    expect(await page.isVisible('#qr-waiting')).toBe(false);
    expect(await page.isVisible('#qr')).toBe(false);
    expect(await page.isVisible('#qr-section')).toBe(false);
    expect(await brokenImages(page)).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'connect-offline');

    // Ten seconds later the next try fails too, on the name: connect.js shows it without a reload.
    service.app.clock.advance(10_000);
    retries.shift()!.run();
    await expect.poll(() => service.app.channel.linkTrouble?.code).toBe('unreachable');
    await expect
      .poll(() => page.textContent('#trouble-error'), { timeout: 10_000 })
      .toBe('Último erro, às 12:00:10: o endereço do WhatsApp não foi encontrado (sem internet, ou o DNS não responde).');
    expect(await page.textContent('#trouble-retry')).toBe('Nova tentativa às 12:00:11.');
    expect(await page.isVisible('#qr-waiting')).toBe(false);

    // WhatsApp is back: "Tentar agora" opens a connection at once, its QR replaces the explanation.
    await page.click('#link-trouble button[type=submit]');
    await page.waitForURL(`${service.url}/connect`);
    expect(sockets).toHaveLength(3);
    sockets.at(-1)!.showQr('2@back-online');
    await expect.poll(() => page.isVisible('#qr'), { timeout: 10_000 }).toBe(true);
    expect(await page.isVisible('#link-trouble')).toBe(false);
    expect(await brokenImages(page)).toEqual([]);
    await screenshot(page, 'connect-offline-back');
    await context.close();
  });
});
