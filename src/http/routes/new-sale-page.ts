import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { normalizePhone } from '../../domain/phone.js';
import { translator } from '../../i18n/index.js';
import { createOptIn, OPT_IN_CODE_LIFETIME_MS } from '../../intake/opt-in.js';
import { purchaseReader } from '../../intake/purchase-input.js';
import { recordPurchase } from '../../intake/record-purchase.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';
import {
  buildSaleDone,
  buildSuggestions,
  checkSale,
  describeBuyer,
  emptySaleForm,
  isSameSale,
  placeIssues,
  readSaleForm,
  type SaleErrors,
  type SaleForm,
} from '../view-models/new-sale.js';
import { buildOptInCard } from '../view-models/opt-in-card.js';
import { phoneForPeople, type ViewLocale } from '../view-models/view-locale.js';

/** Recent items the product field offers: enough for a shop's usual counter, small enough for a phone's page. */
const SUGGESTIONS = 60;
const NAV = '/sales/new';

/**
 * Nova venda: a sale at the counter or on Instagram, typed on the phone. The
 * form is read into the body POST /api/purchases takes and recorded by the
 * same reader and recordPurchase (with the flows' enrolment); its hidden
 * nonce is the externalId, so a second tap on "Registrar" records nothing
 * new. The answer page shows the flows started and the click-to-chat QR
 * for the customer to scan there and then.
 */
export function newSalePage(deps: PageDeps) {
  const { locale } = deps;
  const route = deps.route;
  const { repos, clock } = route;
  const t = translator(locale);
  const view: ViewLocale = { locale, timeZone: deps.config.timezone, country: deps.config.defaultCountry };
  const read = purchaseReader(route.intake);
  const consentText = t('page.sale.consent_text', { shop: deps.config.shopName });
  const flowName = (flowId: string) => route.flows?.runner.flow(flowId)?.name;
  const optIn = createOptIn({ repos, locale, shopPhone: () => deps.channel.linkedPhone ?? repos.whatsappLimits.shopPhone() });

  /** The customer of a number as typed, when it reads as one. */
  function buyerOf(phone: string) {
    const read = normalizePhone(phone, view.country);
    return read.ok ? repos.customers.findByPhone(read.e164) : undefined;
  }

  function formPage(reply: FastifyReply, form: SaleForm, errors: SaleErrors) {
    const typed = form.phone.trim() !== '' && normalizePhone(form.phone, view.country).ok;
    return renderPage(reply.header('cache-control', 'no-store'), deps, 'new-sale', {
      title: t('page.title.new_sale'),
      nav: NAV,
      form,
      errors,
      buyer: typed ? describeBuyer(buyerOf(form.phone), t) : null,
      suggestions: buildSuggestions(repos.purchases.recentItems(SUGGESTIONS), locale, route.intake.currency),
      consentText,
    });
  }

  const newNonce = () => crypto.randomBytes(16).toString('base64url');

  return async function routes(app: FastifyInstance): Promise<void> {
    guardPages(app, deps);

    app.get<{ Querystring: { phone?: unknown } }>('/sales/new', async (request, reply) => {
      const phone = typeof request.query.phone === 'string' ? request.query.phone.slice(0, 60) : '';
      return formPage(reply, emptySaleForm(newNonce(), phone), {});
    });

    app.post('/sales/new', async (request, reply) => {
      const { addLine, ...form } = readSaleForm(request.body);
      if (form.nonce === '') form.nonce = newNonce();
      if (addLine) return formPage(reply, form, {});
      const checked = checkSale(form, { t, country: view.country, currency: route.intake.currency, consentText });
      if (!checked.ok) return formPage(reply.status(400), form, checked.errors);
      const input = read(checked.body);
      if (!input.ok) return formPage(reply.status(400), form, placeIssues(input.issues));
      const result = await route.writes.run(() => recordPurchase(repos, input.value, clock.now(), route.flows?.enroll));
      // The same form sent again is the same sale; an old form (the browser's back button) filled in
      // with another sale is not: it comes back with a new nonce, to be sent once more on purpose.
      if (result.outcome === 'duplicate' && !isSameSale(result.purchase, result.customer.phone, input.value)) {
        return formPage(reply.status(409), { ...form, nonce: newNonce() }, { form: t('page.sale.form_used') });
      }
      // After the post, a page of its own: reloading it shows the sale again and records nothing.
      return reply.redirect(`/sales/${result.purchase.id}`, 303);
    });

    // What the phone field shows as the seller types: the customer's name, or that the number is new.
    app.get<{ Querystring: { phone?: unknown } }>('/sales/lookup', async (request, reply) => {
      const phone = typeof request.query.phone === 'string' ? request.query.phone.slice(0, 60) : '';
      const read = normalizePhone(phone, view.country);
      void reply.header('cache-control', 'no-store');
      if (!read.ok) return { phone: null, known: false, text: phone.trim() === '' ? '' : t(`phone.${read.problem}`) };
      const customer = repos.customers.findByPhone(read.e164);
      return { phone: phoneForPeople(read.e164, view.country), ...describeBuyer(customer, t) };
    });

    app.get<{ Params: { id: string } }>('/sales/:id', async (request, reply) => {
      const { id } = request.params;
      const purchase = /^\d{1,15}$/.test(id) ? repos.purchases.find(Number(id)) : undefined;
      const customer = purchase && repos.customers.findById(purchase.customerId);
      const page = { title: t('page.title.sale_done'), nav: NAV };
      if (!purchase || !customer || customer.erasedAt !== null) {
        return renderPage(reply.status(404), deps, 'new-sale-done', { ...page, done: null, card: null, problem: t('page.sale.not_found', { id: id.slice(0, 20) }) });
      }
      const runs = repos.runs.listFor(customer.id).filter((run) => run.purchaseId === purchase.id);
      const done = buildSaleDone({ purchase, customer, runs, flowName, view, t });
      // The customer scans the QR at the counter: their first message warms the chat and names this sale.
      const fresh = purchase.createdAt >= clock.now() - OPT_IN_CODE_LIFETIME_MS;
      const offer = fresh ? optIn.offer({ kind: 'purchase', id: purchase.id }) : null;
      const base = `/card?purchase=${purchase.id}`;
      const card = offer === null ? null : await buildOptInCard({ locale, shopName: deps.config.shopName, link: offer.link, code: offer.code, format: 'a6', base });
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'new-sale-done', {
        ...page,
        done,
        card,
        cardHref: base,
        noCard: offer === null ? t(fresh ? 'page.card.no_number' : 'page.sale.card_expired') : null,
        problem: null,
      });
    });
  };
}
