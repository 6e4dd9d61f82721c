/**
 * Shared helpers of the reliability tests: simulators, env, a config file with test-friendly retry settings,
 * worker child processes, the tally of what Kingdee holds, and cleanup. No assertions here: each test says
 * what it proves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { createQueues, createRedis, type DocumentQueue } from '@sync/queue';
import { demoCredentials, type KingdeeSimulator } from '@sync/simulator';

export const root = path.resolve(__dirname, '../..');
export const FLOW = 'sales-outbound';
export const BILL_PREFIX = 'JSTSO';

/** Polls `check` every `everyMs` until it is true; throws naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The environment of the services (strings, as a child process gets them) against both simulators. */
export function serviceEnv(opts: { redisUrl: string; prefix: string; jstUrl: string; kdUrl: string; configPath?: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: opts.redisUrl,
    QUEUE_PREFIX: opts.prefix,
    SYNC_CONFIG: opts.configPath ?? path.join(root, 'config/sync.config.yaml'),
    LOG_LEVEL: 'silent',
    JST_BASE_URL: opts.jstUrl,
    JST_APP_KEY: demoCredentials.jst.appKey,
    JST_APP_SECRET: demoCredentials.jst.appSecret,
    JST_ACCESS_TOKEN: demoCredentials.jst.accessToken,
    KINGDEE_BASE_URL: opts.kdUrl,
    KINGDEE_AUTH: 'password',
    KINGDEE_ACCT_ID: demoCredentials.kingdee.acctId,
    KINGDEE_USERNAME: demoCredentials.kingdee.users.map((u) => u.username).join(','),
    KINGDEE_PASSWORD: demoCredentials.kingdee.users.map((u) => u.password).join(','),
    WORKER_CONCURRENCY: '4',
    WORKER_FLOWS: FLOW,
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...extra,
  };
}

/** Settings of the sales-outbound flow changed for a test (schedule, attempts, backoff). */
export interface FlowPatch {
  everyMs?: number;
  attempts?: number;
  backoffMs?: number;
  /** flows.sales-outbound.writeBatchSize (absent: the configured default, batched). */
  writeBatchSize?: number;
}

/**
 * Writes a copy of config/sync.config.yaml with only the sales-outbound flow enabled and `patch` applied to it;
 * returns its path.
 */
export function writeTestConfig(patch: FlowPatch): string {
  const doc = parse(readFileSync(path.join(root, 'config/sync.config.yaml'), 'utf8')) as { flows: Record<string, Record<string, unknown>> };
  // Only the flow under test: the others (added by other flows' work) would compete for the same simulators.
  for (const [name, other] of Object.entries(doc.flows)) if (name !== FLOW) other.enabled = false;
  const flow = doc.flows[FLOW];
  if (patch.everyMs !== undefined) flow.schedule = { ...(flow.schedule as object), everyMs: patch.everyMs };
  if (patch.attempts !== undefined) flow.attempts = patch.attempts;
  if (patch.backoffMs !== undefined) flow.backoffMs = patch.backoffMs;
  if (patch.writeBatchSize !== undefined) flow.writeBatchSize = patch.writeBatchSize;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sync-reliability-'));
  const file = path.join(dir, 'sync.config.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

/** What Kingdee holds for the flow, against the JST ids that must be there. */
export interface Tally {
  expected: number;
  documents: number;
  /** Bills beyond one per JST document (by FThirdBillNo and by bill number). */
  duplicates: number;
  /** Expected JST ids with no bill. */
  missing: string[];
  /** Bills for JST ids that were not expected. */
  unexpected: string[];
  /** Bills not audited (status other than C). */
  notAudited: number;
  /** Bills the simulator created over its lifetime (a deleted duplicate would still count here). */
  created: number;
}

/** Counts the SAL_OUTSTOCK bills of the simulator against `expectedIds` (JST io_id strings). */
export function tallyKingdee(kd: KingdeeSimulator, expectedIds: readonly string[]): Tally {
  const docs = kd.documents('SAL_OUTSTOCK');
  const perThird = new Map<string, number>();
  const billNos = new Set<string>();
  for (const d of docs) {
    billNos.add(d.billNo);
    const third = String((d.model.SubHeadEntity as Record<string, unknown> | undefined)?.FThirdBillNo ?? d.billNo.replace(BILL_PREFIX, ''));
    perThird.set(third, (perThird.get(third) ?? 0) + 1);
  }
  let duplicates = docs.length - billNos.size;
  for (const n of perThird.values()) if (n > 1) duplicates += n - 1;
  const want = new Set(expectedIds);
  return {
    expected: want.size,
    documents: docs.length,
    duplicates,
    missing: [...want].filter((id) => !billNos.has(`${BILL_PREFIX}${id}`)),
    unexpected: [...billNos].map((b) => b.replace(BILL_PREFIX, '')).filter((id) => !want.has(id)),
    notAudited: docs.filter((d) => d.status !== 'C').length,
    created: kd.stats().created,
  };
}

/** Prints one line of figures for the test log (documents, faults injected, duplicates, missing, ...). */
export function printFigures(test: string, figures: Record<string, unknown>): void {
  const line = Object.entries(figures).map(([k, v]) => `${k}=${Array.isArray(v) ? v.length : String(v)}`).join(' ');
  process.stdout.write(`[reliability] ${test}: ${line}\n`);
}

/** Deletes every key under `prefix` on `redisUrl`. */
export async function clearPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = createRedis(redisUrl, { role: 'worker', name: `${prefix}-cleanup` });
  try {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (batch.length) await redis.unlink(...batch);
    } while (cursor !== '0');
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** A service running as a real child process (`node services/<name>/dist/main.js`). */
export interface ChildService {
  proc: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once it exits. */
  exited: Promise<number | string>;
}

/** Where the built entry point of a service lives; throws with the fix when `tsc -b` has not run. */
export function builtMain(service: 'worker' | 'poller' | 'api'): string {
  const file = path.join(root, 'services', service, 'dist/main.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run "pnpm exec tsc -b" first (scripts/test.sh does)`);
  return file;
}

/** Starts `node services/<service>/dist/main.js` with exactly `env` (plus PATH). */
export function startChild(service: 'worker' | 'poller' | 'api', env: Record<string, string>): ChildService {
  const proc = spawn(process.execPath, [builtMain(service)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString('utf8')).slice(-20000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
  return { proc, output: () => out, exited };
}

/** Sends SIGKILL unless the child already exited; resolves when it is gone. */
export async function killChild(child: ChildService, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill(signal);
  await child.exited;
}

/** A small deterministic PRNG (mulberry32) for test choices that must be reproducible from a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The flow queue of `prefix` on its own connection, to count jobs; `close()` closes both. */
export function openFlowQueue(redisUrl: string, prefix: string): { queue: DocumentQueue; close: () => Promise<void> } {
  const connection = createRedis(redisUrl, { role: 'worker', name: `${prefix}-inspect` });
  connection.on('error', () => undefined); // a test may take Redis away on purpose
  const queues = createQueues({ connection, prefix, flows: { [FLOW]: { attempts: 1, backoffMs: 1000 } } });
  return {
    queue: queues.flow(FLOW),
    close: async () => {
      await queues.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
