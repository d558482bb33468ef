/**
 * Names that are not names: a push name or a shared contact's name that is a
 * phone number becomes null, so that nothing greets a customer as
 * "+55 31 99966-8527". nameOrNull is the one rule for both.
 *
 * Where the shapes come from:
 * - pushName is the `notify` attribute of the message stanza (Baileys rc14,
 *   lib/Utils/decode-wa-message.js); WhatsApp lets a person set any text there,
 *   and numbers, dots and emoji are common. Integrations paper over missing
 *   names with the number (fazer-ai/chatwoot PR #13/#30: "if the message
 *   doesn't have pushName, we use the phone number as the name"), which is how
 *   numbers come back as names.
 * - A contact card of someone saved without a name carries the formatted number
 *   as displayName and FN, beside a TEL with waid, as a public webhook-mapper
 *   test pastes it: displayName '+55 62 8426-8492',
 *   'BEGIN:VCARD\nVERSION:3.0\nFN:+55 62 8426-8492\nTEL;type=CELL;waid=556284268492:+55 62 8426-8492\nEND:VCARD'.
 *   The numbers below are made up in that shape.
 * - WhatsApp writes numbers in right-to-left text between directional
 *   isolation marks (U+202A … U+202C), which come along when copied.
 */
import { proto, type WAMessage, type WAMessageContent } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import type { InboundContent } from '../../../src/channels/channel.js';
import { nameOrNull, parseVCard, translateMessage, type TranslateContext } from '../../../src/channels/baileys/from-baileys.js';

const ME_PN = '5511900000000@s.whatsapp.net';
const CUSTOMER_PN = '5531999668527@s.whatsapp.net';
const MESSAGE_ID = '3A90B1C2D3E4F5061728';

function makeContext(): TranslateContext {
  return {
    me: { pn: ME_PN, lid: null },
    phoneOf: (jid) => (jid.endsWith('@s.whatsapp.net') ? `+${jid.split('@')[0]}` : null),
    sentByBot: () => false,
    pollCreation: () => undefined,
  };
}

function incoming(message: WAMessageContent, pushName: string | null | undefined): WAMessage {
  return {
    key: { remoteJid: CUSTOMER_PN, fromMe: false, id: MESSAGE_ID, addressingMode: 'pn' },
    message,
    messageTimestamp: 1_752_000_000,
    ...(pushName === undefined ? {} : { pushName }),
  };
}

function pushNameOf(pushName: string | null | undefined): string | null {
  const translated = translateMessage(incoming({ conversation: 'Oi' }, pushName), makeContext());
  if (translated.kind !== 'inbound') throw new Error(`expected an inbound message, got ${translated.kind}`);
  return translated.message.pushName;
}

function contactsOf(message: WAMessageContent): InboundContent {
  const translated = translateMessage(incoming(message, 'Quem Mandou'), makeContext());
  if (translated.kind !== 'inbound') throw new Error(`expected an inbound message, got ${translated.kind}`);
  return translated.message.content;
}

/** A WhatsApp-shared card: FN and a TEL with the WhatsApp id, as the phone writes it. */
function card(fn: string, digits: string, shown: string): string {
  return ['BEGIN:VCARD', 'VERSION:3.0', `FN:${fn}`, `TEL;type=CELL;waid=${digits}:${shown}`, 'END:VCARD'].join('\n');
}

const NOT_NAMES: { text: string; why: string }[] = [
  { text: '+55 31 99966-8527', why: 'an international number as WhatsApp formats it' },
  { text: '5531999668527', why: 'bare digits' },
  { text: '~ 99966-8527', why: "the tilde WhatsApp shows before an unsaved contact's number, copied along" },
  { text: '(31) 99966-8527', why: 'a national number with area code' },
  { text: '031 9 9966 8527', why: 'spaces only' },
  { text: '\u202A+55 31 99966-8527\u202C', why: 'between directional isolation marks' },
  { text: '+55\u00A031\u00A099966‑8527', why: 'no-break spaces and a non-breaking hyphen' },
  { text: '.', why: 'a dot, a common "no name"' },
  { text: '...', why: 'dots' },
  { text: '   ', why: 'spaces' },
  { text: '', why: 'empty' },
  { text: '1️⃣2️⃣', why: 'keycap digits are digits, not pictures' },
];

const NAMES: { text: string; name: string; why: string }[] = [
  { text: 'Ana 2', name: 'Ana 2', why: 'letters with a digit' },
  { text: 'Loja 10', name: 'Loja 10', why: 'a shop with a number' },
  { text: '  Maria Souza  ', name: 'Maria Souza', why: 'trimmed' },
  { text: 'José 🌻', name: 'José 🌻', why: 'a name with an emoji' },
  { text: '🌸', name: '🌸', why: 'emoji only: what the person chose, and what the owner sees on the phone' },
  { text: '❤️', name: '❤️', why: 'an emoji with a variation selector' },
  { text: 'Ju (31) 99966-8527', name: 'Ju (31) 99966-8527', why: 'a name with a number after it is still a name' },
  { text: 'محمد', name: 'محمد', why: 'letters of another script' },
  { text: 'Dr. Zé', name: 'Dr. Zé', why: 'abbreviations' },
];

describe('nameOrNull', () => {
  it.each(NOT_NAMES)('is null for $why ($text)', ({ text }) => {
    expect(nameOrNull(text)).toBeNull();
  });

  it.each(NAMES)('keeps $why ($text)', ({ text, name }) => {
    expect(nameOrNull(text)).toBe(name);
  });

  it('is null for what is not text', () => {
    for (const value of [null, undefined, 5_531_999_668_527, {}, ['Ana']]) expect(nameOrNull(value)).toBeNull();
  });
});

describe('pushName', () => {
  it.each(NOT_NAMES)('is null for $why ($text)', ({ text }) => {
    expect(pushNameOf(text)).toBeNull();
  });

  it.each(NAMES)('keeps $why ($text)', ({ text, name }) => {
    expect(pushNameOf(text)).toBe(name);
  });

  it('is null when the stanza had no notify attribute', () => {
    expect(pushNameOf(undefined)).toBeNull();
    expect(pushNameOf(null)).toBeNull();
  });

  it('is read from a message decoded from protobuf', () => {
    const bytes = proto.WebMessageInfo.encode({
      key: { remoteJid: CUSTOMER_PN, fromMe: false, id: MESSAGE_ID },
      message: { conversation: 'Oi' },
      messageTimestamp: 1_752_000_000,
      pushName: '+55 31 99966-8527',
    }).finish();
    const decoded = proto.WebMessageInfo.decode(bytes);
    const message: WAMessage = Object.assign(decoded, { key: { ...decoded.key } });
    const translated = translateMessage(message, makeContext());
    expect(translated).toMatchObject({ kind: 'inbound', message: { pushName: null, content: { kind: 'text', text: 'Oi' } } });
  });
});

describe('shared contacts', () => {
  it('has no name for a card whose displayName and FN are the number, and keeps the number', () => {
    const message: WAMessageContent = {
      contactMessage: { displayName: '+55 31 98877-6655', vcard: card('+55 31 98877-6655', '5531988776655', '+55 31 98877-6655') },
    };
    expect(contactsOf(message)).toEqual({ kind: 'contacts', contacts: [{ name: null, phones: ['+5531988776655'] }] });
  });

  it('has no name for a card with bare digits and no waid', () => {
    const message: WAMessageContent = {
      contactMessage: { displayName: '31988776655', vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:31988776655\r\nTEL;type=CELL:31988776655\r\nEND:VCARD' },
    };
    expect(contactsOf(message)).toEqual({ kind: 'contacts', contacts: [{ name: null, phones: ['31988776655'] }] });
  });

  it('takes the displayName when FN is a number but the displayName is a name', () => {
    const message: WAMessageContent = {
      contactMessage: { displayName: 'Tia Cida', vcard: card('+55 31 98877-6655', '5531988776655', '+55 31 98877-6655') },
    };
    expect(contactsOf(message)).toEqual({ kind: 'contacts', contacts: [{ name: 'Tia Cida', phones: ['+5531988776655'] }] });
  });

  it('has no name when there is no FN and the displayName is a number', () => {
    const message: WAMessageContent = {
      contactMessage: { displayName: '(31) 3333-4444', vcard: 'BEGIN:VCARD\nVERSION:3.0\nTEL;type=WORK:(31) 3333-4444\nEND:VCARD' },
    };
    expect(contactsOf(message)).toEqual({ kind: 'contacts', contacts: [{ name: null, phones: ['(31) 3333-4444'] }] });
  });

  it('keeps names with digits and emoji', () => {
    const message: WAMessageContent = {
      contactsArrayMessage: {
        displayName: '3 contatos',
        contacts: [
          { displayName: 'Loja 10', vcard: card('Loja 10', '5531977665544', '+55 31 97766-5544') },
          { displayName: '🌸', vcard: card('🌸', '5531966554433', '+55 31 96655-4433') },
          { displayName: '+55 31 95544-3322', vcard: card('+55 31 95544-3322', '5531955443322', '+55 31 95544-3322') },
        ],
      },
    };
    expect(contactsOf(message)).toEqual({
      kind: 'contacts',
      contacts: [
        { name: 'Loja 10', phones: ['+5531977665544'] },
        { name: '🌸', phones: ['+5531966554433'] },
        { name: null, phones: ['+5531955443322'] },
      ],
    });
  });

  it('reads the same through protobuf', () => {
    const content = proto.Message.decode(
      proto.Message.encode({ contactMessage: { displayName: '+55 31 98877-6655', vcard: card('+55 31 98877-6655', '5531988776655', '+55 31 98877-6655') } }).finish(),
    );
    expect(contactsOf(content)).toEqual({ kind: 'contacts', contacts: [{ name: null, phones: ['+5531988776655'] }] });
  });
});

describe('parseVCard names', () => {
  it('has no name for an FN that is a number', () => {
    expect(parseVCard(card('+55 31 98877-6655', '5531988776655', '+55 31 98877-6655'))).toEqual({ name: null, phones: ['+5531988776655'] });
  });

  it('has no name for a number folded over two lines', () => {
    expect(parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:+55 31 9887\r\n 7-6655\r\nTEL:+55 31 98877-6655\r\nEND:VCARD')).toEqual({
      name: null,
      phones: ['+55 31 98877-6655'],
    });
  });

  it('keeps an FN with letters and digits', () => {
    expect(parseVCard(card('Ana 2', '5531988776655', '+55 31 98877-6655'))).toEqual({ name: 'Ana 2', phones: ['+5531988776655'] });
  });
});
