/**
 * The SQL behind the weekly summary (src/reports/weekly.ts): counts over a
 * period [from, to) in epoch ms. Each query reads the period through an index
 * on its time column, so a summary costs what happened in the week, not what
 * the shop has ever done. Definitions: docs/metrics.md.
 */
import type { Database } from '../db.js';

export interface PeriodCounts {
  purchases: number;
  /** Revenue per currency, largest first (purchases without a total count in `purchases` only). */
  revenue: { currency: string; cents: number }[];
  /** Customers whose first purchase ever is in the period. */
  newCustomers: number;
  /** Customers who bought in the period and had bought before it. */
  returningCustomers: number;
  /** The bot's messages to customers created in the period, by what became of them. */
  messages: { sent: number; delivered: number; read: number; failed: number; unknown: number };
  /** Customers sent a flow's question (or its reminder or clarification) in the period. */
  asked: number;
  /** Of those, the ones who answered a question in the period. */
  askedAndAnswered: number;
  /** Customers who answered any question in the period. */
  answered: number;
  /** Each customer's latest NPS answer in the period, bucketed. */
  nps: { promoters: number; passives: number; detractors: number };
  /** Each customer's latest CSAT answer in the period. */
  csat: { answers: number; sum: number };
  /** Customers who asked to stop receiving messages (SAIR) in the period. */
  optOuts: number;
  referrals: { name: string | null; phone: string; referrer: string | null }[];
  /** Issue 21: referrals that became customers (the friend's first purchase converted them) in the period. */
  referralsConverted: number;
}

export interface AttentionCustomer {
  customerId: number;
  name: string | null;
  phone: string;
  at: number;
}

export interface MetricsRepository {
  period(from: number, to: number): PeriodCounts;
  /** Customers who answered, and NPS buckets, of a period: the trend's two lines. */
  trend(from: number, to: number): { answered: number; purchases: number; nps: { promoters: number; passives: number; detractors: number } };
  /** Of the customers whose first purchase is in [from, to), how many bought again within `withinMs` of it. */
  repurchase(from: number, to: number, withinMs: number): { cohort: number; repeated: number };
  /** Live, reachable customers whose last purchase was before `before`. */
  atRisk(before: number): number;
  /** Live, reachable customers whose birthday ("MM-DD") is one of these days. */
  birthdays(monthDays: readonly string[]): { customerId: number; name: string | null; phone: string; monthDay: string }[];
  /** Detractors (0-6) in the period the owner has not written to since their answer. */
  detractorsWaiting(from: number, to: number): (AttentionCustomer & { score: number; comment: string | null })[];
  /** Questions and complaints forwarded to the owner in the period, with no message from the owner since. */
  questionsWaiting(from: number, to: number): (AttentionCustomer & { text: string | null })[];
  /** Issue 21: of the customers active at `from` (bought within `thresholdMs` before it), the ones who crossed the threshold in [from, to). */
  churn(from: number, to: number, thresholdMs: number): { active: number; churned: number };
  /** Issue 21: owner cases (detractor alerts, questions forwarded) answered and ended in [from, to), and those open at `to`. */
  resolution(from: number, to: number, pauseMs: number): Resolution;
  /** Issue 21: customers sent a tracked review link (content with `linkPrefix`) in [from, to), and of them who followed it before `to`. */
  reviewLinks(from: number, to: number, linkPrefix: string): { asked: number; followed: number };
}

/** How long cases took, in ms: median, mean, and how many cases. */
export interface Durations {
  cases: number;
  medianMs: number | null;
  meanMs: number | null;
}

export interface Resolution {
  /** From the alert to the owner's first message to the customer, for cases first answered in the period. */
  firstReply: Durations;
  /** From the alert to the end of the handoff, for cases whose handoff ended in the period. */
  end: Durations;
  /** Cases opened before the period's end whose handoff had not ended by then. */
  open: number;
  /** Of those, the ones the owner had not answered at all. */
  unanswered: number;
}

/** Time to resolve looks at the cases that started at most this long before the period (docs/metrics.md). */
export const RESOLUTION_LOOKBACK_MS = 28 * 86_400_000;

interface Bucketed {
  promoters: number | null;
  passives: number | null;
  detractors: number | null;
}

export function createMetricsRepository(db: Database): MetricsRepository {
  const { sqlite } = db;

  const purchases = sqlite.prepare<{ from: number; to: number }, { purchases: number }>(
    'SELECT count(*) AS purchases FROM purchases WHERE purchased_at >= @from AND purchased_at < @to',
  );
  const revenue = sqlite.prepare<{ from: number; to: number }, { currency: string; cents: number }>(
    `SELECT currency, sum(total_cents) AS cents FROM purchases
      WHERE purchased_at >= @from AND purchased_at < @to AND total_cents IS NOT NULL
      GROUP BY currency ORDER BY cents DESC, currency`,
  );
  // A buyer of the period is new when no purchase of theirs comes before it.
  const buyers = sqlite.prepare<{ from: number; to: number }, { newCustomers: number | null; returningCustomers: number | null }>(
    `WITH buyers AS (SELECT DISTINCT customer_id FROM purchases WHERE purchased_at >= @from AND purchased_at < @to)
     SELECT sum(NOT EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = b.customer_id AND p.purchased_at < @from)) AS newCustomers,
            sum(EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = b.customer_id AND p.purchased_at < @from)) AS returningCustomers
       FROM buyers b`,
  );
  // The bot's own messages to customers: what the sender recorded with `to` customer or notice
  // (owner alerts and what the owner typed from the phone are not the bot talking to customers).
  const messages = sqlite.prepare<{ from: number; to: number }, Record<keyof PeriodCounts['messages'], number | null>>(
    `SELECT sum(status IN ('sent', 'delivered', 'read')) AS sent,
            sum(status IN ('delivered', 'read')) AS delivered,
            sum(status = 'read') AS read,
            sum(status = 'failed') AS failed,
            sum(status = 'unknown') AS unknown
       FROM messages
      WHERE created_at >= @from AND created_at < @to AND direction = 'out'
        AND json_extract(payload, '$.to') IN ('customer', 'notice')`,
  );
  // The steps that ask something, in every version of every flow that ever ran.
  // MATERIALIZED: computed once per query, not again for every outbox row of the week.
  const askSteps = `ask_steps AS MATERIALIZED (
      SELECT DISTINCT v.flow_id, json_extract(s.value, '$.id') AS step_id
        FROM flow_versions v, json_each(v.definition, '$.steps') s
       WHERE json_extract(s.value, '$.kind') = 'ask')`;
  const asked = sqlite.prepare<{ from: number; to: number }, { asked: number; askedAndAnswered: number | null }>(
    `WITH ${askSteps},
     asked AS (
       SELECT DISTINCT o.customer_id FROM outbox o JOIN flow_runs r ON r.id = o.run_id
        WHERE o.status = 'sent' AND o.purpose = 'customer' AND o.finished_at >= @from AND o.finished_at < @to
          AND EXISTS (SELECT 1 FROM ask_steps a WHERE a.flow_id = r.flow_id AND a.step_id = o.step_id))
     SELECT count(*) AS asked,
            sum(EXISTS (SELECT 1 FROM answers x WHERE x.customer_id = asked.customer_id AND x.at >= @from AND x.at < @to)) AS askedAndAnswered
       FROM asked`,
  );
  const answered = sqlite.prepare<{ from: number; to: number }, { answered: number }>(
    'SELECT count(DISTINCT customer_id) AS answered FROM answers WHERE at >= @from AND at < @to',
  );
  // Each customer counts once, by their latest understood score of the period.
  const latest = (kind: 'nps' | 'csat') => `
    SELECT CAST(value AS INTEGER) AS score FROM (
      SELECT value, row_number() OVER (PARTITION BY customer_id ORDER BY at DESC, id DESC) AS n
        FROM answers WHERE kind = '${kind}' AND value <> '' AND at >= @from AND at < @to)
     WHERE n = 1`;
  const nps = sqlite.prepare<{ from: number; to: number }, Bucketed>(
    `SELECT sum(score >= 9) AS promoters, sum(score IN (7, 8)) AS passives, sum(score <= 6) AS detractors FROM (${latest('nps')})`,
  );
  const csat = sqlite.prepare<{ from: number; to: number }, { answers: number; sum: number | null }>(
    `SELECT count(*) AS answers, sum(score) AS sum FROM (${latest('csat')})`,
  );
  const optOuts = sqlite.prepare<{ from: number; to: number }, { optOuts: number }>(
    `SELECT count(DISTINCT customer_id) AS optOuts FROM consent_events
      WHERE purpose = 'messages' AND state = 'revoked' AND at >= @from AND at < @to`,
  );
  const referrals = sqlite.prepare<{ from: number; to: number }, { name: string | null; phone: string; referrer: string | null }>(
    `SELECT r.name, r.phone, c.name AS referrer FROM referrals r JOIN customers c ON c.id = r.referrer_customer_id
      WHERE r.created_at >= @from AND r.created_at < @to ORDER BY r.created_at, r.id`,
  );
  const referralsConverted = sqlite
    .prepare<{ from: number; to: number }, number>('SELECT count(*) FROM referral_conversions WHERE converted_at >= @from AND converted_at < @to')
    .pluck();
  // The cohort is read from the period's purchases (by index), not from every customer's history.
  const repurchase = sqlite.prepare<{ from: number; to: number; within: number }, { cohort: number; repeated: number | null }>(
    `WITH firsts AS (
       SELECT customer_id, min(purchased_at) AS first FROM purchases WHERE purchased_at >= @from AND purchased_at < @to GROUP BY customer_id)
     SELECT count(*) AS cohort,
            sum(EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = f.customer_id AND p.purchased_at > f.first AND p.purchased_at <= f.first + @within)) AS repeated
       FROM firsts f
      WHERE NOT EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = f.customer_id AND p.purchased_at < @from)`,
  );
  const atRisk = sqlite.prepare<{ before: number }, { n: number }>(
    `SELECT count(*) AS n FROM customers
      WHERE last_purchase_at < @before AND erased_at IS NULL AND opted_out_at IS NULL`,
  );
  const detractors = sqlite.prepare<{ from: number; to: number }, AttentionCustomer & { score: number; comment: string | null }>(
    `SELECT a.customer_id AS customerId, c.name, c.phone, a.at, CAST(a.value AS INTEGER) AS score, a.comment
       FROM (SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY at DESC, id DESC) AS n
               FROM answers WHERE kind = 'nps' AND value <> '' AND at >= @from AND at < @to) a
       JOIN customers c ON c.id = a.customer_id
      WHERE a.n = 1 AND CAST(a.value AS INTEGER) <= 6 AND c.erased_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.customer_id = a.customer_id AND m.created_at > a.at
                          AND m.direction = 'out' AND json_extract(m.payload, '$.author') = 'owner')
      ORDER BY score, a.at`,
  );
  // A question or complaint forwarded to the owner is an outbox row keyed 'owner-alert:<message id>:<owner>'
  // (src/inbox): read through the dedupe key's index, newest forwarded message per customer.
  const questions = sqlite.prepare<{ from: number; to: number }, AttentionCustomer & { text: string | null }>(
    `SELECT c.id AS customerId, c.name, c.phone, max(m.created_at) AS at, m.text
       FROM outbox o JOIN customers c ON c.id = o.customer_id
       JOIN messages m ON m.wa_id = substr(o.dedupe_key, 13, instr(substr(o.dedupe_key, 13), ':') - 1)
      WHERE o.dedupe_key >= 'owner-alert:' AND o.dedupe_key < 'owner-alert;'
        AND o.created_at >= @from AND o.created_at < @to AND c.erased_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.customer_id = c.id AND r.created_at > m.created_at
                          AND r.direction = 'out' AND json_extract(r.payload, '$.author') = 'owner')
      GROUP BY c.id
      ORDER BY at`,
  );
  const birthdays = sqlite.prepare<[string], { customerId: number; name: string | null; phone: string; monthDay: string }>(
    `SELECT id AS customerId, name, phone, substr(birthday, -5) AS monthDay FROM customers
      WHERE birthday IS NOT NULL AND substr(birthday, -5) = ? AND erased_at IS NULL AND opted_out_at IS NULL
      ORDER BY name, id`,
  );

  // Issue 21 (docs/metrics.md, Post-sale KPIs). Churn: the customers active at @from are read from the
  // threshold's window of purchases (by index); each one's later purchases through its own index.
  const churn = sqlite.prepare<{ from: number; to: number; threshold: number }, { active: number; churned: number | null }>(
    `WITH active AS (
       SELECT p.customer_id, max(p.purchased_at) AS last FROM purchases p
        WHERE p.purchased_at >= @from - @threshold AND p.purchased_at < @from GROUP BY p.customer_id)
     SELECT count(*) AS active,
            sum(a.last + @threshold < @to
                AND NOT EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = a.customer_id AND p.purchased_at >= @from AND p.purchased_at < a.last + @threshold)) AS churned
       FROM active a JOIN customers c ON c.id = a.customer_id
      WHERE c.erased_at IS NULL`,
  );
  // Time to resolve. A case starts at an alert to the owner about a customer (detractor-alert:, owner-alert:
  // outbox rows, read through the dedupe key's index; one row per owner phone, hence DISTINCT); an alert
  // while the customer's previous one still waits for the owner's first message belongs to that case.
  // The handoff ends @pause (HANDOFF_PAUSE_HOURS) after the first of the owner's messages, from the first
  // reply on, that no other owner message follows within @pause: when automation resumes. One pass of
  // window functions over each alerted customer's alerts and owner messages of the lookback (their
  // messages through the customer index), never a correlated scan per case.
  const durations = (set: string) => `
    (SELECT count(*) FROM ${set}) AS ${set}Cases,
    (SELECT avg(d) FROM ${set}) AS ${set}Mean,
    (SELECT avg(d) FROM (SELECT d FROM ${set} ORDER BY d LIMIT 2 - (SELECT count(*) FROM ${set}) % 2 OFFSET ((SELECT count(*) FROM ${set}) - 1) / 2)) AS ${set}Median`;
  const resolution = sqlite.prepare<
    { from: number; to: number; pause: number; since: number },
    Record<'firstsCases' | 'endsCases' | 'open' | 'unanswered', number> & Record<'firstsMean' | 'firstsMedian' | 'endsMean' | 'endsMedian', number | null>
  >(
    `WITH alerts AS MATERIALIZED (
       SELECT DISTINCT customer_id AS c, created_at AS at FROM outbox
        WHERE ((dedupe_key >= 'owner-alert:' AND dedupe_key < 'owner-alert;') OR (dedupe_key >= 'detractor-alert:' AND dedupe_key < 'detractor-alert;'))
          AND customer_id IS NOT NULL AND created_at >= @since AND created_at < @to),
     events AS (
       SELECT c, at, 0 AS owner FROM alerts
       UNION ALL
       SELECT m.customer_id, m.created_at, 1 FROM messages m
        WHERE m.customer_id IN (SELECT c FROM alerts) AND m.created_at >= @since AND m.created_at < @to
          AND m.direction = 'out' AND json_extract(m.payload, '$.author') = 'owner'),
     marked AS (
       SELECT c, at, owner,
              lag(owner) OVER (PARTITION BY c ORDER BY at, owner) AS before,
              CASE WHEN owner = 1 AND coalesce(lead(at) OVER (PARTITION BY c, owner ORDER BY at), @to + @pause + 1) > at + @pause THEN at + @pause END AS pause_end
         FROM events),
     followed AS (
       SELECT c, at, owner, before,
              min(CASE WHEN owner = 1 THEN at END) OVER later AS first,
              min(pause_end) OVER later AS ended
         FROM marked
       WINDOW later AS (PARTITION BY c ORDER BY at, owner ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)),
     cases AS MATERIALIZED (SELECT at, first, CASE WHEN ended < @to THEN ended END AS ended FROM followed WHERE owner = 0 AND (before IS NULL OR before = 1)),
     firsts AS MATERIALIZED (SELECT first - at AS d FROM cases WHERE first >= @from AND first < @to),
     ends AS MATERIALIZED (SELECT ended - at AS d FROM cases WHERE ended >= @from)
     SELECT ${durations('firsts')}, ${durations('ends')},
            (SELECT count(*) FROM cases WHERE ended IS NULL) AS open,
            (SELECT count(*) FROM cases WHERE first IS NULL) AS unanswered`,
  );
  // Reputation: the review requests that carried a tracked link (PUBLIC_URL/r/…), through the sent
  // messages' index; an open is a scheduler_state row per run (storage/repositories/review-links.ts).
  const reviewLinks = sqlite.prepare<{ from: number; to: number; prefix: string }, { asked: number; followed: number }>(
    `SELECT count(DISTINCT o.customer_id) AS asked,
            count(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM scheduler_state s WHERE s.key = 'review_link.opened:' || o.run_id AND CAST(s.value AS INTEGER) < @to)
                                THEN o.customer_id END) AS followed
       FROM outbox o JOIN customers c ON c.id = o.customer_id
      WHERE o.status = 'sent' AND o.purpose = 'customer' AND o.finished_at >= @from AND o.finished_at < @to
        AND o.run_id IS NOT NULL AND instr(o.content, @prefix) > 0 AND c.erased_at IS NULL`,
  );

  const buckets = (row: Bucketed | undefined) => ({ promoters: row?.promoters ?? 0, passives: row?.passives ?? 0, detractors: row?.detractors ?? 0 });

  return {
    period: (from, to) => {
      const range = { from, to };
      const buyerRow = buyers.get(range);
      const messageRow = messages.get(range);
      const askedRow = asked.get(range);
      const csatRow = csat.get(range);
      return {
        purchases: purchases.get(range)?.purchases ?? 0,
        revenue: revenue.all(range),
        newCustomers: buyerRow?.newCustomers ?? 0,
        returningCustomers: buyerRow?.returningCustomers ?? 0,
        messages: {
          sent: messageRow?.sent ?? 0,
          delivered: messageRow?.delivered ?? 0,
          read: messageRow?.read ?? 0,
          failed: messageRow?.failed ?? 0,
          unknown: messageRow?.unknown ?? 0,
        },
        asked: askedRow?.asked ?? 0,
        askedAndAnswered: askedRow?.askedAndAnswered ?? 0,
        answered: answered.get(range)?.answered ?? 0,
        nps: buckets(nps.get(range)),
        csat: { answers: csatRow?.answers ?? 0, sum: csatRow?.sum ?? 0 },
        optOuts: optOuts.get(range)?.optOuts ?? 0,
        referrals: referrals.all(range),
        referralsConverted: referralsConverted.get(range) ?? 0,
      };
    },
    trend: (from, to) => ({
      answered: answered.get({ from, to })?.answered ?? 0,
      purchases: purchases.get({ from, to })?.purchases ?? 0,
      nps: buckets(nps.get({ from, to })),
    }),
    repurchase: (from, to, withinMs) => {
      const row = repurchase.get({ from, to, within: withinMs });
      return { cohort: row?.cohort ?? 0, repeated: row?.repeated ?? 0 };
    },
    atRisk: (before) => atRisk.get({ before })?.n ?? 0,
    birthdays: (monthDays) => monthDays.flatMap((monthDay) => birthdays.all(monthDay)),
    detractorsWaiting: (from, to) => detractors.all({ from, to }),
    questionsWaiting: (from, to) => questions.all({ from, to }),
    churn: (from, to, thresholdMs) => {
      const row = churn.get({ from, to, threshold: thresholdMs });
      return { active: row?.active ?? 0, churned: row?.churned ?? 0 };
    },
    resolution: (from, to, pauseMs) => {
      const row = resolution.get({ from, to, pause: pauseMs, since: from - RESOLUTION_LOOKBACK_MS });
      const whole = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(value));
      return {
        firstReply: { cases: row?.firstsCases ?? 0, medianMs: whole(row?.firstsMedian), meanMs: whole(row?.firstsMean) },
        end: { cases: row?.endsCases ?? 0, medianMs: whole(row?.endsMedian), meanMs: whole(row?.endsMean) },
        open: row?.open ?? 0,
        unanswered: row?.unanswered ?? 0,
      };
    },
    reviewLinks: (from, to, linkPrefix) => reviewLinks.get({ from, to, prefix: linkPrefix }) ?? { asked: 0, followed: 0 },
  };
}
