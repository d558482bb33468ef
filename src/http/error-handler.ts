import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translate, type Locale } from '../i18n/index.js';
import { HttpError, type ErrorBody } from './errors.js';
import { asksForPage, renderNotFoundPage } from './not-found-page.js';

/** Fastify's own client errors, under names a caller can act on. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_BAD_URL: 'bad_request',
};

/**
 * The one error handler: callers' mistakes become 4xx with a readable message;
 * anything else is a 500 that says nothing of the internals and is logged with
 * the request it broke.
 */
export function installErrorHandler(app: FastifyInstance, locale: Locale, bodyLimit: number): void {
  app.setErrorHandler<FastifyError | HttpError>(errorAnswer(locale, bodyLimit));
  const answerJson = notFoundHandler(locale);
  // A browser that asks for an unknown page gets a page; programs (and /api, /webhooks) the JSON.
  app.setNotFoundHandler((request, reply) => (asksForPage(request) ? renderNotFoundPage(locale, request, reply) : answerJson(request, reply)));
}

/**
 * The answer to an error: the error handler's, and Fastify's `frameworkErrors`
 * (an address its router cannot read, such as "/api/customers/%zz", or a path
 * parameter over maxParamLength), which otherwise answer in Fastify's own shape.
 */
export function errorAnswer(locale: Locale, bodyLimit: number) {
  return (error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply) => {
    const body = toErrorBody(error, request.headers['content-type'], locale, bodyLimit);
    const status = body.status;
    if (status >= 500) request.log.error({ err: error, req: request }, 'request failed');
    else request.log.info({ code: body.payload.error.code, status }, 'request rejected');
    if (error instanceof HttpError) void reply.headers(error.headers);
    return reply.status(status).type('application/json; charset=utf-8').send(body.payload);
  };
}

/** 404 in the error format; set again inside /api so that unknown API routes also ask for the token first. */
export function notFoundHandler(locale: Locale) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const payload: ErrorBody = {
      error: { code: 'not_found', message: translate(locale, 'error.not_found', { method: request.method, url: request.url.split('?')[0] ?? '' }) },
    };
    return reply.status(404).send(payload);
  };
}

function toErrorBody(
  error: FastifyError | HttpError,
  contentType: string | undefined,
  locale: Locale,
  bodyLimit: number,
): { status: number; payload: ErrorBody } {
  if (error instanceof HttpError) {
    const payload: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.issues) payload.error.issues = error.issues;
    return { status: error.statusCode, payload };
  }

  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status < 400 || status >= 500) {
    return { status: 500, payload: { error: { code: 'internal_error', message: translate(locale, 'error.internal') } } };
  }

  const code = FASTIFY_CODES[error.code] ?? (status === 429 ? 'rate_limited' : 'bad_request');
  const message =
    code === 'invalid_json'
      ? translate(locale, 'error.invalid_json')
      : code === 'unsupported_media_type'
        ? translate(locale, 'error.unsupported_media_type', { type: contentType ?? '-', expected: 'application/json' })
        : code === 'payload_too_large'
          ? translate(locale, 'error.payload_too_large', { limit: formatBytes(bodyLimit) })
          : translate(locale, 'error.bad_request', { detail: error.message });
  return { status, payload: { error: { code, message } } };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
