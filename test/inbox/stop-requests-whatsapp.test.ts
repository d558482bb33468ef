import type { WAMessageContent } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { incoming } from '../helpers/baileys-messages.js';
import { shopAtTheNpsQuestion } from '../helpers/whatsapp-shop.js';

// Stop requests as WhatsApp delivers them (WAMessageContent from Baileys 7.0.0-rc14's proto, so tsc
// checks every field): a plain conversation, an extendedTextMessage quoting the NPS poll (what a
// phone sends when the customer swipes to reply), a disappearing-messages wrapper, a photo's
// caption, each through the real adapter, the inbox and the shipped flows while the NPS question
// waits. The phrases are real customers' (test/inbox/stop-requests.test.ts has their sources).

const ANA = '+5531999668527';
const ANA_JID = '5531999668527@s.whatsapp.net';

const quoting = (text: string, pollId: string): WAMessageContent => ({
  extendedTextMessage: { text, contextInfo: { stanzaId: pollId, participant: '5511900000000@s.whatsapp.net', quotedMessage: { pollCreationMessageV3: { name: 'Ana, de 0 a 10…' } } } },
});
const ephemeral = (text: string): WAMessageContent => ({ ephemeralMessage: { message: { extendedTextMessage: { text, contextInfo: { expiration: 604800 } } } } });
const captioned = (caption: string): WAMessageContent => ({ imageMessage: { caption, mimetype: 'image/jpeg', fileLength: 48213, height: 1280, width: 960 } });

describe('stop requests in the shapes WhatsApp delivers them, while the NPS waits', () => {
  it.each<[string, (pollId: string) => WAMessageContent]>([
    ['conversation: "nao envie mais"', () => ({ conversation: 'nao envie mais' })],
    ['reply quoting the poll: "Quero parar de receber"', (pollId) => quoting('Quero parar de receber', pollId)],
    ['disappearing messages on: "não quero mais receber essas pesquisas"', () => ephemeral('não quero mais receber essas pesquisas')],
    ['conversation: "nao me ligue mais"', () => ({ conversation: 'nao me ligue mais' })],
    ['a photo captioned "bloqueia meu número aí"', () => captioned('bloqueia meu número aí')],
  ])('%s: opted out, no re-ask, no answer', async (_what, content) => {
    const { shop, pollId } = await shopAtTheNpsQuestion(ANA, ANA_JID);
    await shop.receive(incoming(ANA_JID, content(pollId)));
    await shop.travel('1m');
    const ana = shop.repos.customers.findByPhone(ANA)!;
    expect(ana.optedOutAt).not.toBeNull();
    expect(shop.repos.answers.listFor(ana.id)).toEqual([]);
    expect(shop.sentTo().some((m) => m.text.startsWith('Só pra eu anotar certinho'))).toBe(false);
  });

  it.each<[string, (pollId: string) => WAMessageContent]>([
    ['conversation: "não quero mais"', () => ({ conversation: 'não quero mais' })],
    ['reply quoting the poll: "não tenho interesse"', (pollId) => quoting('não tenho interesse', pollId)],
  ])('%s: may be a stop; nothing automated, paused, the owner asked', async (_what, content) => {
    const { shop, pollId } = await shopAtTheNpsQuestion(ANA, ANA_JID);
    const before = shop.sentTo().length;
    await shop.receive(incoming(ANA_JID, content(pollId)));
    await shop.travel('2d');
    const ana = shop.repos.customers.findByPhone(ANA)!;
    expect(ana.optedOutAt).toBeNull();
    expect(ana.stopReview).not.toBeNull();
    expect(ana.automationPausedAt).not.toBeNull();
    // Nothing went to her JID; the alert was queued for the owner.
    expect(shop.sentTo().slice(before).filter((m) => m.jid === ANA_JID)).toEqual([]);
    expect(shop.repos.outbox.list({ limit: 50 }).some((row) => row.purpose === 'owner' && row.content.kind === 'text' && row.content.text.includes('Pode ser um pedido'))).toBe(true);
  });

  it.each<[string, WAMessageContent]>([
    ['"vou sair de casa mais tarde, pode entregar amanhã?"', { conversation: 'vou sair de casa mais tarde, pode entregar amanhã?' }],
    ['"pode parar na recepção?"', { conversation: 'pode parar na recepção?' }],
    ['"quero parar de sofrer com dor de dente" (disappearing)', ephemeral('quero parar de sofrer com dor de dente')],
  ])('%s is no stop request', async (_what, content) => {
    const { shop } = await shopAtTheNpsQuestion(ANA, ANA_JID);
    await shop.receive(incoming(ANA_JID, content));
    const ana = shop.repos.customers.findByPhone(ANA)!;
    expect(ana.optedOutAt).toBeNull();
    expect(ana.stopReview).toBeNull();
  });
});
