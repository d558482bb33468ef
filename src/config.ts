import path from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';
import { isCurrencyCode } from './domain/money.js';
import { isCountryCode, normalizePhone, type CountryCode } from './domain/phone.js';
import { WEEKDAYS, type Weekday } from './domain/local-time.js';
import { isLocale, translate, type Locale, type MessageKey } from './i18n/index.js';
import { LOG_FORMATS, type LogFormat } from './logger.js';

export interface QuietHours {
  /** Minutes after local midnight when sending stops. */
  startMinute: number;
  /** Minutes after local midnight when sending may resume. */
  endMinute: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  flowsDir: string;
  databaseFile: string;
  adminTokenFile: string;
  channel: 'whatsapp' | 'simulator';
  /** With the simulator: the number counts as linked at start (SIMULATOR_LINKED); false shows a QR to link first. */
  simulatorLinked: boolean;
  /** With the simulator: a file that gets one line per message the simulated WhatsApp accepted (SIMULATOR_DELIVERY_LOG); null: none. */
  simulatorDeliveryLog: string | null;
  /** Undefined: generated into adminTokenFile on first start. */
  adminToken: string | undefined;
  shopName: string;
  /** Where a customer reviews the shop, `{{ shop.review_url }}` (SHOP_REVIEW_URL, https); null: unset, and a message naming it is skipped. */
  shopReviewUrl: string | null;
  ownerPhones: string[];
  defaultCountry: CountryCode;
  timezone: string;
  locale: Locale;
  quietHours: QuietHours | null;
  /** Days customers may be messaged (null: every day). */
  sendDays: Weekday[] | null;
  tickSeconds: number;
  sendGapSeconds: { min: number; max: number };
  dailySendCap: number;
  /** At most this many new chats (messages to cold customers) per local day (COLD_DAILY_CAP); 0: none. */
  coldDailyCap: number;
  /**
   * The cold cap on each day after the number was linked (COLD_WARMUP): day 1 is the
   * first entry; after the list, only COLD_DAILY_CAP and WhatsApp's quota. Empty: no ramp.
   */
  coldWarmup: number[];
  /** Percent of WhatsApp's new-chat quota kept unused, as a safety margin (COLD_QUOTA_MARGIN). */
  coldQuotaMarginPercent: number;
  /** At most this many automated messages reach one customer in any 7 days (CONTACT_CAP_PER_WEEK). */
  contactCapPerWeek: number;
  handoffPauseHours: number;
  /** Owner alerts go even in quiet hours (OWNER_ALERTS_ANYTIME); otherwise they wait for the morning like everything else. */
  ownerAlertsAnytime: boolean;
  weeklySummaryCron: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How log lines are written (LOG_FORMAT): readable on a terminal and JSON otherwise (auto), or always one of them. */
  logFormat: LogFormat;
  apiRateLimit: number;
  trustProxy: boolean | number | string[];
  currency: string;
  /**
   * Where the owner's phone reaches the pages (PUBLIC_URL), for the links in
   * alerts ("confirm the opt-out or resume"); http://localhost:PORT by default.
   */
  publicUrl: string;
  /** Where the database backups go (BACKUP_DIR); DATA_DIR/backups by default. */
  backupDir: string;
  /** How many backups are kept (BACKUP_KEEP): the newest; older ones are deleted after each backup. */
  backupKeep: number;
  /** When the service backs up (BACKUP_CRON, in TIMEZONE); null: never (BACKUP_CRON=off). */
  backupCron: string | null;
  /** Shopify's webhook signing secret (SHOPIFY_WEBHOOK_SECRET); null: the Shopify connector is off. */
  shopifyWebhookSecret: string | null;
  /** The Shopify topics that record a purchase (SHOPIFY_TOPICS): orders/paid, and orders/create when listed. */
  shopifyTopics: string[];
  /** WooCommerce's webhook secret (WOOCOMMERCE_WEBHOOK_SECRET); null: the WooCommerce connector is off. */
  woocommerceWebhookSecret: string | null;
  /**
   * The Nuvemshop connector (NUVEMSHOP_*): the app secret that signs the webhooks
   * (null: the connector is off), the store, its REST API and token, the events taken.
   */
  nuvemshop: { appSecret: string | null; apiUrl: string; storeId: string; accessToken: string; events: NuvemshopEvent[] };
}

/** The defaults of design.md: `npm start` works with no environment at all. */
export const DEFAULTS = {
  PORT: '3000',
  HOST: '127.0.0.1',
  DATA_DIR: './data',
  FLOWS_DIR: './flows',
  CHANNEL: 'whatsapp',
  SIMULATOR_LINKED: 'true',
  SIMULATOR_DELIVERY_LOG: '',
  SHOP_NAME: 'Minha Loja',
  SHOP_REVIEW_URL: '',
  OWNER_PHONE: '',
  DEFAULT_COUNTRY: 'BR',
  TIMEZONE: 'America/Sao_Paulo',
  LOCALE: 'pt-BR',
  QUIET_HOURS: '20:00-09:00',
  SEND_DAYS: 'dom-sab',
  TICK_SECONDS: '30',
  SEND_GAP_SECONDS: '20-60',
  DAILY_SEND_CAP: '200',
  COLD_DAILY_CAP: '30',
  COLD_WARMUP: '5,5,5,10,10,10,10,20,20,20,20,20,20,20',
  COLD_QUOTA_MARGIN: '20',
  CONTACT_CAP_PER_WEEK: '3',
  HANDOFF_PAUSE_HOURS: '24',
  OWNER_ALERTS_ANYTIME: 'false',
  WEEKLY_SUMMARY_CRON: '0 8 * * 1',
  LOG_LEVEL: 'info',
  LOG_FORMAT: 'auto',
  API_RATE_LIMIT: '600',
  TRUST_PROXY: 'false',
  CURRENCY: 'BRL',
  PUBLIC_URL: '',
  BACKUP_DIR: '',
  BACKUP_KEEP: '7',
  BACKUP_CRON: '30 3 * * *',
  SHOPIFY_WEBHOOK_SECRET: '',
  SHOPIFY_TOPICS: 'orders/paid',
  WOOCOMMERCE_WEBHOOK_SECRET: '',
  NUVEMSHOP_APP_SECRET: '',
  NUVEMSHOP_STORE_ID: '',
  NUVEMSHOP_ACCESS_TOKEN: '',
  NUVEMSHOP_API_URL: 'https://api.nuvemshop.com.br/v1',
  NUVEMSHOP_EVENTS: 'order/paid',
} as const;

export const NUVEMSHOP_EVENTS = ['order/paid', 'order/created'] as const;
export type NuvemshopEvent = (typeof NUVEMSHOP_EVENTS)[number];

export type ConfigVariable = keyof typeof DEFAULTS | 'ADMIN_TOKEN';

export class ConfigError extends Error {
  constructor(readonly problems: string[], locale: Locale) {
    super(`${translate(locale, 'config.invalid', { count: problems.length })}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads one variable: an empty string counts as unset, so a copied .env.example works. */
function env(name: keyof typeof DEFAULTS) {
  return z.preprocess((value) => (value === undefined || value === '' ? DEFAULTS[name] : value), z.string());
}

/** true/false, in any of the three languages' words. */
function yesNo() {
  return z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', 'sim', 'nao', 'não', 'yes', 'no']))
    .transform((value) => ['true', 'sim', 'yes'].includes(value));
}

function integer(min: number, max: number) {
  return z
    .string()
    .regex(/^\s*\d+\s*$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

const schema = z.object({
  PORT: env('PORT').pipe(integer(1, 65535)),
  HOST: env('HOST').pipe(z.string().regex(/^[A-Za-z0-9.:_-]{1,253}$/)),
  DATA_DIR: env('DATA_DIR').pipe(z.string().min(1)),
  FLOWS_DIR: env('FLOWS_DIR').pipe(z.string().min(1)),
  CHANNEL: env('CHANNEL').pipe(z.enum(['whatsapp', 'simulator'])),
  SIMULATOR_LINKED: env('SIMULATOR_LINKED').pipe(yesNo()),
  SIMULATOR_DELIVERY_LOG: env('SIMULATOR_DELIVERY_LOG').pipe(z.string().trim()),
  ADMIN_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().regex(/^\S{24,}$/).optional(),
  ),
  SHOP_NAME: env('SHOP_NAME').pipe(z.string().trim().min(1).max(80)),
  SHOP_REVIEW_URL: env('SHOP_REVIEW_URL').pipe(
    z
      .string()
      .trim()
      .refine((value) => value === '' || isHttpsUrl(value))
      .transform((value) => (value === '' ? null : value)),
  ),
  DEFAULT_COUNTRY: env('DEFAULT_COUNTRY').pipe(
    z.string().transform((value) => value.trim().toUpperCase()).refine(isCountryCode),
  ),
  TIMEZONE: env('TIMEZONE').pipe(z.string().refine(isTimeZone)),
  LOCALE: env('LOCALE').pipe(z.string().refine(isLocale)),
  QUIET_HOURS: env('QUIET_HOURS').pipe(z.string().transform(parseQuietHours)),
  SEND_DAYS: env('SEND_DAYS').pipe(z.string().transform(parseDays)),
  TICK_SECONDS: env('TICK_SECONDS').pipe(
    integer(1, 3600).refine((value) => (value < 60 ? 60 % value === 0 : value % 60 === 0 && 3600 % value === 0)),
  ),
  SEND_GAP_SECONDS: env('SEND_GAP_SECONDS').pipe(z.string().transform(parseRange)),
  DAILY_SEND_CAP: env('DAILY_SEND_CAP').pipe(integer(1, 100_000)),
  COLD_DAILY_CAP: env('COLD_DAILY_CAP').pipe(integer(0, 100_000)),
  COLD_WARMUP: env('COLD_WARMUP').pipe(z.string().transform(parseWarmup)),
  COLD_QUOTA_MARGIN: env('COLD_QUOTA_MARGIN').pipe(integer(0, 90)),
  CONTACT_CAP_PER_WEEK: env('CONTACT_CAP_PER_WEEK').pipe(integer(1, 100)),
  HANDOFF_PAUSE_HOURS: env('HANDOFF_PAUSE_HOURS').pipe(
    z.string().regex(/^\s*\d+(\.\d+)?\s*$/).transform(Number).pipe(z.number().min(0).max(720)),
  ),
  OWNER_ALERTS_ANYTIME: env('OWNER_ALERTS_ANYTIME').pipe(yesNo()),
  WEEKLY_SUMMARY_CRON: env('WEEKLY_SUMMARY_CRON').pipe(
    z.string().trim().refine((value) => value.split(/\s+/).length === 5 && cron.validate(value)),
  ),
  LOG_LEVEL: env('LOG_LEVEL').pipe(z.enum(LOG_LEVELS)),
  LOG_FORMAT: env('LOG_FORMAT').pipe(z.enum(LOG_FORMATS)),
  API_RATE_LIMIT: env('API_RATE_LIMIT').pipe(integer(1, 1_000_000)),
  TRUST_PROXY: env('TRUST_PROXY').pipe(z.string().transform(parseTrustProxy)),
  CURRENCY: env('CURRENCY').pipe(z.string().trim().toUpperCase().refine(isCurrencyCode)),
  PUBLIC_URL: env('PUBLIC_URL').pipe(
    z
      .string()
      .trim()
      .refine((value) => value === '' || /^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/i.test(value))
      .transform((value) => value.replace(/\/+$/, '')),
  ),
  BACKUP_DIR: env('BACKUP_DIR').pipe(z.string().trim()),
  BACKUP_KEEP: env('BACKUP_KEEP').pipe(integer(1, 1000)),
  BACKUP_CRON: env('BACKUP_CRON').pipe(
    z
      .string()
      .trim()
      .refine((value) => /^off$/i.test(value) || (value.split(/\s+/).length === 5 && cron.validate(value)))
      .transform((value) => (/^off$/i.test(value) ? null : value)),
  ),
  SHOPIFY_WEBHOOK_SECRET: env('SHOPIFY_WEBHOOK_SECRET').pipe(webhookSecret()),
  SHOPIFY_TOPICS: env('SHOPIFY_TOPICS').pipe(
    z
      .string()
      .transform((value) => [...new Set(value.split(',').map((topic) => topic.trim().toLowerCase()).filter((topic) => topic !== ''))])
      .pipe(z.array(z.enum(['orders/paid', 'orders/create'])).min(1)),
  ),
  WOOCOMMERCE_WEBHOOK_SECRET: env('WOOCOMMERCE_WEBHOOK_SECRET').pipe(webhookSecret()),
  NUVEMSHOP_APP_SECRET: env('NUVEMSHOP_APP_SECRET').pipe(webhookSecret()),
  // The store id Nuvemshop gives at installation (user_id): digits.
  NUVEMSHOP_STORE_ID: env('NUVEMSHOP_STORE_ID').pipe(z.string().trim().regex(/^\d{0,20}$/)),
  NUVEMSHOP_ACCESS_TOKEN: env('NUVEMSHOP_ACCESS_TOKEN').pipe(z.string().trim().regex(/^\S{0,500}$/)),
  NUVEMSHOP_API_URL: env('NUVEMSHOP_API_URL').pipe(
    z
      .string()
      .trim()
      .refine((value) => /^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/i.test(value))
      .transform((value) => value.replace(/\/+$/, '')),
  ),
  NUVEMSHOP_EVENTS: env('NUVEMSHOP_EVENTS').pipe(
    z
      .string()
      .transform((value) => [...new Set(value.split(',').map((event) => event.trim().toLowerCase()).filter((event) => event !== ''))])
      .pipe(z.array(z.enum(NUVEMSHOP_EVENTS)).min(1)),
  ),
});

/** A platform's webhook secret: empty leaves its connector off; no spaces (a secret copied with a line break is a mistake). */
function webhookSecret() {
  return z
    .string()
    .trim()
    .refine((value) => value === '' || /^\S{8,}$/.test(value))
    .transform((value) => (value === '' ? null : value));
}

/**
 * Validates the environment and applies the defaults. Throws ConfigError with
 * one line per wrong variable: its name, its value and what is allowed.
 */
export function loadConfig(environment: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const messageLocale: Locale = isLocale(environment.LOCALE ?? '') ? (environment.LOCALE as Locale) : 'pt-BR';
  const problems: string[] = [];
  const parsed = schema.safeParse(environment);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
    for (const name of names) problems.push(describeProblem(name as ConfigVariable, environment[name], messageLocale));
  }

  const country = parsed.success ? parsed.data.DEFAULT_COUNTRY : 'BR';
  const ownerPhones = parseOwnerPhones(environment.OWNER_PHONE ?? DEFAULTS.OWNER_PHONE, country);
  if (!ownerPhones.ok) {
    problems.push(describeProblem('OWNER_PHONE', environment.OWNER_PHONE, messageLocale, ownerPhones.detail(messageLocale)));
  }
  if (!parsed.success || !ownerPhones.ok) throw new ConfigError(problems, messageLocale);

  const data = parsed.data;
  const dataDir = path.resolve(cwd, data.DATA_DIR);
  return {
    port: data.PORT,
    host: data.HOST,
    dataDir,
    flowsDir: path.resolve(cwd, data.FLOWS_DIR),
    databaseFile: path.join(dataDir, 'fregues.db'),
    adminTokenFile: path.join(dataDir, 'admin-token'),
    channel: data.CHANNEL,
    simulatorLinked: data.SIMULATOR_LINKED,
    simulatorDeliveryLog: data.SIMULATOR_DELIVERY_LOG === '' ? null : path.resolve(cwd, data.SIMULATOR_DELIVERY_LOG),
    adminToken: data.ADMIN_TOKEN,
    shopName: data.SHOP_NAME,
    shopReviewUrl: data.SHOP_REVIEW_URL,
    ownerPhones: ownerPhones.phones,
    defaultCountry: data.DEFAULT_COUNTRY,
    timezone: data.TIMEZONE,
    locale: data.LOCALE,
    quietHours: data.QUIET_HOURS,
    sendDays: data.SEND_DAYS,
    tickSeconds: data.TICK_SECONDS,
    sendGapSeconds: data.SEND_GAP_SECONDS,
    dailySendCap: data.DAILY_SEND_CAP,
    coldDailyCap: data.COLD_DAILY_CAP,
    coldWarmup: data.COLD_WARMUP,
    coldQuotaMarginPercent: data.COLD_QUOTA_MARGIN,
    contactCapPerWeek: data.CONTACT_CAP_PER_WEEK,
    handoffPauseHours: data.HANDOFF_PAUSE_HOURS,
    ownerAlertsAnytime: data.OWNER_ALERTS_ANYTIME,
    weeklySummaryCron: data.WEEKLY_SUMMARY_CRON,
    logLevel: data.LOG_LEVEL,
    logFormat: data.LOG_FORMAT,
    apiRateLimit: data.API_RATE_LIMIT,
    trustProxy: data.TRUST_PROXY,
    currency: data.CURRENCY,
    publicUrl: data.PUBLIC_URL === '' ? `http://localhost:${data.PORT}` : data.PUBLIC_URL,
    backupDir: data.BACKUP_DIR === '' ? path.join(dataDir, 'backups') : path.resolve(cwd, data.BACKUP_DIR),
    backupKeep: data.BACKUP_KEEP,
    backupCron: data.BACKUP_CRON,
    shopifyWebhookSecret: data.SHOPIFY_WEBHOOK_SECRET,
    shopifyTopics: data.SHOPIFY_TOPICS,
    woocommerceWebhookSecret: data.WOOCOMMERCE_WEBHOOK_SECRET,
    nuvemshop: {
      appSecret: data.NUVEMSHOP_APP_SECRET,
      apiUrl: data.NUVEMSHOP_API_URL,
      storeId: data.NUVEMSHOP_STORE_ID,
      accessToken: data.NUVEMSHOP_ACCESS_TOKEN,
      events: data.NUVEMSHOP_EVENTS,
    },
  };
}

/** "5,5,10,…": the cold cap on each day after linking, 0 to 100000 each, at most 365 days; "off": no ramp. */
function parseWarmup(value: string, ctx: z.RefinementCtx): number[] {
  const text = value.trim();
  if (/^off$/i.test(text)) return [];
  const days = text.split(',').map((part) => part.trim());
  if (days.length > 365 || !days.every((day) => /^\d{1,6}$/.test(day) && Number(day) <= 100_000)) {
    ctx.addIssue({ code: 'custom', message: 'COLD_WARMUP' });
    return z.NEVER;
  }
  return days.map(Number);
}

function describeProblem(name: ConfigVariable, value: string | undefined, locale: Locale, detail = ''): string {
  // The token is a secret: say that it is wrong, never what it is.
  const shown = name === 'ADMIN_TOKEN' || name.endsWith('_SECRET') || name.endsWith('_TOKEN') ? `***(${value?.length ?? 0})` : JSON.stringify(value ?? '');
  return `${name}=${shown}: ${translate(locale, `config.${name}` as MessageKey, { detail })}`;
}

/** An https address with a host and nothing a customer's phone would cut the link at (spaces), at most 500 characters. */
function isHttpsUrl(value: string): boolean {
  if (value.length > 500 || /\s/.test(value) || !/^https:\/\//i.test(value)) return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function parseClock(text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : undefined;
}

function parseQuietHours(value: string, ctx: z.RefinementCtx): QuietHours | null {
  if (/^\s*(off|none|false|0)\s*$/i.test(value)) return null;
  const [start, end, extra] = value.split('-');
  const startMinute = start === undefined ? undefined : parseClock(start);
  const endMinute = end === undefined ? undefined : parseClock(end);
  if (extra !== undefined || startMinute === undefined || endMinute === undefined || startMinute === endMinute) {
    ctx.addIssue({ code: 'custom', message: 'QUIET_HOURS' });
    return z.NEVER;
  }
  return { startMinute, endMinute };
}

const DAY_NAMES: Record<string, Weekday> = {
  dom: 'sun', seg: 'mon', ter: 'tue', qua: 'wed', qui: 'thu', sex: 'fri', sab: 'sat', 'sáb': 'sat',
  sun: 'sun', mon: 'mon', tue: 'tue', wed: 'wed', thu: 'thu', fri: 'fri', sat: 'sat',
  lun: 'mon', mar: 'tue', mie: 'wed', 'mié': 'wed', jue: 'thu', vie: 'fri',
};

/** "seg-sex", "seg-sab", "seg,qua,sex", "mon-fri": the days customers may be written to. */
function parseDays(value: string, ctx: z.RefinementCtx): Weekday[] | null {
  const days = new Set<Weekday>();
  for (const part of value.toLowerCase().split(',').map((item) => item.trim())) {
    const [from, to, extra] = part.split('-').map((item) => DAY_NAMES[item.trim()]);
    if (!from || extra !== undefined || (part.includes('-') && !to)) {
      ctx.addIssue({ code: 'custom', message: 'SEND_DAYS' });
      return z.NEVER;
    }
    const start = WEEKDAYS.indexOf(from);
    const end = WEEKDAYS.indexOf(to ?? from);
    for (let i = start; ; i = (i + 1) % 7) {
      days.add(WEEKDAYS[i]!);
      if (i === end) break;
    }
  }
  return days.size === 7 ? null : WEEKDAYS.filter((day) => days.has(day));
}

function parseRange(value: string, ctx: z.RefinementCtx): { min: number; max: number } {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value);
  const min = Number(match?.[1]);
  const max = Number(match?.[2] ?? match?.[1]);
  if (!match || min > max || max > 3600) {
    ctx.addIssue({ code: 'custom', message: 'SEND_GAP_SECONDS' });
    return z.NEVER;
  }
  return { min, max };
}

function parseTrustProxy(value: string, ctx: z.RefinementCtx): boolean | number | string[] {
  const text = value.trim();
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (/^\d+$/.test(text)) return Number(text);
  const list = text.split(',').map((part) => part.trim());
  if (list.every((part) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(part))) return list;
  ctx.addIssue({ code: 'custom', message: 'TRUST_PROXY' });
  return z.NEVER;
}

type OwnerPhones = { ok: true; phones: string[] } | { ok: false; detail: (locale: Locale) => string };

function parseOwnerPhones(value: string, country: CountryCode): OwnerPhones {
  const phones: string[] = [];
  for (const part of value.split(',').map((item) => item.trim()).filter((item) => item !== '')) {
    const result = normalizePhone(part, country);
    if (!result.ok) {
      return { ok: false, detail: (locale) => `${part}: ${translate(locale, `phone.${result.problem}`)}` };
    }
    if (!phones.includes(result.e164)) phones.push(result.e164);
  }
  return { ok: true, phones };
}
