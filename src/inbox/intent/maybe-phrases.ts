/**
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
 */
import { alt, B, E, END, negated, never, words } from './folded-text.js';
import { CONTENT_NOUNS, MESSAGE_NOUNS, WINDOW } from './message-words.js';
import { BOTHER_VERBS, NO, NOT_GOODS, NOT_GOODS_OR_PLACE, RECEIVE_HEAD, THIRD_PERSON } from './stop-words.js';
import { unlessAfter, type Matcher } from './unless-after.js';

/**
 * A 'maybe' reads a message that may stop the messages without naming them:
 * the caller sends nothing automated, pauses the customer and asks the owner.
 * Each rule says why it is no 'stop' and why it is no null.
 */
export const MAYBE_PHRASES: readonly Matcher[] = [
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
export const REPETITION: readonly RegExp[] = [
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
export const BARE_DECLINE = new RegExp(
  `(?:^|\\| )(?:eu )?${alt(negated(['quero mais', 'quero mais nada', 'quero mais não', 'quero mais nada não',
    'quero mais isso', 'desejo mais', 'preciso mais', 'quero mais obrigado']))}${END}`,
  'u',
);
/**
 * Substrings every 'maybe' match holds, one or more per rule above (folded and
 * squeezed): a message with none of them ("nota 10, amei") skips the maybe
 * rules. A rule added above needs its anchor here.
 */
export const MAYBE_ANCHORS = new RegExp(
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
export const ANSWERING = new RegExp(`\\p{N}|${B}${alt(['nota', 'só isso', 'apenas isso', 'somente isso'])}${E}`, 'u');
/** Maybes read before courtesy is dropped, since they start with "já" or "ya". */
export const MAYBE_WITH_COURTESY: readonly RegExp[] = [
  // "já falei que não quero", "ya te dije que no": a refusal said before, whose object is unsaid (DeskcommCRM);
  // not "já falei que não tem ninguém em casa"
  words(`${alt(['já falei', 'já disse', 'já avisei', 'eu falei', 'eu disse', 'já expliquei', 'ya te dije', 'ya dije',
    'ya les dije'])}(?: ${alt(['que', 'q', 'pra', 'para', 'vcs', 'vocês', 'vc', 'você', 'isso', 'mil vezes', 'várias vezes',
    'mais de uma vez', 'antes', 'ontem', 'te', 'les'])}){0,3} ${alt(['não', 'nao', 'n', 'naum', 'no'])}(?:${END}| ${alt([
    'quero', 'qro', 'tenho interesse', 'me interessa', 'me interesa', 'preciso', 'quiero', 'quero mais', 'quero nada'])}${E})`),
  // "já deu": had enough
  words(`(?:^|\\| )${alt(['já deu', 'já chega', 'já basta'])}(?: ${alt(['né', 'viu', 'cara', 'mano', 'gente'])})?${END}`),
];
