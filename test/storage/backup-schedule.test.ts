import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackupSchedule } from '../../src/scheduler/backup-schedule.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { listBackups } from '../../src/storage/backup.js';
import { openDatabase, type Database } from '../../src/storage/db.js';

let dir: string;
let db: Database;
let schedule: BackupSchedule | undefined;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-backup-schedule-'));
  db = openDatabase(path.join(dir, 'fregues.db'));
});
afterEach(async () => {
  await schedule?.stop();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function daily(clock: ManualClock, keep = 7, onError?: (error: unknown) => void): BackupSchedule {
  // 03:30 in São Paulo is 06:30 UTC.
  schedule = new BackupSchedule({ sqlite: db.sqlite, dir: path.join(dir, 'backups'), keep, cron: '30 3 * * *', timezone: 'America/Sao_Paulo', clock, ...(onError ? { onError } : {}) });
  return schedule;
}
const made = () => listBackups(path.join(dir, 'backups')).map((backup) => new Date(backup.at).toISOString()).reverse();

describe('the backup schedule', () => {
  it('backs up a database that has no backup at once, then at every BACKUP_CRON moment, once', async () => {
    const clock = new ManualClock('2026-12-06T15:00:00Z');
    const backups = daily(clock);
    expect(await backups.check()).not.toBeNull();
    expect(await backups.check()).toBeNull();
    clock.set('2026-12-07T06:29:59Z');
    expect(await backups.check()).toBeNull();
    expect(backups.nextDueAt()).toBe(Date.parse('2026-12-07T06:30:00Z'));
    clock.set('2026-12-07T06:30:00Z');
    expect(await backups.check()).not.toBeNull();
    expect(await backups.check()).toBeNull();
    expect(made()).toEqual(['2026-12-06T15:00:00.000Z', '2026-12-07T06:30:00.000Z']);
  });

  it('backs up at once even when the clock moves between two readings (a busy machine)', async () => {
    // Each reading a millisecond later than the one before, as Date.now() on a loaded machine.
    const clock = new ManualClock('2026-12-06T15:00:00Z');
    const now = clock.now.bind(clock);
    clock.now = () => {
      const at = now();
      clock.advance(1);
      return at;
    };
    expect(await daily(clock).check()).not.toBeNull();
    expect(made()).toEqual(['2026-12-06T15:00:00.000Z']);
  });

  it('catches up a moment missed while the service was down, once, and a clock set back backs up nothing', async () => {
    const clock = new ManualClock('2026-12-06T06:30:00Z');
    await daily(clock).check();
    await schedule!.stop();
    // Down for three days: one backup at the next start, not three.
    clock.set('2026-12-09T12:00:00Z');
    const restarted = daily(clock);
    await restarted.check();
    await restarted.check();
    clock.set('2026-12-08T07:00:00Z');
    expect(await restarted.check()).toBeNull();
    expect(made()).toEqual(['2026-12-06T06:30:00.000Z', '2026-12-09T12:00:00.000Z']);
  });

  it('counts a backup made by hand (fregues backup): the next is at the next moment after it', async () => {
    const clock = new ManualClock('2026-12-06T06:30:00Z');
    await daily(clock).check();
    fs.writeFileSync(path.join(dir, 'backups', 'fregues-20261207-080000-000.db'), '');
    clock.set('2026-12-07T09:00:00Z');
    expect(await schedule!.check()).toBeNull();
    expect(schedule!.nextDueAt()).toBe(Date.parse('2026-12-08T06:30:00Z'));
  });

  it('rotates to BACKUP_KEEP', async () => {
    const clock = new ManualClock('2026-12-06T06:30:00Z');
    const backups = daily(clock, 2);
    for (let day = 0; day < 4; day += 1) {
      await backups.check();
      clock.advance(86_400_000);
    }
    expect(made()).toEqual(['2026-12-08T06:30:00.000Z', '2026-12-09T06:30:00.000Z']);
  });

  it('after a failure tries again in an hour, not at every tick', async () => {
    const clock = new ManualClock('2026-12-06T06:30:00Z');
    const errors: unknown[] = [];
    // The backup folder's place is taken by a file: the backup cannot be written.
    fs.writeFileSync(path.join(dir, 'backups'), 'not a folder');
    const backups = daily(clock, 7, (error) => errors.push(error));
    expect(await backups.check()).toBeNull();
    clock.advance(59 * 60_000);
    expect(await backups.check()).toBeNull();
    expect(errors).toHaveLength(1);
    fs.rmSync(path.join(dir, 'backups'));
    clock.advance(60_000);
    expect(await backups.check()).not.toBeNull();
    expect(errors).toHaveLength(1);
  });

  it('stop() waits for a backup under way, so the database can close after it', async () => {
    const clock = new ManualClock('2026-12-06T06:30:00Z');
    const backups = daily(clock);
    const running = backups.check();
    await backups.stop();
    expect(made()).toHaveLength(1);
    expect(await running).not.toBeNull();
    expect(await backups.check()).toBeNull();
  });
});
