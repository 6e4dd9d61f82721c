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
