import fs from 'node:fs';
import path from 'node:path';

/**
 * The crash suite's own flows (written into its temporary FLOWS_DIR), and
 * what each purchase must end up with. Every text carries the order number,
 * so that each (purchase, step) has a text of its own: the same text twice in
 * a customer's chat is the same step twice.
 */
export const THANKS_FLOW = 'crash-obrigado';
export const SURVEY_FLOW = 'crash-pesquisa';

/** Three sends at 10 min, 2 h 10 min and the next 10:00 a day later. */
const THANKS = `id: ${THANKS_FLOW}
version: 1
name: Obrigado (crash)
trigger:
  type: purchase
steps:
  - id: espera-obrigado
    wait: 10m
  - id: obrigado
    send: "Obrigado pelo pedido {{ purchase.external_id }}, {{ customer.first_name }}!"
  - id: espera-dica
    wait: 2h
  - id: dica
    send: "Uma dica sobre o pedido {{ purchase.external_id }}: guarde bem."
  - id: espera-lembrete
    wait: { for: 1d, until: "10:00" }
  - id: lembrete
    send: "Lembrete do pedido {{ purchase.external_id }}: precisando, chame."
`;

/** A yes/no question at 30 min with a reminder at 6 h, then one of three answers to what the customer said (or did not). */
const SURVEY = `id: ${SURVEY_FLOW}
version: 1
name: Pesquisa (crash)
trigger:
  type: purchase
steps:
  - id: espera-pergunta
    wait: 30m
  - id: pergunta
    ask:
      kind: yes_no
      question: "O pedido {{ purchase.external_id }} chegou direitinho?"
      reminder:
        after: 6h
        text: "Lembrando da pergunta sobre o pedido {{ purchase.external_id }}."
      timeout: 1d
      branches:
        "yes": sim
        "no": nao
        no_answer: silencio
  - id: sim
    send: "Que bom que o pedido {{ purchase.external_id }} chegou!"
    next: end
  - id: nao
    send: "Poxa, vamos resolver o pedido {{ purchase.external_id }}."
    next: end
  - id: silencio
    send: "Tudo certo com o pedido {{ purchase.external_id }}, então."
`;

export const THANKS_SENDS = ['obrigado', 'dica', 'lembrete'] as const;
export const SURVEY_QUESTION = 'pergunta';
/** The branch each answer value leads to; no answer leads to `silencio`. */
export const SURVEY_BRANCHES: Record<string, string> = { yes: 'sim', no: 'nao' };
export const SURVEY_SILENCE = 'silencio';

export function writeCrashFlows(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${THANKS_FLOW}.yaml`), THANKS);
  fs.writeFileSync(path.join(dir, `${SURVEY_FLOW}.yaml`), SURVEY);
}
