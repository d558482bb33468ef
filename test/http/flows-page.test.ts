import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../src/flows/flow-types.js';
import { loadFlows } from '../../src/flows/load-flows.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { TEST_TOKEN } from '../helpers/app.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

const BIRTHDAY = `id: aniversario
version: 2
name: Aniversário
trigger:
  type: birthday
  days_before: 3
  at: "10:00"
filter:
  consent: marketing
steps:
  - id: parabens
    send: "Feliz aniversário, {{ customer.first_name }}!"
`;

const WINBACK = `id: reconquista
version: 1
name: Reconquista
trigger:
  type: inactivity
  days: 60
  at: "10:00"
steps:
  - id: espera
    wait: { for: 1d, until: "09:30", weekdays: [seg, qua] }
  - id: saudade
    send: "Oi, {{ customer.first_name }}! Faz tempo."
  - id: pergunta
    ask:
      kind: yes_no
      question: "Quer ver as novidades?"
      poll: true
      timeout: 2d
      branches:
        yes: marca
        no: end
  - id: marca
    tag: [quer-novidades, vip]
  - id: aviso
    alert_owner: "{{ customer.name }} quer novidades"
    next: end
`;

const HOSTILE = `id: hostil
version: 1
name: "<script>alert(1)</script>"
trigger:
  type: manual
steps:
  - id: oi
    send: "<b>oi</b> {{ customer.first_name }}"
`;

let dir: string;
let client: PagesClient | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-flows-page-'));
});
afterEach(async () => {
  await client?.app.close();
  client = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}

/** The flows in the folder as the service would load them at start. */
function loaded(): Flow[] {
  const { flows, errors } = loadFlows(dir, { locale: 'pt-BR' });
  expect(errors).toEqual([]);
  return flows;
}

async function open(options: { env?: Record<string, string>; clock?: ManualClock } = {}): Promise<PagesClient> {
  client = await openPages({ env: { FLOWS_DIR: dir, ...options.env }, flows: loaded(), ...(options.clock ? { clock: options.clock } : {}) });
  return client;
}

/** The text of the page without tags, spaces collapsed: what a person reads. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

describe('GET /flows', () => {
  it('needs the session', async () => {
    write({ 'aniversario.yaml': BIRTHDAY });
    const pages = await open();
    for (const url of ['/flows', '/flows/aniversario']) {
      const response = await pages.app.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain('action="/sign-in"');
      expect(response.body).not.toContain('Aniversário');
    }
  });

  it('lists every flow with its trigger, filter and steps in plain words, in order', async () => {
    fs.cpSync(path.join(ROOT, 'flows'), dir, { recursive: true });
    fs.rmSync(path.join(dir, 'aniversario.yaml'));
    fs.rmSync(path.join(dir, 'reconquista.yaml'));
    write({ 'aniversario.yaml': BIRTHDAY, 'reconquista.yaml': WINBACK });
    const pages = await open();
    const response = await pages.get('/flows');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const page = text(response.body);
    expect(response.body).toContain('<title>Fluxos · fregues</title>');
    expect(response.body).toMatch(/<a href="\/flows" aria-current="page">Fluxos<\/a>/);

    // Name, id, version, file and the trigger of each.
    expect(page).toContain('Pós-compra pos-compra · versão 3 · pos-compra.yaml');
    expect(page).toContain('Quando: Depois de cada compra');
    expect(page).toContain('Aniversário aniversario · versão 2 · aniversario.yaml');
    expect(page).toContain('Quando: 3 dias antes do aniversário, às 10:00');
    expect(page).toContain('Só para quem aceitou receber mensagens da loja (marketing).');
    expect(page).toContain('Quando: 60 dias sem comprar, às 10:00');
    expect(page).toContain('Quando: 30 dias depois de uma compra de qualquer produto, às 10:00');
    expect(response.body).toContain('href="/flows/pos-compra"');

    // pos-compra's steps, in the file's order, with waits and texts in words.
    const posCompra = page.slice(page.indexOf('Pós-compra pos-compra'), page.indexOf('Recompra recompra'));
    const posCompraHtml = response.body.slice(response.body.indexOf('href="/flows/pos-compra"'), response.body.indexOf('href="/flows/recompra"'));
    const order = ['agradecimento', 'espera-dica', 'dica', 'espera-pesquisa', 'pesquisa', 'obrigado-nota', 'desculpas', 'marca-promotor', 'indicacao', 'obrigado-indicacao'];
    const positions = order.map((id) => posCompraHtml.indexOf(`<code>${id}</code>`));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Issue 18: no opening wait; the thank-you waits up to an hour only for a customer who never wrote to the shop.
    expect(posCompra).toContain('Mensagem agradecimento Cliente que nunca escreveu para a loja: espera até 1 hora que ele escreva primeiro (se escrever, a mensagem vai na hora); se não escrever, vai assim mesmo. Oi,');
    expect(posCompra).toContain('Espera espera-dica Espera 3 dias e depois até as 10:00');
    expect(posCompra).toContain('vai assim mesmo. Oi, {{ customer.first_name }}! Aqui é a equipe {{ shop.name }}');
    expect(posCompra).toContain('Pergunta pesquisa Nota de 0 a 10 (NPS), como enquete');
    expect(posCompra).toContain('Lembrete depois de 1 dia: Oi, {{ customer.first_name }}! Só lembrando da pesquisa de ontem');
    expect(posCompra).toContain('Sem resposta em 3 dias: segue como "sem resposta".');
    expect(posCompra).toContain('Nota 0 a 6 → desculpas');
    expect(posCompra).toContain('Nota 9 ou 10 → marca-promotor');
    expect(posCompra).toContain('Sem resposta → o fim');
    expect(posCompra).toContain('Mensagem obrigado-nota');
    expect(posCompra).toContain('Depois vai para o fim');
    expect(posCompra).toContain('Põe etiqueta marca-promotor promotor');

    // The other kinds: weekdays, a yes/no poll, tags, the owner's alert.
    const winback = page.slice(page.indexOf('Reconquista reconquista'));
    expect(winback).toContain('Espera 1 dia e depois até as 09:30 (só seg. ou qua.)');
    expect(winback).toContain('Pergunta pergunta Sim ou não, como enquete');
    expect(winback).toContain('Sim → marca');
    expect(winback).toContain('Não → o fim');
    expect(winback).toContain('Põe etiqueta marca quer-novidades e vip');
    expect(winback).toContain('Aviso para o dono aviso {{ customer.name }} quer novidades');
    // Everything is in sync with the disk: no warning.
    expect(page).not.toContain('está com erro');
    expect(page).not.toContain('Erros nos arquivos');
  });

  it('escapes what the flow files say', async () => {
    write({ 'hostil.yaml': HOSTILE });
    const pages = await open();
    const response = await pages.get('/flows');
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('<script>alert(1)</script>');
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(response.body).toContain('&lt;b&gt;oi&lt;/b&gt;');
    expect(text(response.body)).toContain('Quando: Quando você inicia o fluxo para um cliente (POST /api/flows/hostil/runs)');
  });

  it('shows the errors of the files on disk now, with file, line and message, and runs every valid change at once', async () => {
    write({ 'aniversario.yaml': BIRTHDAY, 'reconquista.yaml': WINBACK });
    const pages = await open();
    // After start: one file broken, one changed, one new, one removed.
    fs.writeFileSync(path.join(dir, 'quebrado.yaml'), 'id: quebrado\nversion: 1\nname: Quebrado\ntrigger:\n  type: purchase\nsteps:\n  - id: oi\n    send: "Oi\n    wait: 1h\n');
    fs.writeFileSync(path.join(dir, 'aniversario.yaml'), BIRTHDAY.replace('days_before: 3', 'days_before: 2'));
    fs.writeFileSync(path.join(dir, 'novo.yaml'), 'id: novo\nversion: 1\nname: Novo fluxo\ntrigger:\n  type: manual\nsteps:\n  - id: oi\n    send: "Oi"\n');
    fs.rmSync(path.join(dir, 'reconquista.yaml'));
    // issue 20: what the folder's watcher does in the service.
    pages.app.liveFlows.reload();

    const response = await pages.get('/flows');
    expect(response.statusCode).toBe(200);
    const page = text(response.body);
    expect(response.body).toContain('role="alert"');
    expect(page).toContain('Erros nos arquivos de fluxo');
    expect(page).toMatch(/quebrado\.yaml, linha \d+, coluna \d+/);
    expect(page).toContain('Enquanto o arquivo de um fluxo tiver erro, o fluxo continua na última versão que estava certa; um arquivo novo com erro não é carregado.');
    expect(page).toContain('com um fluxo com erro, o serviço também não inicia');
    expect(page).not.toMatch(/reinici/i);

    // The valid changes run now: the new days, the new flow; the removed one is gone (nobody was in it).
    expect(page).toContain('Quando: 2 dias antes do aniversário, às 10:00');
    expect(page).toContain('Novo fluxo');
    expect(page).not.toContain('Reconquista');
    expect(page).not.toContain('Quebrado');
  });

  it('names the error of a running flow whose own file is broken now, and the version that goes on meanwhile', async () => {
    write({ 'aniversario.yaml': BIRTHDAY, 'reconquista.yaml': WINBACK });
    const pages = await open();
    fs.writeFileSync(path.join(dir, 'reconquista.yaml'), WINBACK.replace('days: 60', 'days: sessenta').replace('for: 1d', 'for: 1 dia'));
    fs.writeFileSync(path.join(dir, 'aniversario.yaml'), BIRTHDAY.replace('version: 2', 'version: 3'));
    pages.app.liveFlows.reload();
    const page = text((await pages.get('/flows')).body);
    expect(page).toMatch(/reconquista\.yaml, linha 6, coluna 9 trigger\.days ?: esperava um número inteiro/);
    // issue 20: a step named by its id, as the seller wrote it, not steps[0].
    expect(page).toMatch(/reconquista\.yaml, linha 10, coluna 18 passo "espera" › wait\.for ?: duração inválida: 1 dia/);
    expect(page).not.toContain('steps[');
    expect(page).toContain('O arquivo reconquista.yaml está com erro (veja acima): o fluxo reconquista continua na versão 1 até o arquivo ser corrigido.');
    // Still the version that was valid: 60 days.
    expect(page).toContain('Reconquista reconquista · versão 1');
    expect(page).toMatch(/Aniversário aniversario · versão 3/);
  });
});

describe('GET /flows/:id', () => {
  // Friday 20 November 2026, 12:00 in São Paulo.
  const START = '2026-11-20T15:00:00Z';

  async function posCompra(): Promise<PagesClient> {
    fs.cpSync(path.join(ROOT, 'flows'), dir, { recursive: true });
    return open({ clock: new ManualClock(START) });
  }

  it('shows the steps and the dry run for Maria, a promoter, by default, in the shop’s time zone, writing nothing', async () => {
    const pages = await posCompra();
    const before = pages.app.db.sqlite.prepare('SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM messages) + (SELECT count(*) FROM flow_runs) AS n').get();
    const response = await pages.get('/flows/pos-compra');
    expect(response.statusCode).toBe(200);
    const page = text(response.body);
    expect(response.body).toContain('<title>Pós-compra · fregues</title>');
    expect(page).toContain('Pergunta pesquisa Nota de 0 a 10 (NPS), como enquete');
    // The form, filled with the defaults.
    expect(response.body).toContain('<form method="get" action="/flows/pos-compra#simulation"');
    expect(response.body).toContain('name="name" value="Maria"');
    expect(response.body).toContain('name="answers" value="9"');
    expect(response.body).toContain('name="days" value="30"');
    // A customer who just bought and never wrote, unless the seller ticks the box.
    expect(response.body).toMatch(/<input type="checkbox" id="sample-warm" name="warm" value="1" aria-describedby="sample-warm-hint">/);
    expect(page).toContain('A cliente já escreveu para a loja');

    const timeline = page.slice(page.indexOf('A partir de'));
    expect(timeline).toContain('A partir de sex., 20/11, 12:00.');
    expect(timeline).toContain('Dia 1 · sex., 20/11, 13:00 · Para Maria Oi, Maria! Aqui é a equipe Minha Loja 😊 Muito obrigado pela compra');
    expect(timeline).toContain('Dia 5 · ter., 24/11, 10:00 · Para Maria Oi, Maria! Já deu para usar');
    // issue 20: a poll as WhatsApp shows it, the question and then its options.
    expect(timeline).toMatch(/Dia 8 · sex\., 27\/11, 10:00 · Para Maria Maria, de 0 a 10[^·]*\? Opções da enquete: 0 · 1 · 2 · 3 · 4 · 5 · 6 · 7 · 8 · 9 · 10 /);
    expect(timeline).not.toContain('[0 | 1');
    expect(timeline).toContain('Dia 8 · sex., 27/11, 10:10 · Maria responde 9');
    expect(timeline).toContain('Dia 8 · sex., 27/11, 10:10 · Caminho Nota 9 ou 10 → marca-promotor');
    expect(timeline).toContain('Conhece alguém que ia gostar');
    expect(timeline).toContain('Dia 11 · seg., 30/11, 10:10 · Caminho Sem resposta → o fim');
    expect(timeline).toContain('O fluxo chega ao fim.');
    const entries = timeline.match(/Dia \d+ ·/g) ?? [];
    expect(entries).toHaveLength(7);

    const after = pages.app.db.sqlite.prepare('SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM messages) + (SELECT count(*) FROM flow_runs) AS n').get();
    expect(after).toEqual(before);
    expect(pages.app.simulator.sendCalls).toHaveLength(0);
  });

  it('follows the answers and the name given in the form: a detractor gets the apology and the owner an alert', async () => {
    const pages = await posCompra();
    const response = await pages.get('/flows/pos-compra?name=Jo%C3%A3o&answers=3&days=10');
    expect(response.statusCode).toBe(200);
    const page = text(response.body);
    expect(response.body).toContain('name="answers" value="3"');
    expect(page).toContain('João responde 3');
    expect(page).toContain('Caminho Nota 0 a 6 → desculpas');
    expect(page).toMatch(/Para o dono [^·]*nota 3 de 0 a 10/);
    expect(page).toContain('Para João Poxa, João, sinto muito');
    expect(page).toContain('O fluxo chega ao fim.');
  });

  it('shows the birthday message skipped for a customer who never wrote to the shop, and sent when the box says she did', async () => {
    const pages = await posCompra();
    const cold = text((await pages.get('/flows/aniversario?days=3')).body);
    const coldTimeline = cold.slice(cold.indexOf('A partir de'));
    expect(coldTimeline).toContain('Dia 2 · sáb., 21/11, 09:00 · Não enviada para Maria Feliz aniversário, Maria! 🎂');
    expect(coldTimeline).toContain('Não enviada: Maria ainda não escreveu para a loja, e este fluxo pula quem nunca escreveu.');
    expect(coldTimeline).not.toContain('cold');
    expect(coldTimeline).not.toContain('Para Maria');
    expect(coldTimeline).not.toContain('Nenhuma mensagem no período simulado.');

    const response = await pages.get('/flows/aniversario?days=3&warm=1');
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/name="warm" value="1" aria-describedby="sample-warm-hint" checked>/);
    const warm = text(response.body);
    const warmTimeline = warm.slice(warm.indexOf('A partir de'));
    expect(warmTimeline).toContain('Dia 2 · sáb., 21/11, 09:00 · Para Maria Feliz aniversário, Maria! 🎂');
    expect(warmTimeline).not.toContain('Não enviada');
    expect(warmTimeline).toContain('O fluxo chega ao fim.');
  });

  it('keeps the box ticked when the form comes back with a problem', async () => {
    const pages = await posCompra();
    const response = await pages.get('/flows/aniversario?days=0&warm=1');
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/name="warm" value="1" aria-describedby="sample-warm-hint" checked>/);
  });

  it('says when a message waits for quiet hours, and when the flow goes on past the days simulated', async () => {
    fs.cpSync(path.join(ROOT, 'flows'), dir, { recursive: true });
    // Friday 21:30 in São Paulo: the thank-you due at 22:30 waits for 09:00.
    const pages = await open({ clock: new ManualClock('2026-11-21T00:30:00Z') });
    const page = text((await pages.get('/flows/pos-compra?days=2&answers=')).body);
    expect(page).toContain('A partir de sex., 20/11, 21:30.');
    expect(page).toContain('Dia 2 · sáb., 21/11, 09:00 · Para Maria Oi, Maria!');
    expect(page).toContain('Previsto para sex., 20/11, 22:30; adiado pelo horário de silêncio');
    expect(page).toContain('O fluxo continua depois de 2 dias.');
  });

  it('escapes the sample name and answers the seller typed', async () => {
    const pages = await posCompra();
    const hostile = '<script>alert(1)</script>';
    const response = await pages.get(`/flows/pos-compra?name=${encodeURIComponent(hostile)}&answers=${encodeURIComponent(`9,${hostile}`)}&days=10`);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain(hostile);
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it.each([
    ['days=0', 'Dias simulados: use um número inteiro de 1 a 366, não "0".'],
    ['days=367', 'Dias simulados: use um número inteiro de 1 a 366, não "367".'],
    ['days=abc', 'Dias simulados: use um número inteiro de 1 a 366, não "abc".'],
    ['days=2.5', 'Dias simulados: use um número inteiro de 1 a 366, não "2.5".'],
    ['name=', 'Nome: informe de 1 a 100 caracteres.'],
    [`name=${'a'.repeat(101)}`, 'Nome: informe de 1 a 100 caracteres.'],
    [`answers=${Array.from({ length: 21 }, () => '9').join(',')}`, 'Respostas: no máximo 20, cada uma com até 500 caracteres.'],
  ])('answers 400 for %s, saying which field and why', async (query, message) => {
    const pages = await posCompra();
    const response = await pages.get(`/flows/pos-compra?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('role="alert"');
    expect(text(response.body)).toContain(message);
    // The form stays, with what was typed; no timeline.
    expect(response.body).toContain('name="days"');
    expect(response.body).not.toContain('A partir de');
  });

  it('answers 404 with a page for a flow the service does not run, escaping the id', async () => {
    const pages = await posCompra();
    const response = await pages.get('/flows/nao-existe');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(text(response.body)).toContain('Não há nenhum fluxo "nao-existe" rodando neste serviço.');
    expect(response.body).toContain('href="/flows"');
    const hostile = await pages.get(`/flows/${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    expect(hostile.statusCode).toBe(404);
    expect(hostile.body).not.toContain('<img src=x');
    expect(hostile.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('works with the bearer token too', async () => {
    const pages = await posCompra();
    const response = await pages.app.app.inject({ method: 'GET', url: '/flows/pos-compra?days=1', headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(response.statusCode).toBe(200);
  });
});
