import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createShop } from '../helpers/shop.js';
import { addCustomer, createCampaign, segmentOf } from './campaign-helpers.js';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS = 12;

const local = (time: string) => new Date(Date.parse(`${time}-03:00`)).toISOString();
const TEXT = 'Campanha de Natal: frete grátis até domingo!';

/** One person of the shop: in the segment or not, their consent, and what they do before and while the campaign goes out. */
const person = fc.record({
  inSegment: fc.boolean(),
  consent: fc.boolean(),
  optedOutBefore: fc.boolean(),
  /** After the messages are queued (the quiet night) or half-way (held by the daily cap): SAIR, or a purchase that revokes the consent. */
  during: fc.constantFrom('none', 'sair', 'revoke'),
  at: fc.constantFrom('night', 'next-noon'),
});

describe('campaigns and consent (property)', () => {
  it(`never send a campaign message to an opted-out or non-consenting customer (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(person, { minLength: 1, maxLength: 6 }), async (people) => {
        // Three a day: the campaign takes two days or more, so a change on the second day catches messages still queued.
        const shop = await createShop({ env: { COLD_WARMUP: 'off', COLD_DAILY_CAP: '1000', DAILY_SEND_CAP: '3' } });
        try {
          const customers = [];
          for (const [index, one] of people.entries()) {
            const customer = await addCustomer(shop, `+55119123450${index}0`, { consent: one.consent, tags: one.inSegment ? ['natal'] : ['outro'] });
            if (one.optedOutBefore) await shop.reply(customer.phone, 'SAIR');
            customers.push(customer);
          }
          const segment = await segmentOf(shop, 'Natal', ['natal']);
          // Sent at 21:00: the runs queue their messages at once, held by the quiet hours until 09:00.
          await createCampaign(shop, { segment, message: { text: TEXT }, sendAt: local('2026-11-20T21:00:00') });
          const changedAt: (string | null)[] = people.map(() => null);
          for (const moment of ['night', 'next-noon'] as const) {
            await shop.travel({ to: moment === 'night' ? local('2026-11-20T23:00:00') : local('2026-11-21T12:00:00') });
            for (const [index, one] of people.entries()) {
              if (one.during === 'none' || one.at !== moment) continue;
              changedAt[index] = new Date(shop.clock.now()).toISOString();
              if (one.during === 'sair') await shop.reply(customers[index]!.phone, 'SAIR');
              else await shop.buy({ externalId: `revoga-${index}`, customer: { phone: customers[index]!.phone, consent: { marketing: false } }, items: [{ name: 'Café', unitPrice: 10 }] });
            }
          }
          await shop.travel('4d');

          for (const [index, one] of people.entries()) {
            const got = shop.deliveries(customers[index]!.phone).filter((delivery) => delivery.text === TEXT);
            const never = !one.inSegment || !one.consent || one.optedOutBefore;
            if (never) expect(got, `customer ${index}`).toEqual([]);
            else if (changedAt[index] !== null) for (const delivery of got) expect(delivery.at < changedAt[index]!, `customer ${index}`).toBe(true);
            else expect(got, `customer ${index}`).toHaveLength(1);
            expect(got.length).toBeLessThanOrEqual(1);
          }
        } finally {
          await shop.close();
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 180_000);
});
