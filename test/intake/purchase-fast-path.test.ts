import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPurchaseQuickly } from '../../src/intake/purchase-fast-path.js';
import { purchaseSchema } from '../../src/intake/purchase-input.js';
import { validate } from '../../src/intake/validate.js';
import { ManualClock } from '../../src/scheduler/clock.js';

const ctx = {
  locale: 'pt-BR' as const,
  defaultCountry: 'BR' as const,
  currency: 'BRL',
  clock: new ManualClock('2026-11-20T15:00:00Z'),
};
const schema = purchaseSchema(ctx);

/** Mostly good values, sometimes bad ones: most bodies are valid, and every kind of mistake shows up. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });
const rarely = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 30 }, { arbitrary, weight: 1 });
const junk = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.constant([]), fc.constant({}), fc.string({ maxLength: 5 }));
const text = mostly(
  fc.oneof(fc.constantFrom('Ana', 'Café especial 250 g', '  Ana   Souza ', 'João\u0000 Araújo', 'x'.repeat(50), 'Coador de papel nº 2', 'e\u0301', 'Ação ☕'), fc.string({ minLength: 1, maxLength: 30 })),
  fc.oneof(fc.constantFrom('y'.repeat(201), 'z'.repeat(301), '', '   '), junk),
);
const phone = mostly(
  fc.constantFrom('+5511912345678', '(11) 91234-5678', '11 9 1234 5678', '+5521998765432', '+1 415 555 2671', '+14155552671', 5511912345678, 11912345678, '(11) 8765-4321'),
  fc.oneof(fc.constantFrom('+5500912345678', '(11) 3123-4567', '91234-5678', 'abc', '', -1, 1.5, 0), junk),
);
const money = mostly(fc.constantFrom(49.9, '49,90', '39.90', 0, '1200', '0.10', 7), fc.oneof(fc.constantFrom('49.999', -1, 'x', 1e21, 12.345, '99999999999999'), junk));
const item = mostly(
  fc.record(
    {
      sku: maybe(text),
      name: text,
      quantity: maybe(mostly(fc.constantFrom(1, 2, 100_000), fc.oneof(fc.constantFrom(0, 1.5, -1, 100_001, '2'), junk))),
      unitPrice: maybe(money),
      extra: rarely(fc.constant('x')),
    },
    { requiredKeys: ['name'] },
  ),
  junk,
);
const consent = mostly(
  fc.record({ marketing: mostly(fc.boolean(), fc.constant('sim')), source: maybe(text), text: maybe(text), other: rarely(fc.constant(1)) }, { requiredKeys: ['marketing'] }),
  junk,
);
const customer = mostly(
  fc.record(
    {
      phone,
      name: maybe(text),
      birthday: maybe(mostly(fc.constantFrom('12/03/1990', '--03-12', '1/2/85', '29/02/2000'), fc.oneof(fc.constantFrom('31/02/1990', '2030-01-01', 'março'), junk))),
      email: maybe(mostly(fc.constantFrom('ana@exemplo.com', ' ANA@Exemplo.COM ', 'jose.silva+loja@mail.com.br'), fc.oneof(fc.constantFrom('ana@', 'a@b', `${'a'.repeat(250)}@x.com`), junk))),
      consent: maybe(consent),
      cpf: rarely(fc.constant('123')),
    },
    { requiredKeys: ['phone'] },
  ),
  junk,
);
const body = mostly(
  fc.record(
    {
      externalId: maybe(mostly(fc.oneof(text, fc.constantFrom(1001, 0)), fc.constantFrom(-5, 2.5))),
      customer,
      items: mostly(fc.array(item, { minLength: 1, maxLength: 3 }), fc.oneof(fc.constant([]), junk)),
      total: maybe(money),
      currency: maybe(mostly(fc.constantFrom('BRL', 'usd', ' eur ', 'JPY', 'KWD'), fc.oneof(fc.constant('XYZ'), junk))),
      purchasedAt: maybe(mostly(fc.constantFrom('2026-11-19T10:30:00-03:00', '2026-11-20T15:00:00Z', '2026-11-20T15:04:00.123Z'), fc.oneof(fc.constantFrom('2030-01-01T00:00:00Z', '2026-11-19', '1999-12-31T23:59:59Z'), junk))),
      source: maybe(text),
      custmer: rarely(fc.constant({})),
    },
    { requiredKeys: ['customer', 'items'] },
  ),
  junk,
);

/** What JSON.parse could give: keys whose value is undefined are left out. */
function asJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asJson);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, asJson(v)]));
}

/** Bodies as a shop's system sends them: no mistakes, so both readers must accept them. */
const goodBody = fc.record({
  externalId: fc.stringMatching(/^[a-z0-9-]{1,20}$/),
  customer: fc.record({
    phone: fc.stringMatching(/^\+55(11|21|31|41|51|61|71|81|85)9[0-9]{8}$/),
    name: fc.constantFrom('Ana Souza', 'José Araújo', 'Cliente 12'),
  }),
  items: fc.array(
    fc.record({ sku: fc.constantFrom('CAFE-250', 'A1'), name: fc.constantFrom('Café especial 250 g', 'Coador'), quantity: fc.integer({ min: 1, max: 9 }), unitPrice: fc.constantFrom('39.90', 12.5, 7) }),
    { minLength: 1, maxLength: 4 },
  ),
});

describe('readPurchaseQuickly', () => {
  it('accepts exactly the bodies the zod schema accepts, with the same result', () => {
    let accepted = 0;
    fc.assert(
      fc.property(body.map(asJson), (input) => {
        const quick = readPurchaseQuickly(input, ctx);
        const full = validate(schema, input, 'pt-BR');
        if (full.ok) {
          accepted += 1;
          expect(quick).toEqual(full.value);
        } else {
          expect(quick).toBeUndefined();
        }
      }),
      { numRuns: 30_000 },
    );
    expect(accepted).toBeGreaterThan(3_000);
  }, 120_000);

  it('reads the bodies shops send', () => {
    fc.assert(
      fc.property(goodBody, (input) => {
        const quick = readPurchaseQuickly(input, ctx);
        expect(quick).toBeDefined();
        const full = validate(schema, input, 'pt-BR');
        expect(full.ok && full.value).toEqual(quick);
      }),
      { numRuns: 2_000 },
    );
  });
});
