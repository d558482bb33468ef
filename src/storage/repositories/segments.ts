import type { Customer } from '../../domain/customer.js';
import type { CustomerFacts } from '../../segments/rfm.js';
import type { Database } from '../db.js';
import { CUSTOMER_COLUMNS, toCustomer, type CustomerRow } from './customer-row.js';

/** A segment the seller saved: its id is a slug of its name (flows name it in `filter: { segment }`). */
export interface CustomSegment {
  id: string;
  name: string;
  /** JSON of SegmentFilters (src/segments/filters.ts), as validated when saved. */
  filters: string;
  createdAt: number;
}

/**
 * Issue 21: what the segments read of the record, in a fixed handful of set reads over the whole
 * shop (never one per customer), and the custom segments the seller saved. Erased customers are never read.
 */
export interface SegmentRepository {
  /**
   * Every live customer with their purchase count, total, last purchase and latest NPS score, by id.
   * Tags are read only `withTags` (otherwise '[]' for everyone).
   */
  facts(withTags?: boolean): CustomerFacts[];
  /** The latest purchase id (0 without any): the RFM cuts need computing again only when it moves. */
  lastPurchaseId(): number;
  /** The same of one live customer (enrolment checks a flow's segment filter for them); undefined if erased or absent. */
  factsOf(customerId: number): CustomerFacts | undefined;
  /**
   * The customers who ever bought an item whose SKU matches one of the patterns (`CAFE-*`, as flows
   * write them; compared without case for ASCII letters): one pass over the purchases' items.
   */
  customersWhoBought(patterns: readonly string[]): Set<number>;
  /** Whether this customer ever bought such an item. */
  hasBought(customerId: number, patterns: readonly string[]): boolean;
  /** Live customers by id, newest first. */
  customersByIds(ids: readonly number[]): Customer[];
  listCustom(): CustomSegment[];
  findCustom(id: string): CustomSegment | undefined;
  /** false when the id is taken. */
  createCustom(segment: CustomSegment): boolean;
  /** false when there was none. */
  deleteCustom(id: string): boolean;
}

interface OneRow extends Omit<CustomerFacts, 'warm' | 'consentGranted'> {
  warm: number;
  consentGranted: number;
}

const toFacts = (row: OneRow): CustomerFacts => ({ ...row, warm: row.warm === 1, consentGranted: row.consentGranted === 1 });

const FACT_COLUMNS = `c.id AS id, c.tags AS tagsJson, CAST(substr(c.birthday, -5, 2) AS INTEGER) AS birthdayMonth,
  c.consent_marketing = 'granted' AS consentGranted, c.warm_at IS NOT NULL AS warm, c.handoff_until AS handoffUntil`;

/** A customer's flags packed with their id in one integer (one value a row is the cheapest read): id × 64 + flags. */
const PACKED = `id * 64 + (warm_at IS NOT NULL) + 2 * (consent_marketing = 'granted') + 4 * coalesce(CAST(substr(birthday, -5, 2) AS INTEGER), 0)`;

export function createSegmentRepository(db: Database): SegmentRepository {
  const { sqlite } = db;
  // The whole shop in five set reads at most: the live customers' flags packed one integer a row,
  // the purchases' aggregate (it reads only purchases_customer_idx: customer, time, total), the
  // latest NPS answers, open handoffs, and tags when a filter asks. Turning rows into JavaScript
  // values costs more than SQLite's scan, so each read returns as few values as it can.
  const livePacked = sqlite.prepare<[], number>(`SELECT ${PACKED} FROM customers WHERE erased_at IS NULL ORDER BY id`).pluck();
  // One text of "id,count,total,last,…" for the whole aggregate, read with JSON.parse: a third
  // cheaper than 90,000 rows turned into JavaScript arrays one by one.
  const purchaseTotals = sqlite
    .prepare<[], string | null>(
      `SELECT group_concat(customer_id || ',' || n || ',' || total || ',' || last)
         FROM (SELECT customer_id, count(*) AS n, coalesce(sum(total_cents), 0) AS total, max(purchased_at) AS last
                 FROM purchases GROUP BY customer_id)`,
    )
    .pluck();
  // The latest NPS score of each customer (SQLite takes the bare column from the row of max(at)), packed as id × 16 + score.
  const latestNps = sqlite.prepare<[], number>("SELECT customer_id * 16 + CAST(value AS INTEGER), max(at) FROM answers WHERE kind = 'nps' GROUP BY customer_id").pluck();
  const handoffs = sqlite.prepare<[], [number, number]>('SELECT id, handoff_until FROM customers WHERE handoff_until IS NOT NULL AND erased_at IS NULL').raw();
  const tagged = sqlite.prepare<[], [number, string]>("SELECT id, tags FROM customers WHERE tags <> '[]' AND erased_at IS NULL").raw();

  function readFacts(withTags: boolean): CustomerFacts[] {
    const packed = livePacked.all();
    const ids = new Float64Array(packed.length);
    const facts: CustomerFacts[] = new Array<CustomerFacts>(packed.length);
    for (let i = 0; i < packed.length; i += 1) {
      const value = packed[i]!;
      const flags = value % 64;
      const id = (value - flags) / 64;
      const month = flags >> 2;
      ids[i] = id;
      facts[i] = {
        id,
        tagsJson: '[]',
        birthdayMonth: month === 0 ? null : month,
        consentGranted: (flags & 2) !== 0,
        warm: (flags & 1) !== 0,
        handoffUntil: null,
        purchases: 0,
        totalCents: 0,
        lastPurchaseAt: null,
        lastNps: null,
      };
    }
    // Each customer found by binary search on the sorted ids (no map to build).
    const find = (id: number): CustomerFacts | undefined => {
      let lo = 0;
      let hi = ids.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const value = ids[mid]!;
        if (value === id) return facts[mid];
        if (value < id) lo = mid + 1;
        else hi = mid - 1;
      }
      return undefined;
    };
    // An erased customer's purchases stay, as anonymous counts: not found, skipped.
    // They come in customer order (the GROUP BY walks the index): a walk finds each, the search any other.
    const totals = JSON.parse(`[${purchaseTotals.get() ?? ''}]`) as number[];
    let at = 0;
    for (let i = 0; i < totals.length; i += 4) {
      const id = totals[i]!;
      while (at < ids.length && ids[at]! < id) at += 1;
      const one = ids[at] === id ? facts[at] : find(id);
      if (!one) continue;
      one.purchases = totals[i + 1]!;
      one.totalCents = totals[i + 2]!;
      one.lastPurchaseAt = totals[i + 3]!;
    }
    for (const value of latestNps.all()) {
      const score = value % 16;
      const one = find((value - score) / 16);
      if (one) one.lastNps = score;
    }
    for (const [id, until] of handoffs.all()) find(id)!.handoffUntil = until;
    if (withTags) for (const [id, tags] of tagged.all()) find(id)!.tagsJson = tags;
    return facts;
  }

  const oneFacts = sqlite.prepare<[number, number, number], OneRow>(
    `SELECT ${FACT_COLUMNS},
            (SELECT count(*) FROM purchases WHERE customer_id = ?) AS purchases,
            (SELECT coalesce(sum(total_cents), 0) FROM purchases WHERE customer_id = c.id) AS totalCents,
            (SELECT max(purchased_at) FROM purchases WHERE customer_id = c.id) AS lastPurchaseAt,
            (SELECT CAST(value AS INTEGER) FROM answers WHERE customer_id = ? AND kind = 'nps' ORDER BY at DESC, id DESC LIMIT 1) AS lastNps
       FROM customers c WHERE c.id = ? AND c.erased_at IS NULL`,
  );
  /**
   * Who bought a product matching the patterns, as SQL: each pattern a LIKE on the item's SKU, with
   * a LIKE on the whole items text first (its longest literal run), which spares parsing the JSON
   * of the purchases that cannot match.
   */
  function boughtStatement(patterns: readonly string[], one: boolean) {
    const likes = patterns.map(skuLike);
    const pre = likes.map((like) => (like.pre === null ? '1' : "p.items LIKE ? ESCAPE '\\'")).join(' OR ');
    const sku = likes.map(() => "(j.value ->> '$.sku') LIKE ? ESCAPE '\\'").join(' OR ');
    const sql = `SELECT DISTINCT p.customer_id FROM purchases p, json_each(p.items) j
      WHERE ${one ? 'p.customer_id = ? AND ' : ''}(${pre}) AND (${sku})${one ? ' LIMIT 1' : ''}`;
    const values = [...likes.flatMap((like) => (like.pre === null ? [] : [like.pre])), ...likes.map((like) => like.pattern)];
    const statement = sqlite.prepare<(string | number)[], number>(sql).pluck();
    return { all: () => statement.all(...values), has: (customerId: number) => statement.get(customerId, ...values) !== undefined };
  }
  const lastPurchase = sqlite.prepare<[], number>('SELECT coalesce(max(id), 0) FROM purchases').pluck();
  const byIds = sqlite.prepare<[string], CustomerRow>(
    `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id IN (SELECT value FROM json_each(?)) AND erased_at IS NULL ORDER BY id DESC`,
  );
  const listAll = sqlite.prepare<[], CustomSegment>('SELECT id, name, filters, created_at AS createdAt FROM segments ORDER BY created_at, id');
  const findOne = sqlite.prepare<[string], CustomSegment>('SELECT id, name, filters, created_at AS createdAt FROM segments WHERE id = ?');
  const insert = sqlite.prepare<[string, string, string, number]>('INSERT INTO segments (id, name, filters, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING');
  const remove = sqlite.prepare<[string]>('DELETE FROM segments WHERE id = ?');

  return {
    facts: (withTags = true) => readFacts(withTags),
    lastPurchaseId: () => lastPurchase.get() ?? 0,
    factsOf: (customerId) => {
      const row = oneFacts.get(customerId, customerId, customerId);
      return row ? toFacts(row) : undefined;
    },
    customersWhoBought: (patterns) => new Set(boughtStatement(patterns, false).all()),
    hasBought: (customerId, patterns) => boughtStatement(patterns, true).has(customerId),
    customersByIds: (ids) => (ids.length === 0 ? [] : byIds.all(JSON.stringify(ids)).map(toCustomer)),
    listCustom: () => listAll.all(),
    findCustom: (id) => findOne.get(id),
    createCustom: (segment) => insert.run(segment.id, segment.name, segment.filters, segment.createdAt).changes === 1,
    deleteCustom: (id) => remove.run(id).changes === 1,
  };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/** A flows' SKU pattern as LIKE (`*` → `%`, `?` → `_`), and a LIKE for the items text, when it has a literal run. */
export function skuLike(pattern: string): { pattern: string; pre: string | null } {
  const like = pattern
    .split('')
    .map((char) => (char === '*' ? '%' : char === '?' ? '_' : escapeLike(char)))
    .join('');
  // JSON escapes '"' and '\\' in the items text: a run with them is not looked for there.
  const run = pattern
    .split(/[*?]/)
    .filter((part) => part !== '' && !/["\\]/.test(part))
    .sort((a, b) => b.length - a.length)[0];
  return { pattern: like, pre: run === undefined ? null : `%${escapeLike(run)}%` };
}
