import type { Message } from '../../domain/customer.js';
import { formatMoney } from '../../domain/money.js';
import { type MessageKey, translator, type Translate } from '../../i18n/index.js';
import type { CustomerRecord } from '../../storage/repositories/customer-record.js';
import { campaignFlowLabel } from './campaign-view.js';
import { momentOf, phoneForPeople, shortDateTime, type Moment, type ViewLocale } from './view-locale.js';

/** Why runs end, in words; the rare guard reasons (customer_gone, step_missing…) are shown as stored. */
const END_REASONS = {
  completed: 'page.customer.run_end.completed',
  superseded: 'page.customer.run_end.superseded',
  step_failed: 'page.customer.run_end.step_failed',
  opted_out: 'page.customer.run_end.opted_out',
  cancelled_by_seller: 'page.customer.run_end.cancelled_by_seller',
  merged: 'page.customer.run_end.merged',
} as const satisfies Record<string, MessageKey>;

/** WhatsApp's ticks for a message that went out; what went wrong is said in words. */
export interface MessageStatusView {
  ticks: string;
  read: boolean;
  label: string;
  words: string | null;
}

/** One kind of line of the timeline, before its moment is written. */
type TimelineItem = {
  at: number;
  /** Among entries of the same moment: a purchase before the message it caused, a question before its answer. */
  order: number;
} & (
  | { kind: 'purchase'; items: string[]; total: string | null; reference: string | null }
  | {
      kind: 'message';
      direction: Message['direction'];
      who: string;
      text: string;
      options: string[];
      status: MessageStatusView | null;
      /** An alert about this customer that went to the owner, not to them: to whom, in words ('' when no longer known); null for the customer's conversation. */
      alertTo: string | null;
    }
  | { kind: 'answer'; question: string; answerKind: string; value: string; comment: string | null }
  | {
      kind: 'run';
      flow: string;
      state: string;
      ended: Moment | null;
      endReason: string | null;
      waitingFor: { step: string; until: Moment } | null;
      next: { step: string; at: Moment | null } | null;
    }
  | { kind: 'consent'; change: string; granted: boolean; source: string; text: string | null }
  | { kind: 'referral'; name: string | null; phone: string }
);

/** One line of a customer's timeline, ready for customer.eta. */
export type TimelineEntry = TimelineItem & { when: Moment };

export interface TimelineView extends ViewLocale {
  /** The name of a flow the service runs, or undefined (a flow since removed is shown by its id). */
  flowName: (flowId: string) => string | undefined;
  /** The number (E.164) an alert to the owner was sent to, by its WhatsApp id; undefined when no longer known. */
  ownerAlertTo?: (waId: string) => string | undefined;
  /** A campaign's name by its id (issue 21): its messages' runs read Campanha “name” (variante A), not `campanha:1:a`. */
  campaignName?: ((id: number) => string | undefined) | undefined;
}

/**
 * A customer's record as one timeline, newest first: purchases, messages both
 * ways with their ticks, answers, flow runs, consent changes and referrals.
 */
export function buildCustomerTimeline(record: CustomerRecord, view: TimelineView): TimelineEntry[] {
  const t = translator(view.locale);
  const dateTime = shortDateTime(view);
  const when = (time: number) => momentOf(time, dateTime);
  const flowName = (flowId: string) => view.flowName(flowId) ?? campaignFlowLabel(flowId, t, view.campaignName) ?? flowId;
  const runFlow = new Map(record.runs.map((run) => [run.id, run.flowId]));
  const entries: TimelineItem[] = [];
  for (const purchase of record.purchases) {
    entries.push({
      at: purchase.purchasedAt,
      order: 0,
      kind: 'purchase',
      items: purchase.items.map((item) => (item.quantity === 1 ? item.name : `${item.quantity} × ${item.name}`)),
      total: purchase.totalCents === null ? null : formatMoney(purchase.totalCents, purchase.currency, view.locale),
      reference: purchase.externalId,
    });
  }
  for (const message of record.messages) entries.push(messageItem(message, t, view));
  for (const answer of record.answers) {
    const flowId = answer.runId === null ? undefined : runFlow.get(answer.runId);
    entries.push({
      at: answer.at,
      order: 2,
      kind: 'answer',
      question: flowId === undefined ? answer.stepId : `${flowName(flowId)} › ${answer.stepId}`,
      answerKind: t(`page.customer.answer_kind.${answer.kind}`),
      value: answer.value === '' ? t('page.customer.answer_unread') : answer.value,
      comment: answer.comment,
    });
  }
  for (const run of record.runs) {
    const ask = run.state.ask;
    entries.push({
      at: run.createdAt,
      order: 0.5,
      kind: 'run',
      flow: flowName(run.flowId),
      state: t(`page.customer.run.${run.status}`),
      ended: run.endedAt === null ? null : when(run.endedAt),
      endReason: run.endReason === null ? null : run.endReason in END_REASONS ? t(END_REASONS[run.endReason as keyof typeof END_REASONS]) : run.endReason,
      waitingFor: run.status === 'waiting' && ask ? { step: ask.stepId, until: when(ask.timeoutAt) } : null,
      next: run.status === 'waiting' && run.stepId !== null ? { step: run.stepId, at: run.wakeAt === null ? null : when(run.wakeAt) } : null,
    });
  }
  for (const event of record.consentHistory) {
    entries.push({
      at: event.at,
      order: 3,
      kind: 'consent',
      // A first message through the shop's link is a first yes, not a return.
      change: t(event.source === 'click-to-chat' && event.state === 'granted' ? 'page.customer.consent.click_to_chat' : `page.customer.consent.${event.purpose}_${event.state}`),
      granted: event.state === 'granted',
      source: event.source,
      text: event.text,
    });
  }
  for (const referral of record.referrals) {
    entries.push({ at: referral.createdAt, order: 2.5, kind: 'referral', name: referral.name, phone: phoneForPeople(referral.phone, view.country) });
  }
  // Newest first: the seller opens a customer mostly to see what happened lately (the last
  // purchase, a reply, a message that failed), and on a phone that should not need scrolling.
  // Within one moment, the later of two records of a kind (each list comes oldest first) first too.
  const sequence = new Map(entries.map((entry, index) => [entry, index]));
  entries.sort((a, b) => b.at - a.at || b.order - a.order || sequence.get(b)! - sequence.get(a)!);
  return entries.map((entry) => ({ ...entry, when: when(entry.at) }));
}

function messageItem(message: Message, t: Translate, view: TimelineView): TimelineItem {
  const payload = (message.payload ?? {}) as { author?: unknown; options?: unknown; to?: unknown };
  // The send governor records each message with whom its outbox row was for: an alert to the owner
  // (a question handed over, a detractor, a flow's alert_owner step) is about this customer, not to them.
  const toOwner = message.direction === 'out' && payload.to === 'owner';
  const ownerPhone = toOwner ? view.ownerAlertTo?.(message.waId) : undefined;
  const who =
    message.direction === 'in'
      ? t('page.customer.from_customer')
      : toOwner
        ? t('page.customer.owner_alert')
        : payload.author === 'owner'
          ? t('page.customer.from_owner')
          : t('page.customer.from_bot');
  return {
    at: message.createdAt,
    order: 1,
    kind: 'message',
    direction: message.direction,
    who,
    text: message.text ?? `[${message.kind}]`,
    options: message.kind === 'poll' && Array.isArray(payload.options) ? payload.options.map(String) : [],
    status: message.direction === 'out' ? messageStatus(message, t) : null,
    alertTo: !toOwner ? null : ownerPhone === undefined ? '' : t('page.customer.owner_alert_to', { phone: phoneForPeople(ownerPhone, view.country) }),
  };
}

function messageStatus(message: Message, t: Translate): MessageStatusView {
  switch (message.status) {
    case 'queued':
    case 'sending':
      return { ticks: '✓', read: false, label: t('page.customer.status.sending'), words: null };
    case 'sent':
      return { ticks: '✓', read: false, label: t('page.customer.status.sent'), words: null };
    case 'delivered':
      return { ticks: '✓✓', read: false, label: t('page.customer.status.delivered'), words: null };
    case 'read':
      return { ticks: '✓✓', read: true, label: t('page.customer.status.read'), words: null };
    case 'failed':
      return { ticks: '', read: false, label: '', words: message.error ? t('page.customer.status.failed_because', { error: message.error }) : t('page.customer.status.failed') };
    case 'unknown':
    case 'received':
      return { ticks: '', read: false, label: '', words: t('page.customer.status.unknown') };
  }
}
