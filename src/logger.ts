import type { DestinationStream, LoggerOptions } from 'pino';
import { translate, type Locale, type MessageKey } from './i18n/index.js';

/**
 * Logger settings shared by the service, the CLI and the benchmarks: secrets are
 * redacted and phone numbers masked, so that logs can be shared when asking for help.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
        'authorization',
        'token',
        'adminToken',
        '*.token',
        '*.adminToken',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
        method: req.method,
        url: req.url === undefined ? undefined : maskUrl(req.url),
        remoteAddress: req.ip ?? req.socket?.remoteAddress,
      }),
    },
    // The last line of defence: whatever a log line carries, phone numbers leave it masked and secrets censored
    // (secrets first: a token with a run of digits in it, once masked, would no longer be found whole).
    hooks: { streamWrite: (text) => maskPhonesInLogLine(censorSecrets(text)) },
  };
}

// Phone numbers as they can appear in log lines: +E.164 (also URL-encoded), WhatsApp JIDs,
// Brazilian numbers in digits only or typed with a DDD in parentheses, Brazilian mobiles typed
// with or without their DDD ("11 91234-5678", "91234-5678"). Digits after a decimal point are
// a number's fraction ("responseTime":53.5513943992574), not a phone.
const PHONE_PATTERNS = [
  /(?:\+|%2B)\d[\d\s().-]{6,22}\d/gi,
  /(?<!\d)\d{8,15}(?=(?::\d+)?@(?:s\.whatsapp\.net|c\.us|lid))/g,
  /(?<!\d|\d\.)55\d{10,11}(?!\d)/g,
  /(?<!\d|\d\.)[1-9]{2}9\d{8}(?!\d)/g,
  /\(\d{2}\)\s?9?\d{4}[\s-]?\d{4}/g,
  /(?<!\d|\d\.)(?:\d{2}[\s-]?)?9\d{4}[\s.-]?\d{4}(?!\d)/g,
];

/**
 * Whether any of PHONE_PATTERNS occurs in a text, in one search instead of six (every log line
 * is asked). Case is ignored as the first pattern ignores it: for the others that can only
 * find more, and a line found here is then masked pattern by pattern.
 */
const ANY_PHONE = new RegExp(PHONE_PATTERNS.map((pattern) => `(?:${pattern.source})`).join('|'), 'i');

/** Query parameters a phone number is given in, written any way at all: the whole value is masked. */
const PHONE_PARAMS = /^(?:phone|telefone|to|from)$/i;
/** Query parameters a careless client may put a token in: the value is left out. */
const SECRET_PARAMS = /^(?:token|access_token|api_?key|key|password|secret|auth|authorization|session)$/i;

/**
 * A request's address as logged: phone numbers masked wherever they are (a path
 * segment, ?phone=, a search ?q=), percent-encoded or not, and tokens given as
 * query parameters left out.
 */
export function maskUrl(url: string): string {
  const mark = url.indexOf('?');
  // The common case, cheaply (it is on every request): no query, and no digit to be a phone.
  if (mark < 0 && !/[\d%]/.test(url)) return url;
  const path = mark < 0 ? url : url.slice(0, mark);
  const maskedPath = path
    .split('/')
    .map((segment) => maskEncoded(segment, false))
    .join('/');
  if (mark < 0) return maskedPath;
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return maskEncoded(pair, true);
      const key = pair.slice(0, equals);
      const value = pair.slice(equals + 1);
      const name = decodeLoosely(key, true);
      if (SECRET_PARAMS.test(name)) return `${key}=[redacted]`;
      if (PHONE_PARAMS.test(name)) return `${key}=${encodeURIComponent(decodeLoosely(value, true).replace(/\d(?=(?:\D*\d){4})/g, '*'))}`;
      return `${maskEncoded(key, true)}=${maskEncoded(value, true)}`;
    })
    .join('&');
  return `${maskedPath}?${query}`;
}

/** A part of an address with the phones in it masked; as it was when it holds none. */
function maskEncoded(part: string, inQuery: boolean): string {
  // Fewer than 8 digits, none percent-encoded: no phone fits (ids, limits, dates' parts).
  if (!part.includes('%') && (part.match(/\d/g)?.length ?? 0) < 8) return part;
  const decoded = decodeLoosely(part, inQuery);
  const masked = maskPhonesInText(decoded);
  return masked === decoded ? part : encodeURIComponent(masked);
}

function decodeLoosely(part: string, inQuery: boolean): string {
  try {
    return decodeURIComponent(inQuery ? part.replace(/\+/g, ' ') : part);
  } catch {
    // Not valid percent-encoding: read as it is.
    return part;
  }
}

/** Values that must never be written to a log (the admin token), whatever line they turn up in. */
const SECRETS = new Set<string>();

/**
 * Censors `secret` in every log line this process writes from now on (buildApp
 * registers the admin token): an error message or an address that holds it
 * shows [redacted] instead. Short values are not secrets worth the cost.
 */
export function censorInLogs(secret: string): void {
  if (secret.length >= 16) SECRETS.add(secret);
}

function censorSecrets(text: string): string {
  let result = text;
  for (const secret of SECRETS) if (result.includes(secret)) result = result.replaceAll(secret, '[redacted]');
  return result;
}

/** Keeps a leading country code's first two digits and the last four: +55*******5678. Text only: see maskPhonesInLogLine for JSON. */
export function maskPhonesInText(text: string): string {
  let result = text;
  for (const pattern of PHONE_PATTERNS) result = result.replace(pattern, maskDigits);
  return result;
}

/**
 * The tokens of a JSON text that can hold a phone: a string (with its escapes) or a number
 * (any sign, fraction, exponent). Outside strings, a JSON text has nothing else with a digit.
 */
const JSON_TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * A log line as pino writes it (one JSON value and its newline) with its phones masked, and
 * still JSON whatever was masked: each string (key or value) is decoded, masked as text and
 * written back as a JSON string; a number whose integer part is a phone (of any sign, written
 * with a fraction or an exponent) becomes a masked string ("-*********8104"). Masking the line's
 * text instead broke it: a minus sign, an escape ("\udb55" before digits) or an exponent next to
 * the digits made the masked line no longer JSON. A line that is not JSON is masked as text.
 */
export function maskPhonesInLogLine(line: string): string {
  const start = line.startsWith('{') ? '{' : /\S/.exec(line)?.[0];
  if (start !== '{' && start !== '[') return maskPhonesInText(line);
  // The common case, cheaply: no phone in the line's text. Without an escape (which decoding
  // could turn into a separator) nor an exponent, whatever the tokens hold the text shows.
  if (!line.includes('\\') && !/\d[eE][+-]?\d/.test(line) && !ANY_PHONE.test(line)) return line;
  return line.replace(JSON_TOKENS, (token) => (token.startsWith('"') ? maskJsonString(token) : maskJsonNumber(token)));
}

function maskJsonString(token: string): string {
  if (!/\d/.test(token)) return token;
  let text: string;
  try {
    text = JSON.parse(token) as string;
  } catch {
    // Not a JSON string after all (a line that only looked like JSON): masked as text, and quoted
    // again so that no half-masked escape is left behind.
    return JSON.stringify(maskPhonesInText(token.slice(1, -1)));
  }
  const masked = maskPhonesInText(text);
  return masked === text ? token : JSON.stringify(masked);
}

function maskJsonNumber(token: string): string {
  const sign = token.startsWith('-') ? '-' : '';
  const body = token.slice(sign.length);
  let integer: string;
  let rest: string;
  if (/[eE]/.test(body)) {
    // 5.5e+12: JSON.stringify writes numbers from 1e21 up (and below 1e-6) with an exponent,
    // neither of which can be a phone, but other writers may use one for any number.
    const value = Number(body);
    if (!(value >= 1e7 && value < 1e21)) return token;
    integer = Math.trunc(value).toString();
    rest = '';
  } else {
    const point = body.indexOf('.');
    integer = point < 0 ? body : body.slice(0, point);
    rest = point < 0 ? '' : body.slice(point);
  }
  if (integer.length < 8) return token;
  const masked = maskPhonesInText(integer);
  return masked === integer ? token : JSON.stringify(`${sign}${masked}${rest}`);
}

function maskDigits(match: string): string {
  const prefix = /^(\+|%2B)/i.exec(match)?.[0] ?? '';
  const body = match.slice(prefix.length);
  const digits = body.replace(/\D/g, '').length;
  const keepStart = prefix === '' ? 0 : 2;
  let seen = 0;
  return (
    prefix +
    body.replace(/\d/g, (digit) => {
      seen += 1;
      return seen <= keepStart || seen > digits - 4 ? digit : '*';
    })
  );
}

/** How log lines are written (LOG_FORMAT): JSON, readable lines, or readable on a terminal and JSON otherwise. */
export const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** LOG_FORMAT=auto: readable lines when a person watches the terminal, JSON when the output goes to a file or a collector. */
export function resolveLogFormat(format: LogFormat, isTTY: boolean | undefined): 'json' | 'pretty' {
  if (format === 'auto') return isTTY === true ? 'pretty' : 'json';
  return format;
}

/** pino's level numbers and the catalogue's names for them. */
const LEVEL_KEYS: Record<number, MessageKey> = {
  10: 'log.level.trace',
  20: 'log.level.debug',
  30: 'log.level.info',
  40: 'log.level.warn',
  50: 'log.level.error',
  60: 'log.level.fatal',
};

/** Fields every line has, or that say nothing to a person reading the terminal. */
const HIDDEN_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

export interface PrettyOptions {
  /** The shop's TIMEZONE: times are written in its local time, HH:mm:ss. */
  timezone: string;
  /** Level names come from this locale's catalogue. */
  locale: Locale;
}

/**
 * A pino JSON line (already masked and censored: see loggerOptions' streamWrite) as a line for a
 * person: local time, level in the locale, the message, then the other fields as key=value (null
 * ones left out); an error's stack on the lines below. A line that is not a JSON object is
 * returned as it is.
 */
export function prettyLogLine(line: string, options: PrettyOptions, clock = timeFormatter(options.timezone)): string {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const parts: string[] = [];
  if (typeof record.time === 'number') parts.push(clock.format(record.time));
  const levelKey = typeof record.level === 'number' ? LEVEL_KEYS[record.level] : undefined;
  parts.push(levelKey === undefined ? JSON.stringify(record.level ?? null) : translate(options.locale, levelKey));
  if (typeof record.msg === 'string' && record.msg !== '') parts.push(record.msg);
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN_FIELDS.has(key) || value === undefined || value === null) continue;
    parts.push(`${key}=${compactValue(value)}`);
  }
  let text = parts.join(' ');
  const err = record.err as { message?: unknown; stack?: unknown } | undefined;
  if (err !== undefined && err !== null && typeof err === 'object') {
    const detail = typeof err.stack === 'string' ? err.stack : typeof err.message === 'string' ? err.message : JSON.stringify(err);
    text += `\n${detail.replace(/^/gm, '    ')}`;
  }
  return `${text}\n`;
}

function compactValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

function timeFormatter(timezone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
}

/**
 * Where the service's logger writes: for 'pretty', a stream that turns each JSON line into a
 * readable one (pino has masked and censored it before: the hook runs before any stream);
 * for 'json', undefined (pino's own standard output).
 */
export function logDestination(format: 'json' | 'pretty', options: PrettyOptions, out: { write(text: string): unknown } = process.stdout): DestinationStream | undefined {
  if (format === 'json') return undefined;
  const clock = timeFormatter(options.timezone);
  return { write: (line: string) => void out.write(prettyLogLine(line, options, clock)) };
}
