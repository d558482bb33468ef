import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/flows/load-flows.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

// The Fluxos page's editor through the service's own pages: the assembly's flow files over a
// copy of the shipped flows/ in a temp FLOWS_DIR, the history in a temp DATA_DIR.

const SHIPPED = path.resolve(import.meta.dirname, '../../flows');
let client: PagesClient | undefined;
let dirs: string[] = [];

afterEach(async () => {
  await client?.app.close();
  client = undefined;
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

async function open(): Promise<{ pages: PagesClient; flowsDir: string; dataDir: string }> {
  const flowsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-edit-flows-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-edit-data-'));
  dirs.push(flowsDir, dataDir);
  for (const name of fs.readdirSync(SHIPPED)) if (name.endsWith('.yaml')) fs.copyFileSync(path.join(SHIPPED, name), path.join(flowsDir, name));
  const { flows, errors } = loadFlows(flowsDir, { locale: 'pt-BR' });
  expect(errors).toEqual([]);
  client = await openPages({ flows, env: { FLOWS_DIR: flowsDir, DATA_DIR: dataDir, SHOP_NAME: 'Café da Ana' } });
  return { pages: client, flowsDir, dataDir };
}

/** Every field of the editor's form as the browser would post it (inputs, checked boxes, selected options, textareas). */
function formFields(html: string): Record<string, string> {
  const form = /<form method="post" action="\/flows\/[^"]+\/edit"[\s\S]*?<\/form>/.exec(html)?.[0];
  if (!form) throw new Error('no editor form');
  const fields: Record<string, string> = {};
  const decode = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const match of form.matchAll(/<input ([^>]*)>/g)) {
    const attrs = match[1]!;
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    if (!name) continue;
    const type = /type="([^"]*)"/.exec(attrs)?.[1] ?? 'text';
    if (type === 'checkbox' && !/\schecked/.test(attrs)) continue;
    fields[name] = decode(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
  }
  for (const match of form.matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[match[1]!] = decode(match[2]!);
  for (const match of form.matchAll(/<select [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const options = [...match[2]!.matchAll(/<option value="([^"]*)"([^>]*)>/g)];
    const chosen = options.find((option) => /selected/.test(option[2]!)) ?? options[0];
    fields[match[1]!] = decode(chosen?.[1] ?? '');
  }
  return fields;
}

/** The form field holding step `id`'s `field` ("s0.text"). */
function stepField(fields: Record<string, string>, id: string, field: string): string {
  const key = Object.keys(fields).find((name) => /^s\d+\.id$/.test(name) && fields[name] === id);
  if (!key) throw new Error(`no step ${id}`);
  return key.replace(/id$/, field);
}

/** The `version:` of a flow file. */
function versionIn(file: string): number {
  return Number(/^version: (\d+)$/m.exec(fs.readFileSync(file, 'utf8'))?.[1]);
}

const NEW_THANKS = 'Oi, {{ customer.first_name }}! Obrigada de coração pela compra de {{ purchase.products }} 💚';

describe('the flow editor', () => {
  it('edits the thank-you text of pos-compra: the file changes, its comments stay, the version goes up, the next purchase gets it', async () => {
    const { pages, flowsDir } = await open();
    const version = versionIn(path.join(flowsDir, 'pos-compra.yaml'));
    const page = await pages.get('/flows/pos-compra/edit');
    expect(page.statusCode).toBe(200);
    const fields = formFields(page.body);
    fields[stepField(fields, 'agradecimento', 'text')] = NEW_THANKS;
    const saved = await pages.post('/flows/pos-compra/edit', { ...fields, action: 'save' });
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe(`/flows/pos-compra?notice=saved&version=${version + 1}`);

    const file = fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8');
    expect(file).toContain(`send: "${NEW_THANKS}"`);
    expect(file).toContain(`version: ${version + 1}`);
    expect(file).toContain('# Três dias depois, às 10h da manhã.');
    expect(file).toContain('wait: { for: 3d, until: "10:00" }');
    expect(file).toContain('cold: { wait_for_contact: 1h, then: send }');

    const flowPage = await pages.get(saved.headers.location as string);
    expect(flowPage.body).toContain(`Salvo: versão ${version + 1}, já em uso.`);
    await pages.app.buy();
    await pages.app.travel('1h');
    expect(pages.app.received('+5511912345678')[0]).toBe('Oi, Ana! Obrigada de coração pela compra de Café especial 250 g 💚');
  });

  it('refuses an edit the loader refuses: 400, the error at its field, the seller\'s text kept, the file unchanged', async () => {
    const { pages, flowsDir } = await open();
    const before = fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8');
    const fields = formFields((await pages.get('/flows/pos-compra/edit')).body);
    const key = stepField(fields, 'dica', 'text');
    fields[key] = 'Oi, {{ cliente.nome }}!';
    const answer = await pages.post('/flows/pos-compra/edit', { ...fields, action: 'save' });
    expect(answer.statusCode).toBe(400);
    const id = key.replace('.', '-');
    expect(answer.body).toMatch(new RegExp(`<p class="error field-error" id="${id}-error">variável desconhecida: cliente; use shop, customer`));
    expect(answer.body).toContain(`aria-describedby="${id}-error"`);
    expect(answer.body).toContain('Oi, {{ cliente.nome }}!');
    expect(answer.body).toContain('Nada foi salvo');
    expect(fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8')).toBe(before);
  });

  it('a second editor saving over the first is told (409), its text kept, nothing written', async () => {
    const { pages, flowsDir } = await open();
    const version = versionIn(path.join(flowsDir, 'pos-compra.yaml'));
    const first = formFields((await pages.get('/flows/pos-compra/edit')).body);
    const second = { ...first };
    first[stepField(first, 'agradecimento', 'text')] = 'Primeira edição, {{ customer.first_name }}';
    second[stepField(second, 'agradecimento', 'text')] = 'Segunda edição, {{ customer.first_name }}';
    expect((await pages.post('/flows/pos-compra/edit', { ...first, action: 'save' })).statusCode).toBe(303);
    const after = fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8');
    const answer = await pages.post('/flows/pos-compra/edit', { ...second, action: 'save' });
    expect(answer.statusCode).toBe(409);
    expect(answer.body).toContain('Outra pessoa salvou este fluxo');
    expect(answer.body).toContain(`versão ${version + 1}`);
    expect(answer.body).toContain('Segunda edição, {{ customer.first_name }}');
    expect(answer.body).toContain('href="/flows/pos-compra/edit"');
    expect(fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8')).toBe(after);
  });

  it('turns a flow off and on from the list: the file says so and a purchase starts no run while it is off', async () => {
    const { pages, flowsDir } = await open();
    const version = versionIn(path.join(flowsDir, 'pos-compra.yaml'));
    const list = await pages.get('/flows');
    expect(list.body).toContain('action="/flows/pos-compra/enabled"');
    expect(list.body).toContain('href="/flows/new"');
    const off = await pages.post('/flows/pos-compra/enabled', { enabled: '0' });
    expect(off.statusCode).toBe(303);
    expect(off.headers.location).toBe(`/flows?notice=off&version=${version + 1}#flow-pos-compra`);
    expect(fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8')).toMatch(/^enabled: false$/m);
    expect((await pages.get('/flows')).body).toMatch(/Desligado<\/span>/);
    const bought = await pages.app.buy();
    expect(bought.runs.map((run) => run.flowId)).not.toContain('pos-compra');

    expect((await pages.post('/flows/pos-compra/enabled', { enabled: '1' })).statusCode).toBe(303);
    expect(fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8')).not.toMatch(/^enabled:/m);
    const again = await pages.app.buy({ externalId: 'pedido-1002' });
    expect(again.runs.map((run) => run.flowId)).toContain('pos-compra');
  });

  it('adds, moves and removes steps without saving; saving writes them in the new order', async () => {
    const { pages, flowsDir } = await open();
    const before = fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8');
    let fields = formFields((await pages.get('/flows/pos-compra/edit')).body);
    const count = Number(fields.count);
    // A message added before the first step.
    let page = await pages.post('/flows/pos-compra/edit', { ...fields, action: 'add', add_kind: 'send', add_at: '0' });
    expect(page.statusCode).toBe(200);
    fields = formFields(page.body);
    expect(Number(fields.count)).toBe(count + 1);
    expect(fields['s0.from']).toBe('');
    expect(fields['s1.id']).toBe('agradecimento');
    fields['s0.id'] = 'boas-vindas';
    fields['s0.text'] = 'Bem-vinda, {{ customer.first_name }}!';
    // Moved below the thank-you, then the tip removed.
    page = await pages.post('/flows/pos-compra/edit', { ...fields, action: 'down:0' });
    fields = formFields(page.body);
    expect([fields['s0.id'], fields['s1.id']]).toEqual(['agradecimento', 'boas-vindas']);
    const tip = stepField(fields, 'dica', 'id').replace(/^s(\d+)\.id$/, '$1');
    page = await pages.post('/flows/pos-compra/edit', { ...fields, action: `remove:${tip}` });
    fields = formFields(page.body);
    expect(Object.values(fields)).not.toContain('dica');
    expect(fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8')).toBe(before);

    const saved = await pages.post('/flows/pos-compra/edit', { ...fields, action: 'save' });
    expect(saved.statusCode, saved.body).toBe(303);
    const { flows, errors } = loadFlows(flowsDir, { locale: 'pt-BR' });
    expect(errors).toEqual([]);
    const flow = flows.find((item) => item.id === 'pos-compra')!;
    expect(flow.steps.map((step) => step.id).slice(0, 4)).toEqual(['agradecimento', 'boas-vindas', 'espera-dica', 'espera-pesquisa']);
    const file = fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8');
    expect(file).toContain('send: "Bem-vinda, {{ customer.first_name }}!"');
    expect(file).not.toContain('id: dica');
  });

  it('writes a wait given in words in the file\'s terms, and shows it in words', async () => {
    const { pages, flowsDir } = await open();
    const fields = formFields((await pages.get('/flows/pos-compra/edit')).body);
    expect((await pages.get('/flows/pos-compra/edit')).body).toContain('3 dias, às 10:00');
    fields[stepField(fields, 'espera-dica', 'wait_n')] = '2';
    fields[stepField(fields, 'espera-dica', 'wait_at')] = '11:30';
    fields[stepField(fields, 'espera-dica', 'wd.sat')] = '1';
    const saved = await pages.post('/flows/pos-compra/edit', { ...fields, action: 'save' });
    expect(saved.statusCode, saved.body).toBe(303);
    expect(fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8')).toMatch(/wait: \{ for: 2d, until: "11:30", weekdays: \[ ?sab ?\] \}/);
  });

  it('a number that is not one is an error at its field, before the loader', async () => {
    const { pages } = await open();
    const fields = formFields((await pages.get('/flows/pos-compra/edit')).body);
    const key = stepField(fields, 'espera-dica', 'wait_n');
    fields[key] = 'três';
    const answer = await pages.post('/flows/pos-compra/edit', { ...fields, action: 'save' });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain(`id="${key.replace(/\..*$/, '')}-wait-error"`);
  });

  it('previews a text for the sample customer, or the loader\'s error for it', async () => {
    const { pages } = await open();
    const good = await pages.post('/flows/preview', { text: 'Oi, {{ customer.first_name }}, da {{ shop.name }}!' });
    expect(good.json()).toEqual({ ok: true, text: 'Oi, Ana, da Café da Ana!' });
    const bad = await pages.post('/flows/preview', { text: 'Oi, {{ customer.nome }}!' });
    expect(bad.json()).toMatchObject({ ok: false, error: expect.stringContaining('customer.first_name') });
    expect((await pages.get('/flows/pos-compra/edit')).body).toContain('<option value="{{ customer.first_name }}">');
  });

  it('creates a flow from the gallery and opens its editor', async () => {
    const { pages, flowsDir } = await open();
    const gallery = await pages.get('/flows/new');
    expect(gallery.statusCode).toBe(200);
    const template = /name="template" value="([^"]+)"/.exec(gallery.body)?.[1];
    expect(template).toBeDefined();
    const created = await pages.post('/flows/new', { template: template!, id: 'meu-fluxo', name: 'Meu fluxo' });
    expect(created.statusCode, created.body).toBe(303);
    expect(created.headers.location).toMatch(/^\/flows\/meu-fluxo\/edit\?notice=created/);
    expect(fs.existsSync(path.join(flowsDir, 'meu-fluxo.yaml'))).toBe(true);
    const editor = await pages.get(created.headers.location as string);
    expect(editor.statusCode).toBe(200);
    expect(editor.body).toContain('value="Meu fluxo"');
  });

  it('a new flow never takes a flow\'s id (the next free one instead); a bad id is said on the gallery and writes nothing', async () => {
    const { pages, flowsDir } = await open();
    const gallery = await pages.get('/flows/new');
    const template = /name="template" value="([^"]+)"/.exec(gallery.body)![1]!;
    const before = fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8');
    const files = fs.readdirSync(flowsDir).sort();
    const bad = await pages.post('/flows/new', { template, id: 'Meu Fluxo!' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('value="Meu Fluxo!"');
    expect(bad.body).toMatch(/<div class="error" role="alert" id="new-[^"]+-error">/);
    expect(fs.readdirSync(flowsDir).sort()).toEqual(files);
    const taken = await pages.post('/flows/new', { template, id: 'pos-compra' });
    expect(taken.statusCode).toBe(303);
    expect(taken.headers.location).toMatch(/^\/flows\/pos-compra-2\/edit\?/);
    expect(fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8')).toBe(before);
  });

  it('keeps the replaced file in the history and restores it in one click', async () => {
    const { pages, flowsDir } = await open();
    const original = fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8');
    const version = versionIn(path.join(flowsDir, 'pos-compra.yaml'));
    const fields = formFields((await pages.get('/flows/pos-compra/edit')).body);
    fields[stepField(fields, 'agradecimento', 'text')] = 'Outro texto, {{ customer.first_name }}';
    expect((await pages.post('/flows/pos-compra/edit', { ...fields, action: 'save' })).statusCode).toBe(303);
    const history = await pages.get('/flows/pos-compra/history');
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain(`Versão ${version}, substituída em 20/11/2026, 12:00`);
    const entry = /action="\/flows\/pos-compra\/history\/([^"]+)\/restore"/.exec(history.body)?.[1];
    const revision = /name="revision" value="([^"]+)"/.exec(history.body)?.[1];
    const shown = await pages.get(`/flows/pos-compra/history/${entry}`);
    expect(shown.body).toContain('Muito obrigado pela compra');
    const restored = await pages.post(`/flows/pos-compra/history/${entry}/restore`, { revision: revision! });
    expect(restored.statusCode, restored.body).toBe(303);
    const file = fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8');
    expect(file).toContain('Muito obrigado pela compra');
    expect(file.replace(/^version: \d+$/m, '')).toBe(original.replace(/^version: \d+$/m, ''));
  });

  it('needs the form token for every change', async () => {
    const { pages, flowsDir } = await open();
    const before = fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8');
    for (const url of ['/flows/pos-compra/edit', '/flows/pos-compra/enabled', '/flows/new', '/flows/preview']) {
      const answer = await pages.app.app.inject({
        method: 'POST',
        url,
        cookies: pages.cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ enabled: '0', action: 'save', text: 'x' }).toString(),
      });
      expect(answer.statusCode, url).toBe(403);
    }
    expect(fs.readFileSync(path.join(flowsDir, 'pos-compra.yaml'), 'utf8')).toBe(before);
  });
});
