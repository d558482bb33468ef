import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Flow } from '../../src/flows/flow-types.js';
import { formatFlowErrors, hashFlow, loadFlows, type FlowError } from '../../src/flows/load-flows.js';
import type { Locale } from '../../src/i18n/index.js';
import { isOptOut } from '../../src/inbox/intent/stop-request.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-flows-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(files: Record<string, string>) {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}

function check(files: Record<string, string>, locale: Locale = 'pt-BR'): string[] {
  write(files);
  const { errors } = loadFlows(dir, { locale });
  return formatFlowErrors(errors).split('\n').filter((line) => line !== '');
}

/** A valid flow's head; the cases add steps from line 6. */
const HEAD = 'id: teste\nversion: 1\nname: Teste\ntrigger: manual\nsteps:\n';

describe('loadFlows: each mistake is one precise line', () => {
  it.each<[string, string, string[]]>([
    [
      'unknown and missing top-level keys',
      'id: teste\nversion: 1\nname: Teste\ntrigger: manual\nstpes:\n  - id: a\n    end: true\n',
      [
        'f.yaml:1:1 steps: campo obrigatório',
        'f.yaml:5:1 stpes: campo desconhecido: stpes (aceitos: id, version, name, enabled, trigger, filter, cold, steps)',
      ],
    ],
    [
      'wrong types at the top',
      'id: Pós Compra\nversion: 1.5\nname: 2024\ntrigger: { type: compra }\nsteps: []\n',
      [
        'f.yaml:1:5 id: id inválido: Pós Compra; use letras minúsculas sem acento, números e -, como pos-compra',
        'f.yaml:2:10 version: esperava um número inteiro',
        'f.yaml:3:7 name: esperava um texto: escreva entre aspas, como "2024"',
        'f.yaml:4:18 trigger.type: valor desconhecido: compra; use purchase, birthday, inactivity, repurchase, manual, tagged, first_message ou purchase_count',
        'f.yaml:5:8 steps: o fluxo precisa de pelo menos um passo',
      ],
    ],
    [
      'trigger fields',
      'id: teste\nversion: 1\nname: Teste\ntrigger:\n  type: repurchase\n  days: 0\n  at: "25:00"\n  dias: 3\nsteps:\n  - id: a\n    end: true\n',
      [
        'f.yaml:4:1 trigger.products: campo obrigatório',
        'f.yaml:6:9 trigger.days: o mínimo é 1',
        'f.yaml:7:7 trigger.at: horário inválido: 25:00; use HH:MM entre aspas, como "09:00"',
        'f.yaml:8:3 trigger.dias: campo desconhecido: dias (aceitos: type, days, products, at)',
      ],
    ],
    [
      'filter',
      'id: teste\nversion: 1\nname: Teste\ntrigger: manual\nfilter:\n  tags: [vip, "não pode!"]\n  not_tags: VIP\n  products: ["CAFE-*, CHA-*"]\n  consent: sim\nsteps:\n  - id: a\n    end: true\n',
      [
        'f.yaml:6:15 filter.tags[1]: etiqueta inválida: não pode!; use letras, números, - ou _ (até 40 caracteres)',
        'f.yaml:7:13 filter.not_tags: a etiqueta vip está em tags e em not_tags: nenhum cliente passaria',
        'f.yaml:8:14 filter.products[0]: padrão de SKU inválido: CAFE-*, CHA-*; use o código do produto, com * para qualquer sequência e ? para um caractere, um padrão por item da lista',
        'f.yaml:9:12 filter.consent: valor desconhecido: sim; use marketing',
      ],
    ],
    [
      'a step with no kind, and one with two',
      `${HEAD}  - id: a\n    next: b\n  - id: b\n    send: oi\n    wait: 1h\n`,
      [
        'f.yaml:6:5 passo "a": o passo não diz o que fazer: use um de wait, send, ask, alert_owner, tag, untag, goto ou end',
        'f.yaml:10:5 passo "b" › wait: um passo faz uma coisa só, e este tem send, wait: separe em dois passos',
      ],
    ],
    [
      'step ids and targets',
      `${HEAD}  - id: a\n    goto: nada\n  - id: a\n    send: oi\n    next: Fim\n  - id: end\n    end: true\n  - send: sem id\n`,
      [
        'f.yaml:7:11 passo 1 › goto: nenhum passo tem o id nada; use o id de um passo deste fluxo ou end',
        'f.yaml:8:9 passo 2 › id: id de passo repetido: a já é usado em passo 1',
        'f.yaml:10:11 passo 2 › next: id inválido: Fim; use letras minúsculas sem acento, números e -, como pos-compra',
        'f.yaml:11:9 passo 3 › id: end é reservado para o fim do fluxo: escolha outro id',
        'f.yaml:13:5 passo 4 › id: campo obrigatório',
      ],
    ],
    [
      'durations, times and weekdays',
      `${HEAD}  - id: a\n    wait: 2\n  - id: b\n    wait: 2 dias\n  - id: c\n    wait: { for: 0m }\n  - id: d\n    wait: { until: "9h", weekdays: [seg, xyz] }\n  - id: e\n    wait: { for: 1d, weekdays: [seg] }\n  - id: f\n    wait: {}\n  - id: g\n    wait: 400d\n  - id: h\n    send: oi\n    max_lateness: 1 hora\n`,
      [
        'f.yaml:7:11 passo "a" › wait: falta a unidade em 2: escreva, por exemplo, 30m, 2h, 3d ou 1w',
        'f.yaml:9:11 passo "b" › wait: duração inválida: 2 dias; use um número e uma unidade (s, m, h, d ou w), como 30m, 2h, 3d, 1w ou 1d12h',
        'f.yaml:11:18 passo "c" › wait.for: a duração precisa ser maior que zero',
        'f.yaml:13:20 passo "d" › wait.until: horário inválido: 9h; use HH:MM entre aspas, como "09:00"',
        'f.yaml:13:42 passo "d" › wait.weekdays[1]: dia da semana desconhecido: xyz; use dom, seg, ter, qua, qui, sex ou sab',
        'f.yaml:15:11 passo "e" › wait: weekdays só vale junto com until (o horário)',
        'f.yaml:17:11 passo "f" › wait: diga quanto esperar: for, until ou os dois',
        'f.yaml:19:11 passo "g" › wait: duração longa demais (máximo 366d)',
        'f.yaml:22:19 passo "h" › max_lateness: duração inválida: 1 hora; use um número e uma unidade (s, m, h, d ou w), como 30m, 2h, 3d, 1w ou 1d12h',
      ],
    ],
    [
      'send',
      `${HEAD}  - id: a\n    send: ""\n  - id: b\n    send: { caption: oi }\n  - id: c\n    send: [oi]\n  - id: d\n    send: { image: foto.gif }\n  - id: e\n    send: { image: ../fora.jpg }\n  - id: f\n    send: { text: oi, image: falta.jpg }\n`,
      [
        'f.yaml:7:11 passo "a" › send: não pode ficar vazio',
        'f.yaml:9:13 passo "b" › send.caption: campo desconhecido: caption (aceitos: text, image)',
        'f.yaml:11:11 passo "c" › send: esperava um texto ou campos (chave: valor)',
        'f.yaml:13:20 passo "d" › send.image: a imagem precisa ser .jpg, .jpeg ou .png: foto.gif',
        'f.yaml:15:20 passo "e" › send.image: a imagem precisa estar dentro da pasta de fluxos: ../fora.jpg',
        'f.yaml:17:30 passo "f" › send.image: imagem não encontrada: falta.jpg (o caminho começa na pasta de fluxos)',
      ],
    ],
    [
      'ask: kinds, polls, outcomes, reminder',
      `${HEAD}  - id: nps\n    ask:\n      kind: nps\n      question: "De 0 a 10?"\n      poll: sim\n      reminder: { after: 3d, text: "E aí?" }\n      branches:\n        detrator: end\n        promoter: indica\n  - id: conta\n    ask:\n      kind: text\n      poll: true\n      options: [a, b]\n  - id: quiz\n    ask: { kind: quiz, question: "?" }\n`,
      [
        'f.yaml:10:13 passo "nps" › ask.poll: use true ou false',
        'f.yaml:11:26 passo "nps" › ask.reminder.after: o lembrete (3d) precisa vir antes do fim do prazo (timeout: 3d)',
        'f.yaml:13:9 passo "nps" › ask.branches.detrator: saída desconhecida para uma pergunta nps; use detractor, passive, promoter ou no_answer',
        'f.yaml:14:19 passo "nps" › ask.branches.promoter: nenhum passo tem o id indica; use o id de um passo deste fluxo ou end',
        'f.yaml:16:5 passo "conta" › ask.question: campo obrigatório',
        'f.yaml:18:13 passo "conta" › ask.poll: uma pergunta text não pode ser enquete; poll só vale para nps, csat, yes_no, choice',
        'f.yaml:19:7 passo "conta" › ask.options: options só vale para kind: choice (esta pergunta é text)',
        'f.yaml:21:18 passo "quiz" › ask.kind: valor desconhecido: quiz; use nps, csat, yes_no, choice, text, referral ou birthday',
      ],
    ],
    [
      'choice options',
      `${HEAD}  - id: a\n    ask:\n      kind: choice\n      question: Qual?\n      options: [Entrega, entrega, "🙂", { key: X, label: "" }]\n      branches: { entrega: end, preco: end }\n  - id: b\n    ask: { kind: choice, question: Qual?, options: [Só uma] }\n  - id: c\n    ask: { kind: choice, question: Qual? }\n  - id: d\n    ask: { kind: choice, question: Qual?, options: [{ key: a, label: Sim }, { key: b, label: Sim }] }\n`,
      [
        'f.yaml:10:26 passo "a" › ask.options[1]: opção repetida: a chave entrega já é usada por outra opção',
        'f.yaml:10:35 passo "a" › ask.options[2]: não consegui criar uma chave para "🙂": escreva { key: ..., label: "🙂" }',
        'f.yaml:10:48 passo "a" › ask.options[3].key: id inválido: X; use letras minúsculas sem acento, números e -, como pos-compra',
        'f.yaml:10:58 passo "a" › ask.options[3].label: não pode ficar vazio',
        'f.yaml:11:33 passo "a" › ask.branches.preco: saída desconhecida para uma pergunta choice; use entrega ou no_answer',
        'f.yaml:13:52 passo "b" › ask.options: use de 2 a 12 opções (há 1)',
        'f.yaml:15:10 passo "c" › ask: uma pergunta choice precisa de options (de 2 a 12)',
        'f.yaml:17:77 passo "d" › ask.options[1]: opção repetida: o texto "Sim" já é usado por outra opção',
      ],
    ],
    [
      'templates',
      `${HEAD}  - id: a\n    send: "Oi {{ cliente.nome }}"\n  - id: b\n    alert_owner: "{{ customer.name | maiusculas }}"\n  - id: c\n    ask:\n      kind: yes_no\n      question: "{% if customer.name %}Oi"\n      reminder: { after: 1d, text: "{{ customer.nome }}" }\n  - id: d\n    send: { text: "{{ answer.nota }}", image: foto.jpg }\n`,
      [
        'f.yaml:7:11 passo "a" › send: variável desconhecida: cliente; use shop, customer, purchase, answer, reward',
        'f.yaml:9:18 passo "b" › alert_owner: filtro desconhecido: maiusculas (veja os filtros em docs/flows.md)',
        'f.yaml:13:17 passo "c" › ask.question: faltou fechar {% if customer.name %}: um {{ termina com }}, e um {% if %} com {% endif %}',
        'f.yaml:14:36 passo "c" › ask.reminder.text: variável desconhecida: customer.nome; use customer.name, customer.first_name, customer.phone, customer.whatsapp_link, customer.email, customer.tags',
        'f.yaml:16:19 passo "d" › send.text: variável desconhecida: answer.nota; use answer.value, answer.comment',
        'f.yaml:16:47 passo "d" › send.image: imagem não encontrada: foto.jpg (o caminho começa na pasta de fluxos)',
      ],
    ],
    [
      'tags, goto, end',
      `${HEAD}  - id: a\n    tag: []\n  - id: b\n    untag: [ok, "x y z!"]\n  - id: c\n    end: false\n  - id: d\n    goto: 3\n`,
      [
        'f.yaml:7:10 passo "a" › tag: a lista precisa de pelo menos 1 item(ns)',
        'f.yaml:9:17 passo "b" › untag[1]: etiqueta inválida: x y z!; use letras, números, - ou _ (até 40 caracteres)',
        'f.yaml:11:10 passo "c" › end: use end: true',
        'f.yaml:13:11 passo "d" › goto: esperava um texto: escreva entre aspas, como "3"',
      ],
    ],
    [
      'a loop that never waits',
      `${HEAD}  - id: a\n    send: oi\n  - id: b\n    tag: x\n    next: a\n  - id: c\n    wait: 1d\n  - id: d\n    goto: c\n`,
      ['f.yaml:10:11 passo "b" › next: este passo volta para a sem uma espera (wait) ou pergunta (ask) no caminho: o fluxo nunca pararia'],
    ],
    [
      'YAML slips: a colon in an unquoted text',
      `${HEAD}  - id: a\n    send: Oi: tudo bem?\n`,
      ['f.yaml:7:11: o texto tem ": " no meio: coloque o texto todo entre aspas'],
    ],
    [
      'YAML slips: a template without quotes',
      `${HEAD}  - id: a\n    send: {{ customer.first_name }}\n`,
      ['f.yaml:7:11: um texto que começa com {{ (ou com { ou [) precisa estar entre aspas, como send: "{{ customer.first_name }}, tudo bem?"'],
    ],
    [
      'YAML slips: text after the closing quote',
      `${HEAD}  - id: a\n    send: "Oi" amiga\n`,
      ['f.yaml:7:16: sobrou texto depois de aspas, colchetes ou chaves: coloque o texto todo entre aspas duplas e use aspas simples dentro dele'],
    ],
    ['YAML slips: a tab', `${HEAD}\t- id: a\n`, ['f.yaml:6:1: tabulação no começo da linha: o YAML só aceita espaços']],
    ['YAML slips: a repeated key', 'id: a\nversion: 1\nversion: 2\n', ['f.yaml:3:1: campo repetido: version aparece duas vezes no mesmo bloco']],
    ['YAML slips: two documents', `${HEAD}  - id: a\n    end: true\n---\nid: b\n`, ['f.yaml:8:1: um arquivo tem um fluxo só: tire o --- ou separe em dois arquivos']],
    ['YAML slips: @ at the start', `${HEAD}  - id: a\n    send: @loja\n`, ['f.yaml:7:11: um texto que começa com @ precisa estar entre aspas']],
    // issue 20: the parser's English ("Implicit keys need to be on a single line", "Missing closing \"quote") never reaches the seller.
    ['YAML slips: a line without a colon', `${HEAD}  - id: a\n    send\n`, ['f.yaml:7:5: uma linha sem “campo: valor”: faltou o : depois do nome do campo, ou um texto de várias linhas precisa de aspas ou de |']],
    ['YAML slips: a quote never closed', `${HEAD}  - id: a\n    send: "Oi, tudo bem?\n`, ['f.yaml:8:1: faltou fechar aspas ou colchetes']],
    ['YAML slips: a backslash in double quotes', `${HEAD}  - id: a\n    send: "C:\\pasta"\n`, ['f.yaml:7:14: barra invertida inválida dentro de aspas duplas: escreva \\\\ para uma barra, ou use aspas simples']],
    ['YAML slips: a list never closed', `${HEAD}  - id: a\n    tag: [vip, cliente\n`, ['f.yaml:8:1: indentação errada: os campos de um mesmo bloco começam na mesma coluna, e o que abre com [ ou { fecha com ] ou }']],
    [
      'issue 18: a contact filter that is neither warm nor cold',
      'id: teste\nversion: 1\nname: Teste\ntrigger: manual\nfilter:\n  contact: quente\nsteps:\n  - id: a\n    send: oi\n',
      ['f.yaml:6:12 filter.contact: valor desconhecido: quente; use warm ou cold'],
    ],
    [
      'issue 18: cold values the flow and its steps do not know',
      `id: teste\nversion: 1\nname: Teste\ntrigger: manual\ncold: esperar\nsteps:\n  - id: a\n    send: oi\n    cold: { wait_for_contact: 1 hora, then: mandar }\n  - id: b\n    send: oi\n    cold: { wait_for_contact: 2h, depois: send }\n  - id: c\n    send: oi\n    cold: { then: skip }\n  - id: d\n    send: oi\n    cold: 3\n`,
      [
        'f.yaml:5:7 cold: valor inválido para cold: esperar; use send, skip ou { wait_for_contact: 1h, then: send }',
        'f.yaml:9:31 passo "a" › cold.wait_for_contact: duração inválida: 1 hora; use um número e uma unidade (s, m, h, d ou w), como 30m, 2h, 3d, 1w ou 1d12h',
        'f.yaml:9:45 passo "a" › cold.then: nenhum passo tem o id mandar; use o id de um passo deste fluxo ou end',
        'f.yaml:12:35 passo "b" › cold.depois: campo desconhecido: depois (aceitos: wait_for_contact, then)',
        'f.yaml:15:5 passo "c" › cold.wait_for_contact: campo obrigatório',
        'f.yaml:18:11 passo "d" › cold: valor inválido para cold: 3; use send, skip ou { wait_for_contact: 1h, then: send }',
      ],
    ],
    [
      'issue 18: cold on a step that sends the customer nothing, and a then that is not an id',
      `${HEAD}  - id: a\n    wait: 1h\n    cold: skip\n  - id: b\n    send: oi\n    cold: { wait_for_contact: 1h, then: Fim }\n`,
      [
        'f.yaml:8:5 passo "a" › cold: cold só vale no fluxo inteiro ou em passos que mandam mensagem ao cliente (send, ask)',
        'f.yaml:11:41 passo "b" › cold.then: valor inválido para then: Fim; use send, skip, end ou o id de um passo deste fluxo',
      ],
    ],
    [
      'issue 18: a question skipped for cold customers whose no_answer leads back at once',
      `${HEAD}  - id: a\n    send: oi\n  - id: b\n    cold: skip\n    ask: { kind: yes_no, question: "Tudo bem?", branches: { no_answer: a } }\n`,
      ['f.yaml:10:72 passo "b" › ask.branches.no_answer: este passo volta para a sem uma espera (wait) ou pergunta (ask) no caminho: o fluxo nunca pararia'],
    ],
    ['an empty file', '# só um comentário\n', ['f.yaml: arquivo vazio: um fluxo tem id, version, name, trigger e steps']],
    ['a list instead of a flow', '- id: a\n', ['f.yaml:1:1: isto não é um fluxo: o arquivo deve ter campos (chave: valor), como id, version, name, trigger e steps']],
  ])('%s', (_name, yaml, expected) => {
    expect(check({ 'f.yaml': yaml })).toEqual(expected);
  });

  it('speaks the seller’s language', () => {
    const flow = `${HEAD}  - id: a\n    ask: { kind: nps, question: "?", branches: { detrator: end } }\n`;
    expect(check({ 'f.yaml': flow }, 'en')).toEqual([
      'f.yaml:7:50 step "a" › ask.branches.detrator: unknown outcome for a nps question; use detractor, passive, promoter, or no_answer',
    ]);
    expect(check({ 'f.yaml': flow }, 'es')).toEqual([
      'f.yaml:7:50 paso "a" › ask.branches.detrator: resultado desconocido para una pregunta nps; use detractor, passive, promoter o no_answer',
    ]);
  });

  it('issue 20: names a step by its id, by its number from 1 when it has no id of its own, at the same place', () => {
    const waits = Array.from({ length: 6 }, (_, index) => `  - id: espera-${index + 1}\n    wait: 1d\n`).join('');
    const flow = `${HEAD}${waits}  - id: pergunta-nps\n    ask: { kind: nps, question: "?", branches: { detrator: end } }\n  - wait: 2 dias\n`;
    write({ 'f.yaml': flow });
    const { errors } = loadFlows(dir, { locale: 'pt-BR' });
    // The place and the path for programs stay as they were; the seller reads the step's id.
    expect(errors.map(({ line, column, path: at, where }) => ({ line, column, at, where }))).toEqual([
      { line: 19, column: 50, at: 'steps[6].ask.branches.detrator', where: 'passo "pergunta-nps" › ask.branches.detrator' },
      { line: 20, column: 5, at: 'steps[7].id', where: 'passo 8 › id' },
      { line: 20, column: 11, at: 'steps[7].wait', where: 'passo 8 › wait' },
    ]);
    expect(check({ 'f.yaml': flow }, 'en')[0]).toMatch(/^f\.yaml:19:50 step "pergunta-nps" › ask\.branches\.detrator: unknown outcome/);
    expect(check({ 'f.yaml': flow }, 'es')[1]).toBe('f.yaml:20:5 paso 8 › id: campo obligatorio');
  });
});

const EVERY_KIND = `# Every trigger option, filter and step kind.
id: completo
version: 3
name: "Completo: tudo"
trigger:
  type: purchase
  products: ["CAFE-*", "KIT-??"]
filter:
  tags: [VIP, clube]
  not_tags: atacado
  products: "CAFE-*"
  consent: marketing
steps:
  - id: espera
    wait: 1d12h
  - id: espera-manha
    wait: { for: 4d, until: "10:00", weekdays: [sex, seg, ter, qua, qui, seg] }
  - id: manha
    wait: { until: "9:30" }
  - id: obrigado
    send: "Oi {{ customer.first_name }}! Obrigado pela compra 💚"
  - id: dica
    send: { text: "  Dica de uso  ", image: imagens/dica.jpg }
    max_lateness: 6h
  - id: foto
    send: { image: ./imagens/../imagens/dica.jpg }
  - id: nps
    ask:
      kind: nps
      question: "De 0 a 10?"
      poll: true
      reminder: { after: 1d, text: "E aí?" }
      timeout: 3d
      branches:
        detractor: alerta
        promoter: marca
        no_answer: end
  - id: motivo
    ask:
      kind: choice
      question: "O que mais gostou?"
      options: [Entrega, Preço justo, { key: outro, label: Outra coisa }]
      branches: { preco-justo: marca, outro: end }
    next: fim
  - id: alerta
    alert_owner: "⚠️ {{ customer.name }} deu nota {{ answer.value }}"
  - id: marca
    tag: Promotor
  - id: desmarca
    untag: [inativo, sumido]
  - id: aniversario
    ask: { kind: birthday, question: "Quando é seu aniversário?", timeout: 1w }
  - id: volta
    goto: motivo
  - id: fim
    end: true
`;

describe('loadFlows: a valid flow', () => {
  it('issue 18: reads the contact filter and cold on the flow and on its message steps, and leaves both out when absent', () => {
    write({
      'frio.yaml': `id: frio
version: 1
name: Frio
trigger: purchase
filter: { contact: cold }
cold: skip
steps:
  - id: obrigado
    send: "Obrigado!"
    cold: { wait_for_contact: 2h, then: dica }
  - id: pergunta
    ask: { kind: yes_no, question: "Gostou?" }
    cold: send
  - id: dica
    send: "Dica"
    cold: { wait_for_contact: 1d }
  - id: ultimo
    send: "Tchau"
    cold: { wait_for_contact: 30m, then: end }
`,
      'quente.yaml': 'id: quente\nversion: 1\nname: Quente\ntrigger: manual\nfilter: { contact: warm }\nsteps:\n  - id: a\n    send: oi\n    cold: { wait_for_contact: 1h, then: skip }\n',
      'sem.yaml': 'id: sem\nversion: 1\nname: Sem\ntrigger: manual\nsteps:\n  - id: a\n    send: oi\n',
    });
    const { flows, errors } = loadFlows(dir, { locale: 'pt-BR' });
    expect(errors).toEqual([]);
    const [frio, quente, sem] = flows;
    expect(frio?.filter.contact).toBe('cold');
    expect(frio?.cold).toEqual({ kind: 'skip' });
    expect(frio?.steps.map((step) => (step.kind === 'send' || step.kind === 'ask' ? step.cold : null))).toEqual([
      { kind: 'wait_for_contact', ms: 2 * 3_600_000, then: { goto: 'dica' } },
      { kind: 'send' },
      // then: send unless it says otherwise.
      { kind: 'wait_for_contact', ms: 86_400_000, then: 'send' },
      { kind: 'wait_for_contact', ms: 30 * 60_000, then: { goto: 'end' } },
    ]);
    expect(quente?.filter.contact).toBe('warm');
    expect(quente?.steps[0]).toMatchObject({ cold: { kind: 'wait_for_contact', ms: 3_600_000, then: 'skip' } });
    // Absent, not null: a flow that does not use them hashes as it did before issue 18.
    expect(sem && 'cold' in sem).toBe(false);
    expect(sem && ('contact' in sem.filter || 'cold' in sem.steps[0]!)).toBe(false);
  });

  it('parses every kind into the Flow type, with the defaults filled in', () => {
    write({ 'completo.yaml': EVERY_KIND, 'imagens/dica.jpg': 'jpeg' });
    const { flows, errors } = loadFlows(dir, { locale: 'pt-BR' });
    expect(errors).toEqual([]);
    const DAY = 86_400_000;
    const common = { maxLatenessMs: 3 * DAY };
    expect(flows).toEqual<Flow[]>([
      {
        id: 'completo',
        version: 3,
        name: 'Completo: tudo',
        trigger: { type: 'purchase', products: ['CAFE-*', 'KIT-??'] },
        filter: { tagsAll: ['vip', 'clube'], tagsNone: ['atacado'], products: ['CAFE-*'], consent: 'marketing' },
        steps: [
          { id: 'espera', kind: 'wait', wait: { kind: 'for', ms: 1.5 * DAY }, next: 'espera-manha', ...common, line: 14 },
          {
            id: 'espera-manha',
            kind: 'wait',
            wait: { kind: 'until', afterMs: 4 * DAY, at: 600, weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] },
            next: 'manha',
            ...common,
            line: 16,
          },
          { id: 'manha', kind: 'wait', wait: { kind: 'until', afterMs: 0, at: 570, weekdays: null }, next: 'obrigado', ...common, line: 18 },
          { id: 'obrigado', kind: 'send', text: 'Oi {{ customer.first_name }}! Obrigado pela compra 💚', image: null, next: 'dica', ...common, line: 20 },
          {
            id: 'dica',
            kind: 'send',
            text: null,
            image: { file: 'imagens/dica.jpg', caption: 'Dica de uso' },
            next: 'foto',
            maxLatenessMs: 6 * 3_600_000,
            line: 22,
          },
          { id: 'foto', kind: 'send', text: null, image: { file: 'imagens/dica.jpg', caption: null }, next: 'nps', ...common, line: 25 },
          {
            id: 'nps',
            kind: 'ask',
            ask: 'nps',
            question: 'De 0 a 10?',
            poll: true,
            options: [],
            reminder: { afterMs: DAY, text: 'E aí?' },
            timeoutMs: 3 * DAY,
            branches: { detractor: 'alerta', promoter: 'marca', no_answer: 'end' },
            next: 'motivo',
            ...common,
            line: 27,
          },
          {
            id: 'motivo',
            kind: 'ask',
            ask: 'choice',
            question: 'O que mais gostou?',
            poll: false,
            options: [
              { key: 'entrega', label: 'Entrega' },
              { key: 'preco-justo', label: 'Preço justo' },
              { key: 'outro', label: 'Outra coisa' },
            ],
            reminder: null,
            timeoutMs: 3 * DAY,
            branches: { 'preco-justo': 'marca', outro: 'end' },
            next: 'fim',
            ...common,
            line: 38,
          },
          { id: 'alerta', kind: 'alert_owner', text: '⚠️ {{ customer.name }} deu nota {{ answer.value }}', next: 'marca', ...common, line: 45 },
          { id: 'marca', kind: 'tag', tags: ['promotor'], next: 'desmarca', ...common, line: 47 },
          { id: 'desmarca', kind: 'untag', tags: ['inativo', 'sumido'], next: 'aniversario', ...common, line: 49 },
          {
            id: 'aniversario',
            kind: 'ask',
            ask: 'birthday',
            question: 'Quando é seu aniversário?',
            poll: false,
            options: [],
            reminder: null,
            timeoutMs: 7 * DAY,
            branches: {},
            next: 'volta',
            ...common,
            line: 51,
          },
          { id: 'volta', kind: 'goto', target: 'motivo', next: 'fim', ...common, line: 53 },
          { id: 'fim', kind: 'end', next: 'end', ...common, line: 55 },
        ],
        file: 'completo.yaml',
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
  });

  it('fills each trigger’s defaults, and 12h of lateness for birthdays', () => {
    const flow = (id: string, trigger: string) => `id: ${id}\nversion: 1\nname: ${id}\ntrigger: ${trigger}\nsteps:\n  - id: a\n    send: oi\n`;
    write({
      'a.yaml': flow('a', '{ type: birthday }'),
      'b.yaml': flow('b', '{ type: inactivity, days: 120 }'),
      'c.yaml': flow('c', '{ type: repurchase, days: 30, products: "*" }'),
      'd.yaml': flow('d', 'purchase'),
      'e.yaml': flow('e', '{ type: birthday, days_before: 7, at: "08:15" }'),
    });
    const { flows, errors } = loadFlows(dir, { locale: 'pt-BR' });
    expect(errors).toEqual([]);
    expect(flows.map((f) => [f.trigger, f.filter, f.steps[0]?.maxLatenessMs])).toEqual([
      [{ type: 'birthday', daysBefore: 0, at: 540 }, { tagsAll: [], tagsNone: [], products: null, consent: null }, 12 * 3_600_000],
      [{ type: 'inactivity', days: 120, at: 600 }, { tagsAll: [], tagsNone: [], products: null, consent: null }, 3 * 86_400_000],
      [{ type: 'repurchase', days: 30, products: ['*'], at: 600 }, { tagsAll: [], tagsNone: [], products: null, consent: null }, 3 * 86_400_000],
      [{ type: 'purchase', products: null }, { tagsAll: [], tagsNone: [], products: null, consent: null }, 3 * 86_400_000],
      [{ type: 'birthday', daysBefore: 7, at: 495 }, { tagsAll: [], tagsNone: [], products: null, consent: null }, 12 * 3_600_000],
    ]);
  });

  it('hashes the definition, not the file: comments, key order and lines do not count, the version does', () => {
    write({ 'imagens/dica.jpg': 'jpeg' });
    const hashOf = (text: string) => {
      fs.writeFileSync(path.join(dir, 'completo.yaml'), text);
      const { flows, errors } = loadFlows(dir, { locale: 'pt-BR' });
      expect(errors).toEqual([]);
      return flows[0]?.hash;
    };
    const original = hashOf(EVERY_KIND);
    const reordered = EVERY_KIND.replace('id: completo\nversion: 3\n', '\n\nversion: 3 # comentário\nid: completo\n');
    expect(hashOf(reordered)).toBe(original);
    expect(hashOf(EVERY_KIND.replace('version: 3', 'version: 4'))).not.toBe(original);
    expect(hashOf(EVERY_KIND.replace('wait: 1d12h', 'wait: 36h'))).toBe(original);
    expect(hashOf(EVERY_KIND.replace('wait: 1d12h', 'wait: 1d'))).not.toBe(original);
  });

  it('reads `enabled`: true is the same as none written, false turns the flow off (the same definition), anything else is an error', () => {
    write({ 'imagens/dica.jpg': 'jpeg' });
    const load = (text: string) => {
      fs.writeFileSync(path.join(dir, 'completo.yaml'), text);
      return loadFlows(dir, { locale: 'pt-BR' });
    };
    const on = load(EVERY_KIND).flows[0]!;
    expect(on.enabled).toBeUndefined();
    expect(load(EVERY_KIND.replace('version: 3\n', 'version: 3\nenabled: true\n')).flows[0]!.hash).toBe(on.hash);
    const off = load(EVERY_KIND.replace('version: 3\n', 'version: 3\nenabled: false\n')).flows[0]!;
    expect(off.enabled).toBe(false);
    // Not part of what a run follows: turning a flow off or on is not a new version of it.
    expect(off.hash).toBe(on.hash);
    const broken = load(EVERY_KIND.replace('version: 3\n', 'version: 3\nenabled: talvez\n'));
    expect(broken.flows).toEqual([]);
    expect(broken.errors).toMatchObject([{ path: 'enabled', line: 4 }]);
  });

  it('hashes the canonical JSON with sha256', () => {
    const flow = loadFlows(path.join(ROOT, 'flows'), { locale: 'pt-BR' }).flows[0];
    expect(flow).toBeDefined();
    if (flow) expect(hashFlow({ ...flow, steps: flow.steps.map((step) => ({ ...step, line: 999 })) })).toBe(flow.hash);
  });
});

describe('loadFlows: the shipped flows', () => {
  it.each([
    ['flows', ['aniversario', 'pos-compra', 'recompra', 'reconquista']],
    ['examples/en', ['birthday', 'post-purchase', 'repurchase', 'win-back']],
    ['examples/es', ['cumpleanos', 'post-compra', 'recompra', 'reconquista']],
  ])('%s loads with no errors', (folder, ids) => {
    const { flows, errors } = loadFlows(path.join(ROOT, folder), { locale: 'pt-BR' });
    expect(formatFlowErrors(errors)).toBe('');
    expect(flows.map((flow) => flow.id)).toEqual(ids);
    for (const flow of flows) expect(flow.file).toBe(`${flow.id}.yaml`);
  });

  it.each(['flows', 'examples/en', 'examples/es'])('%s: the post-purchase flow has the agreed shape', (folder) => {
    const { flows } = loadFlows(path.join(ROOT, folder), { locale: 'pt-BR' });
    const [birthday, postPurchase, repurchase, winBack] = flows;
    expect(postPurchase?.trigger).toEqual({ type: 'purchase', products: null });
    const steps = postPurchase?.steps ?? [];
    // Issue 18: the thank-you goes at once to a customer who wrote; one who never did gets an hour to write first.
    expect(steps[0]).toMatchObject({ kind: 'send', cold: { kind: 'wait_for_contact', ms: 3_600_000, then: 'send' } });
    expect(steps[1]).toMatchObject({ kind: 'wait', wait: { kind: 'until', afterMs: 3 * 86_400_000, at: 600 } });
    expect(postPurchase?.cold).toBeUndefined();
    const nps = steps.find((step) => step.kind === 'ask' && step.ask === 'nps');
    expect(nps).toMatchObject({ poll: true, reminder: { afterMs: 86_400_000 }, timeoutMs: 3 * 86_400_000 });
    if (nps?.kind !== 'ask') throw new Error('no nps question');
    const byId = new Map(steps.map((step) => [step.id, step]));
    // The owner's alert for a detractor comes from the inbox, for every NPS question: the flow only apologizes.
    expect(byId.get(nps.branches.detractor ?? '')).toMatchObject({ kind: 'send', next: 'end' });
    expect(steps.some((step) => step.kind === 'alert_owner')).toBe(false);
    expect(byId.get(nps.branches.passive ?? '')).toMatchObject({ kind: 'send', next: 'end' });
    const promoter = byId.get(nps.branches.promoter ?? '');
    expect(promoter?.kind).toBe('tag');
    expect(byId.get(promoter?.next ?? '')).toMatchObject({ kind: 'ask', ask: 'referral', branches: { no_answer: 'end' } });
    expect(nps.branches.no_answer).toBe('end');
    expect(steps.at(-1)).toMatchObject({ kind: 'send', next: 'end' });

    expect(birthday?.trigger).toEqual({ type: 'birthday', daysBefore: 0, at: 540 });
    expect(repurchase?.trigger).toEqual({ type: 'repurchase', days: 30, products: ['*'], at: 600 });
    expect(winBack?.trigger).toEqual({ type: 'inactivity', days: 120, at: 600 });
    for (const flow of [birthday, repurchase, winBack]) expect(flow?.filter.consent).toBe('marketing');
    // Birthday wishes and a win-back from a number the customer never talked to are skipped; a reminder of what runs out goes.
    expect([birthday?.cold, repurchase?.cold, winBack?.cold]).toEqual([{ kind: 'skip' }, undefined, { kind: 'skip' }]);
  });

  it.each(['flows', 'examples/en', 'examples/es'])('%s: the reminders and the win-back name a word that opts out', (folder) => {
    const { flows } = loadFlows(path.join(ROOT, folder), { locale: 'pt-BR' });
    for (const flow of [flows[2], flows[3]]) {
      const texts = (flow?.steps ?? []).flatMap((step) => (step.kind === 'send' && step.text !== null ? [step.text] : []));
      expect(texts.length, flow?.id).toBeGreaterThan(0);
      // A keyword in capitals ("responda SAIR", "Reply STOP", "Responde SALIR") that the inbox reads as an opt-out.
      for (const text of texts) expect((text.match(/\b\p{Lu}{3,}\b/gu) ?? []).some((word) => isOptOut(word)), `${flow?.id}: ${text}`).toBe(true);
    }
  });
});

describe('loadFlows: the folder', () => {
  const valid = (id: string) => `id: ${id}\nversion: 1\nname: ${id}\ntrigger: manual\nsteps:\n  - id: a\n    send: oi\n`;

  it('reports a missing folder', () => {
    const missing = path.join(dir, 'nada');
    const result = loadFlows(missing, { locale: 'pt-BR' });
    expect(result).toEqual({ flows: [], errors: [{ file: missing, line: 0, column: 0, path: '', where: '', message: 'a pasta de fluxos não existe (confira FLOWS_DIR)' }] });
    expect(formatFlowErrors(result.errors)).toBe(`${missing}: a pasta de fluxos não existe (confira FLOWS_DIR)`);
  });

  it('reports a file given as the folder', () => {
    write({ 'x.yaml': valid('x') });
    expect(loadFlows(path.join(dir, 'x.yaml'), { locale: 'en' }).errors[0]?.message).toBe('not a folder (check FLOWS_DIR)');
  });

  it('accepts an empty folder', () => {
    expect(loadFlows(dir, { locale: 'pt-BR' })).toEqual({ flows: [], errors: [] });
  });

  it('reads .yaml and .yml only, not subfolders, dotfiles or other files', () => {
    write({
      'a.yaml': valid('a'),
      'b.yml': valid('b'),
      'c.YAML': valid('c'),
      'README.md': '# not a flow: {{',
      'notas.txt': 'id: x',
      '.#a.yaml': 'lixo: [',
      'sub/d.yaml': valid('d'),
      'sub.yaml/e.yaml': valid('e'),
    });
    const { flows, errors } = loadFlows(dir, { locale: 'pt-BR' });
    expect(errors).toEqual([]);
    expect(flows.map((flow) => flow.file)).toEqual(['a.yaml', 'b.yml', 'c.YAML']);
  });

  it('reports a flow id used by two files, in the later file, and keeps the first', () => {
    const { flows, errors } = { ...(write({ 'a.yaml': valid('mesmo'), 'b.yaml': valid('mesmo'), 'c.yaml': valid('outro') }), loadFlows(dir, { locale: 'pt-BR' })) };
    expect(formatFlowErrors(errors)).toBe('b.yaml:1:5 id: id de fluxo repetido: mesmo já é usado em a.yaml');
    expect(flows.map((flow) => flow.file)).toEqual(['a.yaml', 'c.yaml']);
  });

  it('reports a repeated id even when the other file has errors of its own', () => {
    expect(check({ 'a.yaml': `${valid('mesmo')}    next: nada\n`, 'b.yaml': valid('mesmo') })).toEqual([
      'a.yaml:8:11 passo "a" › next: nenhum passo tem o id nada; use o id de um passo deste fluxo ou end',
      'b.yaml:1:5 id: id de fluxo repetido: mesmo já é usado em a.yaml',
    ]);
  });

  it('finds images under the folder, and refuses one that is missing or escapes it', () => {
    const flow = (image: string) => `id: f\nversion: 1\nname: F\ntrigger: manual\nsteps:\n  - id: a\n    send: { text: oi, image: "${image}" }\n`;
    write({ 'imagens/ok.png': 'png', 'imagens/pasta.jpg/x': '' });
    fs.writeFileSync(path.join(os.tmpdir(), 'fregues-fora.jpg'), 'jpeg');
    fs.symlinkSync(path.join(os.tmpdir(), 'fregues-fora.jpg'), path.join(dir, 'atalho.jpg'));
    const errorsFor = (image: string) => check({ 'f.yaml': flow(image) });
    expect(errorsFor('imagens/ok.png')).toEqual([]);
    expect(errorsFor('imagens/OK.png')).toEqual(['f.yaml:7:30 passo "a" › send.image: imagem não encontrada: imagens/OK.png (o caminho começa na pasta de fluxos)']);
    expect(errorsFor('imagens/pasta.jpg')).toEqual(['f.yaml:7:30 passo "a" › send.image: imagem não encontrada: imagens/pasta.jpg (o caminho começa na pasta de fluxos)']);
    expect(errorsFor('/etc/x.jpg')).toEqual(['f.yaml:7:30 passo "a" › send.image: a imagem precisa estar dentro da pasta de fluxos: /etc/x.jpg']);
    expect(errorsFor('imagens/../../x.jpg')).toEqual(['f.yaml:7:30 passo "a" › send.image: a imagem precisa estar dentro da pasta de fluxos: imagens/../../x.jpg']);
    expect(errorsFor('atalho.jpg')).toEqual(['f.yaml:7:30 passo "a" › send.image: a imagem precisa estar dentro da pasta de fluxos: atalho.jpg']);
    fs.rmSync(path.join(os.tmpdir(), 'fregues-fora.jpg'));
  });

  it('collects the errors of every file, sorted by file and line', () => {
    const lines = check({
      'b.yaml': `${HEAD}  - id: a\n    wait: 2\n  - id: b\n    wait: 3\n`,
      'a.yaml': 'id: a\nversion: 0\n',
    });
    expect(lines.map((line) => line.split(' ')[0])).toEqual(['a.yaml:1:1', 'a.yaml:1:1', 'a.yaml:1:1', 'a.yaml:2:10', 'b.yaml:7:11', 'b.yaml:9:11']);
  });
});

describe('formatFlowErrors', () => {
  it('sorts by file, line and column, and leaves out what is unknown', () => {
    const errors: FlowError[] = [
      { file: 'b.yaml', line: 2, column: 1, path: 'x', where: 'x', message: 'quatro' },
      { file: 'a.yaml', line: 10, column: 3, path: 'steps[1]', where: 'passo "b"', message: 'dois' },
      { file: 'a.yaml', line: 9, column: 5, path: '', where: '', message: 'um' },
      { file: 'a.yaml', line: 0, column: 0, path: '', where: '', message: 'zero' },
      { file: 'a.yaml', line: 10, column: 7, path: 'steps[1].id', where: 'passo 2 › id', message: 'três' },
    ];
    // The seller's words, not the path for programs.
    expect(formatFlowErrors(errors)).toBe(
      ['a.yaml: zero', 'a.yaml:9:5: um', 'a.yaml:10:3 passo "b": dois', 'a.yaml:10:7 passo 2 › id: três', 'b.yaml:2:1 x: quatro'].join('\n'),
    );
    expect(formatFlowErrors([])).toBe('');
  });
});

describe('loadFlows never throws on bad input', () => {
  const base = parseYaml(EVERY_KIND) as unknown;
  const anyValue = fc.oneof(
    fc.string(),
    fc.constantFrom('', 'end', '1d', '09:00', '{{ x }}', '{% if %}', '../x.jpg', 'nps', 'choice', 'seg', '*', 'marketing'),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }),
  );

  /** Every path into a value, so a mutation can land anywhere. */
  function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => paths(item, [...prefix, index]))];
    if (typeof value === 'object' && value !== null) return [prefix, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))];
    return [prefix];
  }
  const allPaths = paths(base).filter((p) => p.length > 0);

  function mutate(value: unknown, at: (string | number)[], replacement: unknown, remove: boolean): unknown {
    const copy = structuredClone(value) as Record<string | number, unknown>;
    let parent: Record<string | number, unknown> = copy;
    for (const part of at.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
    const last = at[at.length - 1] as string | number;
    if (remove) {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else {
      parent[last] = replacement;
    }
    return copy;
  }

  it('gives errors with a place for any mutation of a valid flow', () => {
    write({ 'imagens/dica.jpg': 'jpeg' });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...allPaths), anyValue, fc.boolean()), { minLength: 1, maxLength: 4 }), (mutations) => {
        let flow = base;
        for (const [at, replacement, remove] of mutations) {
          try {
            flow = mutate(flow, at, replacement, remove);
          } catch {
            // An earlier mutation removed the parent: skip this one.
          }
        }
        fs.writeFileSync(path.join(dir, 'f.yaml'), stringifyYaml(flow));
        const { flows, errors } = loadFlows(dir, { locale: 'pt-BR' });
        expect(flows).toHaveLength(errors.length === 0 ? 1 : 0);
        for (const error of errors) {
          expect(error.line).toBeGreaterThanOrEqual(1);
          // No empty message, no stray JS value, no placeholder left unfilled.
          expect(error.message).not.toMatch(/^\s*$|undefined|\[object Object\]|\{(key|value|values|allowed|kinds?|id|other|target|outcomes|after|timeout|min|max|file|tag|detail|text|label|count|name|what)\}/);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  it('survives random edits of the text', () => {
    write({ 'imagens/dica.jpg': 'jpeg' });
    fc.assert(
      fc.property(fc.nat(EVERY_KIND.length), fc.nat(20), fc.string({ maxLength: 6 }), (start, length, insert) => {
        fs.writeFileSync(path.join(dir, 'f.yaml'), EVERY_KIND.slice(0, start) + insert + EVERY_KIND.slice(start + length));
        const { flows, errors } = loadFlows(dir, { locale: 'pt-BR' });
        expect(flows).toHaveLength(errors.length === 0 ? 1 : 0);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});

describe('the whole report for a seller’s badly edited folder', () => {
  it('is pinned: every error, in file and line order, in the shop’s language', () => {
    const lines = check({
      'pos-compra.yaml': [
        'id: pos-compra',
        'version: 2',
        'name: Pós-compra',
        'trigger: { type: purchase, produtos: [CAFE-*] }',
        'steps:',
        '  - id: oi',
        '    send: "Oi, {{ cliente.nome }}!"',
        '  - id: espera',
        '    wait: 3 dias',
        '  - id: pesquisa',
        '    ask: nps',
        '    question: De 0 a 10?',
        '    branches: { detractor: alerta, promoter: fim }',
        '  - id: oi',
        '    goto: sumiu',
        '',
      ].join('\n'),
      'aniversario.yaml': [
        'id: aniversario',
        'version: 1',
        'name: Aniversário',
        'trigger: { type: birthday, at: "25:00" }',
        'filter: { consent: marketing, cor: azul }',
        'steps:',
        '  - id: parabens',
        '    send: Parabéns, {{ customer.first_name | upcase }}!',
        '    max_lateness: ontem',
        '',
      ].join('\n'),
    });
    expect(lines).toMatchInlineSnapshot(`
      [
        "aniversario.yaml:4:32 trigger.at: horário inválido: 25:00; use HH:MM entre aspas, como "09:00"",
        "aniversario.yaml:5:31 filter.cor: campo desconhecido: cor (aceitos: tags, not_tags, products, consent, contact, segment)",
        "aniversario.yaml:9:19 passo "parabens" › max_lateness: duração inválida: ontem; use um número e uma unidade (s, m, h, d ou w), como 30m, 2h, 3d, 1w ou 1d12h",
        "pos-compra.yaml:4:28 trigger.produtos: campo desconhecido: produtos (aceitos: type, products)",
        "pos-compra.yaml:7:11 passo 1 › send: variável desconhecida: cliente; use shop, customer, purchase, answer, reward",
        "pos-compra.yaml:9:11 passo "espera" › wait: duração inválida: 3 dias; use um número e uma unidade (s, m, h, d ou w), como 30m, 2h, 3d, 1w ou 1d12h",
        "pos-compra.yaml:11:10 passo "pesquisa" › ask: esperava campos (chave: valor)",
        "pos-compra.yaml:12:5 passo "pesquisa" › question: campo desconhecido: question (aceitos: id, next, max_lateness, wait, send, ask, alert_owner, tag, untag, goto, end, cold)",
        "pos-compra.yaml:13:5 passo "pesquisa" › branches: campo desconhecido: branches (aceitos: id, next, max_lateness, wait, send, ask, alert_owner, tag, untag, goto, end, cold)",
        "pos-compra.yaml:14:9 passo 4 › id: id de passo repetido: oi já é usado em passo 1",
        "pos-compra.yaml:15:11 passo 4 › goto: nenhum passo tem o id sumiu; use o id de um passo deste fluxo ou end",
      ]
    `);
  });
});
