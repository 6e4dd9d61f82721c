import { isIP } from 'node:net';
import { z } from 'zod';

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
const int = (def: number) => z.coerce.number().int().default(def);
/** A comma-separated list (blank items dropped), each item checked by `item`. */
const commaList = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((v) => v.split(',').map((x) => x.trim()).filter((x) => x !== ''))
    .pipe(z.array(item));
/** An origin as browsers send it: scheme://host[:port], no path; normalised to lower case. */
const originItem = z
  .string()
  .refine((v) => /^https?:\/\/[^/?#\s]+$/i.test(v) && URL.canParse(v), { error: (i) => `"${String(i.input)}" is not an origin such as https://sync.example.com` })
  .transform((v) => new URL(v).origin);
const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];
/** An IP, an IP/prefix CIDR, or one of proxy-addr's keywords. */
const proxyItem = z.string().refine(
  (v) => {
    if (PROXY_KEYWORDS.includes(v)) return true;
    const [ip, bits, extra] = v.split('/');
    if (extra !== undefined || !isIP(ip)) return false;
    if (bits === undefined) return true;
    return /^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(ip) === 4 ? 32 : 128);
  },
  { error: (i) => `"${String(i.input)}" is not an IP, a CIDR or one of ${PROXY_KEYWORDS.join(', ')}` },
);
const callBudget = (def: number) => {
  const error = 'must be a whole number of calls, at least 1';
  return z.coerce.number({ error }).int({ error }).min(1, { error }).default(def);
};

/**
 * Every environment variable the services read, with defaults. Only `loadEnv` reads `process.env`;
 * any `NAME_FILE` variable is read from that file instead (Docker secrets).
 */
export const envSchema = z.object({
  /** Redis for queues, cursors and the ledger. */
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix (use a {hash-tag} on Redis Cluster). */
  QUEUE_PREFIX: z.string().min(1).default('sync'),
  /** Path of the flows/mapping file. */
  SYNC_CONFIG: z.string().default('config/sync.config.yaml'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  JST_BASE_URL: z.string().url().default('http://127.0.0.1:8701'),
  JST_APP_KEY: z.string().min(1).optional(),
  JST_APP_SECRET: z.string().min(1).optional(),
  /** Access token; when absent the client obtains one with getInitToken (own-merchant apps). */
  JST_ACCESS_TOKEN: z.string().min(1).optional(),
  JST_REFRESH_TOKEN: z.string().min(1).optional(),
  JST_TIMEOUT_MS: int(30000),
  /**
   * JST call budget per access token and endpoint, shared by all processes through Redis (JST answers code
   * 199 above 5 calls/s and 200 above 100 calls/min); lower them when something else uses the same token.
   */
  JST_CALLS_PER_SECOND: callBudget(5),
  JST_CALLS_PER_MINUTE: callBudget(100),
  /**
   * Safety margin of that budget (ms): calls are spaced as if JST's windows were this much longer, so timer and
   * network jitter never put one call too many into JST's second or minute (no 199/200 in normal running).
   */
  JST_CALL_MARGIN_MS: z.coerce.number().int().min(0).max(5000).default(250),

  /**
   * 聚水潭·奇门 (Qimen): JST's Taobao/Tmall data through the Alibaba TOP gateway, for flows with `transport: qimen`
   * or `both`. The router (production http://a1q40taq0j.api.taobao.com/router/qm; default the simulator), your own
   * Taobao/Qimen app key and secret, and the customer_id JST issues to the merchant.
   */
  JST_QIMEN_URL: z.string().url().default('http://127.0.0.1:8701/router/qm'),
  JST_QIMEN_APP_KEY: z.string().min(1).optional(),
  JST_QIMEN_APP_SECRET: z.string().min(1).optional(),
  JST_QIMEN_CUSTOMER_ID: z.string().min(1).optional(),
  /** JST's app key on Qimen (`target_app_key`); 23060081 unless JST says otherwise. */
  JST_QIMEN_TARGET_APP_KEY: z.string().min(1).default('23060081'),
  /** TOP signature method: md5 (every published JST example), hmac or hmac-sha256. */
  JST_QIMEN_SIGN_METHOD: z.enum(['md5', 'hmac', 'hmac-sha256']).default('md5'),
  /** Qimen call budget per method and app, shared by all processes through Redis (JST documents 8 calls/s). */
  JST_QIMEN_CALLS_PER_SECOND: callBudget(8),
  JST_QIMEN_CALLS_PER_MINUTE: callBudget(480),

  KINGDEE_BASE_URL: z.string().url().default('http://127.0.0.1:8702/k3cloud/'),
  /** `password` (ValidateUser), `appsecret` (LoginByAppSecret) or `signature` (third-party signed headers). */
  KINGDEE_AUTH: z.enum(['password', 'appsecret', 'signature']).default('password'),
  KINGDEE_ACCT_ID: z.string().min(1).optional(),
  /** One integration user, or several separated by commas (one session each). */
  KINGDEE_USERNAME: z.string().min(1).optional(),
  KINGDEE_PASSWORD: z.string().min(1).optional(),
  KINGDEE_APP_ID: z.string().min(1).optional(),
  KINGDEE_APP_SECRET: z.string().min(1).optional(),
  KINGDEE_LCID: int(2052),
  KINGDEE_TIMEOUT_MS: int(60000),

  /** Flows this worker runs, comma separated; `all` = every enabled flow. */
  WORKER_FLOWS: z.string().default('all'),
  WORKER_CONCURRENCY: int(4),
  /** Bound on graceful shutdown (ms); a second signal forces exit. */
  SHUTDOWN_TIMEOUT_MS: int(20000),

  API_HOST: z.string().default('0.0.0.0'),
  API_PORT: int(8700),
  /** Bearer token for the API and Bull Board. */
  API_TOKEN: z.string().min(8).optional(),
  /** Basic auth for browsers (Bull Board). */
  API_BASIC_USER: z.string().min(1).optional(),
  API_BASIC_PASSWORD: z.string().min(8).optional(),
  /** Read-only credential (GET only; Bull Board read-only): bearer token and/or basic user + password. */
  API_READONLY_TOKEN: z.string().min(8).optional(),
  API_READONLY_BASIC_USER: z.string().min(1).optional(),
  API_READONLY_BASIC_PASSWORD: z.string().min(8).optional(),
  /** Requests per minute per credential (or per IP when unauthenticated) before the API answers 429. */
  API_RATE_LIMIT_PER_MIN: int(600),
  /** Serve /metrics without credentials (for a Prometheus scraper inside a private network). */
  API_METRICS_PUBLIC: bool.default(false),
  /** Language of Bull Board's UI (its bundled locales). */
  BULL_BOARD_LOCALE: z.enum(['zh-CN', 'en-US', 'en-GB', 'da-DK', 'de-DE', 'es-ES', 'fr-FR', 'ja-JP', 'ko-KR', 'pt-BR', 'ru-RU', 'tr-TR']).default('zh-CN'),
  /**
   * Origins (scheme://host[:port]) besides the API's own that may send state-changing requests with browser
   * credentials, comma separated: the public address of a reverse proxy that rewrites the Host header.
   */
  API_ALLOWED_ORIGINS: commaList(originItem).default([]),
  /**
   * Proxies whose X-Forwarded-For / -Proto / -Host are believed, comma separated: IPs, CIDRs or `loopback`,
   * `linklocal`, `uniquelocal`. Empty = none (the client address is the TCP peer).
   */
  API_TRUSTED_PROXIES: commaList(proxyItem).default([]),
  /** Strict-Transport-Security: `auto` = on requests that came over TLS (directly or via a trusted proxy), `on`, `off`. */
  API_HSTS: z.enum(['auto', 'on', 'off']).default('auto'),
  /** Failed logins per client address (and per user name, across addresses) before the address is locked out. */
  API_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** Longest lockout of an address (seconds); it doubles from 1 s with each failure past API_LOGIN_MAX_FAILURES. */
  API_LOGIN_LOCKOUT_MAX_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Alert channels (robot webhook URLs); unset = channel off. */
  ALERT_DINGTALK_URL: z.string().url().optional(),
  ALERT_WECOM_URL: z.string().url().optional(),
  ALERT_FEISHU_URL: z.string().url().optional(),
  ALERT_WEBHOOK_URL: z.string().url().optional(),
  /** How often the API's alert loop checks Redis (ms); new dead letters are aggregated per interval. */
  ALERT_INTERVAL_MS: int(60000),
  /** A flow whose last successful poll is older than this (ms) is reported as stalled. */
  ALERT_STALL_MS: int(900000),
  /** Authentication failures (JST or Kingdee) within one interval that raise an alert. */
  ALERT_AUTH_FAILURES: int(3),
  /** Failed logins to the API (any address and user) within one interval that raise the auth-failure alert. */
  ALERT_LOGIN_FAILURES: int(5),

  /** Pretty logs for humans (demo). */
  LOG_PRETTY: bool.default(false),
});
export type Env = z.infer<typeof envSchema>;
