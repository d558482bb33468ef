import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { translate, type Locale, type MessageKey } from '../../src/i18n/index.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

// Every page in each language of LOCALE: the page's language, its title and the menu from that
// language's catalog, and not a word of the Portuguese one where the two differ.

const PAGES: [string, MessageKey][] = [
  ['/', 'page.title.dashboard'],
  ['/customers', 'page.nav.customers'],
  ['/flows', 'page.nav.flows'],
  ['/flows/pos-compra', 'page.nav.flows'],
  ['/outbox', 'page.nav.outbox'],
  // The store platforms' webhooks (issue 19); its guide, /integrations/guide, is a pt-BR document whatever LOCALE is.
  ['/integrations', 'page.title.integrations'],
  ['/simulator', 'page.nav.simulator'],
  ['/connect', 'page.title.connect'],
  // The printable card for the customer to write first (the shop's own, without a purchase).
  ['/card', 'page.title.opt_in_card'],
  // The seller's page about WhatsApp's limits: its content is Brazilian Portuguese, marked as such; its title and menu are not.
  ['/connect/whatsapp-limits', 'limits.learn_more'],
  // Nova venda: the counter's form (issue 19).
  ['/sales/new', 'page.title.new_sale'],
];
const MENU: MessageKey[] = ['page.nav.dashboard', 'page.nav.new_sale', 'page.nav.customers', 'page.nav.flows', 'page.nav.outbox', 'page.nav.integrations', 'page.nav.simulator', 'page.nav.connect'];

let client: PagesClient | undefined;
afterEach(async () => {
  await client?.app.close();
  client = undefined;
});

describe.each(['en', 'es'] as Locale[])('the pages in %s', (locale) => {
  it('speak the language of LOCALE', async () => {
    client = await openPages({ flows: SHIPPED_FLOWS, env: { LOCALE: locale, FLOWS_DIR: path.resolve(import.meta.dirname, '../../flows') } });
    const bought = await client.app.buy({ externalId: undefined, customer: { phone: '(11) 91234-5678', name: 'Ana' }, items: [{ name: 'Café' }] });
    const id = bought.customer.id;
    for (const [url] of [...PAGES, [`/customers/${id}`, 'page.nav.customers'] as const, [`/sales/${bought.purchase.id}`, 'page.title.sale_done'] as const]) {
      const response = await client.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).toContain(`<html lang="${locale}">`);
      for (const key of MENU) expect(response.body, `${url} ${key}`).toContain(`>${translate(locale, key)}</a>`);
      // Portuguese words of the menu and the sign-out button that differ in this language.
      for (const key of [...MENU, 'page.sign_out'] as MessageKey[]) {
        const portuguese = translate('pt-BR', key);
        if (portuguese !== translate(locale, key)) expect(response.body, `${url} shows "${portuguese}"`).not.toContain(`>${portuguese}<`);
      }
    }
    for (const [url, key] of PAGES) {
      const title = /<title>([^<]*) · fregues<\/title>/.exec((await client.get(url)).body)?.[1];
      if (key.startsWith('page.title.')) expect(title, url).toBe(translate(locale, key));
    }
  });
});
