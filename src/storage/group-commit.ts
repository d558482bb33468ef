import type { Database } from './db.js';

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes that arrive in the same turn of the event loop share one
 * transaction, and so one fsync, instead of paying one each. A job's promise
 * settles only after the shared commit: an answer is never sent for a write
 * that is not durable.
 *
 * Jobs are synchronous database work whose only effects are their writes,
 * because a job may run twice: when one job of a batch throws, the batch is
 * rolled back and every job is run again in a savepoint of its own, so that
 * the failing one is undone alone. Savepoints cost a statement journal each,
 * so the common case (nothing fails) runs without them.
 */
export class GroupCommit {
  readonly #db: Database;
  readonly #maxBatch: number;
  #queue: Job[] = [];
  #scheduled = false;

  constructor(db: Database, options: { maxBatch?: number } = {}) {
    this.#db = db;
    this.#maxBatch = options.maxBatch ?? 1000;
  }

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#queue.splice(0, this.#maxBatch);
    if (this.#queue.length > 0) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }

    let outcomes: Outcome[];
    try {
      outcomes = this.#db.transaction(() => batch.map((job): Outcome => ({ ok: true, value: job.work() })));
    } catch {
      // Some job threw and the whole batch was rolled back: isolate it.
      try {
        outcomes = this.#db.transaction(() => batch.map((job) => this.#isolated(job)));
      } catch (error) {
        // The commit itself failed (disk full, I/O error): nothing of the batch is stored.
        for (const job of batch) job.reject(error);
        return;
      }
    }
    batch.forEach((job, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  #isolated(job: Job): Outcome {
    try {
      return { ok: true, value: this.#db.savepoint(job.work) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
