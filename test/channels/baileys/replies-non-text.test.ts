/**
 * Messages whose words are not in `conversation` or `extendedTextMessage`:
 * captions (plain and inside the wrappers WhatsApp puts around them), voice
 * notes and stickers (media without words), and taps on buttons, list rows,
 * template buttons and native-flow quick replies, whose text is the reply.
 *
 * The shapes come from what was not written here:
 * - Baileys rc14's own proto (WAProto.proto / index.d.ts: the objects are typed
 *   as WAMessageContent, so tsc checks every field name) and its own
 *   generateWAMessageContent, which builds button, template and list replies
 *   (`buttonReply`, `listReply` in lib/Utils/messages.js) and album children
 *   (`albumParentKey` → messageContextInfo.messageAssociation); those run for real.
 * - whatsmeow's events.Message.UnwrapRaw (types/events/events.go): the wrappers
 *   a real client meets, including botInvokeMessage and lottieStickerMessage,
 *   which Baileys' normalizeMessageContent does not unwrap.
 * - mautrix-whatsapp's pkg/msgconv/wa-business.go: a bridge in daily use reads
 *   a buttons/template reply as selectedDisplayText, a list reply by its title
 *   and an interactive response by body.text.
 * - Payloads of native-flow responses pasted in public integration docs and
 *   tests (quick_reply: body.text is the button's text, paramsJson
 *   {"id":"vendas"} or {"id":…,"display_text":…}; WhatsApp Flows: name "flow"
 *   or "galaxy_message", paramsJson holding the form and a flow_token, body
 *   "Sent", as Meta's Cloud API nfm_reply shows it).
 * Every case also runs after a protobuf encode/decode, as the socket hands it over.
 */
import {
  generateWAMessageContent,
  proto,
  type WAMessage,
  type WAMessageContent,
  type WAMessageKey,
} from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import type { InboundContent } from '../../../src/channels/channel.js';
import { translateMessage, type TranslateContext, type Translated } from '../../../src/channels/baileys/from-baileys.js';

const ME_PN = '5511900000000@s.whatsapp.net';
const CUSTOMER_PN = '5531999668527@s.whatsapp.net';
const CUSTOMER_LID = '204010203040506@lid';
const MESSAGE_ID = '3A7C2D19E0B4F5A61C88';
/** The bot's message the customer tapped an option of. */
const QUOTED_ID = '3EB0C1D2E3F4A5B6C7D8E9';
const SECONDS = 1_752_000_000;

function makeContext(): TranslateContext {
  return {
    me: { pn: ME_PN, lid: null },
    phoneOf: (jid) => (jid.endsWith('@s.whatsapp.net') ? `+${jid.split('@')[0]}` : null),
    sentByBot: () => false,
    pollCreation: () => undefined,
  };
}

function incoming(message: WAMessageContent, key: Partial<WAMessageKey> = {}): WAMessage {
  return {
    key: { remoteJid: CUSTOMER_PN, remoteJidAlt: CUSTOMER_LID, fromMe: false, id: MESSAGE_ID, addressingMode: 'pn', ...key },
    message,
    messageTimestamp: SECONDS,
    pushName: 'Jussara',
  };
}

/** The content as the socket hands it over: decoded from protobuf, class instances with defaults. */
function overTheWire(message: WAMessageContent): WAMessageContent {
  return proto.Message.decode(proto.Message.encode(message).finish());
}

function contentOf(translated: Translated): InboundContent {
  if (translated.kind === 'skip') throw new Error(`expected a message, got skip ${translated.reason}`);
  return translated.message.content;
}

/** Real messages carry device metadata beside the content. */
const deviceContext = {
  messageContextInfo: { deviceListMetadataVersion: 2, deviceListMetadata: { senderKeyHash: Buffer.from('5NtBfGDpS10M5Q==', 'base64'), senderTimestamp: 1_751_990_000 } },
};

/** What a reply to one of the bot's messages quotes. */
const quoting = (quotedMessage: WAMessageContent) => ({ stanzaId: QUOTED_ID, participant: ME_PN, quotedMessage });

/** Generation options for Baileys' own builders; replies upload nothing. */
const noUpload = {
  upload: () => Promise.reject(new Error('nothing to upload in a reply')),
};

interface Case {
  name: string;
  message: WAMessageContent;
  expected: InboundContent;
}

function runCases(cases: Case[]): void {
  for (const { name, message, expected } of cases) {
    it(`${name}`, () => {
      expect(contentOf(translateMessage(incoming(message), makeContext()))).toEqual(expected);
    });
    it(`${name}, decoded from protobuf`, () => {
      expect(contentOf(translateMessage(incoming(overTheWire(message)), makeContext()))).toEqual(expected);
    });
  }
}

describe('captions', () => {
  runCases([
    {
      name: 'image with caption',
      message: { imageMessage: { mimetype: 'image/jpeg', caption: 'Chegou assim, amassado', width: 960, height: 1280 }, ...deviceContext },
      expected: { kind: 'media', mediaType: 'image', caption: 'Chegou assim, amassado', mimetype: 'image/jpeg' },
    },
    {
      name: 'image with caption in a disappearing-messages chat (ephemeralMessage)',
      message: { ephemeralMessage: { message: { imageMessage: { mimetype: 'image/jpeg', caption: 'Olha a caixa', contextInfo: { expiration: 86_400 } } } } },
      expected: { kind: 'media', mediaType: 'image', caption: 'Olha a caixa', mimetype: 'image/jpeg' },
    },
    {
      name: 'view-once video with caption (viewOnceMessageV2)',
      message: { viewOnceMessageV2: { message: { videoMessage: { mimetype: 'video/mp4', caption: 'Funcionando!', seconds: 9, viewOnce: true } } } },
      expected: { kind: 'media', mediaType: 'video', caption: 'Funcionando!', mimetype: 'video/mp4' },
    },
    {
      name: 'document with caption (documentWithCaptionMessage)',
      message: {
        documentWithCaptionMessage: {
          message: { documentMessage: { mimetype: 'application/pdf', fileName: 'comprovante.pdf', caption: 'Comprovante do Pix' } },
        },
      },
      expected: { kind: 'media', mediaType: 'document', caption: 'Comprovante do Pix', mimetype: 'application/pdf' },
    },
    {
      name: 'document with caption in a disappearing-messages chat (ephemeral around documentWithCaption)',
      message: {
        ephemeralMessage: {
          message: {
            documentWithCaptionMessage: {
              message: { documentMessage: { mimetype: 'application/pdf', fileName: 'nf.pdf', caption: 'Nota fiscal', contextInfo: { expiration: 604_800 } } },
            },
          },
        },
      },
      expected: { kind: 'media', mediaType: 'document', caption: 'Nota fiscal', mimetype: 'application/pdf' },
    },
    {
      name: 'document without caption',
      message: { documentMessage: { mimetype: 'application/pdf', fileName: 'boleto.pdf', pageCount: 1 } },
      expected: { kind: 'media', mediaType: 'document', caption: null, mimetype: 'application/pdf' },
    },
    {
      // generateWAMessageContent with albumParentKey gives this shape to each photo of an album.
      name: 'photo of an album (messageAssociation MEDIA_ALBUM)',
      message: {
        imageMessage: { mimetype: 'image/jpeg', caption: 'As três cores' },
        messageContextInfo: {
          messageAssociation: {
            associationType: proto.MessageAssociation.AssociationType.MEDIA_ALBUM,
            parentMessageKey: { remoteJid: CUSTOMER_PN, fromMe: false, id: '3A7C2D19E0B4F5A61C00' },
          },
        },
      },
      expected: { kind: 'media', mediaType: 'image', caption: 'As três cores', mimetype: 'image/jpeg' },
    },
    {
      name: 'image inside associatedChildMessage',
      message: { associatedChildMessage: { message: { imageMessage: { mimetype: 'image/png', caption: 'detalhe da costura' } } } },
      expected: { kind: 'media', mediaType: 'image', caption: 'detalhe da costura', mimetype: 'image/png' },
    },
    {
      name: 'edit of a document caption (protocolMessage MESSAGE_EDIT around documentWithCaption)',
      message: {
        protocolMessage: {
          key: { remoteJid: CUSTOMER_PN, fromMe: false, id: '3A7C2D19E0B4F5A61C01' },
          type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
          editedMessage: {
            documentWithCaptionMessage: { message: { documentMessage: { mimetype: 'application/pdf', caption: 'Comprovante certo' } } },
          },
          timestampMs: SECONDS * 1000 + 5000,
        },
      },
      expected: { kind: 'edit', targetMessageId: '3A7C2D19E0B4F5A61C01', text: 'Comprovante certo' },
    },
  ]);
});

describe('voice notes, audio, stickers and round videos', () => {
  runCases([
    {
      name: 'voice note (audioMessage ptt)',
      message: { audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 14, waveform: new Uint8Array(64) }, ...deviceContext },
      expected: { kind: 'media', mediaType: 'audio', caption: null, mimetype: 'audio/ogg; codecs=opus' },
    },
    {
      name: 'voice note in a disappearing-messages chat',
      message: { ephemeralMessage: { message: { audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 3 } } } },
      expected: { kind: 'media', mediaType: 'audio', caption: null, mimetype: 'audio/ogg; codecs=opus' },
    },
    {
      name: 'audio file (not a voice note)',
      message: { audioMessage: { mimetype: 'audio/mpeg', ptt: false, seconds: 180 } },
      expected: { kind: 'media', mediaType: 'audio', caption: null, mimetype: 'audio/mpeg' },
    },
    {
      name: 'sticker',
      message: { stickerMessage: { mimetype: 'image/webp', isAnimated: false, height: 512, width: 512 } },
      expected: { kind: 'media', mediaType: 'sticker', caption: null, mimetype: 'image/webp' },
    },
    {
      name: 'animated Lottie sticker (lottieStickerMessage wrapper)',
      message: { lottieStickerMessage: { message: { stickerMessage: { mimetype: 'application/was', isAnimated: true, isLottie: true } } } },
      expected: { kind: 'media', mediaType: 'sticker', caption: null, mimetype: 'application/was' },
    },
    {
      name: 'round video note (ptvMessage)',
      message: { ptvMessage: { mimetype: 'video/mp4', seconds: 20 } },
      expected: { kind: 'media', mediaType: 'video', caption: null, mimetype: 'video/mp4' },
    },
  ]);
});

describe('replies to buttons, lists and templates', () => {
  runCases([
    {
      name: 'buttons reply with the quoted buttons message',
      message: {
        buttonsResponseMessage: {
          selectedButtonId: 'entrega-ok',
          selectedDisplayText: 'Chegou tudo certo',
          type: proto.Message.ButtonsResponseMessage.Type.DISPLAY_TEXT,
          contextInfo: quoting({
            buttonsMessage: {
              contentText: 'Seu pedido chegou bem?',
              buttons: [
                { buttonId: 'entrega-ok', buttonText: { displayText: 'Chegou tudo certo' }, type: proto.Message.ButtonsMessage.Button.Type.RESPONSE },
                { buttonId: 'entrega-problema', buttonText: { displayText: 'Tive um problema' }, type: proto.Message.ButtonsMessage.Button.Type.RESPONSE },
              ],
              headerType: proto.Message.ButtonsMessage.HeaderType.EMPTY,
            },
          }),
        },
        ...deviceContext,
      },
      expected: { kind: 'text', text: 'Chegou tudo certo' },
    },
    {
      name: 'buttons reply without display text (the id is all there is)',
      message: { buttonsResponseMessage: { selectedButtonId: 'nota-9' } },
      expected: { kind: 'text', text: 'nota-9' },
    },
    {
      name: 'template button reply',
      message: {
        templateButtonReplyMessage: {
          selectedId: 'sim',
          selectedDisplayText: 'Sim, pode mandar',
          selectedIndex: 0,
          contextInfo: quoting({
            templateMessage: { hydratedTemplate: { hydratedContentText: 'Quer receber as novidades?', hydratedButtons: [{ index: 0, quickReplyButton: { displayText: 'Sim, pode mandar', id: 'sim' } }] } },
          }),
        },
      },
      expected: { kind: 'text', text: 'Sim, pode mandar' },
    },
    {
      name: 'template button reply without display text',
      message: { templateButtonReplyMessage: { selectedId: 'nao', selectedIndex: 1 } },
      expected: { kind: 'text', text: 'nao' },
    },
    {
      name: 'list reply: the row title, not its description',
      message: {
        listResponseMessage: {
          title: '10',
          description: 'Com certeza indicaria',
          listType: proto.Message.ListResponseMessage.ListType.SINGLE_SELECT,
          singleSelectReply: { selectedRowId: 'nps-10' },
          contextInfo: quoting({
            listMessage: {
              title: 'De 0 a 10',
              description: 'Quanto você indicaria a loja?',
              buttonText: 'Escolher nota',
              listType: proto.Message.ListMessage.ListType.SINGLE_SELECT,
              sections: [{ title: 'Notas', rows: [{ rowId: 'nps-10', title: '10', description: 'Com certeza indicaria' }] }],
            },
          }),
        },
        ...deviceContext,
      },
      expected: { kind: 'text', text: '10' },
    },
    {
      name: 'list reply without title (the row id)',
      message: { listResponseMessage: { listType: proto.Message.ListResponseMessage.ListType.SINGLE_SELECT, singleSelectReply: { selectedRowId: 'troca' } } },
      expected: { kind: 'text', text: 'troca' },
    },
    {
      name: 'buttons reply in a disappearing-messages chat',
      message: { ephemeralMessage: { message: { buttonsResponseMessage: { selectedButtonId: 'ok', selectedDisplayText: 'Ok, obrigado', contextInfo: { expiration: 86_400 } } } } },
      expected: { kind: 'text', text: 'Ok, obrigado' },
    },
  ]);

  it('reads the buttons reply Baileys itself builds (buttonReply, type plain)', async () => {
    const content = await generateWAMessageContent({ buttonReply: { displayText: 'Quero trocar', id: 'troca', index: 1 }, type: 'plain' }, noUpload);
    expect(content.buttonsResponseMessage).toBeTruthy();
    expect(contentOf(translateMessage(incoming(content), makeContext()))).toEqual({ kind: 'text', text: 'Quero trocar' });
    expect(contentOf(translateMessage(incoming(overTheWire(content)), makeContext()))).toEqual({ kind: 'text', text: 'Quero trocar' });
  });

  it('reads the template reply Baileys itself builds (buttonReply, type template)', async () => {
    const content = await generateWAMessageContent({ buttonReply: { displayText: 'Não, obrigado', id: 'nao', index: 1 }, type: 'template' }, noUpload);
    expect(content.templateButtonReplyMessage).toBeTruthy();
    expect(contentOf(translateMessage(incoming(content), makeContext()))).toEqual({ kind: 'text', text: 'Não, obrigado' });
    expect(contentOf(translateMessage(incoming(overTheWire(content)), makeContext()))).toEqual({ kind: 'text', text: 'Não, obrigado' });
  });

  it('reads the list reply Baileys itself builds (listReply)', async () => {
    const content = await generateWAMessageContent(
      {
        listReply: {
          title: '7',
          description: 'Indicaria, com ressalvas',
          listType: proto.Message.ListResponseMessage.ListType.SINGLE_SELECT,
          singleSelectReply: { selectedRowId: 'nps-7' },
        },
      },
      noUpload,
    );
    expect(content.listResponseMessage).toBeTruthy();
    expect(contentOf(translateMessage(incoming(content), makeContext()))).toEqual({ kind: 'text', text: '7' });
    expect(contentOf(translateMessage(incoming(overTheWire(content)), makeContext()))).toEqual({ kind: 'text', text: '7' });
  });

  it("keeps a button tapped on the shop's phone as the owner's text", () => {
    const message = incoming({ buttonsResponseMessage: { selectedButtonId: 'b1', selectedDisplayText: 'Confirmar' } }, { fromMe: true });
    expect(translateMessage(message, makeContext())).toMatchObject({ kind: 'owner', message: { content: { kind: 'text', text: 'Confirmar' } } });
  });
});

describe('interactive (native flow) responses', () => {
  runCases([
    {
      name: 'quick reply: body is the button text, paramsJson only the id',
      message: {
        interactiveResponseMessage: {
          body: { text: '🛒 Fazer pedido de novo', format: proto.Message.InteractiveResponseMessage.Body.Format.DEFAULT },
          nativeFlowResponseMessage: { name: 'quick_reply', paramsJson: '{"id":"recompra"}', version: 3 },
          contextInfo: quoting({ interactiveMessage: { body: { text: 'Quer repetir o pedido?' } } }),
        },
        ...deviceContext,
      },
      expected: { kind: 'text', text: '🛒 Fazer pedido de novo' },
    },
    {
      name: 'quick reply with display_text in paramsJson and no body',
      message: {
        interactiveResponseMessage: { nativeFlowResponseMessage: { name: 'quick_reply', paramsJson: '{"id":"confirmar_1","display_text":"Confirmar"}', version: 3 } },
      },
      expected: { kind: 'text', text: 'Confirmar' },
    },
    {
      name: 'quick reply with only an id',
      message: { interactiveResponseMessage: { nativeFlowResponseMessage: { name: 'quick_reply', paramsJson: '{"id":"avaliar"}' } } },
      expected: { kind: 'text', text: 'avaliar' },
    },
    {
      name: 'single select (a list inside an interactive message)',
      message: {
        interactiveResponseMessage: {
          body: { text: 'Trocar tamanho' },
          nativeFlowResponseMessage: { name: 'single_select', paramsJson: '{"id":"troca-tamanho"}', version: 3 },
        },
      },
      expected: { kind: 'text', text: 'Trocar tamanho' },
    },
    {
      name: 'body text with paramsJson that is not JSON',
      message: { interactiveResponseMessage: { body: { text: 'Sim' }, nativeFlowResponseMessage: { name: 'quick_reply', paramsJson: '{id:sim' } } },
      expected: { kind: 'text', text: 'Sim' },
    },
    {
      name: 'quick reply in a disappearing-messages chat',
      message: { ephemeralMessage: { message: { interactiveResponseMessage: { body: { text: 'Não recebi' }, nativeFlowResponseMessage: { name: 'quick_reply', paramsJson: '{"id":"nao-recebi"}' } } } } },
      expected: { kind: 'text', text: 'Não recebi' },
    },
    {
      // The body is WhatsApp's own label; the answers are form fields. Kept, not read as words.
      name: 'WhatsApp Flows form submission (name flow, flow_token)',
      message: {
        interactiveResponseMessage: {
          body: { text: 'Sent', format: proto.Message.InteractiveResponseMessage.Body.Format.EXTENSIONS_1 },
          nativeFlowResponseMessage: { name: 'flow', paramsJson: '{"flow_token":"AQAAAAACS5FpgQ_cAAAAAD0QI3s.","cep":"30130-000","numero":"12"}', version: 3 },
        },
      },
      expected: { kind: 'other', type: 'interactiveResponseMessage' },
    },
    {
      name: 'form submission under another name (galaxy_message) is still a form',
      message: {
        interactiveResponseMessage: {
          body: { text: 'Sent', format: proto.Message.InteractiveResponseMessage.Body.Format.DEFAULT },
          nativeFlowResponseMessage: { name: 'galaxy_message', paramsJson: '{"screen_0_TextInput_0":"Ana","flow_token":"AQAAAAACS5FpgQ_cAAAAAE0QI3s."}', version: 3 },
        },
      },
      expected: { kind: 'other', type: 'interactiveResponseMessage' },
    },
    {
      name: 'a native flow that is not a choice (call permission answer)',
      message: { interactiveResponseMessage: { body: { text: 'Allowed' }, nativeFlowResponseMessage: { name: 'call_permission_request', paramsJson: '{"response":"accept"}' } } },
      expected: { kind: 'other', type: 'interactiveResponseMessage' },
    },
    {
      name: 'an interactive response with no text at all',
      message: { interactiveResponseMessage: { body: { text: '   ' }, nativeFlowResponseMessage: { name: 'quick_reply', paramsJson: '{}' } } },
      expected: { kind: 'other', type: 'interactiveResponseMessage' },
    },
  ]);
});

describe('wrappers normalizeMessageContent leaves on', () => {
  runCases([
    {
      // Asking Meta AI inside the chat wraps the text (whatsmeow unwraps it as IsBotInvoke).
      name: 'text inside botInvokeMessage',
      message: { botInvokeMessage: { message: { extendedTextMessage: { text: '@Meta AI qual o prazo de troca?' } } } },
      expected: { kind: 'text', text: '@Meta AI qual o prazo de troca?' },
    },
    {
      name: 'botInvokeMessage inside a disappearing-messages chat',
      message: { ephemeralMessage: { message: { botInvokeMessage: { message: { conversation: 'oi' } } } } },
      expected: { kind: 'text', text: 'oi' },
    },
    {
      name: 'an empty botInvokeMessage stays other',
      message: { botInvokeMessage: {} },
      expected: { kind: 'other', type: 'botInvokeMessage' },
    },
  ]);
});
