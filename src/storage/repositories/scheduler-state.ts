import type { Database } from '../db.js';

/** Small facts the scheduler keeps across restarts. */
export interface SchedulerState {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export function createSchedulerState(db: Database): SchedulerState {
  const get = db.sqlite.prepare<[string], string>('SELECT value FROM scheduler_state WHERE key = ?').pluck();
  const set = db.sqlite.prepare<[string, string]>(
    'INSERT INTO scheduler_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    get: (key) => get.get(key),
    set: (key, value) => {
      set.run(key, value);
    },
  };
}
