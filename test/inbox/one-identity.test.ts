import { afterEach, describe, expect, it } from 'vitest';
import { textMessage } from '../helpers/baileys-messages.js';
import { createWhatsAppShop, type WhatsAppShop } from '../helpers/whatsapp-shop.js';

// One person, one record: a Brazilian mobile that WhatsApp addresses without its ninth digit
// (adiwajshing/Baileys #1997: onWhatsApp('+55 31 99966-8527') answers 553199668527@s.whatsapp.net)
// through the real adapter, the inbox and the shipped flows. Before the fix, each reply from the
// 12-digit JID made a second, empty customer: the NPS answer, the owner's pause and SAIR landed there.

const ANA = '+5531999668527';
const ANA_OLD_JID = '553199668527@s.whatsapp.net';
const ANA_LID = '204857392011434@lid';

let shop: WhatsAppShop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

async function open(): Promise<WhatsAppShop> {
  shop = await createWhatsAppShop({ registered: { [ANA]: ANA_OLD_JID } });
  return shop;
}

const buy = (s: WhatsAppShop, externalId: string) =>
  s.buy({ externalId, customer: { phone: '(31) 99966-8527', name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });

function customers(s: WhatsAppShop) {
  return s.db.sqlite.prepare<[], { id: number; phone: string }>('SELECT id, phone FROM customers WHERE erased_at IS NULL').all();
}

describe('a mobile WhatsApp knows without its ninth digit', () => {
  it('sends to the 12-digit JID and keeps the answer, the pause and SAIR on the one customer', async () => {
    const s = await open();
    await buy(s, 'p1');
    await s.travel('7d');
    // Thanks, tip and the NPS poll all went to the JID WhatsApp gave.
    expect(s.sentTo().map((m) => m.jid)).toEqual([ANA_OLD_JID, ANA_OLD_JID, ANA_OLD_JID]);
    expect(s.sentTo().at(-1)!.text).toMatch(/^\[enquete\] Ana, de 0 a 10/);

    await s.receive(textMessage(ANA_OLD_JID, 'nota 9, mas atrasou'));
    expect(customers(s)).toEqual([{ id: expect.any(Number), phone: ANA }]);
    const ana = s.repos.customers.findByPhone(ANA)!;
    expect(s.repos.answers.listFor(ana.id).map((a) => [a.kind, a.value])).toEqual([['nps', '9']]);

    // The owner writes to her from the shop's phone, to the 12-digit chat: the pause is hers.
    await s.receive({ ...textMessage(ANA_OLD_JID, 'Oi Ana, aqui é a dona!'), key: { remoteJid: ANA_OLD_JID, fromMe: true, id: '3EB0OWNER0000000000001' } });
    expect(s.repos.customers.findByPhone(ANA)!.handoffUntil).not.toBeNull();

    await s.receive(textMessage(ANA_OLD_JID, 'SAIR'));
    expect(s.repos.customers.findByPhone(ANA)!.optedOutAt).not.toBeNull();
    expect(customers(s)).toHaveLength(1);

    await s.travel('1m');
    expect(s.sentTo().at(-1)!.text).toMatch(/^Pronto: você não vai mais receber/);
    // The next purchase sends her nothing.
    const before = s.sentTo().length;
    await buy(s, 'p2');
    await s.travel('2d');
    expect(s.sentTo().slice(before)).toEqual([]);
  });

  it('a LID whose remoteJidAlt is the 12-digit form is the same customer', async () => {
    const s = await open();
    await buy(s, 'p1');
    await s.travel('2h');
    await s.receive(textMessage(ANA_LID, 'obrigada!', { remoteJidAlt: ANA_OLD_JID, addressingMode: 'lid' }));
    // Later messages by LID alone resolve through the mapping that one taught.
    await s.receive(textMessage(ANA_LID, 'SAIR', { addressingMode: 'lid' }));
    expect(customers(s)).toEqual([{ id: expect.any(Number), phone: ANA }]);
    expect(s.repos.customers.findByPhone(ANA)!.optedOutAt).not.toBeNull();
  });

  it("a LID that Baileys' own mapping resolves to the 12-digit form, with a device suffix, is the same customer", async () => {
    shop = await createWhatsAppShop({ registered: { [ANA]: ANA_OLD_JID }, lids: { [ANA_LID]: '553199668527:12@s.whatsapp.net' } });
    const s = shop;
    await buy(s, 'p1');
    await s.receive(textMessage(ANA_LID, 'Quero parar de receber', { addressingMode: 'lid' }));
    expect(customers(s)).toEqual([{ id: expect.any(Number), phone: ANA }]);
  });

  it('a landline and a number of another country keep their digits', async () => {
    const s = await open();
    await s.receive(textMessage('551133334444@s.whatsapp.net', 'oi'), textMessage('351912345678@s.whatsapp.net', 'olá'));
    expect(customers(s).map((c) => c.phone).sort()).toEqual(['+351912345678', '+551133334444']);
  });
});
