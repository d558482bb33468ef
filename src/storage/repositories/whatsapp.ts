import type { Database } from '../db.js';

export interface KeyChange {
  type: string;
  id: string;
  /** null deletes the key. */
  value: string | null;
}

export interface SentRecord {
  jid: string;
  /** The protobuf message as Baileys' BufferJSON text. */
  message: string;
  isPoll: boolean;
}

/**
 * What the WhatsApp adapter keeps: the linked session, LID↔phone mappings and
 * the messages it sent. Values are opaque text here (the adapter serializes
 * them with Baileys' BufferJSON); this file only stores them durably.
 */
export interface WhatsAppStore {
  readCreds(): string | undefined;
  writeCreds(data: string, now: number): void;
  readKeys(type: string, ids: string[]): Map<string, string>;
  /** One transaction for the whole batch: Baileys' key writes must not land halfway. */
  writeKeys(changes: KeyChange[]): void;
  /** Forgets the linked session (after a logout or "device removed"). */
  clearSession(): void;
  phoneOfLid(lid: string): string | undefined;
  lidOfPhone(phone: string): string | undefined;
  rememberLids(pairs: { lid: string; phone: string }[], now: number): void;
  readSent(waId: string): SentRecord | undefined;
  rememberSent(waId: string, record: SentRecord, now: number): void;
  /** Drops sent messages older than the cutoffs; polls are kept longer, their votes come late. */
  pruneSent(before: number, pollsBefore: number): number;
}

export function createWhatsAppStore(db: Database): WhatsAppStore {
  const { sqlite } = db;
  const readCreds = sqlite.prepare<[], string>('SELECT data FROM whatsapp_creds WHERE id = 1').pluck();
  const writeCreds = sqlite.prepare<[string, number]>(
    'INSERT INTO whatsapp_creds (id, data, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
  );
  const readKey = sqlite.prepare<[string, string], string>('SELECT value FROM whatsapp_keys WHERE type = ? AND id = ?').pluck();
  const upsertKey = sqlite.prepare<[string, string, string]>(
    'INSERT INTO whatsapp_keys (type, id, value) VALUES (?, ?, ?) ON CONFLICT (type, id) DO UPDATE SET value = excluded.value',
  );
  const deleteKey = sqlite.prepare<[string, string]>('DELETE FROM whatsapp_keys WHERE type = ? AND id = ?');
  const phoneOfLid = sqlite.prepare<[string], string>('SELECT phone FROM whatsapp_lids WHERE lid = ?').pluck();
  const lidOfPhone = sqlite.prepare<[string], string>('SELECT lid FROM whatsapp_lids WHERE phone = ? ORDER BY updated_at DESC LIMIT 1').pluck();
  const upsertLid = sqlite.prepare<[string, string, number]>(
    'INSERT INTO whatsapp_lids (lid, phone, updated_at) VALUES (?, ?, ?) ON CONFLICT (lid) DO UPDATE SET phone = excluded.phone, updated_at = excluded.updated_at',
  );
  const readSent = sqlite.prepare<[string], { jid: string; message: string; isPoll: number }>(
    'SELECT jid, message, is_poll AS isPoll FROM whatsapp_sent WHERE wa_id = ?',
  );
  const insertSent = sqlite.prepare<[string, string, string, number, number]>(
    'INSERT OR REPLACE INTO whatsapp_sent (wa_id, jid, message, is_poll, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const pruneSent = sqlite.prepare<[number, number]>(
    'DELETE FROM whatsapp_sent WHERE (is_poll = 0 AND created_at < ?) OR (is_poll = 1 AND created_at < ?)',
  );

  return {
    readCreds: () => readCreds.get(),
    writeCreds: (data, now) => {
      writeCreds.run(data, now);
    },
    readKeys: (type, ids) => {
      const found = new Map<string, string>();
      for (const id of ids) {
        const value = readKey.get(type, id);
        if (value !== undefined) found.set(id, value);
      }
      return found;
    },
    writeKeys: (changes) =>
      db.transaction(() => {
        for (const { type, id, value } of changes) {
          if (value === null) deleteKey.run(type, id);
          else upsertKey.run(type, id, value);
        }
      }),
    clearSession: () =>
      db.transaction(() => {
        sqlite.exec('DELETE FROM whatsapp_creds; DELETE FROM whatsapp_keys;');
      }),
    phoneOfLid: (lid) => phoneOfLid.get(lid),
    lidOfPhone: (phone) => lidOfPhone.get(phone),
    rememberLids: (pairs, now) =>
      db.transaction(() => {
        for (const { lid, phone } of pairs) upsertLid.run(lid, phone, now);
      }),
    readSent: (waId) => {
      const row = readSent.get(waId);
      return row ? { jid: row.jid, message: row.message, isPoll: row.isPoll === 1 } : undefined;
    },
    rememberSent: (waId, record, now) => {
      insertSent.run(waId, record.jid, record.message, record.isPoll ? 1 : 0, now);
    },
    pruneSent: (before, pollsBefore) => pruneSent.run(before, pollsBefore).changes,
  };
}
