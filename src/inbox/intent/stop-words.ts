/**
 * The words stop phrases are made of (stop-phrases.ts, maybe-phrases.ts):
 * verbs that stop, remove, block or decline, the customer's number, and the
 * goods, places and third persons that make such a verb about something else.
 */
import { alt, E, END, negated } from './folded-text.js';
import { CONTENT_NOUNS, FILLER, LIST_NOUNS, MESSAGE_NOUNS, SENT_THINGS, THEIRS } from './message-words.js';
import { SPANISH_REMOVE_ME } from './stop-keywords.js';

/** "me tira / me remove" followed by these asks for something else ("me tira uma dúvida", "me remove esse item"). */
export const NOT_ME = alt([
  'um', 'uma', 'uns', 'umas', 'essa', 'esse', 'esta', 'este', 'isso', 'isto', 'o', 'a', 'os', 'as', 'minha', 'meu',
  'dúvida', 'dúvidas', 'do sério', 'foto', 'fotos', 'print', 'aquela', 'aquele', 'aquilo', 'aquelas', 'aqueles',
]);
export const REMOVE_ME_VERBS = [
  'tira', 'tire', 'tirem', 'tiram', 'retira', 'retire', 'remove', 'remova', 'removam', 'removem',
  'exclui', 'exclua', 'excluam', 'descadastra', 'descadastre', 'descadastrem', 'apaga', 'apague', 'apaguem',
  'deleta', 'delete', 'deletem',
];
/** The same verbs as infinitives after "me" ("pode me tirar da lista", "favor me remover"). */
export const REMOVE_ME_INFINITIVES = [
  'tirar', 'retirar', 'remover', 'excluir', 'descadastrar', 'apagar', 'deletar', 'tirarem', 'removerem', 'excluirem',
];
/** Verbs that take the customer off a list. */
export const LEAVE_VERBS = [
  'sair', 'sai', 'saia', 'saiam', 'tirar', 'tira', 'tire', 'tirem', 'retirar', 'retira', 'retire', 'remover',
  'remove', 'remova', 'removam', 'excluir', 'exclui', 'exclua', 'excluam', 'apagar', 'apaga', 'apague', 'apaguem',
  'deletem', 'retirem',
  'deletar', 'deleta', 'delete', 'take', 'salir', 'sacar', 'saquen', 'quitar', 'quiten', 'borrar', 'borra',
  'borren', 'eliminar', 'elimina', 'eliminen', ...SPANISH_REMOVE_ME,
];
/** The customer's number or data, as an object ("tira meu número", "apaga esse contato"). */
export const MY_NUMBER = `${alt(['o meu', 'a minha', 'os meus', 'meu', 'minha', 'meus', 'minhas', 'esse', 'este', 'essa',
  'my', 'mi', 'mis'])} ${alt([
  'número', 'numero', 'contato', 'cadastro', 'telefone', 'celular', 'nome', 'dados', 'whatsapp', 'zap', 'whats', 'wpp',
  'number', 'contact', 'name', 'data', 'contacto', 'datos',
])}(?! ${alt(['de', 'do', 'da', 'dos', 'das', 'of', 'del'])} (?!${alt([...THEIRS, ...LIST_NOUNS, 'sistema', 'base', 'agenda',
  'aí', 'ai'])}${E})\\p{L})`;
/** Verbs that stop what they name: opt-out when that is messages, a list or contact, or what messages carry. */
export const STOP_VERBS = [
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
export const NO_WANT = [
  ...negated(['quero', 'qro', 'kero', 'quero mais', 'desejo', 'desejo mais', 'gostaria de', 'preciso de',
    'preciso mais de', 'preciso', 'tenho interesse em', 'tenho interesse nessas', 'tenho interesse nesses',
    'tenho mais interesse em']),
  'dont want', 'do not want', 'dont want any', 'no quiero', 'no deseo',
];
/** What "para de (me) …" stops when it is the customer who is being written to. */
export const BOTHER_VERBS = [
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
export const NOT_GOODS = `(?!(?: ${DETERMINERS}){0,3} ${alt(GOODS)}${E})`;
export const NOT_GOODS_OR_PLACE = `(?!(?: ${DETERMINERS}){0,3} ${alt([...GOODS, ...PLACES])}${E})`;

/** Words before a match that make it tell of someone else ("o celular vai parar de receber?"): see unlessAfter. */
export const THIRD_PERSON = ['vai', 'vão', 'vou', 'iria', 'deve', 'deveria', 'foi', 'vamos', 'celular', 'telefone'];
const RECEIVE = alt(['receber', 'recebe', 'reseber', 'receberem', 'recebendo', 'recibir', 'receive', 'get']);
/** Someone declining to receive: "não quero (mais) receber", "não tenho interesse em receber", "parar de receber". */
export const RECEIVE_HEAD = `(?:${alt([
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
export const RECEIVE_WINDOW = `(?: ${alt(FILLER.filter((w) => w !== 'aqui'))}){0,5}`;

/** Verbs of sending after a "não": "não envie mais", "não mandem mensagem". */
export const SEND = ['envie', 'enviem', 'envia', 'mande', 'mandem', 'manda', 'enviar', 'mandar', 'mandarem', 'enviarem'];
/** Ways of reaching the customer, after "não me": "não me ligue mais", "não me chamem mais". */
export const REACH_ME = [
  'me mande', 'me mandem', 'me manda', 'me mandar', 'me envie', 'me enviem', 'me envia', 'me enviar', 'me ligue',
  'me liguem', 'me liga', 'me ligar', 'me ligarem', 'me contate', 'me contatem', 'me contata', 'me contatar',
  'me contacte', 'me contactem', 'me procure', 'me procurem', 'me procura', 'me chame', 'me chamem', 'me chama',
  'me chamar', 'me escreva', 'me escrevam', 'me escreve', 'me incomode', 'me incomodem', 'me incomoda', 'me perturbe',
  'me perturbem', 'me perturba', 'me importune', 'me importunem', 'me adicione', 'me adicionem',
];
export const AGAIN_WORDS = alt(['mais', 'novamente', 'de novo', 'denovo', 'outra vez', 'nunca mais', 'jamais', 'nada',
  'mais nada']);
/** A window that also crosses "pra/que" ("não pedi pra vocês me mandarem mensagem"). */
export const WINDOW_TO = `(?: ${alt([...FILLER, 'pra', 'para', 'pro', 'que', 'q', 'ser', 'nenhum', 'nenhuma'])}){0,6}`;
/** What makes a consent word about the messages ("não autorizo o envio de mensagens", "não solicitei essas mensagens"). */
export const CONSENT_OBJECT = `(?:${RECEIVE}${RECEIVE_WINDOW}(?:${END}| ${alt(SENT_THINGS)}${E})|${alt(['mandarem', 'enviarem', 'me mandarem',
  'me enviarem', 'mandar', 'enviar', 'ligarem', 'me ligarem', 'entrarem em contato', 'me contatarem', 'usarem meu número',
  'usar meu número'])}${NOT_GOODS}|${alt([...MESSAGE_NOUNS, ...CONTENT_NOUNS, 'contato', 'contatos', 'aviso', 'avisos', 'cupom',
  'cupons', 'isso aqui', 'essas coisas', 'uso do meu número', 'uso do meu contato', 'uso do meu telefone',
  'uso dos meus dados', 'uso do meu nome', 'uso do meu whatsapp'])}${E})`;
export const BLOCK = ['bloqueia', 'bloqueie', 'bloqueiem', 'bloquear', 'bloqueiam', 'bloqueem', 'bloquea', 'bloqeia', 'bloquia'];
export const NO = ['não', 'nao', 'n', 'naum'];

/** What "para de …" stops when it is the customer who is being written to ("parem de me encher", "para de insistir"). */
export const BOTHERING = `(?:me ${alt(BOTHER_VERBS)}|${alt(['mandar', 'enviar', 'mandarem', 'enviarem', 'mandando', 'enviando', 'insistir',
  'ligar pra mim', 'ligar para mim', 'entrar em contato', 'me mandar', 'ficar mandando', 'ficar me mandando',
  'ficarem mandando'])})${NOT_GOODS}`;
/** Stop verbs that are also indicative ("o vendedor não me manda mais as promoções"): not after a subject. */
export const INDICATIVE_STOP_VERBS = ['para de', 'param de', 'para com', 'cancela', 'desativa', 'desliga', 'bloqueia', 'suspende',
  ...negated(['me manda', 'me envia', 'manda mais'])];
/** Indicative-looking forms: after "não" they ask only with the messages named or nothing after. */
export const INDICATIVE_SEND = ['manda', 'envia'];
