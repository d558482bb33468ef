import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// `npm run demo` as a newcomer runs it: the real process, its printed address and token, the
// seeded shop on the Painel, and the temporary data gone after Ctrl+C.

const root = path.resolve(import.meta.dirname, '../..');
let child: ChildProcess | undefined;
let tmp: string | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls the process's output (a child process cannot be driven by the test's clock). */
async function waitFor(condition: () => boolean, what: string, output: () => string): Promise<void> {
  for (let i = 0; i < 1200; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
}

describe('npm run demo', () => {
  it('seeds a shop in a temporary database, prints the address and the token, and deletes it all on Ctrl+C', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-demo-test-'));
    const port = await freePort();
    let output = '';
    const proc = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'src/demo.ts')], {
      cwd: root,
      // TMPDIR: the demo's temporary data goes where the test can see it. An ADMIN_TOKEN or CHANNEL
      // in the environment does not change what the demo is.
      env: { PATH: process.env.PATH ?? '', HOME: tmp, TMPDIR: tmp, PORT: String(port), ADMIN_TOKEN: 'x'.repeat(40), CHANNEL: 'whatsapp' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

    await waitFor(() => output.includes('Token para entrar:'), 'the demo to be ready', () => output);
    expect(output).toContain(`Demonstração pronta em http://127.0.0.1:${port}`);
    expect(output).toMatch(/\d+ clientes, \d+ compras, \d+ respostas\./);
    const token = /Token para entrar: (\S+)/.exec(output)![1]!;
    expect(token).not.toBe('x'.repeat(40));
    const data = fs.readdirSync(tmp).filter((name) => name.startsWith('fregues-demo-'));
    expect(data).toHaveLength(1);
    expect(fs.existsSync(path.join(tmp, data[0]!, 'fregues.db'))).toBe(true);
    // The flows run from the demo's own copy: an edit in the Fluxos page's editor never touches ./flows.
    const flowsCopy = path.join(tmp, data[0]!, 'flows');
    expect(fs.readFileSync(path.join(flowsCopy, 'pos-compra.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(root, 'flows', 'pos-compra.yaml'), 'utf8'));

    // Signed in as a browser is: the sign-in form's CSRF token and secret, then the session cookie.
    const form = await fetch(`http://127.0.0.1:${port}/`);
    const formHtml = await form.text();
    // The form points to the token just printed, not to a data/admin-token the demo never writes.
    expect(formHtml).toContain('Cole o token que a demonstração mostrou no terminal');
    expect(formHtml).not.toContain('admin-token');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(formHtml)![1]!;
    const secret = /_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1]!;
    const signIn = await fetch(`http://127.0.0.1:${port}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `_csrf=${secret}` },
      body: new URLSearchParams({ _csrf: csrf, token, next: '/' }).toString(),
    });
    expect(signIn.status).toBe(303);
    const session = /fregues_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')![1]!;
    const painel = await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie: `fregues_session=${session}` } });
    expect(painel.status).toBe(200);
    const html = await painel.text();
    expect(html).toContain('<span class="card-name">NPS</span>');
    const flowsPage = await (await fetch(`http://127.0.0.1:${port}/flows`, { headers: { cookie: `fregues_session=${session}` } })).text();
    expect(flowsPage).toContain(flowsCopy);
    const customers = await fetch(`http://127.0.0.1:${port}/api/customers?limit=100`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await customers.json()) as { customers: unknown[] }).customers.length).toBe(25);
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { channel: { kind: string; state: string } };
    expect(health.channel).toMatchObject({ kind: 'simulator', state: 'open' });

    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(fs.readdirSync(tmp).filter((name) => name.startsWith('fregues-demo-'))).toEqual([]);
  }, 120_000);
});
