import { describe, expect, it } from 'vitest';
import { formatPhoneForPeople, normalizePhone, waMeLink, type CountryCode, type PhoneProblem } from './phone.js';

describe('normalizePhone', () => {
  const accepted: [string, CountryCode, string][] = [
    // How Brazilian sellers type their customers' numbers.
    ['(11) 91234-5678', 'BR', '+5511912345678'],
    ['+55 11 9 1234 5678', 'BR', '+5511912345678'],
    ['5511912345678', 'BR', '+5511912345678'],
    ['011 91234-5678', 'BR', '+5511912345678'],
    ['11912345678', 'BR', '+5511912345678'],
    ['11 91234 5678', 'BR', '+5511912345678'],
    ['(0xx11) 91234-5678', 'BR', '+5511912345678'],
    ['0XX11 91234-5678', 'BR', '+5511912345678'],
    ['015 11 91234-5678', 'BR', '+5511912345678'],
    // A dash before the number is punctuation, and 0 + 22 the carrier code (seed 92087722 of the API fuzz took it for no phone).
    ['-5502293900000000', 'BR', '+5593900000000'],
    ['+55 (21) 99876-5432', 'BR', '+5521998765432'],
    ['  (21)99876-5432  ', 'BR', '+5521998765432'],
    ['55 85 98765 4321', 'BR', '+5585987654321'],
    ['+55.11.91234.5678', 'BR', '+5511912345678'],
    ['＋５５ １１ ９１２３４ ５６７８', 'BR', '+5511912345678'],
    // Old mobile written without the ninth digit: WhatsApp knows it with the nine.
    ['(11) 8765-4321', 'BR', '+5511987654321'],
    ['+55 31 9876-5432', 'BR', '+5531998765432'],
    // Other countries, with BR as the default country.
    ['+1 415 555 2671', 'BR', '+14155552671'],
    ['+351 912 345 678', 'BR', '+351912345678'],
    ['+54 9 11 2345-6789', 'BR', '+5491123456789'],
    ['+44 7911 123456', 'BR', '+447911123456'],
    ['+49 1512 3456789', 'BR', '+4915123456789'],
    ['+34 612 34 56 78', 'BR', '+34612345678'],
    ['+52 55 1234 5678', 'BR', '+525512345678'],
    ['+52 1 55 1234 5678', 'BR', '+525512345678'],
    ['00351 912 345 678', 'PT', '+351912345678'],
    // Other default countries.
    ['912 345 678', 'PT', '+351912345678'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['612 34 56 78', 'ES', '+34612345678'],
    ['011 15-2345-6789', 'AR', '+5491123456789'],
  ];

  it.each(accepted)('accepts %j (default %s) as %s', (input, country, expected) => {
    const result = normalizePhone(input, country);
    expect(result).toMatchObject({ ok: true, e164: expected });
  });

  const rejected: [string, CountryCode, PhoneProblem][] = [
    ['', 'BR', 'empty'],
    ['   ', 'BR', 'empty'],
    ['abc', 'BR', 'not_a_number'],
    ['não tenho', 'BR', 'not_a_number'],
    ['912345678', 'BR', 'missing_area_code'],
    ['91234-5678', 'BR', 'missing_area_code'],
    ['(11) 3123-4567', 'BR', 'not_mobile'],
    ['0800 123 4567', 'BR', 'not_mobile'],
    ['+1 800 555 0199', 'BR', 'not_mobile'],
    ['+34 912 34 56 78', 'BR', 'not_mobile'],
    ['+999 1234567', 'BR', 'invalid_country'],
    ['+55 11 91234-56789', 'BR', 'too_long'],
    ['1', 'BR', 'too_short'],
    ['12', 'BR', 'too_short'],
    ['1234-567', 'BR', 'too_short'],
    ['+55 00 91234-5678', 'BR', 'invalid'],
    ['011 2345-6789', 'AR', 'not_mobile'],
  ];

  it.each(rejected)('rejects %j (default %s) because %s', (input, country, problem) => {
    expect(normalizePhone(input, country)).toEqual({ ok: false, problem });
  });

  it('defaults to Brazil', () => {
    expect(normalizePhone('(11) 91234-5678')).toMatchObject({ ok: true, e164: '+5511912345678', country: 'BR' });
  });
});

describe('the quick mobile check', () => {
  it('accepts exactly what the full metadata accepts', async () => {
    const fc = await import('fast-check');
    const { normalizeThoroughly } = await import('./phone.js');
    const callingCodes = ['55', '1', '351', '54', '52', '44', '49', '34', '33', '39', '57', '56', '51', '598', '595', '591', '593', '58', '81', '86', '91', '61', '7', '27', '234'];
    const countries = ['BR', 'PT', 'US', 'AR', 'MX', 'ES', 'GB'] as const;
    const international = fc.tuple(fc.constantFrom(...callingCodes), fc.stringMatching(/^[0-9]{6,12}$/)).map(([code, rest]) => `+${code}${rest}`);
    const national = fc.stringMatching(/^[0-9]{8,11}$/);
    // Shapes of real mobiles, so that many generated numbers are valid ones.
    const likelyMobiles = fc.oneof(
      fc.stringMatching(/^\+55[1-9][1-9]9[0-9]{8}$/),
      fc.stringMatching(/^\([1-9][1-9]\) 9[0-9]{4}-[0-9]{4}$/),
      fc.stringMatching(/^\+3519[1236][0-9]{7}$/),
      fc.stringMatching(/^\+447[0-9]{9}$/),
      fc.stringMatching(/^\+1[2-9][0-9]{2}[2-9][0-9]{6}$/),
      fc.stringMatching(/^\+549[1-9][0-9]{9}$/),
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(international, national, likelyMobiles), fc.constantFrom(...countries), (text, country) => {
        const result = normalizePhone(text, country);
        if (result.ok) accepted += 1;
        expect(result).toEqual(normalizeThoroughly(text, country));
      }),
      { numRuns: 20_000 },
    );
    expect(accepted).toBeGreaterThan(2_000);
  }, 60_000);
});

describe('the quick check of Brazilian numbers in E.164', () => {
  it('answers as libphonenumber does, for every area code and the digits after it', async () => {
    const { parsePhoneNumberWithError } = await import('libphonenumber-js/mobile');
    const { quickBrazilianMobile } = await import('./phone.js');
    const libphonenumber = (text: string) => {
      const parsed = parsePhoneNumberWithError(text, 'BR');
      return parsed.isValid() ? { ok: true, e164: parsed.number, country: parsed.country } : undefined;
    };
    let tails = 12_345;
    let valid = 0;
    for (let area = 11; area <= 99; area += 1) {
      for (let next = 0; next < 100; next += 1) {
        for (let sample = 0; sample < 3; sample += 1) {
          tails = (tails * 7_919 + 104_729) % 10_000_000;
          const text = `+55${area}${String(next).padStart(2, '0')}${String(tails).padStart(7, '0')}`;
          const quick = quickBrazilianMobile(text, 'BR');
          // Both ways: the quick path accepts nothing libphonenumber refuses, and misses nothing it accepts.
          expect(quick, text).toEqual(/^\+55[1-9]{2}/.test(text) ? libphonenumber(text) : undefined);
          if (quick) valid += 1;
        }
      }
    }
    // 67 area codes, each with ten "9d" mobile prefixes, three samples each.
    expect(valid).toBeGreaterThan(1_900);
  });

  it('leaves every other shape to libphonenumber', async () => {
    const { quickBrazilianMobile } = await import('./phone.js');
    for (const text of ['+551191234567', '+55119123456789', '+5501912345678', '+5590912345678', '5511912345678', '+55 11912345678', '+1415555267100']) {
      expect(quickBrazilianMobile(text, 'BR'), text).toBeUndefined();
    }
    // libphonenumber refuses a default country it does not know, whatever the number.
    expect(quickBrazilianMobile('+5511912345678', 'XX' as CountryCode)).toBeUndefined();
    expect(normalizePhone('+5511912345678', 'XX' as CountryCode)).toEqual({ ok: false, problem: 'invalid_country' });
  });
});

describe('numbers seen lately', () => {
  it('are answered again without parsing, with the same answer', () => {
    const first = normalizePhone('(61) 99876-5432');
    expect(normalizePhone('(61) 99876-5432')).toBe(first);
    expect(normalizePhone('(61) 99876-5432', 'PT')).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});

describe('formatPhoneForPeople', () => {
  it('national for the shop’s country, international for the others, as stored when unreadable', () => {
    expect(formatPhoneForPeople('+5511912345678', 'BR')).toBe('(11) 91234-5678');
    expect(formatPhoneForPeople('+351912345678', 'BR')).toBe('+351 912 345 678');
    expect(formatPhoneForPeople('+5511912345678', 'PT')).toBe('+55 11 91234 5678');
    expect(formatPhoneForPeople('not a phone', 'BR')).toBe('not a phone');
  });
});

describe('waMeLink', () => {
  it.each([
    ['+5511912345678', 'https://wa.me/5511912345678'],
    ['+351912345678', 'https://wa.me/351912345678'],
    [null, ''],
    ['', ''],
  ])('%s opens %s', (phone, link) => {
    expect(waMeLink(phone)).toBe(link);
  });
});
