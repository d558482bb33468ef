/** What does not change what a message asks: courtesy, a leading wish, letters spelled out one by one. */
import { alt, squeeze, unbroken, words } from './folded-text.js';

/** Courtesy that does not change what a message asks: dropped before opt-out and opt-in are read. */
const COURTESY = words(
  alt([
    'por favor', 'porfavor', 'favor', 'pf', 'pfv', 'pfvr', 'plis', 'porfa', 'please', 'pls', 'plz',
    'obrigado', 'obrigada', 'obg', 'brigado', 'brigada', 'grato', 'grata', 'pela atenção', 'valeu', 'vlw',
    'thanks', 'thank you', 'thx', 'gracias', 'muchas gracias',
    'ok', 'okay', 'oki', 'tá', 'ta bom', 'tá bom', 'tchau', 'bye', 'adeus', 'chau', 'adiós',
    'já', 'agora', 'agora mesmo', 'now', 'right now', 'ya', 'ahora', 'urgente', 'logo', 'imediatamente', 'mesmo',
  ]),
  'g',
);

/** A leading wish before the keyword: "quero sair", "pode parar", "I want to stop". */
const WISH = new RegExp(
  `^(?:${alt([
    'eu', 'quero', 'queria', 'gostaria', 'gostaria de', 'desejo', 'preciso', 'só', 'apenas', 'pode', 'podem',
    'poderia', 'poderiam', 'i', 'want to', 'wanna', 'would like to', 'id like to', 'quiero', 'quisiera', 'deseo',
  ])} )+`,
  'u',
);

/** "s a i r", "S.A.I.R": single letters are one word. */
export function joinSpelled(text: string): string {
  const parts = text.split(' ');
  return parts.length > 1 && parts.every((p) => p.length === 1) ? squeeze(parts.join('')) : text;
}

/** The message without courtesy, breaks collapsed but kept, none at either end. */
export function withoutCourtesy(folded: string): string {
  const out: string[] = [];
  for (const word of folded.replace(COURTESY, ' ').split(' ')) {
    if (word === '' || (word === '|' && (out.length === 0 || out[out.length - 1] === '|'))) continue;
    out.push(word);
  }
  if (out[out.length - 1] === '|') out.pop();
  return out.join(' ');
}

/** The message as a bare command: no courtesy, no breaks, no leading wish. */
export function command(core: string): string {
  return joinSpelled(unbroken(core)).replace(WISH, '');
}
