import { DisconnectReason } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { backoffDelay, BACKOFF, decideOnDisconnect } from '../../../src/channels/baileys/disconnect-policy.js';

const half = () => 0.5;

describe('decideOnDisconnect', () => {
  it.each([
    [DisconnectReason.restartRequired, { action: 'reconnect', delayMs: 0 }],
    [DisconnectReason.connectionClosed, { action: 'reconnect', delayMs: 750 }],
    [DisconnectReason.connectionLost, { action: 'reconnect', delayMs: 750 }],
    [DisconnectReason.badSession, { action: 'reconnect', delayMs: 750 }],
    [DisconnectReason.unavailableService, { action: 'reconnect', delayMs: 750 }],
    [undefined, { action: 'reconnect', delayMs: 750 }],
    [999, { action: 'reconnect', delayMs: 750 }],
    [DisconnectReason.loggedOut, { action: 'relink', reason: 'logged_out' }],
    [DisconnectReason.multideviceMismatch, { action: 'relink', reason: 'mismatch' }],
    [DisconnectReason.forbidden, { action: 'stop', state: 'banned', reason: 'banned' }],
    [DisconnectReason.connectionReplaced, { action: 'stop', state: 'closed', reason: 'replaced' }],
    [405, { action: 'update_version' }],
  ] as const)('status %s → %o', (status, decision) => {
    expect(decideOnDisconnect(status, 0, half)).toEqual(decision);
  });

  it('stops as outdated on a second 405 in a row, after the version was updated once', () => {
    expect(decideOnDisconnect(405, 1, half, true)).toEqual({ action: 'stop', state: 'closed', reason: 'outdated' });
    // Only a 405 cares whether the version was updated.
    expect(decideOnDisconnect(DisconnectReason.connectionLost, 0, half, true)).toEqual({ action: 'reconnect', delayMs: 750 });
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt up to a cap, with jitter in the upper half', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 10].map((attempt) => backoffDelay(attempt, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
    expect(backoffDelay(3, () => 0)).toBe(4_000);
    expect(backoffDelay(1_000, () => 0.999)).toBeLessThanOrEqual(BACKOFF.capMs);
  });
});
