import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stopQuietlyOnClosedPipe } from '../../src/cli/closed-pipe.js';

// Issue 20: `npx fregues report | head -1` printed an English stack trace (EPIPE).

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the CLI when its reader closes the pipe', () => {
  it('stops quietly with 0 on EPIPE, and throws any other stream error again', () => {
    const stream = new EventEmitter();
    const exits: number[] = [];
    stopQuietlyOnClosedPipe(stream, (code) => exits.push(code));
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }));
    expect(exits).toEqual([0]);
    const other = Object.assign(new Error('write EIO'), { code: 'EIO' });
    expect(() => stream.emit('error', other)).toThrow(other);
  });

  it('`fregues help` whose stdout is closed at once: no stack trace, exit 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'help'], { cwd: ROOT, env: { ...process.env, LOCALE: 'pt-BR' }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader goes away before the command writes (as `head -1` does after its line).
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    expect(err).toBe('');
    expect(code).toBe(0);
  }, 30_000);
});
