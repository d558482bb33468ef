import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { assemble, type Assembly } from '../../src/assemble.js';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import { loadConfig } from '../../src/config.js';
import type { AdminTokenHint } from '../../src/http/pages.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase } from '../../src/storage/db.js';

// Where the sign-in form says the admin token is: the service's file or variable, or, in the demo,
// the token it printed in the terminal (the demo writes no data/admin-token). Through the assembly,
// as the service and the demo build the app, and app.inject.

const TOKEN = 'sign-in-hint-token-0123456789abcdef';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let assembly: Assembly | undefined;
afterEach(async () => {
  await assembly?.close();
  assembly = undefined;
});

async function service(locale: string, adminTokenHint?: AdminTokenHint) {
  const clock = new ManualClock('2026-11-20T13:00:00Z');
  const channel = new SimulatorChannel({ clock });
  await channel.start();
  assembly = await assemble({
    config: loadConfig({ LOG_LEVEL: 'silent', LOCALE: locale, CHANNEL: 'simulator' }, '/tmp/fregues-test'),
    db: openDatabase(':memory:'),
    clock,
    flows: [],
    logger: pino({ level: 'silent' }),
    adminToken: TOKEN,
    channel,
    ...(adminTokenHint ? { adminTokenHint } : {}),
  });
  return assembly.app;
}

/** The sign-in form's introduction, as the page shows it. */
function intro(body: string): string {
  return /<main[^>]*>[\s\S]*?<p>([^<]*)<\/p>/.exec(body)?.[1] ?? '';
}

describe('the sign-in hint', () => {
  it('the service (simulator or not) points to the file in DATA_DIR or ADMIN_TOKEN, as before', async () => {
    const app = await service('pt-BR');
    const page = await app.inject({ method: 'GET', url: '/customers' });
    expect(page.statusCode).toBe(401);
    expect(intro(page.body)).toBe('Cole o token de administrador (o arquivo data/admin-token, ou a variável ADMIN_TOKEN).');
  });

  it('the demo points to the token it printed in the terminal, on the form and after a wrong token, in each locale', async () => {
    const app = await service('pt-BR', 'demo');
    const page = await app.inject({ method: 'GET', url: '/customers' });
    expect(page.statusCode).toBe(401);
    expect(intro(page.body)).toBe('Cole o token que a demonstração mostrou no terminal, na linha “Token para entrar”. Ele muda a cada vez que a demonstração começa.');
    expect(page.body).not.toContain('admin-token');

    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const secret = page.cookies.find((cookie) => cookie.name === '_csrf')!.value;
    const wrong = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: FORM,
      cookies: { _csrf: secret },
      payload: new URLSearchParams({ _csrf: csrf, token: 'not-the-token', next: '/customers' }).toString(),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Token incorreto.');
    expect(intro(wrong.body)).toContain('a demonstração mostrou no terminal');

    await assembly!.close();
    assembly = undefined;
    expect(intro((await (await service('en', 'demo')).inject({ method: 'GET', url: '/' })).body)).toBe(
      'Paste the token the demo printed in the terminal, on the line “Token to sign in”. It changes every time the demo starts.',
    );
    await assembly!.close();
    assembly = undefined;
    expect(intro((await (await service('es', 'demo')).inject({ method: 'GET', url: '/' })).body)).toContain('la demostración mostró en la terminal');
  });
});
