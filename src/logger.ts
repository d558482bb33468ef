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
        url: req.url === undefined ? undefined : maskPhoneQuery(req.url),
        remoteAddress: req.ip ?? req.socket?.remoteAddress,
      }),
    },
    // The last line of defence: whatever a log line carries, phone numbers leave it masked.
    hooks: { streamWrite: maskPhonesInText },
  };
}

// Phone numbers as they can appear in log lines: +E.164 (also URL-encoded), WhatsApp JIDs,
// Brazilian numbers in digits only or typed with a DDD in parentheses.
const PHONE_PATTERNS = [
  /(?:\+|%2B)\d[\d\s().-]{6,22}\d/gi,
  /(?<![\d*])\d{8,15}(?=(?::\d+)?@(?:s\.whatsapp\.net|c\.us|lid))/g,
  /(?<![\d*])55\d{10,11}(?!\d)/g,
  /(?<![\d*])[1-9]{2}9\d{8}(?!\d)/g,
  /\(\d{2}\)\s?9?\d{4}[\s-]?\d{4}/g,
];

/** A phone in a query string may be written any way at all: mask the whole value. */
function maskPhoneQuery(url: string): string {
  return url.replace(/([?&](?:phone|telefone|to|from)=)([^&#]*)/gi, (_whole, key: string, value: string) => {
    let decoded = value;
    try {
      decoded = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      // Not valid percent-encoding: mask it as it is.
    }
    return key + encodeURIComponent(decoded.replace(/\d(?=(?:\D*\d){4})/g, '*'));
  });
}

/** Keeps a leading country code's first two digits and the last four: +55*******5678. */
export function maskPhonesInText(text: string): string {
  let result = text;
  for (const pattern of PHONE_PATTERNS) result = result.replace(pattern, maskDigits);
  return result;
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
