import type { Config } from '../config.js';
import type { Flow, Step } from '../flows/flow-types.js';
import { flowPhrases } from '../http/view-models/flow-in-words.js';
import { type MessageKey, translator, type Translate } from '../i18n/index.js';
import type { Timeline } from '../simulation/dry-run.js';

/** Why a run ends, in words: the customer page's words, and the guard reasons only a dry run of an odd flow meets. */
const END_REASONS: Record<string, MessageKey> = {
  superseded: 'page.customer.run_end.superseded',
  step_failed: 'page.customer.run_end.step_failed',
  opted_out: 'page.customer.run_end.opted_out',
  cancelled_by_seller: 'page.customer.run_end.cancelled_by_seller',
  merged: 'page.customer.run_end.merged',
  customer_gone: 'cli.simulate.end_reason.customer_gone',
  flow_version_missing: 'cli.simulate.end_reason.flow_version_missing',
  step_missing: 'cli.simulate.end_reason.step_missing',
};

/** The timeline as lines for a terminal, in the seller's language and time zone. */
export function formatTimeline(
  flow: Flow,
  phone: string,
  result: Timeline,
  config: Pick<Config, 'locale' | 'timezone'>,
  start: number,
): string {
  const t = translator(config.locale);
  const phrases = flowPhrases(config.locale);
  const when = new Intl.DateTimeFormat(config.locale, {
    timeZone: config.timezone,
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const lines = [t('cli.simulate.header', { id: flow.id, version: flow.version, phone, start: when.format(start), timezone: config.timezone })];
  for (const entry of result.entries) {
    if (entry.who === 'branch') {
      // The outcome as the Fluxos page says it (Nota 9 ou 10, Sem resposta, an option's label), and "o fim" for end.
      const outcome = phrases.outcome(entry.text, askWithOption(flow, entry.text));
      lines.push(`${when.format(entry.at)}  ${t('cli.simulate.branch', { outcome, next: phrases.target(entry.next ?? 'end') })}`);
      continue;
    }
    const who =
      entry.who === 'customer'
        ? t('cli.simulate.to_customer')
        : entry.who === 'owner'
          ? t('cli.simulate.to_owner')
          : entry.who === 'skipped'
            ? t('cli.simulate.skipped')
            : t('cli.simulate.answer');
    const moved = entry.dueAt === null ? '' : ` ${t('cli.simulate.moved', { due: when.format(entry.dueAt) })}`;
    const skipped = entry.who === 'skipped' ? ` ${t(entry.skipReason === 'no_review_url' ? 'cli.simulate.skipped_no_review_url' : 'cli.simulate.skipped_cold')}` : '';
    lines.push(`${when.format(entry.at)}  ${who}  ${entry.text.replace(/\s*\n\s*/g, ' ⏎ ')}${moved}${skipped}`);
  }
  lines.push(endText(result.endReason, t));
  return lines.join('\n');
}

/** The question whose options include `key`, to name a choice by its label. */
function askWithOption(flow: Flow, key: string): (Step & { kind: 'ask' }) | undefined {
  return flow.steps.find((step): step is Step & { kind: 'ask' } => step.kind === 'ask' && step.options.some((option) => option.key === key));
}

function endText(reason: string | null, t: Translate): string {
  if (reason === null) return t('cli.simulate.still_running');
  if (reason === 'completed') return t('page.flows.end.completed');
  const key = END_REASONS[reason];
  return t('cli.simulate.ended', { reason: key === undefined ? reason : t(key) });
}
