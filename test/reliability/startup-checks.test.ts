/**
 * Start-up checks of the built services (`node services/<name>/dist/main.js`; `tsc -b` builds them, as
 * scripts/test.sh does first):
 * - a missing secret (env or `*_FILE`) stops the service with exit code 1 and one plain line naming the variable,
 *   no stack trace;
 * - a Redis whose maxmemory-policy is not `noeviction` is reported loudly by checkRedis and by every service
 *   that uses Redis (poller, worker, API) at start.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@sync/logger';
import { checkRedis, createRedis } from '@sync/queue';
import { demoCredentials } from '@sync/simulator';
import { clearPrefix, spawnRedis, testRedisUrl, uniquePrefix } from '@sync/testing';
import { LogCapture } from '../support/system';

const root = path.resolve(__dirname, '../..');
type Service = 'poller' | 'worker' | 'api';

function baseEnv(redisUrl: string, prefix: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    SYNC_CONFIG: path.join(root, 'config/sync.config.yaml'),
    LOG_LEVEL: 'info',
    JST_BASE_URL: 'http://127.0.0.1:9',
    JST_APP_KEY: demoCredentials.jst.appKey,
    JST_APP_SECRET: demoCredentials.jst.appSecret,
    JST_ACCESS_TOKEN: demoCredentials.jst.accessToken,
    KINGDEE_BASE_URL: 'http://127.0.0.1:9/k3cloud/',
    KINGDEE_AUTH: 'password',
    KINGDEE_ACCT_ID: demoCredentials.kingdee.acctId,
    KINGDEE_USERNAME: 'integration',
    KINGDEE_PASSWORD: 'demo-kd-password-1',
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    API_TOKEN: 'startup-check-token-123',
    SHUTDOWN_TIMEOUT_MS: '2000',
  };
}

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs a built main until it exits (or `until` sees its output, then SIGTERM). Kills it after `timeoutMs`. */
function runMain(service: Service, env: Record<string, string>, opts: { until?: (out: string) => boolean; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'services', service, 'dist/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const check = () => {
      if (!signalled && opts.until?.(stdout + stderr)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', (d: Buffer) => { stdout += String(d); check(); });
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); check(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('missing secrets stop a service with a clear message', () => {
  const prefix = uniquePrefix('startup');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'startup-'));
  const missingFile = path.join(dir, 'no-such-secret');
  const secretFile = path.join(dir, 'jst_app_secret');
  writeFileSync(secretFile, `${demoCredentials.jst.appSecret}\n`);

  const without = (env: Record<string, string>, ...names: string[]) => {
    const out = { ...env };
    for (const n of names) delete out[n];
    return out;
  };
  const cases: [string, Service, (e: Record<string, string>) => Record<string, string>, string][] = [
    ['poller without JST_APP_SECRET', 'poller', (e) => without(e, 'JST_APP_SECRET'), 'JST_APP_SECRET'],
    ['poller with an empty JST_APP_KEY', 'poller', (e) => ({ ...e, JST_APP_KEY: '' }), 'JST_APP_KEY'],
    ['poller whose JST_APP_SECRET_FILE does not exist', 'poller', (e) => ({ ...without(e, 'JST_APP_SECRET'), JST_APP_SECRET_FILE: missingFile }), 'JST_APP_SECRET_FILE'],
    ['worker without KINGDEE_PASSWORD', 'worker', (e) => without(e, 'KINGDEE_PASSWORD'), 'KINGDEE_PASSWORD'],
    ['worker without KINGDEE_ACCT_ID', 'worker', (e) => without(e, 'KINGDEE_ACCT_ID'), 'KINGDEE_ACCT_ID'],
    ['worker with KINGDEE_AUTH=appsecret and no KINGDEE_APP_SECRET', 'worker', (e) => ({ ...e, KINGDEE_AUTH: 'appsecret', KINGDEE_APP_ID: demoCredentials.kingdee.appId }), 'KINGDEE_APP_SECRET'],
    ['worker whose KINGDEE_PASSWORD_FILE does not exist', 'worker', (e) => ({ ...without(e, 'KINGDEE_PASSWORD'), KINGDEE_PASSWORD_FILE: missingFile }), 'KINGDEE_PASSWORD_FILE'],
    ['api without any credential', 'api', (e) => without(e, 'API_TOKEN'), 'API_TOKEN'],
  ];

  it.each(cases)('%s', async (_name, service, change, variable) => {
    const run = await runMain(service, change(baseEnv(testRedisUrl(), prefix)));
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(variable);
    expect(run.stderr + run.stdout).not.toMatch(/\n\s+at /); // no stack trace
    for (const secret of [demoCredentials.jst.appSecret, demoCredentials.kingdee.users[0].password]) {
      expect(run.stderr + run.stdout).not.toContain(secret);
    }
  }, 30_000);

  it('accepts the secret from JST_APP_SECRET_FILE instead of the variable (the poller gets past its checks)', async () => {
    const env = { ...without(baseEnv(testRedisUrl(), prefix), 'JST_APP_SECRET'), JST_APP_SECRET_FILE: secretFile };
    const run = await runMain('poller', env, { until: (out) => out.includes('poller started') });
    expect(run.stdout).toContain('poller started');
    expect(run.stderr).not.toContain('JST_APP_SECRET');
    expect(run.stdout + run.stderr).not.toContain(demoCredentials.jst.appSecret);
  }, 30_000);

  afterAll(async () => {
    await clearPrefix(testRedisUrl(), prefix);
  });
});

describe('Redis eviction policy checked at start-up', () => {
  let lru: Awaited<ReturnType<typeof spawnRedis>>;
  beforeAll(async () => {
    lru = await spawnRedis(['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru']);
  });
  afterAll(async () => {
    await lru?.stop();
  });

  it('checkRedis reports allkeys-lru loudly (error level) and says what it must be', async () => {
    const capture = new LogCapture();
    const redis = createRedis(lru.url, { role: 'worker' });
    try {
      const result = await checkRedis(redis, createLogger({ name: 'check', destination: capture.stream }));
      expect(result).toMatchObject({ ok: false, maxmemoryPolicy: 'allkeys-lru' });
      const lines = capture.lines.map((l) => JSON.parse(l) as { level: number; msg: string });
      const loud = lines.filter((l) => l.level >= 50);
      expect(loud).toHaveLength(1);
      expect(loud[0].msg).toContain('allkeys-lru');
      expect(loud[0].msg).toContain('noeviction');
    } finally {
      await redis.quit();
    }
  });

  it('checkRedis is quiet on a noeviction server', async () => {
    const capture = new LogCapture();
    const redis = createRedis(testRedisUrl(), { role: 'worker' });
    try {
      expect(await checkRedis(redis, createLogger({ name: 'check', destination: capture.stream }))).toMatchObject({ ok: true, maxmemoryPolicy: 'noeviction' });
      expect(capture.lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 40)).toEqual([]);
    } finally {
      await redis.quit();
    }
  });

  it.each(['poller', 'worker', 'api'] as Service[])('the %s warns at start when the policy is allkeys-lru', async (service) => {
    const prefix = uniquePrefix(`lru-${service}`);
    const run = await runMain(service, baseEnv(lru.url, prefix), { until: (out) => /maxmemory-policy is \\?"allkeys-lru/.test(out) });
    const warning = (run.stdout + run.stderr).split('\n').find((l) => l.includes('maxmemory-policy is'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!)).toMatchObject({ level: 50, maxmemoryPolicy: 'allkeys-lru' });
  }, 30_000);
});
