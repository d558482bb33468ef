import { describe, expect, it } from 'vitest';
import { fields } from '../../src/intake/fields.js';
import { ManualClock } from '../../src/scheduler/clock.js';

describe('the phone field', () => {
  it('trusts a number in E.164 that is already a customer’s, and checks every other one', () => {
    const asked: string[] = [];
    const known = new Set(['+5500912345678']); // stored before; the full check would refuse it today
    const { phone } = fields({
      locale: 'pt-BR',
      defaultCountry: 'BR',
      currency: 'BRL',
      clock: new ManualClock(),
      isKnownPhone: (e164) => {
        asked.push(e164);
        return known.has(e164);
      },
    });
    expect(phone.safeParse('+5500912345678')).toMatchObject({ success: true, data: '+5500912345678' });
    expect(phone.safeParse('+5500912345679').success).toBe(false);
    expect(phone.safeParse('(11) 91234-5678')).toMatchObject({ success: true, data: '+5511912345678' });
    expect(asked).toEqual(['+5500912345678', '+5500912345679']);
  });
});
