import type { OrderAdapter } from './order-intake.js';
import type { SignatureEncoding } from './signature.js';

/** A store platform whose webhook carries the whole order: its route, its signature, its mapping. */
export interface Connector {
  platform: OrderAdapter['platform'];
  /** The platform's name as sellers write it. */
  label: string;
  path: string;
  /** null: not configured; the route answers 404 saying which variable turns it on. */
  secret: string | null;
  secretVariable: string;
  /** Lower case, as Node gives headers. */
  signatureHeader: string;
  encoding: SignatureEncoding;
  topicHeader: string;
  /** A platform's check that the URL answers (not signed, not an order): 200, nothing stored. */
  isPing?: (raw: Buffer) => boolean;
  adapter: OrderAdapter;
}
