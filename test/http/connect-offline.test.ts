import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { customerJidCache } from '../../src/channels/baileys/jid-cache.js';
import { WhatsAppChannel } from '../../src/channels/baileys/whatsapp-channel.js';
import type { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import { createWhatsAppStore } from '../../src/storage/repositories/whatsapp.js';
import { createTestApp, TEST_TOKEN, type TestApp } from '../helpers/app.js';
import { connectionTerminated, FakeBaileysSocket, systemError, timedOut, webSocketError } from '../helpers/fake-baileys-socket.js';

// Issue 20: Conectar with no internet waited for a QR forever; after "Desconectar este número" nothing offered to link again.

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A signed-in browser on /connect: its session cookie and the forms' token. */
async function signIn(app: TestApp['app']) {
  const first = await app.inject({ method: 'GET', url: '/connect' });
  const csrfCookie = first.cookies.find((cookie) => cookie.name === '_csrf')?.value ?? '';
  const token = /name="_csrf" value="([^"]+)"/.exec(first.body)?.[1] ?? '';
  const signedIn = await app.inject({ method: 'POST', url: '/sign-in', headers: { ...FORM, cookie: `_csrf=${csrfCookie}` }, payload: new URLSearchParams({ _csrf: token, token: TEST_TOKEN }).toString() });
  const cookies = { fregues_session: signedIn.cookies.find((cookie) => cookie.name === 'fregues_session')?.value ?? '', _csrf: csrfCookie };
  const page = await app.inject({ method: 'GET', url: '/connect', cookies });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return {
    get: (url: string) => app.inject({ method: 'GET', url, cookies }),
    post: (url: string) => app.inject({ method: 'POST', url, headers: FORM, cookies, payload: new URLSearchParams({ _csrf: csrf }).toString() }),
  };
}

/** The real WhatsApp adapter over the app's database, its sockets the fake one: WhatsApp is never reached. */
async function offlineShop(env: Record<string, string> = {}) {
  const sockets: FakeBaileysSocket[] = [];
  const retries: { ms: number; run: () => void }[] = [];
  t = await createTestApp({
    env,
    channel: ({ db, repos, clock }) =>
      new WhatsAppChannel({
        store: createWhatsAppStore(db),
        jids: customerJidCache(repos.customers, clock),
        clock,
        logger: pino({ level: 'silent' }),
        locale: (env['LOCALE'] as 'pt-BR' | 'en' | 'es' | undefined) ?? 'pt-BR',
        random: () => 0.5,
        createSocket: (config) => {
          const socket = new FakeBaileysSocket(config);
          sockets.push(socket);
          return socket;
        },
        schedule: (run, ms) => {
          const task = { ms, run };
          retries.push(task);
          return () => void retries.splice(retries.indexOf(task), 1);
        },
        sleep: async () => undefined,
      }),
  });
  const app = t;
  await app.channel.start();
  return {
    t: app,
    socket: () => sockets.at(-1)!,
    sockets,
    retry() {
      const task = retries.shift()!;
      app.clock.advance(task.ms);
      task.run();
    },
  };
}

describe('Conectar when WhatsApp cannot be reached from this machine', () => {
  it('says so in pt-BR, with what to check, the last error in words and when, and the next try in TIMEZONE; no QR image, no wait for one', async () => {
    const shop = await offlineShop();
    const browser = await signIn(shop.t.app);
    shop.socket().fail(webSocketError(systemError('ENOTFOUND', -3008)));
    shop.retry();
    shop.socket().fail(timedOut());
    // 15:00:00.750Z failed; next try 1.5 s later; São Paulo is UTC−3.
    const page = await browser.get('/connect');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<section id="link-trouble" class="warning" role="status">');
    expect(page.body).toContain('Não foi possível falar com o WhatsApp a partir deste computador.');
    expect(page.body).toContain('<li>se este computador está conectado à internet;</li>');
    expect(page.body).toContain('<li>se um firewall, antivírus ou proxy não bloqueia o acesso a web.whatsapp.com;</li>');
    expect(page.body).toContain('<li>se a data e a hora deste computador estão certas.</li>');
    expect(page.body).toContain('<p id="trouble-error">Último erro, às 12:00:00: o WhatsApp não respondeu a tempo (408).</p>');
    expect(page.body).toContain('<p id="trouble-retry">Nova tentativa às 12:00:02.</p>');
    expect(page.body).toContain('<p id="qr-waiting" hidden>');
    // No pairing code can come either: the QR part is hidden as a whole.
    expect(page.body).toContain('<section id="qr-section" hidden>');
    expect(page.body).toMatch(/<img id="qr"[^>]* hidden>/);
    expect(page.body).not.toMatch(/<img id="qr"[^>]*src=/);

    const status = (await browser.get('/connect/status')).json();
    expect(status).toMatchObject({
      state: 'connecting',
      qr: null,
      trouble: { lastError: 'Último erro, às 12:00:00: o WhatsApp não respondeu a tempo (408).', retry: 'Nova tentativa às 12:00:02.' },
    });
  });

  it('shows the explanation from the first failure (the DNS name not found), and says when it is trying again', async () => {
    const shop = await offlineShop();
    const browser = await signIn(shop.t.app);
    expect((await browser.get('/connect/status')).json().trouble).toBeNull();
    shop.socket().fail(webSocketError(systemError('ENOTFOUND', -3008)));
    expect((await browser.get('/connect/status')).json().trouble).toEqual({
      lastError: 'Último erro, às 12:00:00: o endereço do WhatsApp não foi encontrado (sem internet, ou o DNS não responde).',
      retry: 'Nova tentativa às 12:00:00.',
    });
    shop.retry();
    expect((await browser.get('/connect/status')).json().trouble.retry).toBe('Tentando de novo agora…');
  });

  it('"Tentar agora" tries at once; the QR that then comes replaces the explanation', async () => {
    const shop = await offlineShop();
    const browser = await signIn(shop.t.app);
    shop.socket().fail(connectionTerminated());
    const page = await browser.get('/connect');
    expect(page.body).toContain('<form method="post" action="/connect/link-again">');
    expect(page.body).toContain('Tentar agora</button>');
    const tried = await browser.post('/connect/link-again');
    expect(tried.statusCode).toBe(303);
    expect(shop.sockets).toHaveLength(2);
    shop.socket().showQr('2@abc');
    const linking = await browser.get('/connect');
    expect(linking.body).toContain('<section id="link-trouble" class="warning" role="status" hidden>');
    expect(linking.body).toMatch(/<img id="qr"[^>]+src="data:image\/png;base64,/);
    expect((await browser.get('/connect/status')).json().trouble).toBeNull();
  });

  it.each([
    ['en', 'WhatsApp cannot be reached from this computer.', 'Last error, at 10:00:00 AM: WhatsApp did not answer in time (408).', 'Next try at 10:00:00 AM.'],
    ['es', 'No se puede hablar con WhatsApp desde esta computadora.', 'Último error, a las 10:00:00: WhatsApp no respondió a tiempo (408).', 'Nuevo intento a las 10:00:00.'],
  ])('says it in %s, times in TIMEZONE', async (locale, title, lastError, retry) => {
    const shop = await offlineShop({ LOCALE: locale, TIMEZONE: 'America/Bogota' });
    const browser = await signIn(shop.t.app);
    shop.socket().fail(timedOut());
    const page = await browser.get('/connect');
    expect(page.body).toContain(title);
    expect(page.body.replace(/\u202f/g, ' ')).toContain(lastError);
    expect(page.body.replace(/\u202f/g, ' ')).toContain(retry);
  });
});

describe('linking again after "Desconectar este número"', () => {
  it('the demo’s simulator: the page offers a new QR, and the button shows one with the button that plays the scan', async () => {
    t = await createTestApp();
    const simulator = t.channel as SimulatorChannel;
    const browser = await signIn(t.app);
    expect((await browser.get('/connect')).body).toContain('<section id="link-again" hidden>');
    await browser.post('/connect/logout');
    const unlinked = await browser.get('/connect');
    expect(unlinked.body).toContain('<section id="link-again">');
    expect(unlinked.body).toContain('Nenhum número está conectado. Para ligar o WhatsApp da loja de novo, gere um novo QR code.');
    expect(unlinked.body).toContain('Conectar de novo (novo QR code)</button>');
    expect((await browser.get('/connect/status')).json()).toMatchObject({ state: 'logged_out', linkAgain: true });

    const again = await browser.post('/connect/link-again');
    expect(again.statusCode).toBe(303);
    expect(simulator.state).toBe('qr');
    const linking = await browser.get('/connect');
    expect(linking.body).toContain('<section id="link-again" hidden>');
    expect(linking.body).toMatch(/<img id="qr"[^>]+src="data:image\/png;base64,/);
    expect(linking.body).toContain('action="/connect/simulate-scan"');
    await browser.post('/connect/simulate-scan');
    expect(simulator.state).toBe('open');
  });

  it('the WhatsApp adapter: stopped after unlinking, the button opens a new connection, which shows a QR', async () => {
    const shop = await offlineShop();
    const browser = await signIn(shop.t.app);
    shop.socket().open();
    await browser.post('/connect/logout');
    await shop.t.channel.stop();
    const page = await browser.get('/connect');
    expect(page.body).toContain('<section id="link-again">');
    await browser.post('/connect/link-again');
    shop.socket().showQr('2@after-unlink');
    const status = (await browser.get('/connect/status')).json();
    expect(status).toMatchObject({ state: 'qr', linkAgain: false, qr: expect.stringMatching(/^data:image\/png;base64,/) });
  });
});
