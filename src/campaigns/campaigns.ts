/**
 * Campaigns (issue 21): a one-off message to the consenting members of a
 * segment, in up to three variants. Each variant is a one-step flow kept in
 * flow_versions; each recipient gets a run of their variant's flow, due at
 * sendAt, all of them stored in one transaction. From there the flow
 * machinery does the rest: the tick turns due runs into queued messages (quiet
 * hours and days moved), the send governor paces them (gaps, daily cap, cold
 * budget, contact budget) and checks opt-out and consent again before each
 * send, and the inbox lands an answer on the run that asked.
 */
import { randomInt } from 'node:crypto';
import type { Config } from '../config.js';
import { startOfLocalDay } from '../domain/local-time.js';
import { campaignOccurrence, CAMPAIGN_STEP_ID, parseCampaignMessage, withCampaignId, type CampaignMessageIssue } from '../flows/campaign-flow.js';
import type { ImageProblem, ParsedFlow } from '../flows/flow-schema.js';
import { renderTemplate, SAMPLE_CONTEXT } from '../flows/render-template.js';
import { EMPTY_RUN_STATE } from '../flows/run-types.js';
import { pollOptions } from '../flows/steps/ask.js';
import { translate, translator } from '../i18n/index.js';
import type { Clock } from '../scheduler/clock.js';
import { coldWindows } from '../scheduler/cold-budget.js';
import { CONTACT_WINDOW_MS } from '../scheduler/contact-cap.js';
import { templateContext } from '../scheduler/template-context.js';
import type { Repositories } from '../storage/repositories/index.js';
import { classifyAudience, countByReason, type Audience } from './audience.js';
import { buildResults, summarize } from './campaign-results.js';
import type { CampaignMessage, CampaignRequest, CampaignResults, CampaignSummary, StoredVariant } from './campaign-types.js';
import { pacingRulesOf } from '../scheduler/pacing-rules.js';
import { estimateSendTime, type SendEstimate } from './estimate-send-time.js';
import { splitVariants, VARIANT_KEYS } from './split.js';

export type CampaignConfig = Pick<
  Config,
  | 'locale'
  | 'timezone'
  | 'shopName'
  | 'shopReviewUrl'
  | 'quietHours'
  | 'sendDays'
  | 'sendGapSeconds'
  | 'dailySendCap'
  | 'coldDailyCap'
  | 'coldWarmup'
  | 'coldQuotaMarginPercent'
  | 'contactCapPerWeek'
>;

export interface CampaignDeps {
  repos: Repositories;
  clock: Clock;
  config: CampaignConfig;
  /** A segment's member customer ids (src/segments/segments.ts); undefined: no such segment. */
  segmentMembers: (segmentId: string) => number[] | undefined;
  /** Whether an image (relative to FLOWS_DIR) is there and inside it, as flows check theirs. */
  checkImage: (file: string) => ImageProblem | null;
  /** New runs are due: tick now rather than at the next cron slot. */
  kick?: () => void;
  /** The split's seed when the request gives none. */
  newSeed?: () => number;
}

/** A message as a sample member would receive it. */
export type PreviewContent =
  | { kind: 'text'; text: string }
  | { kind: 'image'; image: string; caption: string | null }
  | { kind: 'question'; ask: string; question: string; options: string[] | null };

export interface CampaignPreview {
  recipients: number;
  excluded: Record<string, number>;
  /** The member the texts are rendered for (the first recipient; null: nobody to send to, the sample customer of flows is used). */
  sample: { customerId: number; name: string | null } | null;
  variants: { key: string; recipients: number; content: PreviewContent }[];
  estimate: { firstSendAt: string | null; lastSendAt: string | null; durationSeconds: number; days: number; queuedAhead: number; unplaced: number };
}

export type CampaignOutcome<T> = { ok: true; value: T } | { ok: false; error: 'invalid'; issues: CampaignMessageIssue[] } | { ok: false; error: 'no_segment' };

export interface CreatedCampaign {
  id: number;
  recipients: number;
  excluded: Record<string, number>;
  variants: Record<string, number>;
  sendAt: string;
  seed: number;
}

export interface CampaignService {
  preview(request: CampaignRequest): CampaignOutcome<CampaignPreview>;
  create(request: CampaignRequest): CampaignOutcome<CreatedCampaign>;
  list(limit?: number): CampaignSummary[];
  get(id: number): CampaignResults | undefined;
  /** Stops what has not gone yet; undefined when there is no such campaign. */
  cancel(id: number): { runs: number; messages: number; alreadyCancelled: boolean } | undefined;
}

const DAY = 86_400_000;
/** How late a campaign message may still go: the estimated sending time and a day more, at least the flows' 3 days. */
const MIN_LATENESS_MS = 3 * DAY;
const MAX_LATENESS_MS = 366 * DAY;
/** The outbox row of a campaign run's one step: `<run id>:campanha:1` (flows/steps/types.ts dedupeKey). */
const DEDUPE_SUFFIX = `:${CAMPAIGN_STEP_ID}:1`;

export function createCampaignService(deps: CampaignDeps): CampaignService {
  const { repos, clock, config } = deps;
  const t = translator(config.locale);
  const pacing = pacingRulesOf(config);

  /** The segment's audience and the send estimate, read as of now (inside the caller's transaction when enrolling). */
  function plan(request: CampaignRequest): { audience: Audience; estimate: SendEstimate; queuedAhead: number; start: number } | undefined {
    const members = deps.segmentMembers(request.segment);
    if (members === undefined) return undefined;
    const now = clock.now();
    const start = Math.max(now, request.sendAt ?? now);
    const contacts = repos.campaigns.contactCountsSince(now - CONTACT_WINDOW_MS);
    const audience = classifyAudience(repos.campaigns.audience(members), contacts, config.contactCapPerWeek);
    const limits = repos.whatsappLimits.read();
    const today = startOfLocalDay(now, config.timezone);
    const sameDay = startOfLocalDay(start, config.timezone) === today;
    const windows = coldWindows(now, config.timezone, limits);
    const queuedAhead = repos.campaigns.queuedCustomerMessages(start);
    const warm = audience.eligible.filter((member) => member.warm).length;
    const estimate = estimateSendTime(pacing, {
      start,
      warm,
      cold: audience.eligible.length - warm,
      queuedAhead,
      sentToday: sameDay ? repos.outbox.countSentSince('customer', today) : 0,
      coldSentToday: sameDay ? repos.outbox.countColdCustomersSince(today) : 0,
      coldSentSinceQuotaRead: windows.quotaSince === null ? 0 : repos.outbox.countColdCustomersSince(windows.quotaSince),
      limits,
      linkedAt: repos.whatsappLimits.linkedAt(),
    });
    return { audience, estimate, queuedAhead, start };
  }

  /** Each message as a flow, checked; issues under `message` or `variants.<i>`. */
  function checkMessages(request: CampaignRequest, name: string, maxLatenessMs: number): { ok: true; flows: ParsedFlow[] } | { ok: false; issues: CampaignMessageIssue[] } {
    const messages = messagesOf(request);
    const flows: ParsedFlow[] = [];
    const issues: CampaignMessageIssue[] = [];
    messages.forEach((message, index) => {
      const base = request.variants === undefined ? ['message'] : ['variants', index];
      const result = parseCampaignMessage(message, { locale: config.locale, checkImage: deps.checkImage, name, maxLatenessMs });
      if (result.ok) flows.push(result.flow);
      else issues.push(...result.issues.map((issue) => ({ path: [...base, ...issue.path], message: issue.message })));
    });
    return issues.length > 0 ? { ok: false, issues } : { ok: true, flows };
  }

  function nameOf(request: CampaignRequest): string {
    if (request.name !== undefined) return request.name;
    const date = new Intl.DateTimeFormat(config.locale, { dateStyle: 'short', timeZone: config.timezone }).format(request.sendAt ?? clock.now());
    return t('campaign.default_name', { date });
  }

  function latenessFor(estimate: SendEstimate): number {
    return Math.min(MAX_LATENESS_MS, Math.max(MIN_LATENESS_MS, estimate.durationMs + DAY));
  }

  return {
    preview: (request) => {
      const planned = plan(request);
      const checked = checkMessages(request, nameOf(request), planned ? latenessFor(planned.estimate) : MIN_LATENESS_MS);
      if (!checked.ok) return { ok: false, error: 'invalid', issues: checked.issues };
      if (!planned) return { ok: false, error: 'no_segment' };
      const { audience, estimate, queuedAhead } = planned;
      const messages = messagesOf(request);
      const split = splitVariants(audience.eligible.map((member) => member.id), request.seed ?? 0, messages.length);
      const sampleId = audience.eligible[0]?.id;
      const sample = sampleId === undefined ? undefined : repos.customers.findById(sampleId);
      return {
        ok: true,
        value: {
          recipients: audience.eligible.length,
          excluded: countByReason(audience.excluded),
          sample: sample ? { customerId: sample.id, name: sample.name } : null,
          variants: checked.flows.map((flow, index) => {
            const key = VARIANT_KEYS[index]!;
            return { key, recipients: [...split.values()].filter((one) => one === key).length, content: render(flow, sample) };
          }),
          estimate: {
            firstSendAt: estimate.firstAt === null ? null : new Date(estimate.firstAt).toISOString(),
            lastSendAt: estimate.lastAt === null ? null : new Date(estimate.lastAt).toISOString(),
            durationSeconds: Math.round(estimate.durationMs / 1000),
            days: estimate.days,
            queuedAhead,
            unplaced: estimate.unplaced,
          },
        },
      };
    },

    create: (request) => {
      const name = nameOf(request);
      // Checked once before the transaction for its errors; the lateness is set from the estimate inside.
      const first = checkMessages(request, name, MIN_LATENESS_MS);
      if (!first.ok) return { ok: false, error: 'invalid', issues: first.issues };
      const seed = request.seed ?? (deps.newSeed ?? (() => randomInt(0, 2 ** 31)))();
      const attributionDays = request.attributionDays ?? 7;
      const messages = messagesOf(request);
      const created = repos.transaction((): CreatedCampaign | undefined => {
        const planned = plan(request);
        if (!planned) return undefined;
        const now = clock.now();
        const sendAt = planned.start;
        const checked = checkMessages(request, name, latenessFor(planned.estimate));
        if (!checked.ok) throw new Error('a campaign message checked a moment ago no longer passes');
        const id = repos.campaigns.insert({ name, segmentId: request.segment, variants: '[]', sendAt, seed, attributionDays, createdAt: now });
        const flows = checked.flows.map((flow, index) => withCampaignId(flow, id, VARIANT_KEYS[index]!));
        for (const flow of flows) repos.runs.rememberVersion(flow, now);
        const variants: StoredVariant[] = flows.map((flow, index) => ({ key: VARIANT_KEYS[index]!, message: messages[index]!, flowId: flow.id, flowHash: flow.hash }));
        repos.campaigns.setVariants(id, JSON.stringify(variants));
        const split = splitVariants(planned.audience.eligible.map((member) => member.id), seed, variants.length);
        const occurrence = campaignOccurrence(id);
        const counts: Record<string, number> = {};
        for (const { id: customerId } of planned.audience.eligible) {
          const key = split.get(customerId)!;
          const variant = variants[VARIANT_KEYS.indexOf(key)]!;
          const run = repos.runs.create(
            { flowId: variant.flowId, flowHash: variant.flowHash, customerId, occurrence, purchaseId: null, stepId: CAMPAIGN_STEP_ID, wakeAt: sendAt, state: EMPTY_RUN_STATE },
            now,
          );
          if (!run) throw new Error(`customer ${customerId} already has a run of campaign ${id}`);
          repos.campaigns.addRecipient(id, customerId, { variant: key, runId: run.id });
          counts[key] = (counts[key] ?? 0) + 1;
        }
        for (const { id: customerId, reason } of planned.audience.excluded) repos.campaigns.addRecipient(id, customerId, { excluded: reason });
        return {
          id,
          recipients: planned.audience.eligible.length,
          excluded: countByReason(planned.audience.excluded),
          variants: Object.fromEntries(variants.map((variant) => [variant.key, counts[variant.key] ?? 0])),
          sendAt: new Date(sendAt).toISOString(),
          seed,
        };
      });
      if (!created) return { ok: false, error: 'no_segment' };
      if (created.recipients > 0) deps.kick?.();
      return { ok: true, value: created };
    },

    list: (limit = 100) => {
      const now = clock.now();
      return repos.campaigns.list(limit).map((row) => {
        const totals = repos.campaigns.totals(row.id, row.attributionDays * DAY, DEDUPE_SUFFIX);
        return summarize(row, {
          enrolled: repos.campaigns.enrolledCounts(row.id),
          excluded: repos.campaigns.excludedCounts(row.id),
          pending: totals.reduce((sum, one) => sum + one.pending, 0),
          now,
        });
      });
    },

    get: (id) => {
      const row = repos.campaigns.find(id);
      if (!row) return undefined;
      return buildResults(row, {
        totals: repos.campaigns.totals(id, row.attributionDays * DAY, DEDUPE_SUFFIX),
        notSent: repos.campaigns.notSent(id, DEDUPE_SUFFIX),
        excluded: repos.campaigns.excludedCounts(id),
        now: clock.now(),
        locale: config.locale,
      });
    },

    cancel: (id) =>
      repos.transaction(() => {
        const row = repos.campaigns.find(id);
        if (!row) return undefined;
        if (row.status === 'cancelled') return { runs: 0, messages: 0, alreadyCancelled: true };
        const stopped = repos.campaigns.cancel(id, 'cancelled_by_seller', clock.now(), DEDUPE_SUFFIX)!;
        return { ...stopped, alreadyCancelled: false };
      }),
  };

  /** A variant's message for one member (or the flows' sample customer), as the engine would build it. */
  function render(flow: ParsedFlow, customer: Parameters<typeof templateContext>[1] | undefined): PreviewContent {
    const step = flow.steps[0]!;
    const context = customer
      ? templateContext({ name: config.shopName, reviewUrl: config.shopReviewUrl ?? '', locale: config.locale }, customer, undefined, null)
      : SAMPLE_CONTEXT;
    const fill = (template: string) => renderTemplate(template, context, config.timezone);
    if (step.kind === 'send') {
      if (step.image) return { kind: 'image', image: step.image.file, caption: step.image.caption === null ? null : fill(step.image.caption) };
      return { kind: 'text', text: fill(step.text ?? '') };
    }
    if (step.kind !== 'ask') throw new Error(`a campaign step is a send or an ask, not ${step.kind}`);
    const labels = { yes: translate(config.locale, 'flow.poll.yes'), no: translate(config.locale, 'flow.poll.no') };
    return { kind: 'question', ask: step.ask, question: fill(step.question), options: pollOptions(step, labels) };
  }
}

function messagesOf(request: CampaignRequest): CampaignMessage[] {
  return request.variants ?? (request.message ? [request.message] : []);
}
