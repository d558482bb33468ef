import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { TEST_TOKEN } from '../helpers/app.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

// The Clientes pages through app.inject, signed in as the seller's browser is; data is set up
// through the API and the repositories, and checked on the pages and in the record.

const ANA = '+5511912345678';
const BRUNO = '+5521998765432';
const HOSTILE = '<script>alert(1)</script>';
/** Friday 20 November 2026, 10:00 in São Paulo. */
const START = '2026-11-20T13:00:00Z';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const PROGRESS = ['sent', 'delivered', 'read'] as const;

let client: PagesClient | undefined;
afterEach(async () => {
  await client?.app.close();
  client = undefined;
});

async function open(options: Parameters<typeof openPages>[0] = {}): Promise<PagesClient> {
  client = await openPages({ clock: new ManualClock(START), ...options });
  return client;
}

function addCustomer(c: PagesClient, phone: string, details: { name?: string | null; tags?: string[]; email?: string | null } = {}) {
  return c.app.repos.customers.create({ phone, details }, c.app.clock.now());
}

/** The text of the page's main element, tags removed and spaces collapsed (entities as Eta wrote them). */
function mainText(body: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(body)?.[1] ?? '';
  return main.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

describe('GET /customers', () => {
  it('needs the session: without it, the sign-in form (401)', async () => {
    const c = await open();
    const response = await c.app.app.inject({ method: 'GET', url: '/customers' });
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('action="/sign-in"');
    expect(response.body).toContain('<input type="hidden" name="next" value="/customers">');
  });

  it('with nobody yet, says so', async () => {
    const c = await open();
    const response = await c.get('/customers');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>Clientes · fregues</title>');
    expect(response.body).toContain('<a href="/customers" aria-current="page">Clientes</a>');
    expect(mainText(response.body)).toContain('Nenhum cliente ainda.');
  });

  it('lists name (or a placeholder), the phone as people write it, tags and the SAIR and paused badges; not the erased', async () => {
    const c = await open();
    const ana = addCustomer(c, ANA, { name: 'Ana Souza', tags: ['vip', 'atacado'] });
    const bruno = addCustomer(c, BRUNO, { name: null });
    const hostile = addCustomer(c, '+5531977776666', { name: HOSTILE });
    const erased = addCustomer(c, '+5541988887777', { name: 'Apagada da Silva' });
    c.app.repos.customers.markOptedOut(bruno.id, c.app.clock.now());
    c.app.repos.customers.pauseAutomation(ana.id, c.app.clock.now());
    c.app.repos.customers.erase(erased.id, c.app.clock.now());

    const response = await c.get('/customers');
    expect(response.statusCode).toBe(200);
    const tbody = /<tbody>([\s\S]*)<\/tbody>/.exec(response.body)![1]!;
    const rows = [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((match) => mainText(`<main>${match[1]}</main>`));
    expect(rows).toEqual([
      '&lt;script&gt;alert(1)&lt;/script&gt; (31) 97777-6666',
      'Sem nome SAIR (21) 99876-5432',
      'Ana Souza Pausado (11) 91234-5678 vip atacado',
    ]);
    expect(response.body).not.toContain(HOSTILE);
    expect(response.body).toContain(`<a href="/customers/${ana.id}">Ana Souza</a>`);
    expect(response.body).toContain(`<a href="/customers/${hostile.id}">`);
    expect(response.body).not.toContain('Apagada');
  });

  it('searches by part of a name, and by digits of a phone however they are typed', async () => {
    const c = await open();
    addCustomer(c, ANA, { name: 'Ana Souza' });
    addCustomer(c, BRUNO, { name: 'Bruno Lima' });
    addCustomer(c, '+5511933334444', { name: 'Ana Clara' });

    const names = async (q: string) => {
      const response = await c.get(`/customers?q=${encodeURIComponent(q)}`);
      expect(response.statusCode).toBe(200);
      return [...response.body.matchAll(/<a href="\/customers\/\d+">([^<]*)<\/a>/g)].map((match) => match[1]);
    };
    expect(await names('ana')).toEqual(['Ana Clara', 'Ana Souza']);
    expect(await names('(11) 91234')).toEqual(['Ana Souza']);
    expect(await names('99876-54')).toEqual(['Bruno Lima']);

    const none = await c.get(`/customers?q=${encodeURIComponent(HOSTILE)}`);
    expect(none.statusCode).toBe(200);
    expect(none.body).not.toContain(HOSTILE);
    expect(mainText(none.body)).toContain('Nenhum cliente com &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; no nome ou no telefone.');
    // What was searched stays in the box.
    expect(none.body).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');

    // A phone being typed, too short to search by: asked for more digits, not told there is nobody (issue 20).
    for (const q of ['91', '(1', '9 1']) {
      const short = await c.get(`/customers?q=${encodeURIComponent(q)}`);
      expect(mainText(short.body)).toContain('Digite pelo menos 3 dígitos do telefone para buscar por número.');
      expect(short.body).not.toContain('Nenhum cliente com');
      expect(await names(q)).toEqual([]);
    }
    expect(await names('912')).toEqual(['Ana Souza']);
  });

  it('pages by 50, newest first, with a next-page link that keeps the search', async () => {
    const c = await open();
    const ids: number[] = [];
    for (let i = 0; i < 52; i += 1) ids.push(addCustomer(c, `+55119${String(10000000 + i)}`, { name: `Cliente ${i}` }).id);
    const first = await c.get('/customers?q=cliente');
    const links = (body: string) => [...body.matchAll(/<a href="\/customers\/(\d+)">/g)].map((match) => Number(match[1]));
    expect(links(first.body)).toEqual(ids.slice(2).reverse());
    const next = /<a href="([^"]+)" rel="next">/.exec(first.body)?.[1];
    expect(next).toBe(`/customers?q=cliente&amp;before=${ids[2]}`);

    const second = await c.get(next!.replace('&amp;', '&'));
    expect(second.statusCode).toBe(200);
    expect(links(second.body)).toEqual([ids[1], ids[0]]);
    expect(second.body).not.toContain('rel="next"');
    expect(second.body).toContain('<a href="/customers?q=cliente">« Primeira página</a>');
  });
});

describe('GET /customers/:id', () => {
  it('404 for an unknown id (or not a number), 410 saying when for an erased customer', async () => {
    const c = await open();
    for (const url of ['/customers/999', '/customers/abc']) {
      const response = await c.get(url);
      expect(response.statusCode).toBe(404);
      expect(response.body).toContain('<h1>Cliente não encontrado</h1>');
    }
    const gone = addCustomer(c, ANA, { name: 'Ana Souza' });
    c.app.clock.advance(3_600_000);
    c.app.repos.customers.erase(gone.id, c.app.clock.now());
    const response = await c.get(`/customers/${gone.id}`);
    expect(response.statusCode).toBe(410);
    expect(mainText(response.body)).toContain(`Os dados do cliente ${gone.id} foram apagados em 20/11/2026, 11:00, a pedido (LGPD).`);
    expect(response.body).not.toContain('Ana Souza');
  });

  it('shows the record and a timeline, newest first: purchases, messages with their ticks, answers, runs, consent', async () => {
    const c = await open({ flows: SHIPPED_FLOWS });
    const { app } = c;
    const bought = await app.buy({
      externalId: 'pedido-77',
      customer: { phone: ANA, name: HOSTILE, email: 'ana@exemplo.com', birthday: '12/03/1990', consent: { marketing: true, source: 'checkout', text: 'Aceito receber ofertas' } },
      items: [
        { sku: 'CAFE-250', name: 'Café especial', quantity: 2, unitPrice: 39.9 },
        { name: 'Filtro de papel', quantity: 1, unitPrice: 12 },
      ],
    });
    const id = bought.customer.id;
    app.repos.customers.setTags(id, ['vip'], app.clock.now());
    const runId = app.repos.runs.listFor(id)[0]!.id;
    const minute = () => app.clock.advance(60_000);

    const out = (waId: string, text: string, status: 'sent' | 'delivered' | 'read' | 'failed' | 'unknown', error?: string) => {
      minute();
      app.repos.messages.record({ customerId: id, direction: 'out', waId, kind: 'text', text, status: 'sending' }, app.clock.now());
      if (status === 'failed' || status === 'unknown') app.repos.messages.changeStatus(waId, { status, at: app.clock.now(), error: error ?? null });
      else for (const step of PROGRESS.slice(0, PROGRESS.indexOf(status) + 1)) app.repos.messages.changeStatus(waId, { status: step, at: app.clock.now() });
    };
    out('m1', 'Obrigado pela compra!', 'read');
    out('m2', 'Uma dica de preparo', 'delivered');
    out('m3', 'De 0 a 10?', 'sent');
    minute();
    app.repos.messages.record({ customerId: id, direction: 'in', waId: 'in1', kind: 'text', text: `9, mas ${HOSTILE}`, status: 'received' }, app.clock.now());
    minute();
    app.repos.answers.record({ customerId: id, runId, stepId: 'pesquisa', kind: 'nps', value: '9', comment: 'a entrega atrasou', messageWaId: 'in1', at: app.clock.now() });
    out('m4', 'Falhou esta', 'failed', 'not_on_whatsapp: +5511912345678');
    out('m5', 'Sem saber', 'unknown');
    minute();
    app.repos.customers.optOut(id, { source: 'whatsapp', text: 'SAIR' }, app.clock.now());

    const response = await c.get(`/customers/${id}`);
    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body).not.toContain(HOSTILE);
    expect(body).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(body).toContain('<a href="https://wa.me/5511912345678" rel="noopener noreferrer" target="_blank">Conversar no WhatsApp</a>');
    const record = mainText(/<dl class="record">([\s\S]*?)<\/dl>/.exec(body)![1]!.replace(/^/, '<main>').concat('</main>'));
    expect(record).toBe('Telefone (11) 91234-5678 · Conversar no WhatsApp E-mail ana@exemplo.com Aniversário 12 de março de 1990 Etiquetas vip Ofertas e lembretes recusou Cliente desde 20/11/2026, 10:00 Conversa ainda não escreveu para a loja');
    expect(mainText(body)).toContain('SAIR Pediu para não receber mais mensagens em 20/11/2026, 10:08.');

    const entries = [...body.matchAll(/<li class="tl ([^"]+)">([\s\S]*?)<\/li>\n(?=\s*<li class="tl|<\/ol>)/g)].map((match) => `${match[1]} | ${mainText(`<main>${match[2]}</main>`)}`);
    expect(entries).toEqual([
      'tl-consent | 20/11/2026, 10:08 Recusou ofertas e lembretes origem: whatsapp “SAIR”',
      'tl-consent | 20/11/2026, 10:08 Pediu para não receber mensagens origem: whatsapp “SAIR”',
      'tl-message tl-out | 20/11/2026, 10:07 Mensagem automática Sem saber sem confirmação de envio',
      'tl-message tl-out | 20/11/2026, 10:06 Mensagem automática Falhou esta não enviada: not_on_whatsapp: +5511912345678',
      'tl-answer | 20/11/2026, 10:05 Resposta a Pós-compra › pesquisa Nota (0 a 10): 9 · “a entrega atrasou”',
      'tl-message tl-in | 20/11/2026, 10:04 Cliente 9, mas &lt;script&gt;alert(1)&lt;/script&gt;',
      'tl-message tl-out | 20/11/2026, 10:03 Mensagem automática De 0 a 10? ✓ enviada',
      'tl-message tl-out | 20/11/2026, 10:02 Mensagem automática Uma dica de preparo ✓✓ entregue',
      'tl-message tl-out | 20/11/2026, 10:01 Mensagem automática Obrigado pela compra! ✓✓ lida',
      // What the purchase brought, at its moment: consent, the runs it started, the purchase.
      'tl-consent | 20/11/2026, 10:00 Aceitou ofertas e lembretes origem: checkout “Aceito receber ofertas”',
      'tl-run | 20/11/2026, 10:00 Fluxo Recompra · em andamento Próximo passo: &quot;lembrete&quot; 20/12/2026, 10:00',
      'tl-run | 20/11/2026, 10:00 Fluxo Pós-compra · em andamento Próximo passo: &quot;agradecimento&quot; 20/11/2026, 10:00',
      'tl-purchase | 20/11/2026, 10:00 Compra · R$ 91,80 (pedido-77) 2 × Café especial Filtro de papel',
    ]);
    // Read in the accent colour; delivered not.
    expect(body).toContain('<span class="ticks ticks-read" title="lida">');
    expect(body).toContain('<span class="ticks" title="entregue">');
  });

  it('shows a run waiting for an answer, and when it gives up', async () => {
    const c = await open({ flows: SHIPPED_FLOWS });
    const { app } = c;
    const id = (await app.buy({ externalId: 'p1', customer: { phone: ANA, name: 'Ana' }, items: [{ name: 'Café' }] })).customer.id;
    // Up to the NPS question of pos-compra, a week after the purchase.
    for (const advance of ['1h', '3d', '4d']) await app.travel(advance);
    const run = app.repos.runs.listFor(id)[0]!;
    expect(run.state.ask).not.toBeNull();
    const text = mainText((await c.get(`/customers/${id}`)).body);
    const until = new Intl.DateTimeFormat('pt-BR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'America/Sao_Paulo' }).format(run.state.ask!.timeoutAt);
    expect(text).toContain(`Fluxo Pós-compra · em andamento Esperando a resposta de &quot;pesquisa&quot; até ${until}`);
  });

  it('an alert the owner got about the customer is labelled so, with the number it went to, not as a message the customer received', async () => {
    const owner = '+5511987654321';
    const c = await open({ env: { OWNER_PHONE: owner } });
    const { app } = c;
    const id = (await app.buy({ externalId: 'p1', customer: { phone: ANA, name: 'Ana' }, items: [{ name: 'Café' }] })).customer.id;
    // A question the bot cannot answer goes to the owner on WhatsApp.
    await app.reply(ANA, 'Vocês entregam em Campinas?');
    await app.travel('1m');
    expect(app.received(owner).some((text) => text.includes('Vocês entregam em Campinas?'))).toBe(true);
    expect(app.received(ANA)).toEqual([]);

    const body = (await c.get(`/customers/${id}`)).body;
    const messages = [...body.matchAll(/<li class="tl (tl-message[^"]*)">([\s\S]*?)<\/li>/g)].map((match) => `${match[1]} | ${mainText(`<main>${match[2]}</main>`)}`);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^tl-message tl-out tl-owner-alert \| \S+ \S+ Aviso ao dono sobre este cliente enviado para \(11\) 98765-4321, não para o cliente 💬 Ana/);
    expect(messages[1]).toMatch(/^tl-message tl-in \| \S+ \S+ Cliente Vocês entregam em Campinas\?$/);
    expect(body).not.toContain('Mensagem automática');
  });
});

describe('pausing a customer’s automation', () => {
  it('POST /customers/:id/pause and /resume: CSRF checked, the record and the page say so', async () => {
    const c = await open();
    const ana = addCustomer(c, ANA, { name: 'Ana Souza' });

    const forged = await c.app.app.inject({ method: 'POST', url: `/customers/${ana.id}/pause`, cookies: c.cookies, headers: FORM, payload: '' });
    expect(forged.statusCode).toBe(403);
    expect(c.app.repos.customers.findById(ana.id)!.automationPausedAt).toBeNull();
    const anonymous = await c.app.app.inject({ method: 'POST', url: `/customers/${ana.id}/pause`, headers: FORM, payload: `_csrf=${c.csrf}` });
    expect(anonymous.statusCode).toBe(401);

    const paused = await c.post(`/customers/${ana.id}/pause`);
    expect(paused.statusCode).toBe(303);
    expect(paused.headers.location).toBe(`/customers/${ana.id}?notice=paused`);
    expect(c.app.repos.customers.findById(ana.id)!.automationPausedAt).toBe(Date.parse(START));
    const page = await c.get(paused.headers.location as string);
    expect(mainText(page.body)).toContain('Automação pausada para este cliente');
    expect(mainText(page.body)).toContain('Pausado Automação pausada por você desde 20/11/2026, 10:00.');
    expect(page.body).toContain(`action="/customers/${ana.id}/resume"`);
    expect(page.body).not.toContain(`action="/customers/${ana.id}/pause"`);

    const resumed = await c.post(`/customers/${ana.id}/resume`);
    expect(resumed.statusCode).toBe(303);
    expect(resumed.headers.location).toBe(`/customers/${ana.id}?notice=resumed`);
    expect(c.app.repos.customers.findById(ana.id)!.automationPausedAt).toBeNull();
    expect((await c.get(`/customers/${ana.id}`)).body).toContain(`action="/customers/${ana.id}/pause"`);

    expect((await c.post('/customers/999/pause')).statusCode).toBe(404);
  });

  it('the API: POST /api/customers/:id/pause and /resume answer the record; 404 and 410 as the other routes', async () => {
    const c = await open();
    const ana = addCustomer(c, ANA, { name: 'Ana Souza' });
    const paused = await c.app.api({ method: 'POST', url: `/api/customers/${ana.id}/pause` });
    expect(paused.statusCode).toBe(200);
    expect(paused.json().customer).toMatchObject({ id: ana.id, automationPausedAt: '2026-11-20T13:00:00.000Z', handoffUntil: null });
    // A second pause keeps the first time.
    c.app.clock.advance(60_000);
    expect((await c.app.api({ method: 'POST', url: `/api/customers/${ana.id}/pause` })).json().customer.automationPausedAt).toBe('2026-11-20T13:00:00.000Z');
    const resumed = await c.app.api({ method: 'POST', url: `/api/customers/${ana.id}/resume` });
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json().customer.automationPausedAt).toBeNull();

    expect((await c.app.api({ method: 'POST', url: '/api/customers/999/pause' })).statusCode).toBe(404);
    c.app.repos.customers.erase(ana.id, c.app.clock.now());
    const gone = await c.app.api({ method: 'POST', url: `/api/customers/${ana.id}/resume` });
    expect(gone.statusCode).toBe(410);
    expect(gone.json().error.code).toBe('customer_erased');
  });
});

describe('a message that may have asked to stop', () => {
  it('the page shows it with two buttons; "Confirmar a saída" opts out with the text, as the owner, and ends the review', async () => {
    const c = await open();
    const ana = addCustomer(c, ANA, { name: 'Ana Souza' });
    c.app.repos.customers.holdForStopReview(ana.id, 'nao quero mais', c.app.clock.now());
    const page = await c.get(`/customers/${ana.id}`);
    expect(mainText(page.body)).toContain('Pode ser um pedido para parar');
    expect(mainText(page.body)).toContain('“nao quero mais”');
    expect(page.body).toContain(`action="/customers/${ana.id}/opt-out"`);
    expect(page.body).toContain(`action="/customers/${ana.id}/resume"`);

    const confirmed = await c.post(`/customers/${ana.id}/opt-out`);
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe(`/customers/${ana.id}?notice=opted_out`);
    const after = c.app.repos.customers.findById(ana.id)!;
    expect(after.optedOutAt).not.toBeNull();
    expect(after.stopReview).toBeNull();
    expect(c.app.repos.customers.listConsentEvents(ana.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ purpose: 'messages', state: 'revoked', source: 'owner', text: 'nao quero mais' })]),
    );
    const shown = await c.get(confirmed.headers.location as string);
    expect(mainText(shown.body)).toContain('O cliente não vai mais receber mensagens automáticas');
    expect(mainText(shown.body)).not.toContain('Pode ser um pedido para parar');
  });

  it('"Não é isso: retomar" resumes and ends the review', async () => {
    const c = await open();
    const ana = addCustomer(c, ANA, { name: 'Ana Souza' });
    c.app.repos.customers.holdForStopReview(ana.id, 'chega disso', c.app.clock.now());
    expect((await c.post(`/customers/${ana.id}/resume`)).statusCode).toBe(303);
    const after = c.app.repos.customers.findById(ana.id)!;
    expect(after).toMatchObject({ optedOutAt: null, automationPausedAt: null, stopReview: null });
  });
});

describe('a number on the suppression list', () => {
  it('the customer page says the person had opted out before being erased, and that nothing goes until VOLTAR', async () => {
    const c = await open();
    c.app.repos.suppressions.remember(ANA, c.app.clock.now());
    const ana = addCustomer(c, ANA, { name: 'Ana Souza' });
    expect(ana.optedOutAt).not.toBeNull();
    const page = await c.get(`/customers/${ana.id}`);
    expect(mainText(page.body)).toContain('Este número está na lista de supressão desde 20/11/2026, 10:00');
    expect(mainText(page.body)).toContain('nada automático é enviado até ela escrever VOLTAR');
  });
});

describe('editing a customer', () => {
  it('shows the form filled in; saving redirects to the customer with a notice', async () => {
    const c = await open();
    const ana = addCustomer(c, ANA, { name: 'Ana Souza', tags: ['vip'], email: 'ana@exemplo.com' });
    c.app.repos.customers.update(ana.id, { birthday: '--03-12' }, c.app.clock.now());
    const form = await c.get(`/customers/${ana.id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="name" value="Ana Souza"');
    expect(form.body).toContain('name="birthday" value="12/03"');
    expect(form.body).toContain('name="email" value="ana@exemplo.com"');
    expect(form.body).toContain('name="tags" value="vip"');

    const saved = await c.post(`/customers/${ana.id}/edit`, { name: '  Ana  Souza Lima ', birthday: '12/03/1990', email: '', tags: 'VIP, Atacado , ,vip' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/customers/${ana.id}?notice=saved`);
    expect(c.app.repos.customers.findById(ana.id)).toMatchObject({ name: 'Ana Souza Lima', birthday: '1990-03-12', email: null, tags: ['vip', 'atacado'] });
    expect(mainText((await c.get(saved.headers.location as string)).body)).toContain('Dados salvos.');
  });

  it('bad input: 400, each problem names its field and why, what was typed stays, nothing is saved', async () => {
    const c = await open();
    const ana = addCustomer(c, ANA, { name: 'Ana Souza', tags: ['vip'] });
    const response = await c.post(`/customers/${ana.id}/edit`, { name: HOSTILE, birthday: '31/02/1990', email: 'ana@', tags: 'vip, não pode!' });
    expect(response.statusCode).toBe(400);
    const alert = mainText(`<main>${/<div class="error" role="alert">([\s\S]*?)<\/div>/.exec(response.body)![1]}</main>`);
    expect(alert).toBe('Nada foi salvo. Corrija: Aniversário: essa data não existe E-mail: e-mail inválido Etiquetas: “não pode!”: etiqueta inválida: use letras, números, - ou _ (até 40 caracteres)');
    expect(response.body).toContain('name="name" value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(response.body).toContain('name="birthday" value="31/02/1990"');
    expect(response.body).toContain('name="email" value="ana@"');
    expect(response.body).toContain('aria-invalid="true" aria-describedby="email-error"');
    expect(response.body).not.toContain(HOSTILE);
    expect(c.app.repos.customers.findById(ana.id)).toMatchObject({ name: 'Ana Souza', birthday: null, email: null, tags: ['vip'] });

    const tooLong = await c.post(`/customers/${ana.id}/edit`, { name: 'x'.repeat(201), birthday: '', email: '', tags: '' });
    expect(tooLong.statusCode).toBe(400);
    expect(mainText(tooLong.body)).toContain('Nome: ');
  });

  it('the same checks as PATCH /api/customers/:id', async () => {
    const c = await open();
    const ana = addCustomer(c, ANA, { name: 'Ana Souza' });
    const api = await c.app.api({ method: 'PATCH', url: `/api/customers/${ana.id}`, payload: { birthday: '31/02/1990', email: 'ana@' } });
    expect(api.statusCode).toBe(400);
    const page = await c.post(`/customers/${ana.id}/edit`, { name: 'Ana', birthday: '31/02/1990', email: 'ana@', tags: '' });
    const issues = api.json<{ error: { issues: { path: string; message: string }[] } }>().error.issues;
    expect(issues.map((issue) => issue.path)).toEqual(['birthday', 'email']);
    expect(page.statusCode).toBe(400);
    for (const { message } of issues) expect(mainText(page.body)).toContain(message);
  });

  it('404 for an unknown customer, 410 for an erased one, 403 without the form token', async () => {
    const c = await open();
    expect((await c.get('/customers/999/edit')).statusCode).toBe(404);
    expect((await c.post('/customers/999/edit', { name: 'x' })).statusCode).toBe(404);
    const ana = addCustomer(c, ANA, { name: 'Ana Souza' });
    const forged = await c.app.app.inject({
      method: 'POST',
      url: `/customers/${ana.id}/edit`,
      cookies: c.cookies,
      headers: FORM,
      payload: new URLSearchParams({ name: 'Outra' }).toString(),
    });
    expect(forged.statusCode).toBe(403);
    expect(c.app.repos.customers.findById(ana.id)!.name).toBe('Ana Souza');
    c.app.repos.customers.erase(ana.id, c.app.clock.now());
    expect((await c.get(`/customers/${ana.id}/edit`)).statusCode).toBe(410);
  });
});

describe('erasing a customer', () => {
  it('asks for the last 4 digits; wrong or missing is a 400 and nothing is erased; right erases and goes back to the list', async () => {
    const c = await open();
    const ana = addCustomer(c, ANA, { name: 'Ana Souza' });
    const page = await c.get(`/customers/${ana.id}`);
    expect(page.body).toContain(`<a class="button danger" href="/customers/${ana.id}/erase">Apagar dados</a>`);

    const confirm = await c.get(`/customers/${ana.id}/erase`);
    expect(confirm.statusCode).toBe(200);
    const text = mainText(confirm.body);
    expect(text).toContain('Apagar os dados de Ana Souza (LGPD, art. 18)? Não dá para desfazer.');
    expect(text).toContain('as compras (itens e valores), para as contas da loja');
    expect(text).toContain('Para confirmar, digite os 4 últimos dígitos do telefone do cliente');

    for (const [digits, message] of [
      ['1234', 'os dígitos não conferem'],
      ['', 'digite os 4 últimos dígitos'],
      ['45678', 'os dígitos não conferem'],
    ] as const) {
      const wrong = await c.post(`/customers/${ana.id}/erase`, { digits });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('role="alert"');
      expect(mainText(wrong.body)).toContain(message);
      expect(c.app.repos.customers.findById(ana.id)!.erasedAt).toBeNull();
    }

    const forged = await c.app.app.inject({ method: 'POST', url: `/customers/${ana.id}/erase`, cookies: c.cookies, headers: FORM, payload: 'digits=5678' });
    expect(forged.statusCode).toBe(403);
    expect(c.app.repos.customers.findById(ana.id)!.erasedAt).toBeNull();
    const anonymous = await c.app.app.inject({ method: 'POST', url: `/customers/${ana.id}/erase`, headers: FORM, payload: `_csrf=${c.csrf}&digits=5678` });
    expect(anonymous.statusCode).toBe(401);

    const erased = await c.post(`/customers/${ana.id}/erase`, { digits: '56-78' });
    expect(erased.statusCode).toBe(303);
    expect(erased.headers.location).toBe('/customers?notice=erased');
    expect(c.app.repos.customers.findById(ana.id)).toMatchObject({ erasedAt: Date.parse(START), phone: null, name: null });
    const list = await c.get(erased.headers.location as string);
    expect(mainText(list.body)).toContain('Dados apagados.');
    expect(list.body).not.toContain('Ana Souza');
    expect((await c.get(`/customers/${ana.id}`)).statusCode).toBe(410);
    expect((await c.post(`/customers/${ana.id}/erase`, { digits: '5678' })).statusCode).toBe(410);
  });

  it('a notice in the address is only one of the known ones', async () => {
    const c = await open();
    const response = await c.get(`/customers?notice=${encodeURIComponent(HOSTILE)}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('class="notice"');
    expect(response.body).not.toContain('alert(1)');
  });
});

describe('signed in by bearer', () => {
  it('GET /customers/:id with the API token works too (scripts)', async () => {
    const c = await open();
    const ana = addCustomer(c, ANA, { name: 'Ana Souza' });
    const response = await c.app.app.inject({ method: 'GET', url: `/customers/${ana.id}`, headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Ana Souza</h1>');
  });
});

describe('warm and cold, and the link for the customer to write first', () => {
  it('says whether the customer wrote to the shop and since when, and when WhatsApp refused a cold message', async () => {
    const c = await open();
    const ana = addCustomer(c, ANA, { name: 'Ana Souza' });
    const bruno = addCustomer(c, BRUNO, { name: 'Bruno' });
    c.app.clock.advance(90 * 60_000);
    await c.app.api({ method: 'POST', url: '/api/simulator/messages', payload: { from: ANA, text: 'oi! chegou certinho 😊' } });
    c.app.repos.customers.markColdRefused(bruno.id, c.app.clock.now());

    const warm = mainText((await c.get(`/customers/${ana.id}`)).body);
    expect(warm).toContain('Conversa escreveu para a loja em 20/11/2026, 11:30');
    expect(warm).not.toContain('só se ele escrever primeiro');
    const refused = mainText((await c.get(`/customers/${bruno.id}`)).body);
    expect(refused).toContain('Conversa ainda não escreveu para a loja');
    expect(refused).toContain('só se ele escrever primeiro: o WhatsApp recusou uma mensagem da loja para este número em 20/11/2026, 11:30');

    const api = (await c.app.api({ method: 'GET', url: `/api/customers/${bruno.id}` })).json<{ customer: { warmAt: string | null; coldRefusedAt: string | null } }>();
    expect(api.customer).toMatchObject({ warmAt: null, coldRefusedAt: '2026-11-20T14:30:00.000Z' });
  });

  it('shows the link and code of the latest purchase, the same the API answered, with the printable card', async () => {
    const c = await open();
    await c.app.buy({ externalId: 'pedido-1', customer: { phone: ANA, name: 'Ana' } });
    c.app.clock.advance(60_000);
    const latest = await c.app.api({ method: 'POST', url: '/api/purchases', payload: { externalId: 'pedido-2', customer: { phone: ANA }, items: [{ name: 'Café' }] } });
    const { purchase, customer, optIn } = latest.json<{ purchase: { id: number }; customer: { id: number }; optIn: { link: string; code: string } }>();

    const body = (await c.get(`/customers/${customer.id}`)).body;
    const link = optIn.link.replaceAll('&', '&amp;');
    expect(body).toContain(`<a class="opt-in-link" href="${link}" rel="noopener noreferrer" target="_blank">${link}</a>`);
    expect(mainText(body)).toContain(`código #${optIn.code} do pedido de 20/11/2026, 10:01 · Imprimir cartão`);
    expect(body).toContain(`<a href="/card?purchase=${purchase.id}">Imprimir cartão</a>`);
  });
});

describe('GET /card: the printable card', () => {
  it('has the QR of the purchase link, the shop name, one line and the code; A6 or a receipt printer', async () => {
    const c = await open({ env: { SHOP_NAME: 'Café da Serra' } });
    const { purchase } = await c.app.buy();
    const { optIn } = (await c.app.api({ method: 'POST', url: '/api/purchases', payload: { externalId: 'pedido-1001', customer: { phone: ANA }, items: [{ name: 'Café' }] } })).json<{
      optIn: { code: string };
    }>();

    const response = await c.get(`/card?purchase=${purchase.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<article class="opt-in-card opt-in-card-a6">');
    expect(response.body).toMatch(/<img class="opt-in-card-qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="https:\/\/wa\.me\/5511900000000\?text=/);
    const card = mainText(/<article[\s\S]*<\/article>/.exec(response.body)![0].replace(/^/, '<main>').concat('</main>'));
    expect(card).toBe(`Café da Serra Aponte a câmera do celular para o código e toque em enviar: a gente avisa tudo do seu pedido pelo WhatsApp. Pedido #${optIn.code}`);
    expect(response.body).toContain(`<a href="/card?purchase=${purchase.id}&amp;format=receipt">Impressora de cupom (80 mm)</a>`);

    const receipt = await c.get(`/card?purchase=${purchase.id}&format=receipt`);
    expect(receipt.body).toContain('<article class="opt-in-card opt-in-card-receipt">');
  });

  it('without a purchase is the shop\'s own card; an unknown or old purchase is a 404; it needs the session', async () => {
    const c = await open({ env: { SHOP_NAME: 'Café da Serra' } });
    const shopCard = await c.get('/card');
    expect(shopCard.statusCode).toBe(200);
    expect(shopCard.body).toContain(`alt="https://wa.me/5511900000000?text=${encodeURIComponent('Oi, Café da Serra! Quero receber as novidades dos meus pedidos por aqui')}"`);
    expect(mainText(shopCard.body)).not.toContain('Pedido #');

    expect((await c.get('/card?purchase=999')).statusCode).toBe(404);
    expect((await c.get('/card?purchase=abc')).statusCode).toBe(404);
    const { purchase } = await c.app.buy();
    c.app.clock.advance(91 * 24 * 3600_000);
    const old = await c.get(`/card?purchase=${purchase.id}`);
    expect(old.statusCode).toBe(404);
    expect(mainText(old.body)).toContain(`Não há pedido com o número ${purchase.id} nos últimos 90 dias.`);

    expect((await c.app.app.inject({ method: 'GET', url: '/card' })).statusCode).toBe(401);
  });
});
