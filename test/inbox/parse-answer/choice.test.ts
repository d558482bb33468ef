import { describe, expect, it } from 'vitest';
import type { Locale } from '../../../src/i18n/index.js';
import { parseAnswer, type ParsedAnswer, type ParseProblem } from '../../../src/inbox/parse-answer/parse-answer.js';
import { no, yes } from '../../helpers/parsed-answers.js';

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
