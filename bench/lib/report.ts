import os from 'node:os';

/** The machine a figure was measured on, to print next to it. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function formatRate(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} req/s`;
}
