import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CampaignService } from '../../campaigns/campaigns.js';
import { translator } from '../../i18n/index.js';
import { listSegments } from '../../segments/segments.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';
import { campaignFormFields, campaignRequestOf, emptyCampaignForm, issuesToFields, readCampaignForm, type CampaignFormValues, type FormErrors } from '../view-models/campaign-form.js';
import { campaignCheckView, campaignListRow, campaignPageView, type CampaignViewOptions } from '../view-models/campaign-view.js';
import { liquidNames, previewText } from '../view-models/flow-preview.js';
import { ASK_KINDS } from '../../flows/flow-schema.js';
import { builtinSegmentKey } from './segments.js';

const NAV = '/campaigns';
const LIST_SIZE = 100;

/**
 * The Campanhas pages (issue 21), on the campaign service the API uses:
 *
 * GET /campaigns              the list, newest first, and "Nova campanha"
 * GET /campaigns/new          the form (segment, message, A/B, when, attribution days)
 * POST /campaigns/new         "Conferir": the service's preview (who gets it, who does not and why,
 *                             the time to send, the sample message), or the form again to edit
 * POST /campaigns             "Enviar": creates it, 303 to its page
 * GET /campaigns/:id          status, progress, results per variant, the verdicts
 * POST /campaigns/:id/cancel  cancels it (with the confirmation box ticked)
 *
 * The texts get the flow editor's live preview and name picker (flow-editor.js, POST /flows/preview);
 * campaign-form.js shows only the fields of the kind of message and the number of variants chosen.
 */
export function campaignsPage(deps: PageDeps & { campaigns: CampaignService }) {
  const { locale, config, campaigns } = deps;
  const { repos, clock } = deps.route;
  const t = translator(locale);
  const previewOptions = { locale, shopName: config.shopName, timeZone: config.timezone };
  // Campaign texts are about the customer and the shop only (no purchase, no earlier answer).
  const names = liquidNames().filter((name) => name.startsWith('customer.') || name.startsWith('shop.'));

  function segments() {
    return listSegments(repos, { now: clock.now(), timeZone: config.timezone }, (id) => t(builtinSegmentKey(id)));
  }

  function viewOptions(): CampaignViewOptions {
    const all = new Map(segments().map((segment) => [segment.id, segment.name]));
    return { locale, timeZone: config.timezone, currency: config.currency, segmentName: (id) => all.get(id) };
  }

  function formPage(reply: FastifyReply, values: CampaignFormValues, errors: FormErrors) {
    const textPreview = (text: string) => (text === '' ? { ok: true as const, text: '' } : previewText(text, previewOptions));
    return renderPage(reply.header('cache-control', 'no-store'), deps, 'campaign-new', {
      title: t('page.title.campaign_new'),
      nav: NAV,
      values,
      errors,
      segments: segments(),
      askKinds: ASK_KINDS.map((kind) => ({ value: kind, name: t(`page.flows.ask.${kind}`) })),
      names,
      previews: values.variants.map((variant) => ({ text: textPreview(variant.text), caption: textPreview(variant.caption), question: textPreview(variant.question) })),
      timeZone: config.timezone,
    });
  }

  /** The form's values as a request, checked by the form and then by the service (preview: nothing stored). */
  function check(values: CampaignFormValues) {
    const read = campaignRequestOf(values, { locale, timeZone: config.timezone, now: clock.now(), segmentIds: segments().map((segment) => segment.id) });
    if (!read.ok) return { ok: false as const, errors: read.errors };
    const preview = campaigns.preview(read.request);
    if (preview.ok) return { ok: true as const, request: read.request, preview: preview.value };
    if (preview.error === 'no_segment') return { ok: false as const, errors: { top: [], fields: { segment: [t('segments.error.not_found', { id: values.segment })] } } };
    return { ok: false as const, errors: issuesToFields(preview.issues, values) };
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    guardPages(app, deps);

    app.get('/campaigns', async (_request, reply) => {
      const options = viewOptions();
      const rows = campaigns
        .list(LIST_SIZE)
        .map((summary) => campaigns.get(summary.id))
        .filter((campaign) => campaign !== undefined)
        .map((campaign) => campaignListRow(campaign, options));
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'campaigns', { title: t('page.title.campaigns'), nav: NAV, rows });
    });

    app.get('/campaigns/new', async (_request, reply) => formPage(reply, emptyCampaignForm(), { top: [], fields: {} }));

    app.post<{ Body: Record<string, unknown> }>('/campaigns/new', async (request, reply) => {
      const values = readCampaignForm(request.body);
      if (request.body?.action === 'edit') return formPage(reply, values, { top: [], fields: {} });
      // The split's seed is fixed here: the counts per variant shown are the ones sent.
      if (values.seed === '') values.seed = String(randomInt(0, 2 ** 31));
      const checked = check(values);
      if (!checked.ok) return formPage(reply.status(400), values, checked.errors);
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'campaign-check', {
        title: t('page.title.campaign_check'),
        nav: NAV,
        check: campaignCheckView(checked.preview, viewOptions()),
        fields: campaignFormFields(values),
      });
    });

    app.post<{ Body: Record<string, unknown> }>('/campaigns', async (request, reply) => {
      const values = readCampaignForm(request.body);
      const checked = check(values);
      if (!checked.ok) return formPage(reply.status(400), values, checked.errors);
      const created = campaigns.create(checked.request);
      if (!created.ok) {
        const errors = created.error === 'no_segment' ? { top: [], fields: { segment: [t('segments.error.not_found', { id: values.segment })] } } : issuesToFields(created.issues, values);
        return formPage(reply.status(400), values, errors);
      }
      return reply.redirect(`/campaigns/${created.value.id}?notice=created`, 303);
    });

    app.get<{ Params: { id: string }; Querystring: { notice?: unknown } }>('/campaigns/:id', async (request, reply) => {
      return campaignPage(reply, request.params.id, { notice: request.query.notice });
    });

    app.post<{ Params: { id: string }; Body: { confirm?: unknown } }>('/campaigns/:id/cancel', async (request, reply) => {
      const id = idOf(request.params.id);
      if (id === null || !campaigns.get(id)) return campaignPage(reply, request.params.id, {});
      if (request.body?.confirm !== '1') return campaignPage(reply.status(400), request.params.id, { problem: t('page.campaign.cancel_unconfirmed') });
      campaigns.cancel(id);
      return reply.redirect(`/campaigns/${id}?notice=cancelled`, 303);
    });
  };

  function idOf(text: string): number | null {
    return /^\d{1,15}$/.test(text) && Number(text) > 0 ? Number(text) : null;
  }

  function campaignPage(reply: FastifyReply, idText: string, extra: { notice?: unknown; problem?: string }) {
    const id = idOf(idText);
    const campaign = id === null ? undefined : campaigns.get(id);
    if (!campaign) {
      return renderPage(reply.status(404), deps, 'campaign-missing', { title: t('page.title.campaign_not_found'), nav: NAV, message: t('campaign.error.not_found', { id: idText.slice(0, 40) }) });
    }
    const notice = extra.notice === 'created' || extra.notice === 'cancelled' ? t(`page.campaign.notice.${extra.notice}`) : null;
    return renderPage(reply.header('cache-control', 'no-store'), deps, 'campaign', {
      title: campaign.name,
      nav: NAV,
      campaign: campaignPageView(campaign, viewOptions()),
      notice,
      problem: extra.problem ?? null,
    });
  }
}
