import { ConfigError, type Env } from '@sync/config';
import { createKingdeeClient, kingdeeOptionsFromEnv, type KingdeeClientOptions } from '@sync/kingdee';
import type { JstApi } from '@sync/jushuitan';
import type { Logger } from '@sync/logger';
import type { KingdeeAccess } from './gather-kingdee';
import { runPreflight, type PreflightDeps } from './run-preflight';
import type { SyncConfig } from '@sync/flows';

/** Bound on the start-up check (ms): past it the check stops and says so; the service runs either way. */
export const STARTUP_PREFLIGHT_TIMEOUT_MS = 30_000;

/** Kingdee access over the configured users: one client per user for the login check, one over all for queries. */
export function kingdeeAccess(options: Omit<KingdeeClientOptions, 'logger'>, logger?: Logger): KingdeeAccess {
  const child = logger?.child({ component: 'preflight-kingdee' });
  return {
    users: options.users.map((u) => u.username),
    client: (user) => createKingdeeClient({ ...options, users: user === undefined ? options.users : options.users.filter((u) => u.username === user), logger: child }),
  };
}

/**
 * The doctor's dependencies in a service: Kingdee from the KINGDEE_* variables when they are set, JST from the
 * process's own clients (open API, 聚水潭·奇门) when it has them; a missing side is reported as not checked, never as an error.
 */
export function preflightDepsFromEnv(env: Env, config: SyncConfig, opts: { jst?: JstApi; qimen?: JstApi; logger?: Logger; now?: () => Date }): PreflightDeps {
  let kingdee: PreflightDeps['kingdee'];
  try {
    kingdee = env.KINGDEE_ACCT_ID && env.KINGDEE_USERNAME ? kingdeeAccess(kingdeeOptionsFromEnv(env, 'the preflight doctor'), opts.logger) : { skipped: 'this process has no KINGDEE_* settings' };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    kingdee = { skipped: e.message };
  }
  return {
    config,
    kingdee,
    jst: opts.jst ?? { skipped: 'this process has no JST_* settings' },
    qimen: opts.qimen ?? missingQimenSettings(env),
    now: opts.now ?? (() => new Date()),
    logger: opts.logger,
  };
}

const QIMEN_CREDENTIALS = ['JST_QIMEN_APP_KEY', 'JST_QIMEN_APP_SECRET', 'JST_QIMEN_CUSTOMER_ID'] as const;

/** `{missing}` naming the unset Qimen credentials; undefined when they are all set (the process just has no client). */
function missingQimenSettings(env: Env): { missing: string } | undefined {
  const unset = QIMEN_CREDENTIALS.filter((k) => !env[k]);
  return unset.length ? { missing: `${unset.join(', ')} not set` } : undefined;
}

export interface StartupPreflight {
  /** Settles when the check has logged its findings, stopped at its time bound or been stopped. Never rejects. */
  done: Promise<void>;
  /** Stops the check between two calls (shutdown). */
  stop(): void;
}

/**
 * The start-up check every service runs: the doctor without the document scan, in the background, bounded by
 * `timeoutMs`; each finding is logged as a warning (infos as info). It never blocks or fails the start.
 */
export function startupPreflight(deps: PreflightDeps & { logger: Logger }, timeoutMs = STARTUP_PREFLIGHT_TIMEOUT_MS): StartupPreflight {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('time bound reached')), timeoutMs);
  timer.unref();
  const log = deps.logger.child({ component: 'preflight' });
  const run = runPreflight(deps, { days: 0, signal: controller.signal });
  run.catch(() => undefined); // past the bound nobody waits for it; a call still in flight ends at its own timeout
  const bound = new Promise<never>((_resolve, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  const done = Promise.race([run, bound])
    .then((report) => {
      for (const f of report.findings) {
        const fields = { check: f.check, path: f.path, severity: f.severity };
        if (f.severity === 'info') log.info(fields, `preflight: ${f.message} → ${f.action}`);
        else log.warn(fields, `preflight: ${f.message} → ${f.action}`);
      }
      const { errors, warnings } = report.summary;
      log.info({ errors, warnings }, errors || warnings ? 'preflight found problems: run `sync-cli doctor` for the full report' : 'preflight: configuration matches Kingdee and JST');
    })
    .catch((e: unknown) => {
      if (controller.signal.aborted) log.warn({ timeoutMs }, 'preflight stopped before it finished (time bound or shutdown); run `sync-cli doctor`');
      else log.warn({ err: e instanceof Error ? e.message : String(e) }, 'preflight could not run; run `sync-cli doctor`');
    })
    .finally(() => clearTimeout(timer));
  return { done, stop: () => controller.abort(new Error('stopped')) };
}
