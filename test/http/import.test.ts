import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

function upload(csv: string | Buffer, query = '', type = 'text/csv; charset=utf-8') {
  return t.api({ method: 'POST', url: `/api/customers/import${query}`, payload: csv, headers: { 'content-type': type } });
}

describe('POST /api/customers/import', () => {
  it('imports the valid rows and reports the rejected ones with line numbers', async () => {
    const response = await upload('nome;telefone\nAna;(11) 91234-5678\nFixo;(11) 3123-4567\nBia;21998765432\n');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      rows: 3,
      imported: 2,
      created: 2,
      updated: 0,
      suppressed: 0,
      rejected: [{ line: 3, reason: 'telefone: não é um celular: o WhatsApp precisa de um número de celular' }],
      notes: [],
      ignoredColumns: [],
      dryRun: false,
    });
    const list = (await t.api({ method: 'GET', url: '/api/customers' })).json();
    expect(list.customers.map((c: { name: string }) => c.name)).toEqual(['Bia', 'Ana']);
  });

  it('accepts the content types browsers and spreadsheets send', async () => {
    for (const type of ['text/csv', 'application/vnd.ms-excel', 'application/octet-stream', 'application/csv']) {
      expect((await upload('telefone\n11912345678\n', '', type)).statusCode).toBe(200);
    }
  });

  it('validates without writing when dryRun=true', async () => {
    const response = await upload('telefone\n11912345678\n', '?dryRun=true');
    expect(response.json()).toMatchObject({ imported: 1, created: 1, dryRun: true });
    expect(t.db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(0);
  });

  it('refuses a file it cannot read as a whole with 400 invalid_csv', async () => {
    const response = await upload('nome;email\nAna;ana@ex.com\n');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({
      code: 'invalid_csv',
      message: expect.stringContaining('nenhuma coluna de telefone encontrada'),
    });
  });

  it('refuses JSON and unknown query parameters', async () => {
    const json = await t.api({ method: 'POST', url: '/api/customers/import', payload: { rows: [] } });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.message).toContain('text/csv');
    expect((await upload('telefone\n11912345678\n', '?dry=1')).statusCode).toBe(400);
  });

  it('takes spreadsheets larger than the JSON limit', async () => {
    const lines = ['nome;telefone;observacao', ...Array.from({ length: 6000 }, (_, i) => `Cliente ${i};+55119${String(10000000 + i)};${'x'.repeat(200)}`)];
    const csv = lines.join('\n');
    expect(csv.length).toBeGreaterThan(1024 * 1024);
    const response = await upload(csv);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ imported: 6000, ignoredColumns: ['observacao'] });
  });
});
