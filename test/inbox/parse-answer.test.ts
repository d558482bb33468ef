import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AskKind } from '../../src/flows/flow-types.js';
import { outcomeOf } from '../../src/flows/steps/ask.js';
import { LOCALES, type Locale } from '../../src/i18n/index.js';
import { parseAnswer, type ParsedAnswer, type ParseProblem } from '../../src/inbox/parse-answer.js';

function yes(value: string, comment?: string): ParsedAnswer {
  return comment === undefined ? { ok: true, value } : { ok: true, value, comment };
}

function no(reason: ParseProblem): ParsedAnswer {
  return { ok: false, reason };
}

const TODAY = new Date('2026-03-01T12:00:00Z');

describe('nps', () => {
  it.each<[string, ParsedAnswer]>([
    ['10', yes('10')],
    ['0', yes('0')],
    ['9', yes('9')],
    [' 7 ', yes('7')],
    ['nota 9', yes('9')],
    ['Nota 10!', yes('10')],
    ['nota dez!!!', yes('10')],
    ['dez', yes('10')],
    ['DEZ', yes('10')],
    ['nove', yes('9')],
    ['oito', yes('8')],
    ['zero', yes('0')],
    ['sete', yes('7')],
    ['seis', yes('6')],
    ['três', yes('3')],
    ['tres', yes('3')],
    ['nota oitoo', yes('8')],
    ['9/10', yes('9')],
    ['9 de 10', yes('9')],
    ['10/10', yes('10')],
    ['10 de 10 😍', yes('10')],
    ['nota 8 de 0 a 10', yes('8')],
    ['de 0 a 10 dou 8', yes('8')],
    ['0 a 10? 8', yes('8')],
    ['de 0 a 10, nota 9', yes('9')],
    ['de zero a dez, nove', yes('9')],
    ['de 1 a 10 eu dou 7', yes('7')],
    ['🔟', yes('10')],
    ['🔟🔟🔟', yes('10')],
    ['9️⃣', yes('9')],
    ['1️⃣0️⃣', yes('10')],
    ['nota 🔟 pra vcs', yes('10', 'pra vcs')],
    ['9, mas a entrega atrasou', yes('9', 'mas a entrega atrasou')],
    ['nota 9, mas a entrega atrasou', yes('9', 'mas a entrega atrasou')],
    ['8 - o produto é bom mas demorou', yes('8', 'o produto é bom mas demorou')],
    ['10!!! amei tudo', yes('10', 'amei tudo')],
    ['Nota 10 😍 amei tudo', yes('10', '😍 amei tudo')],
    ['10 kkkk', yes('10')],
    ['dez rs', yes('10')],
    ['10 😍😍', yes('10')],
    ['9, só não dou 10 porque atrasou 2 dias', yes('9', 'só não dou 10 porque atrasou 2 dias')],
    ['7, a entrega levou 15 dias', yes('7', 'a entrega levou 15 dias')],
    ['nota 10, paguei R$ 50 e valeu', yes('10', 'paguei R$ 50 e valeu')],
    ['dou um 10', yes('10')],
    ['um', yes('1')],
    ['nota máxima', yes('10')],
    ['nota maxima!!', yes('10')],
    ['nota 10, nota 10!', yes('10')],
    ['acho que 8', yes('8')],
    ['uns 8', yes('8')],
    ['gostei dos produtos, 9', yes('9')],
    ['oi! 10 claro kkk', yes('10', 'claro kkk')],
    ['10 pontos', yes('10')],
    ['chegou às 10:30, nota 9', yes('9')],
    ['nota 9 pq chegou em 2 semanas', yes('9', 'pq chegou em 2 semanas')],
    ['10 ❤️', yes('10')],
    ['2 😡 atrasou', yes('2', '😡 atrasou')],
    ['Nota 10!!! Recomendo demais 👏👏', yes('10', 'Recomendo demais 👏👏')],
    ['10, já indiquei pra 2 amigas', yes('10', 'já indiquei pra 2 amigas')],
    ['Daria um 9', yes('9')],
    ['nota zero, horrivel', yes('0', 'horrivel')],
  ])('reads %j', (text, expected) => {
    expect(parseAnswer('nps', text, 'pt-BR')).toStrictEqual(expected);
  });

  it.each<[string, ParseProblem]>([
    ['', 'empty'],
    ['   ', 'empty'],
    ['...', 'empty'],
    ['?!', 'empty'],
    ['11', 'out_of_range'],
    ['15', 'out_of_range'],
    ['-1', 'out_of_range'],
    ['nota -1', 'out_of_range'],
    ['10000', 'out_of_range'],
    ['10.000', 'out_of_range'],
    ['nota 100', 'out_of_range'],
    ['onze', 'out_of_range'],
    ['8 ou 9', 'conflicting'],
    ['7... não, 9', 'conflicting'],
    ['7-8', 'conflicting'],
    ['8,5', 'conflicting'],
    ['entre 8 e 9', 'conflicting'],
    ['9 ou 10 kkk', 'conflicting'],
    ['ótimo', 'no_answer_found'],
    ['adorei tudo', 'no_answer_found'],
    ['kkkkk', 'no_answer_found'],
    ['0 a 10', 'no_answer_found'],
    ['demorou 3 dias', 'no_answer_found'],
    ['👍', 'no_answer_found'],
    ['R$ 10', 'no_answer_found'],
    ['não dou 10', 'no_answer_found'],
    ['chegou 12/03', 'no_answer_found'],
    ['8 e meio', 'conflicting'],
    ['nota 10, comprei 3 e vou comprar mais', 'conflicting'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseAnswer('nps', text, 'pt-BR')).toStrictEqual(no(reason));
  });

  it.each<[Locale, string, ParsedAnswer]>([
    ['en', 'ten', yes('10')],
    ['en', 'Nine out of 10', yes('9')],
    ['en', '8/10, fast delivery', yes('8', 'fast delivery')],
    ['en', 'I give it a 9', yes('9')],
    ['en', 'zero', yes('0')],
    ['en', 'not a 10, an 8', yes('8')],
    ['en', 'eleven', no('out_of_range')],
    ['en', 'seven or eight', no('conflicting')],
    ['es', 'diez', yes('10')],
    ['es', 'nueve', yes('9')],
    ['es', 'un 9, pero tardó', yes('9', 'pero tardó')],
    ['es', 'le doy un 8', yes('8')],
    ['es', 'dos', yes('2')],
    ['es', 'no le doy un 10, un 9', yes('9')],
    ['es', 'once', no('out_of_range')],
    ['es', 'ocho o nueve', no('conflicting')],
    ['es', 'nota 10', yes('10')],
    ['en', 'nota dez', yes('10')],
  ])('in %s reads %j', (locale, text, expected) => {
    expect(parseAnswer('nps', text, locale)).toStrictEqual(expected);
  });
});

describe('csat', () => {
  it.each<[string, ParsedAnswer]>([
    ['5', yes('5')],
    ['1', yes('1')],
    ['nota 4', yes('4')],
    ['cinco', yes('5')],
    ['quatro', yes('4')],
    ['⭐⭐⭐⭐', yes('4')],
    ['⭐⭐⭐⭐⭐', yes('5')],
    ['⭐ ⭐ ⭐', yes('3')],
    ['★★★', yes('3')],
    ['★★★☆☆', yes('3')],
    ['🌟🌟🌟🌟🌟', yes('5')],
    ['5 ⭐', yes('5')],
    ['5 ⭐ adorei', yes('5', 'adorei')],
    ['5 estrelas', yes('5')],
    ['4/5', yes('4')],
    ['4 de 5', yes('4')],
    ['de 1 a 5, 4', yes('4')],
    ['4 estrelas, mas a caixa veio amassada', yes('4', 'mas a caixa veio amassada')],
    ['5, produto ótimo mas a embalagem veio ruim', yes('5', 'produto ótimo mas a embalagem veio ruim')],
    ['ótimo', yes('5')],
    ['otimo', yes('5')],
    ['Excelente!', yes('5')],
    ['perfeito', yes('5')],
    ['amei', yes('5')],
    ['amei demais kkk', yes('5')],
    ['bom', yes('4')],
    ['boa', yes('4')],
    ['gostei', yes('4')],
    ['muito bom', yes('4')],
    ['regular', yes('3')],
    ['mais ou menos', yes('3')],
    ['mais ou menos, demorou', yes('3', 'demorou')],
    ['ok', yes('3')],
    ['ruim', yes('2')],
    ['péssimo', yes('1')],
    ['pessimo', yes('1')],
    ['horrível', yes('1')],
    ['horrivel!!!', yes('1')],
    ['não gostei', yes('2')],
    ['nao gostei', yes('2')],
    ['nada bom', yes('2')],
    ['não foi bom', yes('2')],
    ['não gostei, veio quebrado', yes('2', 'veio quebrado')],
    ['nem bom nem ruim', yes('3')],
    ['bom dia! foi ótimo', yes('5')],
    ['ótimo, chegou rápido', yes('5', 'chegou rápido')],
    ['gostei, demorou 2 dias', yes('4', 'demorou 2 dias')],
    ['Gostei muito!', yes('4')],
    ['bom demais', yes('4')],
    ['nao gostei nada', yes('2')],
    ['gostei mas achei caro', yes('4', 'mas achei caro')],
    // Ten is the top of the scale people grade on: a lone 10 on a 1-5 question is its top (issue 15).
    ['nota 10', yes('5')],
  ])('reads %j', (text, expected) => {
    expect(parseAnswer('csat', text, 'pt-BR')).toStrictEqual(expected);
  });

  it.each<[string, ParseProblem]>([
    ['', 'empty'],
    ['6', 'out_of_range'],
    ['0', 'out_of_range'],
    ['nota 11', 'out_of_range'],
    ['⭐⭐⭐⭐⭐⭐', 'out_of_range'],
    ['3 ou 4', 'conflicting'],
    ['bom, mas a entrega foi ruim', 'conflicting'],
    ['nao foi ruim', 'no_answer_found'],
    ['boa tarde', 'no_answer_found'],
    ['sei la', 'no_answer_found'],
    ['👍', 'no_answer_found'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseAnswer('csat', text, 'pt-BR')).toStrictEqual(no(reason));
  });

  it.each<[Locale, string, ParsedAnswer]>([
    ['en', 'great', yes('5')],
    ['en', 'good', yes('4')],
    ['en', 'average', yes('3')],
    ['en', 'bad', yes('2')],
    ['en', 'awful', yes('1')],
    ['en', 'Terrible!', yes('1')],
    ['en', 'not good', yes('2')],
    ['en', 'good morning! 4 stars', yes('4')],
    ['en', '4/5 nice', yes('4', 'nice')],
    ['es', 'excelente', yes('5')],
    ['es', 'bueno', yes('4')],
    ['es', 'regular', yes('3')],
    ['es', 'malo', yes('2')],
    ['es', 'pésimo', yes('1')],
    ['es', 'no me gustó', yes('2')],
    ['es', 'muy bien', yes('4')],
    ['es', 'cuatro estrellas', yes('4')],
    ['es', 'ótimo', yes('5')],
  ])('in %s reads %j', (locale, text, expected) => {
    expect(parseAnswer('csat', text, locale)).toStrictEqual(expected);
  });
});

describe('yes_no', () => {
  it.each<[string, ParsedAnswer]>([
    ['sim', yes('yes')],
    ['Sim!', yes('yes')],
    ['SIM', yes('yes')],
    ['s', yes('yes')],
    ['S', yes('yes')],
    ['ss', yes('yes')],
    ['siiim', yes('yes')],
    ['simmm', yes('yes')],
    ['claro', yes('yes')],
    ['claro!', yes('yes')],
    ['com certeza', yes('yes')],
    ['pode', yes('yes')],
    ['pode sim', yes('yes')],
    ['pode mandar', yes('yes')],
    ['quero', yes('yes')],
    ['quero sim', yes('yes')],
    ['ok', yes('yes')],
    ['ok?', yes('yes')],
    ['okk', yes('yes')],
    ['beleza', yes('yes')],
    ['blz', yes('yes')],
    ['tá bom', yes('yes')],
    ['👍', yes('yes')],
    ['👍🏽', yes('yes')],
    ['👍👍', yes('yes')],
    ['✅', yes('yes')],
    ['sim, pode mandar', yes('yes', 'pode mandar')],
    ['sim sim', yes('yes')],
    ['sim, sim!', yes('yes')],
    ['sim kkk', yes('yes')],
    ['sim, obrigada!', yes('yes', 'obrigada!')],
    ['com certeza, adorei', yes('yes', 'adorei')],
    ['acho que sim', yes('yes')],
    ['claro que sim', yes('yes')],
    ['sem problema', yes('yes')],
    ['não', yes('no')],
    ['nao', yes('no')],
    ['Não!', yes('no')],
    ['n', yes('no')],
    ['N', yes('no')],
    ['nn', yes('no')],
    ['naaao', yes('no')],
    ['nunca', yes('no')],
    ['jamais', yes('no')],
    ['negativo', yes('no')],
    ['👎', yes('no')],
    ['❌', yes('no')],
    ['não quero', yes('no')],
    ['nao quero', yes('no')],
    ['quero não', yes('no')],
    ['pode nao', yes('no')],
    ['não pode mandar', yes('no')],
    ['claro que não', yes('no')],
    ['acho que não', yes('no')],
    ['não, obrigado', yes('no', 'obrigado')],
    ['nao nao', yes('no')],
    ['agora não', yes('no')],
    ['no, obrigado', yes('no', 'obrigado')],
    ['nem pensar', yes('no')],
    ['de jeito nenhum', yes('no')],
    ['nops', yes('no')],
    ['Nao precisa, obrigada', yes('no', 'obrigada')],
    ['Não tenho interesse', yes('no')],
    ['pode deixar', yes('yes')],
    ['ñ', yes('no')],
  ])('reads %j', (text, expected) => {
    expect(parseAnswer('yes_no', text, 'pt-BR')).toStrictEqual(expected);
  });

  it.each<[string, ParseProblem]>([
    ['', 'empty'],
    ['?', 'empty'],
    ['sim não sei', 'conflicting'],
    ['sim e não', 'conflicting'],
    ['👍👎', 'conflicting'],
    ['sim... talvez', 'conflicting'],
    ['talvez', 'no_answer_found'],
    ['não sei', 'no_answer_found'],
    ['sei lá', 'no_answer_found'],
    ['não sei, talvez', 'no_answer_found'],
    ['chegou no prazo', 'no_answer_found'],
    ['obrigada', 'no_answer_found'],
    ['kkkk', 'no_answer_found'],
    ['hmm', 'no_answer_found'],
    ['não, pode deixar', 'conflicting'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseAnswer('yes_no', text, 'pt-BR')).toStrictEqual(no(reason));
  });

  it.each<[Locale, string, ParsedAnswer]>([
    ['en', 'yes', yes('yes')],
    ['en', 'Yeah!', yes('yes')],
    ['en', 'yep', yes('yes')],
    ['en', 'sure', yes('yes')],
    ['en', 'y', yes('yes')],
    ['en', 'of course', yes('yes')],
    ['en', 'yes, please send', yes('yes', 'please send')],
    ['en', 'sim', yes('yes')],
    ['en', 'no', yes('no')],
    ['en', 'nope', yes('no')],
    ['en', 'never', yes('no')],
    ['en', 'no thanks', yes('no')],
    ['en', 'maybe', no('no_answer_found')],
    ['en', 'not sure', no('no_answer_found')],
    ['en', 'yes no', no('conflicting')],
    ['es', 'sí', yes('yes')],
    ['es', 'si', yes('yes')],
    ['es', 'claro', yes('yes')],
    ['es', 'por supuesto', yes('yes')],
    ['es', 'vale', yes('yes')],
    ['es', 'sí, claro', yes('yes', 'claro')],
    ['es', 'no', yes('no')],
    ['es', 'nunca', yes('no')],
    ['es', 'no, gracias', yes('no', 'gracias')],
    ['es', 'no quiero', yes('no')],
    ['es', 'não', yes('no')],
    ['es', 'no sé', no('no_answer_found')],
  ])('in %s reads %j', (locale, text, expected) => {
    expect(parseAnswer('yes_no', text, locale)).toStrictEqual(expected);
  });
});

describe('choice', () => {
  const options = [
    { key: 'entrega', label: 'Entrega' },
    { key: 'preco-justo', label: 'Preço justo' },
    { key: 'atendimento', label: 'Atendimento' },
    { key: 'outro', label: 'Outra coisa' },
  ];

  it.each<[string, ParsedAnswer]>([
    ['1', yes('entrega')],
    ['2', yes('preco-justo')],
    ['4', yes('outro')],
    ['opção 2', yes('preco-justo')],
    ['opcao 3', yes('atendimento')],
    ['a 2', yes('preco-justo')],
    ['2️⃣', yes('preco-justo')],
    ['numero 1', yes('entrega')],
    ['2)', yes('preco-justo')],
    ['a segunda', yes('preco-justo')],
    ['a primeira', yes('entrega')],
    ['a última', yes('outro')],
    ['Entrega', yes('entrega')],
    ['entrega', yes('entrega')],
    ['ENTREGA!!', yes('entrega')],
    ['entrga', yes('entrega')],
    ['entregq', yes('entrega')],
    ['preco justo', yes('preco-justo')],
    ['preço justo', yes('preco-justo')],
    ['precojusto', yes('preco-justo')],
    ['preco justoo', yes('preco-justo')],
    ['preco-justo', yes('preco-justo')],
    ['atendimeto', yes('atendimento')],
    ['atnedimento', yes('atendimento')],
    ['atendimentu kkk', yes('atendimento')],
    ['outra coisa', yes('outro')],
    ['outro', yes('outro')],
    ['foi a entrega, atrasou muito', yes('entrega', 'atrasou muito')],
    ['2, achei caro', yes('preco-justo', 'achei caro')],
    ['o atendimento kkk', yes('atendimento')],
    ['1 entrega', yes('entrega')],
    ['o preço', yes('preco-justo')],
    ['Acho que a entrega', yes('entrega')],
    ['nº 2', yes('preco-justo')],
    ['Outros', yes('outro')],
  ])('reads %j', (text, expected) => {
    expect(parseAnswer('choice', text, 'pt-BR', { choices: options })).toStrictEqual(expected);
  });

  it.each<[string, ParseProblem]>([
    ['', 'empty'],
    ['5', 'unknown_option'],
    ['0', 'unknown_option'],
    ['nada', 'unknown_option'],
    ['quero uma bolsa', 'unknown_option'],
    ['atdnmnto', 'unknown_option'],
    ['entrega e atendimento', 'conflicting'],
    ['1 ou 2', 'conflicting'],
    ['2 entrega', 'conflicting'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseAnswer('choice', text, 'pt-BR', { choices: options })).toStrictEqual(no(reason));
  });

  it('knows no option without choices', () => {
    expect(parseAnswer('choice', '1', 'pt-BR')).toStrictEqual(no('unknown_option'));
    expect(parseAnswer('choice', 'entrega', 'pt-BR', { choices: [] })).toStrictEqual(no('unknown_option'));
  });

  const payment = [
    { key: 'pix', label: 'PIX' },
    { key: 'boleto', label: 'Boleto' },
    { key: 'cartao', label: 'Cartão' },
  ];

  it.each<[string, ParsedAnswer]>([
    ['pix', yes('pix')],
    ['Pix!', yes('pix')],
    ['pis', no('unknown_option')],
    ['boleta', yes('boleto')],
    ['cartao', yes('cartao')],
    ['no cartão', yes('cartao')],
    ['catrao', yes('cartao')],
    ['pix ou boleto', no('conflicting')],
    ['3', yes('cartao')],
  ])('with short labels reads %j', (text, expected) => {
    expect(parseAnswer('choice', text, 'pt-BR', { choices: payment })).toStrictEqual(expected);
  });

  it.each<[{ key: string; label: string }[], string, ParsedAnswer]>([
    [[{ key: 'entrega', label: 'Entrega' }, { key: 'entrega-rapida', label: 'Entrega rápida' }], 'entrega rapida', yes('entrega-rapida')],
    [[{ key: 'entrega', label: 'Entrega' }, { key: 'entrega-rapida', label: 'Entrega rápida' }], 'a entrega', yes('entrega')],
    [[{ key: 'avulso', label: 'Avulso' }, { key: 'kit-2', label: 'Kit 2' }], 'kit 2', yes('kit-2')],
    [[{ key: 'avulso', label: 'Avulso' }, { key: 'kit-2', label: 'Kit 2' }], '1', yes('avulso')],
    [[{ key: 'azul', label: 'Azul' }, { key: 'verde', label: 'Verde' }], 'azu', yes('azul')],
  ])('with options %j reads %j', (choices, text, expected) => {
    expect(parseAnswer('choice', text, 'pt-BR', { choices })).toStrictEqual(expected);
  });

  it.each<[Locale, string, ParsedAnswer]>([
    ['en', 'option 2', yes('preco-justo')],
    ['en', 'the first one', yes('entrega')],
    ['en', 'second', yes('preco-justo')],
    ['es', 'la opción 3', yes('atendimento')],
    ['es', 'la primera', yes('entrega')],
    ['es', 'entrega', yes('entrega')],
  ])('in %s reads %j', (locale, text, expected) => {
    expect(parseAnswer('choice', text, locale, { choices: options })).toStrictEqual(expected);
  });
});

describe('birthday', () => {
  it.each<[string, ParsedAnswer]>([
    ['12/03/1990', yes('1990-03-12')],
    ['12/03', yes('--03-12')],
    ['12/3', yes('--03-12')],
    ['12/03/90', yes('1990-03-12')],
    ['12.03.1990', yes('1990-03-12')],
    ['12-03-1990', yes('1990-03-12')],
    ['1990-03-12', yes('1990-03-12')],
    ['dia 12/03', yes('--03-12')],
    ['meu aniversário é 12/03 🎂', yes('--03-12')],
    ['12/03, obrigada!', yes('--03-12', 'obrigada!')],
    ['12 de março', yes('--03-12')],
    ['12 de marco', yes('--03-12')],
    ['12 de marco de 1990', yes('1990-03-12')],
    ['12 de março de 90', yes('1990-03-12')],
    ['12 março 1990', yes('1990-03-12')],
    ['1º de maio', yes('--05-01')],
    ['dia 5 de janeiro', yes('--01-05')],
    ['29 de fevereiro', yes('--02-29')],
    ['29/02/2000', yes('2000-02-29')],
    ['25 dez', yes('--12-25')],
    ['12/mar', yes('--03-12')],
    ['12/03 e 12 de março', yes('--03-12')],
  ])('reads %j', (text, expected) => {
    expect(parseAnswer('birthday', text, 'pt-BR', { today: TODAY })).toStrictEqual(expected);
  });

  it.each<[string, ParseProblem]>([
    ['', 'empty'],
    ['31/02', 'invalid_date'],
    ['30 de fevereiro', 'invalid_date'],
    ['12/03/2090', 'invalid_date'],
    ['12/03/1800', 'invalid_date'],
    ['32/01', 'invalid_date'],
    ['12/13', 'invalid_date'],
    ['março', 'no_answer_found'],
    ['dia 12', 'no_answer_found'],
    ['não lembro kkk', 'no_answer_found'],
    ['12/03 ou 13/03', 'conflicting'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseAnswer('birthday', text, 'pt-BR', { today: TODAY })).toStrictEqual(no(reason));
  });

  it.each<[Locale, string, ParsedAnswer]>([
    ['en', 'March 12', yes('--03-12')],
    ['en', 'march 12th, 1990', yes('1990-03-12')],
    ['en', '12 March 1990', yes('1990-03-12')],
    ['en', 'May 1st', yes('--05-01')],
    ['en', 'Dec 25', yes('--12-25')],
    ['en', '03/12', yes('--12-03')],
    ['es', '12 de marzo', yes('--03-12')],
    ['es', '12 de marzo de 1990', yes('1990-03-12')],
    ['es', 'el 3 de diciembre', yes('--12-03')],
    ['es', '1 de enero', yes('--01-01')],
  ])('in %s reads %j', (locale, text, expected) => {
    expect(parseAnswer('birthday', text, locale, { today: TODAY })).toStrictEqual(expected);
  });
});

describe('referral', () => {
  const ANA = '+5511912345678';
  const BETO = '+5521988887777';

  it.each<[string, { name: string | null; phone: string }[]]>([
    ['(11) 91234-5678', [{ name: null, phone: ANA }]],
    ['11 91234 5678', [{ name: null, phone: ANA }]],
    ['11912345678', [{ name: null, phone: ANA }]],
    ['+55 11 9 1234-5678', [{ name: null, phone: ANA }]],
    ['011 91234-5678', [{ name: null, phone: ANA }]],
    ['5511912345678', [{ name: null, phone: ANA }]],
    ['(0xx11) 91234-5678', [{ name: null, phone: ANA }]],
    ['Ana 11 91234-5678', [{ name: 'Ana', phone: ANA }]],
    ['Ana 11 91234-5678 e o Beto (21) 98888-7777', [{ name: 'Ana', phone: ANA }, { name: 'Beto', phone: BETO }]],
    ['11 91234-5678 ana, 21 98888-7777 beto', [{ name: 'ana', phone: ANA }, { name: 'beto', phone: BETO }]],
    ['11 91234 5678 21 98888 7777', [{ name: null, phone: ANA }, { name: null, phone: BETO }]],
    ['minha irmã Carla: 011 91234-5678', [{ name: 'Carla', phone: ANA }]],
    ['Ana Paula (11) 91234-5678', [{ name: 'Ana Paula', phone: ANA }]],
    ['Maria da Silva 11 91234-5678', [{ name: 'Maria da Silva', phone: ANA }]],
    ['o zap dela é 11 91234-5678', [{ name: null, phone: ANA }]],
    ['liga pra Ju no 21 98888-7777', [{ name: 'Ju', phone: BETO }]],
    ['11 91234-5678 e 11 91234-5678', [{ name: null, phone: ANA }]],
    ['9 1234-5678 e 11 91234-5678', [{ name: null, phone: ANA }]],
    ['Bia 11 91234-5678\nCadu 21 98888-7777', [{ name: 'Bia', phone: ANA }, { name: 'Cadu', phone: BETO }]],
    ['11 8765-4321', [{ name: null, phone: '+5511987654321' }]],
    ['claro! minha amiga joana 11912345678 kkk', [{ name: 'joana', phone: ANA }]],
    ['Ana: +55 (11) 91234-5678', [{ name: 'Ana', phone: ANA }]],
    ['Beto Lima (21) 98888-7777; Ana +5511912345678', [{ name: 'Beto Lima', phone: BETO }, { name: 'Ana', phone: ANA }]],
  ])('reads %j', (text, referrals) => {
    expect(parseAnswer('referral', text, 'pt-BR')).toStrictEqual({
      ok: true,
      value: referrals.map((r) => r.phone).join(','),
      referrals,
    });
  });

  it.each<[string, ParseProblem]>([
    ['', 'empty'],
    ['9 1234-5678', 'no_phone'],
    ['não tenho', 'no_phone'],
    ['meu cpf 123.456.789-09', 'no_phone'],
    ['12/03/1990', 'no_phone'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseAnswer('referral', text, 'pt-BR')).toStrictEqual(no(reason));
  });

  it('reads numbers of another default country', () => {
    expect(parseAnswer('referral', 'Rui 912 345 678', 'es', { defaultCountry: 'PT' })).toStrictEqual({
      ok: true,
      value: '+351912345678',
      referrals: [{ name: 'Rui', phone: '+351912345678' }],
    });
  });
});

describe('text', () => {
  it.each<[string, ParsedAnswer]>([
    ['  adorei o café  ', yes('adorei o café')],
    ['👍', yes('👍')],
    ['ok', yes('ok')],
    ['...', no('empty')],
    ['', no('empty')],
    [' \n ', no('empty')],
  ])('reads %j', (text, expected) => {
    expect(parseAnswer('text', text, 'pt-BR')).toStrictEqual(expected);
  });
});

describe('a long message', () => {
  it('is searched in its first 4000 characters, and its comment is kept whole', () => {
    const complaint = 'a entrega atrasou '.repeat(5000).trim();
    expect(parseAnswer('nps', `nota 3, ${complaint}`, 'pt-BR')).toStrictEqual(yes('3', complaint));
    expect(parseAnswer('nps', `${complaint} nota 3`, 'pt-BR')).toStrictEqual(no('no_answer_found'));
  });
});

describe('any input', () => {
  const KINDS: AskKind[] = ['nps', 'csat', 'yes_no', 'choice', 'text', 'referral', 'birthday'];
  const PROBLEMS: ParseProblem[] = ['empty', 'no_answer_found', 'out_of_range', 'conflicting', 'unknown_option', 'invalid_date', 'no_phone'];
  const choices = [
    { key: 'entrega', label: 'Entrega' },
    { key: 'preco-justo', label: 'Preço justo' },
  ];
  const pieces = [
    'sim', 'não', 'nao', 'no', 'nota', '9', '10', '/10', ' de ', ' a ', '0', '-', '⭐', '★', '🔟', '1️⃣', '👍', '👎', 'ótimo',
    'bom', 'dia', ' ', ',', '.', '!', '?', '12/03', 'março', '12 de ', '(11) ', '91234-5678', '+55', 'Ana', 'kkk', 'entrega',
    'preço', 'justo', 'opção', '2', 'talvez', 'quero', 'R$', '%', ':', '\u0301', '\ufe0f', '\u200d', '\ud800', '\udc00',
    // Praise (test/inbox/praise-scores.test.ts).
    'mil', ' mil', '💯', '1000', 'milhão', 'a thousand', ' e ', '∞', 'atraso', 'mas', '🙄',
  ];
  const texts = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 40 }),
    fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((parts) => parts.join('')),
  );

  it('never throws and always answers with one of the two shapes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), texts, fc.constantFrom(...LOCALES), (kind, text, locale) => {
        const result = parseAnswer(kind, text, locale, { choices, today: TODAY });
        if (!result.ok) {
          expect(Object.keys(result).sort()).toEqual(['ok', 'reason']);
          expect(PROBLEMS).toContain(result.reason);
          return;
        }
        expect(typeof result.value).toBe('string');
        expect(result.value).not.toBe('');
        if (result.comment !== undefined) expect(result.comment.trim()).not.toBe('');
        if (kind === 'referral') {
          expect(result.value).toMatch(/^\+\d{8,15}(,\+\d{8,15})*$/);
          expect(result.referrals?.map((r) => r.phone).join(',')).toBe(result.value);
        } else {
          expect(result.referrals).toBeUndefined();
        }
        if (kind === 'birthday') expect(result.value).toMatch(/^(\d{4}|-)-\d{2}-\d{2}$/);
        // Every value is one the flow engine takes.
        expect(outcomeOf(kind, result.value, choices.map((c) => c.key))).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});
