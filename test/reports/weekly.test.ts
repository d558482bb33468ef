import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseWeek, weekOf, weeksBefore } from '../../src/reports/period.js';
import { buildWeeklyReport, npsOf, type WeeklyReport } from '../../src/reports/weekly.js';
import { openDatabase, type Database } from '../../src/storage/db.js';
import { createMetricsRepository } from '../../src/storage/repositories/metrics.js';

// A small shop's week, written row by row, and the exact number each metric must give
// (definitions: docs/metrics.md). The week is 2026-W47 in São Paulo: Monday 16 November
// 00:00 local (03:00 UTC) to Monday 23 November 00:00 local.

const TZ = 'America/Sao_Paulo';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A local São Paulo time (UTC-3 all year) as epoch ms. */
const sp = (local: string) => Date.parse(`${local}:00-03:00`);
const W47 = sp('2026-11-16T00:00');

let db: Database;
let ids = 0;
beforeEach(() => {
  db = openDatabase(':memory:');
  ids = 0;
  // A flow version with one question (pesquisa) and one plain message (obrigado).
  db.sqlite
    .prepare('INSERT INTO flow_versions (flow_id, hash, version, definition, first_seen_at) VALUES (?, ?, ?, ?, ?)')
    .run('pos-compra', 'h1', 1, JSON.stringify({ id: 'pos-compra', steps: [{ id: 'pesquisa', kind: 'ask' }, { id: 'obrigado', kind: 'send' }] }), 0);
});
afterEach(() => db.close());

function customer(name: string | null, options: { birthday?: string; optedOutAt?: number; erased?: boolean } = {}): number {
  ids += 1;
  const phone = options.erased ? null : `+55119000000${String(ids).padStart(2, '0')}`;
  return Number(
    db.sqlite
      .prepare('INSERT INTO customers (phone, name, birthday, opted_out_at, erased_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)')
      .run(phone, options.erased ? null : name, options.birthday ?? null, options.optedOutAt ?? null, options.erased ? 1 : null).lastInsertRowid,
  );
}

function purchase(customerId: number, at: number, cents: number | null, currency = 'BRL'): void {
  db.sqlite
    .prepare("INSERT INTO purchases (customer_id, items, total_cents, currency, source, purchased_at, created_at) VALUES (?, '[]', ?, ?, 'api', ?, ?)")
    .run(customerId, cents, currency, at, at);
  db.sqlite.prepare('UPDATE customers SET last_purchase_at = max(coalesce(last_purchase_at, 0), ?) WHERE id = ?').run(at, customerId);
}

function message(customerId: number, at: number, status: string, payload: Record<string, unknown>, text: string | null = 'oi', direction = 'out'): string {
  ids += 1;
  const waId = `WA${ids}`;
  db.sqlite
    .prepare("INSERT INTO messages (customer_id, direction, wa_id, kind, text, payload, status, created_at) VALUES (?, ?, ?, 'text', ?, ?, ?, ?)")
    .run(customerId, direction, waId, text, JSON.stringify(payload), status, at);
  return waId;
}

function answer(customerId: number, kind: string, value: string, at: number, comment: string | null = null): void {
  db.sqlite
    .prepare("INSERT INTO answers (customer_id, run_id, step_id, kind, value, comment, message_wa_id, at) VALUES (?, NULL, 'pesquisa', ?, ?, ?, 'x', ?)")
    .run(customerId, kind, value, comment, at);
}

/** A flow message that went out: a run of pos-compra and its outbox row. */
function sent(customerId: number, stepId: string, at: number): void {
  ids += 1;
  const runId = Number(
    db.sqlite
      .prepare("INSERT INTO flow_runs (flow_id, flow_hash, customer_id, occurrence, status, state, created_at, updated_at) VALUES ('pos-compra', 'h1', ?, ?, 'waiting', '{}', 0, 0)")
      .run(customerId, `o${ids}`).lastInsertRowid,
  );
  db.sqlite
    .prepare(
      "INSERT INTO outbox (dedupe_key, run_id, step_id, customer_id, purpose, to_phone, marketing, content, wa_id, status, due_at, not_before, expires_at, created_at, finished_at) VALUES (?, ?, ?, ?, 'customer', '+55', 0, '{}', ?, 'sent', ?, ?, ?, ?, ?)",
    )
    .run(`k${ids}`, runId, stepId, customerId, `OUT${ids}`, at, at, at + DAY, at, at);
}

function ownerAlert(customerId: number, waId: string, at: number): void {
  db.sqlite
    .prepare(
      "INSERT INTO outbox (dedupe_key, run_id, step_id, customer_id, purpose, to_phone, marketing, content, wa_id, status, due_at, not_before, expires_at, created_at) VALUES (?, NULL, NULL, ?, 'owner', '+5511900001111', 0, '{}', ?, 'queued', ?, ?, ?, ?)",
    )
    .run(`owner-alert:${waId}:+5511900001111`, customerId, `AL${waId}`, at, at, at + DAY, at);
}

function report(week = parseWeek('2026-W47', TZ)!): WeeklyReport {
  return buildWeeklyReport({ metrics: createMetricsRepository(db), timeZone: TZ, inactivityDays: 60, handoffPauseHours: 24, reviewTracking: { measured: false, reason: 'no_review_step' } }, week);
}

describe('weeks in the shop’s time zone', () => {
  it.each([
    ['2026-W47', '2026-11-16T03:00:00.000Z', '2026-11-23T03:00:00.000Z'],
    ['2026-W01', '2025-12-29T03:00:00.000Z', '2026-01-05T03:00:00.000Z'],
    ['2026-W53', '2026-12-28T03:00:00.000Z', '2027-01-04T03:00:00.000Z'],
    ['2021-W53', '2022-01-03T03:00:00.000Z', '2022-01-10T03:00:00.000Z'],
  ])('%s runs from %s to %s', (id, from, to) => {
    const week = parseWeek(id, TZ);
    if (id === '2021-W53') {
      // 2021 has 52 ISO weeks.
      expect(week).toBeUndefined();
      return;
    }
    expect(week).toBeDefined();
    expect(new Date(week!.from).toISOString()).toBe(from);
    expect(new Date(week!.to).toISOString()).toBe(to);
    expect(weekOf(week!.from, TZ).id).toBe(id);
    expect(weekOf(week!.to - 1, TZ).id).toBe(id);
  });

  it('refuses what is not a week', () => {
    for (const id of ['2026-47', '2026-W00', '2026-W54', 'W47', '2026-w47', '']) expect(parseWeek(id, TZ)).toBeUndefined();
  });

  it('follows a daylight-saving change: New York’s week of 8 March 2026 is an hour shorter', () => {
    const week = parseWeek('2026-W10', 'America/New_York')!;
    expect(week.to - week.from).toBe(7 * DAY - HOUR);
    expect(weeksBefore(week, 1, 'America/New_York').id).toBe('2026-W09');
    expect(weeksBefore(week, -1, 'America/New_York').id).toBe('2026-W11');
  });
});

describe('the weekly metrics, each on a fixture', () => {
  it('purchases and revenue: the week’s own, by local time, revenue of the main currency', () => {
    const ana = customer('Ana');
    purchase(ana, W47, 5000); // Monday 00:00 local: in.
    purchase(ana, sp('2026-11-22T23:59'), 2500); // Sunday 23:59 local (02:59 UTC Monday): in.
    purchase(ana, sp('2026-11-23T00:00'), 9900); // the next week: out.
    purchase(ana, W47 + DAY, null); // no total: a purchase, no revenue.
    purchase(ana, W47 + 2 * DAY, 1000, 'USD');
    purchase(ana, W47 - 1, 4000); // the week before.
    const r = report();
    expect(r.purchases).toEqual({ value: 4, previous: 1, change: 3 });
    expect(r.revenue).toEqual({ value: 7500, previous: 4000, change: 3500, currency: 'BRL', others: [{ currency: 'USD', cents: 1000 }] });
  });

  it('new and returning customers: new when the first purchase ever is in the week', () => {
    const first = customer('Nova');
    const again = customer('Volta');
    const twice = customer('Duas vezes');
    purchase(first, W47 + HOUR, 100);
    purchase(again, W47 - 30 * DAY, 100);
    purchase(again, W47 + HOUR, 100);
    purchase(twice, W47 + HOUR, 100);
    purchase(twice, W47 + 2 * HOUR, 100);
    const r = report();
    expect(r.newCustomers.value).toBe(2);
    expect(r.returningCustomers).toBe(1);
  });

  it('messages: the bot’s messages to customers by status; the owner’s typing and alerts do not count', () => {
    const ana = customer('Ana');
    const at = W47 + DAY;
    for (const status of ['sent', 'delivered', 'delivered', 'read', 'read', 'read', 'failed', 'unknown', 'sending']) message(ana, at, status, { to: 'customer' });
    message(ana, at, 'read', { to: 'notice' });
    message(ana, at, 'read', { to: 'owner' });
    message(ana, at, 'sent', { author: 'owner' });
    message(ana, at, 'received', {}, 'oi', 'in');
    message(ana, W47 - HOUR, 'read', { to: 'customer' });
    expect(report().messages).toEqual({ sent: 7, delivered: 6, read: 4, failed: 1, unknown: 1 });
  });

  it('reply rate: of the customers asked in the week, those who answered in the week', () => {
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((name) => customer(name));
    sent(a!, 'pesquisa', W47 + DAY);
    sent(a!, 'pesquisa', W47 + 2 * DAY); // a reminder: still one customer asked.
    sent(b!, 'pesquisa', W47 + DAY);
    sent(c!, 'obrigado', W47 + DAY); // not a question.
    sent(d!, 'pesquisa', W47 - DAY); // asked the week before...
    answer(a!, 'nps', '9', W47 + 3 * DAY);
    answer(d!, 'nps', '7', W47 + HOUR); // ...answered this week: a reply, not in this week's rate.
    const r = report();
    expect(r.replyRate).toMatchObject({ asked: 2, answered: 1, value: 0.5 });
    expect(r.replies.value).toBe(2);
  });

  it('NPS: each customer’s latest understood score of the week', () => {
    const [a, b, c, d, e] = ['A', 'B', 'C', 'D', 'E'].map((name) => customer(name));
    answer(a!, 'nps', '3', W47 + HOUR);
    answer(a!, 'nps', '9', W47 + 2 * HOUR); // changed their mind: a promoter.
    answer(b!, 'nps', '10', W47 + HOUR);
    answer(c!, 'nps', '8', W47 + HOUR);
    answer(d!, 'nps', '6', W47 + HOUR, 'demorou');
    answer(e!, 'nps', '', W47 + HOUR, 'hmm'); // not understood: no score.
    answer(e!, 'nps', '2', W47 - HOUR); // the week before.
    const r = report();
    expect(r.nps).toMatchObject({ promoters: 2, passives: 1, detractors: 1, value: 25, previous: -100, change: 125 });
    expect(npsOf({ promoters: 0, passives: 0, detractors: 0 })).toBeNull();
  });

  it('CSAT: the average of each customer’s latest score, one decimal', () => {
    const [a, b, c] = ['A', 'B', 'C'].map((name) => customer(name));
    answer(a!, 'csat', '5', W47 + HOUR);
    answer(b!, 'csat', '1', W47 + HOUR);
    answer(b!, 'csat', '4', W47 + 2 * HOUR);
    answer(c!, 'csat', '4', W47 + HOUR);
    expect(report().csat).toMatchObject({ value: 4.3, answers: 3, previous: null, change: null });
  });

  it('referrals (with names) and opt-outs of the week', () => {
    const ana = customer('Ana Souza');
    const bia = customer('Bia');
    db.sqlite
      .prepare('INSERT INTO referrals (referrer_customer_id, name, phone, created_at) VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?)')
      .run(ana, 'Carla', '+5511977770001', W47 + HOUR, ana, null, '+5511977770002', W47 + 2 * HOUR, bia, 'Duda', '+5511977770003', W47 - HOUR);
    const revoke = db.sqlite.prepare("INSERT INTO consent_events (customer_id, purpose, state, at, source) VALUES (?, ?, 'revoked', ?, 'whatsapp')");
    revoke.run(ana, 'messages', W47 + HOUR);
    revoke.run(ana, 'marketing', W47 + HOUR);
    revoke.run(bia, 'messages', W47 - HOUR);
    const r = report();
    expect(r.referrals).toMatchObject({
      value: 2,
      previous: 1,
      people: [
        { name: 'Carla', phone: '+5511977770001', referrer: 'Ana Souza' },
        { name: null, phone: '+5511977770002', referrer: 'Ana Souza' },
      ],
    });
    expect(r.optOuts).toEqual({ value: 1, previous: 1, change: 0 });
  });

  it('repurchase rate: first purchases 90 to 180 days before the week ended, bought again within 90 days', () => {
    const end = sp('2026-11-23T00:00');
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((name) => customer(name));
    purchase(a!, end - 120 * DAY, 100);
    purchase(a!, end - 60 * DAY, 100); // 60 days later: repeated.
    purchase(b!, end - 170 * DAY, 100);
    purchase(b!, end - 50 * DAY, 100); // 120 days later: too late.
    purchase(c!, end - 100 * DAY, 100); // never again.
    purchase(d!, end - 200 * DAY, 100); // first purchase before the cohort...
    purchase(d!, end - 150 * DAY, 100); // ...so this one is not a first.
    expect(report().repurchase).toMatchObject({ cohort: 3, repeated: 1, rate: 0.333 });
  });

  it('customers at risk: live, reachable, last purchase longer ago than the inactivity threshold', () => {
    const end = sp('2026-11-23T00:00');
    purchase(customer('Antiga'), end - 61 * DAY, 100);
    purchase(customer('Recente'), end - 59 * DAY, 100);
    purchase(customer('Saiu', { optedOutAt: 1 }), end - 90 * DAY, 100);
    expect(report().atRisk).toEqual({ count: 1, inactivityDays: 60 });
  });

  it('birthdays in the seven days after the week, 29 February on 1 March in other years', () => {
    customer('Segunda', { birthday: '1990-11-23' });
    customer('Domingo seguinte', { birthday: '--11-29' });
    customer('Fora', { birthday: '1990-11-30' });
    customer('Passou', { birthday: '1990-11-22' });
    customer('Optou por sair', { birthday: '1990-11-24', optedOutAt: 1 });
    expect(report().birthdays.map((b) => [b.name, b.monthDay])).toEqual([
      ['Segunda', '11-23'],
      ['Domingo seguinte', '11-29'],
    ]);
    customer('Bissexto', { birthday: '2000-02-29' });
    // 2027 is not a leap year: the week ending Monday 1 March 2027 lists the 29 February birthday.
    expect(report(parseWeek('2027-W08', TZ)).birthdays.map((b) => b.name)).toEqual(['Bissexto']);
  });

  it('who needs the owner: detractors and forwarded questions the owner has not written to since', () => {
    const [ana, bia, caio, duda] = ['Ana', 'Bia', 'Caio', 'Duda'].map((name) => customer(name));
    answer(ana!, 'nps', '4', W47 + DAY, 'atrasou');
    answer(bia!, 'nps', '2', W47 + DAY);
    message(bia!, W47 + DAY + HOUR, 'sent', { author: 'owner' }); // the owner called Bia back.
    const question = message(caio!, W47 + 2 * DAY, 'received', {}, 'quando chega?', 'in');
    ownerAlert(caio!, question, W47 + 2 * DAY);
    const answered = message(duda!, W47 + 2 * DAY, 'received', {}, 'tem em azul?', 'in');
    ownerAlert(duda!, answered, W47 + 2 * DAY);
    message(duda!, W47 + 3 * DAY, 'sent', { author: 'owner' });
    const r = report();
    expect(r.attention.detractors).toEqual([{ customerId: ana, name: 'Ana', phone: expect.any(String), at: W47 + DAY, score: 4, comment: 'atrasou' }]);
    expect(r.attention.questions).toEqual([{ customerId: caio, name: 'Caio', phone: expect.any(String), at: W47 + 2 * DAY, text: 'quando chega?' }]);
  });

  it('the trend: eight weeks, oldest first, NPS and replies per week', () => {
    const [a, b] = ['A', 'B'].map((name) => customer(name));
    answer(a!, 'nps', '10', W47 - 3 * 7 * DAY + HOUR);
    answer(b!, 'nps', '0', W47 - 3 * 7 * DAY + HOUR);
    answer(a!, 'nps', '9', W47 + HOUR);
    purchase(a!, W47 - 7 * 7 * DAY, 100);
    const r = report();
    expect(r.trend.map((w) => w.week)).toEqual(['2026-W40', '2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47']);
    expect(r.trend.map((w) => w.nps)).toEqual([null, null, null, null, 0, null, null, 100]);
    expect(r.trend.map((w) => w.replies)).toEqual([0, 0, 0, 0, 2, 0, 0, 1]);
    expect(r.trend.map((w) => w.purchases)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('a week with nothing in it is quiet', () => {
    customer('Ana', { birthday: '1990-11-25' });
    const r = report();
    expect(r.quiet).toBe(true);
    expect(r.nps.value).toBeNull();
    expect(r.birthdays).toHaveLength(1);
  });
});

