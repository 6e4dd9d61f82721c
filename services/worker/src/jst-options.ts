import { requireEnv, type Env } from '@sync/config';
import type { JstClientOptions } from '@sync/jushuitan';

/**
 * JST client options from the environment, for workers that run a Kingdee → JST flow (material). The same
 * reading as services/poller/src/jst-options.ts (duplicated on purpose: a service does not import another).
 * Throws ConfigError when the app key or secret is missing.
 */
export function jstOptionsFromEnv(env: Env): Omit<JstClientOptions, 'logger'> {
  requireEnv(env, ['JST_APP_KEY', 'JST_APP_SECRET'], 'the worker (it runs a Kingdee → JST flow)');
  return {
    baseUrl: env.JST_BASE_URL,
    appKey: env.JST_APP_KEY!,
    appSecret: env.JST_APP_SECRET!,
    accessToken: env.JST_ACCESS_TOKEN,
    refreshToken: env.JST_REFRESH_TOKEN,
    timeoutMs: env.JST_TIMEOUT_MS,
  };
}
