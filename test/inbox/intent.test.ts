import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOptIn, isOptOut, needsOwner, readStopRequest } from '../../src/inbox/intent.js';

describe('isOptOut', () => {
  it.each([
    // the keyword as the whole message, however it is typed
    'SAIR',
    'sair',
    'sair.',
    ' Sair!! ',
    'SAIR 😡',
    'Sair 🙏',
    'saaaair',
    'sairrr',
    'SAIIIR!!!',
    'S.A.I.R',
    'sai',
    'sair sair sair',
    'sair?',
    'Sair, obrigada',
    'sair por favor',
    'ok sair',
    'quero sair',
    'parar',
    'pare',
    'para',
    'PARA!!!',
    'pode parar',
    'STOP',
    'stop please',
    'Stop.',
    'cancelar',
    'quero cancelar',
    'descadastrar',
    'remover',
    'chega!',
    'CHEGA',
    'nunca mais',
    'unsubscribe',
    'baja',
    'BAJA',
    'darme de baja',
    'end',
    // clearly the intent inside a longer message
    'para de mandar mensagem',
    'para de me mandar msg',
    'parem de me mandar essas mensagens pfv',
    'para com essas mensagens',
    'pode parar de mandar',
    'parem de me encher',
    'quero cancelar as mensagens',
    'cancela essas msg',
    'me descadastra',
    'me descadastra por favor',
    'quero me descadastrar',
    'como faço pra me descadastrar?',
    'descadastar',
    'me tira dessa lista',
    'me tira da lista pfv',
    'me tira daqui',
    'me remove',
    'me remove da lista de vcs',
    'remove meu numero',
    'tira meu número da lista',
    'quero sair da lista',
    'sair da lista de vcs',
    'quero sair do grupo',
    'Cancelar o envio de mensagens',
    'não quero mais contato de vocês',
    'nao quero mais receber',
    'não quero mais receber, obrigada',
    'não quero receber mais mensagens',
    'n quero mais receber msg',
    'nao quero receber nada',
    'não quero mais receber essas promoções',
    'não quero mais mensagens de vcs',
    'não me mande mais mensagens',
    'nao me manda mais nada',
    'não me mandem mais',
    'chega de mensagem',
    'chega de msg pfv',
    'chega de propaganda!!',
    'nao aguento mais essas mensagens',
    'pode desativar as notificações',
    'please stop texting me',
    'stop sending me messages',
    'stop it',
    'remove me from your list',
    'unsuscribe',
    'opt out',
    'no quiero recibir más mensajes',
    'quiero darme de baja',
    'no me manden más mensajes',
    'dejen de escribirme',
    'sácame de la lista',
  ])('%j is an opt-out', (text) => {
    expect(isOptOut(text)).toBe(true);
  });

  it.each([
    'vou sair de casa agora',
    'quando sai o meu pedido?',
    'o pedido já saiu?',
    'parar na portaria?',
    'não consigo cancelar o pedido',
    'quero cancelar o pedido',
    'quero cancelar meu pedido, veio errado',
    'a entrega vai sair hoje?',
    '9',
    'sim',
    'adorei, não para de me surpreender',
    'stop by the store',
    'nota 10, não quero mais nada',
    'não quero mais',
    'me tira uma dúvida: tem no tamanho M?',
    'isso me tira do sério',
    'me remove esse item do pedido',
    'mandei mensagem para o whatsapp de vocês',
    'a mensagem não chegou',
    'não quero perder a mensagem',
    'não quero mais receber o produto, quero o dinheiro',
    'não quero essa promoção, quero o preço normal',
    'posso cancelar pelo whatsapp?',
    'não quero a lista de preços',
    'quero sair da lista de espera',
    'não quero o contato do entregador',
    'não tenho interesse',
    'para mim tá ótimo',
    'para quando fica pronto?',
    'o celular não para de ligar e desligar',
    'pode mandar',
    'VOLTAR',
    'quero voltar a receber',
    'obrigada!',
    '👍',
    '',
    '   ',
    'kkkk',
  ])('%j is not an opt-out', (text) => {
    expect(isOptOut(text)).toBe(false);
  });
});

describe('readStopRequest', () => {
  it.each([
    ['SAIR', 'stop'],
    ['não quero mais receber, obrigada', 'stop'],
    ['me descadastra', 'stop'],
    ['não quero mais', 'maybe'],
    ['não tenho interesse', 'maybe'],
    ['nota 10, não quero mais nada', null],
    ['pode mandar', null],
    ['nota 10', null],
    ['9', null],
    ['obrigada!', null],
    ['VOLTAR', null],
    ['quero sair da lista de espera', null],
    ['não quero mais receber o produto, quero o dinheiro', null],
    ['vou sair de casa agora', null],
    ['', null],
  ] as const)('%j reads %j', (text, reading) => {
    expect(readStopRequest(text)).toBe(reading);
  });
});

describe('isOptIn', () => {
  it.each([
    'VOLTAR',
    'voltar',
    'Voltar!',
    'voltaaar',
    'voltar por favor',
    'quero voltar',
    'quero voltar a receber',
    'quero voltar a receber as mensagens',
    'pode voltar a mandar',
    'podem voltar a me mandar mensagem',
    'quero receber as mensagens de novo',
    'me coloca de volta na lista',
    'start',
    'START',
    'start again',
    'volver',
    'quiero volver a recibir mensajes',
  ])('%j is an opt-in', (text) => {
    expect(isOptIn(text)).toBe(true);
  });

  it.each([
    'vou voltar na loja amanhã',
    'volto amanhã',
    'quando volta o tamanho M?',
    'não quero voltar a receber',
    'nao quero voltar a receber mensagens',
    'vou receber o pedido de novo?',
    'sair',
    'stop',
    'ok',
    '',
  ])('%j is not an opt-in', (text) => {
    expect(isOptIn(text)).toBe(false);
  });
});

describe('needsOwner', () => {
  it.each([
    'quando chega meu pedido?',
    'quando chega',
    'quando sai o meu pedido?',
    'a entrega vai sair hoje?',
    'parar na portaria?',
    'onde fica a loja',
    'qual o horário de vocês',
    'cadê meu pedido',
    'cade meu pedido 😡',
    'tem no tamanho G',
    'vcs tem na cor azul',
    'vocês têm entrega no sábado',
    'posso retirar na loja',
    'pode entregar amanhã',
    'quanto custa o frete',
    'quanto tempo demora a entrega',
    'oi, quando chega?',
    'bom dia! onde retiro',
    'Oi tudo bem? quando chega meu pedido',
    'oi moça, qual o valor',
    'sera que chega ate sexta',
    'e o meu pedido?',
    'me tira uma dúvida: tem no M?',
    'alguém aí?',
    '?',
    'adorei! vai ter em azul?',
    'when will it arrive',
    'where is my order',
    'how much',
    'cuándo llega mi pedido',
    '¿dónde está la tienda',
  ])('%j is a question', (text) => {
    expect(needsOwner(text)).toEqual({ yes: true, why: 'question' });
  });

  it.each([
    'não chegou ainda',
    'meu pedido nao chegou',
    'n chegou ainda',
    'não chegou ainda?',
    'cadê meu pedido? já atrasou 3 dias',
    'atrasou de novo',
    'tá atrasado',
    'veio errado',
    'veio errada a cor',
    'veio erado',
    'veio quebrado 😡',
    'produto com defeito',
    'veio estragado',
    'quero fazer uma reclamação',
    'vou reclamar no procon',
    'péssimo atendimento',
    'pessimo',
    'horrível',
    'quero meu dinheiro de volta',
    'quero reembolso',
    'quero devolver',
    'como faço a troca?',
    'um absurdo isso',
    'quero cancelar o pedido',
    'não consigo cancelar o pedido',
    'it arrived broken',
    'I want a refund',
    'mi pedido no llegó',
    'llegó roto',
  ])('%j is a complaint', (text) => {
    expect(needsOwner(text)).toEqual({ yes: true, why: 'complaint' });
  });

  it.each([
    'obrigada!',
    'oi',
    '👍',
    '👍🏽❤️',
    'kkk',
    'kkkkkkk',
    'rsrs',
    'hahaha',
    'ok',
    'valeu',
    'adorei!',
    'amei 😍',
    'sim',
    '9',
    'nota 10',
    'nota 10, não quero mais nada',
    'bom dia',
    'boa noite!!',
    'oi, tudo bem?',
    'oi?',
    'oi, como vai?',
    'pode ser',
    'pode deixar',
    'como sempre, perfeito',
    'quanto tempo!',
    'tem razão',
    'Não, chegou certinho',
    'chegou certinho, obrigada',
    'adorei, tem um cheiro ótimo',
    'vou sair de casa agora',
    'SAIR',
    'thanks',
    'gracias!',
    '',
  ])('%j is nothing for the owner', (text) => {
    expect(needsOwner(text)).toEqual({ yes: false, why: null });
  });
});

describe('any text', () => {
  const words = [
    'sair', 'voltar', 'não', 'quero', 'mais', 'receber', 'mensagens', 'me', 'tira', 'da', 'lista', 'stop', 'start',
    'para', 'de', 'mandar', 'volver', 'baja', 'a', 'pedido', 'cancelar', 'de novo', 'quando', '?', '!', ',', '😡', 'kkk',
  ];
  const phrases = fc.array(fc.constantFrom(...words), { maxLength: 8 }).map((ws) => ws.join(' '));
  const anything = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), phrases);

  it('never makes any of the three throw, and is never both an opt-out and an opt-in', () => {
    fc.assert(
      fc.property(anything, (text) => {
        const out = isOptOut(text);
        const back = isOptIn(text);
        const owner = needsOwner(text);
        expect(out && back).toBe(false);
        expect(out).toBe(readStopRequest(text) === 'stop');
        expect(owner.yes).toBe(owner.why !== null);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a long message in reasonable time', () => {
    const long = `${'não quero mais receber o pedido de novo, '.repeat(2000)}sair`;
    const started = Date.now();
    isOptOut(long);
    readStopRequest(long);
    isOptIn(long);
    needsOwner(long);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
