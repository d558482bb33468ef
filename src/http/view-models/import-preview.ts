import type { Translate } from '../../i18n/index.js';
import type { ImportReport } from '../../intake/import-customers.js';

/** What the import page shows of a report: the dry run before, the real run after. */
export interface ImportSummaryView {
  summary: string;
  suppressed: string | null;
  rejected: { line: number; reason: string }[];
  notes: { line: number; note: string }[];
  ignoredColumns: string[];
  /** Rows that would be written: the confirm button is shown only when there is one. */
  importable: number;
}

export function buildImportSummary(report: ImportReport, t: Translate): ImportSummaryView {
  const counts = { rows: report.rows, created: report.created, updated: report.updated, rejected: report.rejected.length };
  return {
    summary: report.dryRun ? t('page.import.summary', counts) : t('page.import.done', counts),
    suppressed: report.suppressed > 0 ? t('page.import.suppressed', { count: report.suppressed }) : null,
    rejected: report.rejected,
    notes: report.notes,
    ignoredColumns: report.ignoredColumns,
    importable: report.imported,
  };
}
