import { BufferJSON, initAuthCreds, proto } from '@whiskeysockets/baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthState } from '../../../src/channels/baileys/auth-state.js';
import { openDatabase, type Database } from '../../../src/storage/db.js';
import { createWhatsAppStore, type WhatsAppStore } from '../../../src/storage/repositories/whatsapp.js';

let db: Database;
let store: WhatsAppStore;
beforeEach(() => {
  db = openDatabase(':memory:');
  store = createWhatsAppStore(db);
});
afterEach(() => db.close());

const now = () => 1_795_000_000_000;

describe('the WhatsApp session in SQLite', () => {
  it('starts from initAuthCreds and keeps creds and keys across a restart', async () => {
    const first = loadAuthState(store, now);
    const fresh = initAuthCreds();
    expect(Object.keys(first.state.creds).sort()).toEqual(Object.keys(fresh).sort());
    expect(first.registered).toBe(false);

    // What Baileys does after pairing: it mutates creds in place, then says "creds.update".
    first.state.creds.registered = true;
    first.state.creds.me = { id: '5511900000000:3@s.whatsapp.net', lid: '111111111111111:3@lid', name: 'Loja' };
    first.saveCreds();

    const preKey = { public: new Uint8Array([1, 2, 3]), private: new Uint8Array([4, 5, 6]) };
    const syncKey = proto.Message.AppStateSyncKeyData.fromObject({ keyData: Buffer.from('sync-key'), timestamp: 1700000000 });
    await first.state.keys.set({
      'pre-key': { '1': preKey, '2': preKey },
      session: { '5511912345678.0': Buffer.from('session-bytes') },
      'app-state-sync-key': { AAAA: syncKey },
      'sender-key-memory': { 'group@g.us': { '5511912345678@s.whatsapp.net': true } },
      'lid-mapping': { '5511912345678': '222222222222222@lid' },
      'device-list': { '5511912345678': ['0', '3'] },
    });
    await first.state.keys.set({ 'pre-key': { '2': null } });

    const second = loadAuthState(store, now);
    expect(second.registered).toBe(true);
    expect(second.state.creds.me?.id).toBe('5511900000000:3@s.whatsapp.net');
    expect(Buffer.from(second.state.creds.noiseKey.private)).toEqual(Buffer.from(first.state.creds.noiseKey.private));
    expect(second.state.creds.advSecretKey).toBe(first.state.creds.advSecretKey);

    const preKeys = await second.state.keys.get('pre-key', ['1', '2', '3']);
    expect(Object.keys(preKeys)).toEqual(['1']);
    expect(Buffer.from(preKeys['1']!.public)).toEqual(Buffer.from([1, 2, 3]));
    expect(Buffer.from((await second.state.keys.get('session', ['5511912345678.0']))['5511912345678.0']!)).toEqual(Buffer.from('session-bytes'));
    const sync = (await second.state.keys.get('app-state-sync-key', ['AAAA'])).AAAA;
    expect(sync).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(sync!.keyData!)).toEqual(Buffer.from('sync-key'));
    expect((await second.state.keys.get('sender-key-memory', ['group@g.us']))['group@g.us']).toEqual({ '5511912345678@s.whatsapp.net': true });
    expect((await second.state.keys.get('lid-mapping', ['5511912345678']))['5511912345678']).toBe('222222222222222@lid');
    expect((await second.state.keys.get('device-list', ['5511912345678']))['5511912345678']).toEqual(['0', '3']);
  });

  it('round-trips real initAuthCreds() output exactly, buffers included', () => {
    const state = loadAuthState(store, now);
    state.saveCreds();
    const again = loadAuthState(store, now);
    expect(JSON.stringify(again.state.creds, BufferJSON.replacer)).toBe(JSON.stringify(state.state.creds, BufferJSON.replacer));
  });

  it('writes a batch of keys all or nothing', async () => {
    const state = loadAuthState(store, now);
    await state.state.keys.set({ session: { a: Buffer.from('kept') } });
    // A value that cannot be serialized fails the batch before anything is written.
    await expect(
      Promise.resolve().then(() => state.state.keys.set({ session: { b: Buffer.from('new'), c: { big: 10n } as unknown as Uint8Array } })),
    ).rejects.toThrow();
    const sessions = await state.state.keys.get('session', ['a', 'b', 'c']);
    expect(Object.keys(sessions)).toEqual(['a']);
  });

  it('forgets the session on clear, so the next start needs a new QR', async () => {
    const state = loadAuthState(store, now);
    state.state.creds.registered = true;
    state.saveCreds();
    await state.state.keys.set({ session: { a: Buffer.from('x') } });
    await state.state.keys.clear?.();
    expect(store.readCreds()).toBeUndefined();
    const next = loadAuthState(store, now);
    expect(next.registered).toBe(false);
    expect(await next.state.keys.get('session', ['a'])).toEqual({});
  });
});

describe('customerJidCache', () => {
  it('keeps the canonical JID on the customer record', async () => {
    const { createRepositories } = await import('../../../src/storage/repositories/index.js');
    const { customerJidCache } = await import('../../../src/channels/baileys/jid-cache.js');
    const repos = createRepositories(db);
    const customer = repos.customers.create({ phone: '+5511912345678', details: {} }, 1);
    const cache = customerJidCache(repos.customers, { now: () => 2 });
    expect(cache.get('+5511912345678')).toBeUndefined();
    cache.set('+5511912345678', '5511912345678@s.whatsapp.net');
    cache.set('+5521998765432', '5521998765432@s.whatsapp.net'); // not a customer: nothing to keep it on
    expect(cache.get('+5511912345678')).toBe('5511912345678@s.whatsapp.net');
    expect(repos.customers.findById(customer.id)).toMatchObject({ whatsappJid: '5511912345678@s.whatsapp.net', updatedAt: 2 });
    expect(cache.get('+5521998765432')).toBeUndefined();
  });
});
