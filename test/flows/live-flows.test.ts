import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Flow } from '../../src/flows/flow-types.js';
import { LiveFlows } from '../../src/flows/live-flows.js';
import { loadFlows } from '../../src/flows/load-flows.js';
import { ManualClock } from '../../src/scheduler/clock.js';

// issue 20: FLOWS_DIR loaded again when a file changes; a broken file keeps its flow's last valid version.

const THANKS = (version: number, text: string, extra = '') => `id: obrigado
version: ${version}
name: Obrigado
${extra}trigger:
  type: purchase
steps:
  - id: oi
    send: "${text}, {{ customer.first_name }}!"
`;

const MANUAL = `id: manual
version: 1
name: Manual
trigger:
  type: manual
steps:
  - id: oi
    send: "Oi"
`;

let dir: string;
let stops: (() => void)[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-live-flows-'));
});
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): void {
  fs.writeFileSync(path.join(dir, name), text);
}

interface Harness {
  live: LiveFlows;
  clock: ManualClock;
  /** Each set of flows given to the runner, as id@version (off when turned off). */
  applied: string[][];
  logs: { level: string; message: string }[];
  runs: Map<string, number>;
}

function start(locale: 'pt-BR' | 'en' = 'pt-BR'): Harness {
  const loaded = loadFlows(dir, { locale });
  expect(loaded.errors).toEqual([]);
  const clock = new ManualClock('2026-11-20T15:00:00Z');
  const applied: string[][] = [];
  const logs: { level: string; message: string }[] = [];
  const runs = new Map<string, number>();
  const live = new LiveFlows({
    dir,
    locale,
    initial: loaded.flows,
    clock,
    log: (level, message) => logs.push({ level, message }),
    apply: (flows: Flow[]) => applied.push(flows.map((flow) => `${flow.id}@${flow.version}${flow.enabled === false ? ' off' : ''}`)),
    openRuns: (id) => runs.get(id) ?? 0,
  });
  return { live, clock, applied, logs, runs };
}

describe('LiveFlows.reload', () => {
  it('does nothing and says nothing when no file changed', () => {
    write('obrigado.yaml', THANKS(1, 'Obrigada'));
    const { live, applied, logs, clock } = start();
    clock.advance(60_000);
    const state = live.reload();
    expect(applied).toEqual([]);
    expect(logs).toEqual([]);
    expect(state).toEqual({ errors: [], kept: new Map(), loadedAt: clock.now() });
    // A comment or a blank line is no new version either.
    write('obrigado.yaml', `# o agradecimento\n\n${THANKS(1, 'Obrigada')}`);
    live.reload();
    expect(applied).toEqual([]);
    expect(logs).toEqual([]);
  });

  it('takes a valid change at once and logs which flows changed, once', () => {
    write('obrigado.yaml', THANKS(1, 'Obrigada'));
    const { live, applied, logs } = start();
    write('obrigado.yaml', THANKS(2, 'Valeu'));
    live.reload();
    expect(applied).toEqual([['obrigado@2']]);
    expect(live.flows[0]?.steps[0]).toMatchObject({ kind: 'send' });
    expect(JSON.stringify(live.flows[0]?.steps[0])).toContain('Valeu');
    expect(logs).toEqual([{ level: 'info', message: 'Fluxos atualizados sem reiniciar: obrigado (versão 1 → 2)' }]);
    live.reload();
    expect(applied).toHaveLength(1);
    expect(logs).toHaveLength(1);

    // The same number, new content: still a new version for the runs.
    write('obrigado.yaml', THANKS(2, 'Muito obrigada'));
    live.reload();
    expect(applied).toEqual([['obrigado@2'], ['obrigado@2']]);
    expect(logs[1]?.message).toBe('Fluxos atualizados sem reiniciar: obrigado (versão 2, com mudanças)');
  });

  it('keeps the last valid version of a flow whose file breaks, with the errors in the state, logged once; fixed: errors gone', () => {
    write('obrigado.yaml', THANKS(3, 'Obrigada'));
    const { live, applied, logs } = start();
    write('obrigado.yaml', THANKS(4, 'Obrigada').replace('type: purchase', 'type: compra'));

    const broken = live.reload();
    expect(applied).toEqual([]);
    expect(live.flows.map((flow) => `${flow.id}@${flow.version}`)).toEqual(['obrigado@3']);
    expect(broken.kept).toEqual(new Map([['obrigado', { file: 'obrigado.yaml', version: 3 }]]));
    expect(broken.errors).toHaveLength(1);
    expect(broken.errors[0]).toMatchObject({ file: 'obrigado.yaml', line: 5, path: 'trigger.type' });
    expect(logs).toHaveLength(1);
    expect(logs[0]?.level).toBe('warn');
    expect(logs[0]?.message).toMatch(/^obrigado\.yaml tem erros: o fluxo obrigado continua na versão 3 até o arquivo ser corrigido\.\nobrigado\.yaml:5:\d+ trigger\.type: /);

    // Read again, still broken the same way: not logged again.
    live.reload();
    expect(logs).toHaveLength(1);
    // Broken another way: the new errors are logged.
    write('obrigado.yaml', THANKS(4, 'Obrigada').replace('{{ customer.first_name }}', '{{ customer.nome }}'));
    live.reload();
    expect(logs).toHaveLength(2);
    expect(logs[1]?.message).toContain('customer.nome');

    write('obrigado.yaml', THANKS(4, 'Obrigada'));
    const fixed = live.reload();
    expect(fixed.errors).toEqual([]);
    expect(fixed.kept).toEqual(new Map());
    expect(applied).toEqual([['obrigado@4']]);
    expect(logs.slice(2)).toEqual([
      { level: 'info', message: 'Fluxos atualizados sem reiniciar: obrigado (versão 3 → 4)' },
      { level: 'info', message: 'Os arquivos de fluxo não têm mais erros.' },
    ]);
  });

  it('loads a new file, turns a flow off and on, and says a new broken file was not loaded', () => {
    write('obrigado.yaml', THANKS(1, 'Obrigada'));
    const { live, applied, logs } = start('en');
    write('manual.yaml', MANUAL);
    live.reload();
    expect(applied).toEqual([['manual@1', 'obrigado@1']]);
    expect(logs.at(-1)?.message).toBe('Flows updated without a restart: manual (new, version 1)');

    write('obrigado.yaml', THANKS(1, 'Obrigada', 'enabled: false\n'));
    live.reload();
    expect(applied.at(-1)).toEqual(['manual@1', 'obrigado@1 off']);
    expect(logs.at(-1)?.message).toBe('Flows updated without a restart: obrigado (turned off)');

    write('novo.yaml', 'id: novo\nversion: 1\nname: Novo\ntrigger: { type: manual }\nsteps:\n  - id: oi\n    send: "{{ shop.nome }}"\n');
    const state = live.reload();
    expect(applied).toHaveLength(2);
    expect(state.kept).toEqual(new Map());
    expect(logs.at(-1)?.message).toMatch(/^novo\.yaml has errors: the file was not loaded\.\nnovo\.yaml:7:/);
  });

  it('keeps the running flow when another file claims its id, whichever file the loader reads first', () => {
    write('obrigado.yaml', THANKS(1, 'Obrigada'));
    const { live, applied } = start();
    // Read before obrigado.yaml: the loader takes the copy and names obrigado.yaml as the duplicate.
    write('aa-copia.yaml', THANKS(7, 'Cópia'));
    const state = live.reload();
    expect(applied).toEqual([]);
    expect(live.flows.map((flow) => `${flow.file}@${flow.version}`)).toEqual(['obrigado.yaml@1']);
    expect(state.errors).toMatchObject([{ file: 'obrigado.yaml', path: 'id' }]);
    expect(state.kept).toEqual(new Map([['obrigado', { file: 'obrigado.yaml', version: 1 }]]));
  });

  it('takes a removed file’s flow out of new enrolments, listing it while customers are still in it', () => {
    write('obrigado.yaml', THANKS(2, 'Obrigada'));
    write('manual.yaml', MANUAL);
    const { live, applied, logs, runs } = start();
    runs.set('obrigado', 2);
    fs.rmSync(path.join(dir, 'obrigado.yaml'));
    const state = live.reload();
    expect(applied).toEqual([['manual@1']]);
    expect(state.kept).toEqual(new Map([['obrigado', { file: 'obrigado.yaml', version: 2, removed: true }]]));
    expect(logs.map((log) => log.message)).toEqual([
      'O fluxo obrigado não está mais na pasta de fluxos, mas 2 cliente(s) ainda estão no meio dele: eles vão até o fim pela versão guardada. Para pará-los: DELETE /api/flows/obrigado/runs',
      'Fluxos atualizados sem reiniciar: obrigado (removido)',
    ]);
    // Still listed at the next read; no longer once its last runs ended.
    expect(live.reload().kept.get('obrigado')).toEqual({ file: 'obrigado.yaml', version: 2, removed: true });
    runs.delete('obrigado');
    expect(live.reload().kept).toEqual(new Map());
    expect(logs).toHaveLength(2);
  });

  it('keeps every flow as it was when the folder itself is gone', () => {
    write('obrigado.yaml', THANKS(1, 'Obrigada'));
    const { live, applied, logs } = start();
    fs.rmSync(dir, { recursive: true });
    const state = live.reload();
    expect(applied).toEqual([]);
    expect(live.flows).toHaveLength(1);
    expect(state.kept).toEqual(new Map([['obrigado', { file: 'obrigado.yaml', version: 1 }]]));
    expect(state.errors).toMatchObject([{ file: dir, line: 0 }]);
    expect(logs[0]?.message).toContain(`A pasta de fluxos ${dir} não pôde ser lida: os fluxos continuam como estavam.`);
  });
});

describe('LiveFlows.watch', () => {
  const watchers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'FSEventWrap').length;

  it('loads a file written to the folder by itself, and stop() closes the watcher', async () => {
    write('obrigado.yaml', THANKS(1, 'Obrigada'));
    const { live, applied } = start();
    const before = watchers();
    const stop = live.watch({ settleMs: 50 });
    stops.push(stop);
    expect(watchers()).toBe(before + 1);

    // As an editor saves: a temporary file first, then renamed over the flow.
    write('.obrigado.yaml.swp', THANKS(2, 'Valeu'));
    fs.renameSync(path.join(dir, '.obrigado.yaml.swp'), path.join(dir, 'obrigado.yaml'));
    write('manual.yaml', MANUAL);
    await vi.waitFor(() => expect(live.flows.map((flow) => `${flow.id}@${flow.version}`)).toEqual(['manual@1', 'obrigado@2']), { timeout: 10_000, interval: 50 });
    // The editor's temporary file is never taken for a flow.
    expect(applied).toEqual([['manual@1', 'obrigado@2']]);

    // A broken save shows its errors without any call.
    write('obrigado.yaml', 'id: obrigado\nversion: 3\n  name: [');
    await vi.waitFor(() => expect(live.state().kept.get('obrigado')).toEqual({ file: 'obrigado.yaml', version: 2 }), { timeout: 10_000, interval: 50 });

    stop();
    await vi.waitFor(() => expect(watchers()).toBe(before), { timeout: 5_000, interval: 20 });
  }, 30_000);

  it('says so when the folder cannot be watched, never throws, and watches it again once it is back', async () => {
    const missing = path.join(dir, 'ainda-nao');
    const logs: string[] = [];
    const live = new LiveFlows({ dir: missing, locale: 'pt-BR', initial: [], clock: new ManualClock(0), log: (_level, message) => logs.push(message), apply: () => {} });
    const stop = live.watch({ settleMs: 20, retryMs: 50 });
    stops.push(stop);
    expect(logs[0]).toMatch(/^Não foi possível acompanhar a pasta de fluxos .*ainda-nao \(ENOENT\); nova tentativa a cada 1 s\./);

    fs.mkdirSync(missing);
    fs.writeFileSync(path.join(missing, 'manual.yaml'), MANUAL);
    await vi.waitFor(() => expect(live.flows.map((flow) => flow.id)).toEqual(['manual']), { timeout: 10_000, interval: 50 });
    stop();
  }, 30_000);
});
