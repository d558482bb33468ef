/**
 * A flow once loaded and validated (docs/flows.md is the seller's view of the
 * same thing). The YAML a seller writes is parsed into these types by
 * load-flows.ts; the engine only ever sees them. Durations are milliseconds,
 * local times minutes after midnight in the shop's TIMEZONE.
 */

export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

/** "09:30" → 570. */
export type LocalTime = number;

export type Trigger =
  /** Each purchase; with products, only purchases with an item whose SKU matches one of the patterns. */
  | { type: 'purchase'; products: string[] | null }
  /** Each year, `daysBefore` days before the birthday, at a local time. */
  | { type: 'birthday'; daysBefore: number; at: LocalTime }
  /** Once per spell: when the last purchase is `days` days old (win-back). */
  | { type: 'inactivity'; days: number; at: LocalTime }
  /** `days` days after a purchase with an item matching the patterns (replenishment); a new matching purchase supersedes the pending one. */
  | { type: 'repurchase'; days: number; products: string[]; at: LocalTime | null }
  /** Started by POST /api/flows/:id/runs. */
  | { type: 'manual' }
  /**
   * When the tag is added to the customer (a flow's `tag:` step, the seller on the
   * customer page or PATCH /api/customers/:id), once per addition: not when they already had it.
   */
  | { type: 'tagged'; tag: string }
  /**
   * The first message a person ever writes to the shop's number, when it is plain
   * words nobody else answers (see docs/flows.md): once per customer.
   */
  | { type: 'first_message' }
  /**
   * Issue 21, loyalty: the customer's purchase number `every`, 2×`every`… (every: 5), or only
   * number `nth` (one of the two is null), once per purchase (occurrence `purchase_count:<purchase id>`).
   * Implies `consent: marketing`: a reward goes only to customers who accepted marketing messages.
   */
  | { type: 'purchase_count'; every: number | null; nth: number | null };

export interface Filter {
  /** The customer must have every tag here. */
  tagsAll: string[];
  /** The customer must have none of these tags. */
  tagsNone: string[];
  /** The customer must have bought (ever) an item whose SKU matches one of these patterns. */
  products: string[] | null;
  /** Marketing flows need the customer's marketing consent, checked at enrolment and again before every send. */
  consent: 'marketing' | null;
  /**
   * warm: only customers who already wrote to the shop's number; cold: only those who never did.
   * Absent: anyone (absent rather than null so that flows without it keep their hash).
   */
  contact?: 'warm' | 'cold';
  /**
   * Only members of this segment (issue 21): a built-in id (`mais-valiosos`…) or a saved segment's id,
   * checked at enrolment. Absent: anyone (absent rather than null so that flows without it keep their hash).
   */
  segment?: string;
}

/**
 * What a message step does for a cold customer (one who never wrote to the
 * shop's number, so WhatsApp counts the message against the number's new-chat
 * limits): send it within the cold budget, skip it, or wait for the customer
 * to write first and, if they do not, fall back.
 */
export type ColdChoice =
  | { kind: 'send' }
  | { kind: 'skip' }
  | { kind: 'wait_for_contact'; ms: number; then: ColdFallback };

/** After waiting in vain for contact: send anyway, skip the message, or go to a step ('end' ends the run). */
export type ColdFallback = 'send' | 'skip' | { goto: Target };

export type Wait =
  /** A fixed time. */
  | { kind: 'for'; ms: number }
  /**
   * The next moment, at or after `afterMs` from now, that is at a local time
   * (and on one of the weekdays when given).
   */
  | { kind: 'until'; afterMs: number; at: LocalTime; weekdays: Weekday[] | null };

export type AskKind = 'nps' | 'csat' | 'yes_no' | 'choice' | 'text' | 'referral' | 'birthday';

/**
 * Where an answer leads. nps: detractor (0–6), passive (7–8), promoter (9–10);
 * csat: unhappy (1–2), neutral (3), happy (4–5); yes_no: yes, no; choice: each
 * option's key; text / referral / birthday: answered; every kind: no_answer.
 * A missing outcome goes on to the next step.
 */
export type Outcome = string;

/** A step id, or 'end'. */
export type Target = string;

export interface Message {
  /** Liquid template. */
  text: string;
}

export interface ImageMessage {
  /** A file under FLOWS_DIR. */
  file: string;
  /** Liquid template. */
  caption: string | null;
}

export type StepBody =
  | { kind: 'wait'; wait: Wait }
  | {
      kind: 'send';
      text: string | null;
      image: ImageMessage | null;
      /** For a cold customer; absent: the flow's `cold` (absent rather than null: flows without it keep their hash). */
      cold?: ColdChoice;
    }
  | {
      kind: 'ask';
      /** For a cold customer, as on send. */
      cold?: ColdChoice;
      ask: AskKind;
      /** Liquid template. */
      question: string;
      /** Send as a WhatsApp poll (nps, csat, yes_no, choice); typed answers are accepted too. */
      poll: boolean;
      /** choice: the options, each with its outcome key and label. */
      options: { key: string; label: string }[];
      reminder: { afterMs: number; text: string } | null;
      timeoutMs: number;
      branches: Record<Outcome, Target>;
    }
  | { kind: 'alert_owner'; text: string }
  | { kind: 'tag'; tags: string[] }
  | { kind: 'untag'; tags: string[] }
  | { kind: 'goto'; target: Target }
  | { kind: 'end' };

export type Step = StepBody & {
  id: string;
  /** What comes after this step when it does not say: the next step in the file, or 'end'. */
  next: Target;
  /** A message (send, ask, alert) due longer ago than this is not sent but recorded as expired. */
  maxLatenessMs: number;
  /** Where it is in the file, for messages about it. */
  line: number;
};

export interface Flow {
  id: string;
  version: number;
  name: string;
  trigger: Trigger;
  filter: Filter;
  /** What its send and ask steps do for a cold customer unless they say otherwise; absent: send. */
  cold?: ColdChoice;
  /** false: turned off (`enabled: false`), it starts no runs while its running runs go on; absent: on. */
  enabled?: false;
  steps: Step[];
  /** The file it came from (relative to FLOWS_DIR). */
  file: string;
  /** A hash of the definition: runs keep the version they started with. */
  hash: string;
}

/**
 * What templates can use. Every name here exists in the sample context that
 * the loader renders each template with (strict variables), so a typo in a
 * flow is an error at start, not a broken message at 3 a.m.
 */
export interface TemplateContext {
  /** review_url: SHOP_REVIEW_URL, where a customer reviews the shop (empty when unset: such a message is skipped, not sent). */
  shop: { name: string; review_url: string };
  /** whatsapp_link: a wa.me link that opens a chat with the customer in one tap (for alerts to the owner). */
  customer: { name: string; first_name: string; phone: string; whatsapp_link: string; email: string; tags: string[] };
  purchase: {
    external_id: string;
    total: string;
    currency: string;
    items: { sku: string; name: string; quantity: number }[];
    /** The item names, joined for a sentence: "Café e Coador". */
    products: string;
    purchased_at: string;
  };
  /** The last answer in this run (empty until an ask is answered). */
  answer: { value: string; comment: string };
  /**
   * Issue 21: the seller's loyalty reward for this run. code: the next coupon code, taken when a
   * message naming it is enqueued and kept for the run (never given to anyone else); text: the reward
   * in words ("cupom X", the fixed text, or that the shop will send it when the codes ran out).
   * Optional for contexts built elsewhere (campaigns, tests); the runner and SAMPLE_CONTEXT always have it.
   */
  reward?: { code: string; text: string };
}
