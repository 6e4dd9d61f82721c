/**
 * The logging surface the client needs; a pino Logger satisfies it. The client logs path, code and duration
 * only: never app_secret, access_token, refresh_token, sign or the biz body.
 */
export interface JstLogger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
}

/** Discards everything. */
export const noopJstLogger: JstLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
