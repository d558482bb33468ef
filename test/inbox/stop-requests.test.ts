import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOptIn } from '../../src/inbox/intent/opt-in.js';
import { isOptOut, readStopRequest } from '../../src/inbox/intent/stop-request.js';

/*
 * How Brazilians (and a few Spanish and English speakers) ask a shop's WhatsApp
 * to stop, taken from where they were found. Each group names its source; a
 * group marked "variants" rewrites sourced phrases the way customers type them
 * (no accents, "vcs", "msg", "ñ", typos, emojis) and is no finding of its own.
 *
 * Sources:
 * - [brief] the five messages real customers sent this bot, none read as an opt-out.
 * - [deskcomm] melgarafael/DeskcommCRM, tests/unit/opt-out-deteccao.test.ts and
 *   lib/opt-out/deteccao.ts (a Brazilian WhatsApp CRM, phrases "de atendimento
 *   brasileiro real (clínica, comércio, serviços)"), and its issue #435 / PR #446
 *   ("não me mande mais boletos" is a complaint, not an opt-out).
 * - [whats-agents] rafa77-tech/whats-agents, planning/sprint-1/epic-03-seguranca.md,
 *   "Frases comuns de opt-out" of doctors messaged on WhatsApp.
 * - [optout-util] an isOptOutMessage helper of a course-sales bot (OPT_OUT_KEYWORDS,
 *   OPT_OUT_PHRASES; code search, find_string id 68308408229).
 * - [prospector] a Brazilian prospecting bot's reply classifier, PADROES_AUXILIARES
 *   'reclamacao' and 'suspeitaGolpe' (find_string id 57533077465).
 * - [group-risk] a WhatsApp group monitor's RISCOS (ameaca_denuncia, nao_reconhece,
 *   saida_iminente, hostilidade, insatisfacao; find_string id 60283780884).
 * - [teleapp] telecom-roger/teleapp, REGRA_CLASSIFICACAO_MENSAGENS.md, "Rejeições Claras".
 * - [lead-score] a real-estate CRM's TERMOS_BAIXO_INTERESSE and FRASES_RECUSA_INTEIRA
 *   (find_string id 70388365461).
 * - [wrong-person] a clinic bot's backend/src/whatsapp/inbound/optOut.js,
 *   WRONG_PERSON_PHRASES and its real case "veio errado não tenho agenda com voces"
 *   (find_string id 56269644884).
 * - [recupera] gregdalzotto/new-aios-recupera-vendas, docs/stories/EPIC_3_CONFORMIDADE_OPTOUT.md
 *   (a cart-recovery bot's default keywords and test list).
 * - [sara-exceptions] a lead bot's PADROES_EXCECAO ("não quero mais esperar",
 *   "não quero perder"; find_string id 56631662203).
 * - [aws] docs.aws.amazon.com/sms-voice/latest/userguide/keywords-required.html and
 *   braze.com/docs/.../keyword_processing/fuzzy_opt_out (STOP, QUIT, "leave me alone").
 * - [vtex-weni] vtexdocs/help-center-content, docs/pt/tutorials/weni-by-vtex/integrações/
 *   boas-praticas-opt-out.md ("PARAR", "CANCELAR", "SAIR", "descadastramento").
 * - [whats-agents-medico] the same repo's optout.py: PADROES_OPTOUT ("sai fora",
 *   "desisto", "para de me contatar").
 */

/** Certainly "stop sending me this": 'stop', and isOptOut. */
const STOP: readonly string[] = [
  // [brief] the five that were missed
  'nao envie mais',
  'Quero parar de receber',
  'nao me ligue mais',
  'não quero mais receber essas pesquisas',
  'bloqueia meu número aí',

  // [deskcomm] PEDE_PARA_SAIR and ESPANHOL_PEDE_PARA_SAIR
  'Parar.',
  'SAIR!',
  'pode parar de mandar mensagem',
  'para de me mandar isso',
  'pare de me enviar essas mensagens',
  'não quero mais receber nada de vocês',
  'nao quero receber mais',
  'nao me mandem mais mensagens',
  'me remove da lista por favor',
  'pare de mandar essas fotos',
  'quero cancelar a inscrição',
  'me descadastra aí',
  'no me contacten mas',
  'dejen de mandarme mensajes',
  'deja de enviarme promociones',
  'no quiero mas publicidad',
  'borrame de tus contactos',
  'dame de baja',
  'no me llamen mas',
  'por favor no me escriban mas',

  // [whats-agents] "Frases comuns de opt-out"
  'Para de me mandar mensagem',
  'Me remove dessa lista',
  'Sai fora',
  'Não me mande mais nada',

  // [optout-util] OPT_OUT_KEYWORDS / OPT_OUT_PHRASES
  'tire meu numero',
  'apague meu numero',
  'me tire',
  'me remova',
  'me descadastre',
  'favor nao enviar',
  'favor nao mandar',
  'nao mande mais',

  // [prospector] 'reclamacao'
  'ja pedi para parar',
  'parem de me chamar',
  'para de insistir',
  'nao aguento mais mensagem',

  // [group-risk] saida_iminente / insatisfacao
  'me tire do grupo',
  'favor me remover',
  'me removam',
  'pode me tirar',
  'quero sair desse grupo',
  'parem de mandar',
  'vou bloquear e denunciar',

  // [whats-agents-medico] PADROES_OPTOUT comments
  'para de me contatar',

  // [recupera] default keywords in a sentence
  'quero me desinscrever',

  // [vtex-weni] the keywords, as a clause beside a greeting
  'Boa tarde, SAIR',
  'oi moça, pode parar',

  // the brief's classes in the words of the sources above: blocked, not contacted, not authorised, not asked for
  'pode me bloquear',
  'não me chame mais',
  'não entre mais em contato',
  'não tenho interesse em receber',
  'não autorizo',
  'não solicitei essas mensagens',
  'não pedi essas mensagens',

  // variants: not wanting to receive any more, of anything the shop sends
  'naum quero mais receber msg',
  'ñ quero mais receber essas avaliações',
  'n kero mais recebe menssagem',
  'NÃO QUERO MAIS RECEBER PROMOÇÕES!!!',
  'nao quero mais receber lembretes',
  'não quero receber mais essas coisas',
  'não quero mais receber isso',
  'não desejo receber mais nenhuma mensagem',
  'não gostaria de receber mais',
  'prefiro não receber mais mensagens',
  'sem interesse em receber',
  'não tenho mais interesse em receber as ofertas',
  'não tenho interesse em receber essas pesquisas, obrigada',
  'quero parar de receber essas mensagens',
  'como faço pra parar de receber?',
  'queria deixar de receber as promoções',
  'não quero mais receber mensagem de vocês 🙏',
  'nao qro mais msg de vcs',
  'não quero mais pesquisa',
  'chega de pesquisa',
  'chega de avaliação pfv',
  // variants: asking to be removed or unsubscribed
  'quero ser removida da lista',
  'pode tirar meu número da lista de vocês',
  'apaga meu contato',
  'exclui meu cadastro',
  'remove esse número',
  'tira meu nome dessa lista',
  'pode excluir meu número',
  'quero me descadastrar dessas pesquisas',
  'me tira desse disparo',
  'não quero mais fazer parte dessa lista',
  // variants: blocked
  'bloqueia esse número',
  'me bloqueia pfv',
  'vou te bloquear',
  'vou bloquear vocês',
  'bloqueiem meu contato',
  // variants: not sent, contacted, called or written again
  'por favor não me mandem mais mensagens',
  'não me manda mais msg',
  'nunca mais me mande mensagem',
  'nao me chama mais nao',
  'não entrem mais em contato comigo',
  'nao quero q vcs me mandem mais nada',
  'não quero que entrem em contato',
  'não quero ser contatada',
  'não quero ser mais incomodado',
  'não me liga mais, obrigado',
  'parem de me ligar',
  'deixa de me mandar mensagem',
  'para de mandar essas coisas 🙄',
  'vcs podem parar de me mandar msg pfv',
  'não mande mais propaganda',
  'não envie mais nada',
  'não precisa mais me mandar mensagem',
  'desativa essas notificações',
  'desliga as mensagens automáticas',
  'cancela esse lembrete',
  // variants: not authorised, not asked for
  'não autorizo o envio de mensagens',
  'não autorizei vocês a me mandarem mensagem',
  'eu não autorizo',
  'não pedi pra receber isso',
  'nunca solicitei essas mensagens',
  'nunca pedi pra vcs me mandarem nada',
  'não dei permissão pra me mandarem mensagem',
  'não aceito receber',
];

/** Might be a stop request: 'maybe', the owner decides; never an opt-out. */
const MAYBE: readonly string[] = [
  // the brief's own examples (not already in intent/*.test.ts)
  'me deixa em paz',
  'para com isso',
  'que saco essas mensagens',
  'chega disso',
  'já falei que não quero',
  'de novo isso?',
  'não quero mais nada de vocês',
  'quem te deu meu número?',

  // [deskcomm] FRASES_AMBIGUAS_DE_OPT_OUT and the Spanish ambiguous corpus
  'já disse que não quero',
  'déjame en paz',
  'déjenme en paz',
  'ya te dije que no me interesa',
  'ya no me interesa',
  'no me interesa mas',
  'no me molesten',

  // [optout-util] phrases of refusal or of no consent, their object unsaid
  'nao autorizei',
  'nao solicitei',
  'sem interesse',
  'numero errado',
  'nao me inscrevi',
  'nunca me inscrevi',

  // [prospector] 'reclamacao' and 'suspeitaGolpe'
  'ja falei que nao',
  'voces nao param',
  'que insistencia',
  'quantas vezes vou ter que falar',
  'voces continuam mandando',
  'ja disse que nao',
  'como conseguiram meu numero',
  'de onde pegaram meu contato',
  'quem passou meu numero',
  'por que voces tem meu numero',
  'isso e spam',

  // [group-risk] nao_reconhece, ameaca_denuncia, insatisfacao, hostilidade
  'nao autorizei ninguem',
  'onde pegou meu numero',
  'quem deu meu numero',
  'vou denunciar',
  'nao quero mais fazer parte',
  'muita mensagem',
  'mensagem demais',
  'virou spam',
  'nao me interessa',
  'ja silenciei',
  'nao enche',

  // [teleapp] "Rejeições Claras"
  'não insista',
  'bloquear',
  'cancela tudo',

  // [wrong-person] WRONG_PERSON_PHRASES: a stranger, the owner fixes the record
  'nao sou cliente',
  'nunca fui cliente',
  'nao me cadastrei',

  // [lead-score] TERMOS_BAIXO_INTERESSE
  'perdi o interesse',

  // [whats-agents-medico] "desisto"
  'desisto',

  // variants
  'não quero mais, obrigada',
  'chega, não quero mais',
  'não quero mais não',
  'não tenho interesse, obrigado',
  'não me interessa mais',
  'nao tenho mais interesse',
  'me esquece',
  'para com essa palhaçada',
  'que chatice essas mensagens',
  'toda hora mensagem',
  'chega dessa chatice',
  'quantas vezes vou ter que pedir',
  'vcs não cansam',
  'de novo essa mensagem?',
  'isso de novo?',
  'como vocês têm meu contato?',
  'mandaram pro número errado',
  'não conheço essa loja',
  'nunca comprei nada com vocês',
  'sem minha autorização',
  'vou bloquear',
  'cancelar a assinatura',
  'não precisa mandar mais',
  'não vou responder pesquisa nenhuma',
  'não quero responder',
  'spam',
  'não quero mais receber a revista',
  // a stop phrase under a negation: the owner asks again rather than the bot dropping or messaging the customer
  'não quero sair da lista',
  // "não entre em contato" / "não precisa me mandar mensagem" without "mais": maybe about the carrier, or "when it arrives"
  'não entre em contato',
  'não precisa me mandar mensagem',
];

/** Not a stop request: null, even with a stop word in it. */
const NOT_A_STOP: readonly string[] = [
  // the brief's never-fire sentences
  'sair de casa mais tarde',
  'pode parar na recepção?',
  'quero parar de sofrer com dor de dente',
  'não quero mais esperar, cadê meu pedido?',
  'para de chover aí?',
  'bloqueou meu cartão',
  'vou sair pra buscar',
  'não recebi a mensagem do rastreio',
  'cancelar o pedido',

  // ordinary survey answers and praise (decided: "não, obrigado" declines the question asked, the flow reads it)
  'nota 10, amei o atendimento',
  'amei, chega logo por favor',
  'não, obrigado',
  'não, obrigada',
  '10',
  'adorei! nota 10',
  'não quero',
  '9, mas a entrega atrasou',

  // [deskcomm] NAO_PEDE_PARA_SAIR, ESPANHOL_NAO_PEDE, INGLES_NAO_PEDE, and #435
  'pare de mandar o pedido nesse endereco',
  'para de mandar a fatura por aqui',
  'nao me mande mais boletos',
  'nao me mande mais faturas por email',
  'nao me mandem mais cobrancas duplicadas',
  'nao me envie mais os produtos errados',
  'tem como parar a dor?',
  'dá pra parar o sangramento em casa?',
  'quero parar o tratamento por enquanto',
  'posso sair antes das 15h?',
  'preciso sair mais cedo da consulta',
  'vou ter que sair do trabalho pra ir aí',
  'o remédio fez a dor parar',
  'posso cancelar a consulta de amanhã?',
  'vocês vão parar no feriado?',
  'que horas vocês param de atender?',
  'amanhã ele sairá do escritório e pararão as obras',
  'a obra pararia se chovesse',
  'não quero receber ligação, só whatsapp',
  'não quero receber ligação, prefiro mensagem',
  'Doy de baja la pauta?',
  'necesito rebajar el precio',
  'puedo cancelar el turno del martes?',
  'sacame de la lista de espera',
  'voy a salir ahora',
  'puedo salir mas temprano?',
  'el pedido va a salir hoy?',
  'deja de mandar el pedido a esa direccion',
  'no me manden mas cobros duplicados',
  'no me manden mas facturas por correo',
  'no me manden mas paquetes a esa direccion',
  'no me mande mas boletas, ya pague',
  'I want to quit smoking',
  'cancel my appointment tomorrow',
  'when does the sale end?',

  // [sara-exceptions] PADROES_EXCECAO
  'não quero perder a promoção',
  'nao entendi',

  // questions and complaints that use stop words (variants of the above, in a shop's words)
  'como faço pra cancelar o pedido?',
  'parei de receber as notificações de entrega',
  'meu celular vai parar de receber mensagens se eu trocar de chip?',
  'a mensagem de rastreio parou de chegar',
  'se eu não pagar vocês vão me bloquear?',
  'meu cartão foi bloqueado, posso pagar no pix?',
  'vou bloquear o cartão e pago no pix',
  'o motoboy pode parar na portaria?',
  'não quero receber em casa, vou retirar na loja',
  'não quero mais receber o produto azul, troca pelo preto?',
  'não me mande mais pelo correio, prefiro retirar',
  'pode mandar o boleto de novo?',
  'não me envia o boleto não, já paguei',
  'para de enviar o pedido pra casa da minha mãe',
  'chega logo minha encomenda',
  'não aguento mais esperar meu pedido',
  'remove o item 2 do carrinho',
  'vocês param de atender que horas?',
  'não quero mais o produto, quero devolver',
  'não tenho interesse nesse modelo, tem outro?',
  'número errado no pedido, o certo é 11 98888-7777',
  'não recebi o cupom de desconto',
  'de novo atrasou?',
  'o zap de vocês não para de travar',
  'quem é você?',
  'chega de esperar, cadê meu pedido?',
  'não me chame de senhora kkk',
  'desbloqueia meu cadastro no site?',
  'veio errado, não pedi isso',
  'não consigo sair da página de pagamento',
  'nunca comprei aí, como funciona?',
  'não sou cliente ainda, quero comprar',
  'já falei que não tem ninguém em casa de manhã',
  'continuam mandando errado meu pedido',
  'vou denunciar no procon',
  'não precisa mandar mais nada, já veio tudo',
  'não vou responder agora',
  'de novo isso? veio errado outra vez',
  'que insistência do entregador',
  'quero só isso, não quero mais nada',
  'não quero mais, pode cancelar o pedido',
  // variants of [deskcomm] #435's class: the object or the subject is not the messages
  'o vendedor não me manda mais as promoções :(',
  'não manda mais pra Recife?',
  'ele não me liga mais',
  'vão me remover do sorteio?',
  'me apaga aquela mensagem',
  'o site me bloqueia quando tento pagar',
  'não quero que liguem pro meu marido',
  'não quero ser notificado por email, só zap',
  'não pedi pra receber em casa',
  'não autorizei o uso do cartão',
  'não autorizei o envio pra esse endereço',
  'não quero receber em partes',
  'não aceito receber com a caixa amassada',
  'não quero sair da lista de espera',
  // asking to keep the messages coming (praise), whatever stop words it holds
  'adorei as dicas, continuem mandando',
  'amei as mensagens, não parem de mandar mensagens assim',
  'não quero que parem de mandar',
  'não quero parar de receber as dicas',
  'não pare!',
  'tudo certo, pode sair',
];

describe('readStopRequest: real ways of asking to stop', () => {
  it.each(STOP)('%j is a stop', (text) => {
    expect(readStopRequest(text)).toBe('stop');
    expect(isOptOut(text)).toBe(true);
    expect(isOptIn(text)).toBe(false);
  });

  it.each(MAYBE)('%j may be a stop (the owner decides)', (text) => {
    expect(readStopRequest(text)).toBe('maybe');
    expect(isOptOut(text)).toBe(false);
  });

  it.each(NOT_A_STOP)('%j is no stop', (text) => {
    expect(readStopRequest(text)).toBeNull();
    expect(isOptOut(text)).toBe(false);
  });
});

describe('the tables', () => {
  const all = [...STOP, ...MAYBE, ...NOT_A_STOP];

  it('hold enough cases, none twice, none already in intent/*.test.ts', () => {
    const unit = path.join(import.meta.dirname, 'intent');
    const old = readdirSync(unit).map((file) => readFileSync(path.join(unit, file), 'utf8')).join('\n');
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(NOT_A_STOP.length).toBeGreaterThanOrEqual(50);
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((text) => old.includes(`'${text}'`))).toEqual([]);
  });
});

describe('any stop, however it is dressed', () => {
  const before = ['', 'por favor ', 'por favor, ', 'pfv ', 'ok, ', 'obrigada, ', '🙏 ', 'valeu, ', 'please '];
  const after = [
    '', ' por favor', ', obrigado', ' pfv', ' pls', ' 🙏', ' 😡😡', '!!!', '.', ' agora', ' urgente', ' obg 🙏🏽', ', valeu',
  ];
  const plain = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '');

  it('stays a stop with courtesy and emojis added, accents removed or in capitals', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STOP),
        fc.constantFrom(...before),
        fc.constantFrom(...after),
        fc.boolean(),
        fc.boolean(),
        (text, head, tail, noAccents, upper) => {
          let dressed = `${head}${text}${tail}`;
          if (noAccents) dressed = plain(dressed);
          if (upper) dressed = dressed.toUpperCase();
          expect(readStopRequest(dressed), dressed).toBe('stop');
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('isOptOut is exactly readStopRequest === "stop", and a stop is never an opt-in', () => {
    const pieces = [...STOP, ...MAYBE, ...NOT_A_STOP].flatMap((text) => text.split(' '));
    const mixed = fc.array(fc.constantFrom(...pieces), { maxLength: 10 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(fc.oneof(mixed, fc.string(), fc.string({ unit: 'grapheme' })), (text) => {
        const reading = readStopRequest(text);
        expect(isOptOut(text)).toBe(reading === 'stop');
        if (reading === 'stop') expect(isOptIn(text)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});
