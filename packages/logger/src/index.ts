import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino censors wherever they appear (one or two levels deep): JST and Kingdee secrets, session ids,
 * auth headers. Tests search captured logs for every secret, so keep this list complete.
 */
export const REDACT_PATHS = [
  'app_secret', 'appSecret', 'access_token', 'accessToken', 'refresh_token', 'refreshToken', 'sign',
  'password', 'Password', 'appsecret', 'sessionId', 'SessionId', 'KDSVCSessionId', 'authorization', 'Authorization',
  'cookie', 'Cookie', 'kdservice-sessionid', 'token',
].flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers["${k}"]`]);

export interface LoggerOptions {
  name: string;
  level?: string;
  pretty?: boolean;
  /** Where to write (tests pass a capture stream). */
  destination?: DestinationStream;
}

/** A pino logger with secret redaction; children carry `flow`, `docId`, `jobId`, `attempt`. */
export function createLogger(opts: LoggerOptions): Logger {
  const base = {
    name: opts.name,
    level: opts.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if (opts.destination) return pino(base, opts.destination);
  if (opts.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino(base);
}

/** A logger that discards everything (for unit tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
