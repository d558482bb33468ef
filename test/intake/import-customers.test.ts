import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeSpreadsheet, detectDelimiter, importCustomers, parseCustomersCsv } from '../../src/intake/import-customers.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase, type Database } from '../../src/storage/db.js';
import { createRepositories, type Repositories } from '../../src/storage/repositories/index.js';

const ctx = { locale: 'pt-BR' as const, defaultCountry: 'BR' as const, currency: 'BRL', clock: new ManualClock('2026-11-20T12:00:00Z') };

let db: Database;
let repos: Repositories;
beforeEach(() => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
});
afterEach(() => db.close());

function parseOk(text: string | Buffer) {
  const result = parseCustomersCsv(text, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

function customers() {
  return db.sqlite.prepare('SELECT phone, name, email, birthday, tags, consent_marketing AS consent FROM customers ORDER BY id').all();
}

describe('parseCustomersCsv', () => {
  it('reads a semicolon-separated Brazilian export with BOM, dd/mm/yyyy dates and accents in headers', () => {
    const csv = '\uFEFFNome;Celular;E-mail;Data de Nascimento;Aceita Marketing\nAna Souza;(11) 91234-5678;ANA@Exemplo.com;12/03/1990;Sim\nBruno;21 99876-5432;;05/07;não\n';
    const parsed = parseOk(csv);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.rows).toEqual([
      {
        line: 2,
        phone: '+5511912345678',
        details: { name: 'Ana Souza', email: 'ana@exemplo.com', birthday: '1990-03-12' },
        consent: { marketing: true, source: 'csv-import', text: 'Aceita Marketing' },
      },
      { line: 3, phone: '+5521998765432', details: { name: 'Bruno', birthday: '--07-05' }, consent: { marketing: false, source: 'csv-import', text: 'Aceita Marketing' } },
    ]);
  });

  it('reads a comma-separated file with quoted cells, CRLF line ends and first/last name columns (Shopify style)', () => {
    const csv = 'First Name,Last Name,Email,Phone,Tags,Accepts Email Marketing\r\n"Carla","Dias, Jr.",carla@ex.com,+55 31 98765-4321,"vip, atacado",yes\r\n';
    expect(parseOk(csv).rows).toEqual([
      {
        line: 2,
        phone: '+5531987654321',
        details: { name: 'Carla Dias, Jr.', email: 'carla@ex.com', tags: ['vip', 'atacado'] },
        // An e-mail marketing answer says nothing about WhatsApp: the column is left out, and said so.
        consent: undefined,
      },
    ]);
    expect(parseOk(csv).ignoredColumns).toEqual(['Accepts Email Marketing']);
  });

  it('reports each rejected row with its line number and reason, and keeps the good rows', () => {
    const csv = [
      'nome;telefone;email;aniversario',
      'Ana;11912345678;;',
      'Fixo;(11) 3123-4567;;',
      '',
      'Sem DDD;91234-5678;x@;31/02/1990',
      'Bia;21998765432;;',
      ';;;',
      'Vazio;;;',
    ].join('\n');
    const parsed = parseOk(csv);
    expect(parsed.rows.map((row) => row.line)).toEqual([2, 6]);
    expect(parsed.rejected).toEqual([
      { line: 3, reason: 'telefone: não é um celular: o WhatsApp precisa de um número de celular' },
      { line: 5, reason: 'telefone: falta o DDD (ex.: (11) 91234-5678); email: e-mail inválido; aniversario: essa data não existe' },
      { line: 8, reason: 'telefone: informe o telefone' },
    ]);
  });

  it('counts lines of cells that span several lines, and rejects rows with extra cells', () => {
    const csv = 'nome,telefone\n"Ana\nde Souza",11912345678\nBia,21998765432,extra\nCaio,31987654321\n';
    const parsed = parseOk(csv);
    expect(parsed.rows.map((row) => [row.line, row.details.name])).toEqual([
      [2, 'Ana de Souza'],
      [5, 'Caio'],
    ]);
    expect(parsed.rejected).toEqual([{ line: 4, reason: 'a linha tem 3 colunas, o cabeçalho tem 2' }]);
  });

  it('takes the first column that holds a mobile: landline in "telefone", mobile in "celular"', () => {
    const parsed = parseOk('nome;telefone;celular\nAna;(11) 3123-4567;(11) 91234-5678\n');
    expect(parsed.rows[0]?.phone).toBe('+5511912345678');
  });

  it('names columns it ignored', () => {
    expect(parseOk('nome;telefone;cidade;CPF\nAna;11912345678;Santos;123\n').ignoredColumns).toEqual(['cidade', 'CPF']);
  });

  it('refuses a consent value it cannot read', () => {
    expect(parseOk('telefone;marketing\n11912345678;talvez\n').rejected).toEqual([{ line: 2, reason: 'marketing: use sim ou não' }]);
  });

  it.each([
    ['', 'a planilha está vazia'],
    ['\uFEFF\n\n', 'a planilha está vazia'],
    ['nome;email\nAna;a@b.com\n', 'nenhuma coluna de telefone encontrada'],
    ['nome;telefone\nAna;"11912345678\nBia;21998765432\n', 'aspas abertas e não fechadas a partir da linha 2'],
  ])('refuses the whole file %j', (csv, message) => {
    const result = parseCustomersCsv(csv, ctx);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(message);
  });

  it('reads Windows-1252 files as Excel saves them in Brazil', () => {
    const latin1 = Buffer.from('nome;telefone\nJoão Araújo;11912345678\n', 'latin1');
    expect(decodeSpreadsheet(latin1)).toContain('João Araújo');
    expect(parseOk(latin1).rows[0]?.details.name).toBe('João Araújo');
    expect(decodeSpreadsheet(Buffer.from('João', 'utf8'))).toBe('João');
  });

  it('detects the separator from the header, ignoring separators inside quotes', () => {
    expect(detectDelimiter('nome;telefone;email\n')).toBe(';');
    expect(detectDelimiter('nome,telefone\n')).toBe(',');
    expect(detectDelimiter('"nome; completo",telefone\n')).toBe(',');
    expect(detectDelimiter('nome\ttelefone\n')).toBe('\t');
    expect(detectDelimiter('telefone\n')).toBe(',');
  });
});

describe('importCustomers', () => {
  it('creates and updates customers by phone, merging tags and never clearing data with empty cells', () => {
    repos.customers.create({ phone: '+5511912345678', details: { name: 'Ana', email: 'ana@old.com', tags: ['antiga'] } }, 1);
    const parsed = parseOk('nome;telefone;email;tags\nAna Souza;11912345678;;vip\nBia;21998765432;bia@ex.com;nova\n');
    const report = importCustomers(repos, parsed, ctx.clock.now());
    expect(report).toEqual({ rows: 2, imported: 2, created: 1, updated: 1, suppressed: 0, rejected: [], notes: [], ignoredColumns: [], dryRun: false });
    expect(customers()).toEqual([
      { phone: '+5511912345678', name: 'Ana Souza', email: 'ana@old.com', birthday: null, tags: '["antiga","vip"]', consent: 'unknown' },
      { phone: '+5521998765432', name: 'Bia', email: 'bia@ex.com', birthday: null, tags: '["nova"]', consent: 'unknown' },
    ]);
  });

  it('reports the same phone twice in one file on the later line, and imports only the first', () => {
    const parsed = parseOk('nome;telefone\nBia;21998765432\nAna;11912345678\nBia Lima;(21) 99876-5432\nBia de novo;+55 21 99876 5432\n');
    const report = importCustomers(repos, parsed, ctx.clock.now());
    expect(report).toMatchObject({ rows: 4, imported: 2, created: 2 });
    expect(report.rejected).toEqual([
      { line: 4, reason: 'o mesmo telefone já está na linha 2: esta linha não foi importada (junte as duas ou apague uma)' },
      { line: 5, reason: 'o mesmo telefone já está na linha 2: esta linha não foi importada (junte as duas ou apague uma)' },
    ]);
    expect(customers()).toMatchObject([{ name: 'Bia' }, { name: 'Ana' }]);
  });

  it('writes nothing for rejected rows and nothing at all in a dry run', () => {
    const parsed = parseOk('nome;telefone\nAna;11912345678\nRuim;123\n');
    const dry = importCustomers(repos, parsed, ctx.clock.now(), { dryRun: true });
    expect(dry).toMatchObject({ imported: 1, created: 1, rejected: [{ line: 3 }], dryRun: true });
    expect(customers()).toEqual([]);
    importCustomers(repos, parsed, ctx.clock.now());
    expect(customers()).toHaveLength(1);
  });

  it('records consent from the sheet in the consent history', () => {
    importCustomers(repos, parseOk('telefone;aceita receber ofertas\n11912345678;sim\n'), ctx.clock.now());
    expect(db.sqlite.prepare('SELECT state, source, text FROM consent_events').all()).toEqual([
      { state: 'granted', source: 'csv-import', text: 'aceita receber ofertas' },
    ]);
  });

  it('reports progress batch by batch and imports thousands of rows', () => {
    const lines = ['nome;telefone', ...Array.from({ length: 1200 }, (_, i) => `Cliente ${i};+55119${String(10000000 + i)}`)];
    const progress: number[] = [];
    const report = importCustomers(repos, parseOk(lines.join('\n')), ctx.clock.now(), { onProgress: (done) => progress.push(done) });
    expect(report.created).toBe(1200);
    expect(progress).toEqual([500, 1000, 1200]);
    expect(db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(1200);
  });
});
