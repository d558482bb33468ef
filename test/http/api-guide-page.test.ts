import { afterEach, describe, expect, it } from 'vitest';
import { translate, type Locale, type MessageKey } from '../../src/i18n/index.js';
import { ptBR } from '../../src/i18n/pt-BR.js';
import { createTestApp, TEST_TOKEN, type TestApp } from '../helpers/app.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

// The menu's "API" (issue 20): a page in the seller's language about what the API is for, where the
// token is and a first purchase, which links to the programmers' reader (/docs, English); and the
// reader itself laid out for a phone (viewport tag, its phone stylesheet).

let client: PagesClient | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await (client?.app ?? t)?.close();
  client = undefined;
  t = undefined;
});

const GUIDE_KEYS = (Object.keys(ptBR) as MessageKey[]).filter((key) => key.startsWith('page.api_guide.') || key === 'page.title.api_guide');

/** Eta's escaping of an interpolated text. */
function escaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function unescaped(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** What a reader sees of the page's body, code blocks and the given strings left out. */
function prose(html: string, without: string[] = []): string {
  const body = /<body>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '';
  let text = unescaped(body.replace(/<pre[\s\S]*?<\/pre>|<code[\s\S]*?<\/code>/g, ' ').replace(/<[^>]+>/g, ' '));
  for (const part of without) text = text.split(part).join(' ');
  return text;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter((word) => word !== ''));
}

/**
 * Words that are Portuguese too ("a", "no", "manual", "terminal", "data": a date), or names: they
 * may appear on both pages. "API" is the menu's name of the page (and its title's first word);
 * "token" is the word the sign-in form uses.
 */
const SHARED = new Set(['api', 'token', 'admin_token', 'fregues', 'nuvemshop', 'shopify', 'woocommerce', 'a', 'no', 'manual', 'terminal', 'data']);
/** English words the page could leak whatever the en page says today. */
const ENGLISH = ['the', 'and', 'of', 'to', 'is', 'for', 'with', 'full', 'technical', 'reference', 'english', 'programmers', 'purchase', 'customer', 'flow', 'docs', 'guide'];

/** The `-d '…'` body of the page's curl example, as the shell would hand it to curl. */
function exampleBody(html: string): unknown {
  const example = unescaped(/<pre[^>]*id="purchase-example"[^>]*><code>([\s\S]*?)<\/code><\/pre>/.exec(html)?.[1] ?? '');
  const quoted = /-d '((?:[^']|'\\'')*)'/.exec(example)?.[1];
  if (quoted === undefined) throw new Error(`no -d in the example:\n${example}`);
  return JSON.parse(quoted.replace(/'\\''/g, "'"));
}

describe('the API page (/docs/guide)', () => {
  it('asks to sign in first, and comes back to itself after it', async () => {
    t = await createTestApp();
    const response = await t.app.inject({ method: 'GET', url: '/docs/guide' });
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('<form method="post" action="/sign-in">');
    expect(response.body).toContain('<input type="hidden" name="next" value="/docs/guide">');
    expect(response.body).not.toContain(translate('pt-BR', 'page.api_guide.intro'));
  });

  it('is what the menu\'s "API" opens, in pt-BR: what the API is for, the token\'s file, the three uses and the reader', async () => {
    client = await openPages();
    const page = await client.get('/docs/guide');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<html lang="pt-BR">');
    expect(page.body).toContain(`<title>${translate('pt-BR', 'page.title.api_guide')} · fregues</title>`);
    // Every signed-in page's menu leads here, marked as the current entry on this one.
    expect(page.body).toContain(`<a href="/docs/guide" aria-current="page">${translate('pt-BR', 'page.nav.docs')}</a>`);
    expect((await client.get('/customers')).body).toContain(`<a href="/docs/guide">${translate('pt-BR', 'page.nav.docs')}</a>`);

    for (const key of ['page.api_guide.intro', 'page.api_guide.purchase_title', 'page.api_guide.customer_title', 'page.api_guide.flow_title'] as const) {
      expect(page.body, key).toContain(escaped(translate('pt-BR', key)));
    }
    // The test app's DATA_DIR is /tmp/fregues-test/data, outside the directory the tests run from: the whole path.
    expect(page.body).toContain(escaped(translate('pt-BR', 'page.api_guide.token_file', { file: '/tmp/fregues-test/data/admin-token' })));
    expect(page.body).toContain(escaped("TOKEN=$(cat '/tmp/fregues-test/data/admin-token')"));
    expect(page.body).toContain(`curl -X POST ${client.app.config.publicUrl}/api/purchases`);
    expect(page.body).toContain(`<a href="/docs" id="reader-link">${translate('pt-BR', 'page.api_guide.reference_link')}</a>`);
    expect(page.body).toContain('<a href="/integrations">');
  });

  it('has a purchase example the API takes as it is: 201, the customer and the items stored', async () => {
    client = await openPages();
    const body = exampleBody((await client.get('/docs/guide')).body);
    const created = await client.app.api({ method: 'POST', url: '/api/purchases', payload: body as Record<string, unknown> });
    expect(created.statusCode).toBe(201);
    const answer = created.json<{ customer: { phone: string; name: string }; purchase: { externalId: string; totalCents: number } }>();
    expect(answer.customer).toMatchObject({ phone: '+5511912345678', name: translate('pt-BR', 'page.api_guide.sample_customer') });
    expect(answer.purchase).toMatchObject({ externalId: translate('pt-BR', 'page.api_guide.sample_order'), totalCents: 7980 });
  });

  it('says no English word in pt-BR, apart from code and "API"', async () => {
    client = await openPages();
    const file = '/tmp/fregues-test/data/admin-token';
    const portuguese = words(prose((await client.get('/docs/guide')).body, [file]));
    await client.app.close();
    client = await openPages({ env: { LOCALE: 'en' } });
    const english = new Set([...words(prose((await client.get('/docs/guide')).body, [file])), ...ENGLISH].filter((word) => !SHARED.has(word)));
    // The check finds what it is meant to find: the en page is full of English words.
    expect([...english]).toEqual(expect.arrayContaining(['the', 'reference', 'programmers', 'purchase']));
    expect([...portuguese].filter((word) => english.has(word))).toEqual([]);
    expect(portuguese.has('api')).toBe(true);
  });

  it('says where a token set in ADMIN_TOKEN is, and leaves a place to paste it in the example', async () => {
    client = await openPages({ env: { ADMIN_TOKEN: TEST_TOKEN } });
    const page = (await client.get('/docs/guide')).body;
    expect(page).toContain(escaped(translate('pt-BR', 'page.api_guide.token_variable')));
    expect(page).toContain(escaped(`TOKEN='${translate('pt-BR', 'page.api_guide.token_placeholder')}'`));
    expect(page).not.toContain('admin-token');
  });

  it.each(['en', 'es'] as Locale[])('speaks the language of LOCALE=%s, not a sentence of the Portuguese page', async (locale) => {
    client = await openPages({ env: { LOCALE: locale } });
    const page = await client.get('/docs/guide');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<html lang="${locale}">`);
    expect(page.body).toContain(`<title>${escaped(translate(locale, 'page.title.api_guide'))} · fregues</title>`);
    expect(page.body).toContain(`<a href="/docs" id="reader-link">${escaped(translate(locale, 'page.api_guide.reference_link'))}</a>`);
    for (const key of GUIDE_KEYS) {
      const portuguese = translate('pt-BR', key, { file: '/tmp/fregues-test/data/admin-token' });
      if (portuguese === translate(locale, key, { file: '/tmp/fregues-test/data/admin-token' })) continue;
      expect(page.body, key).not.toContain(escaped(portuguese));
    }
    expect(page.body).toContain(escaped(translate(locale, 'page.api_guide.intro')));
    // The example's data in the locale's words, and still a purchase the API takes.
    const created = await client.app.api({ method: 'POST', url: '/api/purchases', payload: exampleBody(page.body) as Record<string, unknown> });
    expect(created.statusCode).toBe(201);
    expect(created.json<{ customer: { name: string } }>().customer.name).toBe(translate(locale, 'page.api_guide.sample_customer'));
  });
});

describe('the reader (/docs) on a phone', () => {
  it('has the viewport tag and its phone stylesheet, with or without the trailing slash', async () => {
    client = await openPages();
    for (const url of ['/docs', '/docs/']) {
      const page = await client.get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(page.body.match(/name="viewport"/g), url).toHaveLength(1);
      expect(page.body, url).toMatch(/href="[^"]*static\/theme\/phone\.css"/);
    }
    const css = await client.get('/docs/static/theme/phone.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('.swagger-ui');
  });

  it('keeps its document where it was, naming the seller\'s page', async () => {
    client = await openPages();
    const document = await client.get('/docs/json');
    expect(document.statusCode).toBe(200);
    expect(document.json<{ info: { description: string } }>().info.description).toContain('(/docs/guide)');
  });

  it('gives the stylesheet only to the signed in, as the reader\'s other files', async () => {
    t = await createTestApp();
    const css = await t.app.inject({ method: 'GET', url: '/docs/static/theme/phone.css' });
    expect(css.statusCode).toBe(401);
  });
});
