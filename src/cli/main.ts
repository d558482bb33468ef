import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../config.js';
import { isLocale, translate, type Locale, type MessageKey } from '../i18n/index.js';
import { importCustomers, parseCustomersCsv } from '../intake/import-customers.js';
import { packageVersion } from '../package-path.js';
import { systemClock, type Clock } from '../scheduler/clock.js';
import { openDatabase } from '../storage/db.js';
import { createRepositories } from '../storage/repositories/index.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  clock?: Clock;
}

/** Exit codes: 0 done, 1 failed (nothing written), 2 done but some rows were rejected. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const locale: Locale = isLocale(io.env.LOCALE ?? '') ? (io.env.LOCALE as Locale) : 'pt-BR';
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const print = (text: string) => io.stdout.write(`${text}\n`);
  const fail = (text: string) => {
    io.stderr.write(`${text}\n`);
    return 1;
  };

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
      return importCommand(rest, io, t, print, fail);
    default:
      io.stderr.write(`${t('cli.unknown_command', { command })}\n\n${t('cli.usage')}\n`);
      return 1;
  }
}

async function importCommand(
  args: string[],
  io: CliIo,
  t: (key: MessageKey, params?: Record<string, string | number>) => string,
  print: (text: string) => void,
  fail: (text: string) => number,
): Promise<number> {
  let parsedArgs;
  try {
    parsedArgs = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean', default: false } } });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const [file] = parsedArgs.positionals;
  if (file === undefined) return fail(t('cli.import.missing_file'));

  let config;
  try {
    config = loadConfig(io.env, io.cwd);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }

  let content: Buffer;
  const filePath = path.resolve(io.cwd, file);
  try {
    content = fs.readFileSync(filePath);
  } catch (error) {
    return fail(t('cli.import.cannot_read', { file, detail: (error as NodeJS.ErrnoException).code ?? String(error) }));
  }

  const clock = io.clock ?? systemClock;
  const ctx = { locale: config.locale, defaultCountry: config.defaultCountry, currency: config.currency, clock };
  const parsed = parseCustomersCsv(content, ctx);
  if (!parsed.ok) return fail(t('error.invalid_csv', { detail: parsed.message }));

  const db = openDatabase(config.databaseFile);
  const bar = io.stderr.isTTY
    ? new cliProgress.SingleBar({ format: t('cli.import.progress'), stream: io.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  try {
    bar?.start(parsed.value.rows.length, 0);
    const dryRun = parsedArgs.values['dry-run'];
    const report = importCustomers(createRepositories(db), parsed.value, clock.now(), {
      dryRun,
      onProgress: (done) => bar?.update(done),
    });
    bar?.stop();
    const counts = { imported: report.imported, created: report.created, updated: report.updated, rejected: report.rejected.length };
    print(t(dryRun ? 'cli.import.dry_run_summary' : 'cli.import.summary', counts));
    for (const row of report.rejected) print(t('cli.import.rejected_row', { line: row.line, reason: row.reason }));
    return report.rejected.length > 0 ? 2 : 0;
  } catch (error) {
    bar?.stop();
    return fail(t('cli.import.failed', { detail: error instanceof Error ? error.message : String(error) }));
  } finally {
    db.close();
  }
}
