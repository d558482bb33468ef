import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../src/config.js';
import { censorInLogs, logDestination, loggerOptions, prettyLogLine, resolveLogFormat } from '../src/logger.js';

const SAO_PAULO = { timezone: 'America/Sao_Paulo', locale: 'pt-BR' } as const;
// 2026-03-10 17:05:09 UTC: 14:05:09 in São Paulo (UTC-3).
const TIME = Date.UTC(2026, 2, 10, 17, 5, 9);

/** A logger as the service makes it, writing in `format` into an array of written texts. */
function capture(format: 'json' | 'pretty', options: { timezone: string; locale: 'pt-BR' | 'en' | 'es' } = SAO_PAULO) {
  const written: string[] = [];
  const out = { write: (text: string) => written.push(text) };
  const destination = logDestination(format, options, out) ?? out;
  const logger = pino({ ...loggerOptions('info'), timestamp: () => `,"time":${TIME}` }, destination);
  return { logger, written };
}

describe('resolveLogFormat', () => {
  it.each([
    ['auto', true, 'pretty'],
    ['auto', false, 'json'],
    ['auto', undefined, 'json'],
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
  ] as const)('LOG_FORMAT=%s on a TTY %s writes %s', (format, isTTY, expected) => {
    expect(resolveLogFormat(format, isTTY)).toBe(expected);
  });
});

describe('prettyLogLine', () => {
  it('writes the shop’s local time, the level in the locale, the message and the other fields compactly', () => {
    const line = JSON.stringify({ level: 40, time: TIME, pid: 7, hostname: 'loja', msg: 'Fila cheia', channel: 'simulator', count: 3, detail: 'a b', reason: null });
    expect(prettyLogLine(`${line}\n`, SAO_PAULO)).toBe('14:05:09 AVISO Fila cheia channel=simulator count=3 detail="a b"\n');
    expect(prettyLogLine(line, { timezone: 'UTC', locale: 'en' })).toBe('17:05:09 WARN Fila cheia channel=simulator count=3 detail="a b"\n');
    expect(prettyLogLine(JSON.stringify({ level: 50, time: TIME, msg: 'x' }), { timezone: 'Europe/Madrid', locale: 'es' })).toBe('18:05:09 ERROR x\n');
  });

  it('puts an error’s stack on the lines below, indented', () => {
    const line = JSON.stringify({ level: 60, time: TIME, msg: 'falhou', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (a.js:1:1)' } });
    expect(prettyLogLine(line, SAO_PAULO)).toBe('14:05:09 FATAL falhou\n    Error: boom\n        at f (a.js:1:1)\n');
  });

  it('leaves a line that is not a JSON object as it is', () => {
    expect(prettyLogLine('not json\n', SAO_PAULO)).toBe('not json\n');
    expect(prettyLogLine('[1,2]\n', SAO_PAULO)).toBe('[1,2]\n');
  });
});

describe('the logger with LOG_FORMAT', () => {
  it('writes readable lines with phone numbers masked and secrets censored', () => {
    const secret = 'pretty-format-secret-0123456789';
    censorInLogs(secret);
    const { logger, written } = capture('pretty');
    logger.info({ phone: '+5511912345678', to: '5511912345678@s.whatsapp.net', token: 'abc' }, `Mensagem para (11) 91234-5678 com ${secret}`);
    expect(written).toEqual([
      '14:05:09 INFO Mensagem para (**) *****-5678 com [redacted] phone=+55*******5678 to=*********5678@s.whatsapp.net token=[redacted]\n',
    ]);
  });

  it('masks a phone number in an error’s stack', () => {
    const { logger, written } = capture('pretty');
    logger.error({ err: new Error('sem WhatsApp: +5511912345678') }, 'falhou');
    expect(written.join('')).toContain('Error: sem WhatsApp: +55*******5678');
    expect(written.join('')).not.toContain('5511912345678');
  });

  it('writes JSON lines, still masked, when the format is json', () => {
    const { logger, written } = capture('json');
    logger.warn({ phone: '+5511912345678' }, 'x');
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0]!)).toMatchObject({ level: 40, time: TIME, msg: 'x', phone: '+55*******5678' });
    expect(logDestination('json', SAO_PAULO)).toBeUndefined();
  });
});

describe('LOG_FORMAT', () => {
  it('is auto by default, and json or pretty when asked', () => {
    expect(loadConfig({}, '/tmp/fregues-test').logFormat).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }, '/tmp/fregues-test').logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: 'json' }, '/tmp/fregues-test').logFormat).toBe('json');
  });

  it('refuses another value, saying what is allowed', () => {
    let error: unknown;
    try {
      loadConfig({ LOG_FORMAT: 'yaml' }, '/tmp/fregues-test');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['LOG_FORMAT="yaml": use json, pretty ou auto']);
  });
});
