import type { Catalog } from './pt-BR.js';

export const en: Catalog = {
  'phone.empty': 'phone number is missing',
  'phone.not_a_number': 'does not look like a phone number',
  'phone.invalid_country': 'unknown country code',
  'phone.too_short': 'number too short',
  'phone.too_long': 'number too long',
  'phone.missing_area_code': 'area code missing (e.g. (11) 91234-5678)',
  'phone.invalid': 'number does not exist',
  'phone.not_mobile': 'not a mobile number: WhatsApp needs a mobile number',

  'money.not_a_number': 'invalid amount: use a number like 49.90',
  'money.negative': 'the amount cannot be negative',
  'money.too_precise': 'at most {digits} decimal places',
  'money.too_large': 'amount too large',
  'currency.unknown': 'unknown currency: use an ISO 4217 code such as BRL',

  'date.invalid_format': 'invalid date: use dd/mm/yyyy, dd/mm or yyyy-mm-dd',
  'date.invalid_date': 'this date does not exist',
  'date.in_future': 'the date is in the future',
  'date.too_old': 'date too far in the past',
  'datetime.invalid': 'invalid date and time: use ISO 8601, e.g. 2026-11-20T14:30:00-03:00',
  'datetime.in_future': 'the purchase date is in the future',

  'email.invalid': 'invalid e-mail address',
  'tag.invalid': 'invalid tag: use letters, digits, - or _ (up to 40 characters)',
  'text.too_long': 'text too long (at most {max} characters)',
  'text.empty': 'cannot be empty',
  'field.required': 'required',
  'object.unknown_keys': 'unknown field: {keys} (accepted: {allowed})',
  'patch.empty': 'nothing to change: send name, birthday, email or tags',

  'error.validation_failed': 'Some fields are invalid.',
  'error.unauthorized': 'Missing or invalid access token. Send the header Authorization: Bearer <token>.',
  'error.not_found': 'Route not found: {method} {url}',
  'error.customer_not_found': 'Customer {id} not found.',
  'error.customer_erased': 'The data of customer {id} was erased on request (LGPD).',
  'error.invalid_json': 'The request body is not valid JSON.',
  'error.unsupported_media_type': 'Content type not accepted: {type}. Use {expected}.',
  'error.payload_too_large': 'Request body too large (at most {limit}).',
  'error.rate_limited': 'Too many requests. Try again in {after}.',
  'error.bad_request': 'Bad request: {detail}',
  'error.internal': 'Internal error. The problem was logged.',
  'error.invalid_csv': 'Invalid spreadsheet: {detail}',

  'csv.empty_file': 'the spreadsheet is empty',
  'csv.no_phone_column': 'no phone column found (use a header such as "phone", "mobile", "whatsapp" or "telefone")',
  'csv.unclosed_quote': 'quote opened and never closed from line {line}',
  'csv.malformed': 'line {line}: {detail}',
  'csv.column_count': 'the row has {found} columns, the header has {expected}',
  'csv.field': '{column}: {reason}',
  'csv.consent_value': 'use yes or no',
  'csv.too_many_rows': 'the spreadsheet has more than {max} rows: split it into smaller files',

  'cli.usage': `Usage: fregues <command>

Commands:
  import <file.csv> [--dry-run]   import customers from a spreadsheet (comma or semicolon separated)
  help                            show this help
  version                         show the version

Environment variables (DATA_DIR, DEFAULT_COUNTRY, LOCALE...) are the same as the service's.`,
  'cli.unknown_command': 'Unknown command: {command}',
  'cli.import.missing_file': 'Name the file: fregues import customers.csv',
  'cli.import.cannot_read': 'Could not read {file}: {detail}',
  'cli.import.progress': 'Importing |{bar}| {percentage}% | {value}/{total} rows',
  'cli.import.summary': 'Customers imported: {imported} (new: {created}, updated: {updated}). Rows rejected: {rejected}.',
  'cli.import.dry_run_summary': 'Dry run, nothing was written. Customers that would be imported: {imported} (new: {created}, updated: {updated}). Rows rejected: {rejected}.',
  'cli.import.rejected_row': '  line {line}: {reason}',
  'cli.import.failed': 'The import failed: {detail}',

  'config.invalid': 'Invalid configuration ({count}):',
  'config.PORT': 'must be an integer from 1 to 65535',
  'config.HOST': 'must be an address or host name (e.g. 127.0.0.1 or 0.0.0.0)',
  'config.DATA_DIR': 'must be a directory path',
  'config.FLOWS_DIR': 'must be a directory path',
  'config.CHANNEL': 'use whatsapp or simulator',
  'config.ADMIN_TOKEN': 'must be at least 24 characters, without spaces',
  'config.SHOP_NAME': 'must be 1 to 80 characters',
  'config.OWNER_PHONE': 'must be one or more comma-separated mobile numbers, like +5511912345678 ({detail})',
  'config.DEFAULT_COUNTRY': 'must be a two-letter country code, like BR, PT or US',
  'config.TIMEZONE': 'must be an IANA time zone, like America/Sao_Paulo',
  'config.LOCALE': 'use pt-BR, en or es',
  'config.QUIET_HOURS': 'use HH:MM-HH:MM (e.g. 20:00-09:00) or off',
  'config.SEND_GAP_SECONDS': 'use MIN-MAX in seconds, with MIN ≤ MAX (e.g. 20-60)',
  'config.DAILY_SEND_CAP': 'must be an integer from 1 to 100000',
  'config.HANDOFF_PAUSE_HOURS': 'must be a number of hours from 0 to 720',
  'config.WEEKLY_SUMMARY_CRON': 'must be a 5-field cron expression, like "0 8 * * 1"',
  'config.LOG_LEVEL': 'use fatal, error, warn, info, debug, trace or silent',
  'config.API_RATE_LIMIT': 'must be the number of requests per minute on /api, from 1 to 1000000',
  'config.TRUST_PROXY': 'use true, false, a hop count or a list of IPs/subnets',
  'config.CURRENCY': 'must be an ISO 4217 currency code, like BRL',

  'log.token_generated': 'Admin token created in {file} (readable by its owner only). Use it in the Authorization: Bearer header.',
  'log.token_loaded': 'Admin token read from {file}.',
  'log.listening': 'fregues listening on {url}',
  'log.shutting_down': 'Shutting down ({signal})...',
};
