/**
 * Stop requests (readStopRequest; isOptOut is its 'stop'). Three readings,
 * because the three mistakes cost differently: a false 'stop' silently loses a
 * customer; a missed stop breaks the law and the shop's promise ("responda
 * SAIR"); a false 'maybe' pauses the customer's automation until the owner
 * glances at the message. So 'stop' is kept for what cannot mean anything else,
 * 'maybe' takes what may stop the messages without naming them, and null is
 * everything else, including every ordinary survey answer.
 *
 * 'stop':
 * - The whole message, once courtesy ("por favor", "obrigado", "please", "ok",
 *   "já"…), a leading wish ("quero", "pode", "gostaria de", "I want to"…) and
 *   emojis/punctuation are dropped, is a stop keyword (SAIR, PARAR, PARA, PARE,
 *   STOP, CANCELAR, DESCADASTRAR, REMOVER, CHEGA, UNSUBSCRIBE, BAJA, "sai fora",
 *   "não autorizo", "não envie"…, or one repeated): always yes, even "sair?"
 *   and even "cancelar" alone (that one can mean an order; see needsOwner).
 *   Beside a greeting ("Boa tarde, SAIR", "oi moça, pode parar") only the
 *   keywords that mean nothing else count: not "para", "chega" ("amei, chega
 *   logo"), "cancelar" or "nunca mais".
 * - Inside a longer message, an unmistakable intent: not wanting to receive
 *   (any more) nothing or what the shop sends — messages, pesquisas,
 *   avaliações, lembretes, promoções, cupons, "essas coisas", "isso" ("não
 *   quero mais receber essas pesquisas", "não tenho interesse em receber",
 *   "prefiro não receber", "quero parar de receber"); a stop verb whose object is
 *   messages, list or contact ("cancelar as mensagens", "chega de msg", "parem
 *   de me mandar", "para de insistir"); "não envie/mande mais", "não me ligue /
 *   chame / procure mais", "nunca mais me mande", "não entre mais em contato",
 *   "não quero que me mandem", "não quero ser contatada"; leaving a list or
 *   having the number removed ("sair da lista", "tira meu número", "quero ser
 *   removida", "me tira", "pode me tirar", but not "me tira uma dúvida" or "me
 *   remove esse item"); blocking ("bloqueia meu número", "pode me bloquear",
 *   "vou bloquear vocês"); consent refused for the messages ("não autorizo o
 *   envio de mensagens", "não solicitei essas mensagens", "nunca pedi pra
 *   receber isso", "já pedi pra parar"); and the words that mean nothing else
 *   (descadastrar, unsubscribe, darme de baja). Typed any way: "nao", "naum",
 *   "ñ", "n", "kero", "q", "vcs", "msg", "recebe", "menssagem".
 * - Not when the object is goods, a bill or a place ("não me mande mais
 *   boletos", "pare de mandar o pedido nesse endereço", "não quero receber
 *   ligação, só whatsapp", "não quero mais receber o produto"); not when a
 *   third person is the subject ("o vendedor não me manda mais", "o site me
 *   bloqueia", "vão me remover?", "o celular vai parar de receber?"); not for
 *   another list ("a lista de espera", "o contato do entregador"); not bare
 *   "sair", "parar", "cancelar" or "bloquear" with another object ("vou sair de
 *   casa", "pode parar na recepção?", "bloqueou meu cartão", "cancelar o
 *   pedido"); never for a request to keep sending ("não parem de mandar as
 *   dicas", "não quero que parem").
 * - A stop phrase under a negation ("não quero sair da lista") is a 'maybe':
 *   a customer who writes that much about the list is asked by the owner
 *   rather than dropped or messaged against their will.
 *
 * 'maybe': see maybe-phrases.ts.
 *
 * null: everything else. Decided: "não", "não quero" and "não, obrigado" are
 * null, since they answer the question asked (the flow reads them), and the
 * stop keyword is offered in every message; so are "pode mandar", scores and
 * praise. Questions and complaints that use stop words ("como faço pra
 * cancelar o pedido?", "parei de receber as notificações") are null here;
 * needsOwner decides whether the owner sees them.
 */
import { COMPLAINTS } from './complaints.js';
import { command, withoutCourtesy } from './courtesy.js';
import { alt, E, fold, negated, words } from './folded-text.js';
import { ANSWERING, BARE_DECLINE, MAYBE_ANCHORS, MAYBE_PHRASES, MAYBE_WITH_COURTESY, REPETITION } from './maybe-phrases.js';
import { SENT_THINGS, WINDOW } from './message-words.js';
import { hasStopClause, STOP_ANYWHERE, STOP_WHOLE_RE } from './stop-keywords.js';
import { STOP_PHRASES } from './stop-phrases.js';

/**
 * A stop phrase under a negation ("não quero sair da lista", "não parem de
 * mandar mensagem", "não quero que parem"): a customer who writes that much
 * about the messages is asked by the owner ('maybe') rather than dropped.
 */
const NEGATED_STOP = words(
  `${alt(negated(['quero', 'queria', 'gostaria de', 'gostaria', 'desejo', 'pretendo', 'vou']))}(?: ${alt(['que', 'q'])})?` +
    `(?: ${alt(['vocês', 'vcs', 'vc', 'você'])})? ${alt(['parem', 'pare', 'parar', 'sair', 'saia', 'deixar de', 'deixem de',
    'cancelar', 'me tirar', 'me remover', 'me descadastrar', 'ser removido', 'ser removida', 'me tirem', 'me removam',
    'me excluir', 'bloquear', 'me bloquear', 'me bloqueiem'])}` +
    `|${alt(negated(['pare', 'parem', 'para']))} de ${alt(['mandar', 'enviar', 'me mandar', 'me enviar'])}`,
);

/**
 * Asking the shop to keep sending ("não parem de mandar as dicas", "não quero
 * que deixem de mandar"): dropped before the stop phrases are read, which would
 * otherwise find "parem de mandar" in it.
 */
const KEEP_SENDING = words(
  `(?:${alt(negated(['quero', 'queria', 'gostaria', 'gostaria de', 'quero mais']))} (?:${alt(['que', 'q'])} )?` +
    `(?:${alt(['vocês', 'vcs', 'vc', 'você'])} )?${alt(['parem', 'deixem', 'parar', 'deixar'])}|${alt(negated(['pare', 'parem',
    'deixe', 'deixem']))}) de (?:${alt(['me', 'nos'])} )?${alt(['mandar', 'enviar', 'receber', 'mandarem', 'enviarem'])}` +
    `(?:${WINDOW} ${alt([...SENT_THINGS])}${E})?`,
  'g',
);

/** The message as the stop phrases read it: folded, no courtesy, no request to keep sending. */
function stopCore(folded: string): string {
  return withoutCourtesy(folded.replace(KEEP_SENDING, ' '));
}

/** Certainly a stop request: the core (folded, courtesy dropped) of a message. */
function isStop(core: string): boolean {
  return hasStopPhrase(core) && !NEGATED_STOP.test(core);
}

/** Some stop phrase, negated or not. */
function hasStopPhrase(core: string): boolean {
  if (STOP_WHOLE_RE.test(command(core))) return true;
  if (STOP_ANYWHERE.test(core)) return true;
  if (STOP_PHRASES.some((re) => re.test(core))) return true;
  return hasStopClause(core);
}

export type StopReading = 'stop' | 'maybe' | null;

/**
 * 'stop': certainly asks to stop messages; 'maybe': might (the owner decides); null: no.
 * A false 'stop' silently loses a customer, a missed one breaks the law, a false
 * 'maybe' costs a paused customer and a glance by the owner.
 */
export function readStopRequest(text: string): StopReading {
  const folded = fold(text);
  const core = stopCore(folded);
  if (core === '') return null;
  if (hasStopPhrase(core)) return NEGATED_STOP.test(core) ? 'maybe' : 'stop';
  if (!MAYBE_ANCHORS.test(folded)) return null;
  if (MAYBE_PHRASES.some((re) => re.test(core)) || MAYBE_WITH_COURTESY.some((re) => re.test(folded))) return 'maybe';
  if (REPETITION.some((re) => re.test(core)) && !COMPLAINTS.test(folded)) return 'maybe';
  if (BARE_DECLINE.test(core) && !ANSWERING.test(core) && !COMPLAINTS.test(folded)) return 'maybe';
  return null;
}

/** The customer asks to stop receiving messages (LGPD opt-out): readStopRequest(text) === 'stop'. */
export function isOptOut(text: string): boolean {
  const core = stopCore(fold(text));
  return core !== '' && isStop(core);
}
