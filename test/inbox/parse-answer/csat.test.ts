import { describe, expect, it } from 'vitest';
import type { Locale } from '../../../src/i18n/index.js';
import { parseAnswer, type ParsedAnswer, type ParseProblem } from '../../../src/inbox/parse-answer/parse-answer.js';
import { no, yes } from '../../helpers/parsed-answers.js';

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
