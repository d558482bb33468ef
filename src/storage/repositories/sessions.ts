import type { Database } from '../db.js';

/** The signed-in browsers of the seller's pages (see the sessions table in schema.ts). */
export interface SessionRepository {
  /** Opens a session; also forgets the ones that expired. */
  open(session: { idHash: string; tokenFingerprint: string; expiresAt: number }, now: number): void;
  /** The session is open at `now` and belongs to this admin token. */
  isOpen(idHash: string, tokenFingerprint: string, now: number): boolean;
  close(idHash: string): void;
}

export function createSessionRepository(db: Database): SessionRepository {
  const { sqlite } = db;
  const insert = sqlite.prepare<[string, string, number, number]>('INSERT INTO sessions (id_hash, token_fingerprint, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const expire = sqlite.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');
  const find = sqlite.prepare<[string, string, number], number>('SELECT 1 FROM sessions WHERE id_hash = ? AND token_fingerprint = ? AND expires_at > ?').pluck();
  const remove = sqlite.prepare<[string]>('DELETE FROM sessions WHERE id_hash = ?');
  return {
    open: (session, now) => {
      db.transaction(() => {
        expire.run(now);
        insert.run(session.idHash, session.tokenFingerprint, now, session.expiresAt);
      });
    },
    isOpen: (idHash, tokenFingerprint, now) => find.get(idHash, tokenFingerprint, now) !== undefined,
    close: (idHash) => {
      remove.run(idHash);
    },
  };
}
