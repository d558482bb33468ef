import { describe, expect, it } from 'vitest';
import { parseAnswer, type ParseProblem } from '../../../src/inbox/parse-answer/parse-answer.js';
import { no } from '../../helpers/parsed-answers.js';

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
