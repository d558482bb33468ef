import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

// The Painel: the week's numbers, the trend chart, who needs the owner, the referrals, and the
// summary the owner gets on Monday; the shop's life played through the API and the simulator.

const OWNER = '+5511900001111';
const ANA = '+5511912345678';
const BRUNO = '+5511923456789';

let client: PagesClient | undefined;
let dir: string | undefined;
afterEach(async () => {
  await client?.app.close();
  client = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function open(env: Record<string, string> = {}): Promise<PagesClient> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-dashboard-'));
  // Friday 13 November, 10:00 in São Paulo: the survey goes a week later, in week 2026-W47.
  client = await openPages({ flows: SHIPPED_FLOWS, clock: new ManualClock('2026-11-13T13:00:00Z'), env: { SHOP_NAME: 'Café da Ana', DATA_DIR: dir, ...env } });
  return client;
}

/** A coffee bought with marketing consent. */
const buy = (c: PagesClient, externalId: string, phone: string, name: string, price: string) =>
  c.app.buy({ externalId, customer: { phone, name, consent: { marketing: true } }, items: [{ sku: 'CAFE', name: 'Café', unitPrice: price }] });

/** A shop's week: two purchases, two answers to the survey (a 3 with a comment and a 10), one referral. */
async function playWeek(c: PagesClient): Promise<void> {
  await buy(c, 'p1', ANA, 'Ana <b>Souza</b>', '39.90');
  await buy(c, 'p2', BRUNO, 'Bruno Lima', '60.00');
  await c.app.travel({ to: '2026-11-20T14:00:00Z' });
  await c.app.reply(ANA, 'nota 3, o café chegou frio');
  await c.app.reply(BRUNO, '10');
  await c.app.reply(BRUNO, { contact: { name: 'Carla Dias', phones: ['+55 11 93456-7890'] } });
  // Purchases of this week too.
  await buy(c, 'p3', ANA, 'Ana <b>Souza</b>', '20.00');
}

describe('Painel', () => {
  it('needs the session', async () => {
    const c = await open();
    const response = await c.app.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('action="/sign-in"');
    expect(response.body).not.toContain('NPS');
  });

  it('shows this week’s numbers, the trend chart, who needs the owner and the referrals', async () => {
    const c = await open();
    await playWeek(c);
    const response = await c.get('/');
    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body).toContain('<title>Painel · fregues</title>');
    expect(body).toContain('<a href="/" aria-current="page">Painel</a>');
    expect(body).toContain('Esta semana (16/11 a 22/11), até agora');
    // NPS of a 3 and a 10: (1 - 1) / 2 = 0.
    expect(card(body, 'NPS')).toEqual({ value: '0', detail: '1 promotor · 0 neutros · 1 detrator' });
    expect(card(body, 'Compras').value).toBe('1');
    expect(card(body, 'Faturamento').value).toBe('R$\u00a020,00');
    expect(card(body, 'Responderam').value).toBe('2');
    expect(card(body, 'Indicações').value).toBe('1');
    // The same chart as the weekly summary, inline.
    expect(body).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(body).toContain('>Últimas 8 semanas</text>');
    // Ana's comment, escaped, with a link to her record and to WhatsApp.
    const detractors = section(body, 'detractors');
    expect(detractors).toContain('Ana &lt;b&gt;Souza&lt;/b&gt;');
    expect(detractors).not.toContain('<b>Souza');
    expect(detractors).toContain('Deu nota 3: “o café chegou frio”');
    expect(detractors).toContain('href="https://wa.me/5511912345678"');
    expect(detractors).toMatch(/href="\/customers\/\d+"/);
    expect(section(body, 'referrals')).toContain('Carla Dias');
    expect(section(body, 'referrals')).toContain('indicação de Bruno Lima');
    // The Monday summary's text, as the owner will read it.
    expect(body).toContain('📊 *Resumo da semana, Café da Ana*');
  });

  it('shows another week by ?week=, with links to the weeks around it; a bad week is a 400 that says the format', async () => {
    const c = await open();
    await playWeek(c);
    const last = await c.get('/?week=2026-W46');
    expect(last.statusCode).toBe(200);
    expect(last.body).toContain('09/11 a 15/11');
    expect(card(last.body, 'Compras').value).toBe('2');
    expect(last.body).toContain('href="/?week=2026-W45"');
    expect(last.body).toContain('href="/?week=2026-W47"');
    const bad = await c.get('/?week=semana-passada');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Semana inválida: &quot;semana-passada&quot;. Use o formato 2026-W47.');
  });

  it('sends the summary to the owner on demand; without OWNER_PHONE it says what to set', async () => {
    const c = await open({ OWNER_PHONE: OWNER });
    await playWeek(c);
    const refused = await c.app.app.inject({ method: 'POST', url: '/summary/send', cookies: c.cookies, payload: { week: '2026-W47' } });
    expect(refused.statusCode).toBe(403);
    const sent = await c.post('/summary/send', { week: '2026-W47' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/?week=2026-W47&sent=yes');
    expect((await c.get(sent.headers.location as string)).body).toContain('Resumo na fila de envio para o WhatsApp do dono.');
    const queued = c.app.repos.outbox.list({ limit: 10 }).filter((row) => row.purpose === 'owner' && row.content.kind === 'text' && row.content.text.startsWith('📊'));
    expect(queued).toHaveLength(1);

    await c.app.close();
    const without = await open();
    const page = await without.get('/');
    expect(page.body).toContain('Defina OWNER_PHONE para receber o resumo toda semana no WhatsApp.');
    expect(page.body).not.toContain('action="/summary/send"');
  });
});

describe('Painel: WhatsApp’s limits', () => {
  const cap = {
    total: 50,
    used: 37,
    cycleStart: Date.parse('2026-11-12T15:00:00Z'),
    cycleEnd: Date.parse('2026-12-12T15:00:00Z'),
    status: 'none' as const,
    readAt: Date.parse('2026-11-13T12:55:00Z'),
  };

  it('shows the quota in a card, and the same line in the weekly summary', async () => {
    const c = await open();
    c.app.repos.whatsappLimits.save({ cap, lock: null, waVersion: '2.3000.1043857760' });
    const page = await c.get('/');
    expect(page.statusCode).toBe(200);
    const limits = /<section class="card whatsapp-limits" id="whatsapp-limits" data-limits="ok"[^>]*>([^]*?)<\/section>/.exec(page.body)?.[1] ?? '';
    expect(limits).toContain('<strong>37 de 50 conversas novas usadas neste ciclo, renova em 12/12</strong>');
    expect(limits).not.toContain('card-detail');
    expect(limits).toContain('<a href="/connect#whatsapp-limits">');
    expect(/<pre class="summary">([^]*?)<\/pre>/.exec(page.body)?.[1]).toContain('WhatsApp: 37 de 50 conversas novas usadas neste ciclo, renova em 12/12');
  });

  it('shows a time lock in the card, with its end in TIMEZONE, over any warning', async () => {
    const c = await open();
    c.app.repos.whatsappLimits.save({
      cap: { ...cap, status: 'first_warning' },
      lock: { active: true, endsAt: Date.parse('2026-11-14T12:00:00Z'), kind: 'BIZ_QUALITY', readAt: cap.readAt },
      waVersion: null,
    });
    const limits = /<section class="card whatsapp-limits" id="whatsapp-limits" data-limits="locked"[^>]*>([^]*?)<\/section>/.exec((await c.get('/')).body)?.[1] ?? '';
    expect(limits).toContain('<span class="card-detail">O WhatsApp bloqueou conversas novas desta conta até 14/11/2026, 09:00.');
    expect(limits).not.toContain('Primeiro aviso');
  });

  it('says the quota is unknown before the channel read it, and leaves it out of the summary', async () => {
    const c = await open();
    const page = await c.get('/');
    expect(page.body).toContain('<strong>O WhatsApp ainda não informou quantas conversas novas esta conta pode começar neste ciclo.</strong>');
    expect(/<pre class="summary">([^]*?)<\/pre>/.exec(page.body)?.[1]).not.toContain('WhatsApp:');
  });
});

/** A headline card's value and detail, by its name. */
function card(body: string, name: string): { value: string; detail: string } {
  const match = new RegExp(`<span class="card-name">${name}</span>\\s*<strong class="card-value">([^<]*)</strong>[^]*?(?:<span class="card-detail muted">([^<]*)</span>)?\\s*</div>`).exec(body);
  if (!match) throw new Error(`no card ${name}`);
  return { value: match[1]!, detail: match[2] ?? '' };
}

function section(body: string, id: string): string {
  const match = new RegExp(`<ul class="people" id="${id}">([^]*?)</ul>`).exec(body);
  if (!match) throw new Error(`no list ${id}`);
  return match[1]!;
}
