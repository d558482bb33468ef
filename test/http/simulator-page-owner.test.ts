import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

// The owner's own chat in the Simulador (OWNER_PHONE): labelled as theirs, and the weekly
// summary's chart shown as the image it is, served only to the signed-in seller and only
// from the charts fregues wrote in DATA_DIR/reports and the simulator took.

const OWNER = '+5511900001111';
const OWNER_URL = `/simulator?phone=${encodeURIComponent(OWNER)}`;
/** Friday 20 November 2026, 10:00 in São Paulo. */
const START = '2026-11-20T13:00:00Z';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let client: PagesClient | undefined;
let dir: string | undefined;
afterEach(async () => {
  await client?.app.close();
  client = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function open(env: Record<string, string> = {}): Promise<PagesClient> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-sim-owner-'));
  client = await openPages({ clock: new ManualClock(START), flows: SHIPPED_FLOWS, env: { SHOP_NAME: 'Café da Ana', OWNER_PHONE: OWNER, DATA_DIR: dir, ...env } });
  return client;
}

/** The week's summary sent to the owner now, as Painel's button does, and the clock moved for both messages to go. */
async function sendSummary(c: PagesClient): Promise<void> {
  const response = await c.app.api({ method: 'POST', url: '/api/reports/weekly/send', query: { week: '2026-W47' } });
  expect(response.statusCode, response.body).toBe(202);
  await c.app.travel('5m');
  expect(c.app.simulator.conversation(OWNER).map((m) => m.content.kind)).toEqual(['text', 'image']);
}

function mainText(body: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(body)?.[1] ?? '';
  return main.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

function chartId(c: PagesClient): string {
  const image = c.app.simulator.conversation(OWNER).find((m) => m.content.kind === 'image');
  if (!image) throw new Error('the owner got no chart');
  return image.id;
}

describe("the owner's chat", () => {
  it('is labelled as the owner’s own in the list and in the chat’s header', async () => {
    const c = await open();
    await sendSummary(c);
    const list = await c.get('/simulator');
    const item = /<ul class="sim-list">[\s\S]*?<\/ul>/.exec(list.body)?.[0] ?? '';
    expect(item).toMatch(/<strong>Você \(dono\)<\/strong>/);
    expect(item).toContain('+55 11 90000 1111');
    const chat = await c.get(OWNER_URL);
    expect(chat.statusCode).toBe(200);
    const head = /<div class="sim-chat-head">([\s\S]*?)<\/div>/.exec(chat.body)?.[1] ?? '';
    expect(head).toContain('<strong>Você (dono)</strong>');
    expect(head).toContain('+55 11 90000 1111');
    expect(chat.body).toMatch(/<section id="sim-chat"[^>]*aria-label="[^"]*Você \(dono\)[^"]*"/);
  });

  it('says it in each locale', async () => {
    for (const [locale, label] of [['en', 'You (owner)'], ['es', 'Usted (dueño)']] as const) {
      const c = await open({ LOCALE: locale });
      await sendSummary(c);
      const chat = await c.get(OWNER_URL);
      expect(/<div class="sim-chat-head">([\s\S]*?)<\/div>/.exec(chat.body)?.[1]).toContain(`<strong>${label}</strong>`);
      await c.app.close();
      client = undefined;
      fs.rmSync(dir!, { recursive: true, force: true });
      dir = undefined;
    }
  });

  it('a customer’s chat keeps the customer’s name', async () => {
    const c = await open();
    await c.app.buy({ externalId: undefined, customer: { phone: '+5511912345678', name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });
    const chat = await c.get(`/simulator?phone=${encodeURIComponent('+5511912345678')}`);
    expect(/<div class="sim-chat-head">([\s\S]*?)<\/div>/.exec(chat.body)?.[1]).toContain('<strong>Ana Souza</strong>');
    expect(mainText(chat.body)).not.toContain('Você (dono)');
  });
});

describe('the weekly chart in the chat', () => {
  it('shows as the image, with its alt text, not as "🖼️ Imagem (28 KB)"; the JSON for simulator.js says the same', async () => {
    const c = await open();
    await sendSummary(c);
    const id = chartId(c);
    const chat = await c.get(OWNER_URL);
    expect(chat.body).toContain(`<img class="sim-image" src="/simulator/image/${encodeURIComponent(id)}" alt="Gráfico do resumo semanal: NPS e respostas das últimas semanas"`);
    expect(mainText(chat.body)).not.toMatch(/Imagem \(\d+ KB\)/);
    expect(mainText(chat.body)).toContain('NPS e respostas nas últimas 8 semanas');
    const json = await c.app.app.inject({ method: 'GET', url: `/simulator/conversation?phone=${encodeURIComponent(OWNER)}`, cookies: c.cookies, headers: { accept: 'application/json' } });
    const bubble = json.json<{ bubbles: { id: string; image: unknown; note: string | null }[] }>().bubbles.find((b) => b.id === id);
    expect(bubble).toMatchObject({ image: { src: `/simulator/image/${encodeURIComponent(id)}`, alt: 'Gráfico do resumo semanal: NPS e respostas das últimas semanas' }, note: null });
  });

  it('serves the PNG fregues wrote in DATA_DIR/reports, signed in only', async () => {
    const c = await open();
    await sendSummary(c);
    const url = `/simulator/image/${encodeURIComponent(chartId(c))}`;
    const image = await c.get(url);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    const written = fs.readdirSync(path.join(dir!, 'reports')).filter((name) => name.endsWith('.png'));
    expect(written).toHaveLength(1);
    expect(image.rawPayload.equals(fs.readFileSync(path.join(dir!, 'reports', written[0]!)))).toBe(true);
    expect(image.rawPayload.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const anonymous = await c.app.app.inject({ method: 'GET', url });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.rawPayload.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(false);
  });

  it('serves nothing else: an unknown id, a text message, a path that climbs out, a chart no longer in DATA_DIR/reports', async () => {
    const c = await open();
    await sendSummary(c);
    const text = c.app.simulator.conversation(OWNER).find((m) => m.content.kind === 'text')!;
    for (const url of [
      '/simulator/image/nothing',
      `/simulator/image/${encodeURIComponent(text.id)}`,
      `/simulator/image/${encodeURIComponent('../../fregues.db')}`,
      '/simulator/image/..%2F..%2Fadmin-token',
      '/simulator/image/%2E%2E%2Ffregues.db',
    ]) {
      const response = await c.get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).not.toMatch(/^image\//);
    }
    // The chart replaced by a link to a file outside DATA_DIR/reports: refused, and the chat falls back to the description.
    const reports = path.join(dir!, 'reports');
    const [name] = fs.readdirSync(reports).filter((file) => file.endsWith('.png'));
    const outside = path.join(dir!, 'secret.png');
    fs.writeFileSync(outside, PNG_SIGNATURE);
    fs.rmSync(path.join(reports, name!));
    fs.symlinkSync(outside, path.join(reports, name!));
    const url = `/simulator/image/${encodeURIComponent(chartId(c))}`;
    expect((await c.get(url)).statusCode).toBe(404);
    const chat = await c.get(OWNER_URL);
    expect(chat.body).not.toContain('<img class="sim-image"');
    expect(mainText(chat.body)).toMatch(/Imagem \(\d+ KB\)/);
  });
});
