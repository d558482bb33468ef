import {
  NewChatMessageCappingMVStatusType,
  NewChatMessageCappingOTEStatusType,
  NewChatMessageCappingStatusType,
  ReachoutTimelockEnforcementType,
  type NewChatMessageCapInfo,
  type ReachoutTimelockState,
} from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import type { NewChatCap } from '../../../src/channels/channel.js';
import { capFromBaileys, lockFromBaileys, readCap, versionText } from '../../../src/channels/baileys/limits-from-baileys.js';

// The cap as WhatsApp's server answers xwa2_message_capping_info (Baileys passes it on unconverted):
// a weekly cycle from Monday 2026-11-16 00:00 in São Paulo (03:00 UTC), 37 of 50 new chats used.
const CYCLE_START_S = '1794798000'; // 2026-11-16T03:00:00Z
const CYCLE_END_S = '1795402800'; // 2026-11-23T03:00:00Z
const CYCLE_START = Date.parse('2026-11-16T03:00:00Z');
const CYCLE_END = Date.parse('2026-11-23T03:00:00Z');
const READ_AT = Date.parse('2026-11-20T15:00:00Z');

const firstWarning: NewChatMessageCapInfo = {
  total_quota: 50,
  used_quota: 37,
  cycle_start_timestamp: CYCLE_START_S,
  cycle_end_timestamp: CYCLE_END_S,
  server_sent_timestamp: '1795186795',
  ote_status: NewChatMessageCappingOTEStatusType.NOT_ELIGIBLE,
  mv_status: NewChatMessageCappingMVStatusType.NOT_ACTIVE,
  capping_status: NewChatMessageCappingStatusType.FIRST_WARNING,
};

const known: NewChatCap = { total: 50, used: 37, cycleStart: CYCLE_START, cycleEnd: CYCLE_END, status: 'first_warning', readAt: READ_AT - 300_000 };

describe('the new-chat cap from Baileys', () => {
  it('reads the server JSON: quotas, cycle times in seconds to ms, and the status in our words', () => {
    expect(capFromBaileys(firstWarning, null, READ_AT)).toEqual({ total: 50, used: 37, cycleStart: CYCLE_START, cycleEnd: CYCLE_END, status: 'first_warning', readAt: READ_AT });
  });

  it.each([
    [NewChatMessageCappingStatusType.NONE, 'none'],
    [NewChatMessageCappingStatusType.FIRST_WARNING, 'first_warning'],
    [NewChatMessageCappingStatusType.SECOND_WARNING, 'second_warning'],
    [NewChatMessageCappingStatusType.CAPPED, 'capped'],
  ] as const)('capping_status %s is %s', (status, expected) => {
    expect(readCap({ capping_status: status })).toEqual({ status: expected });
  });

  it('takes quotas as numbers or strings of digits, and times as numbers of seconds too', () => {
    expect(readCap({ total_quota: '50', used_quota: ' 12 ', cycle_start_timestamp: Number(CYCLE_START_S) as never })).toEqual({ total: 50, used: 12, cycleStart: CYCLE_START });
  });

  it.each([
    ['a negative quota', { total_quota: -1 }],
    ['a fractional quota', { used_quota: 2.5 }],
    ['a quota that is no number', { total_quota: 'cinquenta' }],
    ['an infinite quota', { total_quota: Infinity }],
    ['a quota past safe integers', { total_quota: 2 ** 60 }],
    ['a time in milliseconds', { cycle_end_timestamp: String(CYCLE_END) }],
    ['a time before 2001', { cycle_start_timestamp: '86400' }],
    ['a time that is a date text', { cycle_end_timestamp: '2026-11-23' }],
    ['a status WhatsApp does not have', { capping_status: 'BLOCKED' }],
    ['a status in lower case', { capping_status: 'capped' }],
    ['a status that is no string', { capping_status: 3 }],
    // Found by the fuzz suite: an object's own keys once passed for a status.
    ['a status named like an object key', { capping_status: '__proto__' }],
    ['a status named constructor', { capping_status: 'constructor' }],
    ['only the fields fregues does not use', { ote_status: 'ELIGIBLE', mv_status: 'ACTIVE', server_sent_timestamp: '1795186795' }],
    ['an empty object', {}],
  ])('leaves out %s (nothing readable: null)', (_what, info) => {
    expect(readCap(info)).toBeNull();
    expect(capFromBaileys(info, known, READ_AT)).toBeNull();
  });

  it.each([null, undefined, 'NONE', 42, [firstWarning], true])('reads nothing from %o, without throwing', (info) => {
    expect(capFromBaileys(info, known, READ_AT)).toBeNull();
  });

  it('keeps the last values of the same cycle for fields a reading did not carry or garbled', () => {
    const update = { used_quota: 45, capping_status: 'CAPPED_SOON', cycle_end_timestamp: CYCLE_END_S };
    expect(capFromBaileys(update, known, READ_AT)).toEqual({ ...known, used: 45, readAt: READ_AT });
  });

  it("starts a new cycle from nothing: last cycle's warning does not outlive it", () => {
    const next = { used_quota: 0, cycle_start_timestamp: CYCLE_END_S, cycle_end_timestamp: '1796007600' };
    expect(capFromBaileys(next, { ...known, status: 'capped' }, READ_AT)).toEqual({
      total: null,
      used: 0,
      cycleStart: CYCLE_END,
      cycleEnd: Date.parse('2026-11-30T03:00:00Z'),
      status: 'none',
      readAt: READ_AT,
    });
  });
});

describe('the reach-out time lock from Baileys', () => {
  it('reads an active lock with its end (a Date, as Baileys converted the seconds) and its kind', () => {
    const state: ReachoutTimelockState = {
      isActive: true,
      timeEnforcementEnds: new Date(parseInt('1795339800', 10) * 1000),
      enforcementType: ReachoutTimelockEnforcementType.BIZ_QUALITY,
    };
    expect(lockFromBaileys(state, READ_AT)).toEqual({ active: true, endsAt: Date.parse('2026-11-22T09:30:00Z'), kind: 'BIZ_QUALITY', readAt: READ_AT });
  });

  it('reads a lifted lock as Baileys announces it (no end)', () => {
    expect(lockFromBaileys({ isActive: false, enforcementType: ReachoutTimelockEnforcementType.DEFAULT }, READ_AT)).toEqual({ active: false, endsAt: null, kind: 'DEFAULT', readAt: READ_AT });
  });

  it('keeps an active lock whose end is missing or not a date as active, without an end (held until a new reading)', () => {
    for (const ends of [undefined, new Date(Number.NaN), '1795339800', 1_795_339_800_000]) {
      expect(lockFromBaileys({ isActive: true, timeEnforcementEnds: ends }, READ_AT)).toMatchObject({ active: true, endsAt: null, kind: null });
    }
  });

  it.each([null, undefined, 'active', [], {}, { isActive: 'true' }, { isActive: 1 }, { timeEnforcementEnds: new Date() }])('reads nothing from %o (the caller keeps what it had)', (state) => {
    expect(lockFromBaileys(state, READ_AT)).toBeNull();
  });

  it('bounds a kind WhatsApp might send at any length', () => {
    expect(lockFromBaileys({ isActive: true, enforcementType: 'X'.repeat(10_000) }, READ_AT)?.kind).toHaveLength(100);
    expect(lockFromBaileys({ isActive: true, enforcementType: 7 }, READ_AT)?.kind).toBeNull();
  });
});

describe('versionText', () => {
  it('writes the version as people read it', () => {
    expect(versionText([2, 3000, 1043857760])).toBe('2.3000.1043857760');
  });
});
