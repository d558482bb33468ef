import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main.js';
import type { Clock } from '../../src/scheduler/clock.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** stdout, line by line. */
  lines: string[];
}

/** The `fregues` command run in-process, with its output captured; `tty` makes stderr a terminal (progress bars). */
export async function runFregues(args: string[], io: { cwd: string; env?: Record<string, string>; clock?: Clock; tty?: boolean }): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: io.tty ?? false, columns: 80, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCli(args, { stdout, stderr, env: io.env ?? {}, cwd: io.cwd, ...(io.clock ? { clock: io.clock } : {}) });
  return { code, out, err, lines: out.trimEnd().split('\n') };
}
