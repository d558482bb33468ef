import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/flows/load-flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

// issue 20: a flow file changed while the service runs is loaded at once (the
// watcher in the service, reload() after a save from the pages): new purchases
// take the new version, runs under way keep theirs, a broken file keeps the last
// valid version running and shows its errors.

const THANKS = (version: number, extra = '') => `id: obrigado
version: ${version}
name: Obrigado
${extra}trigger:
  type: purchase
steps:
  - id: oi
    send: "Obrigada pela compra, {{ customer.first_name }}! (versão ${version})"
  - id: espera
    wait: 1d
  - id: dica
    send: "Uma dica da versão ${version}"
`;

const WINBACK = `id: reconquista
version: 1
name: Reconquista
trigger:
  type: inactivity
  days: 30
steps:
  - id: saudade
    send: "Faz tempo, {{ customer.first_name }}!"
`;

const ANA = '+5511912345678';
const BIA = '+5511987654321';
const bia = { externalId: 'pedido-2002', customer: { phone: '(11) 98765-4321', name: 'Bia Lima' } };

let dir: string;
let shop: Shop | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-flows-live-'));
});
afterEach(async () => {
  await shop?.close();
  shop = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): void {
  fs.writeFileSync(path.join(dir, name), text);
}

async function open(): Promise<Shop> {
  const { flows, errors } = loadFlows(dir, { locale: 'pt-BR' });
  expect(errors).toEqual([]);
  shop = await createShop({ env: { FLOWS_DIR: dir }, flows });
  return shop;
}

/** The Fluxos page as a person reads it. */
async function flowsPage(app: Shop): Promise<string> {
  const response = await app.api({ method: 'GET', url: '/flows' });
  expect(response.statusCode).toBe(200);
  return response.body.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/\s+/g, ' ');
}

describe('flows changed while the service runs', () => {
  it('enrols the next purchase in the new version while a run started before keeps its own texts', async () => {
    write('obrigado.yaml', THANKS(1));
    const app = await open();
    const first = await app.buy();
    expect(first.runs.map((run) => run.flowVersion)).toEqual([1]);
    await app.travel('1h');

    write('obrigado.yaml', THANKS(2));
    app.liveFlows.reload();
    const second = await app.buy(bia);
    expect(second.runs.map((run) => `${run.flowId}@${run.flowVersion}`)).toEqual(['obrigado@2']);
    const listed = (await app.api({ method: 'GET', url: '/api/flows' })).json<{ flows: { id: string; version: number }[] }>();
    expect(listed.flows.map((flow) => `${flow.id}@${flow.version}`)).toEqual(['obrigado@2']);

    await app.travel('2d');
    expect(app.received(ANA)).toEqual(['Obrigada pela compra, Ana! (versão 1)', 'Uma dica da versão 1']);
    expect(app.received(BIA)).toEqual(['Obrigada pela compra, Bia! (versão 2)', 'Uma dica da versão 2']);
    expect(app.logs.filter((line) => line.includes('Fluxos atualizados sem reiniciar: obrigado (versão 1 → 2)'))).toHaveLength(1);
  });

  it('keeps the last valid version running while the file is broken, shows and logs the errors once, and clears them when fixed', async () => {
    write('obrigado.yaml', THANKS(1));
    const app = await open();
    write('obrigado.yaml', THANKS(2).replace('wait: 1d', 'wait: um dia'));
    const state = app.liveFlows.reload();
    app.liveFlows.reload();
    expect(state.kept.get('obrigado')).toEqual({ file: 'obrigado.yaml', version: 1 });

    const bought = await app.buy();
    expect(bought.runs.map((run) => run.flowVersion)).toEqual([1]);
    await app.travel('1h');
    expect(app.received(ANA)).toEqual(['Obrigada pela compra, Ana! (versão 1)']);

    const broken = await flowsPage(app);
    expect(broken).toContain('Erros nos arquivos de fluxo');
    expect(broken).toMatch(/obrigado\.yaml, linha 10, coluna \d+ passo "espera" › wait ?: /);
    expect(broken).toContain('O arquivo obrigado.yaml está com erro (veja acima): o fluxo obrigado continua na versão 1 até o arquivo ser corrigido.');
    const warnings = app.logs.filter((line) => line.includes('obrigado.yaml tem erros: o fluxo obrigado continua na versão 1 até o arquivo ser corrigido.'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40 });

    write('obrigado.yaml', THANKS(2));
    expect(app.liveFlows.reload()).toMatchObject({ errors: [], kept: new Map() });
    const fixed = await flowsPage(app);
    expect(fixed).not.toContain('Erros nos arquivos de fluxo');
    expect(fixed).not.toContain('está com erro');
    expect(fixed).toContain('Obrigado obrigado · versão 2');
    expect(app.logs.filter((line) => line.includes('Os arquivos de fluxo não têm mais erros.'))).toHaveLength(1);
  });

  it('runs a new file’s flow, and starts no runs of a flow turned off', async () => {
    write('obrigado.yaml', THANKS(1));
    const app = await open();
    write('outro.yaml', THANKS(1).replace('id: obrigado', 'id: outro').replace('name: Obrigado', 'name: Outro'));
    app.liveFlows.reload();
    expect((await app.buy()).runs.map((run) => run.flowId)).toEqual(['obrigado', 'outro']);

    write('obrigado.yaml', THANKS(1, 'enabled: false\n'));
    app.liveFlows.reload();
    expect((await app.buy(bia)).runs.map((run) => run.flowId)).toEqual(['outro']);
    expect(await flowsPage(app)).toContain('Outro outro · versão 1');
  });

  it('gives the weekly summary the win-back days of the flows now', async () => {
    write('obrigado.yaml', THANKS(1));
    const app = await open();
    const week = app.flows.weekly.weekDueAt(app.clock.now());
    expect(app.flows.weekly.prepare(week).report.atRisk.inactivityDays).toBe(60);
    write('reconquista.yaml', WINBACK);
    app.liveFlows.reload();
    expect(app.flows.weekly.prepare(week).report.atRisk.inactivityDays).toBe(30);
  });

  it('tells on the page that a removed flow takes no one new while customers are still in it', async () => {
    write('obrigado.yaml', THANKS(3));
    const app = await open();
    await app.buy();
    fs.rmSync(path.join(dir, 'obrigado.yaml'));
    app.liveFlows.reload();
    expect((await app.buy(bia)).runs).toEqual([]);
    const page = await flowsPage(app);
    expect(page).toContain('O arquivo obrigado.yaml foi removido: o fluxo obrigado não recebe clientes novos, e quem já está nele segue até o fim na versão 3.');
    // Ana's run finishes on its stored version.
    await app.travel('2d');
    expect(app.received(ANA)).toEqual(['Obrigada pela compra, Ana! (versão 3)', 'Uma dica da versão 3']);
    app.liveFlows.reload();
    expect(await flowsPage(app)).not.toContain('foi removido');
  });
});
