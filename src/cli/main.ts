import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { atLocal } from '../domain/local-time.js';
import { normalizePhone } from '../domain/phone.js';
import { formatFlowErrors, loadFlows } from '../flows/load-flows.js';
import { isLocale, type MessageKey, plural, translate, type Locale, translator, type Translate } from '../i18n/index.js';
import { importCustomers, parseCustomersCsv } from '../intake/import-customers.js';
import { packageVersion } from '../package-path.js';
import { systemClock, type Clock } from '../scheduler/clock.js';
import { openDatabase } from '../storage/db.js';
import { backupDatabaseFile } from '../storage/backup.js';
import { restoreDatabase } from '../storage/restore-database.js';
import { restrictNewFiles } from '../storage/file-modes.js';
import { createRepositories } from '../storage/repositories/index.js';
import { parseWeek, weekOf, weeksBefore } from '../reports/period.js';
import { weeklySummaryFor } from '../scheduler/weekly-summary.js';
import { dryRunFlow } from '../simulation/dry-run.js';
import { formatTimeline } from './format-timeline.js';
import { formatFlowInWords } from './format-flow-in-words.js';
import { describeFlow } from '../http/view-models/flow-in-words.js';
import { messageOf } from '../domain/errors.js';
import { configOf, parseOptions, startCommand } from './start-command.js';
import { integrationsCommand } from './integrations-command.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  clock?: Clock;
}

/** What every subcommand speaks through: the process, the words of LOCALE, stdout, and stderr with exit code 1. */
export interface Shell {
  io: CliIo;
  t: Translate;
  print: (text: string) => void;
  fail: (text: string) => number;
}

/** Exit codes: 0 done, 1 failed (nothing written), 2 done but some rows were rejected. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const locale: Locale = isLocale(io.env.LOCALE ?? '') ? (io.env.LOCALE as Locale) : 'pt-BR';
  const t = translator(locale);
  const print = (text: string) => io.stdout.write(`${text}\n`);
  const fail = (text: string) => {
    io.stderr.write(`${text}\n`);
    return 1;
  };
  const shell: Shell = { io, t, print, fail };

  // Files the CLI makes (a database, a backup) are its user's only, as the service's are.
  restrictNewFiles();
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      print(t('cli.usage'));
      return 0;
    case 'version':
    case '--version':
    case '-v':
      print(packageVersion());
      return 0;
    case 'import':
      return importCommand(rest, shell);
    case 'flows':
      return flowsCommand(rest, shell);
    case 'report':
      return reportCommand(rest, shell);
    case 'backup':
      return backupCommand(rest, shell);
    case 'restore':
      return restoreCommand(rest, shell);
    case 'integrations':
      return integrationsCommand(rest, shell);
    default:
      io.stderr.write(`${t('cli.unknown_command', { command })}\n\n${t('cli.usage')}\n`);
      return 1;
  }
}

async function importCommand(
  args: string[],
  { io, t, print, fail }: Shell,
): Promise<number> {
  const started = startCommand(args, { 'dry-run': { type: 'boolean', default: false } }, io, ([file]) =>
    file === undefined ? t('cli.import.missing_file') : { file },
  );
  if (typeof started === 'string') return fail(started);
  const { values, positionals: { file }, config, clock } = started;

  let content: Buffer;
  const filePath = path.resolve(io.cwd, file);
  try {
    content = fs.readFileSync(filePath);
  } catch (error) {
    return fail(cannotRead(file, error, t));
  }

  const ctx = { locale: config.locale, defaultCountry: config.defaultCountry, currency: config.currency, clock };
  const parsed = parseCustomersCsv(content, ctx);
  if (!parsed.ok) return fail(t('error.invalid_csv', { detail: parsed.message }));

  const db = openDatabase(config.databaseFile);
  const bar = io.stderr.isTTY
    ? new cliProgress.SingleBar({ format: t('cli.import.progress'), stream: io.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  try {
    bar?.start(parsed.value.rows.length, 0);
    const dryRun = values['dry-run'];
    const report = importCustomers(createRepositories(db), parsed.value, clock.now(), {
      dryRun,
      onProgress: (done) => bar?.update(done),
    });
    bar?.stop();
    const counts = { imported: report.imported, created: report.created, updated: report.updated, rejected: report.rejected.length };
    print(t(dryRun ? 'cli.import.dry_run_summary' : 'cli.import.summary', counts));
    if (report.suppressed > 0) print(t('cli.import.suppressed', { count: report.suppressed }));
    if (report.ignoredColumns.length > 0) print(t('cli.import.ignored_columns', { columns: report.ignoredColumns.join(', ') }));
    for (const row of report.rejected) print(t('cli.import.rejected_row', { line: row.line, reason: row.reason }));
    for (const row of report.notes) print(t('cli.import.note_row', { line: row.line, note: row.note }));
    return report.rejected.length > 0 ? 2 : 0;
  } catch (error) {
    bar?.stop();
    return fail(t('cli.import.failed', { detail: messageOf(error) }));
  } finally {
    db.close();
  }
}

/**
 * `fregues flows check [dir]`: 0 when every flow loads, then each flow in plain words; 1 with every error
 * otherwise. `flows simulate`: see below.
 */
async function flowsCommand(
  args: string[],
  shell: Shell,
): Promise<number> {
  const { io, t, print, fail } = shell;
  const [subcommand, dirArgument, ...extra] = args;
  if (subcommand === 'simulate') return simulateCommand(args.slice(1), shell);
  if (subcommand !== 'check' || extra.length > 0) {
    io.stderr.write(`${t('cli.unknown_command', { command: ['flows', ...args].join(' ') })}\n\n${t('cli.usage')}\n`);
    return 1;
  }

  const config = configOf(io);
  if (typeof config === 'string') return fail(config);

  const dir = dirArgument === undefined ? config.flowsDir : path.resolve(io.cwd, dirArgument);
  const shown = dirArgument ?? (path.relative(io.cwd, dir) || '.');
  const { flows, errors } = loadFlows(dir, { locale: config.locale });
  if (errors.length > 0) {
    return fail(`${formatFlowErrors(errors)}\n${t('flow.check.failed', { count: errors.length, dir: shown })}`);
  }
  for (const flow of flows) {
    print(t('flow.check.flow', { id: flow.id, version: flow.version, name: flow.name, trigger: t(`flow.check.trigger.${flow.trigger.type}`), steps: flow.steps.length }));
  }
  print(flows.length === 0 ? t('flow.check.empty', { dir: shown }) : t('flow.check.ok', { count: flows.length, dir: shown }));
  // Then each flow as the Fluxos page says it, so that a seller editing YAML sees what it will do.
  for (const flow of flows) print(`\n${formatFlowInWords(describeFlow(flow, config.locale), t)}`);
  return 0;
}

/**
 * `fregues flows simulate <flow-id> [--phone] [--name] [--answers "9,sim"] [--answer "text, with comma"] [--days 30] [--start ISO] [--warm] [--dir]`:
 * the timeline one customer would see, computed on an in-memory copy of everything; the customer never
 * wrote to the shop (cold) unless --warm.
 */
async function simulateCommand(
  args: string[],
  { io, t, print, fail }: Shell,
): Promise<number> {
  const parsedArgs = parseOptions(args, {
        phone: { type: 'string', default: '+55 11 91234-5678' },
        name: { type: 'string', default: 'Ana' },
        answers: { type: 'string', multiple: true, default: [] },
        answer: { type: 'string', multiple: true, default: [] },
        days: { type: 'string', default: '30' },
        start: { type: 'string' },
        warm: { type: 'boolean', default: false },
        dir: { type: 'string' },
      });
  if (typeof parsedArgs === 'string') return fail(parsedArgs);
  const { values, positionals } = parsedArgs;
  const [flowId, ...extra] = positionals;
  if (flowId === undefined) return fail(t('cli.simulate.missing_flow'));
  if (extra.length > 0) return fail(t('cli.unknown_command', { command: ['flows', 'simulate', ...positionals].join(' ') }));

  const config = configOf(io);
  if (typeof config === 'string') return fail(config);

  const days = Number(values.days);
  if (!/^\d+$/.test(values.days) || days < 1 || days > 366) return fail(t('cli.simulate.bad_days', { value: values.days }));
  const start = values.start === undefined ? (io.clock ?? systemClock).now() : parseLocalStart(values.start, config.timezone);
  if (start === null) return fail(t('cli.simulate.bad_start', { value: values.start ?? '' }));
  const phone = normalizePhone(values.phone, config.defaultCountry);
  if (!phone.ok) return fail(t('cli.simulate.bad_phone', { value: values.phone, reason: translate(config.locale, `phone.${phone.problem}`) }));

  const dir = values.dir === undefined ? config.flowsDir : path.resolve(io.cwd, values.dir);
  const shown = values.dir ?? (path.relative(io.cwd, dir) || '.');
  const { flows, errors } = loadFlows(dir, { locale: config.locale });
  if (errors.length > 0) return fail(`${formatFlowErrors(errors)}\n${t('flow.check.failed', { count: errors.length, dir: shown })}`);
  const flow = flows.find((candidate) => candidate.id === flowId);
  if (!flow) return fail(t('cli.simulate.unknown_flow', { id: flowId, dir: shown, ids: flows.map((known) => known.id).join(', ') || '-' }));

  const answers = [...values.answers.flatMap((list) => list.split(',')), ...values.answer].map((answer) => answer.trim()).filter((answer) => answer !== '');
  const result = await dryRunFlow(flow, config, { phone: phone.e164, name: values.name, answers, days, start, warm: values.warm });
  print(formatTimeline(flow, phone.e164, result, config, start));
  return 0;
}

/** `fregues report weekly [--week] [--send]`: prints the summary, or queues it for OWNER_PHONE. */
async function reportCommand(
  args: string[],
  { io, t, print, fail }: Shell,
): Promise<number> {
  const started = startCommand(args, { week: { type: 'string' }, send: { type: 'boolean', default: false } }, io, (positionals) => {
    if (positionals.length === 1 && positionals[0] === 'weekly') return {};
    return positionals.length === 0 ? t('cli.report.missing') : t('cli.unknown_command', { command: ['report', ...positionals].join(' ') });
  });
  if (typeof started === 'string') return fail(started);
  const { values, config, clock } = started;
  const week = values.week === undefined ? weeksBefore(weekOf(clock.now(), config.timezone), 1, config.timezone) : parseWeek(values.week, config.timezone);
  if (!week) return fail(t('cli.report.bad_week', { value: values.week ?? '' }));

  // A flows folder with errors still tells the inactivity threshold of the flows that load.
  const { flows } = loadFlows(config.flowsDir, { locale: config.locale });
  const db = openDatabase(config.databaseFile);
  const weekly = weeklySummaryFor(config, { repos: createRepositories(db), clock, flows });
  try {
    if (!values.send) {
      print(weekly.prepare(week).rendered.text);
      return 0;
    }
    const outcome = await weekly.send(week);
    if (!outcome.queued) return fail(t('error.owner_phone_missing'));
    print(t('cli.report.queued', { week: week.id, recipients: plural(config.locale, 'count.owner_numbers', outcome.recipients) }));
    return 0;
  } finally {
    weekly.stop();
    db.close();
  }
}

/** `fregues backup [--dir folder]`: an online backup of the database, safe while the service runs; rotated to BACKUP_KEEP. */
async function backupCommand(
  args: string[],
  { io, t, print, fail }: Shell,
): Promise<number> {
  const started = startCommand(args, { dir: { type: 'string' } }, io, (positionals) =>
    positionals.length > 0 ? t('cli.unknown_command', { command: ['backup', ...positionals].join(' ') }) : {},
  );
  if (typeof started === 'string') return fail(started);
  const { values, config, clock } = started;
  if (!fs.existsSync(config.databaseFile)) return fail(t('cli.backup.no_database', { file: config.databaseFile }));

  const dir = values.dir === undefined ? config.backupDir : path.resolve(io.cwd, values.dir);
  try {
    const startedAt = performance.now();
    const result = await backupDatabaseFile(config.databaseFile, { dir, keep: config.backupKeep, now: clock.now() });
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    print(t('cli.backup.done', { file: result.file, size: formatSize(result.bytes), seconds, removed: result.removed.length, keep: config.backupKeep }));
    return 0;
  } catch (error) {
    return fail(t('cli.backup.failed', { detail: messageOf(error) }));
  }
}

/** `fregues restore <file>`: puts a checked backup in place of the database, never under a running service. */
async function restoreCommand(
  args: string[],
  { io, t, print, fail }: Shell,
): Promise<number> {
  const started = startCommand(args, {}, io, (positionals) => {
    const [file, ...extra] = positionals;
    if (file === undefined) return t('cli.restore.missing_file');
    return extra.length > 0 ? t('cli.unknown_command', { command: ['restore', ...positionals].join(' ') }) : { file };
  });
  if (typeof started === 'string') return fail(started);
  const { positionals: { file }, config, clock } = started;

  const source = path.resolve(io.cwd, file);
  const result = await restoreDatabase(source, {
    databaseFile: config.databaseFile,
    backupDir: config.backupDir,
    keep: config.backupKeep,
    now: clock.now(),
  });
  if (!result.ok) return fail(t(`cli.restore.refused.${result.problem}`, { file, detail: result.detail, database: config.databaseFile }));
  print(t('cli.restore.done', { file, database: config.databaseFile, customers: result.customers }));
  if (result.previous !== null) print(t('cli.restore.previous', { file: result.previous }));
  return 0;
}

/** The usual system codes of a file that cannot be read, said in words; any other one is named. */
const READ_PROBLEMS: Record<string, MessageKey> = {
  ENOENT: 'cli.import.not_found',
  EISDIR: 'cli.import.is_directory',
  EACCES: 'cli.import.no_permission',
  EPERM: 'cli.import.no_permission',
};

function cannotRead(file: string, error: unknown, t: Translate): string {
  const code = (error as NodeJS.ErrnoException).code;
  const key = code === undefined ? undefined : READ_PROBLEMS[code];
  return key === undefined ? t('cli.import.cannot_read', { file, detail: code ?? messageOf(error) }) : t(key, { file });
}

function formatSize(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** An ISO date-time; without an offset it is read in the shop's time zone, as a seller would mean it. */
function parseLocalStart(text: string, timezone: string): number | null {
  // Without a zone it is a local time in TIMEZONE (seconds, if given, are dropped).
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,3})?)?)?$/.exec(text.trim());
  if (local) {
    const [, year, month, day, hour = '09', minute = '00'] = local;
    if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31 || Number(hour) > 23 || Number(minute) > 59) return null;
    return atLocal(Number(year), Number(month), Number(day), Number(hour) * 60 + Number(minute), timezone);
  }
  const parsed = Date.parse(text);
  return /^\d{4}-\d{2}-\d{2}T/.test(text) && Number.isFinite(parsed) ? parsed : null;
}
