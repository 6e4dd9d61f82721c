/**
 * The benchmark: a dedicated redis-server, the simulators and the services as separate processes, a backfill of
 * sales outbound documents, then a steady phase at half the measured rate. Prints a summary, or one JSON object
 * per scenario with --json. Usage: pnpm bench [--scenario realistic|zero-latency|naive|all] [--docs N]
 * [--naive-docs N] [--steady-seconds S] [--workers N] [--write-batch N] [--write-mode staged|auto-audit] [--json]
 * --write-batch N (default 20) sets flows.sales-outbound.writeBatchSize (1 = the per-document write path);
 * --write-mode (default staged) sets flows.sales-outbound.writeMode, and the ceiling follows it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { freePort } from '@sync/testing';

const root = path.resolve(__dirname, '..');

interface Scenario {
  name: 'realistic' | 'zero-latency' | 'naive';
  kingdee: { perCallMs: number; perLineMs: number; users: number };
  jst: { perSecond: number; perMinute: number };
}

const SCENARIOS: Record<Scenario['name'], Scenario> = {
  realistic: { name: 'realistic', kingdee: { perCallMs: 300, perLineMs: 20, users: 4 }, jst: { perSecond: 5, perMinute: 100 } },
  'zero-latency': { name: 'zero-latency', kingdee: { perCallMs: 0, perLineMs: 0, users: 4 }, jst: { perSecond: 0, perMinute: 0 } },
  naive: { name: 'naive', kingdee: { perCallMs: 300, perLineMs: 20, users: 1 }, jst: { perSecond: 5, perMinute: 100 } },
};

/** Documented guidance: at most 20 packages per BatchSave (kingdee-api.md §7); JST pages of 50 rows. */
const KINGDEE_BATCH = 20;
const JST_PAGE = 50;

/** flows.<flow>.writeMode: `staged` (the default) or `auto-audit`. */
export type WriteMode = 'staged' | 'auto-audit';
/** Kingdee calls per batch of each write mode: BatchSave, Submit and Audit, or one BatchSave with IsAutoSubmitAndAudit. */
const CALLS_PER_BATCH: Record<WriteMode, number> = { staged: 3, 'auto-audit': 1 };

interface Options {
  scenarios: Scenario['name'][];
  docs: number;
  naiveDocs: number;
  steadySeconds: number;
  workers: number;
  /** flows.sales-outbound.writeBatchSize for the run (1 = per-document writes). */
  writeBatch: number;
  writeMode: WriteMode;
  json: boolean;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

export function parseArgs(argv: string[]): Options {
  const o: Options = { scenarios: ['realistic', 'zero-latency', 'naive'], docs: 20000, naiveDocs: 200, steadySeconds: 30, workers: 2, writeBatch: KINGDEE_BATCH, writeMode: 'staged', json: false };
  const num = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min) fail(`${flag} needs a whole number ≥ ${min}, got ${v === undefined ? 'nothing' : `"${v}"`}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') o.json = true;
    else if (a === '--scenario') {
      const v = argv[++i];
      if (v === 'all') o.scenarios = ['realistic', 'zero-latency', 'naive'];
      else if (v && v in SCENARIOS) o.scenarios = [v as Scenario['name']];
      else fail(`unknown scenario "${v ?? ''}": choose realistic, zero-latency, naive or all`);
    } else if (a === '--docs') o.docs = num(a, argv[++i], 1);
    else if (a === '--naive-docs') o.naiveDocs = num(a, argv[++i], 1);
    else if (a === '--steady-seconds') o.steadySeconds = num(a, argv[++i], 0);
    else if (a === '--workers') o.workers = num(a, argv[++i], 1);
    else if (a === '--write-batch') o.writeBatch = num(a, argv[++i], 1);
    else if (a === '--write-mode') {
      const v = argv[++i];
      if (v === 'staged' || v === 'auto-audit') o.writeMode = v;
      else fail(`unknown write mode "${v ?? ''}": choose staged or auto-audit`);
    }
    else fail(`unknown argument "${a}" (see the header of scripts/bench.ts)`);
  }
  return o;
}

/**
 * The most documents per second the two APIs allow under a scenario's simulator settings, for documents of
 * `meanLines` entry rows (measured on what was written): JST pages of 50 rows at the quota, and every Kingdee
 * user writing batches of 20 back to back with the calls of the write mode (staged: BatchSave, Submit and Audit,
 * each paying the per-call latency, the lines paid once by the BatchSave; auto-audit: the BatchSave alone).
 */
export function ceilingDocsPerSecond(s: Scenario, meanLines: number, mode: WriteMode = 'staged'): { jst: number; kingdee: number; ceiling: number } {
  const jst = s.jst.perMinute > 0 ? (Math.min(s.jst.perMinute / 60, s.jst.perSecond || Infinity) * JST_PAGE) : Infinity;
  const perDocMs = (CALLS_PER_BATCH[mode] * s.kingdee.perCallMs) / KINGDEE_BATCH + s.kingdee.perLineMs * meanLines;
  const kingdee = perDocMs > 0 ? (s.kingdee.users * 1000) / perDocMs : Infinity;
  return { jst, kingdee, ceiling: Math.min(jst, kingdee) };
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > deadline) {
      console.error(`bench: gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s`);
      return false;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (0 when unreadable). */
function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    // Fields after the command name (which may hold spaces) start at state; utime and stime are fields 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Kernel clock ticks per second (`getconf CLK_TCK`, 100 on Linux unless configured otherwise). */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/**
 * The Node options the services run with in the image (Dockerfile `NODE_OPTIONS`), so that the bench measures
 * their memory as deployed. The simulators and the naive loop are tools and keep Node's defaults.
 */
export function imageNodeOptions(dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8')): string {
  const m = /^\s*NODE_OPTIONS="?([^"\n]+?)"?\s*$/m.exec(dockerfile.replace(/\\\n/g, '\n'));
  if (!m) throw new Error('the Dockerfile sets no NODE_OPTIONS for the services');
  return m[1].trim();
}

class Run {
  procs: { name: string; proc: ChildProcess }[] = [];
  rss: Record<string, number> = {};
  private sampler?: NodeJS.Timeout;

  start(name: string, args: string[], env: Record<string, string>, bin = process.execPath): ChildProcess {
    const proc = spawn(bin, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    proc.on('exit', (code, signal) => {
      // Exit code 0: the naive loop is done (the services never exit by themselves).
      if (this.stopping || code === 0) return;
      // A process gone in the middle of a run makes every figure meaningless: stop everything and say why.
      console.error(`bench: ${name} exited (${signal ?? `code ${code}`}) during the run: ${err.trim() || 'no output'}`);
      void this.stop().then(() => process.exit(1));
    });
    this.procs.push({ name, proc });
    return proc;
  }

  sampleRss(): void {
    this.sampler = setInterval(() => {
      for (const { name, proc } of this.procs) {
        const key = name.replace(/-\d+$/, '');
        this.rss[key] = Math.max(this.rss[key] ?? 0, rssMb(proc.pid));
      }
    }, 500);
  }

  /** CPU ms used so far by our own services (poller, workers, the naive loop), not Redis or the simulators. */
  ownCpuMs(): number {
    return this.procs.filter(({ name }) => /^(worker-\d+|poller|naive)$/.test(name)).reduce((ms, { proc }) => ms + cpuMs(proc.pid), 0);
  }

  stopping = false;
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.sampler) clearInterval(this.sampler);
    await Promise.all(
      this.procs.map(
        ({ proc }) =>
          new Promise<void>((resolve) => {
            if (proc.exitCode !== null) return resolve();
            const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
            proc.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            proc.kill('SIGTERM');
          }),
      ),
    );
  }
}

export interface Result {
  /** flows.sales-outbound.writeBatchSize of the run. */
  write_batch: number;
  /** flows.sales-outbound.writeMode of the run. */
  write_mode: WriteMode;
  scenario: string;
  docs: number;
  seconds: number;
  docs_per_s: number;
  /** Ceiling of the write mode used; null when the scenario's APIs set no limit (zero-latency). */
  ceiling_docs_per_s: number | null;
  /** Ceiling of the default (staged) write mode: the throughput target is 90 % of it. */
  default_ceiling_docs_per_s: number | null;
  /** Mean entry rows per written document (the ceiling's per-line cost). */
  mean_lines: number;
  ratio_to_ceiling: number;
  /** CPU time of the poller and the workers (or the naive loop) per document written (ms), from /proc. */
  cpu_ms_per_doc: number;
  lag_p50_s: number;
  lag_p95_s: number;
  rss_mb: Record<string, number>;
  redis_used_mb: { after_backfill: number; end: number };
  rate_limit_errors: number;
  failed_jobs: number;
  duplicates: number;
  missing: number;
  steady_docs: number;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function runScenario(s: Scenario, o: Options): Promise<Result> {
  const run = new Run();
  const naive = s.name === 'naive';
  const docs = naive ? o.naiveDocs : o.docs;
  const ports = { redis: await freePort(), jst: await freePort(), kingdee: await freePort() };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sync-bench-'));
  run.start('redis', ['--bind', '127.0.0.1', '--port', String(ports.redis), '--save', '', '--appendonly', 'no', '--dir', dir], {}, 'redis-server');
  const redisUrl = `redis://127.0.0.1:${ports.redis}`;
  run.start('simulator', ['services/simulator/dist/main.js'], {
    JST_SIM_PORT: String(ports.jst), KINGDEE_SIM_PORT: String(ports.kingdee), SIM_SEED_DOCS: '0', SIM_LIVE_EVERY_MS: '0',
    SIM_KINGDEE_LATENCY_MS: String(s.kingdee.perCallMs), SIM_KINGDEE_LATENCY_PER_LINE_MS: String(s.kingdee.perLineMs),
    SIM_KINGDEE_USERS: String(s.kingdee.users), SIM_JST_PER_SECOND: String(s.jst.perSecond), SIM_JST_PER_MINUTE: String(s.jst.perMinute), LOG_LEVEL: 'warn',
  });
  const jstUrl = `http://127.0.0.1:${ports.jst}`;
  const kdUrl = `http://127.0.0.1:${ports.kingdee}`;
  await waitFor('the simulators', async () => (await fetch(`${jstUrl}/__admin/stats`)).ok && (await fetch(`${kdUrl}/__admin/stats`)).ok, 20000);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  await waitFor('redis', async () => (await redis.ping()) === 'PONG', 10000);

  // Backfill: every document shipped, 1–5 lines, no unmapped SKU.
  const seeded = await json<{ ids: number[] }>(`${jstUrl}/__admin/seed`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'orders-out', count: docs, seed: 1, statusMix: { Confirmed: 1 }, unmappedRate: 0 }),
  });
  const expected = new Set(seeded.ids.map(String));

  const config = parseYaml(readFileSync(path.join(root, 'config/sync.config.yaml'), 'utf8')) as { flows: Record<string, Record<string, unknown>>; reconciliation?: unknown };
  // The bench measures the sync alone: no scheduled reconciliation reading both systems meanwhile.
  delete config.reconciliation;
  for (const [name, flow] of Object.entries(config.flows)) {
    if (name !== 'sales-outbound') flow.enabled = false;
  }
  config.flows['sales-outbound']!.schedule = { everyMs: POLL_EVERY_MS };
  config.flows['sales-outbound']!.writeBatchSize = o.writeBatch;
  config.flows['sales-outbound']!.writeMode = o.writeMode;
  const configPath = path.join(dir, 'sync.config.yaml');
  writeFileSync(configPath, stringifyYaml(config));
  const users = Array.from({ length: s.kingdee.users }, (_, i) => ({ u: i === 0 ? 'integration' : `integration${i + 1}`, p: `demo-kd-password-${i + 1}` }));
  const env: Record<string, string> = {
    REDIS_URL: redisUrl, QUEUE_PREFIX: 'bench', SYNC_CONFIG: configPath, LOG_LEVEL: 'warn',
    JST_BASE_URL: jstUrl, JST_APP_KEY: 'demo-app-key', JST_APP_SECRET: 'demo-app-secret-0123456789', JST_ACCESS_TOKEN: 'demo-access-token-0123456789',
    KINGDEE_BASE_URL: `${kdUrl}/k3cloud/`, KINGDEE_AUTH: 'password', KINGDEE_ACCT_ID: '5f1e2d3c4b5a69',
    KINGDEE_USERNAME: users.map((x) => x.u).join(','), KINGDEE_PASSWORD: users.map((x) => x.p).join(','),
    WORKER_CONCURRENCY: String(Math.max(4, s.kingdee.users * 4)),
    // The services pace JST calls to the scenario's quota (zero-latency: the simulator has none, nor do they).
    JST_CALLS_PER_SECOND: String(s.jst.perSecond || 1_000_000), JST_CALLS_PER_MINUTE: String(s.jst.perMinute || 1_000_000),
  };

  const serviceEnv = { ...env, NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? imageNodeOptions() };
  const t0 = Date.now();
  if (naive) {
    run.start('naive', [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/bench-naive.ts'], env);
  } else {
    // Each integration user belongs to one worker process, so the sessions stay as many as the users (Kingdee
    // serialises the calls of a session; more processes must not mean more sessions than the scenario allows).
    const processes = Math.min(o.workers, users.length);
    for (let i = 0; i < processes; i++) {
      const mine = users.filter((_, j) => j % processes === i);
      run.start(`worker-${i}`, ['services/worker/dist/main.js'], {
        ...serviceEnv, KINGDEE_USERNAME: mine.map((x) => x.u).join(','), KINGDEE_PASSWORD: mine.map((x) => x.p).join(','),
      });
    }
    run.start('poller', ['services/poller/dist/main.js'], serviceEnv);
  }
  run.sampleRss();
  const created = async () => (await json<{ created: number }>(`${kdUrl}/__admin/stats`)).created;
  const perDocBudgetMs = naive ? 5000 : 1000;
  await waitFor(`${docs} documents in Kingdee`, async () => (await created()) >= docs, 120000 + docs * perDocBudgetMs, 500);
  const seconds = (Date.now() - t0) / 1000;
  const backfilled = await created();
  const afterBackfill = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0) / 2 ** 20;

  // Steady phase at half the measured rate: documents arrive every second and their freshness is measured.
  const lags: number[] = [];
  let steadyDocs = 0;
  if (!naive && o.steadySeconds > 0) {
    const rate = Math.max(1, Math.round(backfilled / seconds / 2));
    const arrivals = new Map<string, number>();
    for (let sec = 0; sec < o.steadySeconds; sec++) {
      const at = Date.now();
      const r = await json<{ ids: number[] }>(`${jstUrl}/__admin/seed`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'orders-out', count: rate, seed: `steady-${sec}`, statusMix: { Confirmed: 1 }, unmappedRate: 0 }),
      });
      for (const id of r.ids) {
        arrivals.set(String(id), at);
        expected.add(String(id));
      }
      steadyDocs += r.ids.length;
      await new Promise((res) => setTimeout(res, Math.max(0, 1000 - (Date.now() - at))));
    }
    await waitFor('the steady-phase documents', async () => (await created()) >= docs + steadyDocs, 120000, 500);
    const written = (await json<{ documents: Array<{ billNo: string; createdAt: number }> }>(`${kdUrl}/__admin/documents/SAL_OUTSTOCK`)).documents;
    for (const d of written) {
      const at = arrivals.get(d.billNo.replace(/^JSTSO/, ''));
      if (at !== undefined) lags.push((d.createdAt - at) / 1000);
    }
    lags.sort((a, b) => a - b);
  }

  const all = (await json<{ documents: Array<{ billNo: string; model: { FEntity?: unknown[] } }> }>(`${kdUrl}/__admin/documents/SAL_OUTSTOCK`)).documents;
  const meanLines = all.length ? all.reduce((n, d) => n + (d.model.FEntity?.length ?? 0), 0) / all.length : 0;
  const counts = new Map<string, number>();
  for (const d of all) counts.set(d.billNo, (counts.get(d.billNo) ?? 0) + 1);
  const duplicates = [...counts.values()].filter((n) => n > 1).length;
  const missing = [...expected].filter((id) => !counts.has(`JSTSO${id}`)).length;
  const jstStats = await json<{ rateLimited: { perSecond: number; perMinute: number } }>(`${jstUrl}/__admin/stats`);
  const failedJobs = naive ? 0 : await redis.zcard('bench:flow-sales-outbound:failed');
  const end = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0) / 2 ** 20;
  const ownCpu = run.ownCpuMs();
  redis.disconnect();
  await run.stop();

  const docsPerS = backfilled / seconds;
  // The naive loop saves with IsAutoSubmitAndAudit, one document a call.
  const mode: WriteMode = naive ? 'auto-audit' : o.writeMode;
  const ceiling = ceilingDocsPerSecond(s, meanLines, mode).ceiling;
  const defaultCeiling = ceilingDocsPerSecond(s, meanLines, 'staged').ceiling;
  const finite = (n: number) => (Number.isFinite(n) ? round(n) : null);
  return {
    scenario: s.name, write_batch: o.writeBatch, write_mode: mode, docs: backfilled, seconds: round(seconds), docs_per_s: round(docsPerS),
    ceiling_docs_per_s: finite(ceiling), default_ceiling_docs_per_s: finite(defaultCeiling), mean_lines: round(meanLines),
    ratio_to_ceiling: Number.isFinite(ceiling) ? round(docsPerS / ceiling, 3) : 0,
    cpu_ms_per_doc: all.length ? round(ownCpu / all.length, 3) : 0,
    lag_p50_s: round(percentile(lags, 50)), lag_p95_s: round(percentile(lags, 95)),
    rss_mb: Object.fromEntries(Object.entries(run.rss).filter(([k]) => k !== 'redis').map(([k, v]) => [k, round(v, 1)])),
    redis_used_mb: { after_backfill: round(afterBackfill), end: round(end) },
    rate_limit_errors: jstStats.rateLimited.perSecond + jstStats.rateLimited.perMinute,
    failed_jobs: failedJobs, duplicates, missing, steady_docs: steadyDocs,
  };
}

/** The poll interval the bench gives the flow (ms): the freshness target is this plus 5 s. */
const POLL_EVERY_MS = 1000;
const RSS_LIMIT_MB = 200;
/** Redis growth allowed per document written after the backfill: its ledger entry and sent marker (~350 B). */
const REDIS_BYTES_PER_NEW_DOC = 1024;

export interface TargetCheck {
  target: string;
  ok: boolean;
  measured: string;
}

/** The issue's targets, checked against the results of one bench run (only those the run's scenarios measure). */
export function checkTargets(results: readonly Result[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const add = (target: string, ok: boolean, measured: string) => checks.push({ target, ok, measured });
  const realistic = results.find((r) => r.scenario === 'realistic');
  const zero = results.find((r) => r.scenario === 'zero-latency');
  const naive = results.find((r) => r.scenario === 'naive');
  if (realistic) {
    // Against the default mode's ceiling whatever mode ran: a faster mode must not lower the bar.
    const ratio = realistic.default_ceiling_docs_per_s ? round(realistic.docs_per_s / realistic.default_ceiling_docs_per_s, 3) : 0;
    add('realistic: ≥ 90 % of the ceiling of the default (staged) write mode', ratio >= 0.9, `${ratio}`);
    add('realistic: no failed job', realistic.failed_jobs === 0, `${realistic.failed_jobs} failed`);
  }
  if (zero) add('zero-latency: ≥ 1,000 documents/s', zero.docs_per_s >= 1000, `${zero.docs_per_s}`);
  if (realistic && naive) {
    const x = naive.docs_per_s > 0 ? realistic.docs_per_s / naive.docs_per_s : Infinity;
    add('realistic ≥ 20 × naive', x >= 20, `${round(x, 1)}×`);
  }
  for (const r of results) {
    // The JST call budget keeps a safety margin (JST_CALL_MARGIN_MS): not one 199/200 answer, in any scenario.
    add(`${r.scenario}: 0 rate-limit answers (199/200)`, r.rate_limit_errors === 0, `${r.rate_limit_errors} answers`);
    if (r.steady_docs > 0) {
      const limit = POLL_EVERY_MS / 1000 + 5;
      add(`${r.scenario}: freshness p95 ≤ ${limit} s at half load`, r.lag_p95_s <= limit, `${r.lag_p95_s} s`);
      const growth = (r.redis_used_mb.end - r.redis_used_mb.after_backfill) * 2 ** 20;
      add(`${r.scenario}: Redis flat after the backfill (≤ ${REDIS_BYTES_PER_NEW_DOC} B per new document)`, growth <= r.steady_docs * REDIS_BYTES_PER_NEW_DOC, `${Math.round(growth / r.steady_docs)} B/doc`);
    }
    const services = Object.entries(r.rss_mb).filter(([name]) => name !== 'simulator');
    const worst = services.reduce((m, [, mb]) => Math.max(m, mb), 0);
    if (services.length) add(`${r.scenario}: ≤ ${RSS_LIMIT_MB} MB resident per service`, worst <= RSS_LIMIT_MB, `${worst} MB (${services.map(([n, mb]) => `${n} ${mb}`).join(', ')})`);
    add(`${r.scenario}: no duplicate, nothing missing`, r.duplicates === 0 && r.missing === 0, `${r.duplicates} duplicates, ${r.missing} missing`);
  }
  return checks;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const results: Result[] = [];
  for (const name of o.scenarios) {
    if (!o.json) console.error(`bench: running ${name} …`);
    results.push(await runScenario(SCENARIOS[name], o));
  }
  const naive = results.find((r) => r.scenario === 'naive');
  const realistic = results.find((r) => r.scenario === 'realistic');
  const speedup = naive && realistic && naive.docs_per_s > 0 ? round(realistic.docs_per_s / naive.docs_per_s, 1) : undefined;
  const targets = checkTargets(results);
  const missed = targets.filter((t) => !t.ok).length;
  if (o.json) {
    for (const r of results) console.log(JSON.stringify({ ...r, ...(r.scenario === 'realistic' && speedup !== undefined ? { x_naive: speedup } : {}) }));
    console.log(JSON.stringify({ targets }));
    if (missed) process.exitCode = 3;
    return;
  }
  for (const r of results) {
    console.log(
      `${r.scenario.padEnd(13)} [write batch ${r.write_batch}, ${r.write_mode}] ${r.docs} docs in ${r.seconds} s = ${r.docs_per_s} docs/s` +
        (r.ceiling_docs_per_s ? ` (ceiling ${r.ceiling_docs_per_s}, ratio ${r.ratio_to_ceiling})` : ' (no ceiling: unlimited APIs)') +
        `; cpu ${r.cpu_ms_per_doc} ms/doc (poller + workers)` +
        `; lag p50 ${r.lag_p50_s} s p95 ${r.lag_p95_s} s; rss ${JSON.stringify(r.rss_mb)} MB; redis ${r.redis_used_mb.after_backfill}→${r.redis_used_mb.end} MB;` +
        ` rate-limit answers ${r.rate_limit_errors}; failed ${r.failed_jobs}; duplicates ${r.duplicates}; missing ${r.missing}`,
    );
  }
  if (speedup !== undefined) console.log(`realistic vs naive: ${speedup}×`);
  console.log('targets:');
  for (const t of targets) console.log(`  ${t.ok ? 'met   ' : 'MISSED'} ${t.target}: ${t.measured}`);
  // Exit 3 when a target is missed (the figures above say which), 1 on an error, 2 on bad arguments.
  if (missed) process.exitCode = 3;
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(`bench: ${e.message}`);
    process.exit(1);
  });
}
