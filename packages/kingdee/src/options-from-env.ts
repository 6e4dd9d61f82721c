import { requireEnv, type Env } from '@sync/config';
import type { KingdeeClientOptions } from './client-options';

/**
 * Kingdee client options from the environment. KINGDEE_USERNAME is one user or a comma list (one session
 * each); KINGDEE_PASSWORD is one password for every user, or a comma list with one password per user
 * (same count). `role` names the process in errors (e.g. `the worker`). Throws ConfigError when a required
 * variable is missing.
 */
export function kingdeeOptionsFromEnv(env: Env, role: string): Omit<KingdeeClientOptions, 'logger'> {
  requireEnv(env, ['KINGDEE_ACCT_ID', 'KINGDEE_USERNAME'], role);
  if (env.KINGDEE_AUTH === 'password') requireEnv(env, ['KINGDEE_PASSWORD'], `${role} with KINGDEE_AUTH=password`);
  else requireEnv(env, ['KINGDEE_APP_ID', 'KINGDEE_APP_SECRET'], `${role} with KINGDEE_AUTH=${env.KINGDEE_AUTH}`);
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
