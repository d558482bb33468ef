import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPages, type PagesClient } from '../helpers/pages.js';

let client: PagesClient | undefined;
afterEach(async () => {
  await client?.app.close();
  client = undefined;
});

async function open(): Promise<PagesClient> {
  client = await openPages();
  return client;
}

const BOUNDARY = '----fregues-test-boundary';

/** The body a browser sends for the page's form: the token and one file field. */
function multipart(fields: Record<string, string>, file?: { name: string; content: Buffer | string }): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`));
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

function upload(c: PagesClient, file?: { name: string; content: Buffer | string }, token = c.csrf) {
  return c.app.app.inject({
    method: 'POST',
    url: '/customers/import',
    cookies: c.cookies,
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    payload: multipart({ _csrf: token }, file),
  });
}

function customerCount(c: PagesClient): number {
  return c.app.db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
}

function text(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, ' ');
}

const shopify = () => fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'csv', 'shopify-customers.csv'));

describe('Clientes › Importar planilha', () => {
  it('is linked from Clientes and shows an upload form with the form token', async () => {
    const c = await open();
    expect((await c.get('/customers')).body).toContain('href="/customers/import"');
    const page = await c.get('/customers/import');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('name="_csrf"');
    expect(page.body).toContain('<title>Importar clientes · fregues</title>');
  });

  it('previews without writing: counts, each rejected line with its reason, notes and ignored columns; then imports', async () => {
    const c = await open();
    const preview = await upload(c, { name: 'clientes-shopify.csv', content: shopify() });
    expect(preview.statusCode).toBe(200);
    const shown = text(preview.body);
    expect(shown).toContain('Prévia de clientes-shopify.csv');
    expect(shown).toContain('5 linhas lidas: 3 clientes novos, 0 atualizados, 2 linhas recusadas.');
    expect(shown).toContain('6 o mesmo telefone já está na linha 3');
    expect(shown).toContain('7 Phone: não é um celular');
    expect(shown).toContain('4 telefone +55 21 99876-5432 tirado de Default Address Phone');
    expect(shown).toContain('Accepts Email Marketing');
    expect(shown).toContain('Total Spent');
    expect(customerCount(c)).toBe(0);

    const id = /name="preview" value="([^"]+)"/.exec(preview.body)?.[1];
    expect(id).toBeDefined();
    const done = await c.post('/customers/import/confirm', { preview: id ?? '' });
    expect(done.statusCode).toBe(200);
    expect(text(done.body)).toContain('Importação concluída: 3 clientes novos, 0 atualizados, 2 linhas recusadas.');
    expect(customerCount(c)).toBe(3);

    // The same preview confirmed again (a second click, a reload) imports nothing twice.
    const again = await c.post('/customers/import/confirm', { preview: id ?? '' });
    expect(again.statusCode).toBe(409);
    expect(text(again.body)).toContain('A prévia expirou ou já foi importada');
    expect(customerCount(c)).toBe(3);
  });

  it('says what is wrong with a missing file, a sheet without a phone column, and a sheet with nothing importable', async () => {
    const c = await open();
    const none = await upload(c);
    expect(none.statusCode).toBe(400);
    expect(text(none.body)).toContain('Escolha um arquivo CSV');
    const noPhone = await upload(c, { name: 'a.csv', content: 'nome;cidade\nAna;Santos\n' });
    expect(noPhone.statusCode).toBe(400);
    expect(text(noPhone.body)).toContain('Não consegui ler a planilha: nenhuma coluna de telefone');
    const allBad = await upload(c, { name: 'b.csv', content: 'nome;telefone\nAna;123\n' });
    expect(text(allBad.body)).toContain('Nenhuma linha pode ser importada');
    expect(allBad.body).not.toContain('name="preview"');
  });

  it('refuses an upload without the form token, or without signing in, and stores nothing', async () => {
    const c = await open();
    const forged = await upload(c, { name: 'c.csv', content: 'telefone\n11912345678\n' }, 'not-the-token');
    expect(forged.statusCode).toBe(403);
    const anonymous = await c.app.app.inject({
      method: 'POST',
      url: '/customers/import',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      payload: multipart({ _csrf: c.csrf }, { name: 'c.csv', content: 'telefone\n11912345678\n' }),
    });
    expect(anonymous.statusCode).toBe(401);
    const unknown = await c.post('/customers/import/confirm', { preview: 'made-up' });
    expect(unknown.statusCode).toBe(409);
    expect(customerCount(c)).toBe(0);
  });

  it('answers a sheet over 20 MB with the page and a reason, not a bare error', async () => {
    const c = await open();
    const huge = await upload(c, { name: 'grande.csv', content: Buffer.alloc(21 * 1024 * 1024, 'a') });
    expect(huge.statusCode).toBe(413);
    expect(text(huge.body)).toContain('A planilha passa de 20 MB');
  });

  it('reads a Windows-1252 file as Excel saves it in Brazil', async () => {
    const c = await open();
    const preview = await upload(c, { name: 'excel.csv', content: Buffer.from('nome;telefone\nJoão Araújo;11912345678\n', 'latin1') });
    const id = /name="preview" value="([^"]+)"/.exec(preview.body)?.[1] ?? '';
    await c.post('/customers/import/confirm', { preview: id });
    expect(c.app.db.sqlite.prepare('SELECT name FROM customers').pluck().get()).toBe('João Araújo');
  });
});
