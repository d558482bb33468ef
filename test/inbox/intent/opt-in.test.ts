import { describe, expect, it } from 'vitest';
import { isOptIn } from '../../../src/inbox/intent/opt-in.js';

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
