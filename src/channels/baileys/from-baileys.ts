import { createHash } from 'node:crypto';
import {
  areJidsSameUser,
  decryptPollVote,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  isLidUser,
  isPnUser,
  jidNormalizedUser,
  normalizeMessageContent,
  proto,
  toNumber,
  WAMessageStatus,
  WAMessageStubType,
  type WAMessage,
  type WAMessageContent,
  type WAMessageKey,
  type WAMessageUpdate,
} from '@whiskeysockets/baileys';
import type { InboundContent, InboundMessage, OwnerMessage, Receipt, ReceiptStatus, SharedContact } from '../channel.js';

/** What the bot must remember of a poll it sent to read the votes on it. */
export interface PollCreation {
  /** The option names, in the order they were sent. */
  options: string[];
  /** messageContextInfo.messageSecret of the poll message. */
  secret: Uint8Array;
  /** The bot's own JIDs (PN and LID forms): voters' clients encrypt with whichever form they know. */
  creatorJids: string[];
}

/** What the translator needs from the adapter; everything stateful lives there. */
export interface TranslateContext {
  /** The linked account's own user JIDs, normalized, without device part. */
  me: { pn: string | null; lid: string | null };
  /** Resolves a chat JID (phone JID or LID) plus the key's remoteJidAlt to an E.164 phone, or null. */
  phoneOf(jid: string, altJid: string | null): string | null;
  /** True for ids the bot itself sent, so that their fromMe echoes are skipped. */
  sentByBot(messageId: string): boolean;
  /** The poll the bot sent with this id, for decrypting votes. */
  pollCreation(messageId: string): PollCreation | undefined;
}

export type SkipReason =
  | 'group'
  | 'status'
  | 'broadcast'
  | 'newsletter'
  /** Neither a phone JID nor a LID (bots, calls, unknown servers). */
  | 'other_chat'
  /** The shop's own "message yourself" chat: notes, not a customer. */
  | 'self_chat'
  /** CIPHERTEXT stub: decryption failed and Baileys asked for a retry, the real message comes later. */
  | 'undecryptable'
  /** fromMe and sent by the bot: the echo of our own send. */
  | 'own_echo'
  /** Stubs, protocol messages that are neither edit nor delete, empty messages. */
  | 'no_content'
  /** A vote on a poll we did not send, or one we cannot decrypt. */
  | 'unknown_poll'
  /** No remoteJid or no id: nothing to attribute the message to. */
  | 'no_key';

export type Translated =
  | { kind: 'inbound'; message: InboundMessage }
  | { kind: 'owner'; message: OwnerMessage }
  | { kind: 'skip'; reason: SkipReason };

type ContentOutcome = { content: InboundContent } | { skip: SkipReason };

/**
 * Translates one message of `messages.upsert` (1:1 chats only). Edits,
 * deletes, reactions and poll votes come through upsert too (as protocol,
 * reaction and poll update messages), so the adapter does not need
 * `messages.reaction` or the edit/delete items of `messages.update`; feeding
 * both would report them twice.
 */
export function translateMessage(msg: WAMessage, ctx: TranslateContext): Translated {
  const { key } = msg;
  const jid = key.remoteJid;
  const id = key.id;
  if (!jid || !id) return skip('no_key');

  const chatSkip = skipForChat(jid, ctx);
  if (chatSkip) return skip(chatSkip);

  if (key.fromMe && ctx.sentByBot(id)) return skip('own_echo');
  if (msg.messageStubType === WAMessageStubType.CIPHERTEXT) return skip('undecryptable');

  const outcome = translateContent(msg, id, ctx);
  if ('skip' in outcome) return skip(outcome.skip);

  const alt = customerAltOf(key, ctx);
  const phone = ctx.phoneOf(jid, alt);
  const timestamp = timestampOf(msg);
  if (key.fromMe) {
    return { kind: 'owner', message: { id, phone, jid, timestamp, content: outcome.content } };
  }
  return {
    kind: 'inbound',
    message: {
      id,
      phone,
      jid,
      lid: lidOf(jid, alt),
      timestamp,
      pushName: nameOrNull(msg.pushName),
      content: outcome.content,
    },
  };
}

/**
 * Translates one item of `messages.update` into a receipt for a message we
 * sent in a 1:1 chat; null for everything else (edits, deletes, group
 * receipts, PENDING/SERVER_ACK, and READ marks for the customer's messages
 * that the owner read on the phone, which arrive with fromMe false).
 */
export function translateReceipt(update: WAMessageUpdate, now: number): Receipt | null {
  const { key } = update;
  const jid = key.remoteJid;
  if (!jid || !key.id) return null;
  if (isJidGroup(jid) || isJidBroadcast(jid) || isJidNewsletter(jid)) return null;
  if (key.fromMe === false) return null;

  const status = receiptStatusOf(update.update.status);
  if (!status) return null;
  return {
    messageId: key.id,
    status,
    at: now,
    errorCode: status === 'failed' ? errorCodeOf(update.update.messageStubParameters) : null,
  };
}

/**
 * Reads the name (FN) and numbers (TEL) of a vCard. An FN that is no name
 * (a number, as in the card of a contact saved without a name) gives
 * null, through nameOrNull. A TEL with `waid=` gives
 * the WhatsApp id as "+<digits>" (that is the account, whatever the display
 * text says); other TEL values are kept as written, for the phone parser.
 */
export function parseVCard(vcard: string): SharedContact {
  let name: string | null = null;
  const phones: string[] = [];
  // Folded lines continue with a space or tab after the line break (RFC 6350 3.2).
  const lines = vcard.replace(/\r?\n[ \t]/g, '').split(/\r?\n|\r/);
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const [rawProperty = '', ...params] = line.slice(0, colon).split(';');
    const property = rawProperty.replace(/^[^.]*\./, '').trim().toUpperCase();
    const value = line.slice(colon + 1).trim();
    if (property === 'FN' && name === null) {
      name = nameOrNull(unescapeVCardText(value));
    } else if (property === 'TEL') {
      const phone = phoneOfTel(params, value);
      if (phone && !phones.includes(phone)) phones.push(phone);
    }
  }
  return { name, phones };
}

/**
 * The text as a person's name, trimmed, or null when it is no name: empty,
 * or without a single letter or emoji, such as a phone number
 * ("+55 31 99966-8527", "5531999668527", "~ 99966-8527") or punctuation (".").
 * The card of a contact saved without a name carries its formatted number
 * as FN and displayName, and some people set their number as their push name.
 * Letters with digits ("Ana 2", "Loja 10") stay names; so does an emoji-only
 * name ("🌸"): it is what the person chose to be called and what the owner
 * sees on the phone, and whether to greet someone by it is for whoever
 * writes the greeting to decide, not for the translator.
 */
export function nameOrNull(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  return /[\p{L}\p{Extended_Pictographic}]/u.test(trimmed) ? trimmed : null;
}

function skip(reason: SkipReason): Translated {
  return { kind: 'skip', reason };
}

function skipForChat(jid: string, ctx: TranslateContext): SkipReason | null {
  if (isJidGroup(jid)) return 'group';
  if (isJidStatusBroadcast(jid)) return 'status';
  if (isJidBroadcast(jid)) return 'broadcast';
  if (isJidNewsletter(jid)) return 'newsletter';
  if (!isPnUser(jid) && !isLidUser(jid)) return 'other_chat';
  if (isOwnJid(jid, ctx)) return 'self_chat';
  return null;
}

function isOwnJid(jid: string, ctx: TranslateContext): boolean {
  return [ctx.me.pn, ctx.me.lid].some((own) => own !== null && areJidsSameUser(jid, own));
}

/**
 * The customer's other JID form. For the owner's own sends Baileys fills
 * remoteJidAlt from the peer_recipient attributes, but an alt naming the shop
 * itself would send phoneOf and the LID after the wrong person.
 */
function customerAltOf(key: WAMessageKey, ctx: TranslateContext): string | null {
  const alt = key.remoteJidAlt;
  if (!alt || isOwnJid(alt, ctx)) return null;
  return alt;
}

function lidOf(jid: string, alt: string | null): string | null {
  if (isLidUser(jid)) return jid;
  if (alt && isLidUser(alt)) return jidNormalizedUser(alt);
  return null;
}

function timestampOf(msg: WAMessage): number {
  const seconds = toNumber(msg.messageTimestamp);
  // Baileys stamps every received message from the stanza; only synthetic
  // messages lack it, and "now" is then the best estimate there is.
  return seconds > 0 ? seconds * 1000 : Date.now();
}

function translateContent(msg: WAMessage, id: string, ctx: TranslateContext): ContentOutcome {
  const content = unwrapContent(msg.message);
  if (!content) return { skip: 'no_content' };

  const protocol = content.protocolMessage;
  if (protocol) return translateProtocol(protocol);

  // messages.update delivers an edit as { editedMessage: { message: <new content> } }
  // under the edited message's own key; upsert wraps a protocolMessage instead (above).
  if (msg.message?.editedMessage?.message) {
    const text = textOf(content);
    return text === null ? { skip: 'no_content' } : { content: { kind: 'edit', targetMessageId: id, text } };
  }

  if (content.reactionMessage) {
    const reaction = content.reactionMessage;
    const targetMessageId = reaction.key?.id;
    if (!targetMessageId) return { skip: 'no_content' };
    return { content: { kind: 'reaction', targetMessageId, emoji: reaction.text ? reaction.text : null } };
  }

  if (content.pollUpdateMessage) return translatePollUpdate(content.pollUpdateMessage, msg.key, ctx);

  if (typeof content.conversation === 'string' && content.conversation !== '') {
    return { content: { kind: 'text', text: content.conversation } };
  }
  if (content.extendedTextMessage) {
    return { content: { kind: 'text', text: content.extendedTextMessage.text ?? '' } };
  }

  const reply = replyTextOf(content);
  if (reply !== null) return { content: { kind: 'text', text: reply } };

  const media = mediaOf(content);
  if (media) return { content: media };

  if (content.contactMessage) {
    return { content: { kind: 'contacts', contacts: [contactOf(content.contactMessage)] } };
  }
  if (content.contactsArrayMessage) {
    const contacts = (content.contactsArrayMessage.contacts ?? []).map(contactOf);
    return { content: { kind: 'contacts', contacts } };
  }

  const type = contentTypeOf(content);
  return type === null ? { skip: 'no_content' } : { content: { kind: 'other', type } };
}

function translateProtocol(protocol: proto.Message.IProtocolMessage): ContentOutcome {
  const targetMessageId = protocol.key?.id;
  if (!targetMessageId) return { skip: 'no_content' };
  if (protocol.type === proto.Message.ProtocolMessage.Type.REVOKE) {
    return { content: { kind: 'delete', targetMessageId } };
  }
  if (protocol.type === proto.Message.ProtocolMessage.Type.MESSAGE_EDIT) {
    // Only text and captions can be edited; anything else is not an edit we can show.
    const text = textOf(unwrapContent(protocol.editedMessage));
    return text === null ? { skip: 'no_content' } : { content: { kind: 'edit', targetMessageId, text } };
  }
  return { skip: 'no_content' };
}

function textOf(content: WAMessageContent | undefined): string | null {
  if (!content) return null;
  return (
    content.conversation ??
    content.extendedTextMessage?.text ??
    content.imageMessage?.caption ??
    content.videoMessage?.caption ??
    content.documentMessage?.caption ??
    replyTextOf(content)
  );
}

/**
 * Wrappers around the real content that normalizeMessageContent (rc14) leaves
 * on: a message that invokes Meta AI in the chat (botInvokeMessage) and an
 * animated sticker (lottieStickerMessage, a stickerMessage inside). whatsmeow's
 * UnwrapRaw removes both. Group-only wrappers (groupMentionedMessage,
 * groupStatusMentionMessage) never reach here: groups are skipped first.
 */
const EXTRA_WRAPPERS = ['botInvokeMessage', 'lottieStickerMessage'] as const;

/** normalizeMessageContent, plus the wrappers it does not know, in any nesting. */
function unwrapContent(message: WAMessageContent | null | undefined): WAMessageContent | undefined {
  let content = normalizeMessageContent(message);
  // Bounded like Baileys' own loop: junk may nest without end.
  for (let depth = 0; depth < 5 && content; depth++) {
    const inner = innerOfExtraWrapper(content);
    if (!inner) break;
    content = normalizeMessageContent(inner);
  }
  return content;
}

function innerOfExtraWrapper(content: WAMessageContent): WAMessageContent | null {
  for (const field of EXTRA_WRAPPERS) {
    const wrapper: unknown = content[field];
    if (typeof wrapper !== 'object' || wrapper === null || !('message' in wrapper)) continue;
    const inner: unknown = wrapper.message;
    if (typeof inner === 'object' && inner !== null) return inner;
  }
  return null;
}

/**
 * The text of a tap on a button, list row or quick reply: what the person
 * saw and tapped (the display text, the row's title), which is also what
 * their phone shows as the message they sent. The id the sender gave the
 * option comes only when the display text is missing: then it is all there
 * is of the choice. A row's description is left out: it is the sender's
 * explanation under the title (often a price), not the answer. Null for
 * anything that is not such a reply, and for WhatsApp Flows form submissions
 * and other native flows, whose body is a label WhatsApp writes ("Sent"),
 * not the person's words.
 */
function replyTextOf(content: WAMessageContent): string | null {
  const buttons = content.buttonsResponseMessage;
  if (buttons) return firstText(buttons.selectedDisplayText, buttons.selectedButtonId);
  const template = content.templateButtonReplyMessage;
  if (template) return firstText(template.selectedDisplayText, template.selectedId);
  const list = content.listResponseMessage;
  if (list) return firstText(list.title, list.singleSelectReply?.selectedRowId);
  const interactive = content.interactiveResponseMessage;
  if (interactive) return interactiveReplyTextOf(interactive);
  return null;
}

/** Native flow buttons whose response is a choice among options the sender wrote. */
const CHOICE_FLOWS = new Set(['quick_reply', 'single_select']);

function interactiveReplyTextOf(reply: proto.Message.IInteractiveResponseMessage): string | null {
  const flow = reply.nativeFlowResponseMessage;
  const params = paramsOf(flow?.paramsJson);
  const name = typeof flow?.name === 'string' ? flow.name : '';
  if ((name !== '' && !CHOICE_FLOWS.has(name)) || (params && 'flow_token' in params)) return null;
  return firstText(reply.body?.text, params?.display_text, params?.title, params?.id, params?.selected_row_id);
}

function paramsOf(json: unknown): Record<string, unknown> | null {
  if (typeof json !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The first candidate that is a string with something besides spaces, as it is. */
function firstText(...candidates: unknown[]): string | null {
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate;
  }
  return null;
}

type MediaContent = Extract<InboundContent, { kind: 'media' }>;

function mediaOf(content: WAMessageContent): MediaContent | null {
  const media = (
    mediaType: MediaContent['mediaType'],
    fields: { caption?: string | null; mimetype?: string | null },
  ): MediaContent => ({
    kind: 'media',
    mediaType,
    caption: fields.caption ? fields.caption : null,
    mimetype: fields.mimetype ? fields.mimetype : null,
  });
  if (content.imageMessage) return media('image', content.imageMessage);
  if (content.videoMessage) return media('video', content.videoMessage);
  // Round "video notes" are videos to a person reading the record.
  if (content.ptvMessage) return media('video', content.ptvMessage);
  if (content.audioMessage) return media('audio', content.audioMessage);
  if (content.documentMessage) return media('document', content.documentMessage);
  if (content.stickerMessage) return media('sticker', content.stickerMessage);
  return null;
}

function contactOf(contact: proto.Message.IContactMessage): SharedContact {
  const parsed = parseVCard(contact.vcard ?? '');
  return { name: parsed.name ?? nameOrNull(contact.displayName), phones: parsed.phones };
}

/** The content's field name ("locationMessage"), as Baileys' getContentType picks it, ignoring empty fields. */
function contentTypeOf(content: WAMessageContent): string | null {
  for (const [field, value] of Object.entries(content)) {
    if (value === null || value === undefined || value === '') continue;
    if (field === 'senderKeyDistributionMessage') continue;
    if (field === 'conversation' || field.includes('Message')) return field;
  }
  return null;
}

function translatePollUpdate(
  update: proto.Message.IPollUpdateMessage,
  key: WAMessageKey,
  ctx: TranslateContext,
): ContentOutcome {
  const pollMessageId = update.pollCreationMessageKey?.id;
  const vote = update.vote;
  if (!pollMessageId || !vote?.encPayload || !vote.encIv) return { skip: 'unknown_poll' };
  const poll = ctx.pollCreation(pollMessageId);
  if (!poll) return { skip: 'unknown_poll' };

  const creators = distinctJids([...poll.creatorJids, ctx.me.pn, ctx.me.lid]);
  const voters = distinctJids(voterJidsOf(key, ctx));
  for (const pollCreatorJid of creators) {
    for (const voterJid of voters) {
      const hashes = tryDecryptVote(vote, { pollCreatorJid, voterJid, pollMsgId: pollMessageId, pollEncKey: poll.secret });
      if (!hashes) continue;
      const selectedOptions = optionNamesOf(hashes, poll.options);
      // Authenticated but naming options we do not have: our record of the poll is wrong.
      if (!selectedOptions) return { skip: 'unknown_poll' };
      return { content: { kind: 'poll_vote', pollMessageId, selectedOptions } };
    }
  }
  return { skip: 'unknown_poll' };
}

/**
 * The forms the voter's client may have encrypted with: its PN or its LID,
 * whichever it used to address the chat, which is not always the form the
 * message reached us under.
 */
function voterJidsOf(key: WAMessageKey, ctx: TranslateContext): (string | null | undefined)[] {
  if (key.fromMe) return [ctx.me.pn, ctx.me.lid];
  if (key.participant) return [key.participant, key.participantAlt];
  const jid = key.remoteJid ?? '';
  const alt = key.remoteJidAlt ?? null;
  const phone = jid ? ctx.phoneOf(jid, alt) : null;
  const phoneJid = phone ? `${phone.replace(/\D/g, '')}@s.whatsapp.net` : null;
  return [jid, alt, phoneJid];
}

function distinctJids(jids: (string | null | undefined)[]): string[] {
  const result: string[] = [];
  for (const jid of jids) {
    if (!jid) continue;
    const normalized = jidNormalizedUser(jid);
    if (normalized && !result.includes(normalized)) result.push(normalized);
  }
  return result;
}

function tryDecryptVote(vote: proto.Message.IPollEncValue, ctx: Parameters<typeof decryptPollVote>[1]): Uint8Array[] | null {
  try {
    return decryptPollVote(vote, ctx).selectedOptions;
  } catch {
    // AES-GCM authentication fails for every wrong key/JID combination; that is the expected miss.
    return null;
  }
}

/**
 * Votes carry SHA-256 hashes of option names (getAggregateVotesInPollMessage
 * keys them the same way). Compared as bytes: Baileys' own map keys them by
 * the hash decoded as UTF-8, which is lossy.
 */
function optionNamesOf(hashes: Uint8Array[], options: string[]): string[] | null {
  const hashed = options.map((name) => ({ name, hash: createHash('sha256').update(name).digest() }));
  const names: string[] = [];
  for (const hash of hashes) {
    const match = hashed.find((option) => option.hash.equals(hash));
    if (!match) return null;
    if (!names.includes(match.name)) names.push(match.name);
  }
  return names;
}

/** PENDING and SERVER_ACK are left out: the send result already says the message left. */
const RECEIPT_STATUSES: ReadonlyMap<proto.WebMessageInfo.Status, ReceiptStatus> = new Map([
  [WAMessageStatus.DELIVERY_ACK, 'delivered'],
  [WAMessageStatus.READ, 'read'],
  [WAMessageStatus.PLAYED, 'played'],
  [WAMessageStatus.ERROR, 'failed'],
]);

function receiptStatusOf(status: proto.WebMessageInfo.Status | null | undefined): ReceiptStatus | null {
  // ERROR is 0: compare with null, not truthiness.
  if (status === null || status === undefined) return null;
  return RECEIPT_STATUSES.get(status) ?? null;
}

function errorCodeOf(parameters: unknown): number | null {
  if (!Array.isArray(parameters)) return null;
  const first: unknown = parameters[0];
  const text = typeof first === 'number' ? String(first) : first;
  if (typeof text !== 'string' || !/^\d+$/.test(text.trim())) return null;
  return Number(text.trim());
}

function phoneOfTel(params: string[], value: string): string | null {
  for (const param of params) {
    const match = /^waid=(\d+)$/i.exec(param.trim());
    if (match) return `+${match[1]}`;
  }
  const written = value.replace(/^tel:/i, '').trim();
  return written === '' ? null : written;
}

function unescapeVCardText(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_escape, char: string) => (char === 'n' || char === 'N' ? '\n' : char));
}
