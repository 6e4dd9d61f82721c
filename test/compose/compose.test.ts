/**
 * docker-compose.yml and .env.example, validated without a Docker engine: `docker-compose config`
 * must accept them (default profile and `demo`), and the resolved file must keep the deployment
 * rules (Redis persistence and noeviction, one image for every service, entry points the build
 * produces, worker groups, demo-only simulators, every variable declared, graceful stop, health).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '@sync/config';
import { flowNames, kingdeeSourceFlows } from '@sync/flows';
import { demoCredentials } from '../../services/simulator/src/demo-catalog';
import {
  commandArgs,
  composeConfig,
  composeReferences,
  dependencies,
  durationMs,
  flagValue,
  parseEnvFile,
  readRepoFile,
  repoRoot,
  volumeTargets,
  type ComposeConfig,
  type ComposeService,
} from './deployment-files';

/** BullMQ's default job lock (lockDuration); a worker killed sooner leaves jobs locked until it lapses. */
const BULLMQ_DEFAULT_LOCK_MS = 30_000;
/** Time after SHUTDOWN_TIMEOUT_MS for the process to close Redis and exit before SIGKILL. */
const EXIT_MARGIN_MS = 5_000;

const envExampleText = readRepoFile('.env.example');
const envExample = parseEnvFile(envExampleText);
const composeText = readRepoFile('docker-compose.yml');
const schemaKeys = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

/** The default envSchema applies to a key when it is unset (undefined = optional without default). */
function schemaDefault(key: keyof typeof envSchema.shape): { required: boolean; value: unknown } {
  const parsed = envSchema.shape[key].safeParse(undefined);
  return parsed.success ? { required: false, value: parsed.data } : { required: true, value: undefined };
}

/** The value a service sees for `key`: its compose environment, else (empty or unset) the schema default. */
function effective(service: ComposeService, key: keyof typeof envSchema.shape): unknown {
  const v = service.environment?.[key];
  if (v !== undefined && v !== null && v !== '') return v;
  return schemaDefault(key).value;
}

function entryPoint(service: ComposeService): string | undefined {
  return commandArgs(service).find((a) => /^services\/[^/]+\/dist\/main\.js$/.test(a));
}

function serviceDirOf(service: ComposeService): string | undefined {
  return /^services\/([^/]+)\//.exec(entryPoint(service) ?? '')?.[1];
}

/** Services built from this repository (everything but third-party images such as Redis). */
function appServices(config: ComposeConfig): [string, ComposeService][] {
  return Object.entries(config.services).filter(([, s]) => s.build !== undefined);
}

function isDemo(service: ComposeService): boolean {
  return (service.profiles ?? []).includes('demo');
}

let defaultRun: ComposeConfig;
let demoRun: ComposeConfig;

beforeAll(async () => {
  defaultRun = (await composeConfig(envExampleText)).config;
  demoRun = (await composeConfig(envExampleText, ['demo'])).config;
});

describe('docker-compose config', () => {
  it('validates for the default profile and for --profile demo, with and without a .env', async () => {
    expect(Object.keys(defaultRun.services).length).toBeGreaterThan(0);
    expect(Object.keys(demoRun.services)).toEqual(expect.arrayContaining(Object.keys(defaultRun.services)));
    const bare = await composeConfig('');
    expect(Object.keys(bare.config.services).sort()).toEqual(Object.keys(defaultRun.services).sort());
  });

  it('rejects a broken file (the validation is real)', async () => {
    // An env value that breaks the YAML structure of the port mapping must make config fail.
    await expect(composeConfig(`${envExampleText}\nAPI_PUBLISHED_PORT=not-a-port:x:y:z\n`)).rejects.toThrow(/failed/);
  });
});

describe('redis', () => {
  it('persists with AOF fsync every second, never evicts, has a volume and a healthcheck', () => {
    const redis = defaultRun.services.redis;
    expect(redis).toBeDefined();
    const args = commandArgs(redis);
    expect(args[0]).toBe('redis-server');
    expect(flagValue(args, '--appendonly')).toBe('yes');
    expect(flagValue(args, '--appendfsync')).toBe('everysec');
    expect(flagValue(args, '--maxmemory-policy')).toBe('noeviction');
    expect(volumeTargets(redis)).toContain('/data');
    const named = (redis.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[0] : v.source ?? ''));
    expect(named.some((n) => Object.keys(defaultRun.volumes ?? {}).includes(n))).toBe(true);
    expect(redis.healthcheck?.test).toBeDefined();
    expect(JSON.stringify(redis.healthcheck?.test)).toMatch(/ping/i);
    expect(redis.restart).toMatch(/^(always|unless-stopped)$/);
    expect(redis.ports ?? []).toEqual([]); // not published: only the services reach it
  });
});

describe('application services', () => {
  it('all run the one image built from this repository', () => {
    const apps = appServices(demoRun);
    expect(apps.length).toBeGreaterThanOrEqual(5);
    const [first] = apps;
    for (const [name, s] of apps) {
      expect({ name, image: s.image, build: s.build }).toEqual({ name, image: first[1].image, build: first[1].build });
    }
    expect(first[1].image).toBeTruthy();
  });

  it('each command is `node services/<name>/dist/main.js`, which tsc -b builds from src/main.ts', () => {
    for (const [name, s] of appServices(demoRun)) {
      const entry = entryPoint(s);
      expect({ name, command: commandArgs(s) }).toEqual({ name, command: ['node', entry] });
      const dir = serviceDirOf(s) as string;
      const tsconfig = JSON.parse(readFileSync(join(repoRoot, 'services', dir, 'tsconfig.json'), 'utf8')) as {
        compilerOptions?: { rootDir?: string; outDir?: string };
      };
      expect({ name, rootDir: tsconfig.compilerOptions?.rootDir, outDir: tsconfig.compilerOptions?.outDir }).toEqual({
        name,
        rootDir: 'src',
        outDir: 'dist',
      });
    }
    const missing = appServices(demoRun)
      .map(([name, s]) => ({ name, main: `services/${serviceDirOf(s)}/src/main.ts` }))
      .filter(({ main }) => !existsSync(join(repoRoot, main)));
    expect(missing).toEqual([]);
  });

  it('runs every service of the repository', () => {
    const run = new Set(appServices(demoRun).map(([, s]) => serviceDirOf(s)));
    // A project with a `bin` (sync-cli) is a command-line tool shipped in the image, not a service compose runs.
    const dirs = readdirSync(join(repoRoot, 'services'))
      .filter((d) => existsSync(join(repoRoot, 'services', d, 'package.json')))
      .filter((d) => !(JSON.parse(readFileSync(join(repoRoot, 'services', d, 'package.json'), 'utf8')) as { bin?: unknown }).bin);
    expect([...run].sort()).toEqual(dirs.sort());
  });

  it('restart on failure and wait for a healthy Redis', () => {
    for (const [name, s] of appServices(demoRun)) {
      expect({ name, restart: s.restart }).toEqual({ name, restart: expect.stringMatching(/^(always|unless-stopped|on-failure)/) });
      if (isDemo(s)) continue; // the simulators need no Redis
      expect({ name, redis: dependencies(s).get('redis') }).toEqual({ name, redis: 'service_healthy' });
    }
  });

  it('stop later than SHUTDOWN_TIMEOUT_MS (and workers later than the BullMQ job lock)', () => {
    for (const [name, s] of appServices(demoRun)) {
      if (isDemo(s)) continue;
      const grace = durationMs(s.stop_grace_period ?? '10s'); // 10 s is compose's default
      const shutdown = Number(effective(s, 'SHUTDOWN_TIMEOUT_MS'));
      expect(shutdown).toBeGreaterThan(0);
      expect({ name, grace }).toEqual({ name, grace: expect.any(Number) });
      expect(grace).toBeGreaterThan(shutdown + EXIT_MARGIN_MS);
      if (serviceDirOf(s) === 'worker') expect(grace).toBeGreaterThan(BULLMQ_DEFAULT_LOCK_MS);
    }
  });

  it('have a healthcheck: their own or the image default (Redis answers)', () => {
    const api = appServices(demoRun).find(([, s]) => serviceDirOf(s) === 'api');
    expect(api).toBeDefined();
    expect(JSON.stringify(api?.[1].healthcheck?.test)).toMatch(/docker-healthcheck\.cjs","api"/);
    const sim = appServices(demoRun).find(([, s]) => serviceDirOf(s) === 'simulator');
    expect(JSON.stringify(sim?.[1].healthcheck?.test)).toMatch(/"tcp"/);
  });

  it('mount the config file that SYNC_CONFIG names, and the secrets directory read-only', () => {
    for (const [name, s] of appServices(demoRun)) {
      if (isDemo(s)) continue;
      const path = String(effective(s, 'SYNC_CONFIG'));
      const targets = volumeTargets(s);
      const configMount = targets.find((t) => path.startsWith(t.replace(/\/?$/, '/')));
      expect({ name, path, mounted: configMount !== undefined }).toEqual({ name, path, mounted: true });
      expect(targets).toContain('/run/secrets');
      for (const v of s.volumes ?? []) {
        if (typeof v === 'string' && /^\/(app\/config|run\/secrets)$/.test(v.split(':')[1] ?? '')) expect(v.endsWith(':ro')).toBe(true);
      }
    }
  });

  it('publish the API on the port it listens on', () => {
    const [, api] = appServices(defaultRun).find(([, s]) => serviceDirOf(s) === 'api') ?? [];
    expect(api).toBeDefined();
    const port = Number(effective(api as ComposeService, 'API_PORT'));
    const targets = (api?.ports ?? []).map((p) => (typeof p === 'string' ? Number(p.split(':').pop()) : Number(p.target)));
    expect(targets).toContain(port);
    expect(String(effective(api as ComposeService, 'API_HOST'))).toBe('0.0.0.0');
  });
});

describe('poller and workers', () => {
  it('run one poller', () => {
    const pollers = appServices(defaultRun).filter(([, s]) => serviceDirOf(s) === 'poller');
    expect(pollers).toHaveLength(1);
    expect(pollers[0][1].deploy?.replicas ?? 1).toBe(1);
  });

  it('split workers into groups by WORKER_FLOWS, each with its own replicas', () => {
    const workers = appServices(defaultRun).filter(([, s]) => serviceDirOf(s) === 'worker');
    expect(workers.length).toBeGreaterThanOrEqual(2);
    const flows = workers.map(([, s]) => String(s.environment?.WORKER_FLOWS ?? ''));
    expect(flows.every((f) => f.length > 0)).toBe(true);
    expect(new Set(flows).size).toBe(workers.length);
    for (const [name, s] of workers) {
      expect({ name, replicas: s.deploy?.replicas }).toEqual({ name, replicas: expect.any(Number) });
      expect(s.deploy?.replicas).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('the runbooks name only flows that exist', () => {
  const known = new Set<string>([...flowNames, ...Object.keys(kingdeeSourceFlows), 'all']);
  it.each(['docs/deployment.md', 'README.md', 'docker-compose.yml', '.env.example'])('%s: every WORKER_FLOWS list', (file) => {
    // `WORKER_FLOWS: a,b`, `WORKER_FLOWS=a`, and compose's `WORKER_FLOWS: ${VAR:-a,b}` (its default).
    const lists = [...readRepoFile(file).matchAll(/WORKER_FLOWS[:=]\s*`?(?:\$\{\w+:-)?([\w,-]+)/g)].map((m) => m[1]);
    expect(lists.length).toBeGreaterThan(0);
    const unknown = lists.flatMap((l) => l.split(',')).map((f) => f.replace(/^-/, '')).filter((f) => f && !known.has(f));
    expect(unknown).toEqual([]);
  });
});

describe('demo profile', () => {
  it('holds the simulators and nothing else; nothing outside it depends on them', () => {
    const demo = Object.entries(demoRun.services).filter(([, s]) => isDemo(s));
    expect(demo.map(([, s]) => serviceDirOf(s))).toEqual(['simulator']);
    for (const [name, s] of Object.entries(demoRun.services)) {
      if (isDemo(s)) continue;
      expect({ name, profiles: s.profiles ?? [] }).toEqual({ name, profiles: [] });
      for (const dep of dependencies(s).keys()) {
        expect({ name, dep, demo: isDemo(demoRun.services[dep]) }).toEqual({ name, dep, demo: false });
      }
    }
  });

  it('points the clients at the simulators with the demo credentials', () => {
    const [simName, sim] = Object.entries(demoRun.services).find(([, s]) => serviceDirOf(s) === 'simulator') ?? [];
    expect(sim?.environment?.SIM_HOST).toBe('0.0.0.0');
    const poller = appServices(demoRun).find(([, s]) => serviceDirOf(s) === 'poller')?.[1] as ComposeService;
    const worker = appServices(demoRun).find(([, s]) => serviceDirOf(s) === 'worker')?.[1] as ComposeService;
    const jst = new URL(String(effective(poller, 'JST_BASE_URL')));
    expect([jst.hostname, jst.port]).toEqual([simName, String(sim?.environment?.JST_SIM_PORT)]);
    const kd = new URL(String(effective(worker, 'KINGDEE_BASE_URL')));
    expect([kd.hostname, kd.port, kd.pathname]).toEqual([simName, String(sim?.environment?.KINGDEE_SIM_PORT), '/k3cloud/']);
    expect(poller.environment).toMatchObject({
      JST_APP_KEY: demoCredentials.jst.appKey,
      JST_APP_SECRET: demoCredentials.jst.appSecret,
      JST_ACCESS_TOKEN: demoCredentials.jst.accessToken,
    });
    expect(worker.environment?.KINGDEE_ACCT_ID).toBe(demoCredentials.kingdee.acctId);
    const user = demoCredentials.kingdee.users.find((u) => u.username === worker.environment?.KINGDEE_USERNAME);
    expect(worker.environment?.KINGDEE_PASSWORD).toBe(user?.password);
  });
});

describe('environment variables', () => {
  it('.env.example lists every variable the services read', () => {
    const listed = new Set(envExample.map((l) => l.name));
    expect(schemaKeys.filter((k) => !listed.has(k))).toEqual([]);
  });

  it('every variable without a default reaches the services through compose', () => {
    const passed = new Set(appServices(defaultRun).flatMap(([, s]) => Object.keys(s.environment ?? {})));
    const withoutDefault = schemaKeys.filter((k) => schemaDefault(k).value === undefined);
    expect(withoutDefault.length).toBeGreaterThan(0);
    expect(withoutDefault.filter((k) => !passed.has(k))).toEqual([]);
  });

  it('compose passes only variables the code reads (no typos), secrets also as NAME_FILE', () => {
    const known = new Set<string>(schemaKeys);
    // NODE_OPTIONS: Node's own, lifting the image's heap cap for the in-memory simulators.
    const simulatorOnly = new Set(['SIM_HOST', 'JST_SIM_PORT', 'KINGDEE_SIM_PORT', 'LOG_LEVEL', 'NODE_OPTIONS']);
    for (const [name, s] of appServices(defaultRun)) {
      for (const key of Object.keys(s.environment ?? {})) {
        const ok = isDemo(s) ? simulatorOnly.has(key) : known.has(key) || (key.endsWith('_FILE') && known.has(key.slice(0, -5)));
        expect({ name, key, ok }).toEqual({ name, key, ok: true });
      }
    }
    const passed = new Set(appServices(defaultRun).flatMap(([, s]) => Object.keys(s.environment ?? {})));
    const secrets = schemaKeys.filter((k) => /SECRET|PASSWORD|TOKEN/.test(k));
    expect(secrets.length).toBeGreaterThan(0);
    expect(secrets.filter((k) => !passed.has(`${k}_FILE`))).toEqual([]);
  });

  it('every variable in .env.example is used by compose', () => {
    const refs = composeReferences(composeText);
    const envKeys = new Set(appServices(defaultRun).flatMap(([, s]) => Object.keys(s.environment ?? {})));
    const unused = envExample
      .map((l) => l.name)
      .filter((n) => !n.startsWith('COMPOSE_') && !refs.has(n) && !envKeys.has(n));
    expect(unused).toEqual([]);
  });

  it('commented lines of .env.example show the value that applies (compose default, else the code default)', () => {
    const refs = composeReferences(composeText);
    for (const line of envExample.filter((l) => l.commented && !l.name.startsWith('COMPOSE_'))) {
      if (line.name.endsWith('_FILE')) {
        expect({ name: line.name, value: line.value }).toEqual({ name: line.name, value: expect.stringMatching(/^\/run\/secrets\/\w+$/) });
        continue;
      }
      const composeDefault = refs.get(line.name);
      const fromSchema = line.name in envSchema.shape ? schemaDefault(line.name as keyof typeof envSchema.shape).value : undefined;
      const expected = composeDefault ? composeDefault : fromSchema === undefined ? '' : String(fromSchema);
      expect({ name: line.name, value: line.value }).toEqual({ name: line.name, value: expected });
    }
  });

  it('the example values are valid for the env schema of every service', () => {
    for (const [name, s] of appServices(defaultRun)) {
      if (isDemo(s)) continue;
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.environment ?? {})) if (v !== null && v !== '' && !k.endsWith('_FILE')) env[k] = String(v);
      const parsed = envSchema.safeParse(env);
      expect({ name, issues: parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.')) }).toEqual({ name, issues: [] });
    }
  });
});
