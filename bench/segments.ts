// Segments (issue 21, point 6): every segment's count over a busy shop (100,000 customers,
// 1,000,000 purchases) against one plain scan of purchases, in the same run on the same file.
// Target: within 2x of the scan, and under a second outright.
//
// What is measured: listSegments, as GET /api/segments and the Clientes page call it: the seven
// built-in segments (RFM scores over every buyer, and the Abaixo de zero overlay) and three custom
// segments saved by the seller (tags and consent; total spent and number of purchases; last
// purchase between two dates and a birthday month). That is the aggregate query (purchases grouped
// by customer, joined to live customers and to each one's latest NPS answer) and the scoring in
// JavaScript. A custom segment that names products also reads every purchase's items (json_each):
// its cost is printed apart, not part of the verdict.
//
// Baseline: `SELECT customer_id, count(*), sum(total_cents), max(purchased_at) FROM purchases
// GROUP BY customer_id`, the simplest read that has the per-customer numbers RFM needs.
//
// The data, generated untimed with a seeded generator: 100,000 customers (~1% erased tombstones,
// ~30% with a birthday, ~40% with marketing consent, ~35% warm, ~20% tagged), 1,000,000 purchases
// over two years (10% of customers none, 30% exactly one, the rest skewed: some buy very often), 1 to 3 items each as JSON,
// and 30,000 NPS answers. Inserted by raw prepared statements in large transactions with
// synchronous=OFF (FULL is put back before measuring); the WAL is checkpointed. No ANALYZE.
//
// Rounds: a warm-up, then BENCH_ROUNDS rounds (default 7), alternating which goes first; the
// verdict is the median ratio segments/scan (<= 2) and the median segments time (< 1,000 ms).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILTIN_SEGMENTS } from '../src/segments/rfm.js';
import { listSegments, type SegmentSummary } from '../src/segments/segments.js';
import { openDatabase, readPragmas } from '../src/storage/db.js';
import { createSegmentRepository } from '../src/storage/repositories/segments.js';
import { machine } from './lib/report.js';
import { mulberry32 } from './lib/random.js';

const TARGET = 2;
const TARGET_MS = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CUSTOMERS = 100_000;
const PURCHASES = 1_000_000;
const ANSWERS = 30_000;
const TZ = 'America/Sao_Paulo';
const NOW = Date.parse('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const SKUS = ['CAFE-250', 'CAFE-500', 'CAFE-1KG', 'CHA-100', 'CANECA-01', 'FILTRO-02', 'MOEDOR-01', 'KIT-PRESENTE'];
const TAGS = ['vip', 'atacado', 'instagram', 'feira', 'indicado'];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(0)} ms`;

function generate(db: ReturnType<typeof openDatabase>): void {
  const random = mulberry32(21);
  const { sqlite } = db;
  const customer = sqlite.prepare(
    `INSERT INTO customers (id, phone, name, birthday, tags, consent_marketing, warm_at, handoff_until, created_at, updated_at, erased_at, last_purchase_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const purchase = sqlite.prepare(
    'INSERT INTO purchases (customer_id, external_id, items, total_cents, currency, source, purchased_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const answer = sqlite.prepare("INSERT INTO answers (customer_id, step_id, kind, value, message_wa_id, at) VALUES (?, 'nps', 'nps', ?, ?, ?)");
  // Purchases per customer: 10% none, 30% exactly one, the rest share what is left of the million,
  // skewed (weights ~ 1/u: a few buy very often), at least two each.
  const kinds = Array.from({ length: CUSTOMERS }, () => random()).map((u) => (u < 0.1 ? 'none' : u < 0.4 ? 'once' : 'more'));
  const weights = kinds.map((kind) => (kind === 'more' ? 1 / (0.05 + random()) : 0));
  const ones = kinds.filter((kind) => kind === 'once').length;
  const more = kinds.length - ones - kinds.filter((kind) => kind === 'none').length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const spread = PURCHASES - ones - 2 * more;
  const counts = kinds.map((kind, i) => (kind === 'none' ? 0 : kind === 'once' ? 1 : 2 + Math.floor((weights[i]! / sum) * spread)));
  let missing = PURCHASES - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; missing > 0; i = (i + 1) % CUSTOMERS) {
    if (kinds[i] !== 'more') continue;
    counts[i]! += 1;
    missing -= 1;
  }
  const last = new Array<number>(CUSTOMERS).fill(0);
  sqlite.transaction(() => {
    for (let i = 0; i < CUSTOMERS; i += 1) {
      const erased = random() < 0.01;
      const month = 1 + Math.floor(random() * 12);
      const tags = random() < 0.2 ? [TAGS[Math.floor(random() * TAGS.length)]!] : [];
      customer.run(
        i + 1,
        erased ? null : `+55119${String(10_000_000 + i).padStart(8, '0')}`,
        erased ? null : `Cliente ${i + 1}`,
        !erased && random() < 0.3 ? `--${String(month).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}` : null,
        JSON.stringify(tags),
        random() < 0.4 ? 'granted' : random() < 0.5 ? 'revoked' : 'unknown',
        random() < 0.35 ? NOW - 400 * DAY : null,
        random() < 0.002 ? NOW + DAY : null,
        NOW - 800 * DAY,
        NOW - 800 * DAY,
        erased ? NOW - DAY : null,
        null,
      );
    }
  })();
  let n = 0;
  const batch = 100_000;
  for (let start = 0; start < CUSTOMERS; start += batch / 10) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(CUSTOMERS, start + batch / 10); i += 1) {
        for (let k = 0; k < counts[i]!; k += 1) {
          n += 1;
          const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
            const sku = SKUS[Math.floor(random() * SKUS.length)]!;
            return { sku, name: `Produto ${sku}`, quantity: 1 + Math.floor(random() * 2), unitPriceCents: 1990 + Math.floor(random() * 20_000) };
          });
          const total = items.reduce((acc, item) => acc + item.quantity * item.unitPriceCents, 0);
          const at = NOW - Math.floor(random() * 730 * DAY);
          last[i] = Math.max(last[i]!, at);
          purchase.run(i + 1, `pedido-${n}`, JSON.stringify(items), total, 'BRL', 'api', at, at);
        }
      }
    })();
  }
  const setLast = sqlite.prepare('UPDATE customers SET last_purchase_at = ? WHERE id = ?');
  sqlite.transaction(() => {
    for (let i = 0; i < CUSTOMERS; i += 1) if (last[i]! > 0) setLast.run(last[i]!, i + 1);
    for (let a = 0; a < ANSWERS; a += 1) {
      const who = 1 + Math.floor(random() * CUSTOMERS);
      answer.run(who, String(Math.min(10, Math.floor(random() * 12))), `wa-${a}`, NOW - Math.floor(random() * 365 * DAY));
    }
  })();
}

export async function run(): Promise<boolean> {
  console.log(
    `segments benchmark: every segment's count (7 built-in, 3 custom) over ${CUSTOMERS.toLocaleString('en-US')} customers and ${PURCHASES.toLocaleString('en-US')} purchases vs one GROUP BY scan of purchases, warm-up + ${ROUNDS} rounds`,
  );
  console.log(`machine: ${machine()}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-segments-'));
  const db = openDatabase(path.join(dir, 'fregues.db'));
  try {
    const setupStart = performance.now();
    const cacheSize = db.sqlite.pragma('cache_size', { simple: true }) as number;
    db.sqlite.pragma('synchronous = OFF');
    db.sqlite.pragma('cache_size = -524288');
    generate(db);
    db.sqlite.pragma(`cache_size = ${cacheSize}`);
    db.sqlite.pragma('synchronous = FULL');
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const pragmas = readPragmas(db.sqlite);
    if (pragmas.journalMode !== 'wal' || pragmas.synchronous !== 2) throw new Error(`pragmas: ${JSON.stringify(pragmas)}`);
    const counted = db.sqlite.prepare('SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM purchases)').raw().get() as number[];
    if (counted[0] !== CUSTOMERS || counted[1] !== PURCHASES) throw new Error(`generated ${JSON.stringify(counted)}`);
    console.log(`generated and written in ${((performance.now() - setupStart) / 1000).toFixed(1)} s, ${Math.round(fs.statSync(db.file).size / 2 ** 20)} MiB, synchronous=FULL, cache_size ${cacheSize}`);

    const repos = { segments: createSegmentRepository(db) };
    repos.segments.createCustom({ id: 'vip-com-consentimento', name: 'VIP com consentimento', filters: JSON.stringify({ tags: ['vip'], consent: 'granted' }), createdAt: NOW });
    repos.segments.createCustom({ id: 'gastam-bem', name: 'Gastam bem', filters: JSON.stringify({ totalMinCents: 100_000, purchasesMin: 5, purchasesMax: 50 }), createdAt: NOW + 1 });
    repos.segments.createCustom({
      id: 'aniversario-marco',
      name: 'Aniversário em março',
      filters: JSON.stringify({ lastPurchaseFrom: '2026-06-01', lastPurchaseTo: '2026-11-23', birthdayMonth: 3, contact: 'warm' }),
      createdAt: NOW + 2,
    });
    const scanStatement = db.sqlite.prepare('SELECT customer_id, count(*), sum(total_cents), max(purchased_at) FROM purchases GROUP BY customer_id');
    const at = { now: NOW, timeZone: TZ };
    let summary: SegmentSummary[] = [];
    const segments = () => {
      const start = performance.now();
      summary = listSegments(repos, at, (id) => id);
      return performance.now() - start;
    };
    let scanned = 0;
    const scan = () => {
      const start = performance.now();
      scanned = scanStatement.all().length;
      return performance.now() - start;
    };

    segments();
    scan();
    const ratios: number[] = [];
    const segmentTimes: number[] = [];
    const scanTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const [a, b] = round % 2 === 0 ? [segments(), scan()] : ((s) => [segments(), s])(scan());
      segmentTimes.push(a);
      scanTimes.push(b);
      ratios.push(a / b);
    }

    // The numbers must be real: every buyer in exactly one RFM segment, erased customers in none.
    const live = db.sqlite.prepare('SELECT count(*) FROM customers WHERE erased_at IS NULL').pluck().get() as number;
    const liveBuyers = db.sqlite.prepare('SELECT count(DISTINCT p.customer_id) FROM purchases p JOIN customers c ON c.id = p.customer_id WHERE c.erased_at IS NULL').pluck().get() as number;
    const rfmTotal = summary.filter((s) => s.kind === 'built-in' && s.id !== 'abaixo-de-zero').reduce((acc, s) => acc + s.count, 0);
    if (rfmTotal !== liveBuyers || summary.length !== BUILTIN_SEGMENTS.length + 3 || summary.some((s) => s.count === 0) || scanned === 0 || live === 0) {
      throw new Error(`segments do not add up: ${JSON.stringify(summary)}; live buyers ${liveBuyers}`);
    }
    console.log(`counts: ${summary.map((s) => `${s.id} ${s.count}`).join(', ')} (buyers ${liveBuyers}, scan rows ${scanned})`);

    // Apart: a custom segment naming products reads every purchase's items too.
    repos.segments.createCustom({ id: 'cafe', name: 'Café', filters: JSON.stringify({ products: ['CAFE-*'] }), createdAt: NOW + 3 });
    const withProducts = median([0, 1, 2].map(() => segments()));
    console.log(`with a products segment as well (json_each over every purchase): ${ms(withProducts)} (not part of the verdict)`);

    const ratio = median(ratios);
    const segmentMedian = median(segmentTimes);
    const pass = ratio <= TARGET && segmentMedian < TARGET_MS;
    console.log(`median: segments ${ms(segmentMedian)} (target < ${TARGET_MS} ms), scan ${ms(median(scanTimes))}`);
    console.log(`ratio: ${ratio.toFixed(2)} (median of rounds ${ratios.map((value) => value.toFixed(2)).join(', ')}; target <= ${TARGET}) ${pass ? 'PASS' : 'FAIL'}`);
    return pass;
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
