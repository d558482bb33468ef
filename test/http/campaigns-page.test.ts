import { afterEach, describe, expect, it } from 'vitest';
import { addCustomer, segmentOf } from '../campaigns/campaign-helpers.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

// The test clock starts on Friday 2026-11-20 at 12:00 in São Paulo (15:00Z); quiet hours 20:00–09:00.
const ROOMY = { COLD_WARMUP: 'off', COLD_DAILY_CAP: '1000' };
const TEXT = 'Oi, {{ customer.first_name }}! Chegou o café novo na {{ shop.name }}.';

let client: PagesClient | undefined;
afterEach(async () => {
  await client?.app.close();
  client = undefined;
});

/** The text of the page's main element, tags removed and spaces collapsed. */
function mainText(body: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(body)?.[1] ?? '';
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Six members of "Clube": Ana and Gil may receive it, Bia has no marketing consent, Caio opted
 * out, Duda is paused and Edu too; Fábio (consenting) is not a member.
 */
async function clube(c: PagesClient) {
  const shop = c.app;
  const ana = await addCustomer(shop, '+5511912340001', { consent: true, tags: ['clube'] });
  const bia = await addCustomer(shop, '+5511912340002', { consent: false, tags: ['clube'] });
  const caio = await addCustomer(shop, '+5511912340003', { consent: true, tags: ['clube'] });
  const duda = await addCustomer(shop, '+5511912340004', { consent: true, tags: ['clube'] });
  const edu = await addCustomer(shop, '+5511912340005', { consent: true, tags: ['clube'] });
  const fabio = await addCustomer(shop, '+5511912340006', { consent: true });
  const gil = await addCustomer(shop, '+5511912340007', { consent: true, tags: ['clube'] });
  expect((await shop.api({ method: 'POST', url: `/api/customers/${caio.id}/opt-out` })).statusCode).toBe(200);
  for (const paused of [duda, edu]) expect((await shop.api({ method: 'POST', url: `/api/customers/${paused.id}/pause` })).statusCode).toBe(200);
  const segment = await segmentOf(shop, 'Clube', ['clube']);
  return { segment, ana, bia, caio, duda, edu, fabio, gil };
}

const form = (segment: string, extra: Record<string, string> = {}) => ({ segment, kind: 'text', variants: '1', 'v0.text': TEXT, when: 'now', attribution_days: '7', ...extra });

/** The hidden fields of the Conferir step's form, as the browser posts them back. */
function hiddenFields(body: string): Record<string, string> {
  const formHtml = /<form method="post" action="\/campaigns" [^>]*>([\s\S]*?)<\/form>/.exec(body)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const match of formHtml.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1]!] = match[2]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  return fields;
}

describe('the Campanhas pages', () => {
  it('lists no campaign at first, with the way to a new one, in the menu', async () => {
    client = await openPages();
    const page = await client.get('/campaigns');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a href="/campaigns" aria-current="page">Campanhas</a>');
    expect(mainText(page.body)).toContain('Nenhuma campanha ainda.');
    expect(page.body).toContain('href="/campaigns/new"');
  });

  it('the form offers the segments with their counts, the kinds of question and the live preview', async () => {
    client = await openPages();
    await clube(client);
    const page = await client.get('/campaigns/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<option value="clube">Clube (6)</option>');
    expect(page.body).toContain('<option value="mais-valiosos">');
    expect(page.body).toContain('<option value="choice">Escolha entre opções</option>');
    // The flow editor's preview and name picker, with the names a campaign may use (no purchase.*).
    expect(page.body).toContain('data-preview="/flows/preview"');
    expect(page.body).toContain('<script src="/assets/flow-editor.js" defer></script>');
    expect(page.body).toContain('<option value="{{ customer.first_name }}">');
    expect(page.body).not.toContain('{{ purchase.');
    expect((await client.get('/assets/campaign-form.js')).statusCode).toBe(200);
  });

  it('Conferir shows who gets it, who does not and why with exact counts, the time to send and the sample; nothing is stored', async () => {
    client = await openPages({ env: ROOMY });
    const { segment } = await clube(client);
    const check = await client.post('/campaigns/new', form(segment, { name: 'Café novo' }));
    expect(check.statusCode, mainText(check.body)).toBe(200);
    const text = mainText(check.body);
    expect(text).toContain('Vão receber: 2');
    expect(text).toContain('Não vão receber: 4');
    expect(text).toContain('automação pausada por você para este cliente: 2');
    expect(text).toContain('sem consentimento para mensagens da loja: 1');
    expect(text).toContain('o cliente pediu para sair: 1');
    // Friday 12:00 in São Paulo, two messages 40 s apart (SEND_GAP_SECONDS 20–60).
    expect(text).toContain('A primeira sai por volta de 20/11/2026, 12:00 e a última por volta de 20/11/2026, 12:00 (cerca de 1 min).');
    expect(text).toContain(`Como chega para Cliente 0001 Oi, Cliente! Chegou o café novo na ${client.app.config.shopName}.`);
    expect(client.app.db.sqlite.prepare('SELECT count(*) AS n FROM campaigns').get()).toEqual({ n: 0 });
    const fields = hiddenFields(check.body);
    expect(fields).toMatchObject({ segment, name: 'Café novo', 'v0.text': TEXT, kind: 'text', variants: '1' });
    expect(fields.seed).toMatch(/^\d+$/);
    // "Voltar e editar" draws the form again with what was typed.
    const edit = await client.post('/campaigns/new', { ...fields, action: 'edit' });
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="Café novo"');
    expect(edit.body).toContain('<option value="clube" selected>');
  });

  it('bad input answers 400 with each error at its field and the values kept', async () => {
    client = await openPages();
    const { segment } = await clube(client);
    const missing = await client.post('/campaigns/new', form('', { 'v0.text': 'Oi {{ customer.nome }}', attribution_days: '0' }));
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toMatch(/id="segment-error">Escolha o segmento/);
    expect(missing.body).toMatch(/id="attribution_days-error">Use um número de dias de 1 a 90/);
    expect(missing.body).toContain('Oi {{ customer.nome }}</textarea>');

    const template = await client.post('/campaigns/new', form(segment, { 'v0.text': 'Oi {{ customer.nome }}' }));
    expect(template.statusCode).toBe(400);
    expect(template.body).toMatch(/id="v0-text-error">[^<]*customer\.nome/);
    expect(template.body).toContain('<textarea id="v0-text" name="v0.text" rows="4" class="liquid" aria-invalid="true" aria-describedby="v0-text-error">Oi {{ customer.nome }}</textarea>');

    const abc = await client.post('/campaigns/new', form(segment, { variants: '2', 'v1.text': 'Sobre {{ purchase.products }}' }));
    expect(abc.statusCode).toBe(400);
    expect(abc.body).toMatch(/id="v1-text-error">Uma campanha não fala de uma compra/);

    const choice = await client.post('/campaigns/new', form(segment, { kind: 'question', ask_kind: 'choice', 'v0.question': 'Qual sabor?' }));
    expect(choice.statusCode).toBe(400);
    expect(choice.body).toMatch(/id="v0-options-error">/);

    const past = await client.post('/campaigns/new', form(segment, { when: 'later', send_at: '2026-11-19T12:00' }));
    expect(past.statusCode).toBe(400);
    expect(past.body).toMatch(/id="send_at-error">Essa data de envio já passou/);
    expect(past.body).toContain('value="2026-11-19T12:00"');

    const unknown = await client.post('/campaigns', form('nao-existe'));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toMatch(/id="segment-error">[^<]*nao-existe/);
    expect(client.app.db.sqlite.prepare('SELECT count(*) AS n FROM campaigns').get()).toEqual({ n: 0 });
  });

  it('Enviar creates it as checked (an A/B split by the seed shown) and its page shows the results per variant with the counts; the list shows it', async () => {
    client = await openPages({ env: ROOMY });
    const { segment, ana, gil } = await clube(client);
    const check = await client.post('/campaigns/new', form(segment, { name: 'Café novo', variants: '2', 'v1.text': 'Novidade na {{ shop.name }}!' }));
    expect(check.statusCode, mainText(check.body)).toBe(200);
    const perVariant = /variante A: (\d+) · variante B: (\d+)/.exec(mainText(check.body));
    expect(perVariant).not.toBeNull();
    const sent = await client.post('/campaigns', hiddenFields(check.body));
    expect(sent.statusCode, sent.body).toBe(303);
    expect(sent.headers.location).toBe('/campaigns/1?notice=created');
    const stored = client.app.db.sqlite.prepare('SELECT variant, count(*) AS n FROM campaign_recipients WHERE variant IS NOT NULL GROUP BY variant ORDER BY variant').all() as { variant: string; n: number }[];
    expect(Object.fromEntries(stored.map((row) => [row.variant, row.n]))).toEqual(Object.fromEntries([['a', Number(perVariant![1])], ['b', Number(perVariant![2])]].filter(([, n]) => n !== 0)));

    await client.app.travel('1h');
    // Ana replies and buys two days later; Gil does nothing.
    await client.app.reply(ana.phone, 'Quero!');
    await client.app.travel('2d');
    await client.app.buy({ externalId: 'pedido-depois', customer: { phone: ana.phone, name: 'Cliente 0001' }, items: [{ sku: 'CAFE-250', name: 'Café', quantity: 2, unitPrice: 39.9 }] });
    void gil;

    const page = await client.get('/campaigns/1');
    expect(page.statusCode).toBe(200);
    const text = mainText(page.body);
    expect(text).toContain('Situação enviada');
    expect(text).toMatch(/Na fila 0 Enviadas 2 Não enviadas 0/);
    expect(text).toContain('Compraram em até 7 dias');
    expect(text).toMatch(/Compras e faturamento 1 compra, R\$ 79,80/);
    expect(text).toMatch(/Responderam 1 de 1 \(100%\)|Responderam 0 de 1 \(0%\)/);
    // Two variants: the back end's verdicts (replies, purchases), with their counts, as it gave them.
    expect(page.body).toContain('id="campaign-verdict"');
    expect(text).toMatch(/Ainda é cedo para comparar respostas|Nenhuma diferença além do acaso em respostas/);
    expect(page.body).not.toContain('id="cancel-campaign"');

    const list = mainText((await client.get('/campaigns')).body);
    expect(list).toContain('Café novo · enviada');
    expect(list).toContain('Segmento Clube');
    expect(list).toMatch(/Destinatários 2 Enviadas 2 de 2 Responderam 1 de 2 enviadas/);
  });

  it('Cancelar asks for the confirmation, then stops what has not gone', async () => {
    client = await openPages({ env: ROOMY });
    const { segment } = await clube(client);
    // Tomorrow (Saturday) at 10:00: still scheduled.
    const check = await client.post('/campaigns/new', form(segment, { when: 'later', send_at: '2026-11-21T10:00' }));
    expect(check.statusCode, mainText(check.body)).toBe(200);
    expect(mainText(check.body)).toContain('A primeira sai por volta de 21/11/2026, 10:00');
    expect((await client.post('/campaigns', hiddenFields(check.body))).statusCode).toBe(303);
    const page = await client.get('/campaigns/1');
    expect(mainText(page.body)).toContain('Situação agendada');
    expect(page.body).toContain('id="cancel-campaign"');

    const unconfirmed = await client.post('/campaigns/1/cancel');
    expect(unconfirmed.statusCode).toBe(400);
    expect(mainText(unconfirmed.body)).toContain('Para cancelar, marque a confirmação');
    expect(client.app.db.sqlite.prepare("SELECT status FROM campaigns WHERE id = 1").get()).toEqual({ status: 'active' });

    const cancelled = await client.post('/campaigns/1/cancel', { confirm: '1' });
    expect(cancelled.statusCode).toBe(303);
    expect(cancelled.headers.location).toBe('/campaigns/1?notice=cancelled');
    const after = mainText((await client.get('/campaigns/1?notice=cancelled')).body);
    expect(after).toContain('Campanha cancelada');
    expect(after).toContain('Situação cancelada');
    expect(after).toContain('fluxo parado por você: 2');
    await client.app.travel('2d');
    expect(client.app.simulator.sendCalls).toHaveLength(0);
    expect((await client.get('/campaigns/99')).statusCode).toBe(404);
    expect((await client.post('/campaigns/99/cancel', { confirm: '1' })).statusCode).toBe(404);
  });

  it('every form needs its CSRF token and the pages need the sign-in', async () => {
    client = await openPages();
    const { segment } = await clube(client);
    for (const url of ['/campaigns/new', '/campaigns']) {
      const response = await client.app.app.inject({
        method: 'POST',
        url,
        cookies: client.cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form(segment)).toString(),
      });
      expect(response.statusCode, url).toBe(403);
    }
    expect(client.app.db.sqlite.prepare('SELECT count(*) AS n FROM campaigns').get()).toEqual({ n: 0 });
    const anonymous = await client.app.app.inject({ method: 'GET', url: '/campaigns' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).toContain('name="next" value="/campaigns"');
  });

  it('a campaign message on Envios and on the customer timeline reads as the campaign and its variant', async () => {
    client = await openPages({ env: ROOMY });
    const { segment, ana } = await clube(client);
    const check = await client.post('/campaigns/new', form(segment, { name: 'Café novo' }));
    expect((await client.post('/campaigns', hiddenFields(check.body))).statusCode).toBe(303);
    await client.app.travel('1h');
    const outbox = await client.get('/outbox');
    expect(outbox.body).toContain('<a href="/campaigns/1">Campanha “Café novo” (variante A)</a>');
    const timeline = mainText((await client.get(`/customers/${ana.id}`)).body);
    expect(timeline).not.toContain('campanha:1:a');
    expect(timeline).toContain('Campanha “Café novo” (variante A)');
  });
});
