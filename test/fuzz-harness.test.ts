import { describe, expect, it } from 'vitest';
import { addressesAnotherRoute } from './fuzz/support/invalid-requests.js';

// The API fuzz suite's own rule for dot segments (seed 2004204985 of `npm run test:fuzz` found it): a path
// parameter ".." or "%2e%2e" is resolved by the client, so the request may be another route's, with good input.

const ROUTES = [
  { method: 'GET', url: '/api/customers' },
  { method: 'GET', url: '/api/customers/:id' },
  { method: 'GET', url: '/api/segments/:id/customers' },
  { method: 'POST', url: '/api/flows/:id/runs' },
];
const segmentMembers = ROUTES[2]!;

describe('addressesAnotherRoute', () => {
  it('is true when the client resolves the dot segments onto another route of the same method', () => {
    expect(addressesAnotherRoute('/api/segments/%2e%2e/customers', segmentMembers, ROUTES)).toBe(true);
    expect(addressesAnotherRoute('/api/segments/../customers?limit=211&before=5', segmentMembers, ROUTES)).toBe(true);
  });

  it('is false when the path stays as written, or resolves to no route of that method', () => {
    expect(addressesAnotherRoute('/api/segments/nada/customers', segmentMembers, ROUTES)).toBe(false);
    expect(addressesAnotherRoute('/api/segments/%2F/customers', segmentMembers, ROUTES)).toBe(false);
    expect(addressesAnotherRoute('/api/flows/%2e%2e/runs', ROUTES[3]!, ROUTES)).toBe(false);
    expect(addressesAnotherRoute('/api/segments/./customers', segmentMembers, ROUTES)).toBe(false);
  });
});
