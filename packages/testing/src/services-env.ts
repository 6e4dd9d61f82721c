import { demoCredentials } from '@sync/simulator';

/** Where the services run: Redis and its key prefix, and the simulators' base URLs. */
export interface ServicesEnvTarget {
  redisUrl: string;
  prefix: string;
  /** The JST simulator (or a proxy in front of it). */
  jstUrl: string;
  /** The Kingdee simulator's base URL, `.../k3cloud/` (or a proxy in front of it). */
  kdUrl: string;
  /** Adds the demo Qimen app on the JST simulator's router (`<jstUrl>/router/qm`). */
  qimen?: boolean;
}

/**
 * The environment (strings, as a process gets it) that points services at Redis and at the simulators, with the
 * demo credentials (every Kingdee user of the demo; the Qimen app when asked). The demo starts its services on it.
 */
export function simulatorEnv(target: ServicesEnvTarget): Record<string, string> {
  const { jst, kingdee, qimen } = demoCredentials;
  return {
    REDIS_URL: target.redisUrl,
    QUEUE_PREFIX: target.prefix,
    JST_BASE_URL: target.jstUrl,
    JST_APP_KEY: jst.appKey,
    JST_APP_SECRET: jst.appSecret,
    JST_ACCESS_TOKEN: jst.accessToken,
    ...(target.qimen
      ? { JST_QIMEN_URL: `${target.jstUrl}/router/qm`, JST_QIMEN_APP_KEY: qimen.appKey, JST_QIMEN_APP_SECRET: qimen.appSecret, JST_QIMEN_CUSTOMER_ID: qimen.customerId }
      : {}),
    KINGDEE_BASE_URL: target.kdUrl,
    KINGDEE_AUTH: 'password',
    KINGDEE_ACCT_ID: kingdee.acctId,
    KINGDEE_USERNAME: kingdee.users.map((u) => u.username).join(','),
    KINGDEE_PASSWORD: kingdee.users.map((u) => u.password).join(','),
  };
}

/**
 * simulatorEnv with what tests want beside it: silent logs, the API on 127.0.0.1 and a free port, four jobs at a
 * time, a 5 s shutdown bound. `extra` wins. For in-process services (through loadEnv) and service processes.
 */
export function servicesEnv(target: ServicesEnvTarget, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...simulatorEnv(target),
    LOG_LEVEL: 'silent',
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    WORKER_CONCURRENCY: '4',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...extra,
  };
}
