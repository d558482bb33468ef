import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { compileService } from './compile.js';
import { writeCrashFlows } from './flows.js';
import { mulberry32 } from '../../bench/lib/random.js';
import { DAY, HOUR, MINUTE, plan, REPLY_AFTER_MS, START, type KillStrategy, type NewChatFaults, type PlannedPurchase } from './plan.js';
import { freePort, ServiceProcess, type Reconciled } from './service-process.js';
import { messageOf } from '../../src/domain/errors.js';

/**
 * The crash suite's driver: the real service in a child process (simulator,
 * a file database, the delivery log outside the process), purchases from
 * many customers, replies from some, the clock moved forward step by step,
 * and SIGKILL at random moments, the service started again after each.
 * WhatsApp's rules on new chats play too (issue 18): new chats refused with
 * 463 and short reach-out time locks, set through the faults API; a lock
 * outlives a kill, as WhatsApp's does (set again on the new process). It
 * only drives and records; check.ts judges what it left behind.
 */

export interface CrashOptions {
  /** Seeds the plan: purchases, replies, clock steps, when and how to kill. */
  seed: number;
  customers: number;
  purchases: number;
  /** At least this many kills; the plan aims higher and falls back on idle kills if too few landed. */
  minKills: number;
  /** Real milliseconds per simulated send (half before WhatsApp accepts it): the window between claim and result. */
  sendLatencyMs: number;
  log: (line: string) => void;
  /** Changes the compiled service (a source path such as src/scheduler/send-governor.ts, its JavaScript): to prove the checks catch a broken one. */
  mutate?: (source: string, code: string) => string;
}

export interface KillRecord {
  strategy: KillStrategy;
  round: number;
  /** Delivery log lines when it was killed. */
  delivered: number;
}

export interface CrashRun {
  seed: number;
  dir: string;
  databaseFile: string;
  deliveryLog: string;
  purchases: PlannedPurchase[];
  customers: number;
  repliesSent: number;
  kills: KillRecord[];
  restarts: number;
  /** What each start after a kill found left in 'sending' (null: nothing). */
  reconciled: (Reconciled | null)[];
  /** Requests cut by a kill and sent again. */
  interruptedRequests: number;
  /** Requests that failed on a live process (a stale pooled connection) and were sent again. */
  transportRetries: number;
  /** New chats asked to be refused with 463, time locks set, and locks set again on a process started after a kill. */
  newChatFaults: { refuseNewChats: number; locks: number; locksAfterRestart: number };
  /** The outbox ids GET /api/outbox?status=unknown listed at the end: what the owner is shown. */
  reportedUnknown: number[];
  finalCounts: Record<string, number>;
  stopCode: number | null;
  rounds: number;
  simulatedDays: number;
  durationMs: number;
}

export async function runCrash(options: CrashOptions): Promise<CrashRun> {
  const began = Date.now();
  const { purchases, rounds } = plan(options.seed, options);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-crash-'));
  const flowsDir = path.join(dir, 'flows');
  const dataDir = path.join(dir, 'data');
  const deliveryLog = path.join(dir, 'delivery.log');
  const databaseFile = path.join(dataDir, 'fregues.db');
  writeCrashFlows(flowsDir);
  const compiled = compileService(options.mutate);
  const token = crypto.randomBytes(24).toString('base64url');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;

  let target = START;
  const env = (): Record<string, string> => ({
    HOME: dir,
    CHANNEL: 'simulator',
    SIMULATOR_LINKED: 'true',
    SIMULATOR_DELIVERY_LOG: deliveryLog,
    DATA_DIR: dataDir,
    FLOWS_DIR: flowsDir,
    ADMIN_TOKEN: token,
    PORT: String(port),
    HOST: '127.0.0.1',
    TIMEZONE: 'America/Sao_Paulo',
    LOCALE: 'pt-BR',
    // Every moment may send, nothing is capped or rate-limited: what is checked is crashes, not the governor's rules.
    QUIET_HOURS: 'off',
    SEND_GAP_SECONDS: '1-4',
    DAILY_SEND_CAP: '100000',
    // The same for new chats: WhatsApp's refusals and locks (the faults below) are what is played, not a ramp or a budget.
    COLD_WARMUP: 'off',
    COLD_DAILY_CAP: '100000',
    CONTACT_CAP_PER_WEEK: '100',
    API_RATE_LIMIT: '1000000',
    LOG_LEVEL: 'warn',
    // The clock starts where the killed process was last told to go.
    CRASH_CLOCK_START: String(target),
    CRASH_SEND_LATENCY_MS: String(options.sendLatencyMs),
  });

  const kills: KillRecord[] = [];
  const processes: ServiceProcess[] = [];
  let restarts = 0;
  let interruptedRequests = 0;
  let transportRetries = 0;
  let repliesSent = 0;
  const newChatFaults = { refuseNewChats: 0, locks: 0, locksAfterRestart: 0 };
  /** When WhatsApp's time lock ends (it outlives the service's process); 0: none set. */
  let lockUntil = 0;
  let fatal: Error | null = null;
  let stopping = false;
  let round = 0;

  // Set from an exit handler: read in a function of its own, where it is not narrowed away.
  const throwIfFatal = (): void => {
    if (fatal) throw fatal;
  };
  const launch = (): ServiceProcess => {
    const proc = new ServiceProcess(compiled.entry, base, env());
    processes.push(proc);
    void proc.exited.then(({ code, signal }) => {
      if (!proc.killed && !stopping) fatal ??= new Error(`the service exited by itself (code ${code}, signal ${signal}):\n${proc.output.slice(-4000)}`);
    });
    return proc;
  };
  let current = launch();
  let up: Promise<void> = current.ready();

  const deliveredLines = (): number => (fs.existsSync(deliveryLog) ? countLines(fs.readFileSync(deliveryLog)) : 0);

  // --- The killer -------------------------------------------------------------
  let armed: { strategy: KillStrategy; cancel: () => void } | null = null;
  let killing: Promise<void> = Promise.resolve();
  const disarm = (): void => {
    armed?.cancel();
    armed = null;
  };

  const killNow = (strategy: KillStrategy): void => {
    armed = null;
    killing = (async () => {
      await up; // never kill a process before it is ready (a timer may fire during a restart)
      const proc = current;
      proc.kill();
      kills.push({ strategy, round, delivered: deliveredLines() });
      up = (async () => {
        await proc.exited;
        current = launch();
        await current.ready();
        await lockAgain(current);
        restarts += 1;
      })();
      await up;
    })();
    // A start that fails rejects `up` too, which the driver awaits and reports.
    killing.catch(() => undefined);
  };

  /** The simulated WhatsApp died with the process; its time lock did not. Straight to the new process: `call` waits for this start. */
  const lockAgain = async (proc: ServiceProcess): Promise<void> => {
    if (lockUntil <= target) return;
    const response = await fetch(`${base}/api/simulator/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ timeLock: { until: new Date(lockUntil).toISOString() } }),
    });
    if (response.status !== 200) throw new Error(`setting the time lock again on ${proc.child.pid}: ${response.status} ${await response.text()}`);
    newChatFaults.locksAfterRestart += 1;
  };

  // Read-only, beside the service (WAL lets a reader in while it writes): who is being sent now.
  let watcher: Database.Database | null = null;
  const closeWatcher = (): void => {
    watcher?.close();
    watcher = null;
  };
  const arm = (strategy: Exclude<KillStrategy, 'idle'>, param: number): void => {
    if (strategy === 'claim') {
      // A row was just claimed: the message is in the record as 'sending', WhatsApp does not have it yet.
      watcher ??= new Database(databaseFile, { readonly: true, fileMustExist: true });
      const sending = watcher.prepare<[], number>("SELECT id FROM outbox WHERE status = 'sending'").pluck();
      const claimed = new Set<number>();
      const poll = setInterval(() => {
        for (const id of sending.all()) claimed.add(id);
        if (claimed.size < param) return;
        clearInterval(poll);
        killNow('claim');
      }, 1);
      armed = { strategy, cancel: () => clearInterval(poll) };
      return;
    }
    if (strategy !== 'delivery') {
      const timer = setTimeout(() => killNow(strategy), param);
      armed = { strategy, cancel: () => clearTimeout(timer) };
      return;
    }
    // A send was just accepted (its line written): the service has not recorded the result yet.
    let baseline = fs.existsSync(deliveryLog) ? fs.statSync(deliveryLog).size : 0;
    let seen = 0;
    const poll = setInterval(() => {
      const size = fs.existsSync(deliveryLog) ? fs.statSync(deliveryLog).size : 0;
      if (size <= baseline) return;
      const fd = fs.openSync(deliveryLog, 'r');
      const fresh = Buffer.alloc(size - baseline);
      fs.readSync(fd, fresh, 0, fresh.length, baseline);
      fs.closeSync(fd);
      baseline = size;
      seen += countLines(fresh);
      if (seen < param) return;
      clearInterval(poll);
      killNow('delivery');
    }, 1);
    armed = { strategy, cancel: () => clearInterval(poll) };
  };

  // --- Requests that survive kills --------------------------------------------
  const call = async (method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    for (let attempt = 0; ; attempt += 1) {
      await up;
      throwIfFatal();
      const proc = current;
      try {
        const response = await fetch(`${base}${url}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        return { status: response.status, body: text === '' ? null : JSON.parse(text) };
      } catch (error) {
        if (!proc.killed) {
          // The process died by itself (fatal), or a connection of the pool was stale: tried again, a few times.
          await new Promise((resolve) => setTimeout(resolve, 100));
          throwIfFatal();
          transportRetries += 1;
          if (!proc.killed && transportRetries > 5) throw new Error(`${method} ${url} failed on a live service`, { cause: error });
        } else {
          interruptedRequests += 1;
        }
        if (attempt >= 20) throw new Error(`${method} ${url} failed 20 times in a row`, { cause: error });
      }
    }
  };
  const expectStatus = (what: string, answer: { status: number; body: unknown }, ...allowed: number[]): void => {
    if (!allowed.includes(answer.status)) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
  };

  const boughtAt = new Map<number, number>();
  const replied = new Set<number>();
  const reply = async (): Promise<void> => {
    for (const [j, at] of boughtAt) {
      const purchase = purchases[j]!;
      if (purchase.reply === null || replied.has(j) || at + REPLY_AFTER_MS > target) continue;
      replied.add(j);
      expectStatus('reply', await call('POST', '/api/simulator/messages', { from: purchase.phone, text: purchase.reply }), 201);
      repliesSent += 1;
    }
  };
  const playNewChatFaults = async (faults: NewChatFaults): Promise<void> => {
    const body: Record<string, unknown> = {};
    if (faults.refuseNewChats > 0) body.refuseNewChats = faults.refuseNewChats;
    if (faults.lockMinutes > 0) body.timeLock = { minutes: faults.lockMinutes };
    expectStatus('faults', await call('POST', '/api/simulator/faults', body), 200);
    newChatFaults.refuseNewChats += faults.refuseNewChats;
    if (faults.lockMinutes > 0) {
      newChatFaults.locks += 1;
      lockUntil = target + faults.lockMinutes * MINUTE;
    }
  };
  const travel = async (to: number): Promise<void> => {
    target = to;
    expectStatus('clock', await call('POST', '/api/simulator/clock', { to: new Date(to).toISOString() }), 200);
  };

  try {
    await up;
    for (round = 0; round < rounds.length; round += 1) {
      const step = rounds[round]!;
      await reply();
      const kill = armed === null ? step.kill : null;
      if (kill?.strategy === 'intake') arm('intake', kill.param);
      for (const j of step.purchases) {
        const purchase = purchases[j]!;
        const answer = await call('POST', '/api/purchases', {
          externalId: purchase.externalId,
          customer: { phone: purchase.phone, name: `Cliente ${purchase.phone.slice(-4)}` },
          items: [{ name: 'Café especial', sku: 'CAFE-250', quantity: 1, unitPrice: '39,90' }],
        });
        // 200: the same order again, after a kill cut the first answer.
        expectStatus(`purchase ${purchase.externalId}`, answer, 201, 200);
        boughtAt.set(j, target);
      }
      if (step.faults) await playNewChatFaults(step.faults);
      if (kill && kill.strategy !== 'intake') arm(kill.strategy, kill.param);
      await travel(target + step.advanceMs);
      if (round % 10 === 9) {
        options.log(`round ${round + 1}/${rounds.length}: ${new Date(target).toISOString()}, ${kills.length} kills, ${deliveredLines()} delivered`);
      }
    }
    disarm();
    await killing;
    // Too few kills landed (armed ones waited for sends that did not come): kill with nothing due.
    const random = mulberry32(options.seed ^ 0x5eed);
    while (kills.length < options.minKills) {
      await new Promise((resolve) => setTimeout(resolve, Math.round(random() * 200)));
      killNow('idle');
      await killing;
      await travel(target + HOUR);
    }
    await up;
    // Everything due has been sent; one last move proves nothing is left.
    await travel(target + HOUR);
    const { body: summary } = await call('GET', '/api/outbox?limit=1');
    const reportedUnknown: number[] = [];
    for (let before: number | null = null; ; ) {
      const answer = await call('GET', `/api/outbox?status=unknown&limit=500${before === null ? '' : `&before=${before}`}`);
      expectStatus('outbox', answer, 200);
      const page = answer.body as { messages: { id: number }[]; nextBefore: number | null };
      reportedUnknown.push(...page.messages.map((row) => row.id));
      before = page.nextBefore;
      if (before === null) break;
    }
    // The reader closed first, so that the last stop checkpoints and removes the WAL as it would alone.
    closeWatcher();
    stopping = true;
    const stopCode = await current.stop();
    return {
      seed: options.seed,
      dir,
      databaseFile,
      deliveryLog,
      purchases,
      customers: options.customers,
      repliesSent,
      kills,
      restarts,
      // Read at the end: a start's log line may reach the harness after its /health answered.
      reconciled: processes.slice(1).map((proc) => proc.reconciled),
      interruptedRequests,
      transportRetries,
      newChatFaults,
      reportedUnknown,
      finalCounts: (summary as { counts: Record<string, number> }).counts,
      stopCode,
      rounds: rounds.length,
      simulatedDays: (target - START) / DAY,
      durationMs: Date.now() - began,
    };
  } catch (error) {
    const last = current.output.slice(-4000);
    throw new Error(`${messageOf(error)}\n(seed ${options.seed}, round ${round}; the last service said:)\n${last}`, { cause: error });
  } finally {
    stopping = true;
    disarm();
    closeWatcher();
    for (const proc of processes) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.kill();
    fs.rmSync(compiled.dir, { recursive: true, force: true });
  }
}

function countLines(buffer: Buffer): number {
  let lines = 0;
  for (const byte of buffer) if (byte === 10) lines += 1;
  return lines;
}
