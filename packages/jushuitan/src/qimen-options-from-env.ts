import { requireEnv, type Env } from '@sync/config';
import type { QimenClientOptions } from './qimen-client';

/**
 * Qimen client options from the environment; `role` names the process in errors. Throws ConfigError when the
 * Qimen app key, secret or customer_id is missing.
 */
export function qimenOptionsFromEnv(env: Env, role: string): Omit<QimenClientOptions, 'logger' | 'limiter'> {
  requireEnv(env, ['JST_QIMEN_APP_KEY', 'JST_QIMEN_APP_SECRET', 'JST_QIMEN_CUSTOMER_ID'], role);
  return {
    url: env.JST_QIMEN_URL,
    appKey: env.JST_QIMEN_APP_KEY!,
    appSecret: env.JST_QIMEN_APP_SECRET!,
    customerId: env.JST_QIMEN_CUSTOMER_ID!,
    targetAppKey: env.JST_QIMEN_TARGET_APP_KEY,
    signMethod: env.JST_QIMEN_SIGN_METHOD,
    timeoutMs: env.JST_TIMEOUT_MS,
  };
}
