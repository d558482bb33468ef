import type { LoggerOptions } from 'pino';

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
    // The last line of defence: whatever a log line carries, phone numbers leave it masked and secrets censored.
    hooks: { streamWrite: (text) => censorSecrets(maskPhonesInText(text)) },
  };
}

// Phone numbers as they can appear in log lines: +E.164 (also URL-encoded), WhatsApp JIDs,
// Brazilian numbers in digits only or typed with a DDD in parentheses, Brazilian mobiles typed
// with or without their DDD ("11 91234-5678", "91234-5678"). Digits after a decimal point are
// a number's fraction ("responseTime":53.5513943992574), not a phone.
const PHONE_PATTERNS = [
  /(?:\+|%2B)\d[\d\s().-]{6,22}\d/gi,
  /(?<![\d*])\d{8,15}(?=(?::\d+)?@(?:s\.whatsapp\.net|c\.us|lid))/g,
  /(?<![\d*]|\d\.)55\d{10,11}(?!\d|\.\d)/g,
  /(?<![\d*]|\d\.)[1-9]{2}9\d{8}(?!\d|\.\d)/g,
  /\(\d{2}\)\s?9?\d{4}[\s-]?\d{4}/g,
  /(?<![\d*]|\d\.)(?:\d{2}[\s-]?)?9\d{4}[\s.-]?\d{4}(?!\d|\.\d)/g,
];

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

/** Keeps a leading country code's first two digits and the last four: +55*******5678. */
export function maskPhonesInText(text: string): string {
  let result = text;
  for (const pattern of PHONE_PATTERNS) result = result.replace(pattern, maskInPlace);
  return result;
}

/**
 * A number written bare in a JSON line ("phone":5511912345678) becomes a string once
 * masked: "*********5678" unquoted would make the line no longer JSON.
 */
function maskInPlace(match: string, offset: number, whole: string): string {
  const masked = maskDigits(match);
  const before = whole[offset - 1];
  const after = whole[offset + match.length];
  const bareNumber = /^\d+$/.test(match) && (before === ':' || before === ',' || before === '[') && (after === ',' || after === '}' || after === ']');
  return bareNumber ? `"${masked}"` : masked;
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
