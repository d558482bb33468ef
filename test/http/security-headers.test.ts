import { describe, expect, it } from 'vitest';
import { API_HEADERS, securityHeaders } from '../../src/http/security-headers.js';

describe('securityHeaders', () => {
  it('gives helmet’s full set for pages by default', () => {
    const headers = securityHeaders();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers).toMatchObject({ 'x-frame-options': 'SAMEORIGIN', 'x-dns-prefetch-control': 'off', 'origin-agent-cluster': '?1' });
  });

  it('gives a short set for data answers: nothing loads or frames them', () => {
    expect(securityHeaders(API_HEADERS)).toEqual({
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
  });

  it('refuses a wrong helmet option', () => {
    expect(() => securityHeaders({ referrerPolicy: { policy: 'sometimes' as never } })).toThrow();
  });
});
