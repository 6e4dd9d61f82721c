/**
 * The demo: Redis (REDIS_URL, else 127.0.0.1:6379, else a redis-server started here), both simulators with
 * demo data and live traffic, and the poller, worker and API as separate processes: the same topology as
 * docker-compose, as plain processes. Logs go to .demo/<service>.log; Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { clearPrefix, simulatorEnv } from '@sync/testing';
import { loadSyncConfig } from '@sync/flows';

const root = path.resolve(__dirname, '..');
const logDir = path.join(root, '.demo');
const children: { name: string; proc: ChildProcess }[] = [];
/** The demo's Tmall shop (天猫旗舰店), read through Qimen with DEMO_QIMEN=1. */
const TMALL_SHOP = 16882300;

/**
 * The demo configuration with sales-outbound on both transports: the Tmall shop through Qimen, every other shop
 * through the open API. Written as JSON next to the logs; returns its path.
 */
function qimenDemoConfig(): string {
  const config = loadSyncConfig(path.join(root, 'config/sync.config.yaml'));
  const so = config.flows['sales-outbound'];
  if (so) config.flows['sales-outbound'] = { ...so, transport: 'both', qimen: { shops: [TMALL_SHOP], cursor: 'window', pageSize: 50 }, openweb: { shops: 'others' } };
  const file = path.join(logDir, 'sync.config.qimen.json');
  mkdirSync(logDir, { recursive: true });
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

const ports = { api: Number(process.env.API_PORT ?? 8700), jst: Number(process.env.JST_SIM_PORT ?? 8701), kingdee: Number(process.env.KINGDEE_SIM_PORT ?? 8702) };
const prefix = process.env.QUEUE_PREFIX ?? 'sync-demo';
const apiToken = process.env.API_TOKEN ?? 'demo-api-token-0123';
const basic = { user: process.env.API_BASIC_USER ?? 'admin', password: process.env.API_BASIC_PASSWORD ?? 'demo-password' };

function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs / 1000} s (see ${logDir})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function start(name: string, args: string[], env: Record<string, string>): void {
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'w' });
  // Own process group: Ctrl-C reaches only this script, which stops the children in order.
  const proc = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  proc.stdout?.pipe(log);
  proc.stderr?.pipe(log);
  proc.on('exit', (code, signal) => {
    if (!stopping) console.error(`!! ${name} exited (${signal ?? code}); see .demo/${name}.log`);
  });
  children.push({ name, proc });
}

async function ensureRedis(): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  if (await portAnswers(6379)) return 'redis://127.0.0.1:6379';
  const proc = spawn('redis-server', ['--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const failed = await new Promise<boolean>((resolve) => {
    proc.once('error', () => resolve(true));
    setTimeout(() => resolve(false), 300);
  });
  if (failed) {
    throw new Error('No Redis: REDIS_URL is unset, nothing answers on 127.0.0.1:6379 and redis-server is not installed. Install it (apt-get install redis-server) or set REDIS_URL.');
  }
  children.push({ name: 'redis', proc });
  await waitFor('redis-server', () => portAnswers(6379));
  return 'redis://127.0.0.1:6379';
}

let stopping = false;
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children.reverse()) c.proc.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
}

async function json(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { headers });
  return res.json();
}

async function main(): Promise<void> {
  mkdirSync(logDir, { recursive: true });
  for (const s of ['services/simulator', 'services/poller', 'services/worker', 'services/api']) {
    if (!existsSync(path.join(root, s, 'dist/main.js'))) throw new Error(`${s}/dist/main.js is missing: run "pnpm exec tsc -b" (scripts/demo.sh does)`);
  }
  const redisUrl = await ensureRedis();
  await clearPrefix(redisUrl, prefix);
  console.log(`Redis ${redisUrl} (key prefix ${prefix}, cleared)`);

  // DEMO_QIMEN=1: the Tmall shop's outbound is served only through 聚水潭·奇门, and sales-outbound reads both APIs.
  const qimen = process.env.DEMO_QIMEN === '1';
  start('simulator', ['services/simulator/dist/main.js'], {
    JST_SIM_PORT: String(ports.jst), KINGDEE_SIM_PORT: String(ports.kingdee), SIM_SEED_DOCS: process.env.SIM_SEED_DOCS ?? '300',
    SIM_LIVE_EVERY_MS: process.env.SIM_LIVE_EVERY_MS ?? '3000',
    ...(qimen ? { SIM_QIMEN_SHOPS: `${TMALL_SHOP}=qimen` } : {}),
  });
  await waitFor('simulators', async () => (await portAnswers(ports.jst)) && (await portAnswers(ports.kingdee)));

  // The services talk to the simulators with the demo credentials (both Kingdee integration users of the demo).
  const common: Record<string, string> = {
    ...simulatorEnv({ redisUrl, prefix, jstUrl: `http://127.0.0.1:${ports.jst}`, kdUrl: `http://127.0.0.1:${ports.kingdee}/k3cloud/`, qimen }),
    SYNC_CONFIG: qimen ? qimenDemoConfig() : path.join(root, 'config/sync.config.yaml'), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    API_PORT: String(ports.api), API_HOST: '127.0.0.1', API_TOKEN: apiToken, API_BASIC_USER: basic.user, API_BASIC_PASSWORD: basic.password,
  };
  start('worker', ['services/worker/dist/main.js'], common);
  start('poller', ['services/poller/dist/main.js'], common);
  start('api', ['services/api/dist/main.js'], common);
  await waitFor('API', async () => (await fetch(`http://127.0.0.1:${ports.api}/health`).catch(() => undefined))?.ok === true);

  console.log(`
Everything is up. Logs: .demo/*.log
  Bull Board      http://127.0.0.1:${ports.api}/admin/queues   (user ${basic.user}, password ${basic.password})
  对账 page       http://127.0.0.1:${ports.api}/reconcile      (same login; yesterday is reconciled every minute)
  Flow status     curl -H 'Authorization: Bearer ${apiToken}' http://127.0.0.1:${ports.api}/flows
  Dead letters    curl -H 'Authorization: Bearer ${apiToken}' http://127.0.0.1:${ports.api}/dead-letters
  Preflight       API_TOKEN=${apiToken} API_URL=http://127.0.0.1:${ports.api} node services/cli/dist/main.js doctor   (finds the demo's planted gaps)
  Kingdee (sim)   http://127.0.0.1:${ports.kingdee}/__admin/documents/SAL_OUTSTOCK
  JST (sim)       http://127.0.0.1:${ports.jst}/__admin/stats
Ctrl-C stops everything.
`);
  const auth = { authorization: `Bearer ${apiToken}` };
  setInterval(() => {
    void (async () => {
      const docs = (await json(`http://127.0.0.1:${ports.kingdee}/__admin/documents/SAL_OUTSTOCK`).catch(() => [])) as unknown[];
      const dead: unknown = await json(`http://127.0.0.1:${ports.api}/dead-letters`, auth).catch(() => ({}));
      const n = Array.isArray(docs) ? docs.length : Array.isArray((docs as { documents?: unknown[] }).documents) ? (docs as { documents: unknown[] }).documents.length : '?';
      const d = Array.isArray((dead as { deadLetters?: unknown[] }).deadLetters) ? (dead as { deadLetters: unknown[] }).deadLetters.length : '?';
      console.log(`${new Date().toISOString().slice(11, 19)}  Kingdee holds ${n} 销售出库单; dead letters: ${d}`);
    })();
  }, 5000).unref();
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
main().catch((e: Error) => {
  console.error(e.message);
  stopAll(1);
});
setInterval(() => {}, 1 << 30);
