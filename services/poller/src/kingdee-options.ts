import { requireEnv, type Env } from '@sync/config';
import type { KingdeeClientOptions } from '@sync/kingdee';

/**
 * Kingdee client options from the environment, for the Kingdee-source flows (material). The same reading as
 * services/worker/src/kingdee-options.ts (duplicated on purpose: a service does not import another service):
 * KINGDEE_USERNAME is one user or a comma list, KINGDEE_PASSWORD one password or one per user.
 * Throws ConfigError when a required variable is missing.
 */
export function kingdeeOptionsFromEnv(env: Env): Omit<KingdeeClientOptions, 'logger'> {
  requireEnv(env, ['KINGDEE_ACCT_ID', 'KINGDEE_USERNAME'], 'the poller (a Kingdee-source flow is enabled)');
  if (env.KINGDEE_AUTH === 'password') requireEnv(env, ['KINGDEE_PASSWORD'], 'the poller with KINGDEE_AUTH=password');
  else requireEnv(env, ['KINGDEE_APP_ID', 'KINGDEE_APP_SECRET'], `the poller with KINGDEE_AUTH=${env.KINGDEE_AUTH}`);
  const usernames = env.KINGDEE_USERNAME!.split(',').map((u) => u.trim()).filter(Boolean);
  const passwords = env.KINGDEE_PASSWORD?.split(',');
  const paired = passwords !== undefined && usernames.length > 1 && passwords.length === usernames.length;
  return {
    baseUrl: env.KINGDEE_BASE_URL,
    auth: env.KINGDEE_AUTH,
    acctId: env.KINGDEE_ACCT_ID!,
    users: usernames.map((username, i) => ({ username, password: paired ? passwords[i] : env.KINGDEE_PASSWORD })),
    appId: env.KINGDEE_APP_ID,
    appSecret: env.KINGDEE_APP_SECRET,
    lcid: env.KINGDEE_LCID,
    timeoutMs: env.KINGDEE_TIMEOUT_MS,
  };
}
