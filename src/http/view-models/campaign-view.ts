/**
 * What the Campanhas pages show (issue 21), from the campaign service's
 * answers: the list's rows, the Conferir step (who gets it, who does not and
 * why, the time to send in words) and a campaign's results per variant, every
 * rate with the counts behind it. Pure.
 */
import type { CampaignPreview, PreviewContent } from '../../campaigns/campaigns.js';
import type { CampaignMessage, CampaignResults, CampaignStatus, Rate } from '../../campaigns/campaign-types.js';
import { isCampaignFlowId } from '../../flows/campaign-flow.js';
import { readReason } from '../../domain/reasons.js';
import { formatMoney } from '../../domain/money.js';
import { pluralizer, translator, type MessageKey, type Translate } from '../../i18n/index.js';
import { formatDuration, formatRate } from '../../reports/kpi-text.js';
import { REASON_WORDS } from '../routes/outbox-page.js';
import { shortDateTime, type ViewLocale } from './view-locale.js';

export interface CampaignViewOptions extends Pick<ViewLocale, 'locale' | 'timeZone'> {
  currency: string;
  /** A segment's name by id; undefined for a custom segment since deleted (shown by its id). */
  segmentName: (id: string) => string | undefined;
}

/** A count and what it is counted among, in words: "3 de 10 (30%)"; never a bare percentage. */
export function rateWords(rate: Rate, t: Translate, locale: ViewLocale['locale']): string {
  if (rate.rate === null) return t('page.campaign.rate_none', { count: rate.count, of: rate.of });
  return t('page.campaign.rate', { count: rate.count, of: rate.of, rate: formatRate(rate.rate, locale) });
}

/** A reason a recipient was left out or a message not sent, in the Envios page's words (a status or unknown code as stored). */
export function reasonWords(code: string, t: Translate): string {
  const known = readReason(code);
  if (known) return t(REASON_WORDS[known.reason], { id: known.detail });
  if (code === 'skipped' || code === 'expired' || code === 'failed' || code === 'unknown') return t(`page.outbox.status.${code}`);
  return code;
}

export function statusWords(status: CampaignStatus, t: Translate): string {
  return t(`page.campaign.status.${status}`);
}

/** The message of a variant in one line: its text, the image and caption, or the question and its kind. */
export function messageWords(message: CampaignMessage, t: Translate): string {
  if ('text' in message) return message.text;
  if ('image' in message) return t('page.outbox.image', { file: message.image, caption: message.caption ?? '' });
  const kind = t(`page.flows.ask.${message.ask.kind}`);
  const options = message.ask.options ? ` ${t('page.flows.options', { options: message.ask.options.join(' | ') })}` : '';
  return `${message.ask.question} (${kind})${options}`;
}

export function campaignListRow(campaign: CampaignResults, options: CampaignViewOptions) {
  const t = translator(options.locale);
  const time = shortDateTime(options);
  const total = (pick: (one: CampaignResults['results'][number]) => number) => campaign.results.reduce((sum, one) => sum + pick(one), 0);
  const sent = total((one) => one.sent.count);
  return {
    id: campaign.id,
    name: campaign.name,
    segment: options.segmentName(campaign.segment) ?? campaign.segment,
    status: campaign.status,
    statusName: statusWords(campaign.status, t),
    when: time.format(Date.parse(campaign.sendAt)),
    recipients: campaign.recipients,
    sent: t('page.campaign.sent_of', { count: sent, of: campaign.recipients }),
    replied: t('page.campaign.replied_of', { count: total((one) => one.replied.count), of: sent }),
  };
}

/** The Conferir step: the counts, each reason for leaving someone out, the estimate in words and the sample messages. */
export function campaignCheckView(preview: CampaignPreview, options: CampaignViewOptions) {
  const t = translator(options.locale);
  const time = shortDateTime(options);
  const excluded = Object.entries(preview.excluded)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, count]) => ({ reason: reasonWords(reason, t), code: reason, count }));
  const { estimate } = preview;
  let when: string;
  if (preview.recipients === 0) when = t('page.campaign.check.nobody');
  else if (estimate.firstSendAt === null || estimate.lastSendAt === null) when = t('page.campaign.check.cannot_estimate');
  else {
    const first = Date.parse(estimate.firstSendAt);
    const last = Date.parse(estimate.lastSendAt);
    when = t(estimate.days > 1 ? 'page.campaign.check.estimate_days' : 'page.campaign.check.estimate', {
      first: time.format(first),
      last: time.format(last),
      duration: formatDuration(estimate.durationSeconds * 1000, options.locale),
      days: estimate.days,
    });
  }
  const notes: string[] = [];
  if (estimate.queuedAhead > 0) notes.push(t('page.campaign.check.queued_ahead', { count: estimate.queuedAhead }));
  if (estimate.unplaced > 0) notes.push(t('page.campaign.check.unplaced', { count: estimate.unplaced }));
  return {
    recipients: preview.recipients,
    excluded,
    excludedTotal: excluded.reduce((sum, one) => sum + one.count, 0),
    when,
    notes,
    sample: preview.sample ? (preview.sample.name ?? `#${preview.sample.customerId}`) : null,
    variants: preview.variants.map((variant) => ({ key: variant.key.toUpperCase(), recipients: variant.recipients, ...contentView(variant.content, t) })),
    multiple: preview.variants.length > 1,
  };
}

function contentView(content: PreviewContent, t: Translate): { text: string; detail: string | null } {
  if (content.kind === 'text') return { text: content.text, detail: null };
  if (content.kind === 'image') return { text: content.caption ?? '', detail: t('page.campaign.check.image', { file: content.image }) };
  const options = content.options ? t('page.flows.options', { options: content.options.join(' | ') }) : null;
  return { text: content.question, detail: [t(`page.flows.ask.${content.ask as 'nps'}`), options].filter((part) => part !== null).join(' · ') };
}

/** A campaign's page: its facts, the progress, each variant's results and the verdicts the service gave. */
export function campaignPageView(campaign: CampaignResults, options: CampaignViewOptions) {
  const t = translator(options.locale);
  const n = pluralizer(options.locale);
  const time = shortDateTime(options);
  const rate = (one: Rate) => rateWords(one, t, options.locale);
  const money = (cents: number) => formatMoney(cents, options.currency, options.locale);
  const queued = campaign.results.reduce((sum, one) => sum + one.pending, 0);
  const sent = campaign.results.reduce((sum, one) => sum + one.sent.count, 0);
  const notSent = new Map<string, number>();
  for (const one of campaign.results) for (const [code, count] of Object.entries(one.notSent)) notSent.set(code, (notSent.get(code) ?? 0) + count);
  const skipped = [...notSent.values()].reduce((sum, n) => sum + n, 0);
  const excluded = Object.entries(campaign.excluded).map(([reason, count]) => ({ reason: reasonWords(reason, t), count }));
  const line = (key: MessageKey, value: string) => ({ name: t(key), value });
  return {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    statusName: statusWords(campaign.status, t),
    segment: options.segmentName(campaign.segment) ?? campaign.segment,
    sendAt: time.format(Date.parse(campaign.sendAt)),
    cancelledAt: campaign.cancelledAt === null ? null : time.format(Date.parse(campaign.cancelledAt)),
    attributionDays: campaign.attributionDays,
    recipients: campaign.recipients,
    progress: { queued, sent, skipped },
    notSent: [...notSent.entries()].map(([code, count]) => ({ reason: reasonWords(code, t), count })),
    excluded,
    cancellable: campaign.status === 'sending' || campaign.status === 'scheduled',
    variants: campaign.results.map((one) => ({
      key: one.key.toUpperCase(),
      message: messageWords(one.message, t),
      lines: [
        line('page.campaign.result.sent', rate(one.sent)),
        line('page.campaign.result.delivered', rate(one.delivered)),
        line('page.campaign.result.read', rate(one.read)),
        line('page.campaign.result.replied', rate(one.replied)),
        ...('ask' in one.message ? [line('page.campaign.result.answered', rate(one.answered))] : []),
        line('page.campaign.result.opted_out', rate(one.optedOut)),
        { name: t('page.campaign.result.purchased', { days: campaign.attributionDays }), value: rate(one.purchased) },
        line('page.campaign.result.purchases', t('page.campaign.result.purchases_value', { purchases: n('page.campaign.result.purchase_count', one.purchases), revenue: money(one.revenueCents) })),
      ],
    })),
    verdicts: campaign.comparisons.map((comparison) => comparison.verdict),
  };
}

/** `campanha:12:a` → the campaign's id and variant; null for any other flow id. */
export function parseCampaignFlowId(flowId: string): { id: number; variant: string } | null {
  if (!isCampaignFlowId(flowId)) return null;
  const match = /^campanha:(\d+):([a-z])$/.exec(flowId);
  return match ? { id: Number(match[1]), variant: match[2]! } : null;
}

/**
 * A campaign message's flow in the seller's words: Campanha “Promoção” (variante A); with no name
 * at hand (the campaign's name unknown to the caller), by its number. Null for a flow file's id.
 */
export function campaignFlowLabel(flowId: string, t: Translate, nameOf?: (id: number) => string | undefined): string | null {
  const parsed = parseCampaignFlowId(flowId);
  if (!parsed) return null;
  const name = nameOf?.(parsed.id);
  const variant = parsed.variant.toUpperCase();
  return name === undefined ? t('page.campaign.flow_label_id', { id: parsed.id, variant }) : t('page.campaign.flow_label', { name, variant });
}
