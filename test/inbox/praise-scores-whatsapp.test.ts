import type { WAMessageContent } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { incoming } from '../helpers/baileys-messages.js';
import { shopAtTheNpsQuestion } from '../helpers/whatsapp-shop.js';

// Scores written the way people praise, as WhatsApp delivers them (WAMessageContent typed by Baileys
// 7.0.0-rc14's proto), through the real adapter, the inbox and the shipped pos-compra flow's NPS.
// The phrases are from public reviews (test/inbox/praise-scores.test.ts names the sources).

const ANA = '+5531999668527';
const ANA_JID = '5531999668527@s.whatsapp.net';

describe('praise beyond the scale answers the NPS with its top', () => {
  it.each<[string, (pollId: string) => WAMessageContent, string, string | null]>([
    ['"Nota mil" as a conversation', () => ({ conversation: 'Nota mil' }), '10', null],
    ['"Pra mim você é nota mil" quoting the poll', (pollId) => ({ extendedTextMessage: { text: 'Pra mim você é nota mil', contextInfo: { stanzaId: pollId, quotedMessage: { pollCreationMessageV3: { name: 'Ana, de 0 a 10…' } } } } }), '10', null],
    ['"💯" with disappearing messages on', () => ({ ephemeralMessage: { message: { extendedTextMessage: { text: '💯' } } } }), '10', null],
    ['"nota 1000, chegou rapidinho" as a photo caption', () => ({ imageMessage: { caption: 'nota 1000, chegou rapidinho', mimetype: 'image/jpeg' } }), '10', 'chegou rapidinho'],
  ])('%s', async (_what, content, value, comment) => {
    const { shop, pollId } = await shopAtTheNpsQuestion(ANA, ANA_JID);
    await shop.receive(incoming(ANA_JID, content(pollId)));
    const ana = shop.repos.customers.findByPhone(ANA)!;
    expect(shop.repos.answers.listFor(ana.id)).toEqual([expect.objectContaining({ kind: 'nps', value, comment })]);
    expect(ana.tags).toContain('promotor');
  });

  it('"nota 11" is merely out of range: not guessed, one clarification', async () => {
    const { shop } = await shopAtTheNpsQuestion(ANA, ANA_JID);
    await shop.receive(incoming(ANA_JID, { conversation: 'nota 11' }));
    await shop.travel('1m');
    expect(shop.repos.answers.listFor(shop.repos.customers.findByPhone(ANA)!.id)).toEqual([]);
    expect(shop.sentTo().at(-1)!.text).toMatch(/^Só pra eu anotar certinho: qual nota você dá, de 0 a 10/);
  });
});
