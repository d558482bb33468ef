import { createHash } from 'node:crypto';

/**
 * The short code of a click-to-chat link ("Oi! Quero acompanhar meu pedido
 * #K7P2Q"): it ties the customer's first message to a purchase, or to a
 * purchase that came without a phone (a pending one). It is derived from the
 * id, never stored: the intake writes nothing more for it (its speed is
 * measured, docs/performance.md).
 *
 * 25 bits in five characters of an alphabet without 0/O, 1/I: the lowest bit
 * says pending or not, the other 24 are the id modulo 2^24. A keyed
 * permutation (a small Feistel network over 26 bits, walked back into the 25
 * when it leaves them) hides the order, so that a code does not give away its
 * neighbours; the key is a per-install secret. It is no cipher to stand up to
 * analysis, and needs not be: a code is accepted only for a purchase of the
 * last 90 days, and all it does is tie a message to that purchase.
 */

export const OPT_IN_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const OPT_IN_CODE_LENGTH = 5;
/** Ids are told apart modulo this: a shop reaches it after 16 million purchases (see resolving in intake/opt-in.ts). */
export const OPT_IN_ID_SPACE = 2 ** 24;

/** What a code stands for; `id` of a decoded code is the id modulo OPT_IN_ID_SPACE. */
export interface OptInRef {
  kind: 'purchase' | 'pending';
  id: number;
}

export interface OptInCodec {
  encode(ref: OptInRef): string;
  /** The reference a well-formed code stands for (whatever its case), or null. */
  decode(code: string): OptInRef | null;
}

const DOMAIN = 2 ** 25;
const HALF_BITS = 13;
const HALF_MASK = (1 << HALF_BITS) - 1;
const ROUNDS = 6;
const INDEX = new Map([...OPT_IN_ALPHABET].map((char, index) => [char, index]));

/** The codec for an install's secret (any text; a random one is kept in scheduler_state). */
export function optInCodec(secret: string): OptInCodec {
  const digest = createHash('sha256').update(`fregues-opt-in:${secret}`).digest();
  const keys = Array.from({ length: ROUNDS }, (_, round) => digest.readUInt32BE(round * 4));

  const feistel = (value: number, forward: boolean): number => {
    let left = value >>> HALF_BITS;
    let right = value & HALF_MASK;
    for (let step = 0; step < ROUNDS; step++) {
      if (forward) {
        const next = left ^ mix(right, keys[step]!);
        left = right;
        right = next;
      } else {
        const previous = right ^ mix(left, keys[ROUNDS - 1 - step]!);
        right = left;
        left = previous;
      }
    }
    return left * (1 << HALF_BITS) + right;
  };
  // Cycle walking: a permutation of the 26-bit values, applied again until it lands in the 25.
  const permute = (value: number, forward: boolean): number => {
    let next = feistel(value, forward);
    while (next >= DOMAIN) next = feistel(next, forward);
    return next;
  };

  return {
    encode: ({ kind, id }) => {
      let value = permute((id % OPT_IN_ID_SPACE) * 2 + (kind === 'pending' ? 1 : 0), true);
      let code = '';
      for (let place = 0; place < OPT_IN_CODE_LENGTH; place++) {
        code = OPT_IN_ALPHABET[value & 31]! + code;
        value >>>= 5;
      }
      return code;
    },
    decode: (code) => {
      if (code.length !== OPT_IN_CODE_LENGTH) return null;
      let value = 0;
      for (const char of code.toUpperCase()) {
        const digit = INDEX.get(char);
        if (digit === undefined) return null;
        value = value * 32 + digit;
      }
      const plain = permute(value, false);
      return { kind: plain % 2 === 1 ? 'pending' : 'purchase', id: Math.floor(plain / 2) };
    },
  };
}

/** A keyed 13-bit round function: murmur3's finalizer over the half and the round key. */
function mix(half: number, key: number): number {
  let h = (half ^ key) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & HALF_MASK;
}

const CODE_IN_TEXT = new RegExp(`#\\s?([${OPT_IN_ALPHABET}]{${OPT_IN_CODE_LENGTH}})(?![0-9A-Z])`, 'gi');

/**
 * The codes a message names, upper-cased, in order: "#K7P2Q" anywhere in it,
 * in any case, with or without a space after the "#" (phones' keyboards add
 * one), but not part of a longer word ("#K7P2QX" is no code).
 */
export function findOptInCodes(text: string): string[] {
  return [...text.matchAll(CODE_IN_TEXT)].map((match) => match[1]!.toUpperCase());
}
