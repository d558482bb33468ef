/** The phrases that, inside a longer message, certainly ask to stop the messages (see stop-request.ts). */
import { alt, E, END, negated, never, words } from './folded-text.js';
import { CONTENT_NOUNS, LIST, MESSAGE_NOUNS, SEND_RECEIVE, SENT_THINGS, THEIR_LIST, WINDOW } from './message-words.js';
import { AGAIN_WORDS, BLOCK, BOTHERING, CONSENT_OBJECT, INDICATIVE_SEND, INDICATIVE_STOP_VERBS, LEAVE_VERBS, MY_NUMBER, NO, NO_WANT, NOT_GOODS, NOT_ME, REACH_ME, RECEIVE_HEAD, RECEIVE_WINDOW, REMOVE_ME_INFINITIVES, REMOVE_ME_VERBS, SEND, STOP_VERBS, THIRD_PERSON, WINDOW_TO } from './stop-words.js';
import { unlessAfter, type Matcher } from './unless-after.js';

export const STOP_PHRASES: readonly Matcher[] = [
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
