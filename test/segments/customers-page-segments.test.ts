import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPages, type PagesClient } from '../helpers/pages.js';
import { buyFixture, type FixtureName } from './fixture.js';

let pages: PagesClient;
let ids: Record<FixtureName, number>;
beforeEach(async () => {
  pages = await openPages();
  ids = await buyFixture(pages.app);
});
afterEach(async () => {
  await pages.app.close();
});

const rowsOf = (html: string) => [...html.matchAll(/<a href="\/customers\/(\d+)"/g)].map((m) => Number(m[1]));

describe('segments on the Clientes page', () => {
  it('offers every segment with its count and lists only the chosen one', async () => {
    const all = await pages.get('/customers');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('<option value="mais-valiosos">Mais valiosos (2)</option>');
    expect(all.body).toContain('<option value="perdidos">Perdidos (2)</option>');
    expect(rowsOf(all.body)).toHaveLength(10);

    const chosen = await pages.get('/customers?segment=em-risco');
    expect(chosen.body).toContain('<option value="em-risco" selected>Em risco (2)</option>');
    expect(chosen.body).toContain('2 no segmento');
    expect(rowsOf(chosen.body)).toEqual([ids.J, ids.G]);
    expect(chosen.body).toContain('href="/customers/export.csv?segment=em-risco"');
  });

  it('exports the segment as a CSV for Excel in Brazil: BOM, semicolons, header in Portuguese, E.164, formulas defused', async () => {
    const patched = await pages.app.api({ method: 'PATCH', url: `/api/customers/${ids.A}`, payload: { name: '=Ana; "Souza"', tags: ['vip'] } });
    expect(patched.statusCode, patched.body).toBe(200);
    const csv = await pages.get('/customers/export.csv?segment=mais-valiosos');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="mais-valiosos.csv"');
    expect(csv.rawPayload).toEqual(
      Buffer.from(
        '\uFEFFNome;Telefone;E-mail;Etiquetas;Aceita ofertas\r\n' +
          '"\'=Ana; ""Souza""";+5511990000000;;vip;sim\r\n' +
          'Cliente B;+5511990000001;;;não\r\n',
        'utf8',
      ),
    );
  });

  it('saves the filters of the form as a custom segment and shows it', async () => {
    const saved = await pages.post('/customers/segments', { name: 'Café e consentimento', products: 'CAFE-*', consent: 'granted', totalMin: '100,00' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/customers?segment=cafe-e-consentimento&notice=segment_saved');
    const page = await pages.get(saved.headers.location as string);
    expect(page.body).toContain('Segmento salvo.');
    expect(page.body).toContain('<option value="cafe-e-consentimento" selected>Café e consentimento (1)</option>');
    expect(rowsOf(page.body)).toEqual([ids.A]);
    const api = await pages.app.api({ method: 'GET', url: '/api/segments' });
    expect(api.json<{ segments: { id: string; filters?: unknown }[] }>().segments.at(-1)).toMatchObject({
      id: 'cafe-e-consentimento',
      filters: { products: ['CAFE-*'], consent: 'granted', totalMinCents: 10000 },
    });
  });

  it('shows what is wrong in the form, under the label the seller sees, and saves nothing', async () => {
    const wrong = await pages.post('/customers/segments', { name: 'Ruim', purchasesMin: 'muitas', totalMax: 'caro' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Confira o campo Compras, no mínimo: esperava um número, recebeu um texto');
    expect(wrong.body).toContain('Confira o campo Total gasto até (R$): valor em reais, como 150 ou 99,90');
    expect(wrong.body).toContain('value="muitas"');
    const order = await pages.post('/customers/segments', { name: 'Ruim', lastPurchaseFrom: '2026-11-20', lastPurchaseTo: '2026-11-01' });
    expect(order.statusCode).toBe(400);
    expect(order.body).toContain('Confira o campo Última compra até: o fim do intervalo não pode ser menor que o começo');
    const api = await pages.app.api({ method: 'GET', url: '/api/segments' });
    expect(api.json<{ segments: unknown[] }>().segments).toHaveLength(7);
  });
});
