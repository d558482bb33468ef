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
 * 'maybe' (each rule in MAYBE_PHRASES says why it is neither of the others):
 * a refusal without its object ("não quero mais", "não tenho interesse", "sem
 * interesse", "não me interessa mais", "não quero mais nada de vocês"), being
 * left alone ("me deixa em paz", "para com isso", "chega disso", "já deu"),
 * annoyance at the messages or their repetition ("que saco essas mensagens",
 * "muita mensagem", "de novo isso?", "vocês não param", "já falei que não
 * quero"), a stranger ("quem te deu meu número?", "número errado", "não sou
 * cliente"), consent denied without naming the messages ("não autorizei",
 * "sem minha autorização", "não me cadastrei"), a report threatened ("isso é
 * spam", "vou denunciar", "vou bloquear"), and declining to receive a thing
 * that is neither a message nor goods ("não quero mais receber a revista").
 * Bare "não quero mais (nada)" is null beside a score, an order or a complaint
 * ("nota 10, não quero mais nada", "quero só isso, não quero mais nada"), and
 * the repetition complaints are null inside a complaint about the order ("de
 * novo isso? veio errado").
 *
 * null: everything else. Decided: "não", "não quero" and "não, obrigado" are
 * null, since they answer the question asked (the flow reads them), and the
 * stop keyword is offered in every message; so are "pode mandar", scores and
 * praise. Questions and complaints that use stop words ("como faço pra
 * cancelar o pedido?", "parei de receber as notificações") are null here;
 * needsOwner decides whether the owner sees them.
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
  'mensagem', 'mensagens', 'mensagen', 'mensages', 'mensagems', 'mesagem', 'mesagens', 'msg', 'msgs', 'mgs', 'msgm',
  'mensg', 'mnsg', 'sms', 'zap', 'zapzap', 'whatsapp', 'whats', 'wats', 'wpp', 'zapp', 'texto', 'textos', 'recado',
  'recados', 'notificação', 'notificações', 'lembrete', 'lembretes', 'spam', 'disparo', 'disparos', 'email', 'emails',
  'e-mail', 'e-mails', 'pesquisa', 'pesquisas', 'questionário', 'questionários', 'enquete', 'enquetes', 'newsletter',
  'newsletters', 'informativo', 'informativos', 'comunicado', 'comunicados',
  'message', 'messages', 'text', 'texts', 'notifications', 'reminders', 'surveys',
  'mensaje', 'mensajes', 'correo', 'correos', 'notificaciones', 'encuesta', 'encuestas',
];
/**
 * What messages carry: a stop only when it is clearly about receiving them
 * ("chega de propaganda", "não quero receber promoções"), since "não quero essa
 * promoção" is about a price, not the messages.
 */
const CONTENT_NOUNS = [
  'propaganda', 'propagandas', 'promoção', 'promoções', 'promo', 'promos', 'oferta', 'ofertas', 'novidade',
  'novidades', 'marketing', 'publicidade', 'anúncio', 'anúncios', 'promotions', 'ads', 'offers', 'promoción',
  'promociones', 'ofertas', 'publicidad', 'avaliação', 'avaliações',
];
/**
 * Anything else the shop sends, named only after a verb of receiving or
 * sending ("não quero mais receber avaliações", "não me mande mais essas
 * coisas"): alone, "cancelar a avaliação" or "não quero esse cupom" are about
 * something else.
 */
const SENT_THINGS = [
  ...MESSAGE_NOUNS, ...CONTENT_NOUNS, 'aviso', 'avisos', 'cupom', 'cupons', 'desconto',
  'descontos', 'coisa', 'coisas', 'isso', 'isto', 'nada', 'nenhuma', 'nenhum', 'foto', 'fotos', 'link', 'links', 'áudio',
  'áudios', 'vídeo', 'vídeos', 'figurinha', 'figurinhas', 'corrente', 'correntes', 'catálogo', 'catálogos', 'parabéns',
  'felicitações', 'dica', 'dicas', 'conteúdo', 'conteúdos', 'convite', 'convites', 'nothing', 'anything', 'nada más',
];
/** Lists and contact: what a customer leaves ("sair da lista", "tira meu contato"). */
const LIST_NOUNS = [
  'lista', 'listas', 'lista de transmissão', 'cadastro', 'contato', 'contatos', 'mailing', 'grupo', 'grupos',
  'list', 'mailing list', 'contact', 'contacts', 'group', 'contacto', 'contactos', 'base de dados', 'base de datos',
];
/** Who "vocês" is, after "de/do": the shop, its messages or its list. */
const THEIRS = [
  'vcs', 'vocês', 'você', 'vc', 'loja', 'clientes', 'transmissão', 'whatsapp', 'zap', 'wpp', 'envio',
  'mensagens', 'promoções', 'contatos', 'you', 'your', 'ustedes', 'la tienda',
];
/**
 * A list noun followed by "de/do/of" something else is another list ("não quero
 * a lista de preços", "o contato do entregador"); of the shop or its messages,
 * it is still the customer's ("sair da lista de vocês").
 */
const THEIR_LIST = `(?! ${alt(['de', 'do', 'da', 'dos', 'das', 'of', 'del'])} (?!${alt(THEIRS)}${E})\\p{L})`;
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
  'ningún', 'ninguna', 'envio', 'envios', 'recebimento', 'anymore', 'any more',
];
const WINDOW = `(?: ${alt(FILLER)}){0,5}`;

// ---------------------------------------------------------------- opt-out

/** Each phrase after "não" as people type it, or after "nunca (mais)" and "jamais". */
function never(phrases: readonly string[]): string[] {
  return [...negated(phrases), ...['nunca', 'nunca mais', 'jamais'].flatMap((no) => phrases.map((p) => `${no} ${p}`))];
}

/** "Take me off" in Spanish, one word: alone, or leaving a list ("sácame de la lista", not "… de espera"). */
const SPANISH_REMOVE_ME = ['sacame', 'sáquenme', 'saquenme', 'bórrame', 'borrame', 'bórrenme', 'borrenme', 'quítame',
  'quitame', 'elimíname', 'eliminame'];

/**
 * Stop keywords that are opt-out as the whole message (possibly repeated:
 * "sair sair"). Not "não quero mais" alone: it answers an offer ("quer ver as
 * novidades?") as often as it stops messages, so it is a 'maybe'.
 */
const STOP_WHOLE = [
  'sair', 'sai', 'saia', 'parar', 'para', 'pare', 'parem', 'param', 'stop', 'stopall', 'stop all',
  'cancelar', 'cancela', 'cancele', 'cancelem', 'cancel', 'remover', 'remove', 'remova', 'removam',
  'excluir', 'exclui', 'exclua', 'chega', 'basta', 'nunca mais', 'end', 'quit', 'unsub', 'opt out',
  'remove me', 'me tira', 'me tire', 'me remove', 'me remova', 'me exclui', 'me exclua',
  'stop it', 'baja', 'de baja', 'dar de baja', 'darme de baja', 'dame de baja', 'salir', 'detener', 'no más', 'no more',
  'não quero mais receber', 'sai fora', 'não autorizo', ...SPANISH_REMOVE_ME,
  // "favor não enviar", "não mande": a whole message forbidding the sending (opt-out utility lists in the tests)
  ...negated(['envie', 'enviem', 'enviar', 'mande', 'mandem', 'mandar']),
];
const STOP_WHOLE_RE = new RegExp(`^${alt(STOP_WHOLE)}(?: ${alt(STOP_WHOLE)})*$`, 'u');

/**
 * Stop keywords that are opt-out as a whole clause beside a greeting ("Boa
 * tarde, SAIR", "oi! pode parar"): only those that mean nothing else. "para",
 * "chega", "cancelar", "nunca mais" or "sai" as a clause of a longer message are
 * a preposition, an arrival ("amei, chega logo"), an order or a complaint.
 */
const STOP_CLAUSE = [
  'sair', 'saia', 'parar', 'pare', 'parem', 'stop', 'stopall', 'descadastrar', 'descadastra', 'remover', 'remova',
  'removam', 'excluir', 'exclua', 'unsubscribe', 'unsub', 'opt out', 'remove me', 'me tira', 'me tire', 'me remove',
  'me remova', 'me exclui', 'me exclua', 'me descadastra', 'me descadastre', 'sai fora', 'baja', 'darme de baja',
  'dame de baja', 'salir', 'não quero mais receber', 'não quero receber mais', 'não autorizo',
];
const STOP_CLAUSE_RE = new RegExp(`^${alt(STOP_CLAUSE)}(?: ${alt(STOP_CLAUSE)})*$`, 'u');
/** Greetings, vocatives and conjunctions that may open a clause ("oi moça, mas pode parar"). */
const CLAUSE_OPENING = new RegExp(
  `^(?:${alt([
    'oi', 'oie', 'olá', 'opa', 'ei', 'eai', 'e aí', 'hey', 'hi', 'hello', 'hola', 'bom dia', 'boa tarde', 'boa noite',
    'buenos días', 'buenas tardes', 'buenas noches', 'buenas', 'tudo bem', 'td bem', 'tudo bom', 'moça', 'moço', 'amiga',
    'amigo', 'gente', 'pessoal', 'querida', 'querido', 'dona', 'senhora', 'senhor', 'mas', 'então', 'entao', 'e', 'aí',
    'enfim', 'olha', 'olhe', 'bem', 'sim', 'eu', 'quero', 'queria', 'gostaria de', 'gostaria', 'desejo',
    'pode', 'podem', 'poderia', 'poderiam', 'quiero', 'i', 'want to',
  ])} )+`,
  'u',
);
/** Vocatives that may close a clause ("sair moça", "parem gente"). */
const CLAUSE_CLOSING = new RegExp(
  `(?: ${alt(['moça', 'moço', 'gente', 'amiga', 'amigo', 'querida', 'querido', 'pessoal', 'viu', 'né', 'cara',
    'mano'])})+$`,
  'u',
);

/** Words that mean opt-out wherever they are. */
const STOP_ANYWHERE = words(
  [
    'des ?cad?r?ast\\p{L}*', // descadastrar, descadastra, descadastro, descadastar, descadrastar
    'un ?su(?:bs|s|b)?cri\\p{L}*', // unsubscribe, unsuscribe
    'des(?:u|in)s?cri\\p{L}*', // desuscribir(me), desinscribir
    'desinscrev\\p{L}*',
    'opt ?out',
    alt(['dar de baja', 'darme de baja', 'dame de baja', 'denme de baja', 'darse de baja', 'darnos de baja']),
    alt(['take me off', 'leave me alone']),
  ].join('|'),
);

/** "me tira / me remove" followed by these asks for something else ("me tira uma dúvida", "me remove esse item"). */
const NOT_ME = alt([
  'um', 'uma', 'uns', 'umas', 'essa', 'esse', 'esta', 'este', 'isso', 'isto', 'o', 'a', 'os', 'as', 'minha', 'meu',
  'dúvida', 'dúvidas', 'do sério', 'foto', 'fotos', 'print', 'aquela', 'aquele', 'aquilo', 'aquelas', 'aqueles',
]);
const REMOVE_ME_VERBS = [
  'tira', 'tire', 'tirem', 'tiram', 'retira', 'retire', 'remove', 'remova', 'removam', 'removem',
  'exclui', 'exclua', 'excluam', 'descadastra', 'descadastre', 'descadastrem', 'apaga', 'apague', 'apaguem',
  'deleta', 'delete', 'deletem',
];
/** The same verbs as infinitives after "me" ("pode me tirar da lista", "favor me remover"). */
const REMOVE_ME_INFINITIVES = [
  'tirar', 'retirar', 'remover', 'excluir', 'descadastrar', 'apagar', 'deletar', 'tirarem', 'removerem', 'excluirem',
];
/** Verbs that take the customer off a list. */
const LEAVE_VERBS = [
  'sair', 'sai', 'saia', 'saiam', 'tirar', 'tira', 'tire', 'tirem', 'retirar', 'retira', 'retire', 'remover',
  'remove', 'remova', 'removam', 'excluir', 'exclui', 'exclua', 'excluam', 'apagar', 'apaga', 'apague', 'apaguem',
  'deletem', 'retirem',
  'deletar', 'deleta', 'delete', 'take', 'salir', 'sacar', 'saquen', 'quitar', 'quiten', 'borrar', 'borra',
  'borren', 'eliminar', 'elimina', 'eliminen', ...SPANISH_REMOVE_ME,
];
/** The customer's number or data, as an object ("tira meu número", "apaga esse contato"). */
const MY_NUMBER = `${alt(['o meu', 'a minha', 'os meus', 'meu', 'minha', 'meus', 'minhas', 'esse', 'este', 'essa',
  'my', 'mi', 'mis'])} ${alt([
  'número', 'numero', 'contato', 'cadastro', 'telefone', 'celular', 'nome', 'dados', 'whatsapp', 'zap', 'whats', 'wpp',
  'number', 'contact', 'name', 'data', 'contacto', 'datos',
])}(?! ${alt(['de', 'do', 'da', 'dos', 'das', 'of', 'del'])} (?!${alt([...THEIRS, ...LIST_NOUNS, 'sistema', 'base', 'agenda',
  'aí', 'ai'])}${E})\\p{L})`;
/** Verbs that stop what they name: opt-out when that is messages, a list or contact, or what messages carry. */
const STOP_VERBS = [
  'parar', 'pare', 'parem', 'para de', 'para com', 'param de', 'parar de', 'parar com', 'cancelar', 'cancela',
  'cancele', 'cancelem', 'cancelo', 'chega de', 'chega dessa', 'chega dessas', 'chega desse', 'chega desses',
  'chega disso', 'basta de', 'suspender', 'suspenda', 'suspende', 'desativar', 'desativa', 'desative', 'desligar',
  'desliga', 'desligue', 'bloquear', 'bloqueia', 'bloqueie', 'nunca mais', 'sem mais',
  ...negated(['aguento', 'aguento mais', 'suporto mais', 'me mande', 'me mandem', 'me manda', 'me envie',
    'me enviem', 'me envia', 'mande mais', 'mandem mais', 'manda mais', 'envie mais', 'enviem mais']),
  'stop', 'cancel', 'no more', 'dont send', 'do not send',
  'no me manden', 'no me envíen', 'no me mandes', 'no me envíes', 'no más', 'dejen de', 'deja de', 'dejar de',
  'detener', 'desactivar', 'basta de',
];
/** "Don't want": opt-out when the object is messages, a list or contact, or content they receive. */
const NO_WANT = [
  ...negated(['quero', 'qro', 'kero', 'quero mais', 'desejo', 'desejo mais', 'gostaria de', 'preciso de',
    'preciso mais de', 'preciso', 'tenho interesse em', 'tenho interesse nessas', 'tenho interesse nesses',
    'tenho mais interesse em']),
  'dont want', 'do not want', 'dont want any', 'no quiero', 'no deseo',
];
/** What "para de (me) …" stops when it is the customer who is being written to. */
const BOTHER_VERBS = [
  'mandar', 'mandando', 'enviar', 'enviando', 'encher', 'perturbar', 'incomodar', 'importunar', 'escrever',
  'ligar', 'chamar', 'mandarem', 'enviarem', 'procurar', 'molestar', 'contatar', 'contactar', 'insistir',
  'encher o saco', 'atormentar', 'encher a paciência',
];

/**
 * Objects of "mandar/enviar" that are not messages (issue #435 of
 * melgarafael/DeskcommCRM): "não me mande mais boletos", "pare de mandar o
 * pedido nesse endereço" is a customer who wants to go on being served.
 */
const GOODS = [
  'pedido', 'pedidos', 'produto', 'produtos', 'encomenda', 'encomendas', 'pacote', 'pacotes', 'entrega', 'entregas',
  'mercadoria', 'mercadorias', 'caixa', 'caixas', 'item', 'itens', 'peça', 'peças', 'brinde', 'brindes', 'amostra',
  'amostras', 'kit', 'kits', 'boleto', 'boletos', 'fatura', 'faturas', 'cobrança', 'cobranças', 'nota', 'notas',
  'recibo', 'recibos', 'troco', 'reembolso', 'estorno', 'dinheiro', 'pix', 'comprovante', 'comprovantes', 'frete',
  'ligação', 'ligações', 'chamada', 'chamadas', 'telefonema', 'telefonemas', 'visita', 'visitas', 'entregador',
  'motoboy', 'carta', 'cartas', 'cartão', 'cartões', 'endereço', 'endereços', 'casa', 'trabalho', 'portaria',
  'condomínio', 'apartamento', 'cep', 'rua', 'correio', 'correios', 'sedex', 'transportadora', 'vizinho', 'vizinha',
  'porteiro', 'errado', 'errada', 'errados', 'erradas', 'duplicado', 'duplicada',
  'duplicados', 'duplicadas', 'repetido', 'repetida',
  'paquete', 'paquetes', 'factura', 'facturas', 'boleta', 'boletas', 'cobro', 'cobros', 'producto', 'productos',
];
/** Where something is received: "não quero receber aqui" is about the delivery. */
const PLACES = ['aqui', 'aí', 'lá', 'em casa', 'no trabalho', 'na portaria', 'na loja', 'em mãos', 'pelo correio',
  'pelos correios', 'por sedex', 'sábado', 'domingo', 'hoje', 'amanhã', 'antes', 'depois'];
const DETERMINERS = alt([
  'o', 'a', 'os', 'as', 'um', 'uma', 'uns', 'umas', 'meu', 'minha', 'meus', 'minhas', 'seu', 'sua', 'seus', 'suas',
  'esse', 'essa', 'esses', 'essas', 'este', 'esta', 'estes', 'estas', 'mais', 'me', 'de', 'do', 'da', 'dos', 'das',
  'no', 'na', 'nos', 'nas', 'pra', 'pro', 'pros', 'pras', 'para', 'por', 'pelo', 'pela', 'nesse', 'nessa', 'neste',
  'el', 'la', 'los', 'las', 'mi', 'mis', 'tu', 'tus', 'ese', 'esa', 'esos', 'esas', 'mas',
]);
/** Not followed, after a determiner or three, by goods: the send verb is then about the messages. */
const NOT_GOODS = `(?!(?: ${DETERMINERS}){0,3} ${alt(GOODS)}${E})`;
const NOT_GOODS_OR_PLACE = `(?!(?: ${DETERMINERS}){0,3} ${alt([...GOODS, ...PLACES])}${E})`;

/** Words before a match that make it tell of someone else ("o celular vai parar de receber?"): see unlessAfter. */
const THIRD_PERSON = ['vai', 'vão', 'vou', 'iria', 'deve', 'deveria', 'foi', 'vamos', 'celular', 'telefone'];
const RECEIVE = alt(['receber', 'recebe', 'reseber', 'receberem', 'recebendo', 'recibir', 'receive', 'get']);
/** Someone declining to receive: "não quero (mais) receber", "não tenho interesse em receber", "parar de receber". */
const RECEIVE_HEAD = `(?:${alt([
  ...negated(['quero', 'qro', 'kero', 'quer', 'desejo', 'gostaria de', 'gostaria', 'preciso', 'aceito', 'pretendo',
    'tenho interesse em', 'tenho interesse de', 'tenho mais interesse em', 'tenho mais interesse de', 'vou querer']),
  'sem interesse em', 'sem interesse de', 'dont want to', 'do not want to', 'no quiero', 'no deseo',
  // "gostaria de não receber mais", "prefiro não receber"
  ...['quero', 'queria', 'gostaria de', 'gostaria', 'prefiro', 'desejo'].flatMap((want) =>
    ['não', 'nao', 'n', 'naum'].map((no) => `${want} ${no}`)),
])}(?: ${alt(['mais', 'mas', 'more', 'más', 'nunca mais'])})?(?: ${alt(['ficar', 'continuar', 'seguir'])})? ${RECEIVE}` +
  // "parar de receber", but not "o celular vai parar de receber?" (a third person's phone)
  '|' +
  `${alt(['parar de', 'deixar de', 'parar de ficar', 'deixar de ficar', 'parar de continuar'])} ${RECEIVE})`;
/** After declining to receive: nothing, or what the shop sends. */
const RECEIVE_WINDOW = `(?: ${alt(FILLER.filter((w) => w !== 'aqui'))}){0,5}`;

/** Verbs of sending after a "não": "não envie mais", "não mandem mensagem". */
const SEND = ['envie', 'enviem', 'envia', 'mande', 'mandem', 'manda', 'enviar', 'mandar', 'mandarem', 'enviarem'];
/** Ways of reaching the customer, after "não me": "não me ligue mais", "não me chamem mais". */
const REACH_ME = [
  'me mande', 'me mandem', 'me manda', 'me mandar', 'me envie', 'me enviem', 'me envia', 'me enviar', 'me ligue',
  'me liguem', 'me liga', 'me ligar', 'me ligarem', 'me contate', 'me contatem', 'me contata', 'me contatar',
  'me contacte', 'me contactem', 'me procure', 'me procurem', 'me procura', 'me chame', 'me chamem', 'me chama',
  'me chamar', 'me escreva', 'me escrevam', 'me escreve', 'me incomode', 'me incomodem', 'me incomoda', 'me perturbe',
  'me perturbem', 'me perturba', 'me importune', 'me importunem', 'me adicione', 'me adicionem',
];
const AGAIN_WORDS = alt(['mais', 'novamente', 'de novo', 'denovo', 'outra vez', 'nunca mais', 'jamais', 'nada',
  'mais nada']);
/** A window that also crosses "pra/que" ("não pedi pra vocês me mandarem mensagem"). */
const WINDOW_TO = `(?: ${alt([...FILLER, 'pra', 'para', 'pro', 'que', 'q', 'ser', 'nenhum', 'nenhuma'])}){0,6}`;
/** What makes a consent word about the messages ("não autorizo o envio de mensagens", "não solicitei essas mensagens"). */
const CONSENT_OBJECT = `(?:${RECEIVE}${RECEIVE_WINDOW}(?:${END}| ${alt(SENT_THINGS)}${E})|${alt(['mandarem', 'enviarem', 'me mandarem',
  'me enviarem', 'mandar', 'enviar', 'ligarem', 'me ligarem', 'entrarem em contato', 'me contatarem', 'usarem meu número',
  'usar meu número'])}${NOT_GOODS}|${alt([...MESSAGE_NOUNS, ...CONTENT_NOUNS, 'contato', 'contatos', 'aviso', 'avisos', 'cupom',
  'cupons', 'isso aqui', 'essas coisas', 'uso do meu número', 'uso do meu contato', 'uso do meu telefone',
  'uso dos meus dados', 'uso do meu nome', 'uso do meu whatsapp'])}${E})`;
const BLOCK = ['bloqueia', 'bloqueie', 'bloqueiem', 'bloquear', 'bloqueiam', 'bloqueem', 'bloquea', 'bloqeia', 'bloquia'];
/**
 * Subjects that make "manda", "liga", "para de", "me bloqueia" tell of someone
 * else, not ask: "o vendedor não me manda mais", "o site me bloqueia", "vão me
 * remover?". Checked on the word before a match (or the one before a "não").
 */
const SUBJECTS = [
  'ele', 'ela', 'eles', 'elas', 'vendedor', 'vendedora', 'entregador', 'entregadora', 'motoboy', 'atendente', 'site',
  'app', 'aplicativo', 'sistema', 'banco', 'cartão', 'ninguém', 'filho', 'filha', 'marido', 'esposa',
  'mãe', 'pai', 'vai', 'vão', 'ia', 'iria', 'irão', 'vou', 'foi',
];
/** Words between such a subject and the verb ("ele não me liga", "o site sempre me bloqueia"). */
const ADVERBS = ['não', 'nao', 'n', 'nem', 'nunca', 'mais', 'sempre', 'já'];
const NO = ['não', 'nao', 'n', 'naum'];

/** A folded word set. */
function wordSet(list: readonly string[]): ReadonlySet<string> {
  return new Set(list.map((w) => fold(w, null)));
}
const SUBJECT_SET = wordSet(SUBJECTS);
const ADVERB_SET = wordSet(ADVERBS);

interface Matcher {
  test(text: string): boolean;
}
/**
 * A whole-word pattern whose matches do not count right after some words (a
 * cheaper lookbehind: checked only where the pattern matched).
 */
function unlessAfter(source: string, after: { subject?: boolean; words?: readonly string[] }): Matcher {
  const re = words(source, 'g');
  const plain = wordSet(after.words ?? []);
  return {
    test(text: string): boolean {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const before = text.slice(0, m.index).split(' ');
        const last = before[before.length - 2] ?? '';
        const prior = before[before.length - 3] ?? '';
        const bySubject =
          after.subject === true && (SUBJECT_SET.has(last) || (ADVERB_SET.has(last) && SUBJECT_SET.has(prior)));
        if (!bySubject && !plain.has(last)) return true;
        re.lastIndex = m.index + 1;
      }
      return false;
    },
  };
}

/** What "para de …" stops when it is the customer who is being written to ("parem de me encher", "para de insistir"). */
const BOTHERING = `(?:me ${alt(BOTHER_VERBS)}|${alt(['mandar', 'enviar', 'mandarem', 'enviarem', 'mandando', 'enviando', 'insistir',
  'ligar pra mim', 'ligar para mim', 'entrar em contato', 'me mandar', 'ficar mandando', 'ficar me mandando',
  'ficarem mandando'])})${NOT_GOODS}`;
/** Stop verbs that are also indicative ("o vendedor não me manda mais as promoções"): not after a subject. */
const INDICATIVE_STOP_VERBS = ['para de', 'param de', 'para com', 'cancela', 'desativa', 'desliga', 'bloqueia', 'suspende',
  ...negated(['me manda', 'me envia', 'manda mais'])];
/** Indicative-looking forms: after "não" they ask only with the messages named or nothing after. */
const INDICATIVE_SEND = ['manda', 'envia'];

const STOP_PHRASES: readonly Matcher[] = [
  // me tira / me remove / me descadastra (and "remove me", "tire-me"), "pode me tirar da lista" — not "vão me remover?"
  unlessAfter(`me ${alt([...REMOVE_ME_VERBS, ...REMOVE_ME_INFINITIVES])}(?! ${NOT_ME}${E})`, { subject: true }),
  words(`${alt([...REMOVE_ME_VERBS, 'tirar', 'remover', 'excluir', 'descadastrar', 'unsubscribe'])} me${END}`),
  words(`${alt(REMOVE_ME_VERBS)} me ${alt(['da', 'de', 'do', 'dessa', 'desta', 'daqui', 'from', 'off'])}`),
  // quero ser removido (da lista)
  words(`${alt(['quero', 'queria', 'gostaria de', 'desejo', 'solicito', 'peço', 'exijo', 'preciso'])}(?: mais)? ser ${alt([
    'removido', 'removida', 'retirado', 'retirada', 'excluído', 'excluída', 'tirado', 'tirada', 'descadastrado',
    'descadastrada', 'apagado', 'apagada', 'deletado', 'deletada'])}`),
  // tira meu número, apaga meus dados, remove esse contato
  words(`${alt(LEAVE_VERBS)} ${MY_NUMBER}`),
  // sair da lista, remove me from the list
  words(`${alt(LEAVE_VERBS)}${WINDOW} ${LIST}`),
  // não quero mais fazer parte da lista
  words(`${alt(NO_WANT)}(?: mais)? ${alt(['fazer parte', 'participar', 'estar', 'ficar', 'continuar'])}(?: mais)? ${alt([
    'da', 'do', 'dessa', 'desse', 'nessa', 'nesse', 'na', 'no'])} ${LIST}`),
  // cancelar as mensagens, chega de msg, chega de pesquisa — not "o celular vai parar de receber mensagens?"
  unlessAfter(`${alt(STOP_VERBS.filter((v) => !INDICATIVE_STOP_VERBS.includes(v)))}${WINDOW} (?:${alt([...MESSAGE_NOUNS,
    ...CONTENT_NOUNS])}|${LIST})`, { words: THIRD_PERSON }),
  unlessAfter(`${alt(INDICATIVE_STOP_VERBS)}${WINDOW} (?:${alt([...MESSAGE_NOUNS, ...CONTENT_NOUNS])}|${LIST})`, {
    subject: true,
    words: THIRD_PERSON,
  }),
  // cancelar a inscrição (not "a assinatura": a subscription box is goods, see the maybes)
  words(`${alt(['cancelar', 'cancela', 'cancele', 'cancelo', 'cancelem'])} (?:${alt(['a', 'minha', 'a minha', 'essa'])} )?${alt([
    'inscrição', 'subscription', 'suscripción', 'inscripción'])}`),
  // não precisa mais me mandar mensagem (without "mais", "não precisa mandar mensagem quando chegar" is a 'maybe')
  words(`${alt(negated(['precisa mais', 'precisam mais']))}(?: me)? ${alt(['mandar', 'enviar', 'mandarem', 'enviarem'])}${WINDOW} ${alt(
    [...MESSAGE_NOUNS, ...CONTENT_NOUNS])}${E}`),
  // não quero mais mensagens, não quero mais propaganda
  words(`${alt(NO_WANT)}${WINDOW} (?:${alt(MESSAGE_NOUNS)}|${LIST})`),
  words(`${alt(NO_WANT)} ${alt(['mais', 'more', 'más'])} ${alt(CONTENT_NOUNS)}`),
  words(`${alt(NO_WANT)}${WINDOW} ${alt([...SEND_RECEIVE, 'mais', 'more', 'más'])}${WINDOW} ${alt(CONTENT_NOUNS)}`),
  // não quero (mais) receber [nada | essas pesquisas | de vocês], quero parar de receber, não tenho interesse em receber
  unlessAfter(`${RECEIVE_HEAD}${RECEIVE_WINDOW}(?:${END}| ${alt(SENT_THINGS)}${E})`, { words: THIRD_PERSON }),
  // para de mandar (mensagem), parem de me encher, deixa de me ligar, para de insistir — not "pare de mandar o pedido",
  // nor "meu filho não para de me ligar" (a 'maybe' below)
  unlessAfter(`${alt(['pare', 'parem', 'parar', 'deixe', 'deixem', 'deixar'])} de ${BOTHERING}`, { words: NO }),
  unlessAfter(`${alt(['para', 'param', 'deixa'])} de ${BOTHERING}`, { subject: true, words: NO }),
  words(`${alt(['dejen', 'deja', 'dejar', 'para', 'paren'])} de ${alt(['escribirme', 'enviarme', 'mandarme', 'molestarme',
    'molestar', 'contactarme'])}`),
  // não me mande mais / não me ligue mais / nunca mais me chame — not "não me mande mais boletos",
  // nor "o vendedor não me manda mais"
  unlessAfter(`${alt(negated(REACH_ME))} ${AGAIN_WORDS}${NOT_GOODS}`, { subject: true }),
  unlessAfter(`${alt(['nunca', 'nunca mais', 'jamais'].flatMap((no) => REACH_ME.map((r) => `${no} ${r}`)))}${NOT_GOODS}`, {
    subject: true,
  }),
  unlessAfter(`${alt(negated(['me mande', 'me mandem', 'me manda', 'me envie', 'me enviem', 'me envia', 'me escreva',
    'me escrevam', 'me chame', 'me chamem', 'me procure', 'me procurem', 'me perturbe', 'me incomode', 'me incomodem']))}${END}`,
  { subject: true }),
  words(`no me ${alt(['manden', 'envíen', 'mandes', 'envíes', 'escriban', 'escribas', 'contacten', 'contactes', 'llamen',
    'llames'])}(?: ${alt(['más'])}|${END})${NOT_GOODS}`),
  // não envie mais, não mandem mais nada, não mande mensagem — not "não mande mais pra esse endereço",
  // nor "não manda mais pra Recife?" (the shop no longer ships there)
  unlessAfter(`${alt(never(SEND.filter((s) => !INDICATIVE_SEND.includes(s))))}(?: ${alt(['pra mim', 'para mim', 'a mim'])})?` +
    `(?:(?: ${alt(['mais', 'nada', 'nunca mais'])})+(?:${END}|${NOT_GOODS})|${WINDOW} ${alt([...MESSAGE_NOUNS, ...CONTENT_NOUNS])}${E})`,
  { subject: true }),
  unlessAfter(`${alt(never(INDICATIVE_SEND))}(?: ${alt(['pra mim', 'para mim', 'a mim'])})?` +
    `(?:(?: ${alt(['mais', 'nada', 'nunca mais'])})+${END}|${WINDOW} ${alt([...MESSAGE_NOUNS, ...CONTENT_NOUNS])}${E})`,
  { subject: true }),
  // não entre mais em contato, não entrem em contato comigo (bare "não entre em contato" is a 'maybe')
  words(`${alt(never(['entre', 'entrem', 'entrar', 'entrarem']))}(?: mais em contato| em contato(?: ${alt([
    'comigo', 'mais', 'novamente', 'de novo', 'nunca mais', 'com a gente', 'conosco'])}))`),
  words(`${alt(['nunca mais', 'jamais'].flatMap((no) => ['entre', 'entrem', 'entrar'].map((v) => `${no} ${v}`)))} em contato`),
  // não quero que me mandem / que vocês me liguem — not "não quero que liguem pro meu marido"
  words(`${alt(negated(['quero', 'qro', 'kero', 'desejo', 'gostaria', 'quero mais', 'autorizo']))} ${alt(['que', 'q', 'qe', 'ke'])}` +
    `(?: ${alt(['vocês', 'vcs', 'vc', 'você', 'a loja', 'mais', 'nunca mais', 'fiquem', 'continuem'])}){0,3}` +
    `(?: ${alt(['mandem', 'enviem', 'mande', 'envie', 'mandando', 'enviando'])}${NOT_GOODS}| me ${alt(['mandem', 'enviem',
      'liguem', 'ligue', 'contatem', 'contactem', 'contate', 'chamem', 'chame', 'escrevam', 'escreva', 'procurem', 'procure',
      'incomodem', 'perturbem', 'mandando', 'enviando', 'mande', 'envie'])}${NOT_GOODS}| ${alt(['entrem em contato',
      'entre em contato', 'usem meu número', 'usem meu contato'])})`),
  // não quero ser (mais) contatada / incomodado ("notificado" is left out: "não quero ser notificado por email, só zap")
  words(`${alt(negated(['quero', 'desejo', 'gostaria de', 'quero mais']))}(?: mais)? ser(?: mais)? ${alt([
    'contatado', 'contatada', 'contactado', 'contactada', 'incomodado', 'incomodada', 'perturbado', 'perturbada',
    'importunado', 'importunada', 'procurado', 'procurada'])}`),
  // bloqueia meu número, pode me bloquear, vou bloquear vocês — not "bloqueou meu cartão", "vão me bloquear?"
  words(`${alt(BLOCK)}(?: ${alt(['aí', 'pra mim', 'por favor'])})? (?:${alt(['o meu', 'a minha', 'meu', 'minha', 'esse',
    'este', 'essa', 'esta', 'o', 'a'])} )?${alt(['número', 'numero', 'contato', 'telefone', 'celular', 'whatsapp', 'whats',
    'zap', 'wpp', 'cadastro', 'chat', 'conversa'])}${THEIR_LIST}`),
  unlessAfter(`me ${alt(BLOCK)}`, { subject: true, words: NO }),
  words(`${alt(['vou', 'vamos', 'irei'])} ${alt(['te', 'lhe', 'vos'])} ${alt(['bloquear', 'bloquea'])}`),
  words(`${alt(['vou', 'vamos', 'irei'])} ${alt(['bloquear', 'bloquea'])} ${alt(['vocês', 'vcs', 'vc', 'você', 'esse número',
    'este número', 'esse contato', 'esse zap', 'essa loja', 'a loja', 'o número de vocês', 'e denunciar', 'e reportar'])}`),
  // não autorizo o envio de mensagens, não autorizei vocês a me mandarem mensagem, não aceito receber —
  // not "não autorizei essa cobrança", "não autorizo deixar na portaria"
  words(`${alt(never(['autorizo', 'autorizei', 'permito', 'permiti', 'aceito', 'aceitei', 'dei autorização',
    'dei permissão', 'dei consentimento', 'consenti', 'autorizo mais']))}${WINDOW_TO} ${CONSENT_OBJECT}`),
  // não solicitei essas mensagens, nunca pedi pra receber isso — not "não pedi isso" (a wrong item)
  words(`${alt(never(['solicitei', 'pedi', 'assinei', 'me cadastrei', 'me inscrevi', 'cadastrei', 'autorizei',
    'pedi nada', 'solicitei nada']))}${WINDOW_TO} ${CONSENT_OBJECT}`),
  // (já) pedi pra parar / pra sair / pra me tirar
  words(`${alt(['pedi', 'eu pedi', 'já falei'])} ${alt(['pra', 'para', 'que'])}(?: ${alt([
    'vocês', 'vcs', 'vc', 'você'])})? ${alt(['parar', 'pararem', 'parem', 'pare', 'sair', 'me tirar', 'tirar', 'me tirarem',
    'me remover', 'remover', 'me descadastrar', 'me excluir'])}${END}`),
  // stop texting me, don't text me
  words(`stop ${alt(['texting', 'messaging', 'sending', 'contacting', 'writing', 'spamming', 'bugging', 'calling'])}`),
  words(`${alt(['dont', 'do not', 'never'])} ${alt(['text', 'message', 'contact', 'send', 'write'])} me`),
  words(`no quiero que me ${alt(['contacten', 'escriban', 'manden', 'envíen', 'llamen'])}`),
];

/**
 * A 'maybe' reads a message that may stop the messages without naming them:
 * the caller sends nothing automated, pauses the customer and asks the owner.
 * Each rule says why it is no 'stop' and why it is no null.
 */
const MAYBE_PHRASES: readonly Matcher[] = [
  // "não quero mais receber a revista": declining to receive a thing that is neither a message nor goods; the
  // owner knows what was sent (goods, places and manners are null: "não quero receber ligação, só whatsapp",
  // "não quero receber em partes")
  unlessAfter(`${RECEIVE_HEAD}(?= ${alt(['o', 'a', 'os', 'as', 'esse', 'essa', 'esses', 'essas', 'este', 'esta', 'estes', 'estas',
    'seu', 'sua', 'seus', 'suas', 'um', 'uma', 'uns', 'umas', 'mais', 'tanto', 'tanta', 'tantos', 'tantas', 'the', 'el', 'la',
    'los', 'las'])} )${NOT_GOODS_OR_PLACE}`, { words: THIRD_PERSON }),
  // "não quero mais nada de vocês", "não quero mais saber disso": the shop, not one offer, is turned down, but the
  // messages are not named
  words(`${alt(negated(['quero mais nada', 'quero mais saber', 'quero saber mais', 'quero nada']))} ${alt([
    'de vocês', 'de vcs', 'de vc', 'de você', 'da loja', 'dessa loja', 'desta loja', 'dessa empresa', 'de ninguém',
    'disso', 'disto', 'dessas coisas', 'dessa gente', 'com vocês', 'com vcs'])}`),
  words(`${alt(negated(['quero mais saber', 'quero saber mais']))}${END}`),
  // "não tenho interesse", "não me interessa mais", "sem interesse": a decline of whatever was offered, which may be
  // the messages ("não tenho interesse em receber" is a stop; "não tenho interesse nesse modelo" is null)
  words(`${alt([...negated(['tenho interesse', 'tenho mais interesse', 'tenho nenhum interesse', 'me interessa',
    'me interessa mais', 'tenho interesse nenhum', 'tenho mais interesse nenhum']), 'sem interesse', 'perdi o interesse',
    'ya no me interesa', 'no me interesa', 'no me interesa más', 'not interested', 'no longer interested'])}(?:${END}| ${alt([
    'em nada', 'nisso', 'nisto', 'nessas coisas', 'em nada disso', 'mais', 'nenhum', 'em nada de vocês', 'de nada'])}${END})`),
  // "me deixa em paz", "me esquece": wants to be left alone, by whom is unsaid (DeskcommCRM's ambiguous list)
  unlessAfter(alt(['me deixa em paz', 'me deixe em paz', 'me deixem em paz', 'deixa eu em paz', 'deixe me em paz',
    'esquece meu número', 'esqueçam meu número', 'déjame en paz', 'déjenme en paz', 'dejame en paz']), { words: [...NO, 'nem'] }),
  unlessAfter(`${alt(['me deixa quieto', 'me deixa quieta', 'me esquece', 'me esqueça', 'me esqueçam', 'me erra',
    'não enche', 'não me enche', 'não me encham', 'não enche o saco'])}${END}`, { words: [...NO, 'nem'] }),
  // "para com isso", "pare com essa palhaçada", "sai fora": stop *something*, most likely the messages
  words(`${alt(['para', 'pare', 'parem', 'parar'])} com ${alt(['isso', 'isto', 'essa palhaçada', 'essa chatice',
    'essa insistência', 'essa frescura', 'essa encheção', 'esse spam', 'essas coisas', 'esse negócio'])}${END}`),
  words(`(?:^|\\| )${alt(['para aí', 'pare aí', 'parem aí', 'vaza'])}${END}`),
  // "não para de me mandar": a complaint that may be a stop or tell of someone else ("meu filho não para de me ligar")
  words(`${alt(['não', 'nao', 'n', 'naum'])} ${alt(['para', 'param'])} de (?:me ${alt(BOTHER_VERBS)}|${alt(['mandar', 'enviar',
    'insistir'])})${NOT_GOODS}`),
  // "não entre em contato": maybe about the carrier ("não entre em contato, eu resolvo"); with "mais"/"comigo", a stop
  words(`${alt(never(['entre', 'entrem']))} em contato${END}`),
  // "não precisa me mandar mensagem": maybe "when it arrives" ("não precisa mais …" is a stop)
  words(`${alt(negated(['precisa', 'precisam']))}(?: me)? ${alt(['mandar', 'enviar', 'mandarem', 'enviarem'])}${WINDOW} ${alt(
    [...MESSAGE_NOUNS, ...CONTENT_NOUNS])}${E}`),
  // "que saco essas mensagens", "muita mensagem": annoyance at the messages, not (yet) a request
  words(`${alt(['que saco', 'que chato', 'que chatice', 'que porre', 'que inferno', 'que mala', 'saco', 'chato',
    'chatice', 'odeio', 'detesto'])}(?: ${alt(['de', 'dessas', 'desses', 'dessa', 'desse', 'esses', 'essas', 'essa', 'esse',
    'com', 'mais', 'tanta', 'tantas', 'tanto', 'tantos', 'receber', 'essas suas', 'esse monte de'])}){0,2} ${alt([
    ...MESSAGE_NOUNS, ...CONTENT_NOUNS])}${E}`),
  words(`${alt(['muita', 'muitas', 'tanta', 'tantas', 'quanta', 'quantas', 'toda hora', 'todo dia', 'toda semana'])} ${alt(
    MESSAGE_NOUNS)}${E}`),
  words(`${alt(MESSAGE_NOUNS)} ${alt(['demais', 'toda hora', 'todo dia', 'todo santo dia', 'sem parar', 'chata', 'chatas',
    'chatos', 'inútil', 'inúteis'])}${E}`),
  // "chega disso", "chega dessa palhaçada": had enough of something, probably the messages
  words(`${alt(['chega', 'basta'])} ${alt(['disso', 'disto', 'de isso'])}${END}`),
  words(`${alt(['chega', 'basta'])} ${alt(['dessa', 'desse', 'dessas', 'desses'])} ${alt(['palhaçada', 'chatice',
    'insistência', 'coisa', 'coisas', 'história', 'porcaria', 'lixo', 'encheção', 'perturbação'])}${E}`),
  // "quantas vezes vou ter que falar": a refusal said before, whose object is unsaid
  words(`quantas vezes ${alt(['vou ter que', 'vou ter de', 'tenho que', 'preciso', 'vou precisar', 'eu tenho que'])} ${alt([
    'falar', 'pedir', 'dizer', 'repetir', 'avisar', 'escrever'])}`),
  // "quem te deu meu número?", "como vocês conseguiram meu contato?": the step before "denunciar spam" (a group
  // monitor's 'não reconhece'); a question, no stop: a real customer may have forgotten giving it
  words(`${alt(['quem', 'como', 'onde', 'aonde', 'de onde', 'da onde', 'por que', 'porque', 'pq', 'por q'])}(?: ${alt([
    'te', 'lhe', 'vos', 'vocês', 'vcs', 'vc', 'você', 'que', 'q', 'é que', 'foi que'])}){0,2} ${alt([
    'deu', 'passou', 'conseguiu', 'conseguiram', 'pegou', 'pegaram', 'arrumou', 'arrumaram', 'tirou', 'tiraram', 'tem',
    'têm', 'achou', 'acharam', 'obteve', 'obtiveram', 'descobriu', 'descobriram', 'deram', 'passaram'])} ${alt([
    'o meu', 'meu', 'meus', 'esse', 'este'])} ${alt(['número', 'numero', 'contato', 'telefone', 'celular', 'whatsapp', 'zap',
    'dados', 'cadastro'])}`),
  // "número errado", "não sou cliente", "nunca fui cliente": a stranger; the owner fixes the record
  // ("número errado no pedido" and "não sou cliente ainda, quero comprar" are null)
  words(`(?:^|\\| |${alt(['é', 'foi', 'pro', 'para o', 'pra o', 'esse é', 'este é', 'o', 'mandando pro', 'mandou pro',
    'mandaram pro', 'mandou para o', 'mandaram para o'])} )${alt(['número errado', 'pessoa errada', 'contato errado'])}${END}`),
  words(`${alt([...negated(['sou cliente', 'sou cliente de vocês', 'sou cliente da loja', 'conheço vocês', 'conheço vcs',
    'conheço essa loja', 'conheço essa empresa', 'conheço ninguém', 'comprei nada', 'fiz pedido', 'fiz compra',
    'fiz nenhuma compra']), 'nunca fui cliente', 'nunca comprei nada', 'wrong number', 'número equivocado'])}(?:${END}| ${alt([
    'aí', 'aqui', 'nessa loja', 'com vocês', 'de vocês', 'com vcs', 'de vcs'])}${END})`),
  // "não autorizei", "sem minha autorização", "não me cadastrei": consent denied, its object unsaid (with the
  // messages named, a stop; "não autorizei essa cobrança" is null)
  words(`${alt([...never(['autorizei', 'dei autorização', 'dei permissão', 'solicitei', 'solicitei nada', 'pedi nada',
    'me cadastrei', 'me inscrevi', 'me cadastrei em nada', 'me inscrevi em nada', 'assinei nada', 'autorizei ninguém',
    'autorizei nada']), 'sem minha autorização', 'sem minha permissão', 'sem meu consentimento',
    'sem autorização', 'sem permissão'])}${END}`),
  // "isso é spam", "vou denunciar": the shop is about to be reported; the owner answers before the number is
  // ("vou denunciar no procon" is a complaint, null here and the owner's through needsOwner)
  words(`${alt(['isso é spam', 'é spam', 'virou spam', 'que spam', 'denunciar como spam', 'marcar como spam',
    'silenciei vocês', 'silenciei vcs', 'vou silenciar vocês'])}${E}`),
  words(`${alt(['vou denunciar', 'vou reportar', 'vou bloquear', 'vamos bloquear', 'silenciei', 'vou silenciar'])}(?:${END}| ${alt([
    'como spam', 'por spam', 'esse número', 'este número', 'vcs', 'vocês', 'esse contato', 'esse zap'])}${END})`),
  words(`(?:^|\\| )${alt(['spam', 'bloquear', 'bloqueia', 'bloqueado', 'desisto', 'cancela tudo', 'cancelar tudo',
    'cancela isso', 'cancelar isso', 'não aguento mais', 'aff', 'afff', 'affs'])}${END}`),
  // "cancelar a assinatura": a subscription box is goods, a subscription to messages a stop; the owner knows which
  words(`${alt(['cancelar', 'cancela', 'cancele', 'cancelo'])} ${alt(['a', 'minha', 'a minha', 'essa'])} ${alt([
    'assinatura'])}`),
  // "não precisa mandar mais", "não quero responder": a decline of the next message, maybe of all
  // ("não precisa mandar mais nada, já veio tudo" and "não vou responder agora" are null)
  words(`${alt(negated(['precisa', 'precisam']))}(?: mais)? ${alt(['mandar', 'enviar', 'me mandar', 'me enviar',
    'mandarem'])}(?: mais)?${END}`),
  words(`${alt(never(['quero', 'quero mais']))} ${alt(['responder', 'participar', 'avaliar', 'responder mais',
    'participar mais'])}${END}`),
  words(`${alt(never(['quero', 'vou', 'quero mais', 'vou mais']))} ${alt(['responder', 'participar', 'avaliar', 'responder mais',
    'participar mais'])} ${alt(['nada', 'mais nada', 'pesquisa', 'pesquisas', 'avaliação', 'avaliações', 'questionário',
    'enquete', 'nenhuma', 'dessa pesquisa', 'dessas pesquisas', 'nenhuma pesquisa', 'pesquisa nenhuma'])}${E}`),
  // "não quero mais fazer parte": of what is unsaid
  words(`${alt(negated(['quero mais fazer parte', 'quero fazer parte', 'quero mais participar']))}${END}`),
  // Spanish: only the insistence marker counts ("no me interesa ese plan" is null)
  words(`${alt(['ya basta con esto', 'ya no quiero nada', 'no quiero nada más', 'no me molesten', 'no me moleste',
    'no me molestes'])}${E}`),
];

/**
 * Complaints of the repetition itself ("vocês não param", "de novo isso?",
 * "que insistência"): a 'maybe', unless the message is a complaint about the
 * order ("de novo isso? veio errado outra vez"), which the owner gets anyway.
 */
const REPETITION: readonly RegExp[] = [
  words(`${alt(['vocês', 'vcs', 'vc', 'você'])} ${alt(['não', 'nao', 'n'])} ${alt(['param', 'para', 'cansam', 'desistem',
    'se cansam'])}${END}`),
  words(`${alt(['continuam', 'continua', 'seguem', 'ficam', 'vivem', 'continuo', 'ainda estou', 'ainda to'])} ${alt([
    'mandando', 'me mandando', 'enviando', 'me enviando', 'recebendo', 'insistindo', 'me ligando',
    'me chamando'])}(?:${END}|${WINDOW} ${alt([
    ...MESSAGE_NOUNS, ...CONTENT_NOUNS, 'isso', 'essas coisas'])}${E})`),
  words(`(?:^|\\| )${alt(['de novo', 'denovo', 'outra vez', 'mais uma vez'])} ${alt(['isso', 'isto', 'essa', 'esse',
    'essas', 'esses'])}(?: ${alt([...MESSAGE_NOUNS, 'coisa', 'história', 'papo'])})?${END}`),
  words(`(?:^|\\| )${alt(['isso', 'essa mensagem', 'essa msg', 'essa pesquisa'])} ${alt(['de novo', 'denovo',
    'outra vez'])}${END}`),
  words(`${alt(['que insistência', 'quanta insistência', 'não insista', 'não insistam'])}(?:${END}| ${alt(['de vocês',
    'de vcs', 'da loja', 'dessa loja'])}${END})`),
];

/**
 * "não quero mais" / "não quero mais nada" as a clause: it stops the messages
 * or declines an offer ('maybe'), unless a score or an order sits beside it
 * ("nota 10, não quero mais nada", "quero só isso, não quero mais nada").
 */
const BARE_DECLINE = new RegExp(
  `(?:^|\\| )(?:eu )?${alt(negated(['quero mais', 'quero mais nada', 'quero mais não', 'quero mais nada não',
    'quero mais isso', 'desejo mais', 'preciso mais', 'quero mais obrigado']))}${END}`,
  'u',
);
/**
 * Substrings every 'maybe' match holds, one or more per rule above (folded and
 * squeezed): a message with none of them ("nota 10, amei") skips the maybe
 * rules. A rule added above needs its anchor here.
 */
const MAYBE_ANCHORS = new RegExp(
  [
    `receb(?:e|er|erem|endo)${E}`, 'reseber', 'recibir', 'receive', `get${E}`, 'quer', 'desejo', 'precis', 'intere', 'paz',
    'esquec', 'quiet', 'me era', 'ench', `par(?:a|e|em|ar) com${E}`, `par(?:a|e|em) ai${E}`, 'vaza', `param? de${E}`,
    `(?:nao|n) param?${E}`, 'contato', 'saco', 'chat', 'pore', 'inferno', 'que mala', 'odeio', 'detesto', 'muita', 'tanta',
    'quanta', 'toda hora', 'todo dia', 'toda semana', 'todo santo', 'demais', 'sem par', 'inutil', 'inuteis', 'chega',
    'basta', 'numero', 'telefone', 'celular', 'whatsap', 'zap', 'dados', 'cadastr', 'erad', 'cliente', 'conhec',
    'comprei nada', 'fiz pedido', 'fiz compra', 'fiz nenhuma', 'wrong', 'equivoc', 'autoriz', 'permis', 'solicit',
    'pedi nada', 'inscrev', 'asinei', 'consent', 'spam', 'silenc', 'denunc', 'report', 'bloque', 'desist', 'aguento',
    `${B}afs?${E}`, 'cancela tudo', 'cancelar tudo', 'cancela iso', 'cancelar iso', 'asinatura', 'respond', 'particip',
    'avaliar', 'fazer parte', 'quier', 'molest', 'cansam', 'continu', 'seguem', 'ficam', 'vivem', 'ainda est', 'ainda to',
    'de novo', 'denovo', 'outra vez', 'uma vez', 'insist', 'falei', 'dise', 'avisei', 'expliquei', 'dije', 'ja deu',
  ].join('|'),
  'u',
);
const ANSWERING = new RegExp(`\\p{N}|${B}${alt(['nota', 'só isso', 'apenas isso', 'somente isso'])}${E}`, 'u');
/** Maybes read before courtesy is dropped, since they start with "já" or "ya". */
const MAYBE_WITH_COURTESY: readonly RegExp[] = [
  // "já falei que não quero", "ya te dije que no": a refusal said before, whose object is unsaid (DeskcommCRM);
  // not "já falei que não tem ninguém em casa"
  words(`${alt(['já falei', 'já disse', 'já avisei', 'eu falei', 'eu disse', 'já expliquei', 'ya te dije', 'ya dije',
    'ya les dije'])}(?: ${alt(['que', 'q', 'pra', 'para', 'vcs', 'vocês', 'vc', 'você', 'isso', 'mil vezes', 'várias vezes',
    'mais de uma vez', 'antes', 'ontem', 'te', 'les'])}){0,3} ${alt(['não', 'nao', 'n', 'naum', 'no'])}(?:${END}| ${alt([
    'quero', 'qro', 'tenho interesse', 'me interessa', 'me interesa', 'preciso', 'quiero', 'quero mais', 'quero nada'])}${E})`),
  // "já deu": had enough
  words(`(?:^|\\| )${alt(['já deu', 'já chega', 'já basta'])}(?: ${alt(['né', 'viu', 'cara', 'mano', 'gente'])})?${END}`),
];

/** "s a i r", "S.A.I.R": single letters are one word. */
function joinSpelled(text: string): string {
  const parts = text.split(' ');
  return parts.length > 1 && parts.every((p) => p.length === 1) ? squeeze(parts.join('')) : text;
}

/** The message without courtesy, breaks collapsed but kept, none at either end. */
function withoutCourtesy(folded: string): string {
  const out: string[] = [];
  for (const word of folded.replace(COURTESY, ' ').split(' ')) {
    if (word === '' || (word === '|' && (out.length === 0 || out[out.length - 1] === '|'))) continue;
    out.push(word);
  }
  if (out[out.length - 1] === '|') out.pop();
  return out.join(' ');
}

/** The message as a bare command: no courtesy, no breaks, no leading wish. */
function command(core: string): string {
  return joinSpelled(unbroken(core)).replace(WISH, '');
}

/** A clause of the message is a bare stop keyword beside greetings ("Boa tarde, SAIR"). */
function hasStopClause(core: string): boolean {
  if (!core.includes('|') && !CLAUSE_OPENING.test(core) && !CLAUSE_CLOSING.test(core)) return false; // read whole already
  for (const clause of core.split(' | ')) {
    const bare = clause.replace(CLAUSE_OPENING, '').replace(CLAUSE_CLOSING, '');
    if (bare !== '' && STOP_CLAUSE_RE.test(joinSpelled(bare)) && !LETS_GO.test(clause)) return true;
  }
  return false;
}
/** "tudo certo, pode sair": the order may leave; only as the whole message is "pode sair" a stop. */
const LETS_GO = new RegExp(
  `${B}${alt(['pode', 'podem', 'poderia', 'poderiam', 'já pode'])} ${alt(['sair', 'sai', 'saia'])}$`,
  'u',
);

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
