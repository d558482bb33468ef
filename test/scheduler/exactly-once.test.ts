import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, SendResult } from '../../src/channels/channel.js';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { DelegatingChannel } from '../helpers/delegating-channel.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

const ANA = '+5511912345678';

let dir: string;
const apps: Shop[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-once-'));
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The shop with the shipped flows on this test's database file: a second open is a restart. */
async function open(clock: ManualClock, channel?: Channel): Promise<Shop> {
  const app = await createShop({ flows: SHIPPED_FLOWS, clock, dbFile: path.join(dir, 'fregues.db'), ...(channel ? { channel } : {}) });
  apps.push(app);
  return app;
}

const buy = (app: Shop) => app.buy({ externalId: 'p1', customer: { phone: ANA, name: 'Ana' }, items: [{ name: 'Café' }] });

/** Every call to send to Ana, whatever came of it. */
const sendsTo = (app: Shop) => app.simulator.sendCalls.filter((call) => call.to === ANA);

describe('never twice', () => {
  it('a repeated tick, and a clock set back, send nothing again', async () => {
    const clock = new ManualClock('2026-11-20T13:00:00Z');
    const app = await open(clock);
    await buy(app);
    clock.advance(3600_000);
    await app.flows.scheduler.tick();
    await app.flows.scheduler.tick();
    expect(sendsTo(app)).toHaveLength(1);
    clock.set('2026-11-20T12:00:00Z');
    await app.flows.scheduler.tick();
    clock.set('2026-11-20T14:30:00Z');
    await app.flows.scheduler.tick();
    expect(sendsTo(app)).toHaveLength(1);
  });

  it('a restart in the middle of a wait goes on where it was', async () => {
    const clock = new ManualClock('2026-11-20T13:00:00Z');
    const first = await open(clock);
    await buy(first);
    await first.travel('2h');
    expect(sendsTo(first)).toHaveLength(1);
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    const second = await open(clock);
    await second.travel('4d');
    expect(sendsTo(second).map((call) => (call.content.kind === 'text' ? call.content.text : ''))).toEqual([expect.stringContaining('Uma dica')]);
  });

  it('a crash between the claim and the result: the send is marked unknown, never repeated', async () => {
    const clock = new ManualClock('2026-11-20T13:00:00Z');
    const simulator = new SimulatorChannel({ clock });
    await simulator.start();
    // The channel takes the message and the process dies before the answer.
    const hanging = new DelegatingChannel(simulator, () => new Promise<SendResult>(() => {}));
    const crashed = await open(clock, hanging);
    apps.splice(apps.indexOf(crashed), 1);
    await buy(crashed);
    clock.advance(3600_000);
    void crashed.flows.scheduler.tick();
    for (let i = 0; i < 50 && crashed.repos.outbox.list({ limit: 1 })[0]?.status !== 'sending'; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [claimed] = crashed.repos.outbox.list({ limit: 10 });
    expect(claimed).toMatchObject({ status: 'sending' });
    expect(crashed.repos.messages.findByWaId(claimed!.waId)).toMatchObject({ status: 'sending' });

    // The process dies: its database connection goes with it, the send never answers.
    crashed.db.close();
    const restarted = await open(clock);
    expect(restarted.repos.outbox.findByWaId(claimed!.waId)).toMatchObject({ status: 'unknown', lastError: 'interrupted' });
    await restarted.travel('1h');
    expect(sendsTo(restarted)).toEqual([]);

    // A late receipt for it proves it went out.
    restarted.repos.messages.changeStatus(claimed!.waId, { status: 'delivered', at: clock.now() });
    expect(restarted.flows.governor.confirmByReceipt(claimed!.waId)).toBe(true);
    expect(restarted.repos.outbox.findByWaId(claimed!.waId)).toMatchObject({ status: 'sent' });
  });

  it('a send whose result arrived before the crash is settled from its receipt', async () => {
    const clock = new ManualClock('2026-11-20T13:00:00Z');
    const crashed = await open(clock);
    await buy(crashed);
    clock.advance(3600_000);
    await crashed.flows.scheduler.tick();
    const [row] = crashed.repos.outbox.list({ limit: 1 });
    // As if the process died after the channel call but before the result was committed.
    crashed.db.sqlite.prepare("UPDATE outbox SET status = 'sending' WHERE id = ?").run(row!.id);
    const restarted = await open(clock);
    expect(restarted.repos.outbox.findByWaId(row!.waId)).toMatchObject({ status: 'sent' });
  });
});

describe('downtime', () => {
  it('catches up what is still timely and records the rest as expired', async () => {
    const clock = new ManualClock('2026-11-20T13:00:00Z');
    const app = await open(clock);
    await buy(app);
    // Down for 4 days: the thanks (due 1 h after the purchase) is 4 days late, past its 3 days;
    // the tip, due on the 24th at 10:00, is three hours late: still on time. One tick does both.
    clock.advance(4 * 86_400_000);
    await app.flows.scheduler.tick();
    expect(sendsTo(app).map((call) => (call.content.kind === 'text' ? call.content.text : ''))).toEqual([expect.stringContaining('Uma dica')]);
    expect(app.repos.outbox.countByStatus()).toMatchObject({ sent: 1, queued: 0, expired: 1 });
    const expired = app.repos.outbox.list({ status: 'expired', limit: 5 });
    expect(expired).toEqual([
      expect.objectContaining({ stepId: 'agradecimento', attempts: 0, lastError: 'expired', content: expect.objectContaining({ kind: 'text' }) }),
    ]);
    expect(app.repos.messages.findByWaId(expired[0]!.waId)).toBeUndefined();
  });

  it('never sends a birthday message a day late', async () => {
    const clock = new ManualClock('2026-11-19T13:00:00Z');
    const app = await open(clock);
    await app.buy({ externalId: undefined, customer: { phone: ANA, birthday: '20/11/1990', consent: { marketing: true } }, items: [{ name: 'Café' }] });
    // Down from the 19th to the 21st: the birthday (20th) passed.
    clock.set('2026-11-21T12:30:00Z');
    await app.travel('1d');
    expect(sendsTo(app).filter((call) => call.content.kind === 'text' && call.content.text.includes('aniversário'))).toEqual([]);
  });
});

describe('an opted-out customer', () => {
  it('receives nothing after opting out, whatever the schedule', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 3 * 24 * 60 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 12 * 24 * 60 }),
        fc.constantFrom('9', '3', '7', null),
        async (purchaseGaps, optOutAfter, answer) => {
          const clock = new ManualClock('2026-11-20T13:00:00Z');
          const app = await createShop({ flows: SHIPPED_FLOWS, clock, env: { OWNER_PHONE: '+5511900001111' } });
          try {
            // The customer exists from the start: a first purchase opens the schedule.
            await app.buy({ externalId: 'first', customer: { phone: ANA, consent: { marketing: true } }, items: [{ name: 'Café' }] });
            const start = clock.now();
            const optOutAt = start + optOutAfter * 60_000;
            let optedOut = false;
            const optOut = () => {
              const customer = app.repos.customers.findByPhone(ANA);
              if (customer) {
                app.repos.customers.markOptedOut(customer.id, clock.now());
                app.flows.runner.cancelFor(customer.id, 'opted_out');
              }
              optedOut = true;
            };
            for (const [index, gap] of purchaseGaps.entries()) {
              const next = clock.now() + gap * 60_000;
              if (!optedOut && next >= optOutAt) {
                await app.flows.scheduler.travel(clock, optOutAt);
                optOut();
              }
              await app.flows.scheduler.travel(clock, Math.max(next, clock.now()));
              await app.buy({ externalId: `p${index}`, customer: { phone: ANA, consent: { marketing: true } }, items: [{ name: 'Café' }] });
              if (answer) {
                const poll = app.simulator.conversation(ANA).findLast((message) => message.content.kind === 'poll');
                if (poll) {
                  try {
                    app.simulator.receivePollVote(ANA, poll.id, [answer]);
                  } catch {
                    // The number may no longer accept votes for that poll; the schedule goes on.
                  }
                }
              }
            }
            if (!optedOut) {
              await app.flows.scheduler.travel(clock, Math.max(optOutAt, clock.now()));
              optOut();
            }
            const optedOutAt = clock.now();
            await app.flows.scheduler.travel(clock, clock.now() + 60 * 86_400_000);
            const after = app.simulator.sendCalls.filter((call) => call.to === ANA && call.at > optedOutAt && call.result.ok);
            expect(after).toEqual([]);
          } finally {
            await app.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
