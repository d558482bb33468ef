/**
 * What a customer's free-text WhatsApp message asks for, read before anything
 * else reads it: stop the messages (opt-out, LGPD), start them again (opt-in),
 * or a question or complaint the shop owner should see. pt-BR first, then en
 * and es. Pure functions of the text; they never throw.
 *
 * How text is compared. Case, accents (NFD, marks stripped), apostrophes,
 * emojis and extra spaces do not count; a run of one letter counts once, in the
 * message and in the patterns alike ("saaaair" is "sair", "whatsapp" is
 * "whatsap", "errado" is "erado"), so shouting and typos like "sairrr" match.
 * Punctuation between clauses (. , ! ? ; : and line breaks) is kept as a break
 * that phrases do not run across: "Não, chegou certinho" is no "não chegou".
 *
 * Opt-out. A false opt-out silently loses a customer; a missed one breaks the
 * law and the shop's promise ("responda SAIR"). So:
 * - The whole message, once courtesy ("por favor", "obrigado", "please", "ok",
 *   "já"…), a leading wish ("quero", "pode", "gostaria de", "I want to"…) and
 *   emojis/punctuation are dropped, is a stop keyword (SAIR, PARAR, PARA, PARE,
 *   STOP, CANCELAR, DESCADASTRAR, REMOVER, CHEGA, UNSUBSCRIBE, BAJA…, or one
 *   repeated): always yes, even "sair?" and even "cancelar" alone (that one can
 *   mean an order; see needsOwner).
 * - Inside a longer message only an unmistakable intent counts: a stop verb
 *   whose object is messages, list or contact ("cancelar as mensagens", "chega
 *   de msg", "não quero receber mais mensagens", "parem de me mandar"); leaving
 *   a list ("sair da lista", "tira meu número"); first-person removal ("me
 *   tira", "me remove", "me descadastra", but not "me tira uma dúvida" or "me
 *   remove esse item", which ask for something else); "não quero mais
 *   receber" with nothing after it but messages or "nada"; and the words that
 *   mean nothing else (descadastrar, unsubscribe, darme de baja). Bare "sair",
 *   "parar" or "cancelar" inside a sentence ("vou sair de casa", "parar na
 *   portaria?", "quero cancelar o pedido") do not count: there the word has
 *   another object. Nor do another list ("a lista de preços", "o contato do
 *   entregador"), an offer turned down without the messages named ("não
 *   quero essa promoção", "não tenho interesse", "não quero mais"), or
 *   "promoções/novidades" unless it is about receiving them ("não quero mais
 *   receber promoções" and "chega de propaganda" are opt-outs). Negation is
 *   not read ("não quero sair da lista" is an opt-out): a customer who writes
 *   that much about the list is better asked again by the owner than messaged
 *   against their will.
 *
 * Opt-in. Whole-message VOLTAR (what the opt-out confirmation tells the
 * customer to send, in every language), START or VOLVER; or "voltar a
 * receber / mandar", "receber as mensagens de novo", "me coloca de volta na
 * lista". Not when a "não" comes just before ("não quero voltar a receber"),
 * and never for a message that is an opt-out: when in doubt the customer stays
 * out. "Vou voltar na loja" is no opt-in.
 *
 * needsOwner. A complaint (a list of phrases: "não chegou", "veio errado",
 * "reembolso", "procon", "cancelar o pedido"…) anywhere, or a question: a "?"
 * closing a clause that is more than a greeting ("oi, tudo bem?" is not), a
 * "¿", or a question word starting a sentence after any greeting ("oi, quando
 * chega"). Complaint wins when both. Here a false positive costs the owner a
 * glance and a false negative leaves an angry customer unanswered, so the
 * lists are generous ("obrigada pela troca" is flagged as a complaint); only
 * greetings, thanks, "ok", laughter and emojis are ruled out, and a few set
 * phrases that start like questions but are not ("pode ser", "pode deixar",
 * "como sempre", "quanto tempo!", "tem razão").
 */

// ---------------------------------------------------------------- text

/** One letter repeated counts once: "saaaair" is "sair", "mensagemm" is "mensagem". */
function squeeze(text: string): string {
  return text.replace(/(\p{L})\1+/gu, '$1');
}

/** Punctuation that ends a clause (opt-out and complaints do not read across it). */
const CLAUSE_BREAK = /[.!?;:,\n\r¿¡…？！。]+/gu;
/** Punctuation that ends a sentence (a question word starts one; commas do not). */
const SENTENCE_BREAK = /[.!?;:\n\r¿¡…？！。]+/gu;

/**
 * Lower case without accents, apostrophes or symbols: words separated by one
 * space, each break in the text as a "|" word, letter runs squeezed.
 */
function fold(text: string, breaks: RegExp | null = CLAUSE_BREAK): string {
  let plain = text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/['’‘`´|]/gu, '');
  if (breaks !== null) plain = plain.replace(breaks, ' | ');
  const out: string[] = [];
  for (const word of plain.replace(/[^\p{L}\p{N}|]+/gu, ' ').split(' ')) {
    if (word === '') continue;
    if (word === '|' && (out.length === 0 || out[out.length - 1] === '|')) continue;
    out.push(word);
  }
  if (out[out.length - 1] === '|') out.pop();
  return squeeze(out.join(' '));
}

/** The words of a folded text without its breaks. */
function unbroken(folded: string): string {
  return folded
    .split(' ')
    .filter((w) => w !== '|' && w !== '')
    .join(' ');
}

/** A regex alternative of phrases written as people spell them, folded like the text is. */
function alt(phrases: readonly string[]): string {
  return `(?:${phrases.map((p) => fold(p, null)).join('|')})`;
}

const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
/** The end of a clause in folded text. */
const END = '(?= \\||$)';

/** A pattern matched on whole words of folded text. */
function words(source: string, flags = ''): RegExp {
  return new RegExp(`${B}(?:${source})${E}`, `u${flags}`);
}

/** Each phrase with every spelling of "não" in front. */
function negated(phrases: readonly string[]): string[] {
  return ['não', 'nao', 'n', 'naum', 'nem'].flatMap((no) => phrases.map((p) => `${no} ${p}`));
}

// ---------------------------------------------------------------- shared word lists

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

/** Messages themselves: the object of a stop verb inside a longer message ("cancelar as mensagens"). */
const MESSAGE_NOUNS = [
  'mensagem', 'mensagens', 'mensagen', 'mensages', 'msg', 'msgs', 'mgs', 'sms', 'zap', 'zapzap', 'whatsapp',
  'whats', 'wats', 'wpp', 'zapp', 'texto', 'textos', 'recado', 'recados', 'notificação', 'notificações',
  'lembrete', 'lembretes', 'spam', 'disparo', 'disparos', 'email', 'emails', 'e-mail', 'e-mails',
  'message', 'messages', 'text', 'texts', 'notifications', 'reminders',
  'mensaje', 'mensajes', 'correo', 'correos', 'notificaciones',
];
/**
 * What messages carry: a stop only when it is clearly about receiving them
 * ("chega de propaganda", "não quero receber promoções"), since "não quero essa
 * promoção" is about a price, not the messages.
 */
const CONTENT_NOUNS = [
  'propaganda', 'propagandas', 'promoção', 'promoções', 'promo', 'promos', 'oferta', 'ofertas', 'novidade',
  'novidades', 'marketing', 'publicidade', 'anúncio', 'anúncios', 'promotions', 'ads', 'offers', 'promoción',
  'promociones', 'ofertas', 'publicidad',
];
/** Lists and contact: what a customer leaves ("sair da lista", "tira meu contato"). */
const LIST_NOUNS = [
  'lista', 'listas', 'lista de transmissão', 'cadastro', 'contato', 'contatos', 'mailing', 'grupo', 'grupos',
  'list', 'mailing list', 'contact', 'contacts', 'group', 'contacto', 'contactos',
];
/**
 * A list noun followed by "de/do/of" something else is another list ("não quero
 * a lista de preços", "o contato do entregador"); of the shop or its messages,
 * it is still the customer's ("sair da lista de vocês").
 */
const THEIR_LIST = `(?! ${alt(['de', 'do', 'da', 'dos', 'das', 'of', 'del'])} (?!${alt([
  'vcs', 'vocês', 'você', 'vc', 'loja', 'clientes', 'transmissão', 'whatsapp', 'zap', 'wpp', 'envio',
  'mensagens', 'promoções', 'contatos', 'you', 'your', 'ustedes', 'la tienda',
])}${E})\\p{L})`;
const LIST = `${alt(LIST_NOUNS)}${THEIR_LIST}`;
/** Verbs of sending and receiving, which make a content noun an object of the messages. */
const SEND_RECEIVE = [
  'receber', 'recebendo', 'mandar', 'mandando', 'mandarem', 'enviar', 'enviando', 'enviarem',
  'receive', 'receiving', 'get', 'getting', 'sending', 'send',
  'recibir', 'recibiendo', 'enviarme', 'mandarme',
];
/** Words that may stand between a stop verb and its object ("não quero receber mais essas mensagens"). */
const FILLER = [
  ...SEND_RECEIVE,
  'de', 'da', 'do', 'das', 'dos', 'a', 'o', 'as', 'os', 'e', 'com', 'mais', 'me', 'mim', 'te', 'lhe', 'ficar',
  'ficarem', 'essa', 'essas', 'esse', 'esses', 'esta', 'estas', 'este', 'estes', 'sua', 'suas', 'seu', 'seus',
  'tua', 'tuas', 'teu', 'teus', 'minha', 'minhas', 'meu', 'meus', 'vcs', 'vocês', 'você', 'vc', 'nenhuma',
  'nenhum', 'qualquer', 'tipo', 'todas', 'todos', 'tanta', 'tantas', 'tanto', 'tantos', 'sobre', 'desse', 'dessa',
  'deste', 'desta', 'dessas', 'desses', 'destas', 'destes', 'disso', 'aqui',
  'the', 'these', 'those', 'this', 'your', 'any', 'more', 'of', 'from', 'to', 'all', 'such', 'my',
  'más', 'los', 'las', 'el', 'la', 'sus', 'tus', 'su', 'tu', 'esos', 'esas', 'estos', 'del', 'al', 'mi', 'mis',
  'ningún', 'ninguna', 'envio', 'envios', 'recebimento',
];
const WINDOW = `(?: ${alt(FILLER)}){0,5}`;

// ---------------------------------------------------------------- opt-out

/**
 * Stop keywords that are opt-out as the whole message (possibly repeated:
 * "sair sair"). Not "não quero mais" alone: it answers an offer ("quer ver as
 * novidades?") as often as it stops messages.
 */
const STOP_WHOLE = [
  'sair', 'sai', 'saia', 'parar', 'para', 'pare', 'parem', 'param', 'stop', 'stopall', 'stop all',
  'cancelar', 'cancela', 'cancele', 'cancelem', 'cancel', 'remover', 'remove', 'remova', 'removam',
  'excluir', 'exclui', 'exclua', 'chega', 'basta', 'nunca mais', 'end', 'quit', 'unsub', 'opt out',
  'remove me', 'me tira', 'me tire', 'me remove', 'me remova', 'me exclui', 'me exclua',
  'stop it', 'baja', 'de baja', 'dar de baja', 'darme de baja', 'dame de baja', 'salir', 'detener', 'no más', 'no more',
  'não quero mais receber',
];
const STOP_WHOLE_RE = new RegExp(`^${alt(STOP_WHOLE)}(?: ${alt(STOP_WHOLE)})*$`, 'u');

/** Words that mean opt-out wherever they are. */
const STOP_ANYWHERE = words(
  [
    'des ?cad?r?ast\\p{L}*', // descadastrar, descadastra, descadastro, descadastar, descadrastar
    'un ?su(?:bs|s|b)?cri\\p{L}*', // unsubscribe, unsuscribe
    'des(?:u|in)s?cri\\p{L}*', // desuscribir(me), desinscribir
    'desinscrev\\p{L}*',
    'opt ?out',
    alt(['dar de baja', 'darme de baja', 'dame de baja', 'denme de baja', 'darse de baja', 'darnos de baja']),
    alt(['sacame', 'sáquenme', 'saquenme', 'bórrame', 'borrame', 'bórrenme', 'borrenme', 'quítame', 'quitame',
      'elimíname', 'eliminame', 'take me off', 'leave me alone']),
  ].join('|'),
);

/** "me tira / me remove" followed by these asks for something else ("me tira uma dúvida", "me remove esse item"). */
const NOT_ME = alt([
  'um', 'uma', 'uns', 'umas', 'essa', 'esse', 'esta', 'este', 'isso', 'isto', 'o', 'a', 'os', 'as', 'minha', 'meu',
  'dúvida', 'dúvidas', 'do sério', 'foto', 'fotos', 'print',
]);
const REMOVE_ME_VERBS = [
  'tira', 'tire', 'tirem', 'tiram', 'retira', 'retire', 'remove', 'remova', 'removam', 'removem',
  'exclui', 'exclua', 'excluam', 'descadastra', 'descadastre', 'descadastrem',
];
/** Verbs that take the customer off a list. */
const LEAVE_VERBS = [
  'sair', 'sai', 'saia', 'saiam', 'tirar', 'tira', 'tire', 'tirem', 'retirar', 'retira', 'retire', 'remover',
  'remove', 'remova', 'removam', 'excluir', 'exclui', 'exclua', 'excluam', 'apagar', 'apaga', 'apague',
  'deletar', 'deleta', 'delete', 'take', 'salir', 'sacar', 'saquen', 'quitar', 'quiten', 'borrar', 'borra',
  'borren', 'eliminar', 'elimina', 'eliminen',
];
/** Verbs that stop what they name: opt-out when that is messages, a list or contact, or what messages carry. */
const STOP_VERBS = [
  'parar', 'pare', 'parem', 'para de', 'para com', 'param de', 'parar de', 'parar com', 'cancelar', 'cancela',
  'cancele', 'cancelem', 'cancelo', 'chega de', 'chega dessa', 'chega dessas', 'chega desse', 'chega desses',
  'chega disso', 'basta de', 'suspender', 'suspenda', 'suspende', 'desativar', 'desativa', 'desative', 'bloquear',
  'bloqueia', 'bloqueie', 'nunca mais', 'sem mais',
  ...negated(['aguento', 'aguento mais', 'suporto mais', 'me mande', 'me mandem', 'me manda', 'me envie',
    'me enviem', 'me envia', 'mande mais', 'mandem mais', 'manda mais', 'envie mais', 'enviem mais']),
  'stop', 'cancel', 'no more', 'dont send', 'do not send',
  'no me manden', 'no me envíen', 'no me mandes', 'no me envíes', 'no más', 'dejen de', 'deja de', 'dejar de',
  'detener', 'desactivar', 'basta de',
];
/** "Don't want": opt-out when the object is messages, a list or contact, or content they receive. */
const NO_WANT = [
  ...negated(['quero', 'quero mais', 'desejo', 'desejo mais', 'gostaria de', 'preciso de', 'preciso mais de',
    'preciso']),
  'dont want', 'do not want', 'dont want any', 'no quiero', 'no deseo',
];
/** What "para de (me) …" stops when it is the customer who is being written to. */
const BOTHER_VERBS = [
  'mandar', 'mandando', 'enviar', 'enviando', 'encher', 'perturbar', 'incomodar', 'importunar', 'escrever',
  'ligar', 'chamar', 'mandarem', 'enviarem', 'procurar', 'molestar',
];

const STOP_PHRASES: readonly RegExp[] = [
  // me tira / me remove / me descadastra (and "remove me", "tire-me")
  words(`me ${alt(REMOVE_ME_VERBS)}(?! ${NOT_ME}${E})`),
  words(`${alt([...REMOVE_ME_VERBS, 'tirar', 'remover', 'excluir', 'descadastrar', 'unsubscribe'])} me${END}`),
  words(`${alt(REMOVE_ME_VERBS)} me ${alt(['da', 'de', 'do', 'dessa', 'desta', 'daqui', 'from', 'off'])}`),
  // tira meu número, apaga meus dados
  words(`${alt(LEAVE_VERBS)} ${alt(['o meu', 'a minha', 'os meus', 'meu', 'minha', 'meus', 'minhas', 'my', 'mi', 'mis'])} ${alt([
    'número', 'numero', 'contato', 'cadastro', 'telefone', 'celular', 'nome', 'dados', 'whatsapp', 'zap',
    'number', 'contact', 'name', 'data', 'contacto', 'datos',
  ])}`),
  // sair da lista, remove me from the list
  words(`${alt(LEAVE_VERBS)}${WINDOW} ${LIST}`),
  // cancelar as mensagens, chega de msg, chega de propaganda
  words(`${alt(STOP_VERBS)}${WINDOW} (?:${alt([...MESSAGE_NOUNS, ...CONTENT_NOUNS])}|${LIST})`),
  // não quero receber mais mensagens, não quero mais receber promoções
  words(`${alt(NO_WANT)}${WINDOW} (?:${alt(MESSAGE_NOUNS)}|${LIST})`),
  words(`${alt(NO_WANT)}${WINDOW} ${alt([...SEND_RECEIVE, 'mais', 'more', 'más'])}${WINDOW} ${alt(CONTENT_NOUNS)}`),
  // para de mandar (mensagem), parem de me encher, dejen de escribirme
  words(`${alt(['para', 'pare', 'parem', 'param', 'parar', 'deixa', 'deixe', 'deixem'])} de (?:me ${alt(BOTHER_VERBS)}|${alt([
    'mandar', 'enviar', 'mandarem', 'enviarem', 'mandando', 'enviando',
  ])})`),
  words(`${alt(['dejen', 'deja', 'dejar', 'para', 'paren'])} de ${alt(['escribirme', 'enviarme', 'mandarme', 'molestarme', 'molestar'])}`),
  // não me mande mais / não me mandem (end of the clause)
  words(`${alt(negated(['me mande', 'me mandem', 'me manda', 'me envie', 'me enviem', 'me envia', 'me escreva',
    'me escrevam', 'me chame', 'me chamem', 'me procure', 'me procurem', 'me perturbe', 'me incomode']))}(?: mais|${END})`),
  words(`no me ${alt(['manden', 'envíen', 'mandes', 'envíes', 'escriban', 'escribas'])}(?: más|${END})`),
  // stop texting me, don't text me
  words(`stop ${alt(['texting', 'messaging', 'sending', 'contacting', 'writing', 'spamming', 'bugging', 'calling'])}`),
  words(`${alt(['dont', 'do not', 'never'])} ${alt(['text', 'message', 'contact', 'send', 'write'])} me`),
  // não quero mais receber (nada), with nothing else received after it
  words(
    `${alt([...NO_WANT, 'dont want to', 'do not want to'])} (?:mais )?${alt(['receber', 'recibir', 'receive', 'get'])}` +
      `(?: ${alt(['mais', 'más', 'more', 'anymore', 'any more'])})?` +
      `(?:${END}| ${alt(['nada', 'nothing', 'anything', 'nenhuma', 'nenhum'])})`,
  ),
];

/** "s a i r", "S.A.I.R": single letters are one word. */
function joinSpelled(text: string): string {
  const parts = text.split(' ');
  return parts.length > 1 && parts.every((p) => p.length === 1) ? squeeze(parts.join('')) : text;
}

/** The message without courtesy, breaks collapsed but kept. */
function withoutCourtesy(folded: string): string {
  return folded.replace(COURTESY, ' ').replace(/\s+/g, ' ').trim();
}

/** The message as a bare command: no courtesy, no breaks, no leading wish. */
function command(core: string): string {
  return joinSpelled(unbroken(core)).replace(WISH, '');
}

/** The customer asks to stop receiving messages (LGPD opt-out). */
export function isOptOut(text: string): boolean {
  const core = withoutCourtesy(fold(text));
  if (core === '' || core === '|') return false;
  if (STOP_WHOLE_RE.test(command(core))) return true;
  if (STOP_ANYWHERE.test(core)) return true;
  return STOP_PHRASES.some((re) => re.test(core));
}

// ---------------------------------------------------------------- opt-in

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

// ---------------------------------------------------------------- owner

const COMPLAINTS = words(
  alt([
    // pt-BR
    ...negated(['chegou', 'chegou ainda', 'recebi', 'veio', 'funciona', 'gostei']), 'nunca chegou', 'nada de chegar',
    'atrasou', 'atrasado', 'atrasada', 'atrasados', 'atrasadas', 'atraso', 'atrasando',
    'veio errado', 'veio errada', 'veio trocado', 'veio trocada', 'produto errado', 'pedido errado',
    'tamanho errado', 'cor errada', 'mandaram errado', 'enviaram errado',
    'veio quebrado', 'veio quebrada', 'chegou quebrado', 'chegou quebrada', 'quebrado', 'quebrada', 'quebrou',
    'veio faltando', 'está faltando', 'ta faltando', 'tá faltando', 'faltou', 'veio sem',
    'defeito', 'defeituoso', 'defeituosa', 'estragado', 'estragada', 'estragou', 'vencido', 'vencida',
    'amassado', 'amassada', 'rasgado', 'rasgada', 'manchado', 'manchada', 'vazou', 'vazando',
    'reclamação', 'reclamações', 'reclamar', 'reclamando', 'reclame aqui', 'péssimo', 'péssima', 'horrível',
    'horrorosa', 'horroroso', 'terrível', 'quero meu dinheiro de volta', 'dinheiro de volta', 'reembolso',
    'reembolsar', 'estorno', 'estornar', 'devolver', 'devolvo', 'devolução', 'troca', 'trocar', 'procon',
    'absurdo', 'absurda', 'cancelar o pedido', 'cancelar meu pedido', 'cancelar a compra', 'cancelar minha compra',
    'cancela o pedido', 'cancela meu pedido', 'cancelamento', 'parou de funcionar',
    'enganado', 'enganada', 'golpe', 'fraude', 'descaso', 'vergonha', 'decepcionado', 'decepcionada', 'decepção',
    'insatisfeito', 'insatisfeita', 'mal atendido', 'mal atendida', 'falta de respeito',
    'desrespeito', 'ninguém responde', 'sem resposta', 'processar', 'advogado',
    // en
    'refund', 'money back', 'broken', 'damaged', 'defective', 'never arrived', 'never came', 'didnt arrive',
    'did not arrive', 'hasnt arrived', 'has not arrived', 'not arrived', 'still waiting', 'wrong item', 'wrong size',
    'wrong color', 'wrong order', 'wrong product', 'complaint', 'complain', 'terrible', 'awful', 'horrible', 'worst',
    'scam', 'delayed', 'arrived late', 'return it', 'return this', 'cancel my order', 'cancel the order',
    // es
    'no llegó', 'no ha llegado', 'todavía no llega', 'aún no llega', 'no me llegó', 'llegó roto', 'llegó rota',
    'roto', 'rota', 'defectuoso', 'defectuosa', 'dañado', 'dañada', 'devolución', 'devuelvan', 'queja', 'reclamo',
    'pésimo', 'pésima', 'estafa', 'retraso', 'retrasado', 'mi dinero', 'cancelar el pedido', 'cancelar mi pedido',
    'equivocado', 'equivocada', 'incorrecto',
  ]),
);

/** Words that alone are no question: greetings, thanks, "ok", forms of address. */
const TRIVIAL = alt([
  'oi', 'oie', 'olá', 'opa', 'ei', 'eai', 'e aí', 'hey', 'hi', 'hello', 'hola', 'alô',
  'bom dia', 'boa tarde', 'boa noite', 'bom', 'boa', 'buenos días', 'buenas tardes', 'buenas noches', 'buenas',
  'good morning', 'good afternoon', 'good evening', 'tudo bem', 'tudo bom', 'tudo certo', 'td bem', 'td bom',
  'tudo joia', 'todo bien', 'blz', 'beleza', 'certo', 'tá bom', 'tá certo', 'combinado', 'ok', 'okay', 'oki', 'okey', 'sim', 'yes', 'sí',
  'obrigado', 'obrigada', 'obg', 'brigado', 'brigada', 'valeu', 'vlw', 'thanks', 'thank you', 'thx', 'gracias',
  'muchas gracias', 'tchau', 'bye', 'adeus', 'amiga', 'amigo', 'moça', 'moço', 'gente', 'pessoal', 'querida',
  'querido', 'dona', 'senhora', 'senhor', 'já', 'e',
]);
/** Greetings shaped like questions: no question for the owner ("oi, como vai?"), but only as a whole clause. */
const GREETING_QUESTIONS = alt([
  'como vai', 'como vai você', 'como você está', 'como vc está', 'como vc ta', 'como estás', 'how are you',
  'qué tal', 'tudo bem com você', 'tudo bem com vc', 'e você', 'e vc', 'and you',
]);
const LAUGH = '(?:k+|(?:[hj][aeiu]+)+[hs]?|(?:rs)+|lol|lmao|(?:ks)+k?)';
const ONLY_TRIVIAL = new RegExp(`^(?:(?:${TRIVIAL}|${GREETING_QUESTIONS}|${LAUGH})(?: |$))*$`, 'u');
const LEADING_TRIVIAL = new RegExp(`^(?:(?:${TRIVIAL}|${LAUGH}) )+`, 'u');

/** Words that start a question. */
const QUESTION_START = new RegExp(
  `^${alt([
    'quando', 'qnd', 'qdo', 'onde', 'aonde', 'cadê', 'cade', 'kd', 'como', 'qual', 'quais', 'tem', 'teria',
    'vocês têm', 'vcs tem', 'vc tem', 'você tem', 'voces tem', 'posso', 'pode', 'podem', 'poderia', 'poderiam',
    'quanto', 'quanta', 'quantos', 'quantas', 'qto', 'qt', 'por que', 'porque', 'pq', 'por q', 'o que', 'oq',
    'que horas', 'que dia', 'será que', 'é possível', 'seria possível', 'alguém', 'existe', 'tem como',
    'why', 'when', 'where', 'how', 'what', 'which', 'who', 'can you', 'can i', 'could you', 'could i', 'do you',
    'does', 'did', 'is there', 'is it', 'are you', 'is my',
    'cuándo', 'dónde', 'cómo', 'cuál', 'cuáles', 'cuánto', 'cuánta', 'cuántos', 'puedo', 'pueden', 'puede',
    'tienen', 'tiene', 'hay', 'por qué', 'qué hora', 'quién',
  ])}${E}`,
  'u',
);
/** Set phrases that start like a question and are not one. */
const NOT_QUESTION = new RegExp(
  `^(?:${alt([
    'pode ser', 'pode deixar', 'pode sim', 'pode crer', 'pode mandar', 'pode enviar', 'pode apostar', 'pode confiar',
    'podem mandar', 'podem enviar', 'como sempre', 'como combinado', 'como prometido', 'como esperado', 'tem razão',
    'tem sim', 'qual nada', 'what a', 'how nice', 'how lovely', 'how cute', 'como siempre',
  ])}${E}|${alt(['quanto tempo', 'quanto amor', 'quanta coisa', 'quanto carinho'])}$)`,
  'u',
);

/** A "?" closes a clause that is more than a greeting, or a "¿" opens one. */
function hasQuestionMark(text: string): boolean {
  if (!/[?？¿]/u.test(text)) return false;
  if (fold(text) === '') return true; // "?", "??" or "?😡": the customer is waiting for an answer
  const clauses = text.split(/[.!,;:\n\r¡…！。]/u);
  for (const clause of clauses) {
    const asked = clause.split(/[?？]/u).slice(0, -1); // the parts a "?" closes
    const opened = clause.split('¿').slice(1);
    for (const part of [...asked, ...opened]) {
      const folded = fold(part, null);
      if (folded !== '' && !ONLY_TRIVIAL.test(folded)) return true;
    }
  }
  return false;
}

/** A sentence starting, after any greeting, with a question word. */
function startsWithQuestionWord(text: string): boolean {
  return fold(text, SENTENCE_BREAK)
    .split(' | ')
    .some((sentence) => {
      const rest = sentence.replace(LEADING_TRIVIAL, '');
      return QUESTION_START.test(rest) && !NOT_QUESTION.test(rest) && !ONLY_TRIVIAL.test(rest);
    });
}

/** Looks like a question or a complaint the shop owner should see (when it answers no question the bot asked). */
export function needsOwner(text: string): { yes: boolean; why: 'question' | 'complaint' | null } {
  if (COMPLAINTS.test(fold(text))) return { yes: true, why: 'complaint' };
  if (hasQuestionMark(text) || startsWithQuestionWord(text)) return { yes: true, why: 'question' };
  return { yes: false, why: null };
}
