import { createHmac, timingSafeEqual } from 'node:crypto';

/** How a platform writes its HMAC-SHA256: Shopify and WooCommerce in base64, Nuvemshop in hex. */
export type SignatureEncoding = 'hex' | 'base64';

/**
 * True when `given` is the HMAC-SHA256 of the raw body with `secret`, compared in constant time
 * (a byte-by-byte comparison that stops early tells an attacker how much of a guess was right).
 * The body must be the bytes as received: a body parsed and serialized again is not what the
 * platform signed.
 */
export function hasValidSignature(raw: Buffer, secret: string, given: string | string[] | undefined, encoding: SignatureEncoding): boolean {
  if (typeof given !== 'string') return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  const received = decodeSignature(given.trim(), encoding);
  // Lengths are not secret (a SHA-256 is 32 bytes), but timingSafeEqual needs them equal.
  return received !== undefined && received.length === expected.length && timingSafeEqual(received, expected);
}

/** The platform's signature of a body: what tests, benches and the fuzz suite send. */
export function signBody(raw: Buffer | string, secret: string, encoding: SignatureEncoding): string {
  return createHmac('sha256', secret).update(raw).digest(encoding);
}

function decodeSignature(text: string, encoding: SignatureEncoding): Buffer | undefined {
  if (encoding === 'hex') return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : undefined;
  // Buffer.from ignores what is not base64: a signature with junk in it is refused, not trimmed.
  return /^[A-Za-z0-9+/]{43}=$/.test(text) ? Buffer.from(text, 'base64') : undefined;
}
