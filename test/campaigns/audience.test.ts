import { describe, expect, it } from 'vitest';
import { classifyAudience, exclusionOf } from '../../src/campaigns/audience.js';
import type { AudienceMember } from '../../src/storage/repositories/campaigns.js';

const member = (overrides: Partial<AudienceMember> = {}): AudienceMember => ({
  id: 1,
  phone: '+5511912345678',
  consentMarketing: 'granted',
  optedOutAt: null,
  erasedAt: null,
  automationPausedAt: null,
  suppressedAt: null,
  warmAt: null,
  coldRefusedAt: null,
  ...overrides,
});

describe('who of a segment a campaign may reach', () => {
  it('gives the first reason that leaves a member out', () => {
    expect(exclusionOf(member(), 0, 3)).toBeNull();
    expect(exclusionOf(member({ erasedAt: 1, phone: null }), 0, 3)).toBe('erased');
    expect(exclusionOf(member({ optedOutAt: 1, consentMarketing: 'revoked' }), 0, 3)).toBe('opted_out');
    // Back on the suppression list (an opted-out person erased, then imported again): opted out until VOLTAR.
    expect(exclusionOf(member({ suppressedAt: 1 }), 0, 3)).toBe('opted_out');
    expect(exclusionOf(member({ consentMarketing: 'unknown' }), 0, 3)).toBe('no_marketing_consent');
    expect(exclusionOf(member({ consentMarketing: 'revoked' }), 0, 3)).toBe('no_marketing_consent');
    expect(exclusionOf(member({ automationPausedAt: 1 }), 0, 3)).toBe('seller_pause');
    expect(exclusionOf(member({ coldRefusedAt: 1 }), 0, 3)).toBe('cold_skipped');
    // Refused as cold once, but they wrote since: warm, reachable.
    expect(exclusionOf(member({ coldRefusedAt: 1, warmAt: 2 }), 0, 3)).toBeNull();
    expect(exclusionOf(member(), 3, 3)).toBe('contact_cap');
    expect(exclusionOf(member(), 2, 3)).toBeNull();
  });

  it('splits the members into recipients (warm or cold) and the left out', () => {
    const audience = classifyAudience(
      [member({ id: 1, warmAt: 5 }), member({ id: 2 }), member({ id: 3, consentMarketing: 'unknown' }), member({ id: 4 })],
      new Map([[4, 9]]),
      3,
    );
    expect(audience).toEqual({
      eligible: [{ id: 1, warm: true }, { id: 2, warm: false }],
      excluded: [{ id: 3, reason: 'no_marketing_consent' }, { id: 4, reason: 'contact_cap' }],
    });
  });
});
