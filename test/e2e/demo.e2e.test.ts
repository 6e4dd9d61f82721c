/**
 * The demo command's topology as real processes: scripts/demo.ts starts the simulators and the built
 * poller, worker and API (`node services/<name>/dist/main.js`); documents must reach the Kingdee simulator.
 * Needs `tsc -b` first (scripts/test.sh does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { clearPrefix, freePort, testRedisUrl, uniquePrefix, within } from '@sync/testing';

const root = path.resolve(__dirname, '../..');

describe('demo command (processes)', () => {
  const prefix = uniquePrefix('demo');
  let child: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const gone = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGINT');
      await within(gone, 10000, undefined);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    child?.stdout?.destroy();
    child?.stderr?.destroy();
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('brings everything up and documents flow into Kingdee; Ctrl-C stops it all', async () => {
    const ports = { api: await freePort(), jst: await freePort(), kingdee: await freePort() };
    child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/demo.ts'], {
      cwd: root,
      env: {
        ...process.env, REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, API_PORT: String(ports.api),
        JST_SIM_PORT: String(ports.jst), KINGDEE_SIM_PORT: String(ports.kingdee), SIM_SEED_DOCS: '40', LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

    const deadline = Date.now() + 60000;
    let written = 0;
    while (Date.now() < deadline && (written === 0 || !output.includes('Everything is up'))) {
      await new Promise((r) => setTimeout(r, 500));
      if (child.exitCode !== null) throw new Error(`demo exited early:\n${output}`);
      const res = await fetch(`http://127.0.0.1:${ports.kingdee}/__admin/documents/SAL_OUTSTOCK`).catch(() => undefined);
      if (res?.ok) {
        const body = (await res.json()) as unknown;
        written = Array.isArray(body) ? body.length : ((body as { documents?: unknown[] }).documents?.length ?? 0);
      }
    }
    expect(output).toContain('Everything is up');
    expect(written).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${ports.api}/health`);
    expect(health.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${ports.api}/admin/queues`)).status).toBe(401);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    // The services are gone: the API no longer answers.
    await new Promise((r) => setTimeout(r, 1000));
    const after = await fetch(`http://127.0.0.1:${ports.api}/health`).catch(() => undefined);
    expect(after).toBeUndefined();
  }, 90000);
});
