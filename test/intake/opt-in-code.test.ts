import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findOptInCodes, OPT_IN_ALPHABET, OPT_IN_ID_SPACE, optInCodec } from '../../src/domain/opt-in-code.js';
import { clickToChatLink } from '../../src/domain/phone.js';

const codec = optInCodec('3f9c0b6e1a2d4c5b8e7f60a1b2c3d4e5');

describe('click-to-chat codes', () => {
  it('decodes every code back to its purchase or pending purchase', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: OPT_IN_ID_SPACE - 1 }), fc.constantFrom('purchase' as const, 'pending' as const), (id, kind) => {
        const code = codec.encode({ kind, id });
        expect(code).toMatch(new RegExp(`^[${OPT_IN_ALPHABET}]{5}$`));
        expect(codec.decode(code)).toEqual({ kind, id });
        expect(codec.decode(code.toLowerCase())).toEqual({ kind, id });
      }),
    );
  });

  it('gives a purchase and the pending purchase of the same id different codes, and neighbours unrelated ones', () => {
    const codes = Array.from({ length: 2000 }, (_, index) => codec.encode({ kind: 'purchase', id: index + 1 }));
    expect(new Set(codes).size).toBe(codes.length);
    expect(codec.encode({ kind: 'pending', id: 7 })).not.toBe(codec.encode({ kind: 'purchase', id: 7 }));
    // Consecutive purchases do not share their leading characters as a counter would.
    const sharedPrefix = codes.slice(1).filter((code, index) => code.slice(0, 3) === codes[index]!.slice(0, 3)).length;
    expect(sharedPrefix).toBeLessThan(20);
    expect([...codes].sort()).not.toEqual(codes);
  });

  it('depends on the install secret', () => {
    const other = optInCodec('another install');
    const differing = Array.from({ length: 100 }, (_, index) => index + 1).filter(
      (id) => other.encode({ kind: 'purchase', id }) !== codec.encode({ kind: 'purchase', id }),
    );
    expect(differing.length).toBeGreaterThan(95);
  });

  it('refuses what is not a code', () => {
    expect(codec.decode('K7P2')).toBeNull();
    expect(codec.decode('K7P2QX')).toBeNull();
    // 0, 1, I and O are not in the alphabet: nobody has to tell them apart on a printed card.
    expect(codec.decode('K7P0Q')).toBeNull();
    expect(codec.decode('KIPOQ')).toBeNull();
  });

  it('finds the code in what a customer sends from the link, and in what they type around it', () => {
    expect(findOptInCodes('Oi! Quero acompanhar meu pedido #K7P2Q')).toEqual(['K7P2Q']);
    expect(findOptInCodes('Oi! Quero acompanhar meu pedido #K7P2Q 😊')).toEqual(['K7P2Q']);
    expect(findOptInCodes('boa tarde! comprei ontem na loja, o pedido é #k7p2q, quando chega?')).toEqual(['K7P2Q']);
    expect(findOptInCodes('meu pedido # K7P2Q')).toEqual(['K7P2Q']);
    expect(findOptInCodes('#K7P2Q.')).toEqual(['K7P2Q']);
    expect(findOptInCodes('Oi! Quero acompanhar meu pedido')).toEqual([]);
    expect(findOptInCodes('pedido K7P2Q sem cerquilha')).toEqual([]);
    expect(findOptInCodes('#promocao #K7P2QX #ab1')).toEqual([]);
  });

  it('builds the wa.me link with the prefilled text encoded', () => {
    expect(clickToChatLink('+55 11 90000-0000', 'Oi! Quero acompanhar meu pedido #K7P2Q')).toBe(
      'https://wa.me/5511900000000?text=Oi!%20Quero%20acompanhar%20meu%20pedido%20%23K7P2Q',
    );
    expect(clickToChatLink(null, 'Oi')).toBeNull();
  });
});
