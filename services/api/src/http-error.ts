/**
 * An error a route throws on purpose: the status code and the JSON body the client gets, as is.
 * Anything else that reaches the error handler is answered 500 without details.
 */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly body: { error: string; message: string; field?: string };
  constructor(statusCode: number, body: { error: string; message: string; field?: string }) {
    super(body.message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.body = body;
  }
}

/** 400 naming the bad field (a dotted path such as `docIds.3`, or `body` for the whole body). */
export function badRequest(field: string, message: string): HttpError {
  return new HttpError(400, { error: 'bad_request', field, message });
}

/** 404 with a message that names what was not found. */
export function notFound(message: string): HttpError {
  return new HttpError(404, { error: 'not_found', message });
}

/** The field a Fastify client error is about, by its code (FST_ERR_CTP_* are about the body). */
function fastifyErrorField(code: string): string {
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'content-type';
  if (code.startsWith('FST_ERR_CTP_')) return 'body';
  if (code === 'FST_ERR_BAD_URL' || code === 'FST_ERR_ASYNC_CONSTRAINT' || code === 'FST_ERR_MAX_PARAM_LENGTH') return 'url';
  return 'request';
}

const ERROR_BY_STATUS: Readonly<Record<number, string>> = { 400: 'bad_request', 413: 'payload_too_large', 414: 'uri_too_long', 415: 'unsupported_media_type' };

/**
 * The usual error body `{error, field, message}` for a 4xx raised by Fastify itself (bad JSON, body too large,
 * wrong content type, malformed or too long URL), naming the field: `body`, `content-type`, `url` or `request`.
 */
export function clientErrorBody(e: { statusCode: number; code: string; message: string }): { error: string; field: string; message: string } {
  const field = fastifyErrorField(e.code);
  return { error: ERROR_BY_STATUS[e.statusCode] ?? 'bad_request', field, message: `${field}: ${e.message.slice(0, 500)}` };
}
