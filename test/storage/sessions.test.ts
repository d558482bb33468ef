import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/storage/db.js';
import { createSessionRepository, type SessionRepository } from '../../src/storage/repositories/sessions.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T15:00:00Z');

let db: Database;
let sessions: SessionRepository;
beforeEach(() => {
  db = openDatabase(':memory:');
  sessions = createSessionRepository(db);
});
afterEach(() => db.close());

describe('sessions', () => {
  it('is open until it expires, for the admin token it was opened with', () => {
    sessions.open({ idHash: 'a', tokenFingerprint: 'token-1', expiresAt: NOW + 30 * DAY }, NOW);
    expect(sessions.isOpen('a', 'token-1', NOW)).toBe(true);
    expect(sessions.isOpen('a', 'token-1', NOW + 30 * DAY - 1)).toBe(true);
    expect(sessions.isOpen('a', 'token-1', NOW + 30 * DAY)).toBe(false);
    // A new ADMIN_TOKEN: every session opened with the old one is over.
    expect(sessions.isOpen('a', 'token-2', NOW)).toBe(false);
    expect(sessions.isOpen('b', 'token-1', NOW)).toBe(false);
  });

  it('closes on sign-out, and forgets the expired ones when another opens', () => {
    sessions.open({ idHash: 'a', tokenFingerprint: 't', expiresAt: NOW + DAY }, NOW);
    sessions.open({ idHash: 'b', tokenFingerprint: 't', expiresAt: NOW + 30 * DAY }, NOW);
    sessions.close('b');
    expect(sessions.isOpen('b', 't', NOW)).toBe(false);
    expect(sessions.isOpen('a', 't', NOW)).toBe(true);
    sessions.open({ idHash: 'c', tokenFingerprint: 't', expiresAt: NOW + 40 * DAY }, NOW + 2 * DAY);
    expect(db.sqlite.prepare('SELECT id_hash FROM sessions ORDER BY id_hash').pluck().all()).toEqual(['c']);
  });
});
