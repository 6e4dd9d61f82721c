import { z } from 'zod';
import { PermanentError } from '@sync/errors';
import type { KingdeeLogger } from './logger';
import type { HttpTransport } from './http-transport';

/** Client options: validated by `parseClientOptions`; secrets never appear in its error messages. */
export const clientOptionsSchema = z
  .object({
    /** Site URL, e.g. `http://host/k3cloud/` (a bare host gets `/k3cloud/`). */
    baseUrl: z.string().url(),
    /** `password` = ValidateUser, `appsecret` = LoginByAppSecret, `signature` = third-party signed headers. */
    auth: z.enum(['password', 'appsecret', 'signature']),
    /** 数据中心ID. */
    acctId: z.string().min(1),
    /** One session per integration user. */
    users: z.array(z.object({ username: z.string().min(1), password: z.string().min(1).optional() })).min(1),
    appId: z.string().min(1).optional(),
    appSecret: z.string().min(1).optional(),
    lcid: z.number().int().positive().default(2052),
    /** Per HTTP request, in ms (time spent queued for a session does not count). */
    timeoutMs: z.number().int().positive().default(60000),
    bodyStyle: z.enum(['named', 'positional']).default('named'),
    /** X-Kd-Appdata organisation number (signature auth). */
    orgNum: z.union([z.number(), z.string()]).default(0),
  })
  .superRefine((o, ctx) => {
    if (o.auth === 'password') {
      o.users.forEach((u, i) => {
        if (!u.password) ctx.addIssue({ code: 'custom', path: ['users', i, 'password'], message: `password auth needs a password for user ${u.username}` });
      });
    } else {
      if (!o.appId) ctx.addIssue({ code: 'custom', path: ['appId'], message: `${o.auth} auth needs appId` });
      if (!o.appSecret) ctx.addIssue({ code: 'custom', path: ['appSecret'], message: `${o.auth} auth needs appSecret` });
    }
  });

export type KingdeeUser = { username: string; password?: string };

/** What `createKingdeeClient` accepts: the schema's input plus injected side effects. */
export type KingdeeClientOptions = z.input<typeof clientOptionsSchema> & {
  logger?: KingdeeLogger;
  /** Clock in epoch ms (signature timestamps). Defaults to Date.now. */
  now?: () => number;
  /** HTTP sender; defaults to axios over keep-alive agents. */
  transport?: HttpTransport;
};

export type ParsedClientOptions = z.output<typeof clientOptionsSchema>;

/** Validates the options; throws PermanentError CONFIG_INVALID naming the bad keys (never their values). */
export function parseClientOptions(opts: KingdeeClientOptions): ParsedClientOptions {
  const { logger: _l, now: _n, transport: _t, ...rest } = opts;
  const parsed = clientOptionsSchema.safeParse(rest);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PermanentError('CONFIG_INVALID', `invalid Kingdee client options: ${problems}`);
  }
  return parsed.data;
}
