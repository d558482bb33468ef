/** The messages, what they carry and the lists they come from: the objects of a stop, a maybe or an opt-in. */
import { alt, E } from './folded-text.js';

/** Messages themselves: the object of a stop verb inside a longer message ("cancelar as mensagens"). */
export const MESSAGE_NOUNS = [
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
export const CONTENT_NOUNS = [
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
export const SENT_THINGS = [
  ...MESSAGE_NOUNS, ...CONTENT_NOUNS, 'aviso', 'avisos', 'cupom', 'cupons', 'desconto',
  'descontos', 'coisa', 'coisas', 'isso', 'isto', 'nada', 'nenhuma', 'nenhum', 'foto', 'fotos', 'link', 'links', 'áudio',
  'áudios', 'vídeo', 'vídeos', 'figurinha', 'figurinhas', 'corrente', 'correntes', 'catálogo', 'catálogos', 'parabéns',
  'felicitações', 'dica', 'dicas', 'conteúdo', 'conteúdos', 'convite', 'convites', 'nothing', 'anything', 'nada más',
];
/** Lists and contact: what a customer leaves ("sair da lista", "tira meu contato"). */
export const LIST_NOUNS = [
  'lista', 'listas', 'lista de transmissão', 'cadastro', 'contato', 'contatos', 'mailing', 'grupo', 'grupos',
  'list', 'mailing list', 'contact', 'contacts', 'group', 'contacto', 'contactos', 'base de dados', 'base de datos',
];
/** Who "vocês" is, after "de/do": the shop, its messages or its list. */
export const THEIRS = [
  'vcs', 'vocês', 'você', 'vc', 'loja', 'clientes', 'transmissão', 'whatsapp', 'zap', 'wpp', 'envio',
  'mensagens', 'promoções', 'contatos', 'you', 'your', 'ustedes', 'la tienda',
];
/**
 * A list noun followed by "de/do/of" something else is another list ("não quero
 * a lista de preços", "o contato do entregador"); of the shop or its messages,
 * it is still the customer's ("sair da lista de vocês").
 */
export const THEIR_LIST = `(?! ${alt(['de', 'do', 'da', 'dos', 'das', 'of', 'del'])} (?!${alt(THEIRS)}${E})\\p{L})`;
export const LIST = `${alt(LIST_NOUNS)}${THEIR_LIST}`;
/** Verbs of sending and receiving, which make a content noun an object of the messages. */
export const SEND_RECEIVE = [
  'receber', 'recebendo', 'mandar', 'mandando', 'mandarem', 'enviar', 'enviando', 'enviarem',
  'receive', 'receiving', 'get', 'getting', 'sending', 'send',
  'recibir', 'recibiendo', 'enviarme', 'mandarme',
];
/** Words that may stand between a stop verb and its object ("não quero receber mais essas mensagens"). */
export const FILLER = [
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
export const WINDOW = `(?: ${alt(FILLER)}){0,5}`;
