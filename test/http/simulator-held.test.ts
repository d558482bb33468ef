import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { groupHeld } from '../../src/simulation/held-report.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

// Issue 20: "+1 hora" delivered one of three due thank-yous and said nothing about the other two,
// held by the pause between sends.

/** Friday 20 November 2026, 10:00 in São Paulo. */
const START = '2026-11-20T13:00:00Z';
const BUYERS = ['+5511912345678', '+5521998765432', '+5531987654321'];

let client: PagesClient | undefined;
afterEach(async () => {
  await client?.app.close();
  client = undefined;
});

async function threeBuy(start = START, env: Record<string, string> = {}): Promise<PagesClient> {
  client = await openPages({ clock: new ManualClock(start), flows: SHIPPED_FLOWS, env: { SHOP_NAME: 'Café da Ana', SEND_GAP_SECONDS: '120-120', ...env } });
  for (const [i, phone] of BUYERS.entries()) {
    await client.app.buy({ externalId: `p${i}`, customer: { phone, name: `Cliente ${i}` }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });
  }
  return client;
}

function banners(body: string): string[] {
  return [...body.matchAll(/<p class="notice sim-banner"[^>]*>([^<]*)<\/p>/g)].map((match) => match[1]!);
}

describe('the Simulador’s clock says what came due and did not go', () => {
  it('+1 hora: one thanks went; the two others wait for the pause between sends, with the time the next goes', async () => {
    const c = await threeBuy();
    const response = await c.post('/simulator/clock', { advance: '1h' });
    expect(response.statusCode).toBe(303);
    // 11:00 the first thanks; the pause is 120 s: the next at 11:02.
    expect(String(response.headers.location)).toBe(`/simulator?jumped=1h&sent=1&next=${Date.parse('2026-11-20T14:02:00Z')}`);
    const page = await c.get(String(response.headers.location));
    expect(banners(page.body)).toEqual([
      'O relógio avançou +1 hora. Mensagens enviadas: 1.',
      'Já era hora, mas ainda na fila: 2 esperando o intervalo entre envios (próxima às 11:02).',
    ]);
  });

  it('says nothing more when everything due went', async () => {
    const c = await threeBuy(START, { SEND_GAP_SECONDS: '1-1' });
    const response = await c.post('/simulator/clock', { advance: '1d' });
    const page = await c.get(String(response.headers.location));
    expect(banners(page.body)).toEqual(['O relógio avançou +1 dia. Mensagens enviadas: 3.']);
  });

  it('names the quiet hours, with the day and time they end', async () => {
    // Friday 19:30 in São Paulo: the thanks come due at 20:30, inside the quiet hours (20:00-09:00).
    const c = await threeBuy('2026-11-20T22:30:00Z');
    const response = await c.post('/simulator/clock', { advance: '1h' });
    const page = await c.get(String(response.headers.location));
    expect(banners(page.body)).toEqual([
      'O relógio avançou +1 hora. Mensagens enviadas: 0.',
      'Já era hora, mas ainda na fila: 3 esperando o horário permitido para envios (próxima em sáb., 21/11/2026, às 09:00).',
    ]);
  });

  it('says it in en', async () => {
    const c = await threeBuy(START, { LOCALE: 'en' });
    const response = await c.post('/simulator/clock', { advance: '1h' });
    const page = await c.get(String(response.headers.location));
    expect(banners(page.body)[1]).toBe('Due, but still queued: 2 waiting for the pause between sends (next at 11:02 AM).');
  });
});

describe('groupHeld', () => {
  const NOW = 1_000_000;
  const row = (dueAt: number, notBefore: number, lastError: string | null = null, status: 'queued' | 'sent' = 'queued') => ({ status, dueAt, notBefore, lastError });

  it('groups what was due by now and did not go, in a fixed order, each with the earliest time one of them may go', () => {
    expect(
      groupHeld(
        [
          row(NOW - 5, NOW + 500, 'daily_cap'),
          row(NOW - 1, NOW - 1),
          row(NOW - 2, NOW - 2),
          row(NOW - 9, NOW + 900),
          row(NOW - 9, NOW + 800),
          row(NOW - 3, NOW + 300, 'cold_budget'),
          row(NOW - 3, NOW + 200, 'reachout_lock'),
          row(NOW - 3, NOW + 100, 'handoff'),
          row(NOW - 3, NOW + 100, 'contact_cap'),
          // Not due yet, or no longer queued: not held.
          row(NOW + 10, NOW + 10),
          row(NOW - 1, NOW - 1, null, 'sent'),
        ],
        NOW,
        NOW + 60,
      ),
    ).toEqual([
      { why: 'gap', count: 2, nextAt: NOW + 60 },
      { why: 'quiet_hours', count: 2, nextAt: NOW + 800 },
      { why: 'daily_cap', count: 1, nextAt: NOW + 500 },
      { why: 'cold_budget', count: 2, nextAt: NOW + 200 },
      { why: 'contact_cap', count: 1, nextAt: NOW + 100 },
      { why: 'paused', count: 1, nextAt: NOW + 100 },
    ]);
  });

  it('without a pause ahead, due messages wait for the connection, with no time', () => {
    expect(groupHeld([row(NOW - 1, NOW - 1)], NOW, null)).toEqual([{ why: 'queued', count: 1, nextAt: null }]);
  });
});
