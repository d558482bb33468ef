import Database from 'better-sqlite3';
import { readDeliveryLog } from '../../src/channels/simulator/delivery-log.js';
import { SURVEY_BRANCHES, SURVEY_FLOW, SURVEY_QUESTION, SURVEY_SILENCE, THANKS_FLOW, THANKS_SENDS } from './flows.js';
import type { CrashRun } from './harness.js';
import type { KillStrategy } from './plan.js';

/**
 * What a crash run left behind, judged from the database (read-only) and the
 * delivery log, independently of what the service says about itself:
 * - nothing lost: every purchase is stored once, started both flows, and
 *   each run finished with exactly the steps its flow and its answer call for;
 * - nothing twice: no message id, and no text, reached a phone twice;
 * - every row ended 'sent' (WhatsApp got it exactly once) or 'unknown'
 *   (reported to the owner; reached the phone at most once), never more
 *   unknowns than kills;
 * - a new chat WhatsApp refused with 463 is never sent again: its row ended
 *   'failed' as cold_refused (or 'unknown', or 'sent' when a kill lost the
 *   refusal, never more than the kills), and that customer's later messages
 *   were skipped until they wrote (cold_skipped).
 */
export interface CrashReport {
  seed: number;
  customers: number;
  purchases: number;
  replies: number;
  /** Outbox rows of flow steps: every message the flows scheduled. */
  scheduled: number;
  sent: number;
  unknown: number;
  /** Unknown rows that WhatsApp had in fact accepted (the kill came after it accepted, before the result). */
  unknownDelivered: number;
  deliveries: number;
  /** New chats WhatsApp accepted and then refused with 463 (delivery log lines marked refused). */
  refused: number;
  /** Rows settled as refused (failed, cold_refused), and later rows skipped because their customer had been refused. */
  coldRefusedRows: number;
  coldSkippedRows: number;
  /** Refused messages whose refusal a kill lost: the row says sent or unknown. */
  refusalsLostToKills: number;
  newChatFaults: CrashRun['newChatFaults'];
  kills: number;
  killsBy: Record<KillStrategy, number>;
  /** Starts after a kill that found a row left in 'sending': kills that landed between claim and result. */
  betweenClaimAndResult: number;
  /** Rows settled at a start as sent because their receipt had been stored. */
  confirmedAtStart: number;
  restarts: number;
  interruptedRequests: number;
  transportRetries: number;
  answers: { yes: number; no: number; none: number };
  simulatedDays: number;
  durationMs: number;
  /** What went wrong, by the guarantee it breaks; empty lists when the run held. */
  problems: Problems;
}

export interface Problems {
  /** A purchase, a run or a step that should exist and does not (or is there twice). */
  lost: string[];
  /** A message that reached a phone twice, or a text a customer got twice. */
  twice: string[];
  /** A row not settled as sent-exactly-once or reported unknown; the record and the service disagreeing with the evidence. */
  settled: string[];
}

interface OutboxRecord {
  id: number;
  dedupeKey: string;
  runId: number | null;
  stepId: string | null;
  toPhone: string;
  waId: string;
  status: string;
  lastError: string | null;
}

const MAX_LISTED = 20;

export function checkCrashRun(run: CrashRun): CrashReport {
  const problems: Problems = { lost: [], twice: [], settled: [] };
  const lost = (text: string): void => void problems.lost.push(text);
  const twice = (text: string): void => void problems.twice.push(text);
  const unsettled = (text: string): void => void problems.settled.push(text);
  const db = new Database(run.databaseFile, { readonly: true, fileMustExist: true });
  try {
    const outbox = db
      .prepare(
        'SELECT id, dedupe_key AS dedupeKey, run_id AS runId, step_id AS stepId, to_phone AS toPhone, wa_id AS waId, status, last_error AS lastError FROM outbox ORDER BY id',
      )
      .all() as OutboxRecord[];
    const purchases = db.prepare('SELECT id, external_id AS externalId FROM purchases').all() as { id: number; externalId: string | null }[];
    const runs = db.prepare('SELECT id, flow_id AS flowId, purchase_id AS purchaseId, status FROM flow_runs').all() as {
      id: number;
      flowId: string;
      purchaseId: number | null;
      status: string;
    }[];
    const answers = db.prepare('SELECT run_id AS runId, step_id AS stepId, value FROM answers ORDER BY id').all() as { runId: number | null; stepId: string; value: string }[];
    const messageStatus = new Map(
      (db.prepare("SELECT wa_id AS waId, status FROM messages WHERE direction = 'out'").all() as { waId: string; status: string }[]).map((m) => [m.waId, m.status]),
    );

    // --- Nothing lost ---------------------------------------------------------
    const purchaseIds = new Map<string, number>();
    for (const purchase of purchases) {
      if (purchase.externalId === null) continue;
      if (purchaseIds.has(purchase.externalId)) lost(`purchase ${purchase.externalId} is stored twice`);
      purchaseIds.set(purchase.externalId, purchase.id);
    }
    for (const planned of run.purchases) {
      if (!purchaseIds.has(planned.externalId)) lost(`purchase ${planned.externalId} was lost`);
    }
    if (purchases.length !== run.purchases.length) lost(`${purchases.length} purchases stored, ${run.purchases.length} made`);

    const rowsByRun = new Map<number, OutboxRecord[]>();
    for (const row of outbox) {
      if (row.runId === null) {
        lost(`outbox row ${row.id} (${row.dedupeKey}) belongs to no flow run`);
        continue;
      }
      rowsByRun.set(row.runId, [...(rowsByRun.get(row.runId) ?? []), row]);
    }
    const answerOf = new Map<number, string>();
    for (const answer of answers) {
      if (answer.runId !== null && answer.stepId === SURVEY_QUESTION && !answerOf.has(answer.runId)) answerOf.set(answer.runId, answer.value);
    }
    const tally = { yes: 0, no: 0, none: 0 };
    const runsByPurchase = new Map<number, typeof runs>();
    for (const flowRun of runs) {
      if (flowRun.purchaseId === null) lost(`run ${flowRun.id} of ${flowRun.flowId} has no purchase`);
      else runsByPurchase.set(flowRun.purchaseId, [...(runsByPurchase.get(flowRun.purchaseId) ?? []), flowRun]);
    }
    for (const [externalId, purchaseId] of purchaseIds) {
      const started = runsByPurchase.get(purchaseId) ?? [];
      for (const flowId of [THANKS_FLOW, SURVEY_FLOW]) {
        const matching = started.filter((flowRun) => flowRun.flowId === flowId);
        if (matching.length !== 1) {
          lost(`purchase ${externalId} has ${matching.length} runs of ${flowId}`);
          continue;
        }
        const flowRun = matching[0]!;
        if (flowRun.status !== 'done') lost(`run ${flowRun.id} (${flowId}, ${externalId}) is ${flowRun.status}, not done`);
        const keys = (rowsByRun.get(flowRun.id) ?? []).map((row) => row.dedupeKey.slice(`${flowRun.id}:`.length)).sort();
        let expected: string[];
        if (flowId === THANKS_FLOW) {
          expected = THANKS_SENDS.map((step) => `${step}:1`);
        } else {
          const answer = answerOf.get(flowRun.id);
          tally[answer === 'yes' ? 'yes' : answer === 'no' ? 'no' : 'none'] += 1;
          const branch = answer === undefined ? SURVEY_SILENCE : SURVEY_BRANCHES[answer];
          if (branch === undefined) lost(`run ${flowRun.id} (${externalId}) has the answer ${answer}, which no branch takes`);
          // The reminder goes only when no answer came within 6 hours: either way is right, once.
          const reminder = keys.includes(`${SURVEY_QUESTION}:1:reminder`) ? [`${SURVEY_QUESTION}:1:reminder`] : [];
          expected = [`${SURVEY_QUESTION}:1`, ...reminder, `${branch ?? SURVEY_SILENCE}:1`];
        }
        expected.sort();
        if (keys.join(',') !== expected.join(',')) {
          lost(`run ${flowRun.id} (${flowId}, ${externalId}) has the messages [${keys.join(', ')}], expected [${expected.join(', ')}]`);
        }
      }
    }

    // --- Every row settled ----------------------------------------------------
    const deliveries = readDeliveryLog(run.deliveryLog);
    // WhatsApp accepted these, then refused them with 463: new chats it would not open.
    const refusedWaIds = new Set(deliveries.filter((delivery) => delivery.refused !== undefined).map((delivery) => delivery.messageId));
    const refusedPhones = new Set(deliveries.filter((delivery) => delivery.refused !== undefined).map((delivery) => delivery.to));
    const byStatus = new Map<string, OutboxRecord[]>();
    for (const row of outbox) byStatus.set(row.status, [...(byStatus.get(row.status) ?? []), row]);
    for (const [status, rows] of byStatus) {
      if (status === 'sent' || status === 'unknown') continue;
      // Refused: the row failed as cold_refused; the customer's later messages skipped until they write.
      const expected = rows.filter((row) =>
        status === 'failed'
          ? refusedWaIds.has(row.waId) && row.lastError === 'cold_refused'
          : status === 'skipped' && row.lastError === 'cold_skipped' && refusedPhones.has(row.toPhone),
      );
      const others = rows.filter((row) => !expected.includes(row));
      if (others.length === 0) continue;
      unsettled(
        `${others.length} rows ended '${status}': ${others
          .slice(0, MAX_LISTED)
          .map((row) => `${row.id} ${row.dedupeKey}${row.lastError ? ` (${row.lastError})` : ''}`)
          .join('; ')}`,
      );
    }
    const coldRefusedRows = (byStatus.get('failed') ?? []).filter((row) => row.lastError === 'cold_refused');
    const refusalsLost = outbox.filter((row) => refusedWaIds.has(row.waId) && row.status !== 'failed');
    if (refusalsLost.length > run.kills.length) unsettled(`${refusalsLost.length} refused messages not settled as refused, after ${run.kills.length} kills`);
    const sentRows = byStatus.get('sent') ?? [];
    const unknownRows = byStatus.get('unknown') ?? [];
    if (unknownRows.length > run.kills.length) unsettled(`${unknownRows.length} unknown rows after ${run.kills.length} kills`);
    const reported = new Set(run.reportedUnknown);
    for (const row of unknownRows) if (!reported.has(row.id)) unsettled(`unknown row ${row.id} is not listed by GET /api/outbox?status=unknown`);
    if (reported.size !== unknownRows.length) unsettled(`the API lists ${reported.size} unknown rows, the database has ${unknownRows.length}`);
    for (const row of sentRows) {
      const status = messageStatus.get(row.waId);
      // A refused message whose refusal a kill lost is still 'sent' in the record.
      if (!['sent', 'delivered', 'read'].includes(status ?? '')) unsettled(`row ${row.id} is sent, its message in the record is ${status}`);
    }
    for (const row of unknownRows) {
      const status = messageStatus.get(row.waId);
      if (status !== 'unknown') unsettled(`row ${row.id} is unknown, its message in the record is ${status}`);
    }

    // --- What WhatsApp got: each message once ---------------------------------
    const rowByWaId = new Map(outbox.map((row) => [row.waId, row]));
    const timesDelivered = new Map<string, number>();
    const textsPerPhone = new Map<string, string>();
    for (const delivery of deliveries) {
      timesDelivered.set(delivery.messageId, (timesDelivered.get(delivery.messageId) ?? 0) + 1);
      const row = rowByWaId.get(delivery.messageId);
      if (!row) twice(`WhatsApp got ${delivery.messageId}, which no outbox row has`);
      else if (row.toPhone !== delivery.to) twice(`WhatsApp got ${delivery.messageId} for ${delivery.to}, the row says ${row.toPhone}`);
      const sameText = `${delivery.to} ${delivery.digest}`;
      const earlier = textsPerPhone.get(sameText);
      if (earlier !== undefined && earlier !== delivery.messageId) {
        twice(`${delivery.to} got the same text twice (${earlier}, ${delivery.messageId}): ${row?.dedupeKey ?? '?'}`);
      }
      textsPerPhone.set(sameText, delivery.messageId);
    }
    for (const [waId, times] of timesDelivered) {
      if (times <= 1) continue;
      // Baileys warns that sending a refused message again counts as another reach-out.
      if (refusedWaIds.has(waId)) twice(`${waId} was refused with 463 and sent again: ${times} times (${rowByWaId.get(waId)?.dedupeKey ?? 'no row'})`);
      else twice(`WhatsApp got ${waId} ${times} times (${rowByWaId.get(waId)?.dedupeKey ?? 'no row'})`);
    }
    for (const row of sentRows) {
      if (!timesDelivered.has(row.waId)) unsettled(`row ${row.id} (${row.dedupeKey}) is sent, but WhatsApp never got it`);
    }
    const unknownDelivered = unknownRows.filter((row) => timesDelivered.has(row.waId)).length;

    const killsBy: Record<KillStrategy, number> = { claim: 0, delivery: 0, timer: 0, intake: 0, idle: 0 };
    for (const kill of run.kills) killsBy[kill.strategy] += 1;
    const settledAtStart = run.reconciled.filter((found) => found !== null);
    const reconciledUnknown = settledAtStart.reduce((sum, found) => sum + found.unknown, 0);
    if (reconciledUnknown !== unknownRows.length) {
      unsettled(`the starts after kills marked ${reconciledUnknown} rows unknown, the database has ${unknownRows.length}`);
    }
    if (run.stopCode !== 0) unsettled(`the last stop (SIGTERM) exited with ${run.stopCode}`);
    for (const status of ['queued', 'sending'] as const) {
      if ((run.finalCounts[status] ?? 0) !== 0) unsettled(`the service reported ${run.finalCounts[status]} rows ${status} at the end`);
    }

    return {
      seed: run.seed,
      customers: run.customers,
      purchases: purchases.length,
      replies: run.repliesSent,
      scheduled: outbox.length,
      sent: sentRows.length,
      unknown: unknownRows.length,
      unknownDelivered,
      deliveries: deliveries.length,
      refused: refusedWaIds.size,
      coldRefusedRows: coldRefusedRows.length,
      coldSkippedRows: (byStatus.get('skipped') ?? []).filter((row) => row.lastError === 'cold_skipped').length,
      refusalsLostToKills: refusalsLost.length,
      newChatFaults: run.newChatFaults,
      kills: run.kills.length,
      killsBy,
      betweenClaimAndResult: settledAtStart.length,
      confirmedAtStart: settledAtStart.reduce((sum, found) => sum + found.confirmed, 0),
      restarts: run.restarts,
      interruptedRequests: run.interruptedRequests,
      transportRetries: run.transportRetries,
      answers: tally,
      simulatedDays: run.simulatedDays,
      durationMs: run.durationMs,
      problems,
    };
  } finally {
    db.close();
  }
}

/** At most 20 of a kind, for a readable failure. */
export function firstProblems(list: string[]): string[] {
  return list.length > MAX_LISTED ? [...list.slice(0, MAX_LISTED), `... and ${list.length - MAX_LISTED} more`] : list;
}

/** The summary line the suite prints. */
export function describeCrashReport(report: CrashReport): string {
  const kills = Object.entries(report.killsBy)
    .filter(([, count]) => count > 0)
    .map(([strategy, count]) => `${count} ${strategy}`)
    .join(', ');
  return (
    `crash suite (seed ${report.seed}): ${report.scheduled} scheduled, ${report.sent} sent, ${report.unknown} unknown ` +
    `(${report.unknownDelivered} of them reached the phone), ${report.deliveries} accepted by WhatsApp; ` +
    `${report.refused} new chats refused with 463 (${report.coldRefusedRows} rows refused, ${report.coldSkippedRows} skipped after, ${report.refusalsLostToKills} refusals lost to kills; ` +
    `${report.newChatFaults.refuseNewChats} refusals asked, ${report.newChatFaults.locks} time locks, ${report.newChatFaults.locksAfterRestart} set again after a kill); ` +
    `${report.kills} kills (${kills}), ${report.betweenClaimAndResult} between claim and result, ` +
    `${report.confirmedAtStart} confirmed at start by a stored receipt; ${report.restarts} restarts, ` +
    `${report.interruptedRequests} requests cut and retried (${report.transportRetries} more on a live service); ${report.customers} customers, ${report.purchases} purchases, ` +
    `${report.replies} replies (yes ${report.answers.yes}, no ${report.answers.no}, none ${report.answers.none}); ` +
    `${report.simulatedDays.toFixed(1)} simulated days in ${(report.durationMs / 1000).toFixed(1)} s; ` +
    `problems: ${report.problems.lost.length} lost, ${report.problems.twice.length} twice, ${report.problems.settled.length} unsettled`
  );
}
