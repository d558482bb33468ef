/**
 * Scores written the way people praise ("nota mil", "💯", "100/10", "10/10" on a 1-5 question): read as the
 * top of the scale asked, or not read at all when the praise may be irony, money or taken back. The rules are
 * in src/inbox/parse-answer/praise.ts (readPraise).
 *
 * "A fixture you invented proves less than one you found." Cases marked `found` are copied as written from
 * public text; where they came from:
 * - [google-tapetes] a Google review (5 stars) quoted on a carpet-cleaning shop's site in Florianópolis,
 *   public GitHub repository (code search: "nota 1000!"): "...parabéns pelo atendimento nota 1000!".
 * - [google-renantur] a Google review (5 stars) in a travel agency's seed data (code search: "nota 1000!").
 * - [testimonials] testimonials (5 stars) on small businesses' sites, public GitHub repositories (code search:
 *   "nota 10000", "nota 1000!", "nota mil pra", "nota mil pelo", "recomendo nota mil", "produto nota mil"):
 *   "Nota 1000000…", "nota 100000", "Nota 10000000!! Parabéns !", "Nota 100000!!!!", "Valeuuuuuuuu,nota mil
 *   pra vc", "Super recomendo nota mil Atendimento...", a Mercado Livre review "Produto nota mil em...".
 * - [corretor] "Pra mim você é nota mil." a client's testimonial (5 stars) on a realtor's site.
 * - [capilar] a Google review (5 stars) of a hair therapist, in a clinic's seed data: "... Nota mil".
 * - [descaso] "nota mil pelo descaso de vocês", labelled negative (irony) in the few-shot examples of a
 *   Brazilian shop's review classifier (code search: "nota mil pelo").
 * - [luva] a Google review of a goalkeeper glove: "Só não dou 10 estrelas porque aqui só pode 5!".
 * - [clinica], [cunhado] "Dou 10 estrelas...", "Onde que eu dou 10 estrelas aqui???": reviews that go past
 *   five stars (code search: "dou 10 estrelas").
 * - [ben10] a party-decoration review: "...a decoração do Ben 10, ficou divino!! ... Nota 1000!!!".
 * - [4k] a gas-installer's review: "...Nota mil pra 4K!" (a shop named with a number).
 * - [11/10] English reviews "11/10 would recommend." and, the same meme turned round, "11/10 would not play
 *   again" (code search: "11/10 would").
 * - [10of10] an English review (5 stars): "...10 out of 10 would recommend!" (code search: "out of 10 would").
 * - [100de100] a Spanish Google review (5 stars) of a cabin: "...todo limpio y oliendo rico. Un 100 de 100".
 * - [infinita] "nota infinita!" as praise, in a Brazilian Discord bot's reply (code search: "nota infinita").
 * - [dor] "É a pior dor que já senti, nota 10 de 10": a top score that is no praise (a medical intake example).
 * - "Nota mil" comes from the ENEM essay, graded 0 to 1000 ("redação nota 1000" is everywhere in Brazilian
 *   study sites found by the same search); 💯 is U+1F4AF HUNDRED POINTS, "100, agree, perfect score" (Font
 *   Awesome's keywords for it); 🤡 is mockery (Folha de S.Paulo, 23 Nov 2021), 🙃 "not serious" (dci.com.br).
 * The public review corpora (B2W-Reviews01, Olist) were looked for but their CSVs are not in the stored
 * copies, so no case below is taken from them. Cases not marked are written here, each to pin one rule.
 */
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/i18n/index.js';
import { parseAnswer, type ParsedAnswer, type ParseProblem } from '../../src/inbox/parse-answer/parse-answer.js';

function yes(value: string, comment?: string): ParsedAnswer {
  return comment === undefined ? { ok: true, value } : { ok: true, value, comment };
}

function no(reason: ParseProblem): ParsedAnswer {
  return { ok: false, reason };
}

describe('praise read as the top of an nps question (10)', () => {
  it.each<[string, ParsedAnswer]>([
    // found
    ['Melhor corretor, melhor assessória, melhor em tudo que diz respeito a sua profissão.Pra mim você é nota mil.', yes('10')], // [corretor]
    [
      'O atendimento deles é excelente! Muito ágil e direto. Mandei meu tapete para lavar e eles buscaram e devolveram em casa! Tudo muito organizado, parabéns pelo atendimento nota 1000!',
      yes('10'),
    ], // [google-tapetes]
    [
      'Experiência nota 1000! Quero agradecer à Renantur por organizar tudo com tanto cuidado.',
      yes('10', 'Quero agradecer à Renantur por organizar tudo com tanto cuidado.'),
    ], // [google-renantur], first sentences
    [
      'A melhor!! Trabalho impecável !! Nota 1000000… confiaria meu trabalho a você quantas vezes fossem necessário!!',
      yes('10', 'confiaria meu trabalho a você quantas vezes fossem necessário!!'),
    ], // [testimonials]
    [
      'Atendimento nota 100000 super atencioso o Diego. Tira todas as nossas dúvidas . Material de qualidade. Com certeza ganhou uma cliente 🙏',
      yes('10', 'super atencioso o Diego. Tira todas as nossas dúvidas . Material de qualidade. Com certeza ganhou uma cliente 🙏'),
    ], // [testimonials]
    [
      'Excelente atendimento de todos os funcionários,serviços prestados de muita qualidade, obs único lugar na região que encontrei o óleo indicado pelo fabricante do meu carro !!! Nota 10000000!! Parabéns !',
      yes('10', 'Parabéns !'),
    ], // [testimonials]
    ['Nota 100000!!!!', yes('10')], // [testimonials]
    ['Valeuuuuuuuu,nota mil pra vc,bjooos!!', yes('10', 'pra vc,bjooos!!')], // [testimonials]
    [
      'Super recomendo nota mil Atendimento, dedicação e profissionalismo em tudo que faz',
      yes('10', 'Atendimento, dedicação e profissionalismo em tudo que faz'),
    ], // [testimonials]
    [
      'Produto nota mil em organização e proteção de rede. Produto top, uso e recomendo, acabaram com minhas manutenções, organiza muito bem os equipamentos.',
      yes('10', 'em organização e proteção de rede. Produto top, uso e recomendo, acabaram com minhas manutenções, organiza muito bem os equipamentos.'),
    ], // [testimonials], Mercado Livre
    [
      'Terapeuta capilar maravilhosa. Recuperou meus cabelinhos… me livrei de um "buraco" na cabeça. Recuperei a saude do meu couro cabeludo e dos fios. Explica tudo muito bem. E usa tecnologia de ponta. Nota mil',
      yes('10'),
    ], // [capilar]
    [
      'Muito fofo e de ótima qualidade. Achei que ficou um pouquinho largo, mas nada que atrapalhasse. Atendimento nota mil pelo WhatsApp.',
      yes('10', 'pelo WhatsApp.'),
    ], // [testimonials] ("nota mil pelo")
    ['Hmmm... nota infinita! Eu realmente gostei do seu gingado, hehehe.', yes('10', 'Eu realmente gostei do seu gingado, hehehe.')], // [infinita]
    ['Dou 10 estrelas. Clínica extremamente top!', yes('10', 'Clínica extremamente top!')], // [clinica], first sentences: a 10 on nps
    // written here
    ['Nota mil', yes('10')],
    ['Pra mim você é nota mil', yes('10')],
    ['NOTA MIL 😍😍', yes('10')],
    ['nota miiil', yes('10')],
    ['nota 1000', yes('10')],
    ['nota 10.000', yes('10')],
    ['nota 1 milhão', yes('10')],
    ['nota um milhão', yes('10')],
    ['nota 10 mil', yes('10')],
    ['nota mil, chegou rapidinho', yes('10', 'chegou rapidinho')],
    ['Mil!', yes('10')],
    ['mil, chegou rapidinho', yes('10', 'chegou rapidinho')],
    ['💯', yes('10')],
    ['💯💯💯 recomendo', yes('10', 'recomendo')],
    ['nota 10 💯', yes('10')],
    ['100/10', yes('10')],
    ['1000/10', yes('10')],
    ['mil de 10', yes('10')],
    ['5 de 5', yes('10')],
    ['5/5', yes('10')],
    ['100/100', yes('10')],
    // A complaint with a "mas" between is a remark, not irony.
    ['demorou mas nota mil', yes('10')],
    ['nota mil, mas atrasou 2 dias', yes('10', 'mas atrasou 2 dias')],
    ['não tenho nada a reclamar, nota mil', yes('10')],
    ['nota mil, não foi ruim', yes('10', 'não foi ruim')],
    ['nota mil nada a reclamar', yes('10', 'nada a reclamar')],
  ])('reads %j as 10', (text, expected) => {
    expect(parseAnswer('nps', text, 'pt-BR')).toStrictEqual(expected);
  });
});

describe('praise that is not read on an nps question', () => {
  it.each<[string, ParsedAnswer]>([
    // found
    ['nota mil pelo descaso de vocês', no('no_answer_found')], // [descaso]: irony
    [
      'O técnico de vocês veio no mesmo dia, fez o teste digital de estanqueidade, ajustou a válvula e me entregou o laudo no prazo. Nota mil pra 4K!',
      no('conflicting'),
    ], // [4k]: the 4 of the name is a second candidate, and a guess is not made
    // irony, complaint, taken back: when unsure, nothing automated
    ['nota mil pro atraso né', no('no_answer_found')],
    ['nota mil pra entrega atrasada', no('no_answer_found')],
    ['Parabéns pela demora, nota mil', no('no_answer_found')],
    ['atrasou 3 dias, nota mil', no('no_answer_found')],
    ['nota mil, péssimo', no('no_answer_found')],
    ['nota mil só que não', no('no_answer_found')],
    ['nota mil sqn', no('no_answer_found')],
    ['nota mil 🙄', no('no_answer_found')],
    ['nota mil 🤡', no('no_answer_found')],
    ['atrasou 💯', no('no_answer_found')],
    ['não é nota mil', no('no_answer_found')],
    ['não dou nota mil', no('no_answer_found')],
    ['nota mil não', no('no_answer_found')],
    ['nota mil?', no('no_answer_found')],
    // a thousand that is not a score: money, counting, a verb
    ['mil reais', no('no_answer_found')],
    ['paguei mil', no('no_answer_found')],
    ['R$ 1000', no('no_answer_found')],
    ['nota 1000 reais', no('no_answer_found')],
    ['mil vezes melhor', no('no_answer_found')],
    ['mil e quinhentos', no('no_answer_found')],
    ['dou mil', no('no_answer_found')],
    ['tô a mil', no('no_answer_found')],
    ['mil desculpas pela demora, nota 9', yes('9')],
    ['paguei 2 mil, nota 9', yes('9')],
    ['comprei por mil e quinhentos, nota 9', yes('9')],
    // a day, not full marks
    ['chegou dia 5/5', no('no_answer_found')],
    // two different answers
    ['8 💯', no('conflicting')],
    ['nota 9... não, nota mil', no('conflicting')],
    // "nota zero" is the bottom, as before
    ['nota zero', yes('0')],
  ])('reads %j as %j', (text, expected) => {
    expect(parseAnswer('nps', text, 'pt-BR')).toStrictEqual(expected);
  });

  it.each<[string, ParseProblem]>([
    // A number merely outside the scale, with no praise form, is not guessed.
    ['nota 11', 'out_of_range'],
    ['15', 'out_of_range'],
    ['nota 50', 'out_of_range'],
    ['nota 100', 'out_of_range'],
    ['1000', 'out_of_range'],
    ['10000', 'out_of_range'],
    ['nota 1500', 'out_of_range'],
    ['nota mil e quinhentos', 'out_of_range'],
    ['11/10', 'out_of_range'],
    ['50/10', 'out_of_range'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseAnswer('nps', text, 'pt-BR')).toStrictEqual(no(reason));
  });
});

describe('praise read as the top of a csat question (5)', () => {
  it.each<[string, ParsedAnswer]>([
    // found
    [
      'O atendimento deles é excelente! Muito ágil e direto. Mandei meu tapete para lavar e eles buscaram e devolveram em casa! Tudo muito organizado, parabéns pelo atendimento nota 1000!',
      yes('5'),
    ], // [google-tapetes]
    [
      'Luva top! Ótima construção, grip excelente no seco e no molhado, ótimo conforto e durabilidade. Só não dou 10 estrelas porque aqui só pode 5!',
      yes('5'),
    ], // [luva]: the 10 is taken back, the 5 is the answer
    // written here
    ['nota mil', yes('5')],
    ['Pra mim você é nota mil', yes('5')],
    ['nota 1000, chegou rapidinho', yes('5', 'chegou rapidinho')],
    ['💯', yes('5')],
    ['mil estrelas', yes('5')],
    ['10/10', yes('5')],
    ['10/10 recomendo', yes('5', 'recomendo')],
    ['10 de 10', yes('5')],
    ['100/100', yes('5')],
    ['100/5', yes('5')],
    // A lone 10 is the top of the scale people grade on (issue 15: "nota dez" on a 1-5 question is 5).
    ['Arrasou!! Amei. Ótimo serviço cunhado! Onde que eu dou 10 estrelas aqui???', yes('5', 'aqui???')], // [cunhado]
    ['nota dez', yes('5')],
    ['Nota DEZ!!', yes('5')],
    ['dez', yes('5')],
    ['10', yes('5')],
  ])('reads %j as 5', (text, expected) => {
    expect(parseAnswer('csat', text, 'pt-BR')).toStrictEqual(expected);
  });
});

describe('praise that is not read on a csat question', () => {
  it.each<[string, ParsedAnswer]>([
    // found
    [
      'Fiz a festa do meu filho com eles com a decoração do Ben 10, ficou divino!! Fora que eles cuidam de tudo, na hora de arrumar e de retirar a decoração. Nota 1000!!!',
      no('conflicting'),
    ], // [ben10]: the 10 of "Ben 10" is a candidate too
    ['É a pior dor que já senti, nota 10 de 10', no('no_answer_found')], // [dor]: a top score with a complaint
    [
      'Dou 10 estrelas. Clínica extremamente top! Dra. Ianara e Carla são profissionais maravilhosas, tratam os pacientes com carinho, respeito e cobram um preço muito bom',
      no('out_of_range'),
    ], // [clinica]: stars are counted, and ten of them is more than a 1-5 question has
    // written here: middle scores of another scale, and a 10 over 5, are not converted
    ['nota 8', no('out_of_range')],
    ['nota 6', no('out_of_range')],
    ['10/5', no('out_of_range')],
    ['8/10', no('no_answer_found')],
    ['dia 10/10', no('no_answer_found')],
    ['10/10/2024', no('no_answer_found')],
    ['nota mil pro atraso né', no('no_answer_found')],
    ['nota mil pelo descaso de vocês', no('no_answer_found')],
  ])('reads %j as %j', (text, expected) => {
    expect(parseAnswer('csat', text, 'pt-BR')).toStrictEqual(expected);
  });
});

describe('praise in en and es', () => {
  it.each<[Locale, 'nps' | 'csat', string, ParsedAnswer]>([
    // found
    ['en', 'csat', 'Awesome service!!! Very professional and very knowledgeable! 10 out of 10 would recommend!', yes('5', 'would recommend!')], // [10of10]
    ['en', 'nps', 'Truly a detailing place that places emphasis on attention to detail. 11/10 would recommend.', no('out_of_range')], // [11/10]
    ['en', 'nps', '11/10 would not play again', no('out_of_range')], // [11/10]
    ['es', 'csat', 'Lleno de detalles, juegos de mesa, chimenea, todo limpio y oliendo rico. Un 100 de 100', yes('5')], // [100de100]
    ['es', 'nps', 'Lleno de detalles, juegos de mesa, chimenea, todo limpio y oliendo rico. Un 100 de 100', yes('10')], // [100de100]
    // written here
    ['en', 'nps', '💯', yes('10')],
    ['en', 'nps', 'a thousand out of ten', yes('10')],
    ['en', 'nps', 'a thousand out of ten, but it was late', yes('10', 'but it was late')],
    ['en', 'nps', '100/10', yes('10')],
    ['en', 'nps', '1000 out of 10!', yes('10')],
    ['en', 'nps', 'a million out of 10', yes('10')],
    ['en', 'nps', '100/10 🙄', no('no_answer_found')],
    ['en', 'nps', 'eleven', no('out_of_range')],
    ['en', 'csat', '💯', yes('5')],
    ['es', 'nps', 'mil', yes('10')],
    ['es', 'nps', 'nota mil', yes('10')],
    ['es', 'nps', 'mil de 10', yes('10')],
    ['es', 'nps', '100 de 10', yes('10')],
    ['es', 'nps', 'nota mil por el retraso', no('no_answer_found')],
    ['es', 'nps', 'mil pesos', no('no_answer_found')],
    ['es', 'csat', '💯', yes('5')],
    ['es', 'csat', '10 de 10', yes('5')],
  ])('in %s, %s reads %j', (locale, kind, text, expected) => {
    expect(parseAnswer(kind, text, locale)).toStrictEqual(expected);
  });
});

describe('praise is only for scores', () => {
  it.each<[Parameters<typeof parseAnswer>[0], string, ParsedAnswer]>([
    ['yes_no', '💯', no('no_answer_found')],
    ['text', 'nota mil', yes('nota mil')],
    ['choice', 'nota mil', no('unknown_option')],
  ])('%s reads %j as %j', (kind, text, expected) => {
    expect(parseAnswer(kind, text, 'pt-BR', { choices: [{ key: 'entrega', label: 'Entrega' }] })).toStrictEqual(expected);
  });
});
