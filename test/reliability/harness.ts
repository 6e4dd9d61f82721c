/**
 * Shared helpers of the reliability tests: the sales-outbound system they break (startSystem with test-friendly
 * retry settings), a config file for service processes, worker child processes, the tally of what Kingdee holds.
 * No assertions here: each test says what it proves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { createQueues, createRedis, type DocumentQueue } from '@sync/queue';
import type { KingdeeSimulator } from '@sync/simulator';
import { servicesEnv, startSimulators, testRedisUrl, type Simulators } from '@sync/testing';
import { startSystem, type System, type SystemOptions } from '../support/system';
import { loadSyncConfig } from '@sync/flows';

export const root = path.resolve(__dirname, '../..');
export const FLOW = 'sales-outbound';
export const BILL_PREFIX = 'JSTSO';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The environment of a service process (strings) against both simulators, working on the sales-outbound flow. */
export function serviceEnv(opts: { redisUrl: string; prefix: string; jstUrl: string; kdUrl: string; configPath?: string }, extra: Record<string, string> = {}): Record<string, string> {
  return servicesEnv(opts, { SYNC_CONFIG: opts.configPath ?? path.join(root, 'config/sync.config.yaml'), WORKER_FLOWS: FLOW, ...extra });
}

/** Settings of the sales-outbound flow changed for a test (schedule, attempts, backoff). */
export interface FlowPatch {
  everyMs?: number;
  attempts?: number;
  backoffMs?: number;
  /** flows.sales-outbound.writeBatchSize (absent: the configured default, batched). */
  writeBatchSize?: number;
  /** flows.sales-outbound.reversal (absent: the configured default, record). */
  reversal?: 'record' | 'unaudit-delete';
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
  if (patch.reversal !== undefined) flow.reversal = patch.reversal;
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

export interface SalesOutboundOptions extends Omit<SystemOptions, 'config'> {
  /** Over the defaults: polls every second, 20 attempts, 200 ms backoff. */
  flow?: FlowPatch;
  /** The Kingdee client's timeout per request (ms); default 10 s. */
  kingdeeTimeoutMs?: number;
}

/**
 * The system the reliability tests break: startSystem with only the sales-outbound flow (its settings as
 * writeTestConfig writes them for the service processes), the poller and the worker unless `services` says
 * otherwise, and, unless `simulators` are given, a JST simulator without a rate limit.
 */
export async function startSalesOutbound(opts: SalesOutboundOptions): Promise<System> {
  const { flow, kingdeeTimeoutMs, ...rest } = opts;
  return startSystem({
    services: ['poller', 'worker'],
    ...rest,
    simulators: opts.simulators ?? (await startSimulators({ jst: { rateLimit: { perSecond: 0, perMinute: 0 } } })),
    config: loadSyncConfig(writeTestConfig({ everyMs: 1000, attempts: 20, backoffMs: 200, ...flow })),
    env: { WORKER_FLOWS: FLOW, ...(kingdeeTimeoutMs ? { KINGDEE_TIMEOUT_MS: String(kingdeeTimeoutMs) } : {}), ...opts.env },
  });
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

/** The SIGKILL set-up: the poller in this process, the workers as processes a test kills and restarts. */
export interface WorkerProcesses {
  system: System;
  /** The worker processes by slot (a restarted one takes its slot). */
  workers: ChildService[];
  /** Starts a worker process in `slot`, on the environment and config file of the others. */
  startWorker(slot: number): ChildService;
  /** The last lines each worker process wrote (for a failure message). */
  output(): string;
  /** Kills the worker processes, then stops the system. */
  stop(): Promise<void>;
}

/**
 * Writes the config file (only sales outbound, `flow` applied), starts `workers` worker processes on it, then the
 * poller's schedulers in this process (startSystem, no worker, no API), all on the test Redis under `prefix`.
 * `env` goes to the processes and the poller alike.
 */
export async function startWorkerProcesses(opts: { prefix: string; simulators: Simulators; flow: FlowPatch; workers: number; env?: Record<string, string> }): Promise<WorkerProcesses> {
  const redisUrl = testRedisUrl();
  const configPath = writeTestConfig(opts.flow);
  const envVars = serviceEnv({ redisUrl, prefix: opts.prefix, jstUrl: opts.simulators.jst.url, kdUrl: opts.simulators.kingdee.url, configPath }, opts.env);
  const system = await startSystem({ prefix: opts.prefix, simulators: opts.simulators, config: loadSyncConfig(configPath), services: [], env: { WORKER_FLOWS: FLOW, ...opts.env } });
  const workers: ChildService[] = [];
  const startWorker = (slot: number) => (workers[slot] = startChild('worker', envVars));
  for (let slot = 0; slot < opts.workers; slot++) startWorker(slot);
  await system.poller.start();
  return {
    system,
    workers,
    startWorker,
    output: () => workers.map((w) => w.output().slice(-3000)).join(' | '),
    async stop() {
      for (const w of workers) await killChild(w);
      await system.stop();
    },
  };
}
