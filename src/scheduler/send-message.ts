import { newMessageId, type Channel, type OutboundContent } from '../channels/channel.js';
import type { Message } from '../domain/customer.js';
import type { Repositories } from '../storage/repositories/index.js';
import type { Clock } from './clock.js';

export interface SendDeps {
  channel: Channel;
  repos: Repositories;
  clock: Clock;
}

/**
 * Sends one message and keeps it in the customer's record: the row is written
 * as 'sending' with its pre-assigned WhatsApp id before the channel is called,
 * so that a crash in between leaves evidence to reconcile, never a silent gap.
 * A send whose outcome is unknown is marked 'unknown', never retried here.
 */
export async function sendMessage(
  deps: SendDeps,
  to: { customerId: number; phone: string },
  content: OutboundContent,
  messageId: string = newMessageId(),
): Promise<Message> {
  const { repos, clock, channel } = deps;
  repos.messages.record(
    {
      customerId: to.customerId,
      direction: 'out',
      waId: messageId,
      kind: content.kind,
      text: describeOutbound(content),
      payload: payloadOf(content),
      status: 'sending',
    },
    clock.now(),
  );

  const result = await channel.send(to.phone, content, { messageId });
  const change = result.ok
    ? ({ status: 'sent', at: result.sentAt, keep: result.keep } as const)
    : ({ status: result.reason === 'failed' ? 'unknown' : 'failed', at: clock.now(), error: `${result.reason}: ${result.detail}` } as const);
  const message = repos.messages.changeStatus(messageId, change);
  if (!message) throw new Error(`message ${messageId} vanished while being sent`);
  return message;
}

function describeOutbound(content: OutboundContent): string | null {
  switch (content.kind) {
    case 'text':
      return content.text;
    case 'image':
      return content.caption ?? null;
    case 'poll':
      return content.question;
  }
}

function payloadOf(content: OutboundContent): Record<string, unknown> | null {
  switch (content.kind) {
    case 'text':
      return null;
    case 'image':
      return { mimetype: content.mimetype ?? null, bytes: content.image.length };
    case 'poll':
      return { options: content.options, selectableCount: content.selectableCount ?? 1 };
  }
}
