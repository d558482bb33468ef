/**
 * A campaign's message as a flow (issue 21): each variant of a campaign is a
 * one-step flow (a `send`, or an `ask` whose answer ends the run), checked by
 * the same schema as a flow file (Liquid, images under FLOWS_DIR, ask kinds and
 * options), so that the scheduler, the send governor and the inbox treat a
 * campaign message as any flow's: pacing, consent and opt-out at send time,
 * answers landing on the run that asked. Its id has a colon, which no flow
 * file may use, so a file can never claim it.
 */
import { translate, type Locale } from '../i18n/index.js';
import { parseFlow, type ImageProblem, type ParsedFlow } from './flow-schema.js';
import type { AskKind, Flow } from './flow-types.js';
import { hashFlow } from './load-flows.js';

/** What a campaign sends: a text, an image with an optional caption, or a question of a flow's ask kinds. */
export type CampaignMessage =
  | { text: string }
  | { image: string; caption?: string | undefined }
  | { ask: { kind: AskKind; question: string; options?: string[] | undefined; poll?: boolean | undefined } };

/** The one step of a campaign flow (answers and the outbox name it). */
export const CAMPAIGN_STEP_ID = 'campanha';
const PREFIX = 'campanha:';

/** The flow id of a campaign's variant: `campanha:12:a`. */
export function campaignFlowId(campaignId: number, variant: string): string {
  return `${PREFIX}${campaignId}:${variant}`;
}

/** Whether a flow id is a campaign's (never a flow file's: those cannot hold a colon). */
export function isCampaignFlowId(flowId: string): boolean {
  return flowId.startsWith(PREFIX);
}

/** The occurrence of a campaign's runs: one run per customer per campaign. */
export function campaignOccurrence(campaignId: number): string {
  return `campaign:${campaignId}`;
}

/** A problem with a campaign message, its path relative to the message (`["ask", "question"]`). */
export interface CampaignMessageIssue {
  path: (string | number)[];
  message: string;
}

export interface CampaignFlowOptions {
  locale: Locale;
  checkImage: (file: string) => ImageProblem | null;
  /** The flow's name (the campaign's), cut to what a flow name may hold. */
  name: string;
  /** How late the message may still go (the send may take days under the daily cap). */
  maxLatenessMs: number;
}

/** `purchase.…` or `answer.…` named in a template: a campaign is about no purchase and no earlier answer. */
const NAMES_RUN_DATA = /\b(purchase|answer)\s*(?:\.|\[)/u;

/**
 * The flow of one variant, checked as a flow file is (before its campaign has
 * an id: `withCampaignId` names it). Issues come with their path in the message.
 */
export function parseCampaignMessage(message: CampaignMessage, options: CampaignFlowOptions): { ok: true; flow: ParsedFlow } | { ok: false; issues: CampaignMessageIssue[] } {
  const step: Record<string, unknown> = { id: CAMPAIGN_STEP_ID };
  const templates: [string, (string | number)[]][] = [];
  if ('text' in message) {
    step.send = { text: message.text };
    templates.push([message.text, ['text']]);
  } else if ('image' in message) {
    step.send = { image: message.image, ...(message.caption === undefined ? {} : { text: message.caption }) };
    if (message.caption !== undefined) templates.push([message.caption, ['caption']]);
  } else {
    const { kind, question, options: choices, poll } = message.ask;
    step.ask = { kind, question, ...(choices === undefined ? {} : { options: choices }), ...(poll === undefined ? {} : { poll }) };
    templates.push([question, ['ask', 'question']]);
  }
  const raw = { id: 'campanha', version: 1, name: options.name.slice(0, 80).trim() || 'campanha', trigger: 'manual', filter: { consent: 'marketing' }, steps: [step] };
  const result = parseFlow(raw, { locale: options.locale, checkImage: options.checkImage });
  const issues: CampaignMessageIssue[] = result.ok ? [] : result.issues.map((issue) => ({ path: messagePath(message, issue.path), message: issue.message }));
  for (const [template, path] of templates) {
    if (NAMES_RUN_DATA.test(template)) issues.push({ path, message: translate(options.locale, 'campaign.template.run_data') });
  }
  if (!result.ok || issues.length > 0) return { ok: false, issues };
  const steps = result.flow.steps.map((one) => ({ ...one, maxLatenessMs: options.maxLatenessMs }));
  return { ok: true, flow: { ...result.flow, steps } };
}

/** The checked flow under its campaign's id, with its hash: what flow_versions keeps and runs follow. */
export function withCampaignId(flow: ParsedFlow, campaignId: number, variant: string): Flow {
  const named: ParsedFlow = { ...flow, id: campaignFlowId(campaignId, variant) };
  return { ...named, file: '', hash: hashFlow(named) };
}

/** A flow issue's path (steps.0.send.text) as the message's own (text, caption, image, ask.…). */
function messagePath(message: CampaignMessage, path: (string | number)[]): (string | number)[] {
  const [steps, index, kind, ...rest] = path;
  if (steps !== 'steps' || index !== 0) return [];
  if (kind === 'ask') return ['ask', ...rest];
  if (kind !== 'send') return [];
  if (rest[0] === 'text') return ['image' in message ? 'caption' : 'text'];
  if (rest[0] === 'image') return ['image'];
  return 'image' in message ? ['image'] : ['text'];
}
