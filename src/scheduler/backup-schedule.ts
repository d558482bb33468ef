/**
 * The service's own backups, at BACKUP_CRON in TIMEZONE. node-cron only
 * ticks (once a minute); what is due comes from the newest backup in the
 * folder, whoever made it: a moment missed while the service was down is
 * caught up at the next tick, a `fregues backup` by hand counts, a clock set
 * back backs up nothing, and a database with no backup at all gets one at once.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from './clock.js';
import { backupDatabase, listBackups, type BackupResult } from '../storage/backup.js';
import type { Sqlite } from '../storage/db.js';

/**
 * 4 MB per step at 4 KiB pages: between steps requests and sends go on. A step
 * is milliseconds from the page cache; with the disk busy writing the copy
 * back, the longest measured was a few hundred (bench/backup.ts).
 */
export const BACKUP_PAGES_PER_STEP = 1024;
/** After a failed backup (a full disk, a folder gone), the next try waits this long: one log line an hour, not one a minute. */
const RETRY_AFTER_MS = 60 * 60_000;

export interface BackupScheduleOptions {
  sqlite: Sqlite;
  dir: string;
  keep: number;
  /** BACKUP_CRON. */
  cron: string;
  timezone: string;
  clock: Clock;
  onBackup?: (result: BackupResult, ms: number) => void;
  onError?: (error: unknown) => void;
}

export class BackupSchedule {
  readonly #o: BackupScheduleOptions;
  /** node-cron's matcher, walked on the schedule's own clock (as the weekly summary does). */
  readonly #matcher: { getNextMatch(date: Date): Date };
  #task: ScheduledTask | undefined;
  #running: Promise<BackupResult | null> | null = null;
  #stopped = false;
  #retryAt = -Infinity;

  constructor(options: BackupScheduleOptions) {
    this.#o = options;
    const matcherTask = cron.createTask(options.cron, () => undefined, { timezone: options.timezone, name: 'fregues-backup-matcher' });
    // Not in node-cron's typed API (pinned in package.json): a version without it fails here, at start.
    const matcher = (matcherTask as unknown as { timeMatcher?: { getNextMatch?: (date: Date) => Date } }).timeMatcher;
    if (typeof matcher?.getNextMatch !== 'function') throw new Error('node-cron no longer exposes its time matcher: backups cannot find their moments');
    this.#matcher = matcher as { getNextMatch(date: Date): Date };
  }

  /**
   * When the next backup is due: `now` when there is none, otherwise the first moment of the
   * schedule after the newest. check() passes the moment it read: reading the clock a second time
   * here made "none yet" due a millisecond after it on a busy machine, so no backup at once.
   */
  nextDueAt(now = this.#o.clock.now()): number {
    const newest = listBackups(this.#o.dir)[0];
    if (!newest) return now;
    return this.#matcher.getNextMatch(new Date(newest.at)).getTime();
  }

  /** Backs up when due; null when not due, stopped, or a backup is already under way. */
  async check(): Promise<BackupResult | null> {
    if (this.#stopped || this.#running) return null;
    const now = this.#o.clock.now();
    if (now < this.nextDueAt(now) || (now < this.#retryAt && now >= this.#retryAt - RETRY_AFTER_MS)) return null;
    this.#running = this.#backUp(now);
    try {
      return await this.#running;
    } finally {
      this.#running = null;
    }
  }

  start(): void {
    this.#task = cron.schedule('* * * * *', () => void this.check(), { name: 'fregues-backup', noOverlap: true });
    void this.check();
  }

  /** Stops ticking and waits for a backup under way, so the database can close. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#task?.stop();
    await this.#running;
  }

  async #backUp(now: number): Promise<BackupResult | null> {
    const started = performance.now();
    try {
      const result = await backupDatabase(this.#o.sqlite, { dir: this.#o.dir, keep: this.#o.keep, now, pagesPerStep: BACKUP_PAGES_PER_STEP });
      this.#retryAt = -Infinity;
      this.#o.onBackup?.(result, performance.now() - started);
      return result;
    } catch (error) {
      this.#retryAt = now + RETRY_AFTER_MS;
      this.#o.onError?.(error);
      return null;
    }
  }
}
