import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env, '/tmp');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('the NUVEMSHOP_* configuration', () => {
  it('is off by default, with the public API and order/paid', () => {
    expect(loadConfig({}, '/tmp').nuvemshop).toEqual({
      appSecret: null,
      apiUrl: 'https://api.nuvemshop.com.br/v1',
      storeId: '',
      accessToken: '',
      events: ['order/paid'],
    });
  });

  it('reads the store, its token, a trailing slash off the API address, and both events', () => {
    const config = loadConfig(
      {
        NUVEMSHOP_APP_SECRET: ' segredo-do-app-123 ',
        NUVEMSHOP_STORE_ID: '271146',
        NUVEMSHOP_ACCESS_TOKEN: 'abc123token',
        NUVEMSHOP_API_URL: 'https://api.tiendanube.com/v1/',
        NUVEMSHOP_EVENTS: 'order/paid, ORDER/CREATED, order/paid',
      },
      '/tmp',
    );
    expect(config.nuvemshop).toEqual({
      appSecret: 'segredo-do-app-123',
      apiUrl: 'https://api.tiendanube.com/v1',
      storeId: '271146',
      accessToken: 'abc123token',
      events: ['order/paid', 'order/created'],
    });
  });

  it('names each wrong variable and what it should be, never showing a secret or a token', () => {
    const problems = problemsOf({
      NUVEMSHOP_APP_SECRET: 'short',
      NUVEMSHOP_STORE_ID: 'loja-1',
      NUVEMSHOP_ACCESS_TOKEN: 'two words',
      NUVEMSHOP_API_URL: 'api.nuvemshop.com.br',
      NUVEMSHOP_EVENTS: 'order/paid,order/updated',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^NUVEMSHOP_APP_SECRET=\*\*\*\(5\): deve ser o segredo do app/),
      expect.stringMatching(/^NUVEMSHOP_STORE_ID="loja-1": deve ser o número da loja/),
      expect.stringMatching(/^NUVEMSHOP_ACCESS_TOKEN=\*\*\*\(9\): deve ser o token de acesso/),
      expect.stringMatching(/^NUVEMSHOP_API_URL="api.nuvemshop.com.br": deve ser o endereço da API/),
      'NUVEMSHOP_EVENTS="order/paid,order/updated": deve ser order/paid, order/created ou os dois separados por vírgula',
    ]);
  });
});
