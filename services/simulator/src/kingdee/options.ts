import { silentLogger, type Logger } from '@sync/logger';
import { z } from 'zod';
import { demoCredentials } from '../demo-catalog';
import type { BaseDataInput } from './base-data';
import { demoBaseData } from './demo-seed';

/** Options of `startKingdeeSimulator`; every field is optional (defaults: the demo world on 127.0.0.1:0). */
export interface KingdeeSimulatorOptions {
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Listen port (default 0 = any free port). */
  port?: number;
  /** 数据中心 id the logins must name (default demoCredentials.kingdee.acctId). */
  acctId?: string;
  /** Users for ValidateUser (default demoCredentials.kingdee.users). */
  users?: Array<{ username: string; password: string }>;
  /** Third-party apps (第三方系统登录授权) for LoginByAppSecret, LoginBySign and signed headers. */
  apps?: Array<{ appId: string; appSecret: string; username: string }>;
  /** Idle seconds before a session expires (default 1200). */
  sessionIdleSeconds?: number;
  /** Simulated processing time (default 0 / 0). */
  latency?: { perCallMs?: number; perLineMs?: number };
  /** Epoch-ms clock for session expiry, signature skew and document stamps (default Date.now). */
  clock?: () => number;
  /** Random source for rate-based faults (default Math.random). */
  random?: () => number;
  /** Where the simulator logs one line per call (default silent). */
  logger?: Logger;
  /** Base data loaded at start and on reset (default the demo catalog; `false` = none). */
  seed?: BaseDataInput | false;
}

const optionsSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(0),
  acctId: z.string().min(1).default(demoCredentials.kingdee.acctId),
  users: z.array(z.object({ username: z.string().min(1), password: z.string() })).default(() => demoCredentials.kingdee.users.map((u) => ({ ...u }))),
  apps: z
    .array(z.object({ appId: z.string().min(1), appSecret: z.string().min(1), username: z.string().min(1) }))
    .default(() => [{ appId: demoCredentials.kingdee.appId, appSecret: demoCredentials.kingdee.appSecret, username: demoCredentials.kingdee.users[0].username }]),
  sessionIdleSeconds: z.number().positive().default(1200),
  latency: z.object({ perCallMs: z.number().min(0).default(0), perLineMs: z.number().min(0).default(0) }).default({ perCallMs: 0, perLineMs: 0 }),
});

export interface ResolvedOptions extends z.output<typeof optionsSchema> {
  clock: () => number;
  random: () => number;
  logger: Logger;
  seed: BaseDataInput | undefined;
}

/** Validates the options and fills defaults. Throws a ZodError on bad values. */
export function resolveOptions(opts: KingdeeSimulatorOptions = {}): ResolvedOptions {
  const { clock, random, logger, seed, ...plain } = opts;
  return {
    ...optionsSchema.parse(plain),
    clock: clock ?? Date.now,
    random: random ?? Math.random,
    logger: logger ?? silentLogger(),
    seed: seed === false ? undefined : (seed ?? demoBaseData()),
  };
}
