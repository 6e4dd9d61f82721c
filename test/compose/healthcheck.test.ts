/**
 * The container health probe that the Dockerfile writes to /app/docker-healthcheck.cjs, run for real
 * with node against the test Redis, fake Redis servers, an HTTP server and closed ports.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heredocBody, parseDockerfile, readRepoFile } from './deployment-files';

const dockerfile = parseDockerfile(readRepoFile('Dockerfile'));
const runtime = dockerfile.stages[dockerfile.stages.length - 1];
const script = heredocBody(runtime, '/app/docker-healthcheck.cjs');

let dir: string;
let scriptPath: string;
const servers: (net.Server | http.Server)[] = [];

beforeAll(() => {
  if (!script) throw new Error('Dockerfile writes no /app/docker-healthcheck.cjs in its last stage');
  dir = mkdtempSync(join(tmpdir(), 'healthcheck-test-'));
  scriptPath = join(dir, 'docker-healthcheck.cjs');
  writeFileSync(scriptPath, script);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface ProbeResult {
  code: number;
  out: string;
}

/** Runs the probe with only the given environment (plus PATH); resolves with its exit code and output. */
function probe(args: string[], env: Record<string, string>): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [scriptPath, ...args],
      { env: { PATH: process.env.PATH ?? '', HEALTHCHECK_TIMEOUT_MS: '2000', ...env }, timeout: 15_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

function listen<T extends net.Server | http.Server>(server: T): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  const port = await new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port)));
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A fake Redis that answers each received command line-set with `reply(received)`. */
function fakeRedis(reply: (received: string) => string | undefined): net.Server {
  return net.createServer((socket) => {
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const answer = reply(received);
      if (answer !== undefined) socket.write(answer);
    });
    socket.on('error', () => undefined);
  });
}

describe('docker-healthcheck.cjs redis', () => {
  it('is healthy when the real Redis answers PING', async () => {
    const url = process.env.REDIS_URL;
    expect(url).toBeTruthy();
    const r = await probe(['redis'], { REDIS_URL: url as string });
    expect(r).toEqual({ code: 0, out: expect.stringMatching(/^healthy: redis /) });
  });

  it('reads the URL from REDIS_URL_FILE like the services do', async () => {
    const file = join(dir, 'redis_url');
    writeFileSync(file, `${process.env.REDIS_URL}\n`);
    const r = await probe(['redis'], { REDIS_URL: 'redis://127.0.0.1:1', REDIS_URL_FILE: file });
    expect(r.code).toBe(0);
  });

  it('is unhealthy when nothing listens', async () => {
    const port = await closedPort();
    const r = await probe(['redis'], { REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/unhealthy: redis 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  it('authenticates with the URL credentials and is unhealthy when Redis refuses them', async () => {
    const port = await listen(
      fakeRedis((received) => {
        const lines = received.split('\r\n');
        if (!received.includes('PING\r\n')) return undefined;
        const authed = lines.includes('AUTH') && lines.includes('sync-user') && lines.includes('p@ss:w/rd');
        return authed ? '+OK\r\n+PONG\r\n' : '-WRONGPASS invalid username-password pair\r\n-NOAUTH Authentication required.\r\n';
      }),
    );
    const good = await probe(['redis'], { REDIS_URL: `redis://sync-user:${encodeURIComponent('p@ss:w/rd')}@127.0.0.1:${port}/0` });
    expect(good).toEqual({ code: 0, out: expect.stringContaining('healthy') });
    const bad = await probe(['redis'], { REDIS_URL: `redis://sync-user:wrong@127.0.0.1:${port}` });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/NOAUTH.*WRONGPASS/);
    expect(bad.out).not.toContain('wrong@'); // never prints the password
  });

  it('is unhealthy while Redis is still loading its data', async () => {
    const port = await listen(fakeRedis(() => '-LOADING Redis is loading the dataset in memory\r\n'));
    const r = await probe(['redis'], { REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.out).toContain('LOADING');
  });
});

describe('docker-healthcheck.cjs api', () => {
  it('follows the status of GET /health on API_PORT', async () => {
    let status = 200;
    const paths: string[] = [];
    const port = await listen(
      http.createServer((req, res) => {
        paths.push(req.url ?? '');
        res.writeHead(req.url === '/health' ? status : 404, { 'content-type': 'application/json' });
        res.end('{}');
      }),
    );
    expect((await probe(['api'], { API_PORT: String(port) })).code).toBe(0);
    status = 503;
    const down = await probe(['api'], { API_PORT: String(port) });
    expect(down).toEqual({ code: 1, out: expect.stringContaining('answered 503') });
    expect(paths).toEqual(['/health', '/health']);
  });

  it('is unhealthy when the API does not listen', async () => {
    const r = await probe(['api'], { API_PORT: String(await closedPort()) });
    expect(r.code).toBe(1);
  });
});

describe('docker-healthcheck.cjs tcp', () => {
  it('is healthy only when every address accepts a connection', async () => {
    const a = await listen(net.createServer((s) => s.destroy()));
    const b = await listen(net.createServer((s) => s.destroy()));
    expect((await probe(['tcp', `127.0.0.1:${a}`, `127.0.0.1:${b}`], {})).code).toBe(0);
    const closed = await closedPort();
    const r = await probe(['tcp', `127.0.0.1:${a}`, `127.0.0.1:${closed}`], {});
    expect(r.code).toBe(1);
    expect(r.out).toContain(`127.0.0.1:${closed}`);
  });

  it('rejects a call without addresses or with an unknown mode', async () => {
    expect((await probe(['tcp'], {})).code).toBe(1);
    expect((await probe(['nope'], {})).out).toMatch(/usage/);
  });
});
