import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyLinkError } from '../../../src/channels/baileys/disconnect-policy.js';
import { WhatsAppChannel } from '../../../src/channels/baileys/whatsapp-channel.js';
import { ManualClock } from '../../../src/scheduler/clock.js';
import { openDatabase, type Database } from '../../../src/storage/db.js';
import { createWhatsAppStore } from '../../../src/storage/repositories/whatsapp.js';
import { connectionTerminated, FakeBaileysSocket, streamError503, systemError, timedOut, webSocketError } from '../../helpers/fake-baileys-socket.js';

// Issue 20: with no internet, Conectar waited for a QR forever and the log showed only Baileys' English JSON.

let db: Database;
let clock: ManualClock;
beforeEach(() => {
  db = openDatabase(':memory:');
  clock = new ManualClock('2026-11-20T13:00:00Z');
});
afterEach(() => db.close());

function harness(locale: 'pt-BR' | 'en' | 'es' = 'pt-BR') {
  const sockets: FakeBaileysSocket[] = [];
  const scheduled: { ms: number; run: () => void }[] = [];
  const lines: { level: number; msg: string; linkError?: string; statusCode?: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const channel = new WhatsAppChannel({
    store: createWhatsAppStore(db),
    jids: { get: () => undefined, set: () => undefined },
    clock,
    logger,
    locale,
    random: () => 0.5,
    createSocket: (config) => {
      const socket = new FakeBaileysSocket(config);
      sockets.push(socket);
      return socket;
    },
    schedule: (run, ms) => {
      const task = { ms, run };
      scheduled.push(task);
      return () => void scheduled.splice(scheduled.indexOf(task), 1);
    },
    sleep: async () => undefined,
  });
  /** Moves the clock to the planned try and runs it. */
  const retry = () => {
    const task = scheduled.shift()!;
    clock.advance(task.ms);
    task.run();
  };
  return { channel, sockets, socket: () => sockets.at(-1)!, scheduled, retry, lines };
}

describe('the WhatsApp channel when WhatsApp cannot be reached', () => {
  it('keeps the last error, when it happened and the next try, through failures in a row, and forgets them at the first QR', async () => {
    const h = harness();
    await h.channel.start();
    expect(h.channel.linkTrouble).toBeNull();
    h.socket().fail(webSocketError(systemError('ENOTFOUND', -3008)));
    // First try failed: backoff 1 s with jitter 0.5 → 750 ms.
    expect(h.channel.state).toBe('connecting');
    expect(h.channel.linkTrouble).toEqual({ code: 'unreachable', statusCode: 408, at: Date.parse('2026-11-20T13:00:00Z'), failures: 1, retryAt: Date.parse('2026-11-20T13:00:00.750Z') });

    h.retry();
    // Trying now: no next try is planned until this one fails; the last error stays.
    expect(h.channel.linkTrouble).toMatchObject({ code: 'unreachable', failures: 1, retryAt: null });
    h.socket().fail(timedOut());
    expect(h.channel.linkTrouble).toEqual({ code: 'timed_out', statusCode: 408, at: Date.parse('2026-11-20T13:00:00.750Z'), failures: 2, retryAt: Date.parse('2026-11-20T13:00:02.250Z') });

    h.retry();
    h.socket().fail(connectionTerminated());
    expect(h.channel.linkTrouble).toMatchObject({ code: 'connection_closed', statusCode: 428, failures: 3 });
    h.retry();
    h.socket().fail(streamError503());
    expect(h.channel.linkTrouble).toMatchObject({ code: 'unavailable', statusCode: 503, failures: 4 });

    h.retry();
    h.socket().showQr('2@abc');
    expect(h.channel.state).toBe('qr');
    expect(h.channel.linkTrouble).toBeNull();
  });

  it('counts no trouble for a socket that showed a QR before closing (the QR expired unscanned: 408)', async () => {
    const h = harness();
    await h.channel.start();
    h.socket().showQr('2@abc');
    h.socket().fail(new (await import('@hapi/boom')).Boom('QR refs attempts ended', { statusCode: 408 }));
    expect(h.channel.linkTrouble).toBeNull();
  });

  it('logs one line per failure in the locale’s words with the next try, and Baileys’ own lines stay at its level', async () => {
    const h = harness();
    await h.channel.start();
    h.socket().fail(webSocketError(systemError('ECONNREFUSED', -111)));
    h.retry();
    h.socket().fail(webSocketError(systemError('ETIMEDOUT', -110)));
    const warnings = h.lines.filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual([
      'Não foi possível falar com o WhatsApp: a conexão foi recusada ou cortada no caminho (um firewall ou um proxy?). Nova tentativa em 1 s.',
      'Não foi possível falar com o WhatsApp: o WhatsApp não respondeu a tempo (408). Nova tentativa em 2 s.',
    ]);
    expect(warnings.map((line) => [line.linkError, line.statusCode])).toEqual([
      ['refused', 408],
      ['timed_out', 408],
    ]);
    // Baileys' logger is its child at 'warn': its "connection errored" info lines never reach the log.
    expect(h.socket().config.logger?.level).toBe('warn');
  });

  it.each([
    ['en', 'Could not reach WhatsApp: WhatsApp’s address was not found (no internet, or DNS is not answering). Trying again in 1 s.'],
    ['es', 'No se pudo hablar con WhatsApp: no se encontró la dirección de WhatsApp (sin internet, o el DNS no responde). Nuevo intento en 1 s.'],
  ] as const)('logs in %s', async (locale, line) => {
    const h = harness(locale);
    await h.channel.start();
    h.socket().fail(webSocketError(systemError('EAI_AGAIN', -3001)));
    expect(h.lines.filter((entry) => entry.level === 40).map((entry) => entry.msg)).toEqual([line.replace('’', "'")]);
  });

  it('tries again at once when asked (linkAgain), and waits the first delay again after that', async () => {
    const h = harness();
    await h.channel.start();
    for (let i = 0; i < 4; i += 1) {
      h.socket().fail(timedOut());
      if (i < 3) h.retry();
    }
    expect(h.scheduled.map((task) => task.ms)).toEqual([6_000]);
    await h.channel.linkAgain();
    expect(h.scheduled).toEqual([]);
    expect(h.sockets).toHaveLength(5);
    h.socket().fail(timedOut());
    expect(h.scheduled.map((task) => task.ms)).toEqual([750]);
  });

  it('after an unlink, linkAgain opens a new connection, which shows a QR', async () => {
    const h = harness();
    await h.channel.start();
    h.socket().open();
    await h.channel.logout();
    // The adapter re-pairs by itself; stopped in between (as after a 440), linkAgain starts it again.
    await h.channel.stop();
    expect(h.channel.state).toBe('closed');
    await h.channel.linkAgain();
    expect(h.channel.state).toBe('connecting');
    h.socket().showQr('2@new');
    expect(h.channel.state).toBe('qr');
    expect(h.channel.qr).toBe('2@new');
  });
});

describe('classifyLinkError: the errors Baileys closes with before a QR', () => {
  it.each([
    [webSocketError(systemError('ENOTFOUND', -3008)), 'unreachable', 408],
    [webSocketError(systemError('EAI_AGAIN', -3001)), 'unreachable', 408],
    [webSocketError(systemError('ECONNREFUSED', -111)), 'refused', 408],
    [webSocketError(systemError('ECONNRESET', -104)), 'refused', 408],
    [webSocketError(systemError('ETIMEDOUT', -110)), 'timed_out', 408],
    [webSocketError(new Error('Opening handshake has timed out')), 'timed_out', 408],
    [webSocketError(Object.assign(new Error('certificate is not yet valid'), { code: 'CERT_NOT_YET_VALID' })), 'certificate', 500],
    [webSocketError(new Error('self-signed certificate in certificate chain')), 'certificate', 500],
    [timedOut(), 'timed_out', 408],
    [connectionTerminated(), 'connection_closed', 428],
    [streamError503(), 'unavailable', 503],
    [new Error('socket hang up'), 'failed', null],
    [undefined, 'failed', null],
  ] as const)('%s → %s', (error, code, statusCode) => {
    expect(classifyLinkError(error)).toEqual({ code, statusCode });
  });
});
