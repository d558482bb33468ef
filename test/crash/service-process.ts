import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
/** How much of a process's output is kept, for the report when something goes wrong. */
const OUTPUT_KEPT = 64_000;

/** What the service said when it settled rows a kill left in 'sending' (its warn log line). */
export interface Reconciled {
  confirmed: number;
  unknown: number;
}

/**
 * One run of the service (test/crash/service.ts, compiled by compile.ts) as a child process: started
 * with its environment, ready once /health says the channel is open, killed
 * with SIGKILL or stopped with SIGTERM. Readiness is polled with short real
 * waits: a child process cannot be driven by the test's clock.
 */
export class ServiceProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly startedAt = Date.now();
  #output = '';
  #stdoutRest = '';
  #killed = false;
  #reconciled: Reconciled | null = null;

  constructor(
    entry: string,
    readonly baseUrl: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [entry], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.child.stdout?.on('data', (chunk: Buffer) => this.#readStdout(chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => this.#keep(chunk.toString()));
  }

  get killed(): boolean {
    return this.#killed;
  }

  get output(): string {
    return this.#output;
  }

  /** The start's reconciliation, when it found rows left in 'sending' (null: it found none). */
  get reconciled(): Reconciled | null {
    return this.#reconciled;
  }

  /** Resolves once the service answers /health with the channel open; rejects if it exits first or takes 60 s. */
  async ready(): Promise<void> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (exited) throw new Error(`the service exited before it was ready:\n${this.#output.slice(-4000)}`);
      try {
        const response = await fetch(`${this.baseUrl}/health`);
        if (response.ok) {
          const health = (await response.json()) as { channel?: { state?: string } };
          if (health.channel?.state === 'open') return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    throw new Error(`the service was not ready within 60 s:\n${this.#output.slice(-4000)}`);
  }

  kill(): void {
    this.#killed = true;
    this.child.kill('SIGKILL');
  }

  /** SIGTERM, as a service manager stops it: resolves with the exit code. */
  async stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return (await this.exited).code;
  }

  #readStdout(text: string): void {
    this.#keep(text);
    const lines = (this.#stdoutRest + text).split('\n');
    this.#stdoutRest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('interrupted sends settled at start')) continue;
      try {
        const entry = JSON.parse(line) as { confirmed?: number; unknown?: number };
        this.#reconciled = { confirmed: entry.confirmed ?? 0, unknown: entry.unknown ?? 0 };
      } catch {
        // Not a log line of ours.
      }
    }
  }

  #keep(text: string): void {
    this.#output = (this.#output + text).slice(-OUTPUT_KEPT);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
