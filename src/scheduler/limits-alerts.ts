import { newMessageId as defaultMessageId, type WhatsAppLimits } from '../channels/channel.js';
import { localDate } from '../domain/local-time.js';
import { translate, type Locale, type MessageKey } from '../i18n/index.js';
import type { Repositories } from '../storage/repositories/index.js';
import { lockHolds } from './cold-budget.js';

/**
 * The owner hears of WhatsApp's limits once per event (issue 18): a reach-out
 * time lock (with its end, in TIMEZONE), and each warning of a cycle. A
 * WhatsApp message to OWNER_PHONE, queued as every owner alert: the lock
 * stops new chats only, and the owner's own chat with the shop is not a new
 * one. Told or not (no OWNER_PHONE), the event is logged once.
 */

export interface LimitsAlertOptions {
  repos: Pick<Repositories, 'outbox' | 'whatsappLimits'>;
  ownerPhones: readonly string[];
  locale: Locale;
  timezone: string;
  newMessageId?: () => string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const WARNING_KEYS = {
  first_warning: 'governor.alert.first_warning',
  second_warning: 'governor.alert.second_warning',
  capped: 'governor.alert.capped',
} as const satisfies Record<string, MessageKey>;

/**
 * Queues the owner's alerts for what in `limits` they were not told of yet;
 * call it in the transaction that stores the limits. Returns the texts (for
 * the log), one per new event.
 */
export function alertOwnerOfLimits(limits: WhatsAppLimits, now: number, options: LimitsAlertOptions): string[] {
  const { repos, locale, timezone } = options;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone: timezone });
  const events: { event: string; text: string; expiresAt: number }[] = [];

  if (lockHolds(limits, now)) {
    const endsAt = limits.lock!.endsAt;
    // A lock without an end is told at most once a day.
    const event = `lock:${endsAt ?? `open:${localDate(now, timezone)}`}`;
    const until = endsAt === null ? translate(locale, 'governor.alert.lock_end_unknown') : when.format(endsAt);
    events.push({ event, text: translate(locale, 'governor.alert.lock', { until }), expiresAt: Math.max(endsAt ?? now + DAY, now + HOUR) });
  }
  const cap = limits.cap;
  if (cap !== null && cap.status !== 'none' && (cap.cycleEnd === null || cap.cycleEnd > now)) {
    const cycle = cap.cycleEnd ?? cap.cycleStart ?? localDate(now, timezone);
    const until = cap.cycleEnd === null ? translate(locale, 'governor.alert.cycle_end_unknown') : when.format(cap.cycleEnd);
    events.push({
      event: `cap:${cap.status}:${cycle}`,
      text: translate(locale, WARNING_KEYS[cap.status], { until }),
      expiresAt: Math.max(cap.cycleEnd ?? now + DAY, now + HOUR),
    });
  }

  const told: string[] = [];
  const newMessageId = options.newMessageId ?? defaultMessageId;
  for (const { event, text, expiresAt } of events) {
    if (!repos.whatsappLimits.firstTimeFor(event)) continue;
    told.push(text);
    repos.outbox.enqueue(
      options.ownerPhones.map((owner) => ({
        dedupeKey: `whatsapp-limits:${event}:${owner}`,
        runId: null,
        stepId: null,
        customerId: null,
        purpose: 'owner' as const,
        toPhone: owner,
        marketing: false,
        content: { kind: 'text' as const, text },
        waId: newMessageId(),
        dueAt: now,
        notBefore: now,
        expiresAt,
      })),
      now,
    );
  }
  return told;
}
