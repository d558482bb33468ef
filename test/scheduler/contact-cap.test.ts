import { describe, expect, it } from 'vitest';
import { CONTACT_WINDOW_MS, contactCapHold, contactOf, REPLY_WINDOW_MS } from '../../src/scheduler/contact-cap.js';

const NOW = Date.parse('2026-11-20T13:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('how a message reaches its customer', () => {
  it('a reply within a day of their last message', () => {
    expect(contactOf({ warmAt: NOW - 30 * DAY }, NOW - 23 * HOUR, NOW)).toBe('reply');
    // Even if the record has not marked them warm (yet): they just wrote.
    expect(contactOf({ warmAt: null }, NOW - HOUR, NOW)).toBe('reply');
  });

  it('warm after that, when they ever wrote', () => {
    expect(contactOf({ warmAt: NOW - 30 * DAY }, NOW - REPLY_WINDOW_MS, NOW)).toBe('warm');
    expect(contactOf({ warmAt: NOW - 30 * DAY }, null, NOW)).toBe('warm');
  });

  it('cold when they never did', () => {
    expect(contactOf({ warmAt: null }, null, NOW)).toBe('cold');
  });
});

describe('the contact cap', () => {
  it('lets messages go while fewer than the cap went in the last 7 days', () => {
    expect(contactCapHold([], 3, NOW)).toBeNull();
    expect(contactCapHold([NOW - DAY, NOW - 2 * DAY], 3, NOW)).toBeNull();
    // One of the three is older than 7 days: it no longer counts.
    expect(contactCapHold([NOW - DAY, NOW - 2 * DAY, NOW - CONTACT_WINDOW_MS], 3, NOW)).toBeNull();
  });

  it('at the cap: held until the oldest counted one leaves the window', () => {
    expect(contactCapHold([NOW - HOUR, NOW - 6 * DAY, NOW - 2 * DAY], 3, NOW)).toBe(NOW - 6 * DAY + CONTACT_WINDOW_MS);
  });

  it('over the cap (a cap lowered since): held until enough have left', () => {
    const sent = [NOW - 5 * DAY, NOW - 4 * DAY, NOW - 3 * DAY, NOW - DAY];
    expect(contactCapHold(sent, 2, NOW)).toBe(NOW - 3 * DAY + CONTACT_WINDOW_MS);
    // At that moment one more may go, and not a millisecond before.
    expect(contactCapHold(sent, 2, NOW - 3 * DAY + CONTACT_WINDOW_MS)).toBeNull();
    expect(contactCapHold(sent, 2, NOW - 3 * DAY + CONTACT_WINDOW_MS - 1)).not.toBeNull();
  });
});
