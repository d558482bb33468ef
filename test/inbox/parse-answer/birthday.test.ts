import { describe, expect, it } from 'vitest';
import type { Locale } from '../../../src/i18n/index.js';
import { parseAnswer, type ParsedAnswer, type ParseProblem } from '../../../src/inbox/parse-answer/parse-answer.js';
import { no, TODAY, yes } from '../../helpers/parsed-answers.js';

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
