import type { Flow } from '../../flows/flow-types.js';
import type { Run, RunState, RunStatus } from '../../flows/run-types.js';
import type { Database } from '../db.js';

export interface NewRun {
  flowId: string;
  flowHash: string;
  customerId: number;
  occurrence: string;
  purchaseId: number | null;
  stepId: string;
  wakeAt: number;
  state: RunState;
}

export interface RunRepository {
  /** Keeps a flow version so that runs started on it can finish on it. */
  rememberVersion(flow: Flow, now: number): void;
  version(flowId: string, hash: string): Flow | undefined;
  /** undefined when this customer is already enrolled for this occurrence. */
  create(run: NewRun, now: number): Run | undefined;
  find(id: number): Run | undefined;
  /** Waiting runs whose wake_at has come, the longest-due first. */
  due(now: number, limit: number): Run[];
  nextWakeAt(): number | null;
  save(run: Run): void;
  openFor(customerId: number): Run[];
  listFor(customerId: number): Run[];
  /** A customer's runs of one flow that a purchase started, with when that purchase was made (cheap: no state read). */
  purchaseRunsOf(customerId: number, flowId: string): { id: number; status: RunStatus; purchaseId: number; purchasedAt: number }[];
  /** Waiting runs of one flow (an admin's rare question: reads all waiting runs). */
  openOfFlow(flowId: string): Run[];
  /** How many runs wait in each flow. */
  openCountsByFlow(): Map<string, number>;
  /** Whether this flow was ever loaded (a version of it is stored). */
  knowsFlow(flowId: string): boolean;
}

/** A run as stored: its state is JSON. */
type RunRow = Omit<Run, 'state'> & { state: string };

const COLUMNS =
  'id, flow_id AS flowId, flow_hash AS flowHash, customer_id AS customerId, occurrence, purchase_id AS purchaseId, status, step_id AS stepId, wake_at AS wakeAt, state, end_reason AS endReason, created_at AS createdAt, updated_at AS updatedAt, ended_at AS endedAt';

function toRun(row: RunRow): Run {
  return { ...row, state: JSON.parse(row.state) as RunState };
}

export function createRunRepository(db: Database): RunRepository {
  const { sqlite } = db;
  const versions = new Map<string, Flow>();
  const insertVersion = sqlite.prepare<[string, string, number, string, number]>(
    'INSERT OR IGNORE INTO flow_versions (flow_id, hash, version, definition, first_seen_at) VALUES (?, ?, ?, ?, ?)',
  );
  const selectVersion = sqlite.prepare<[string, string], string>('SELECT definition FROM flow_versions WHERE flow_id = ? AND hash = ?').pluck();
  // A plain INSERT, with the occurrence key's violation caught below: an UPSERT's
  // "ON CONFLICT DO NOTHING" doubled the cost of this insert, which every purchase
  // pays, and OR IGNORE would also swallow a NOT NULL violation (a bug) silently.
  const insert = sqlite.prepare<[string, string, number, string, number | null, string, number, string, number, number]>(
    `INSERT INTO flow_runs (flow_id, flow_hash, customer_id, occurrence, purchase_id, status, step_id, wake_at, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?)`,
  );
  const byId = sqlite.prepare<[number], RunRow>(`SELECT ${COLUMNS} FROM flow_runs WHERE id = ?`);
  const due = sqlite.prepare<[number, number], RunRow>(
    `SELECT ${COLUMNS} FROM flow_runs WHERE status = 'waiting' AND wake_at <= ? ORDER BY wake_at, id LIMIT ?`,
  );
  const nextWake = sqlite.prepare<[], number | null>("SELECT min(wake_at) FROM flow_runs WHERE status = 'waiting'").pluck();
  const update = sqlite.prepare<[string, string | null, number | null, string, string | null, number, number | null, number]>(
    'UPDATE flow_runs SET status = ?, step_id = ?, wake_at = ?, state = ?, end_reason = ?, updated_at = ?, ended_at = ? WHERE id = ?',
  );
  const openFor = sqlite.prepare<[number], RunRow>(`SELECT ${COLUMNS} FROM flow_runs WHERE customer_id = ? AND status = 'waiting' ORDER BY id`);
  const listFor = sqlite.prepare<[number], RunRow>(`SELECT ${COLUMNS} FROM flow_runs WHERE customer_id = ? ORDER BY id`);
  const openOfFlow = sqlite.prepare<[string], RunRow>(`SELECT ${COLUMNS} FROM flow_runs WHERE status = 'waiting' AND flow_id = ? ORDER BY id`);
  const openCounts = sqlite.prepare<[], { flowId: string; n: number }>("SELECT flow_id AS flowId, count(*) AS n FROM flow_runs WHERE status = 'waiting' GROUP BY flow_id");
  const knowsFlow = sqlite.prepare<[string], number>('SELECT 1 FROM flow_versions WHERE flow_id = ? LIMIT 1').pluck();
  const purchaseRunsOf = sqlite.prepare<[number, string], { id: number; status: RunStatus; purchaseId: number; purchasedAt: number }>(
    `SELECT r.id, r.status, r.purchase_id AS purchaseId, p.purchased_at AS purchasedAt
       FROM flow_runs r JOIN purchases p ON p.id = r.purchase_id
      WHERE r.customer_id = ? AND r.flow_id = ? ORDER BY r.id`,
  );

  return {
    rememberVersion: (flow, now) => {
      insertVersion.run(flow.id, flow.hash, flow.version, JSON.stringify(flow), now);
      versions.set(`${flow.id}@${flow.hash}`, flow);
    },
    version: (flowId, hash) => {
      const key = `${flowId}@${hash}`;
      let flow = versions.get(key);
      if (!flow) {
        const text = selectVersion.get(flowId, hash);
        if (text === undefined) return undefined;
        flow = JSON.parse(text) as Flow;
        versions.set(key, flow);
      }
      return flow;
    },
    create: (run, now) => {
      // Built from what was written rather than read back: this runs inside every purchase.
      let result: { lastInsertRowid: number | bigint };
      try {
        result = insert.run(run.flowId, run.flowHash, run.customerId, run.occurrence, run.purchaseId, run.stepId, run.wakeAt, JSON.stringify(run.state), now, now);
      } catch (error) {
        if (isOccurrenceTaken(error)) return undefined;
        throw error;
      }
      // Spelled out: an object spread here cost several µs on Node 20 (V8's slow path for
      // a spread followed by more properties), more than the insert itself.
      return {
        id: Number(result.lastInsertRowid),
        flowId: run.flowId,
        flowHash: run.flowHash,
        customerId: run.customerId,
        occurrence: run.occurrence,
        purchaseId: run.purchaseId,
        status: 'waiting',
        stepId: run.stepId,
        wakeAt: run.wakeAt,
        state: run.state,
        endReason: null,
        createdAt: now,
        updatedAt: now,
        endedAt: null,
      };
    },
    find: (id) => {
      const row = byId.get(id);
      return row ? toRun(row) : undefined;
    },
    due: (now, limit) => due.all(now, limit).map(toRun),
    nextWakeAt: () => nextWake.get() ?? null,
    save: (run) => {
      update.run(run.status, run.stepId, run.wakeAt, JSON.stringify(run.state), run.endReason, run.updatedAt, run.endedAt, run.id);
    },
    openFor: (customerId) => openFor.all(customerId).map(toRun),
    listFor: (customerId) => listFor.all(customerId).map(toRun),
    openOfFlow: (flowId) => openOfFlow.all(flowId).map(toRun),
    openCountsByFlow: () => new Map(openCounts.all().map(({ flowId, n }) => [flowId, n])),
    knowsFlow: (flowId) => knowsFlow.get(flowId) !== undefined,
    purchaseRunsOf: (customerId, flowId) => purchaseRunsOf.all(customerId, flowId),
  };
}

/** The customer is already enrolled for this occurrence (the only unique key of flow_runs besides its id). */
function isOccurrenceTaken(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' && error.message.endsWith('flow_runs.occurrence');
}
