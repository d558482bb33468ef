import type { CappingStatus, ReachoutLock, WhatsAppLimits } from '../../channels/channel.js';
import { translator } from '../../i18n/index.js';
import { iso } from '../present.js';
import { describeNewChatQuota, isCurrentCycle } from '../../reports/new-chat-quota.js';
import { shortDateTime, type ViewLocale } from './view-locale.js';

/**
 * WhatsApp's limits as the seller reads them, one view for Conectar, the
 * Painel's card and the banner of every page, so that the three never say
 * different things. Built from what the channel last read
 * (repos.whatsappLimits), never from a guess: a warning or a lock only shows
 * while it is in force.
 */

/** The limits in one word, for /health without the token and for the pages' choices. */
export type LimitsState = 'ok' | 'warning' | 'capped' | 'locked';

export interface WhatsAppLimitsView {
  state: LimitsState;
  /** "37 de 50 conversas novas usadas neste ciclo, renova em 12/12"; null when WhatsApp said nothing of this cycle. */
  quota: string | null;
  /** What the warning (or the cap) means and what fregues does about it; null without one. */
  warning: string | null;
  /** The time lock with its end in the shop's zone; null when none is in force. */
  lock: string | null;
  /** "Versão do WhatsApp Web em uso: 2.3000.1043857760"; null for the simulator or before the first connection. */
  version: string | null;
  /** The line every signed-in page shows while cold messages are stopped; null otherwise. */
  banner: string | null;
}

/** A time lock stops new chats while active and its end is ahead (or WhatsApp gave none). */
export function lockInForce(lock: ReachoutLock | null, now: number): lock is ReachoutLock {
  return lock !== null && lock.active && (lock.endsAt === null || lock.endsAt > now);
}

/** The capping status of the cycle in force: a warning of a cycle that has ended says nothing any more. */
export function cappingInForce(limits: WhatsAppLimits, now: number): CappingStatus {
  const { cap } = limits;
  return cap !== null && isCurrentCycle(cap, now) ? cap.status : 'none';
}

export function limitsState(limits: WhatsAppLimits, now: number): LimitsState {
  if (lockInForce(limits.lock, now)) return 'locked';
  const status = cappingInForce(limits, now);
  if (status === 'capped') return 'capped';
  return status === 'none' ? 'ok' : 'warning';
}

export function buildWhatsAppLimits(limits: WhatsAppLimits, now: number, view: Pick<ViewLocale, 'locale' | 'timeZone'>): WhatsAppLimitsView {
  const t = translator(view.locale);
  const time = shortDateTime(view);
  const status = cappingInForce(limits, now);
  const cycleEnd = limits.cap?.cycleEnd ?? null;
  const cycleUntil = cycleEnd === null ? t('limits.cycle_end_unknown') : time.format(cycleEnd);
  const lock = lockInForce(limits.lock, now) ? limits.lock : null;
  const lockUntil = lock === null ? '' : lock.endsAt === null ? t('limits.lock_end_unknown') : time.format(lock.endsAt);

  let banner: string | null = null;
  if (lock !== null) banner = t('limits.banner.lock', { until: lockUntil });
  else if (status === 'second_warning' || status === 'capped') banner = t(`limits.banner.${status}`, { until: cycleUntil });

  return {
    state: limitsState(limits, now),
    quota: describeNewChatQuota(limits.cap, now, view),
    warning: status === 'none' ? null : t(`limits.warning.${status}`, { until: cycleUntil }),
    lock: lock === null ? null : t('limits.lock', { until: lockUntil }),
    version: limits.waVersion === null ? null : t('limits.version', { version: limits.waVersion }),
    banner,
  };
}

/** What /api/whatsapp and /health (with the token) answer: the limits as read, times in ISO 8601. */
export function presentLimits(limits: WhatsAppLimits) {
  const { cap, lock } = limits;
  return {
    cap:
      cap === null
        ? null
        : { total: cap.total, used: cap.used, cycleStart: iso(cap.cycleStart), cycleEnd: iso(cap.cycleEnd), status: cap.status, readAt: iso(cap.readAt) },
    lock: lock === null ? null : { active: lock.active, endsAt: iso(lock.endsAt), kind: lock.kind, readAt: iso(lock.readAt) },
    waVersion: limits.waVersion,
  };
}

/**
 * The banner provider of the pages (PageContext.banner): reads the limits
 * when a page is drawn, so it comes and goes with them without a restart.
 */
export function limitsBanner(read: () => WhatsAppLimits, now: () => number, view: Pick<ViewLocale, 'locale' | 'timeZone'>): () => string | null {
  return () => buildWhatsAppLimits(read(), now(), view).banner;
}
