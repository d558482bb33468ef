import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
let dir: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-main-'));
});
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the real service (src/main.ts) in `dir`, with no .env and only the given variables. */
function start(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  const proc = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'src/main.ts')], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child = proc;
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { child: proc, output: () => output, exited };
}

/** Polls for up to 50 s (a loaded CI machine starts tsx slowly), inside the tests' 60 s. */
async function waitFor(condition: () => boolean, what: string, output: () => string): Promise<void> {
  for (let i = 0; i < 1000; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
}

describe('the service process', () => {
  it('starts with no .env on its defaults, creates ./data, and stops cleanly on SIGTERM', async () => {
    // A fresh checkout has the shipped flows in ./flows.
    fs.cpSync(path.join(root, 'flows'), path.join(dir, 'flows'), { recursive: true });
    const port = await freePort();
    const service = start({ PORT: String(port) });
    await waitFor(() => service.output().includes('fregues no ar em'), 'the service to listen', service.output);
    // Its output is a pipe, not a terminal: LOG_FORMAT=auto writes JSON lines.
    const listening = service.output().split('\n').find((text) => text.includes('fregues no ar em'));
    expect(JSON.parse(listening!)).toMatchObject({ level: 30, msg: `fregues no ar em http://127.0.0.1:${port}` });

    const tokenFile = path.join(dir, 'data', 'admin-token');
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    expect(service.output()).toContain(tokenFile);
    expect(service.output()).not.toContain(token);

    // The database's details are for the token (issue 16): without it /health says only up or down.
    const health = await fetch(`http://127.0.0.1:${port}/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ database: { ok: true, journalMode: 'wal', synchronous: 'full' } });

    const purchase = await fetch(`http://127.0.0.1:${port}/api/purchases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customer: { phone: '(11) 91234-5678' }, items: [{ name: 'Café' }] }),
    });
    expect(purchase.status).toBe(201);
    const answer = (await purchase.json()) as { runs: { flowId: string }[] };
    expect(answer.runs.map((run) => run.flowId)).toContain('pos-compra');

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.output()).toContain('Encerrando (SIGTERM)');
    // A clean close checkpoints the WAL into the database and removes it.
    expect(fs.existsSync(path.join(dir, 'data', 'fregues.db'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'data', 'fregues.db-wal'))).toBe(false);
  }, 60_000);

  it('merges customers split by the ninth digit at start, once, and logs which with the numbers masked', async () => {
    // A database the code before the fix made (test/fixtures/split-customers/make-fixture.ts).
    fs.cpSync(path.join(root, 'flows'), path.join(dir, 'flows'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'data'), { mode: 0o700 });
    fs.copyFileSync(path.join(root, 'test/fixtures/split-customers/split-customers.db'), path.join(dir, 'data', 'fregues.db'));
    const env = { PORT: String(await freePort()), CHANNEL: 'simulator' };

    const first = start(env);
    await waitFor(() => first.output().includes('fregues no ar em'), 'the service to listen', first.output);
    const line = first.output().split('\n').find((text) => text.includes('juntados'));
    expect(line).toContain('Clientes duplicados pelo nono dígito juntados: 1 (+55******8527 → +55*******8527); números corrigidos para a forma com o 9: 1');
    expect(first.output()).not.toContain('99668527');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = start(env);
    await waitFor(() => second.output().includes('fregues no ar em'), 'the service to listen', second.output);
    expect(second.output()).not.toContain('juntados');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);

  it('writes readable lines with LOG_FORMAT=pretty: local time, level in the locale, message', async () => {
    const port = await freePort();
    const service = start({ PORT: String(port), CHANNEL: 'simulator', FLOWS_DIR: path.join(root, 'flows'), LOG_FORMAT: 'pretty' });
    await waitFor(() => service.output().includes('fregues no ar em'), 'the service to listen', service.output);
    expect(service.output()).toMatch(new RegExp(`^\\d{2}:\\d{2}:\\d{2} INFO fregues no ar em http://127\\.0\\.0\\.1:${port}$`, 'm'));
    expect(service.output()).not.toMatch(/^\{"level"/m);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  }, 60_000);

  it('refuses to start with a wrong variable and says which and why', async () => {
    const service = start({ PORT: 'abc', TIMEZONE: 'Mars/Olympus' });
    expect(await service.exited).toBe(1);
    expect(service.output()).toContain('PORT="abc": deve ser um número inteiro de 1 a 65535');
    expect(service.output()).toContain('TIMEZONE="Mars/Olympus"');
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
  }, 60_000);

  it('refuses to start on a port already taken, says so in the seller\'s words, and exits with 1', async () => {
    const taken = net.createServer();
    const port = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as net.AddressInfo).port)));
    try {
      const service = start({ PORT: String(port), CHANNEL: 'simulator', FLOWS_DIR: path.join(root, 'flows') });
      expect(await service.exited).toBe(1);
      expect(service.output()).toContain(`O fregues não conseguiu abrir 127.0.0.1:${port}`);
      expect(service.output()).toContain('Outro programa já usa essa porta? Mude PORT ou HOST.');
    } finally {
      taken.close();
    }
  }, 60_000);

  it('refuses to start with a broken flow, naming the file and line', async () => {
    fs.mkdirSync(path.join(dir, 'flows'));
    fs.writeFileSync(path.join(dir, 'flows', 'quebrado.yaml'), 'id: quebrado\nname: Quebrado\ntrigger: purchase\nsteps:\n  - send: "Oi {{ cliente.nome }}"\n');
    const service = start({ PORT: String(await freePort()) });
    expect(await service.exited).toBe(1);
    expect(service.output()).toMatch(/quebrado\.yaml:5/);
  }, 60_000);

  it('refuses to start when the flows folder is missing, and says where it looked', async () => {
    const service = start({ PORT: String(await freePort()) });
    expect(await service.exited).toBe(1);
    expect(service.output()).toContain(path.join(dir, 'flows'));
  }, 60_000);

  it('reads a .env in the folder it starts from', async () => {
    fs.writeFileSync(path.join(dir, '.env'), 'PORT=0\n');
    const service = start({});
    expect(await service.exited).toBe(1);
    expect(service.output()).toContain('PORT="0"');
  }, 60_000);

  it('makes an existing, wider data folder and database its own (0700, 0600), says so, and backs up at once', async () => {
    fs.cpSync(path.join(root, 'flows'), path.join(dir, 'flows'), { recursive: true });
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    fs.chmodSync(data, 0o755);
    fs.writeFileSync(path.join(data, 'fregues.db'), '');
    fs.chmodSync(path.join(data, 'fregues.db'), 0o644);
    const service = start({ PORT: String(await freePort()), CHANNEL: 'simulator' });
    await waitFor(() => service.output().includes('fregues no ar em'), 'the service to listen', service.output);
    await waitFor(() => service.output().includes('Cópia de segurança do banco feita'), 'the first backup', service.output);

    const modeOf = (file: string) => fs.statSync(path.join(data, file)).mode & 0o777;
    expect(modeOf('.')).toBe(0o700);
    for (const file of ['fregues.db', 'fregues.db-wal', 'fregues.db-shm', 'admin-token']) expect(modeOf(file), file).toBe(0o600);
    expect(modeOf('backups')).toBe(0o700);
    const [backup, ...others] = fs.readdirSync(path.join(data, 'backups'));
    expect(others).toEqual([]);
    expect(modeOf(`backups/${backup}`)).toBe(0o600);
    const line = service.output().split('\n').find((text) => text.includes('agora são só do serviço'));
    expect(line).toContain(`${data} 0755 → 0700`);
    expect(line).toContain(`${path.join(data, 'fregues.db')} 0644 → 0600`);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  }, 60_000);
});

describe('npm start', () => {
  it('runs the file the build makes of src/main.ts', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    const build = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { rootDir: string; outDir: string } };
    const compiled = (source: string) =>
      path.join(build.compilerOptions.outDir, path.relative(build.compilerOptions.rootDir, source)).replace(/\.ts$/, '.js');
    // A young generation of 64 MB (docs/performance.md, "Issue 17, 2026-12-07"): the purchases that wait for
    // their group commit are copied by every scavenge of the default 16 MB.
    expect(pkg.scripts.start).toBe(`node --max-semi-space-size=64 ${compiled('src/main.ts')}`);
    expect(pkg.scripts.prestart).toBe('npm run build');
    expect(fs.readFileSync(path.join(root, pkg.bin.fregues!), 'utf8')).toContain(`../${compiled('src/cli/bin.ts')}`);
  });

  it('builds incrementally, so that a start with nothing changed does not compile again', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const build = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { outDir: string; incremental?: boolean; tsBuildInfoFile?: string };
    };
    // tsc -b compares the sources' times with its record and stops there when none is newer (tsc -p would read them all again).
    expect(pkg.scripts.build).toBe('tsc -b tsconfig.build.json');
    expect(build.compilerOptions.incremental).toBe(true);
    // The record lives in the build's folder: deleting dist/ rebuilds everything, and git ignores it with dist/.
    expect(path.dirname(build.compilerOptions.tsBuildInfoFile!)).toBe(build.compilerOptions.outDir);
    expect(fs.readFileSync(path.join(root, '.gitignore'), 'utf8').split('\n')).toContain(`${build.compilerOptions.outDir}/`);
  });
});
