import { describe, expect, it } from 'vitest';
import { readReason, REASONS, reasonWithDetail } from './reasons.js';

describe('readReason', () => {
  it.each(REASONS)('reads the code %s as stored', (reason) => {
    expect(readReason(reason)).toEqual({ reason, detail: '' });
  });

  it('reads a reason with its detail, as reasonWithDetail writes it', () => {
    expect(reasonWithDetail('resent', '3EB0FIRSTATTEMPT00000A')).toBe('resent:3EB0FIRSTATTEMPT00000A');
    expect(readReason('resent:3EB0FIRSTATTEMPT00000A')).toEqual({ reason: 'resent', detail: '3EB0FIRSTATTEMPT00000A' });
  });

  it.each([
    'failed: injected failure: the message did not reach the phone',
    'not_on_whatsapp: +5511912345678 has no WhatsApp account',
    'disconnected: the connection dropped',
    'image not readable: ENOENT: no such file or directory',
    'daily send cap reached',
    '',
  ])('is undefined for what is not a reason code: %j', (stored) => {
    expect(readReason(stored)).toBeUndefined();
  });
});
