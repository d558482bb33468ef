import { generateWAMessage, proto, type AnyMessageContent, type WAMessage } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import type { OutboundContent } from '../../../src/channels/channel.js';
import { pollCreationOf, toBaileysContent } from '../../../src/channels/baileys/to-baileys.js';

const ME_PN = '5511900000000@s.whatsapp.net';
const ME_LID = '99887766554433@lid';
const CUSTOMER_PN = '5511912345678@s.whatsapp.net';
const NPS_OPTIONS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];

describe('toBaileysContent', () => {
  const image = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
  const cases: { name: string; content: OutboundContent; expected: AnyMessageContent }[] = [
    { name: 'text', content: { kind: 'text', text: 'Obrigada pela compra!' }, expected: { text: 'Obrigada pela compra!' } },
    {
      name: 'image with caption and mimetype',
      content: { kind: 'image', image, caption: 'Seu pedido', mimetype: 'image/png' },
      expected: { image, caption: 'Seu pedido', mimetype: 'image/png' },
    },
    { name: 'bare image', content: { kind: 'image', image }, expected: { image } },
    {
      name: 'single-choice poll (default)',
      content: { kind: 'poll', question: 'Recomendaria?', options: ['Sim', 'Não'] },
      expected: { poll: { name: 'Recomendaria?', values: ['Sim', 'Não'], selectableCount: 1 } },
    },
    {
      name: 'multiple-choice poll',
      content: { kind: 'poll', question: 'O que gostou?', options: ['Preço', 'Entrega', 'Atendimento'], selectableCount: 0 },
      expected: { poll: { name: 'O que gostou?', values: ['Preço', 'Entrega', 'Atendimento'], selectableCount: 0 } },
    },
    {
      name: 'twelve options (the maximum)',
      content: { kind: 'poll', question: 'Mês?', options: Array.from({ length: 12 }, (_, i) => `m${i + 1}`) },
      expected: { poll: { name: 'Mês?', values: Array.from({ length: 12 }, (_, i) => `m${i + 1}`), selectableCount: 1 } },
    },
  ];

  it.each(cases)('$name', ({ content, expected }) => {
    expect(toBaileysContent(content)).toEqual(expected);
  });

  it('sends the image buffer itself, not a copy', () => {
    const result = toBaileysContent({ kind: 'image', image });
    expect('image' in result && result.image).toBe(image);
  });

  const invalid: { name: string; content: OutboundContent; message: RegExp }[] = [
    { name: 'one option', content: { kind: 'poll', question: 'Q', options: ['Sim'] }, message: /2 to 12 options; "Q" has 1/ },
    { name: 'no options', content: { kind: 'poll', question: 'Q', options: [] }, message: /has 0/ },
    {
      name: 'thirteen options',
      content: { kind: 'poll', question: 'Q', options: Array.from({ length: 13 }, (_, i) => String(i)) },
      message: /has 13/,
    },
    { name: 'duplicate options', content: { kind: 'poll', question: 'Q', options: ['Sim', 'Não', 'Sim'] }, message: /"Sim" twice/ },
    { name: 'more choices than options', content: { kind: 'poll', question: 'Q', options: ['a', 'b'], selectableCount: 3 }, message: /allows 3 choices/ },
    { name: 'negative choices', content: { kind: 'poll', question: 'Q', options: ['a', 'b'], selectableCount: -1 }, message: /allows -1 choices/ },
  ];

  it.each(invalid)('rejects a poll with $name', ({ content, message }) => {
    expect(() => toBaileysContent(content)).toThrow(message);
  });
});

describe('pollCreationOf', () => {
  /** What sendMessage returns for this content, built the same way, without a socket. */
  function generate(content: AnyMessageContent): Promise<WAMessage> {
    return generateWAMessage(CUSTOMER_PN, content, {
      userJid: '5511900000000:12@s.whatsapp.net',
      messageId: '3EB0C0FFEE0123456789AB',
      upload: () => Promise.reject(new Error('no uploads in tests')),
    });
  }

  it.each([
    { name: 'single choice (pollCreationMessageV3)', selectableCount: 1, field: 'pollCreationMessageV3' },
    { name: 'multiple choice (pollCreationMessage)', selectableCount: 0, field: 'pollCreationMessage' },
  ])('reads the options and secret of a $name poll the bot sent', async ({ selectableCount, field }) => {
    const sent = await generate(toBaileysContent({ kind: 'poll', question: 'Nota?', options: NPS_OPTIONS, selectableCount }));
    expect(sent.message).toHaveProperty(field);

    const stored = pollCreationOf(sent, [ME_PN, ME_LID]);

    expect(stored).not.toBeNull();
    expect(stored?.options).toEqual(NPS_OPTIONS);
    expect(stored?.creatorJids).toEqual([ME_PN, ME_LID]);
    const secret = sent.message?.messageContextInfo?.messageSecret;
    expect(secret).toHaveLength(32);
    expect(Buffer.from(stored?.secret ?? []).equals(Buffer.from(secret ?? []))).toBe(true);
  });

  it('reads a poll after a protobuf round trip (as stored and reloaded)', async () => {
    const sent = await generate(toBaileysContent({ kind: 'poll', question: 'Nota?', options: ['Sim', 'Não'] }));
    const reloaded = proto.WebMessageInfo.decode(proto.WebMessageInfo.encode(sent).finish());
    const message: WAMessage = Object.assign(reloaded, { key: reloaded.key ?? {} });
    expect(pollCreationOf(message, [ME_PN])?.options).toEqual(['Sim', 'Não']);
  });

  it('reads a poll wrapped in a disappearing-messages envelope', () => {
    const secret = Buffer.alloc(32, 3);
    const sent: WAMessage = {
      key: { remoteJid: CUSTOMER_PN, fromMe: true, id: '3EB0AA' },
      message: {
        ephemeralMessage: {
          message: {
            messageContextInfo: { messageSecret: secret },
            pollCreationMessageV3: { name: 'Q', options: [{ optionName: 'a' }, { optionName: 'b' }], selectableOptionsCount: 1 },
          },
        },
      },
    };
    expect(pollCreationOf(sent, [ME_PN])).toEqual({ options: ['a', 'b'], secret: Uint8Array.from(secret), creatorJids: [ME_PN] });
  });

  it('returns null for a message that is not a poll', async () => {
    const sent = await generate(toBaileysContent({ kind: 'text', text: 'Oi' }));
    expect(pollCreationOf(sent, [ME_PN])).toBeNull();
  });

  it('returns null for a poll without a secret', () => {
    const sent: WAMessage = {
      key: { remoteJid: CUSTOMER_PN, fromMe: true, id: '3EB0AB' },
      message: { pollCreationMessage: { name: 'Q', options: [{ optionName: 'a' }, { optionName: 'b' }] } },
    };
    expect(pollCreationOf(sent, [ME_PN])).toBeNull();
  });

  it('returns null for a message without content', () => {
    expect(pollCreationOf({ key: { remoteJid: CUSTOMER_PN, fromMe: true, id: '3EB0AC' } }, [ME_PN])).toBeNull();
  });
});
