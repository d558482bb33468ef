import {
  BufferJSON,
  initAuthCreds,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
} from '@whiskeysockets/baileys';
import type { KeyChange, WhatsAppStore } from '../../storage/repositories/whatsapp.js';

export interface SqliteAuthState {
  state: AuthenticationState;
  /** Saves the whole creds object: Baileys mutates it in place and says only that something changed. */
  saveCreds(): void;
  /** Whether this session was ever linked (a restart then needs no new QR). */
  readonly registered: boolean;
}

export function serialize(value: unknown): string {
  return JSON.stringify(value, BufferJSON.replacer);
}

export function deserialize<T>(text: string): T {
  return JSON.parse(text, BufferJSON.reviver) as T;
}

/**
 * Baileys' AuthenticationState kept in SQLite instead of a folder of JSON files
 * (useMultiFileAuthState is meant for demos): creds as one row, the signal key
 * store by (type, id), each batch of key writes in one transaction, so a crash
 * never leaves half a session.
 */
export function loadAuthState(store: WhatsAppStore, now: () => number): SqliteAuthState {
  const stored = store.readCreds();
  const creds: AuthenticationCreds = stored === undefined ? initAuthCreds() : deserialize<AuthenticationCreds>(stored);

  const state: AuthenticationState = {
    creds,
    keys: {
      get: <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const found: { [id: string]: SignalDataTypeMap[T] } = {};
        for (const [id, text] of store.readKeys(type, ids)) {
          let value = deserialize<SignalDataTypeMap[T]>(text);
          // Protobuf objects come back from JSON as plain objects; Baileys needs the class.
          if (type === 'app-state-sync-key') {
            value = proto.Message.AppStateSyncKeyData.fromObject(value as object) as unknown as SignalDataTypeMap[T];
          }
          found[id] = value;
        }
        return found;
      },
      set: (data: SignalDataSet) => {
        const changes: KeyChange[] = [];
        for (const [type, entries] of Object.entries(data)) {
          for (const [id, value] of Object.entries(entries ?? {})) {
            changes.push({ type, id, value: value === null || value === undefined ? null : serialize(value) });
          }
        }
        store.writeKeys(changes);
      },
      clear: () => store.clearSession(),
    },
  };

  return {
    state,
    saveCreds: () => store.writeCreds(serialize(state.creds), now()),
    get registered() {
      return state.creds.registered || state.creds.me !== undefined;
    },
  };
}
