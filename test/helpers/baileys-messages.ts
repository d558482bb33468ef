import type { WAMessage, WAMessageKey } from '@whiskeysockets/baileys';

/** Each message its own id and second, as on a phone. */
let serial = 0;

/** A message as Baileys hands it to messages.upsert, from `jid` (a phone JID or a LID). */
export function incoming(jid: string, message: WAMessage['message'], key: Partial<WAMessageKey> = {}, pushName = 'Ana'): WAMessage {
  serial += 1;
  return {
    key: { remoteJid: jid, fromMe: false, id: `3A${String(serial).padStart(18, '0')}`, ...key },
    message,
    messageTimestamp: 1_795_000_000 + serial,
    pushName,
  };
}

/** A text message, as a phone sends it (conversation). */
export function textMessage(jid: string, text: string, key: Partial<WAMessageKey> = {}): WAMessage {
  return incoming(jid, { conversation: text }, key);
}
