/**
 * The unit project's guard (jest-unit-guard.ts) makes the classification checkable: a "unit" test that opens a
 * connection or listens on a port fails, naming the fix; a pure one passes. Runs Jest on fixture files with the
 * unit project's own settings.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const jestConfig = require(path.join(root, 'jest.config.js')) as { projects: { displayName: string; testMatch: string[] }[] };

describe('the unit project refuses tests that need a server or Redis', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'unit-guard-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function runFixture(name: string): { status: number | null; output: string } {
    const unit = jestConfig.projects.find((p) => p.displayName === 'unit')!;
    const config = path.join(dir, `${name}.config.json`);
    writeFileSync(config, JSON.stringify({ ...unit, testMatch: [`<rootDir>/packages/testing/src/fixtures/${name}.unit-fixture.ts`] }));
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules/jest/bin/jest.js'), '--config', config, '--ci'], {
      cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, REDIS_URL: '' },
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  }

  it.each([
    ['touches-redis', 'a unit test may not open a connection (to 127.0.0.1:6379)'],
    ['listens', 'a unit test may not listen on a port'],
  ])('%s: fails, naming the fix', (name, message) => {
    const r = runFixture(name);
    expect(r.status).toBe(1);
    expect(r.output).toContain(message);
    expect(r.output).toContain('name it *.int.test.ts');
  });

  it('a pure test passes under the guard', () => {
    const r = runFixture('pure');
    expect(r.output).toContain('1 passed');
    expect(r.status).toBe(0);
  });
});
