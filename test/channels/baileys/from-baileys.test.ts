import { encryptPollVote } from '../../helpers/poll-vote.js';
import {
  generateWAMessage,
  proto,
  WAMessageStatus,
  WAMessageStubType,
  type WAMessage,
  type WAMessageContent,
  type WAMessageKey,
  type WAMessageUpdate,
} from '@whiskeysockets/baileys';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InboundContent } from '../../../src/channels/channel.js';
import {
  parseVCard,
  translateMessage,
  translateReceipt,
  type PollCreation,
  type TranslateContext,
  type Translated,
} from '../../../src/channels/baileys/from-baileys.js';
import { pollCreationOf, toBaileysContent } from '../../../src/channels/baileys/to-baileys.js';

const ME_PN = '5511900000000@s.whatsapp.net';
const ME_LID = '99887766554433@lid';
const CUSTOMER_PN = '5511912345678@s.whatsapp.net';
const CUSTOMER_LID = '123456789012345@lid';
const CUSTOMER_PHONE = '+5511912345678';
const MESSAGE_ID = '3A5F0C1B2D3E4F5A6B7C';
const SECONDS = 1_750_000_000;

/** The adapter's LID table, as far as these tests need one. */
const KNOWN_LIDS: Record<string, string> = { [CUSTOMER_LID]: CUSTOMER_PHONE };

function phoneOfJid(jid: string): string | null {
  if (jid.endsWith('@s.whatsapp.net')) return `+${jid.split('@')[0]}`;
  return KNOWN_LIDS[jid] ?? null;
}

function makeContext(overrides: Partial<TranslateContext> = {}): TranslateContext {
  return {
    me: { pn: ME_PN, lid: ME_LID },
    phoneOf: (jid, alt) => phoneOfJid(jid) ?? (alt ? phoneOfJid(alt) : null),
    sentByBot: () => false,
    pollCreation: () => undefined,
    ...overrides,
  };
}

/** A 1:1 message as messages.upsert delivers it after Baileys' cleanMessage. */
function incoming(message: WAMessageContent | null | undefined, key: Partial<WAMessageKey> = {}, extra: Partial<WAMessage> = {}): WAMessage {
  return {
    key: {
      remoteJid: CUSTOMER_PN,
      remoteJidAlt: CUSTOMER_LID,
      fromMe: false,
      id: MESSAGE_ID,
      participant: undefined,
      addressingMode: 'pn',
      ...key,
    },
    message,
    messageTimestamp: SECONDS,
    pushName: 'Maria Souza',
    broadcast: false,
    ...extra,
  };
}

/** Device metadata rides along on most real messages; it must not be mistaken for content. */
const deviceContext = { messageContextInfo: { deviceListMetadataVersion: 2, deviceListMetadata: { recipientKeyHash: Buffer.from('abc') } } };

function contentOf(translated: Translated): InboundContent {
  if (translated.kind === 'skip') throw new Error(`expected a message, got skip ${translated.reason}`);
  return translated.message.content;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('translateMessage: content', () => {
  const cases: { name: string; message: WAMessageContent; expected: InboundContent }[] = [
    {
      name: 'plain text (conversation)',
      message: { conversation: 'Oi, chegou certinho!', ...deviceContext },
      expected: { kind: 'text', text: 'Oi, chegou certinho!' },
    },
    {
      name: 'extended text with a quote and a link',
      message: {
        extendedTextMessage: {
          text: 'Vi aqui https://loja.example/p/1',
          matchedText: 'https://loja.example/p/1',
          contextInfo: { stanzaId: '3EB0AAAA', participant: ME_PN, quotedMessage: { conversation: 'Obrigada pela compra!' } },
        },
        ...deviceContext,
      },
      expected: { kind: 'text', text: 'Vi aqui https://loja.example/p/1' },
    },
    {
      name: 'image with caption',
      message: {
        imageMessage: {
          url: 'https://mmg.whatsapp.net/o1/v/t62.7118-24/abc',
          mimetype: 'image/jpeg',
          caption: 'Olha como ficou',
          fileLength: 48213,
          height: 1280,
          width: 960,
          mediaKey: Buffer.alloc(32, 1),
          directPath: '/o1/v/t62.7118-24/abc',
        },
      },
      expected: { kind: 'media', mediaType: 'image', caption: 'Olha como ficou', mimetype: 'image/jpeg' },
    },
    {
      name: 'video without caption',
      message: { videoMessage: { mimetype: 'video/mp4', seconds: 12 } },
      expected: { kind: 'media', mediaType: 'video', caption: null, mimetype: 'video/mp4' },
    },
    {
      name: 'voice note',
      message: { audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 7 } },
      expected: { kind: 'media', mediaType: 'audio', caption: null, mimetype: 'audio/ogg; codecs=opus' },
    },
    {
      name: 'document inside documentWithCaptionMessage',
      message: {
        documentWithCaptionMessage: {
          message: { documentMessage: { mimetype: 'application/pdf', fileName: 'nota.pdf', caption: 'Segue a nota' } },
        },
      },
      expected: { kind: 'media', mediaType: 'document', caption: 'Segue a nota', mimetype: 'application/pdf' },
    },
    {
      name: 'sticker',
      message: { stickerMessage: { mimetype: 'image/webp', isAnimated: false } },
      expected: { kind: 'media', mediaType: 'sticker', caption: null, mimetype: 'image/webp' },
    },
    {
      name: 'text in a disappearing-messages chat (ephemeralMessage)',
      message: {
        ephemeralMessage: { message: { extendedTextMessage: { text: 'Some em 7 dias', contextInfo: { expiration: 604_800 } } } },
      },
      expected: { kind: 'text', text: 'Some em 7 dias' },
    },
    {
      name: 'view-once image (viewOnceMessage)',
      message: { viewOnceMessage: { message: { imageMessage: { mimetype: 'image/jpeg', caption: 'só uma vez', viewOnce: true } } } },
      expected: { kind: 'media', mediaType: 'image', caption: 'só uma vez', mimetype: 'image/jpeg' },
    },
    {
      name: 'view-once video (viewOnceMessageV2)',
      message: { viewOnceMessageV2: { message: { videoMessage: { mimetype: 'video/mp4', viewOnce: true } } } },
      expected: { kind: 'media', mediaType: 'video', caption: null, mimetype: 'video/mp4' },
    },
    {
      name: 'view-once voice note (viewOnceMessageV2Extension)',
      message: { viewOnceMessageV2Extension: { message: { audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true, viewOnce: true } } } },
      expected: { kind: 'media', mediaType: 'audio', caption: null, mimetype: 'audio/ogg; codecs=opus' },
    },
    {
      name: 'view-once inside a disappearing chat (nested wrappers)',
      message: { ephemeralMessage: { message: { viewOnceMessageV2: { message: { imageMessage: { mimetype: 'image/png' } } } } } },
      expected: { kind: 'media', mediaType: 'image', caption: null, mimetype: 'image/png' },
    },
    {
      name: 'location, kept as other',
      message: { locationMessage: { degreesLatitude: -23.55, degreesLongitude: -46.63 }, ...deviceContext },
      expected: { kind: 'other', type: 'locationMessage' },
    },
    {
      name: 'reaction set',
      message: { reactionMessage: { key: { remoteJid: CUSTOMER_PN, fromMe: true, id: '3EB0BOT000000000000001' }, text: '❤️', senderTimestampMs: SECONDS * 1000 } },
      expected: { kind: 'reaction', targetMessageId: '3EB0BOT000000000000001', emoji: '❤️' },
    },
    {
      name: 'reaction removed (empty text)',
      message: { reactionMessage: { key: { remoteJid: CUSTOMER_PN, fromMe: true, id: '3EB0BOT000000000000001' }, text: '', senderTimestampMs: SECONDS * 1000 } },
      expected: { kind: 'reaction', targetMessageId: '3EB0BOT000000000000001', emoji: null },
    },
    {
      name: 'delete for everyone (protocolMessage REVOKE)',
      message: { protocolMessage: { key: { remoteJid: ME_PN, fromMe: true, id: '3A0000000000000000AA' }, type: proto.Message.ProtocolMessage.Type.REVOKE } },
      expected: { kind: 'delete', targetMessageId: '3A0000000000000000AA' },
    },
    {
      name: 'edit as received (editedMessage wrapping protocolMessage MESSAGE_EDIT)',
      message: {
        editedMessage: {
          message: {
            protocolMessage: {
              key: { remoteJid: ME_PN, fromMe: true, id: '3A0000000000000000AA' },
              type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
              editedMessage: { conversation: 'Quero o azul, não o verde' },
              timestampMs: SECONDS * 1000,
            },
          },
        },
      },
      expected: { kind: 'edit', targetMessageId: '3A0000000000000000AA', text: 'Quero o azul, não o verde' },
    },
    {
      name: 'edit without the wrapper, new text as extendedTextMessage',
      message: {
        protocolMessage: {
          key: { remoteJid: ME_PN, fromMe: true, id: '3A0000000000000000AB' },
          type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
          editedMessage: { extendedTextMessage: { text: 'corrigido' } },
        },
      },
      expected: { kind: 'edit', targetMessageId: '3A0000000000000000AB', text: 'corrigido' },
    },
    {
      name: 'edit of an image caption',
      message: {
        editedMessage: {
          message: {
            protocolMessage: {
              key: { remoteJid: ME_PN, fromMe: true, id: '3A0000000000000000AC' },
              type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
              editedMessage: { imageMessage: { caption: 'nova legenda' } },
            },
          },
        },
      },
      expected: { kind: 'edit', targetMessageId: '3A0000000000000000AC', text: 'nova legenda' },
    },
    {
      name: 'contact with waid',
      message: {
        contactMessage: {
          displayName: 'Ana',
          vcard: 'BEGIN:VCARD\nVERSION:3.0\nN:Silva;Ana;;;\nFN:Ana Silva\nitem1.TEL;waid=5511987654321:+55 11 98765-4321\nitem1.X-ABLabel:Celular\nEND:VCARD',
        },
      },
      expected: { kind: 'contacts', contacts: [{ name: 'Ana Silva', phones: ['+5511987654321'] }] },
    },
    {
      name: 'contact without waid and without FN (falls back to displayName)',
      message: { contactMessage: { displayName: 'Loja do Zé', vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;type=WORK:(11) 3333-4444\r\nEND:VCARD' } },
      expected: { kind: 'contacts', contacts: [{ name: 'Loja do Zé', phones: ['(11) 3333-4444'] }] },
    },
    {
      name: 'contactsArrayMessage',
      message: {
        contactsArrayMessage: {
          displayName: '2 contatos',
          contacts: [
            { displayName: 'Bia', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Bia\nTEL;type=CELL;type=VOICE;waid=5521999998888:+55 21 99999-8888\nEND:VCARD' },
            { displayName: 'Caio', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Caio Lima\nTEL;type=CELL:+55 31 98888-7777\nEND:VCARD' },
          ],
        },
      },
      expected: {
        kind: 'contacts',
        contacts: [
          { name: 'Bia', phones: ['+5521999998888'] },
          { name: 'Caio Lima', phones: ['+55 31 98888-7777'] },
        ],
      },
    },
  ];

  it.each(cases)('$name', ({ message, expected }) => {
    const translated = translateMessage(incoming(message), makeContext());
    expect(translated.kind).toBe('inbound');
    expect(contentOf(translated)).toEqual(expected);
  });

  it('reads an edit in the shape messages.update gives it, under the edited message key', () => {
    const message = incoming({ editedMessage: { message: { conversation: 'texto novo' } } }, { id: '3A0000000000000000AD' });
    expect(contentOf(translateMessage(message, makeContext()))).toEqual({
      kind: 'edit',
      targetMessageId: '3A0000000000000000AD',
      text: 'texto novo',
    });
  });

  it('fills the whole inbound message for a PN-addressed chat', () => {
    const translated = translateMessage(incoming({ conversation: 'Oi' }), makeContext());
    expect(translated).toEqual({
      kind: 'inbound',
      message: {
        id: MESSAGE_ID,
        phone: CUSTOMER_PHONE,
        jid: CUSTOMER_PN,
        lid: CUSTOMER_LID,
        timestamp: SECONDS * 1000,
        pushName: 'Maria Souza',
        content: { kind: 'text', text: 'Oi' },
      },
    });
  });

  it('reads a message decoded from protobuf (Long timestamp, class instances)', () => {
    const bytes = proto.WebMessageInfo.encode({
      key: { remoteJid: CUSTOMER_PN, fromMe: false, id: MESSAGE_ID },
      message: { conversation: 'via protobuf' },
      messageTimestamp: SECONDS,
      pushName: 'Maria',
    }).finish();
    const decoded = proto.WebMessageInfo.decode(bytes);
    expect(typeof decoded.messageTimestamp).toBe('object');
    const message: WAMessage = Object.assign(decoded, { key: { ...decoded.key, remoteJidAlt: CUSTOMER_LID, addressingMode: 'pn' } });

    const translated = translateMessage(message, makeContext());
    expect(translated).toMatchObject({
      kind: 'inbound',
      message: { timestamp: SECONDS * 1000, content: { kind: 'text', text: 'via protobuf' } },
    });
  });

  it('uses the current time when a message has no timestamp, and null for a missing pushName', () => {
    vi.useFakeTimers({ now: 1_760_000_000_123 });
    const translated = translateMessage(incoming({ conversation: 'Oi' }, {}, { messageTimestamp: null, pushName: null }), makeContext());
    expect(translated).toMatchObject({ kind: 'inbound', message: { timestamp: 1_760_000_000_123, pushName: null } });
  });
});

describe('translateMessage: addressing', () => {
  it('resolves a LID-addressed message through remoteJidAlt', () => {
    const phoneOf = vi.fn((jid: string, alt: string | null) => (jid === CUSTOMER_LID && alt === CUSTOMER_PN ? CUSTOMER_PHONE : null));
    const message = incoming({ conversation: 'Oi' }, { remoteJid: CUSTOMER_LID, remoteJidAlt: CUSTOMER_PN, addressingMode: 'lid' });

    const translated = translateMessage(message, makeContext({ phoneOf }));

    expect(phoneOf).toHaveBeenCalledWith(CUSTOMER_LID, CUSTOMER_PN);
    expect(translated).toMatchObject({ kind: 'inbound', message: { phone: CUSTOMER_PHONE, jid: CUSTOMER_LID, lid: CUSTOMER_LID } });
  });

  it('leaves the phone null when a LID cannot be resolved yet', () => {
    const message = incoming({ conversation: 'Oi' }, { remoteJid: '777777777777777@lid', remoteJidAlt: undefined, addressingMode: 'lid' });
    expect(translateMessage(message, makeContext())).toMatchObject({
      kind: 'inbound',
      message: { phone: null, jid: '777777777777777@lid', lid: '777777777777777@lid' },
    });
  });

  it('has no LID for a PN chat without an alt', () => {
    const phoneOf = vi.fn(() => CUSTOMER_PHONE);
    const message = incoming({ conversation: 'Oi' }, { remoteJidAlt: undefined });
    expect(translateMessage(message, makeContext({ phoneOf }))).toMatchObject({ kind: 'inbound', message: { lid: null } });
    expect(phoneOf).toHaveBeenCalledWith(CUSTOMER_PN, null);
  });
});

describe('translateMessage: skips', () => {
  const cases: { name: string; message: WAMessage; context?: Partial<TranslateContext>; reason: string }[] = [
    {
      name: 'group message',
      message: incoming({ conversation: 'bom dia grupo' }, { remoteJid: '120363025246125486@g.us', remoteJidAlt: undefined, participant: CUSTOMER_LID, participantAlt: CUSTOMER_PN, addressingMode: 'lid' }),
      reason: 'group',
    },
    {
      name: 'status update',
      message: incoming({ imageMessage: { mimetype: 'image/jpeg' } }, { remoteJid: 'status@broadcast', remoteJidAlt: undefined, participant: CUSTOMER_PN }),
      reason: 'status',
    },
    {
      name: 'broadcast list',
      message: incoming({ conversation: 'promo' }, { remoteJid: '1750000000@broadcast', remoteJidAlt: undefined, participant: CUSTOMER_PN }),
      reason: 'broadcast',
    },
    {
      name: 'newsletter (channel)',
      message: incoming({ conversation: 'novidades' }, { remoteJid: '120363144038483540@newsletter', remoteJidAlt: undefined, server_id: '120' }),
      reason: 'newsletter',
    },
    {
      name: 'bot chat',
      message: incoming({ conversation: 'oi' }, { remoteJid: '867051314767696@bot', remoteJidAlt: undefined }),
      reason: 'other_chat',
    },
    {
      name: "the shop's own chat with itself",
      message: incoming({ conversation: 'lembrar de postar' }, { remoteJid: ME_PN, remoteJidAlt: ME_LID, fromMe: true }),
      reason: 'self_chat',
    },
    {
      name: 'CIPHERTEXT stub (a retry is coming)',
      message: incoming(undefined, {}, { messageStubType: WAMessageStubType.CIPHERTEXT, messageStubParameters: ['No session record'] }),
      reason: 'undecryptable',
    },
    {
      name: 'other stub without content',
      message: incoming(undefined, {}, { messageStubType: WAMessageStubType.E2E_IDENTITY_CHANGED, messageStubParameters: ['1'] }),
      reason: 'no_content',
    },
    { name: 'empty message', message: incoming({}), reason: 'no_content' },
    { name: 'only device metadata', message: incoming({ ...deviceContext }), reason: 'no_content' },
    {
      name: 'protocol message that is neither edit nor delete',
      message: incoming({ protocolMessage: { type: proto.Message.ProtocolMessage.Type.EPHEMERAL_SETTING, ephemeralExpiration: 86_400 } }),
      reason: 'no_content',
    },
    {
      name: 'own echo of a bot send',
      message: incoming({ conversation: 'Obrigada pela compra!' }, { fromMe: true, id: '3EB0ABCDEF0123456789AB' }),
      context: { sentByBot: (id) => id === '3EB0ABCDEF0123456789AB' },
      reason: 'own_echo',
    },
    { name: 'missing remoteJid', message: incoming({ conversation: 'x' }, { remoteJid: undefined }), reason: 'no_key' },
    { name: 'missing id', message: incoming({ conversation: 'x' }, { id: null }), reason: 'no_key' },
  ];

  it.each(cases)('$name → $reason', ({ message, context, reason }) => {
    expect(translateMessage(message, makeContext(context))).toEqual({ kind: 'skip', reason });
  });
});

describe('translateMessage: owner messages', () => {
  it('turns what the owner typed on the phone into an owner message for the customer', () => {
    const message = incoming(
      { extendedTextMessage: { text: 'Já enviei o código de rastreio' } },
      { fromMe: true, id: '3A1111111111111111AA', remoteJidAlt: CUSTOMER_LID },
      { pushName: 'Loja' },
    );
    const translated = translateMessage(message, makeContext({ sentByBot: () => false }));
    expect(translated).toEqual({
      kind: 'owner',
      message: {
        id: '3A1111111111111111AA',
        phone: CUSTOMER_PHONE,
        jid: CUSTOMER_PN,
        timestamp: SECONDS * 1000,
        content: { kind: 'text', text: 'Já enviei o código de rastreio' },
      },
    });
  });

  it("ignores a remoteJidAlt that names the shop itself when resolving the owner's chat", () => {
    const phoneOf = vi.fn((jid: string, alt: string | null) => (alt ? null : phoneOfJid(jid)));
    const message = incoming({ conversation: 'oi' }, { fromMe: true, remoteJid: CUSTOMER_PN, remoteJidAlt: ME_LID });
    expect(translateMessage(message, makeContext({ phoneOf }))).toMatchObject({ kind: 'owner', message: { phone: CUSTOMER_PHONE } });
    expect(phoneOf).toHaveBeenCalledWith(CUSTOMER_PN, null);
  });

  it('keeps owner reactions and deletes as owner content', () => {
    const reaction = incoming({ reactionMessage: { key: { remoteJid: CUSTOMER_PN, fromMe: false, id: MESSAGE_ID }, text: '👍' } }, { fromMe: true, id: '3A22' });
    expect(translateMessage(reaction, makeContext())).toMatchObject({
      kind: 'owner',
      message: { content: { kind: 'reaction', targetMessageId: MESSAGE_ID, emoji: '👍' } },
    });
  });
});

describe('translateMessage: poll votes', () => {
  const POLL_ID = '3EB0C0FFEE0123456789AB';
  const OPTIONS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
  const SECRET = Buffer.alloc(32, 7);
  const POLL: PollCreation = { options: OPTIONS, secret: SECRET, creatorJids: [ME_PN, ME_LID] };

  function voteMessage(vote: proto.Message.IPollEncValue, key: Partial<WAMessageKey> = {}, pollMsgId = POLL_ID): WAMessage {
    return incoming(
      {
        pollUpdateMessage: {
          pollCreationMessageKey: { remoteJid: CUSTOMER_PN, fromMe: true, id: pollMsgId },
          vote,
          senderTimestampMs: SECONDS * 1000,
        },
        ...deviceContext,
      },
      { id: '3A9999999999999999AA', ...key },
    );
  }

  const context = makeContext({ pollCreation: (id) => (id === POLL_ID ? POLL : undefined) });

  const addressings: { name: string; key: Partial<WAMessageKey>; creatorJid: string; voterJid: string }[] = [
    { name: 'PN chat, PN forms', key: {}, creatorJid: ME_PN, voterJid: CUSTOMER_PN },
    { name: 'PN chat, voter encrypted with its LID (the alt)', key: {}, creatorJid: ME_LID, voterJid: CUSTOMER_LID },
    {
      name: 'LID chat, voter encrypted with its PN (the alt)',
      key: { remoteJid: CUSTOMER_LID, remoteJidAlt: CUSTOMER_PN, addressingMode: 'lid' },
      creatorJid: ME_PN,
      voterJid: CUSTOMER_PN,
    },
    {
      name: 'LID chat, LID forms',
      key: { remoteJid: CUSTOMER_LID, remoteJidAlt: CUSTOMER_PN, addressingMode: 'lid' },
      creatorJid: ME_LID,
      voterJid: CUSTOMER_LID,
    },
    {
      name: 'LID chat without alt, voter encrypted with the PN phoneOf knows',
      key: { remoteJid: CUSTOMER_LID, remoteJidAlt: undefined, addressingMode: 'lid' },
      creatorJid: ME_PN,
      voterJid: CUSTOMER_PN,
    },
  ];

  it.each(addressings)('decrypts a vote: $name', ({ key, creatorJid, voterJid }) => {
    const vote = encryptPollVote({ selected: ['9'], secret: SECRET, pollMsgId: POLL_ID, creatorJid, voterJid });
    const translated = translateMessage(voteMessage(vote, key), context);
    expect(translated.kind).toBe('inbound');
    expect(contentOf(translated)).toEqual({ kind: 'poll_vote', pollMessageId: POLL_ID, selectedOptions: ['9'] });
  });

  it('maps several selected options back to their names', () => {
    const vote = encryptPollVote({ selected: ['10', '0'], secret: SECRET, pollMsgId: POLL_ID, creatorJid: ME_PN, voterJid: CUSTOMER_PN });
    expect(contentOf(translateMessage(voteMessage(vote), context))).toEqual({
      kind: 'poll_vote',
      pollMessageId: POLL_ID,
      selectedOptions: ['10', '0'],
    });
  });

  it('reads a withdrawn vote as an empty selection', () => {
    const vote = encryptPollVote({ selected: [], secret: SECRET, pollMsgId: POLL_ID, creatorJid: ME_PN, voterJid: CUSTOMER_PN });
    expect(contentOf(translateMessage(voteMessage(vote), context))).toEqual({ kind: 'poll_vote', pollMessageId: POLL_ID, selectedOptions: [] });
  });

  it('decrypts a vote the owner cast from the phone, as an owner message', () => {
    const vote = encryptPollVote({ selected: ['5'], secret: SECRET, pollMsgId: POLL_ID, creatorJid: ME_LID, voterJid: ME_LID });
    expect(translateMessage(voteMessage(vote, { fromMe: true }), context)).toMatchObject({
      kind: 'owner',
      message: { content: { kind: 'poll_vote', pollMessageId: POLL_ID, selectedOptions: ['5'] } },
    });
  });

  const failures: { name: string; build: () => WAMessage }[] = [
    {
      name: 'a poll we do not know',
      build: () => voteMessage(encryptPollVote({ selected: ['9'], secret: SECRET, pollMsgId: '3EB0UNKNOWN', creatorJid: ME_PN, voterJid: CUSTOMER_PN }), {}, '3EB0UNKNOWN'),
    },
    {
      name: 'a wrong secret',
      build: () => voteMessage(encryptPollVote({ selected: ['9'], secret: Buffer.alloc(32, 8), pollMsgId: POLL_ID, creatorJid: ME_PN, voterJid: CUSTOMER_PN })),
    },
    {
      name: 'a voter JID we do not know',
      build: () => voteMessage(encryptPollVote({ selected: ['9'], secret: SECRET, pollMsgId: POLL_ID, creatorJid: ME_PN, voterJid: '5511900001111@s.whatsapp.net' })),
    },
    {
      name: 'an option the stored poll does not have',
      build: () => voteMessage(encryptPollVote({ selected: ['talvez'], secret: SECRET, pollMsgId: POLL_ID, creatorJid: ME_PN, voterJid: CUSTOMER_PN })),
    },
    {
      name: 'a vote without payload',
      build: () => voteMessage({}),
    },
  ];

  it.each(failures)('skips as unknown_poll on $name', ({ build }) => {
    expect(translateMessage(build(), context)).toEqual({ kind: 'skip', reason: 'unknown_poll' });
  });

  it('decrypts a vote on a poll built by toBaileysContent and stored with pollCreationOf', async () => {
    const content = toBaileysContent({ kind: 'poll', question: 'De 0 a 10, quanto recomendaria a loja?', options: OPTIONS });
    // What sendMessage returns, without a socket.
    const sent = await generateWAMessage(CUSTOMER_PN, content, {
      userJid: `${ME_PN.split('@')[0]}:12@s.whatsapp.net`,
      messageId: POLL_ID,
      upload: () => Promise.reject(new Error('no uploads in tests')),
    });
    const stored = pollCreationOf(sent, [ME_PN, ME_LID]);
    expect(stored).not.toBeNull();
    if (!stored) return;

    const vote = encryptPollVote({ selected: ['8'], secret: stored.secret, pollMsgId: POLL_ID, creatorJid: ME_LID, voterJid: CUSTOMER_LID });
    const translated = translateMessage(voteMessage(vote), makeContext({ pollCreation: (id) => (id === POLL_ID ? stored : undefined) }));
    expect(contentOf(translated)).toEqual({ kind: 'poll_vote', pollMessageId: POLL_ID, selectedOptions: ['8'] });
  });
});

describe('translateReceipt', () => {
  const NOW = 1_750_000_123_456;

  function statusUpdate(update: Partial<WAMessage>, key: Partial<WAMessageKey> = {}): WAMessageUpdate {
    return { key: { remoteJid: CUSTOMER_PN, id: '3EB0ABCDEF0123456789AB', fromMe: true, ...key }, update };
  }

  const cases: { name: string; update: WAMessageUpdate; expected: ReturnType<typeof translateReceipt> }[] = [
    {
      name: 'delivered',
      update: statusUpdate({ status: WAMessageStatus.DELIVERY_ACK, messageTimestamp: SECONDS }),
      expected: { messageId: '3EB0ABCDEF0123456789AB', status: 'delivered', at: NOW, errorCode: null },
    },
    {
      name: 'read, in a LID chat',
      update: statusUpdate({ status: WAMessageStatus.READ }, { remoteJid: CUSTOMER_LID }),
      expected: { messageId: '3EB0ABCDEF0123456789AB', status: 'read', at: NOW, errorCode: null },
    },
    {
      name: 'played',
      update: statusUpdate({ status: WAMessageStatus.PLAYED }),
      expected: { messageId: '3EB0ABCDEF0123456789AB', status: 'played', at: NOW, errorCode: null },
    },
    {
      name: 'error 463 (account restricted)',
      update: statusUpdate({ status: WAMessageStatus.ERROR, messageStubParameters: ['463'] }),
      expected: { messageId: '3EB0ABCDEF0123456789AB', status: 'failed', at: NOW, errorCode: 463 },
    },
    {
      name: 'error 463 with the restriction text',
      update: statusUpdate({ status: WAMessageStatus.ERROR, messageStubParameters: ['463', 'Your account has been restricted'] }),
      expected: { messageId: '3EB0ABCDEF0123456789AB', status: 'failed', at: NOW, errorCode: 463 },
    },
    {
      name: 'error without a numeric code',
      update: statusUpdate({ status: WAMessageStatus.ERROR, messageStubParameters: ['oops'] }),
      expected: { messageId: '3EB0ABCDEF0123456789AB', status: 'failed', at: NOW, errorCode: null },
    },
    {
      name: 'error without parameters',
      update: statusUpdate({ status: WAMessageStatus.ERROR }),
      expected: { messageId: '3EB0ABCDEF0123456789AB', status: 'failed', at: NOW, errorCode: null },
    },
    { name: 'pending', update: statusUpdate({ status: WAMessageStatus.PENDING }), expected: null },
    { name: 'server ack', update: statusUpdate({ status: WAMessageStatus.SERVER_ACK }), expected: null },
    {
      name: 'an edit without status',
      update: statusUpdate({ message: { editedMessage: { message: { conversation: 'x' } } } }),
      expected: null,
    },
    {
      name: 'a group receipt',
      update: statusUpdate({ status: WAMessageStatus.READ }, { remoteJid: '120363025246125486@g.us', participant: CUSTOMER_LID }),
      expected: null,
    },
    {
      name: "the owner reading the customer's message on the phone (fromMe false)",
      update: statusUpdate({ status: WAMessageStatus.READ }, { fromMe: false }),
      expected: null,
    },
    { name: 'a key without id', update: statusUpdate({ status: WAMessageStatus.READ }, { id: undefined }), expected: null },
  ];

  it.each(cases)('$name', ({ update, expected }) => {
    expect(translateReceipt(update, NOW)).toEqual(expected);
  });
});

describe('parseVCard', () => {
  const cases: { name: string; vcard: string; expected: ReturnType<typeof parseVCard> }[] = [
    {
      name: 'WhatsApp-shared card with waid',
      vcard: 'BEGIN:VCARD\nVERSION:3.0\nN:;Ana Silva;;;\nFN:Ana Silva\nTEL;type=CELL;waid=5511912345678:+55 11 91234-5678\nEND:VCARD',
      expected: { name: 'Ana Silva', phones: ['+5511912345678'] },
    },
    {
      name: 'item-grouped TEL with CRLF',
      vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:João\r\nitem1.TEL;waid=5521988887777:+55 21 98888-7777\r\nitem1.X-ABLabel:Celular\r\nitem2.TEL:+55 21 3333-2222\r\nEND:VCARD\r\n',
      expected: { name: 'João', phones: ['+5521988887777', '+55 21 3333-2222'] },
    },
    {
      name: 'folded lines',
      vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Maria da Conceição\n  Aparecida\nTEL;TYPE=CELL;WAID=55119\n 87654321:+55 11 98765-4321\nEND:VCARD',
      expected: { name: 'Maria da Conceição Aparecida', phones: ['+5511987654321'] },
    },
    {
      name: 'missing FN',
      vcard: 'BEGIN:VCARD\nVERSION:3.0\nN:Souza;Pedro;;;\nTEL:11 99999-0000\nEND:VCARD',
      expected: { name: null, phones: ['11 99999-0000'] },
    },
    {
      name: 'escaped comma in FN, tel: URI and a duplicate number',
      vcard: 'BEGIN:VCARD\nVERSION:4.0\nFN:Silva\\, Ana\nTEL;VALUE=uri:tel:+5511912345678\nTEL;waid=5511912345678:+55 11 91234-5678\nTEL;waid=5511912345678:+5511912345678\nEND:VCARD',
      expected: { name: 'Silva, Ana', phones: ['+5511912345678'] },
    },
    { name: 'empty card', vcard: '', expected: { name: null, phones: [] } },
  ];

  it.each(cases)('$name', ({ vcard, expected }) => {
    expect(parseVCard(vcard)).toEqual(expected);
  });
});
