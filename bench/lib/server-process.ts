import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  url: string;
  /** Starts counting requests and CPU time from now. */
  reset(): void;
  /** CPU time (user + system) the server spent per request since reset. */
  report(): Promise<{ requests: number; cpuMicrosPerRequest: number }>;
  stop(): Promise<void>;
}

/**
 * The options `npm start` gives node (`"start": "node --flag dist/main.js"`), so that
 * a benchmark server runs as the service does; every server gets the same ones.
 */
export function startNodeOptions(startScript: string | undefined): string[] {
  const words = (startScript ?? '').trim().split(/\s+/);
  if (words[0] !== 'node') return [];
  const options: string[] = [];
  for (const word of words.slice(1)) {
    if (!word.startsWith('-')) break;
    options.push(word);
  }
  return options;
}

const packageJson = JSON.parse(fs.readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { scripts?: { start?: string } };

/**
 * Starts a benchmark server (bench/servers/<script>) in its own process, with the
 * node options of `npm start`, pinned to the last core when the machine has two
 * or more, so that the load generator (this process) does not compete with it
 * for the same core.
 */
export async function startServer(script: string, args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const entry = fileURLToPath(new URL(`../servers/${script}`, import.meta.url));
  const command = [process.execPath, ...startNodeOptions(packageJson.scripts?.start), entry, ...args];
  const cpus = os.cpus().length;
  const pinned = cpus >= 2 && fs.existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', '-c', String(cpus - 1), ...command] : command;
  const child: ChildProcess = spawn(pinned[0]!, pinned.slice(1), {
    // The server logs as in production (JSON lines on stdout); here nobody reads them.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port?: number }) => (message.port ? resolve(message.port) : reject(new Error('no port'))));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    reset: () => child.send('reset'),
    report: () =>
      new Promise((resolve) => {
        child.once('message', (message: { requests: number; cpuMicrosPerRequest: number }) => resolve(message));
        child.send('report');
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
