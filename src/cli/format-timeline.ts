import type { Config } from '../config.js';
import type { Flow } from '../flows/flow-types.js';
import { translator } from '../i18n/index.js';
import type { Timeline } from '../simulation/dry-run.js';

/** The timeline as lines for a terminal, in the seller's language and time zone. */
export function formatTimeline(
  flow: Flow,
  phone: string,
  result: Timeline,
  config: Pick<Config, 'locale' | 'timezone'>,
  start: number,
): string {
  const t = translator(config.locale);
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
      lines.push(`${when.format(entry.at)}  ${t('cli.simulate.branch', { outcome: entry.text, next: entry.next ?? 'end' })}`);
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
    const skipped = entry.who === 'skipped' ? ` ${t('cli.simulate.skipped_cold')}` : '';
    lines.push(`${when.format(entry.at)}  ${who}  ${entry.text.replace(/\s*\n\s*/g, ' ⏎ ')}${moved}${skipped}`);
  }
  lines.push(result.endReason === null ? t('cli.simulate.still_running') : t('cli.simulate.ended', { reason: result.endReason }));
  return lines.join('\n');
}
