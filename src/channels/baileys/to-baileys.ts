import { normalizeMessageContent, type AnyMessageContent, type WAMessage } from '@whiskeysockets/baileys';
import type { OutboundContent } from '../channel.js';
import type { PollCreation } from './from-baileys.js';

/** WhatsApp clients refuse to show polls outside these bounds. */
const MIN_POLL_OPTIONS = 2;
const MAX_POLL_OPTIONS = 12;

/**
 * The sendMessage content for what fregues wants to send. Throws on a poll
 * WhatsApp would reject: that is a bug in the flow that built it, not
 * something to retry.
 */
export function toBaileysContent(content: OutboundContent): AnyMessageContent {
  switch (content.kind) {
    case 'text':
      return { text: content.text };
    case 'image':
      return {
        image: content.image,
        ...(content.caption !== undefined && { caption: content.caption }),
        ...(content.mimetype !== undefined && { mimetype: content.mimetype }),
      };
    case 'poll': {
      assertValidPoll(content);
      return { poll: { name: content.question, values: [...content.options], selectableCount: content.selectableCount ?? 1 } };
    }
  }
}

/**
 * What to store of a poll the bot just sent (the message sendMessage
 * returned) to decrypt votes on it later; null when the message is not a
 * poll or carries no secret.
 */
export function pollCreationOf(sent: WAMessage, creatorJids: string[]): PollCreation | null {
  const content = normalizeMessageContent(sent.message);
  // Baileys sends single-choice polls as V3 and multiple-choice as V1; V2 is for announcement groups.
  const poll =
    content?.pollCreationMessageV3 ??
    content?.pollCreationMessage ??
    content?.pollCreationMessageV2 ??
    content?.pollCreationMessageV5;
  if (!poll) return null;
  const secret = sent.message?.messageContextInfo?.messageSecret ?? content?.messageContextInfo?.messageSecret;
  if (!secret || secret.length === 0) return null;
  const options = (poll.options ?? []).map((option) => option.optionName ?? '');
  return { options, secret: Uint8Array.from(secret), creatorJids: [...creatorJids] };
}

function assertValidPoll(poll: Extract<OutboundContent, { kind: 'poll' }>): void {
  const count = poll.options.length;
  if (count < MIN_POLL_OPTIONS || count > MAX_POLL_OPTIONS) {
    throw new Error(
      `A WhatsApp poll needs ${MIN_POLL_OPTIONS} to ${MAX_POLL_OPTIONS} options; "${poll.question}" has ${count}.`,
    );
  }
  const seen = new Set<string>();
  for (const option of poll.options) {
    // Votes name options by the hash of their text: two equal options could not be told apart.
    if (seen.has(option)) throw new Error(`Poll "${poll.question}" lists the option "${option}" twice.`);
    seen.add(option);
  }
  const selectable = poll.selectableCount;
  if (selectable !== undefined && (!Number.isInteger(selectable) || selectable < 0 || selectable > count)) {
    throw new Error(
      `Poll "${poll.question}" allows ${selectable} choices; use 0 (any number) to ${count}.`,
    );
  }
}
