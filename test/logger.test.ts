import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { censorInLogs, loggerOptions, maskPhonesInLogLine, maskPhonesInText, maskUrl } from '../src/logger.js';

describe('maskPhonesInText', () => {
  it.each([
    ['+5511912345678', '+55*******5678'],
    ['ligar para +55 11 91234-5678 hoje', 'ligar para +55 ** *****-5678 hoje'],
    ['"url":"/x?to=%2B5511912345678"', '"url":"/x?to=%2B55*******5678"'],
    ['5511912345678@s.whatsapp.net', '*********5678@s.whatsapp.net'],
    ['5511912345678:3@s.whatsapp.net', '*********5678:3@s.whatsapp.net'],
    ['123456789012345@lid', '***********2345@lid'],
    ['numero 5511912345678 salvo', 'numero *********5678 salvo'],
    ['cel 11912345678', 'cel *******5678'],
    ['(11) 91234-5678', '(**) *****-5678'],
    ['busca 91234-5678', 'busca *****-5678'],
    ['me liga no 11 91234-5678', 'me liga no ** *****-5678'],
    ['912345678', '*****5678'],
    ['+14155552671', '+14*****2671'],
  ])('masks %j', (input, expected) => {
    expect(maskPhonesInText(input)).toBe(expected);
  });

  it.each([
    '{"level":30,"time":1795363485311,"pid":4355}',
    'listening on 127.0.0.1:3000',
    '"responseTime":15.654732999999851',
    // Found by the fuzz suite: a fraction that starts with 55 (or 9) was masked, and the line was no longer JSON.
    '"responseTime":53.5513943992574,',
    '"responseTime":59.551099057122}',
    '"responseTime":12.912345678,',
    '"ratio":0.91234567891',
    'purchase 42 total 122020 cents',
  ])('leaves other numbers alone: %j', (input) => {
    expect(maskPhonesInText(input)).toBe(input);
  });
});

describe('maskPhonesInLogLine', () => {
  it('keeps a JSON line JSON: a phone written as a bare number is masked into a string', () => {
    const line = '{"id":912345678,"phones":[5511912345678,11912345678],"n":5511912345678}';
    const masked = maskPhonesInLogLine(line);
    expect(masked).toBe('{"id":"*****5678","phones":["*********5678","*******5678"],"n":"*********5678"}');
    expect(() => JSON.parse(masked) as unknown).not.toThrow();
  });

  it.each([
    // Issue 16, found by the fuzz suite (FUZZ_SEED=277511933): the minus sign was left outside the quotes.
    ['{"id":-5511987658104}', '{"id":"-*********8104"}'],
    ['{"id":-912348104,"reason":"no_key"}', '{"id":"-*****8104","reason":"no_key"}'],
    ['[-11912345678,-1]', '["-*******5678",-1]'],
    // Fractions and exponents: the integer part is what can be a phone.
    ['{"n":5511912345678.25}', '{"n":"*********5678.25"}'],
    ['{"n":5.511912345678e+12,"m":-5.511912345678E12}', '{"n":"*********5678","m":"-*********5678"}'],
    ['{"big":1.2345678912345678e+21,"small":5.5e-7,"t":53.5513943992574}', '{"big":1.2345678912345678e+21,"small":5.5e-7,"t":53.5513943992574}'],
    // An escape next to the digits: the masked text was no longer JSON ("\udb*********5678"), or the phone was kept ("\u0001912345678").
    ['{"s":"\\udb5511912345678 x"}', '{"s":"\\udb55*******5678 x"}'],
    ['{"s":"\\\\udb5511912345678 x"}', '{"s":"\\\\udb*********5678 x"}'],
    // A lone surrogate written raw (pino's fast path for short strings) comes back escaped.
    ['{"s":"\udb5511912345678 x"}', '{"s":"\\udb55*******5678 x"}'],
    ['{"s":"\\u0001912345678"}', '{"s":"\\u0001*****5678"}'],
    ['{"s":"+55 11\\t91234-5678"}', '{"s":"+55 **\\t*****-5678"}'],
    // A key that is a phone, nested values.
    ['{"5511912345678":{"a":[{"b":"(11) 91234-5678"}]}}', '{"*********5678":{"a":[{"b":"(**) *****-5678"}]}}'],
  ])('masks %j into JSON', (input, expected) => {
    const masked = maskPhonesInLogLine(input);
    expect(masked).toBe(expected);
    expect(() => JSON.parse(masked) as unknown).not.toThrow();
  });

  it('masks a line that is not JSON as text', () => {
    expect(maskPhonesInLogLine('listening, owner 5511912345678\n')).toBe('listening, owner *********5678\n');
  });

  it('writes JSON through pino whatever it masks', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino(loggerOptions('info'), stream);
    log.info({ id: -5511987658104, n: 5.5e12, s: '\udb55' + '11912345678 x', c: '\u0001912345678', nested: { '11912345678': [-912345678] } }, 'numbers');
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(parsed).toMatchObject({ id: '-*********8104', n: '*********0000', s: '\udb55*******5678 x', c: '\u0001*****5678', nested: { '*******5678': ['-*****5678'] } });
  });
});

describe('maskUrl', () => {
  it.each([
    ['/api/customers?phone=(11)%2091234-5678', '/api/customers?phone=(**)%20*****-5678'],
    ['/api/customers?q=91234-5678&limit=5', '/api/customers?q=*****-5678&limit=5'],
    ['/customers?q=11+91234-5678', '/customers?q=**%20*****-5678'],
    ['/api/nada/(21)%2097773-1864', '/api/nada/(**)%20*****-1864'],
    ['/api/nada/%2B5521977731864', '/api/nada/%2B55*******1864'],
    ['/api/customers?token=abc&status=sent', '/api/customers?token=[redacted]&status=sent'],
    ['/x?ACCESS_TOKEN=abc', '/x?ACCESS_TOKEN=[redacted]'],
    ['/api/customers/42/export?x=%zz', '/api/customers/42/export?x=%zz'],
    ['/api/outbox?status=sent&limit=100&before=123', '/api/outbox?status=sent&limit=100&before=123'],
  ])('masks %j', (input, expected) => {
    expect(maskUrl(input)).toBe(expected);
  });
});

describe('censorInLogs', () => {
  it('writes [redacted] for a registered secret in any line, and leaves short values alone', () => {
    const write = loggerOptions('info').hooks!.streamWrite!;
    censorInLogs('a-secret-token-of-some-length-0123');
    censorInLogs('short');
    expect(write('{"msg":"failed with a-secret-token-of-some-length-0123 in it"}')).toBe('{"msg":"failed with [redacted] in it"}');
    expect(write('{"msg":"short"}')).toBe('{"msg":"short"}');
  });
});
