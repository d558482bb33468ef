/**
 * A customer wrote first with a purchase's click-to-chat code ("Oi! Quero
 * acompanhar meu pedido #K7P2Q"): the conversation is theirs to start, which
 * is what keeps the shop's number within WhatsApp's limits (issue 18). The
 * message is their consent to hear about the purchase, the purchase becomes
 * theirs (the order may have carried a relative's phone, or none), and the
 * flow that waits for them goes on now.
 */
import type { Customer } from '../domain/customer.js';
import type { OptInCodec } from '../domain/opt-in-code.js';
import { resolveOptIn, type OptInTarget } from '../intake/opt-in.js';
import { recordPurchase } from '../intake/record-purchase.js';
import type { FlowRunner } from '../scheduler/flow-runner.js';
import type { Repositories } from '../storage/repositories/index.js';

/** The consent source of a customer who wrote with a code. */
export const CLICK_TO_CHAT_SOURCE = 'click-to-chat';

export type ClickToChat =
  /** A code of this shop's: the purchase is the writer's, consent kept, the waiting flow woken. */
  | { accepted: true; purchaseId: number; runsWoken: number }
  /** Shaped like a code, but no purchase of the last 90 days has it (mistyped, too old, another shop's). */
  | { accepted: false; code: string };

export interface ClickToChatContext {
  repos: Repositories;
  runner: FlowRunner;
  codec: OptInCodec;
}

/**
 * What a message's code does, inside the transaction that stores the message;
 * null when the text names no code.
 */
export function acceptClickToChat(ctx: ClickToChatContext, customer: Customer, text: string, at: number): ClickToChat | null {
  const found = resolveOptIn(ctx.repos, ctx.codec, text, at);
  if (!found) return null;
  if (!found.target || customer.phone === null) return { accepted: false, code: found.code };
  const purchaseId = takePurchase(ctx, { id: customer.id, phone: customer.phone }, found.target, at);
  ctx.repos.customers.grantMessages(customer.id, { source: CLICK_TO_CHAT_SOURCE, text: text.slice(0, 1000) }, at);
  return { accepted: true, purchaseId, runsWoken: ctx.runner.contactArrived(customer.id, purchaseId) };
}

/** Makes the code's purchase the writer's: a pending one is recorded for them now (flows enrolled), another's moves. */
function takePurchase(ctx: ClickToChatContext, writer: { id: number; phone: string }, target: OptInTarget, at: number): number {
  const { repos, runner } = ctx;
  if (target.kind === 'purchase') {
    repos.purchases.moveTo(target.purchase.id, writer, at);
    return target.purchase.id;
  }
  const { pending } = target;
  const input = { ...pending.input, customer: { ...pending.input.customer, phone: writer.phone } };
  const result = recordPurchase(repos, input, at, (customer, purchase) => runner.enrollForPurchase(customer, purchase));
  // The same order number came meanwhile with a phone: that purchase is the one, and it is the writer's.
  if (result.outcome === 'duplicate') repos.purchases.moveTo(result.purchase.id, writer, at);
  repos.pendingPurchases.claim(pending.id, result.purchase.id, at);
  return result.purchase.id;
}
