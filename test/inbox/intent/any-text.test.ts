import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { needsOwner } from '../../../src/inbox/intent/needs-owner.js';
import { isOptIn } from '../../../src/inbox/intent/opt-in.js';
import { isOptOut, readStopRequest } from '../../../src/inbox/intent/stop-request.js';

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
