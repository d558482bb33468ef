import type { Database } from '../db.js';

export interface StoredReport {
  week: string;
  text: string;
  /** JSON of the WeeklyReport as sent. */
  metrics: string;
  late: boolean;
  createdAt: number;
}

/** The weekly summaries sent: one per ISO week, ever. */
export interface ReportRepository {
  find(week: string): StoredReport | undefined;
  /** Records a week's summary; false (and nothing changed) when that week already has one. */
  record(report: StoredReport): boolean;
}

export function createReportRepository(db: Database): ReportRepository {
  const find = db.sqlite.prepare<[string], Omit<StoredReport, 'late'> & { late: number }>(
    'SELECT week, text, metrics, late, created_at AS createdAt FROM reports WHERE week = ?',
  );
  const insert = db.sqlite.prepare<[string, string, string, number, number]>(
    'INSERT OR IGNORE INTO reports (week, text, metrics, late, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  return {
    find: (week) => {
      const row = find.get(week);
      return row ? { ...row, late: row.late === 1 } : undefined;
    },
    record: (report) => insert.run(report.week, report.text, report.metrics, report.late ? 1 : 0, report.createdAt).changes === 1,
  };
}
