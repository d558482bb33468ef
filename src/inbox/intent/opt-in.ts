/**
 * Opt-in. Whole-message VOLTAR (what the opt-out confirmation tells the
 * customer to send, in every language), START or VOLVER; or "voltar a
 * receber / mandar", "receber as mensagens de novo", "me coloca de volta na
 * lista". Not when a "não" comes just before ("não quero voltar a receber"),
 * and never for a message that is an opt-out: when in doubt the customer stays
 * out. "Vou voltar na loja" is no opt-in.
 */
import { command, withoutCourtesy } from './courtesy.js';
import { alt, fold, words } from './folded-text.js';
import { CONTENT_NOUNS, MESSAGE_NOUNS, WINDOW } from './message-words.js';
import { isOptOut } from './stop-request.js';

const START_WHOLE = [
  'voltar', 'volta', 'voltem', 'voltar a receber', 'start', 'unstop', 'volver', 'reativar', 'reativa', 'reative',
  'reactivar', 'resubscribe', 'subscribe', 'opt in', 'optin', 'darme de alta', 'dar de alta', 'receber de novo',
  'receber novamente', 'start again',
];
const START_WHOLE_RE = new RegExp(`^${alt(START_WHOLE)}(?: ${alt(START_WHOLE)})*$`, 'u');

const AGAIN = alt(['de novo', 'novamente', 'outra vez', 'again', 'de nuevo', 'otra vez']);
const START_PHRASES: readonly RegExp[] = [
  words(`${alt(['voltar', 'volta', 'voltem', 'voltam', 'volte', 'volver', 'vuelvan', 'vuelve', 'vuelvo'])} a (?:me )?${alt([
    'receber', 'mandar', 'enviar', 'recibir', 'mandarme', 'enviarme',
  ])}`, 'g'),
  words(`${alt(['receber', 'recibir', 'receive'])}${WINDOW} ${alt([...MESSAGE_NOUNS, ...CONTENT_NOUNS])} ${AGAIN}`, 'g'),
  words(`me ${alt(['coloca', 'coloque', 'bota', 'bote', 'põe', 'ponha', 'adiciona', 'adicione', 'inclui', 'inclua',
    'cadastra', 'cadastre'])} ${alt(['de volta', 'de novo', 'novamente', 'outra vez'])}`, 'g'),
  words(`${alt(['start', 'resume'])} ${alt(['again', 'sending', 'messaging', 'texting'])}`, 'g'),
  words(`${alt(['reativar', 'reativa', 'reative', 'reactivar', 'reactiva'])}${WINDOW} ${alt([...MESSAGE_NOUNS, ...CONTENT_NOUNS])}`, 'g'),
  words(alt(['resubscribe', 'opt in', 'optin', 'opt me in', 'subscribe again', 'darme de alta', 'dar de alta']), 'g'),
];
const NEGATION = new Set(['nao', 'n', 'naum', 'nem', 'no', 'not', 'dont', 'never', 'nunca', 'jamais', 'nunk']);

/** Some match of re that no negation word precedes closely ("não quero voltar a receber"). */
function hasUnnegated(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const before = text.slice(0, m.index).split(' ').filter((w) => w !== '' && w !== '|').slice(-3);
    if (!before.some((w) => NEGATION.has(w))) return true;
    if (m[0] === '') re.lastIndex += 1;
  }
  return false;
}

/** The customer asks to receive messages again after opting out. */
export function isOptIn(text: string): boolean {
  if (isOptOut(text)) return false;
  const core = withoutCourtesy(fold(text));
  if (core === '' || core === '|') return false;
  if (START_WHOLE_RE.test(command(core))) return true;
  return START_PHRASES.some((re) => hasUnnegated(re, core));
}
