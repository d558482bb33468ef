import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../src/flows/flow-types.js';
import { loadFlows } from '../../src/flows/load-flows.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { textMessage, incoming } from '../helpers/baileys-messages.js';
import { flowsFromYaml, SHIPPED_FLOWS } from '../helpers/flows.js';
import { openPages, type PagesClient } from '../helpers/pages.js';
import { createShop, type Shop } from '../helpers/shop.js';
import { createWhatsAppShop } from '../helpers/whatsapp-shop.js';

// Issue 20, the gallery's triggers through the public seams: a tag added (by pos-compra's
// marca-promotor step, the API or the customer page) starts the `tagged` flows once per addition;
// a stranger's plain first message starts the `first_message` flows, and nothing else ever does;
// a message naming {{ shop.review_url }} with SHOP_REVIEW_URL unset is skipped, never sent blank.

const GALLERY: Flow[] = loadFlows(path.resolve(import.meta.dirname, '../../gallery'), { locale: 'pt-BR' }).flows;
const gallery = (id: string) => GALLERY.find((flow) => flow.id === id)!;

const ANA = '+5511912345678';
const BIA = '+5521998765432';
const OWNER = '+5511900001111';
const REVIEW_URL = 'https://g.page/r/CafeDaAna/review';

let open: { close(): Promise<void> } | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function shop(flows: Flow[], env: Record<string, string> = {}): Promise<Shop> {
  const app = await createShop({
    flows,
    clock: new ManualClock('2026-11-20T13:00:00Z'),
    env: { OWNER_PHONE: OWNER, SHOP_NAME: 'Café da Ana', SHOP_REVIEW_URL: REVIEW_URL, ...env },
  });
  open = app;
  return app;
}

function runsOf(app: Shop, phone: string, flowId: string) {
  const customer = app.repos.customers.findByPhone(phone);
  return customer ? app.repos.runs.listFor(customer.id).filter((run) => run.flowId === flowId) : [];
}

/** Ana buys, and pos-compra goes on to its 0-to-10 poll a week later; she answers `score`. */
async function promoter(app: Shop, score = '10') {
  await app.buy({ externalId: 'p1', customer: { phone: ANA, name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });
  await app.travel('1h');
  await app.travel('3d');
  await app.travel('4d');
  expect(app.received(ANA).at(-1)).toMatch(/^\[enquete\] Ana, de 0 a 10/);
  await app.reply(ANA, score);
  await app.travel('1m');
}

/** A tagged flow without the gallery's once-ever filter: each addition of `vip` starts it. */
const VIP = `id: vip
version: 1
name: VIP
trigger:
  type: tagged
  tag: vip
steps:
  - id: espera
    wait: 1d
  - id: parabens
    send: "Oi, {{ customer.first_name }}! Agora você é cliente VIP da equipe {{ shop.name }} 💚"
`;

describe('trigger: tagged', () => {
  it('a 10 on pos-compra tags promotor, which starts avaliacao-google once; the link goes two days after the referral ask, at 10:00', async () => {
    const app = await shop([...SHIPPED_FLOWS, gallery('avaliacao-google')]);
    await promoter(app);
    const ana = app.repos.customers.findByPhone(ANA)!;
    expect(ana.tags).toContain('promotor');
    expect(app.received(ANA).at(-1)).toMatch(/^Que alegria, Ana! 💚 Conhece alguém/);
    const purchase = app.repos.purchases.listByCustomer(ana.id)[0]!;
    expect(runsOf(app, ANA, 'avaliacao-google')).toEqual([
      expect.objectContaining({ status: 'waiting', occurrence: expect.stringMatching(/^tagged:promotor:\d+$/), purchaseId: purchase.id }),
    ]);

    // Nothing the next day: the referral ask has the customer's attention.
    const askedAt = app.clock.now();
    await app.travel('1d');
    expect(app.received(ANA).filter((text) => text.includes(REVIEW_URL))).toEqual([]);
    await app.travel('2d');
    const review = app.deliveries(ANA).filter((delivery) => delivery.text.includes(REVIEW_URL));
    expect(review).toHaveLength(1);
    expect(review[0]!.text).toBe(
      `Oi, Ana! Aqui é a equipe Café da Ana 💚 Que alegria saber que você gostou da experiência com a gente. Se puder, deixe sua avaliação no Google: leva menos de um minuto e ajuda muito quem ainda não nos conhece. ${REVIEW_URL}`,
    );
    // 10:00 in São Paulo, at least two days after the referral ask.
    expect(Date.parse(review[0]!.at) - askedAt).toBeGreaterThanOrEqual(2 * 86_400_000);
    expect(review[0]!.at).toMatch(/T13:0\d:/);
    expect(app.repos.customers.findByPhone(ANA)!.tags).toEqual(expect.arrayContaining(['promotor', 'avaliacao-pedida']));
  });

  it('a promoter again, who already has the tag, is not asked again; nor after the tag is removed and added (the gallery flow asks once ever)', async () => {
    const app = await shop([...SHIPPED_FLOWS, gallery('avaliacao-google')]);
    await promoter(app);
    await app.travel('3d');
    expect(runsOf(app, ANA, 'avaliacao-google')).toEqual([expect.objectContaining({ status: 'done', endReason: 'completed' })]);

    // A second purchase, a 9 again: marca-promotor runs, but the tag is not new to her.
    await app.buy({ externalId: 'p2', customer: { phone: ANA, name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });
    await app.travel('1h');
    await app.travel('3d');
    await app.travel('4d');
    await app.reply(ANA, '9');
    await app.travel('1m');
    expect(app.repos.answers.listFor(app.repos.customers.findByPhone(ANA)!.id).map((answer) => answer.value)).toEqual(['10', '9']);
    expect(runsOf(app, ANA, 'avaliacao-google')).toHaveLength(1);

    // The seller removes it and adds it again: a new addition, but avaliacao-pedida keeps her out.
    const id = app.repos.customers.findByPhone(ANA)!.id;
    const tags = app.repos.customers.findById(id)!.tags;
    expect((await app.api({ method: 'PATCH', url: `/api/customers/${id}`, payload: { tags: tags.filter((tag) => tag !== 'promotor') } })).statusCode).toBe(200);
    expect((await app.api({ method: 'PATCH', url: `/api/customers/${id}`, payload: { tags } })).statusCode).toBe(200);
    expect(runsOf(app, ANA, 'avaliacao-google')).toHaveLength(1);
    await app.travel('3d');
    expect(app.received(ANA).filter((text) => text.includes(REVIEW_URL))).toHaveLength(1);
  });

  it('PATCH /api/customers/:id: each addition of the tag starts the flow once; the tag already there, or added again while the run is under way, starts nothing', async () => {
    const app = await shop(flowsFromYaml({ 'vip.yaml': VIP }));
    const { customer } = await app.buy({ externalId: 'p1', customer: { phone: ANA, name: 'Ana Souza' } });
    const patch = async (tags: string[]) => {
      const response = await app.api({ method: 'PATCH', url: `/api/customers/${customer.id}`, payload: { tags } });
      expect(response.statusCode, response.body).toBe(200);
    };
    expect(runsOf(app, ANA, 'vip')).toEqual([]);

    await patch(['cafe', 'VIP']);
    expect(runsOf(app, ANA, 'vip')).toHaveLength(1);
    await patch(['vip', 'cafe', 'frete-gratis']);
    expect(runsOf(app, ANA, 'vip')).toHaveLength(1);
    // Removed and added again while the first run still waits: one message is enough.
    await patch(['cafe']);
    await app.travel('1m');
    await patch(['cafe', 'vip']);
    expect(runsOf(app, ANA, 'vip')).toHaveLength(1);

    await app.travel('1d');
    expect(app.received(ANA)).toEqual(['Oi, Ana! Agora você é cliente VIP da equipe Café da Ana 💚']);
    await patch(['cafe']);
    await app.travel('1m');
    await patch(['cafe', 'vip']);
    expect(runsOf(app, ANA, 'vip').map((run) => run.status)).toEqual(['done', 'waiting']);
    await app.travel('1d');
    expect(app.received(ANA)).toHaveLength(2);
  });

  it('the customer page’s form (Clientes › Editar) starts it too', async () => {
    const pages: PagesClient = await openPages({
      flows: flowsFromYaml({ 'vip.yaml': VIP }),
      clock: new ManualClock('2026-11-20T13:00:00Z'),
      env: { SHOP_NAME: 'Café da Ana' },
    });
    open = pages.app;
    const { customer } = await pages.app.buy({ externalId: 'p1', customer: { phone: ANA, name: 'Ana Souza' } });
    const saved = await pages.post(`/customers/${customer.id}/edit`, { name: 'Ana Souza', birthday: '', email: '', tags: 'cafe, vip' });
    expect(saved.statusCode, saved.body).toBe(303);
    expect(runsOf(pages.app, ANA, 'vip')).toHaveLength(1);
    // Saved again with the same tags (a name corrected): nothing new.
    expect((await pages.post(`/customers/${customer.id}/edit`, { name: 'Ana Souza Lima', birthday: '', email: '', tags: 'cafe, vip' })).statusCode).toBe(303);
    expect(runsOf(pages.app, ANA, 'vip')).toHaveLength(1);
  });

  it('a customer spreadsheet import brings tags without starting it; a flow turned off starts no run', async () => {
    const off = flowsFromYaml({ 'vip.yaml': VIP.replace('name: VIP\n', 'name: VIP\nenabled: false\n') });
    const app = await shop([...off, ...flowsFromYaml({ 'promo.yaml': VIP.replace('id: vip', 'id: promo').replace('tag: vip', 'tag: promo') })]);
    const csv = 'nome;telefone;etiquetas\nAna Souza;(11) 91234-5678;promo\n';
    const imported = await app.api({ method: 'POST', url: '/api/customers/import', payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(imported.statusCode, imported.body).toBe(200);
    const ana = app.repos.customers.findByPhone(ANA)!;
    expect(ana.tags).toEqual(['promo']);
    expect(runsOf(app, ANA, 'promo')).toEqual([]);
    await app.api({ method: 'PATCH', url: `/api/customers/${ana.id}`, payload: { tags: ['promo', 'vip'] } });
    expect(runsOf(app, ANA, 'vip')).toEqual([]);
    expect(runsOf(app, ANA, 'promo')).toEqual([]);
  });
});

describe('trigger: first_message', () => {
  const WELCOME = /^Oi, Bia! Que bom ter você por aqui 😊 Aqui é a equipe Café da Ana\./;

  it('"oi, tudo bem?" from a number the shop never talked to gets the welcome at once; a second message never', async () => {
    const app = await shop([...SHIPPED_FLOWS, gallery('boas-vindas')]);
    await app.reply(BIA, { text: 'oi, tudo bem?', name: 'Bia Lima' });
    await app.travel('1m');
    expect(app.received(BIA)).toEqual([expect.stringMatching(WELCOME)]);
    expect(runsOf(app, BIA, 'boas-vindas')).toEqual([expect.objectContaining({ occurrence: 'first_message', status: 'done' })]);

    await app.reply(BIA, 'obrigada! 😊');
    await app.travel('1m');
    await app.reply(BIA, 'boa tarde');
    await app.travel('1h');
    expect(app.received(BIA)).toHaveLength(1);
    expect(runsOf(app, BIA, 'boas-vindas')).toHaveLength(1);
  });

  it.each<[string, string | Record<string, unknown>]>([
    ['SAIR', 'SAIR'],
    ['a message that may be a request to stop', 'não quero mais receber mensagens'],
    ['a complaint', 'péssimo atendimento, quero meu dinheiro de volta'],
    ['a question', 'vocês entregam em Niterói?'],
    ['a voice note', { media: { type: 'audio' } }],
    ['a photo with words', { media: { type: 'image', caption: 'oi! vi no Instagram' } }],
    ['a sticker', { media: { type: 'sticker' } }],
    ['a contact card', { contact: { name: 'Carla', phones: ['+5511987654321'] } }],
  ])('%s as the first message starts nothing automated', async (_, message) => {
    const app = await shop([...SHIPPED_FLOWS, gallery('boas-vindas')]);
    await app.reply(BIA, message);
    await app.travel('1h');
    expect(runsOf(app, BIA, 'boas-vindas')).toEqual([]);
    expect(app.received(BIA).filter((text) => /Que bom ter você por aqui/.test(text))).toEqual([]);
    // And her next, plain message is no first message any more.
    await app.reply(BIA, 'oi');
    await app.travel('1h');
    expect(runsOf(app, BIA, 'boas-vindas')).toEqual([]);
  });

  it('an answer to our question, the customer’s first message ever, starts nothing', async () => {
    const app = await shop([...SHIPPED_FLOWS, gallery('boas-vindas')]);
    await promoter(app, '9');
    expect(app.repos.answers.listFor(app.repos.customers.findByPhone(ANA)!.id).map((answer) => answer.value)).toEqual(['9']);
    expect(runsOf(app, ANA, 'boas-vindas')).toEqual([]);
  });

  it('a buyer’s first words, while the thank-you waits for them, get the thank-you and no welcome', async () => {
    const app = await shop([...SHIPPED_FLOWS, gallery('boas-vindas')]);
    await app.buy({ externalId: 'p1', customer: { phone: ANA, name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });
    await app.reply(ANA, 'oi, tudo bem?');
    await app.travel('1m');
    expect(app.received(ANA)).toEqual([expect.stringMatching(/^Oi, Ana! Aqui é/)]);
    expect(runsOf(app, ANA, 'boas-vindas')).toEqual([]);
  });

  it('someone the owner already wrote to from the phone gets no welcome', async () => {
    const app = await shop([gallery('boas-vindas')]);
    app.simulator.ownerTypes(BIA, 'Oi Bia, aqui é a Ana da loja! Seu pedido ficou pronto.');
    await app.traffic.settled();
    await app.travel('25h');
    await app.reply(BIA, 'oi, tudo bem?');
    await app.travel('1m');
    expect(runsOf(app, BIA, 'boas-vindas')).toEqual([]);
  });

  it('a first message in quiet hours: the welcome is not sent the next morning, hours late (max_lateness: 2h)', async () => {
    const app = await shop([gallery('boas-vindas')]);
    // 22:00 in São Paulo: QUIET_HOURS 20:00-09:00 holds it.
    await app.travel({ to: '2026-11-21T01:00:00Z' });
    await app.reply(BIA, { text: 'boa noite!', name: 'Bia Lima' });
    await app.travel('14h');
    expect(app.received(BIA)).toEqual([]);
    expect(app.repos.outbox.list({ limit: 10 }).map((row) => [row.stepId, row.status])).toEqual([['boas-vindas', 'expired']]);
  });

  it('a flow turned off starts no run', async () => {
    const off = flowsFromYaml({ 'b.yaml': 'id: b\nversion: 1\nname: B\nenabled: false\ntrigger: first_message\nsteps:\n  - id: oi\n    send: "Oi!"\n' });
    const app = await shop(off);
    await app.reply(BIA, 'oi, tudo bem?');
    await app.travel('1m');
    expect(runsOf(app, BIA, 'b')).toEqual([]);
    expect(app.received(BIA)).toEqual([]);
  });

  it('on the WhatsApp adapter: a real-shaped "oi, tudo bem?" is welcomed; a real voice note is not', async () => {
    const BIA_JID = '5521998765432@s.whatsapp.net';
    const CARLA = '+5511987654321';
    const CARLA_JID = '5511987654321@s.whatsapp.net';
    const s = await createWhatsAppShop({ registered: { [BIA]: BIA_JID, [CARLA]: CARLA_JID }, flows: [gallery('boas-vindas')] });
    open = s;
    await s.receive(incoming(BIA_JID, { conversation: 'oi, tudo bem?' }, {}, 'Bia Lima'));
    await s.receive(incoming(CARLA_JID, { audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 7 } }, {}, 'Carla'));
    await s.travel('1m');
    expect(s.sentTo().filter((sent) => sent.jid === BIA_JID).map((sent) => sent.text)).toEqual([expect.stringMatching(WELCOME)]);
    expect(s.sentTo().filter((sent) => sent.jid === CARLA_JID)).toEqual([]);
    await s.receive(textMessage(CARLA_JID, 'oi'));
    await s.travel('1m');
    expect(s.sentTo().filter((sent) => sent.jid === CARLA_JID)).toEqual([]);
  });
});

describe('{{ shop.review_url }} without SHOP_REVIEW_URL', () => {
  it('the review request is recorded as skipped (no_review_url), never sent with a blank link; the log says so once; the flow goes on', async () => {
    const app = await shop([...SHIPPED_FLOWS, gallery('avaliacao-google')], { SHOP_REVIEW_URL: '' });
    expect(app.config.shopReviewUrl).toBeNull();
    await promoter(app);
    await app.travel('3d');
    expect(app.received(ANA).filter((text) => /avaliação no Google/.test(text))).toEqual([]);
    const skipped = app.repos.outbox.list({ limit: 100 }).filter((row) => row.stepId === 'pedido-avaliacao');
    expect(skipped).toEqual([expect.objectContaining({ status: 'skipped', lastError: 'no_review_url' })]);
    // The run went on past it: the tag step after it ran.
    expect(runsOf(app, ANA, 'avaliacao-google')).toEqual([expect.objectContaining({ status: 'done', endReason: 'completed' })]);
    expect(app.repos.customers.findByPhone(ANA)!.tags).toContain('avaliacao-pedida');

    // A second customer skipped the same way: no second warning.
    await app.buy({ externalId: 'p2', customer: { phone: BIA, name: 'Bia Lima' }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });
    const bia = app.repos.customers.findByPhone(BIA)!;
    await app.api({ method: 'PATCH', url: `/api/customers/${bia.id}`, payload: { tags: ['promotor'] } });
    await app.reply(BIA, 'oi');
    await app.travel('3d');
    expect(app.repos.outbox.list({ limit: 100 }).filter((row) => row.stepId === 'pedido-avaliacao').map((row) => row.lastError)).toEqual(['no_review_url', 'no_review_url']);
    const warnings = app.logs.filter((line) => line.includes('SHOP_REVIEW_URL está vazio'));
    expect(warnings).toHaveLength(1);
  });

  it('the Envios page says why, in the seller’s words', async () => {
    const pages = await openPages({
      flows: [...SHIPPED_FLOWS, gallery('avaliacao-google')],
      clock: new ManualClock('2026-11-20T13:00:00Z'),
      env: { SHOP_NAME: 'Café da Ana', OWNER_PHONE: OWNER },
    });
    open = pages.app;
    await promoter(pages.app);
    await pages.app.travel('3d');
    const page = await pages.get('/outbox?status=skipped');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('a mensagem leva o link de avaliação da loja, mas SHOP_REVIEW_URL está vazio: não foi enviada com o link em branco');
  });

  it('SHOP_REVIEW_URL must be an https address', async () => {
    const { loadConfig } = await import('../../src/config.js');
    expect(loadConfig({ SHOP_REVIEW_URL: ' https://g.page/r/CafeDaAna/review ' }, '/').shopReviewUrl).toBe(REVIEW_URL);
    expect(loadConfig({ SHOP_REVIEW_URL: 'https://search.google.com/local/writereview?placeid=ChIJ123' }, '/').shopReviewUrl).toBe(
      'https://search.google.com/local/writereview?placeid=ChIJ123',
    );
    expect(loadConfig({}, '/').shopReviewUrl).toBeNull();
    for (const bad of ['http://g.page/r/CafeDaAna/review', 'g.page/r/CafeDaAna/review', 'https://g.page/r/Cafe Da Ana', 'https://']) {
      expect(() => loadConfig({ SHOP_REVIEW_URL: bad }, '/'), bad).toThrow(/SHOP_REVIEW_URL=.*deve ser o link em que o cliente avalia a loja, começando com https:\/\//);
    }
  });
});
