import { requireEnv, type Env } from '@sync/config';
import type { JstClientOptions } from './client';

/** JST client options from the environment; `role` names the process in errors. Throws ConfigError when the app key or secret is missing. */
export function jstOptionsFromEnv(env: Env, role: string): Omit<JstClientOptions, 'logger'> {
  requireEnv(env, ['JST_APP_KEY', 'JST_APP_SECRET'], role);
  return {
    baseUrl: env.JST_BASE_URL,
    appKey: env.JST_APP_KEY!,
    appSecret: env.JST_APP_SECRET!,
    accessToken: env.JST_ACCESS_TOKEN,
    refreshToken: env.JST_REFRESH_TOKEN,
    timeoutMs: env.JST_TIMEOUT_MS,
  };
}
