import { Boom } from '@hapi/boom';
import {
  DEFAULT_CONNECTION_CONFIG,
  DisconnectReason,
  NewChatMessageCappingMVStatusType,
  NewChatMessageCappingOTEStatusType,
  NewChatMessageCappingStatusType,
  ReachoutTimelockEnforcementType,
  type NewChatMessageCapInfo,
} from '@whiskeysockets/baileys';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CAP_READ_EVERY_MS } from '../../../src/channels/baileys/limits-watch.js';
import { WhatsAppChannel, type WaVersionFetcher } from '../../../src/channels/baileys/whatsapp-channel.js';
import type { BreakerStatus, Receipt, WhatsAppLimits } from '../../../src/channels/channel.js';
import { ManualClock } from '../../../src/scheduler/clock.js';
import { openDatabase, type Database } from '../../../src/storage/db.js';
import { createWhatsAppStore, type WhatsAppStore } from '../../../src/storage/repositories/whatsapp.js';
import { ACCOUNT_RESTRICTED_TEXT, FakeBaileysSocket } from '../../helpers/fake-baileys-socket.js';

// Issue 18, the adapter's side: WhatsApp's limits read through the fake socket with the payloads
// Baileys 7.0.0-rc14 delivers (Types/State.d.ts; Socket/socket.js, messages-recv.js), the time
// lock and cold 463s kept off the breaker, the shop's number, and WhatsApp Web's version.

const ANA = '+5511912345678';
const ANA_PN = '5511912345678@s.whatsapp.net';
const BRUNO = '+5521998765432';
const BRUNO_PN = '5521998765432@s.whatsapp.net';
const PINNED = DEFAULT_CONNECTION_CONFIG.version;

/** 37 of 50 new chats used in the week from Monday 2026-11-16 (São Paulo midnight), as the server sends it. */
const capJson = (used: number, status: NewChatMessageCappingStatusType): NewChatMessageCapInfo => ({
  total_quota: 50,
  used_quota: used,
  cycle_start_timestamp: '1794798000',
  cycle_end_timestamp: '1795402800',
  server_sent_timestamp: '1795186795',
  ote_status: NewChatMessageCappingOTEStatusType.NOT_ELIGIBLE,
  mv_status: NewChatMessageCappingMVStatusType.NOT_ACTIVE,
  capping_status: status,
});
const CYCLE = { cycleStart: Date.parse('2026-11-16T03:00:00Z'), cycleEnd: Date.parse('2026-11-23T03:00:00Z') };

class FakeSocket extends FakeBaileysSocket {
  override registered = new Map([
    [ANA, ANA_PN],
    [BRUNO, BRUNO_PN],
  ]);
}

let db: Database;
let store: WhatsAppStore;
let clock: ManualClock;
beforeEach(() => {
  db = openDatabase(':memory:');
  store = createWhatsAppStore(db);
  clock = new ManualClock('2026-11-20T15:00:00Z');
});
afterEach(() => db.close());

function harness(options: { fetchWaVersion?: WaVersionFetcher; newChatCap?: FakeSocket['newChatCap'] } = {}) {
  const sockets: FakeSocket[] = [];
  const scheduled: { ms: number; run: () => void }[] = [];
  const limits: WhatsAppLimits[] = [];
  const receipts: Receipt[] = [];
  const breakers: BreakerStatus[] = [];
  const alerts: string[] = [];
  const channel = new WhatsAppChannel({
    store,
    jids: { get: () => undefined, set: () => {} },
    clock,
    logger: pino({ level: 'silent' }),
    locale: 'pt-BR',
    random: () => 0.5,
    createSocket: (config) => {
      const socket = new FakeSocket(config);
      if (options.newChatCap) socket.newChatCap = options.newChatCap;
      sockets.push(socket);
      return socket;
    },
    schedule: (run, ms) => {
      const task = { ms, run };
      scheduled.push(task);
      return () => void scheduled.splice(scheduled.indexOf(task) >>> 0, 1);
    },
    sleep: async () => {},
    onAlert: (message) => alerts.push(message),
    ...(options.fetchWaVersion ? { fetchWaVersion: options.fetchWaVersion } : {}),
  });
  channel.on('limits', (value) => limits.push(value));
  channel.on('receipt', (receipt) => receipts.push(receipt));
  channel.on('breaker', (status) => breakers.push(status));
  /** Runs the tasks due within `ms` from now, as the clock moves there. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    for (const task of [...scheduled].filter((task) => task.ms <= ms)) {
      scheduled.splice(scheduled.indexOf(task), 1);
      task.run();
    }
    await settle();
  };
  return { channel, sockets, socket: () => sockets.at(-1)!, scheduled, limits, receipts, breakers, alerts, advance };
}

async function linked(options: Parameters<typeof harness>[0] = {}) {
  const h = harness(options);
  await h.channel.start();
  h.socket().open();
  await settle();
  return h;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

const text = { kind: 'text', text: 'Oi Ana! Seu pedido #K7P2 saiu para entrega.' } as const;

describe('the WhatsApp channel reads the new-chat cap', () => {
  it('at open, and tells the whole limits', async () => {
    const h = harness({ newChatCap: capJson(37, NewChatMessageCappingStatusType.FIRST_WARNING) });
    await h.channel.start();
    expect(h.socket().capReads).toBe(0);
    h.socket().open();
    await settle();
    expect(h.socket().capReads).toBe(1);
    const expected: WhatsAppLimits = {
      cap: { total: 50, used: 37, ...CYCLE, status: 'first_warning', readAt: clock.now() },
      lock: { active: false, endsAt: null, kind: 'DEFAULT', readAt: clock.now() },
      waVersion: PINNED.join('.'),
    };
    expect(h.channel.limits).toEqual(expected);
    expect(h.limits.at(-1)).toEqual(expected);
  });

  it('on every message-capping.update, as the server sent it', async () => {
    const h = await linked({ newChatCap: capJson(37, NewChatMessageCappingStatusType.NONE) });
    const before = h.limits.length;
    h.socket().capping(capJson(40, NewChatMessageCappingStatusType.SECOND_WARNING));
    expect(h.channel.limits.cap).toMatchObject({ used: 40, status: 'second_warning' });
    h.socket().capping(capJson(50, NewChatMessageCappingStatusType.CAPPED));
    expect(h.limits.slice(before).map((limits) => limits.cap?.status)).toEqual(['second_warning', 'capped']);
    expect(h.limits.at(-1)?.lock).toMatchObject({ active: false });
  });

  it('every five minutes while open, and not once closed', async () => {
    const h = await linked({ newChatCap: capJson(37, NewChatMessageCappingStatusType.NONE) });
    expect(h.scheduled.map((task) => task.ms)).toEqual([CAP_READ_EVERY_MS]);
    h.socket().newChatCap = capJson(41, NewChatMessageCappingStatusType.FIRST_WARNING);
    await h.advance(CAP_READ_EVERY_MS);
    expect(h.socket().capReads).toBe(2);
    expect(h.channel.limits.cap).toMatchObject({ used: 41, status: 'first_warning', readAt: clock.now() });
    // No lock to watch: the periodic reading is the cap's only.
    expect(h.socket().lockReads).toBe(1);
    await h.advance(CAP_READ_EVERY_MS);
    expect(h.socket().capReads).toBe(3);

    h.socket().close(DisconnectReason.connectionLost);
    expect(h.scheduled.map((task) => task.ms)).toEqual([750]); // the reconnect only
  });

  it('keeps the last values when a reading fails (a Boom from the MEX query) or says nothing readable', async () => {
    const escaped: unknown[] = [];
    const onEscaped = (error: unknown) => escaped.push(error);
    process.on('unhandledRejection', onEscaped);
    try {
      const h = await linked({ newChatCap: capJson(37, NewChatMessageCappingStatusType.FIRST_WARNING) });
      const cap = h.channel.limits.cap;
      const events = h.limits.length;
      h.socket().newChatCap = new Boom('GraphQL server error: Internal Server Error', { statusCode: 500 });
      await h.advance(CAP_READ_EVERY_MS);
      h.socket().capping({ capping_status: 'PAUSED' } as never);
      h.socket().capping(null as never);
      await new Promise((resolve) => setImmediate(resolve));
      expect(h.channel.limits.cap).toEqual(cap);
      expect(h.limits).toHaveLength(events);
      expect(escaped).toEqual([]);
    } finally {
      process.off('unhandledRejection', onEscaped);
    }
  });
});

describe('the WhatsApp channel reads the reach-out time lock', () => {
  it('at open, once, though Baileys also emits its answer as a connection.update', async () => {
    const h = harness();
    await h.channel.start();
    h.socket().reachoutTimelock = { is_active: true, time_enforcement_ends: '1795339800', enforcement_type: 'BIZ_QUALITY' };
    h.socket().open();
    await settle();
    expect(h.socket().lockReads).toBe(1);
    const lock = { active: true, endsAt: Date.parse('2026-11-22T09:30:00Z'), kind: 'BIZ_QUALITY', readAt: clock.now() };
    expect(h.channel.limits.lock).toEqual(lock);
    expect(h.limits.filter((limits) => limits.lock !== null)).toHaveLength(2); // the lock, then the cap beside it
    expect(h.breakers).toEqual([]);
  });

  it('from WhatsApp announcing it and lifting it, without opening the breaker', async () => {
    const h = await linked();
    h.socket().timeLock({ isActive: true, endsAtSeconds: '1795273200', enforcementType: ReachoutTimelockEnforcementType.WEB_COMPANION_ONLY });
    expect(h.channel.limits.lock).toEqual({ active: true, endsAt: Date.parse('2026-11-21T15:00:00Z'), kind: 'WEB_COMPANION_ONLY', readAt: clock.now() });
    expect(h.channel.breaker.open).toBe(false);
    expect(await h.channel.send(ANA, text, { messageId: '3EB0WARM' })).toMatchObject({ ok: true });

    clock.advance(3_600_000);
    h.socket().timeLock({ isActive: false });
    expect(h.channel.limits.lock).toEqual({ active: false, endsAt: null, kind: 'DEFAULT', readAt: clock.now() });
    expect(h.alerts).toEqual([]);
  });

  it('again every five minutes while a lock is on, and keeps it when the query fails', async () => {
    const h = await linked();
    h.socket().timeLock({ isActive: true, endsAtSeconds: '1795273200' });
    await h.advance(CAP_READ_EVERY_MS);
    expect(h.socket().lockReads).toBe(2);
    expect(h.channel.limits.lock).toMatchObject({ active: false });

    h.socket().timeLock({ isActive: true, endsAtSeconds: '1795273200' });
    const lock = h.channel.limits.lock;
    h.socket().reachoutTimelock = new Boom('GraphQL server error', { statusCode: 400 });
    await h.advance(CAP_READ_EVERY_MS);
    expect(h.socket().lockReads).toBe(3);
    expect(h.channel.limits.lock).toEqual(lock);
  });

  it('ignores a time lock it cannot read, keeping the last one', async () => {
    const h = await linked();
    h.socket().timeLock({ isActive: true, endsAtSeconds: '1795273200' });
    const lock = h.channel.limits.lock;
    expect(() => h.socket().ev.emit('connection.update', { reachoutTimeLock: 'yes' as never })).not.toThrow();
    expect(() => h.socket().ev.emit('connection.update', { reachoutTimeLock: null as never })).not.toThrow();
    expect(h.channel.limits.lock).toEqual(lock);
  });
});

describe('the WhatsApp channel and a 463', () => {
  it('on a cold message: the receipt says 463, the breaker stays closed, and the time lock is read again', async () => {
    const h = await linked();
    expect(await h.channel.send(ANA, text, { messageId: '3EB0COLD', cold: true })).toMatchObject({ ok: true });
    clock.advance(60_000);
    h.socket().reachoutTimelock = { is_active: true, time_enforcement_ends: '1795273200', enforcement_type: 'BIZ_QUALITY' };
    h.socket().nack463('3EB0COLD', ANA_PN);
    expect(h.receipts).toEqual([{ messageId: '3EB0COLD', status: 'failed', at: clock.now(), errorCode: 463 }]);
    expect(h.channel.breaker.open).toBe(false);
    await settle();
    expect(h.socket().lockReads).toBe(2);
    expect(h.channel.limits.lock).toMatchObject({ active: true, kind: 'BIZ_QUALITY', endsAt: Date.parse('2026-11-21T15:00:00Z') });

    // Warm customers still get their messages.
    expect(await h.channel.send(BRUNO, text, { messageId: '3EB0WARM' })).toMatchObject({ ok: true });
  });

  it('reads the lock at most once a minute: a burst gets one more reading at the minute', async () => {
    const h = await linked();
    for (const id of ['C1', 'C2', 'C3']) await h.channel.send(ANA, text, { messageId: id, cold: true });
    clock.advance(60_000);
    h.socket().nack463('C1', ANA_PN);
    await settle();
    expect(h.socket().lockReads).toBe(2);
    clock.advance(20_000);
    h.socket().nack463('C2', ANA_PN);
    h.socket().nack463('C3', ANA_PN);
    await settle();
    expect(h.socket().lockReads).toBe(2);
    expect(h.scheduled.map((task) => task.ms).sort()).toEqual([40_000, CAP_READ_EVERY_MS].sort());
    await h.advance(40_000);
    expect(h.socket().lockReads).toBe(3);
    expect(h.channel.breaker.open).toBe(false);
  });

  it('on a warm message or one it does not know: the breaker opens, as before issue 18', async () => {
    const h = await linked();
    await h.channel.send(ANA, text, { messageId: '3EB0WARM' });
    h.socket().nack463('3EB0WARM', ANA_PN);
    expect(h.channel.breaker).toMatchObject({ open: true, reason: 'restricted' });
    expect(h.receipts.at(-1)).toMatchObject({ messageId: '3EB0WARM', errorCode: 463 });
    expect(h.alerts).toEqual([expect.stringContaining('463')]);

    const other = await linked();
    other.socket().nack463('3EB0SENTBEFORERESTART', ANA_PN);
    expect(other.channel.breaker).toMatchObject({ open: true, reason: 'restricted' });
  });

  it('thrown by sendMessage: cold_refused for a cold send, without the breaker; restricted for a warm one', async () => {
    const h = await linked();
    h.socket().sendError = new Boom(ACCOUNT_RESTRICTED_TEXT, { statusCode: 463 });
    expect(await h.channel.send(ANA, text, { messageId: 'A', cold: true })).toEqual({ ok: false, messageId: 'A', reason: 'cold_refused', detail: ACCOUNT_RESTRICTED_TEXT });
    expect(h.channel.breaker.open).toBe(false);
    expect(h.alerts).toEqual([]);
    expect(await h.channel.send(BRUNO, text, { messageId: 'B' })).toMatchObject({ ok: false, reason: 'restricted' });
    expect(h.channel.breaker).toMatchObject({ open: true, reason: 'restricted' });
  });

  it('leaves 403 as it was: the breaker opens, banned', async () => {
    const h = await linked();
    await h.channel.send(ANA, text, { messageId: 'C', cold: true });
    h.socket().close(DisconnectReason.forbidden);
    expect(h.channel.breaker).toMatchObject({ open: true, reason: 'banned' });
  });

  it('remembers the last 5,000 cold ids: an older one is no longer known to be cold', async () => {
    const h = await linked();
    h.socket().sendError = new Error('not sent in this test');
    for (let i = 0; i <= 5_000; i += 1) await h.channel.send(ANA, text, { messageId: `C${i}`, cold: true });
    h.socket().nack463('C1', ANA_PN);
    expect(h.channel.breaker.open).toBe(false);
    h.socket().nack463('C0', ANA_PN);
    expect(h.channel.breaker.open).toBe(true);
  });
});

describe("the WhatsApp channel's linked phone", () => {
  it("is the session's own number once open, through reconnects, and none after logout", async () => {
    const h = harness();
    await h.channel.start();
    expect(h.channel.linkedPhone).toBeNull();
    h.socket().open();
    expect(h.channel.linkedPhone).toBe('+5511900000000');
    h.socket().close(DisconnectReason.connectionLost);
    expect(h.channel.linkedPhone).toBe('+5511900000000');
    await h.advance(750);
    h.socket().open();
    await h.channel.logout();
    expect(h.channel.linkedPhone).toBeNull();
  });

  it('is the canonical 13-digit form for an older Brazilian mobile WhatsApp still addresses without the ninth digit', async () => {
    const h = harness();
    await h.channel.start();
    h.socket().open();
    h.socket().user = { id: '553199668527:12@s.whatsapp.net' };
    h.socket().ev.emit('connection.update', { connection: 'open' });
    expect(h.channel.linkedPhone).toBe('+5531999668527');
  });

  it("forgets the account's cap and lock on logout, and keeps the version", async () => {
    const h = await linked({ newChatCap: capJson(37, NewChatMessageCappingStatusType.FIRST_WARNING) });
    await h.channel.logout();
    expect(h.channel.limits).toEqual({ cap: null, lock: null, waVersion: PINNED.join('.') });
    expect(h.limits.at(-1)).toEqual(h.channel.limits);
  });
});

describe("the WhatsApp channel and WhatsApp Web's version", () => {
  const NEWER = [2, 3000, 1043901234] as [number, number, number];
  const NEWEST = [2, 3000, 1044000000] as [number, number, number];
  const answers = (...versions: { version: [number, number, number]; isLatest: boolean }[]) => {
    const asked: number[] = [];
    const fetchWaVersion: WaVersionFetcher = async () => {
      asked.push(asked.length);
      return versions[Math.min(asked.length - 1, versions.length - 1)]!;
    };
    return { asked, fetchWaVersion };
  };

  it('asks for the current one at start and connects with it', async () => {
    const { asked, fetchWaVersion } = answers({ version: NEWER, isLatest: true });
    const h = harness({ fetchWaVersion });
    await h.channel.start();
    expect(asked).toHaveLength(1);
    expect(h.socket().config.version).toEqual(NEWER);
    expect(h.channel.limits.waVersion).toBe('2.3000.1043901234');
    expect(h.limits.at(-1)?.waVersion).toBe('2.3000.1043901234');
  });

  it("connects with Baileys' pinned version when the question fails, and when none can be asked", async () => {
    const failed = harness({ fetchWaVersion: async () => ({ version: PINNED, isLatest: false }) });
    await failed.channel.start();
    expect(failed.socket().config.version).toEqual(PINNED);
    expect(failed.channel.limits.waVersion).toBe('2.3000.1043857760');

    const throwing = harness({
      fetchWaVersion: async () => {
        throw new Error('fetch failed');
      },
    });
    await throwing.channel.start();
    expect(throwing.socket().config.version).toEqual(PINNED);

    const none = harness();
    await none.channel.start();
    expect(none.socket().config.version).toEqual(PINNED);
    expect(none.channel.limits.waVersion).toBe('2.3000.1043857760');
  });

  it('after a 405 asks again and reconnects once with the new version; a second 405 in a row stops as outdated', async () => {
    const { asked, fetchWaVersion } = answers({ version: PINNED, isLatest: false }, { version: NEWER, isLatest: true }, { version: NEWEST, isLatest: true });
    const h = harness({ fetchWaVersion });
    await h.channel.start();
    h.socket().close(405);
    expect(h.channel.state).toBe('connecting');
    await settle();
    expect(asked).toHaveLength(2);
    expect(h.sockets).toHaveLength(2);
    expect(h.socket().config.version).toEqual(NEWER);
    expect(h.channel.limits.waVersion).toBe('2.3000.1043901234');

    h.socket().close(405);
    await settle();
    expect(asked).toHaveLength(2);
    expect(h.sockets).toHaveLength(2);
    expect(h.channel.state).toBe('closed');
    expect(h.channel.stateDetail).toContain('versão do WhatsApp Web');
    expect(h.alerts).toEqual([expect.stringContaining('405')]);
    expect(h.scheduled).toEqual([]);
  });

  it('tries a new version again after a 405 that follows an open connection', async () => {
    const { asked, fetchWaVersion } = answers({ version: PINNED, isLatest: false }, { version: NEWER, isLatest: true }, { version: NEWEST, isLatest: true });
    const h = harness({ fetchWaVersion });
    await h.channel.start();
    h.socket().close(405);
    await settle();
    h.socket().open();
    h.socket().close(405);
    await settle();
    expect(asked).toHaveLength(3);
    expect(h.socket().config.version).toEqual(NEWEST);
    expect(h.channel.state).toBe('connecting');
  });

  it('stops at once after a 405 when the answer is the version already in use', async () => {
    const h = harness({ fetchWaVersion: async () => ({ version: PINNED, isLatest: false }) });
    await h.channel.start();
    h.socket().close(405);
    await settle();
    expect(h.sockets).toHaveLength(1);
    expect(h.channel.state).toBe('closed');
    expect(h.channel.stateDetail).toContain('405');
  });

  it('does not reconnect when stopped while it asked', async () => {
    let answer: (value: { version: [number, number, number]; isLatest: boolean }) => void = () => {};
    let calls = 0;
    const h = harness({
      fetchWaVersion: () => {
        calls += 1;
        return calls === 1 ? Promise.resolve({ version: PINNED, isLatest: false }) : new Promise((resolve) => (answer = resolve));
      },
    });
    await h.channel.start();
    h.socket().close(405);
    await h.channel.stop();
    answer({ version: NEWER, isLatest: true });
    await settle();
    expect(h.sockets).toHaveLength(1);
    expect(h.channel.state).toBe('closed');
  });
});
