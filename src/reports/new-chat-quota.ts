/**
 * WhatsApp's new-chat quota in one sentence ("37 de 50 conversas novas usadas
 * neste ciclo, renova em 12/12"): the same words on Conectar, the Painel and
 * in the owner's weekly summary. Here, not in http/, because the summary is
 * composed by the scheduler and reports must not reach into the pages.
 */
import type { NewChatCap } from '../channels/channel.js';
import { type Locale, translator } from '../i18n/index.js';

export interface QuotaView {
  locale: Locale;
  /** The shop's TIMEZONE: the cycle renews on a date there. */
  timeZone: string;
}

/** True while `cap` describes the cycle in force at `now` (a cycle whose end is unknown counts as in force). */
export function isCurrentCycle(cap: NewChatCap, now: number): boolean {
  return cap.cycleEnd === null || cap.cycleEnd > now;
}

/**
 * The quota as read, or null when there is nothing true to say: WhatsApp sent
 * no total or no count, or the cycle it describes has ended (the numbers are
 * the old cycle's until the channel reads the new one).
 */
export function describeNewChatQuota(cap: NewChatCap | null, now: number, view: QuotaView): string | null {
  if (cap === null || cap.total === null || cap.used === null || !isCurrentCycle(cap, now)) return null;
  const t = translator(view.locale);
  const number = new Intl.NumberFormat(view.locale);
  const used = number.format(cap.used);
  const total = number.format(cap.total);
  if (cap.cycleEnd === null) return t('limits.quota_no_end', { used, total });
  const renews = new Intl.DateTimeFormat(view.locale, { day: '2-digit', month: '2-digit', timeZone: view.timeZone }).format(cap.cycleEnd);
  return t('limits.quota', { used, total, renews });
}
