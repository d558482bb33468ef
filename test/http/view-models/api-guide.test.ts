import { describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/index.js';
import { buildApiGuide, displayPath, shellQuote } from '../../../src/http/view-models/api-guide.js';

const t = translator('pt-BR');

describe('displayPath', () => {
  it('shows a file under the starting directory as the seller types it there, anything else whole', () => {
    expect(displayPath('/home/ana/fregues/data/admin-token', '/home/ana/fregues')).toBe('data/admin-token');
    expect(displayPath('/srv/fregues-data/admin-token', '/home/ana/fregues')).toBe('/srv/fregues-data/admin-token');
    expect(displayPath('/home/ana/fregues-2/admin-token', '/home/ana/fregues')).toBe('/home/ana/fregues-2/admin-token');
  });
});

describe('shellQuote', () => {
  it('quotes for a POSIX shell, single quotes included', () => {
    expect(shellQuote('data/admin-token')).toBe("'data/admin-token'");
    expect(shellQuote("{\"name\":\"Joana D'Arc\"}")).toBe("'{\"name\":\"Joana D'\\''Arc\"}'");
  });
});

describe('buildApiGuide', () => {
  it('points to the token file, reads it in the example, and posts to the service\'s address', () => {
    const guide = buildApiGuide({ publicUrl: 'https://loja.exemplo.com.br/', token: { kind: 'file', file: '/home/ana/fregues/data/admin-token' }, cwd: '/home/ana/fregues' }, t);
    expect(guide.tokenWhere).toBe('Ele está no arquivo data/admin-token, na máquina onde o fregues roda.');
    expect(guide.tokenLine).toBe("TOKEN=$(cat 'data/admin-token')");
    expect(guide.purchaseCurl.split('\n')[0]).toBe('curl -X POST https://loja.exemplo.com.br/api/purchases \\');
    expect(guide.purchaseCurl).toContain('-H "Authorization: Bearer $TOKEN"');
    expect(guide.purchaseCurl).toContain(`-d ${shellQuote(JSON.stringify(guide.purchaseBody))}`);
    expect(guide.purchaseScript).toBe(`${guide.tokenLine}\n${guide.purchaseCurl}`);
    expect(guide.purchaseBody).toEqual({
      externalId: 'pedido-1001',
      customer: { phone: '(11) 91234-5678', name: 'Ana Souza' },
      items: [{ name: 'Café especial 250 g', quantity: 2, unitPrice: '39,90' }],
    });
    expect(guide.customerRequest).toBe('GET https://loja.exemplo.com.br/api/customers?phone=11912345678');
    expect(guide.flowRequest).toMatch(/^POST https:\/\/loja\.exemplo\.com\.br\/api\/flows\/<id>\/runs /);
  });

  it('says where the token is when the seller set ADMIN_TOKEN, and in the demo, with a place to paste it', () => {
    const variable = buildApiGuide({ publicUrl: 'http://localhost:3000', token: { kind: 'variable' }, cwd: '/' }, t);
    expect(variable.tokenWhere).toBe(t('page.api_guide.token_variable'));
    expect(variable.tokenLine).toBe("TOKEN='cole-aqui-o-token'");
    const demo = buildApiGuide({ publicUrl: 'http://localhost:3000', token: { kind: 'demo' }, cwd: '/' }, t);
    expect(demo.tokenWhere).toBe(t('page.api_guide.token_demo'));
    expect(demo.tokenWhere).toContain('Token para entrar');
    expect(demo.tokenLine).toBe(variable.tokenLine);
  });
});
