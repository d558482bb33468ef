import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/loja');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs on the defaults of design.md with no environment at all', () => {
    const config = loadConfig({}, '/srv/loja');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/srv/loja/data',
      flowsDir: '/srv/loja/flows',
      databaseFile: '/srv/loja/data/fregues.db',
      adminTokenFile: '/srv/loja/data/admin-token',
      channel: 'whatsapp',
      adminToken: undefined,
      ownerPhones: [],
      defaultCountry: 'BR',
      timezone: 'America/Sao_Paulo',
      locale: 'pt-BR',
      quietHours: { startMinute: 20 * 60, endMinute: 9 * 60 },
      sendDays: null,
      tickSeconds: 30,
      sendGapSeconds: { min: 20, max: 60 },
      dailySendCap: 200,
      handoffPauseHours: 24,
      weeklySummaryCron: '0 8 * * 1',
      logLevel: 'info',
      currency: 'BRL',
      trustProxy: false,
    });
  });

  it('treats empty variables as unset, as a copied .env.example leaves them', () => {
    expect(loadConfig({ PORT: '', OWNER_PHONE: '', ADMIN_TOKEN: '', QUIET_HOURS: '' }, '/srv').port).toBe(3000);
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATA_DIR: '/var/lib/fregues',
        FLOWS_DIR: 'meus-fluxos',
        CHANNEL: 'simulator',
        ADMIN_TOKEN: 'x'.repeat(32),
        SHOP_NAME: '  Doce Sabor  ',
        OWNER_PHONE: '+55 (11) 91234-5678, +55 21 99876-5432, +5511912345678',
        DEFAULT_COUNTRY: 'pt',
        TIMEZONE: 'Europe/Lisbon',
        LOCALE: 'es',
        QUIET_HOURS: '22:30-08:00',
        SEND_GAP_SECONDS: '30-90',
        DAILY_SEND_CAP: '500',
        HANDOFF_PAUSE_HOURS: '12.5',
        WEEKLY_SUMMARY_CRON: '30 9 * * 5',
        LOG_LEVEL: 'debug',
        API_RATE_LIMIT: '100',
        TRUST_PROXY: '1',
        CURRENCY: 'eur',
      },
      '/srv/loja',
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/fregues',
      flowsDir: path.join('/srv/loja', 'meus-fluxos'),
      channel: 'simulator',
      adminToken: 'x'.repeat(32),
      shopName: 'Doce Sabor',
      ownerPhones: ['+5511912345678', '+5521998765432'],
      defaultCountry: 'PT',
      timezone: 'Europe/Lisbon',
      locale: 'es',
      quietHours: { startMinute: 22 * 60 + 30, endMinute: 8 * 60 },
      sendGapSeconds: { min: 30, max: 90 },
      dailySendCap: 500,
      handoffPauseHours: 12.5,
      weeklySummaryCron: '30 9 * * 5',
      logLevel: 'debug',
      apiRateLimit: 100,
      trustProxy: 1,
      currency: 'EUR',
    });
  });

  it.each([
    ['true', true],
    ['SIM', true],
    ['false', false],
    ['não', false],
    ['', false],
  ])('reads OWNER_ALERTS_ANYTIME=%j', (value, expected) => {
    expect(loadConfig({ OWNER_ALERTS_ANYTIME: value }, '/').ownerAlertsAnytime).toBe(expected);
  });

  it.each([
    ['', true],
    ['true', true],
    ['false', false],
    ['Não', false],
  ])('reads SIMULATOR_LINKED=%j (linked by default, as the simulator always was)', (value, expected) => {
    expect(loadConfig({ SIMULATOR_LINKED: value }, '/').simulatorLinked).toBe(expected);
  });

  it.each([
    ['seg-sex', ['mon', 'tue', 'wed', 'thu', 'fri']],
    ['mon-sat', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat']],
    ['sex-seg', ['sun', 'mon', 'fri', 'sat']],
    ['seg, qua ,sex', ['mon', 'wed', 'fri']],
    ['dom-sab', null],
    ['lun-dom', null],
  ])('reads SEND_DAYS=%j', (value, days) => {
    expect(loadConfig({ SEND_DAYS: value }, '/').sendDays).toEqual(days);
  });

  it.each([['1', 1], ['30', 30], ['60', 60], ['300', 300], ['3600', 3600]])('reads TICK_SECONDS=%s', (value, seconds) => {
    expect(loadConfig({ TICK_SECONDS: value }, '/').tickSeconds).toBe(seconds);
  });

  it('accepts QUIET_HOURS=off, a single gap and a proxy list', () => {
    const config = loadConfig({ QUIET_HOURS: 'off', SEND_GAP_SECONDS: '45', TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }, '/');
    expect(config.quietHours).toBeNull();
    expect(config.sendGapSeconds).toEqual({ min: 45, max: 45 });
    expect(config.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '70000'],
    ['HOST', 'my host'],
    ['CHANNEL', 'telegram'],
    ['ADMIN_TOKEN', 'short'],
    ['SHOP_NAME', 'x'.repeat(81)],
    ['OWNER_PHONE', '(11) 3123-4567'],
    ['DEFAULT_COUNTRY', 'Brasil'],
    ['TIMEZONE', 'Brasilia'],
    ['LOCALE', 'pt-PT'],
    ['QUIET_HOURS', '20h-9h'],
    ['QUIET_HOURS', '25:00-09:00'],
    ['QUIET_HOURS', '09:00-09:00'],
    ['SEND_DAYS', 'seg-xyz'],
    ['OWNER_ALERTS_ANYTIME', 'talvez'],
    ['SIMULATOR_LINKED', 'depois'],
    ['SEND_DAYS', 'weekdays'],
    ['TICK_SECONDS', '7'],
    ['TICK_SECONDS', '90'],
    ['SEND_GAP_SECONDS', '60-20'],
    ['SEND_GAP_SECONDS', 'fast'],
    ['DAILY_SEND_CAP', '-1'],
    ['DAILY_SEND_CAP', '1.5'],
    ['HANDOFF_PAUSE_HOURS', '1000'],
    ['WEEKLY_SUMMARY_CRON', 'every monday'],
    ['WEEKLY_SUMMARY_CRON', '0 8 * *'],
    ['LOG_LEVEL', 'verbose'],
    ['API_RATE_LIMIT', '0'],
    ['TRUST_PROXY', 'maybe'],
    ['CURRENCY', 'REAIS'],
  ])('refuses %s=%j with one line naming the variable, the value and what is allowed', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem).toMatch(new RegExp(`^${name}=`));
    if (name !== 'ADMIN_TOKEN') expect(problem).toContain(JSON.stringify(value));
    expect(problem!.split(': ').slice(1).join(': ').length).toBeGreaterThan(10);
  });

  it('reports every wrong variable at once, in the LOCALE asked for when it is valid', () => {
    const problems = problemsOf({ PORT: 'x', CHANNEL: 'sms', OWNER_PHONE: '123', LOCALE: 'en' });
    expect(problems).toEqual([
      'PORT="x": must be an integer from 1 to 65535',
      'CHANNEL="sms": use whatsapp or simulator',
      expect.stringMatching(/^OWNER_PHONE="123": must be one or more comma-separated mobile numbers, like \+5511912345678 \(123: /),
    ]);
  });

  it('speaks Portuguese by default and puts every problem in the error message', () => {
    try {
      loadConfig({ PORT: 'x', TIMEZONE: 'Mars/Olympus' }, '/');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('Configuração inválida (2):');
      expect(message).toContain('PORT="x": deve ser um número inteiro de 1 a 65535');
      expect(message).toContain('TIMEZONE="Mars/Olympus": deve ser um fuso horário IANA');
    }
  });

  it('never prints the admin token it refuses', () => {
    const [problem] = problemsOf({ ADMIN_TOKEN: 'segredo curto' });
    expect(problem).not.toContain('segredo');
    expect(problem).toMatch(/^ADMIN_TOKEN=\*\*\*\(13\): /);
  });
});

describe('.env.example', () => {
  it('lists every variable with its default and one line saying what it means', async () => {
    const fs = await import('node:fs');
    const { DEFAULTS } = await import('../src/config.js');
    const lines = fs.readFileSync(new URL('../.env.example', import.meta.url), 'utf8').split('\n');
    const entries = new Map(
      lines.flatMap((line, index) => {
        const match = /^([A-Z_]+)=(.*)$/.exec(line);
        return match ? [[match[1]!, { value: match[2]!, comment: lines[index - 1] ?? '' }]] : [];
      }),
    );
    expect([...entries.keys()].sort()).toEqual([...Object.keys(DEFAULTS), 'ADMIN_TOKEN'].sort());
    for (const [name, value] of Object.entries(DEFAULTS)) expect(entries.get(name)?.value, name).toBe(value);
    for (const [name, entry] of entries) expect(entry.comment, name).toMatch(/^# \S.{10,}/);
    // The example itself must load.
    expect(() => loadConfig(Object.fromEntries([...entries].map(([name, entry]) => [name, entry.value])), '/')).not.toThrow();
  });
});
