/**
 * The benchmark's own logic (the benchmark itself runs with `pnpm bench`, never in the test suite): its ceiling
 * formula and its refusal of bad scenarios and settings.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ceilingDocsPerSecond, parseArgs } from '../../scripts/bench';

const root = path.resolve(__dirname, '../..');
const realistic = { name: 'realistic' as const, kingdee: { perCallMs: 300, perLineMs: 20, users: 4 }, jst: { perSecond: 5, perMinute: 100 } };

describe('bench ceiling', () => {
  it('is the smaller of JST paging at the quota and every Kingdee user saving BatchSaves of 20 back to back', () => {
    // JST: min(100/60, 5) pages/s × 50 rows = 83.3/s. Kingdee: 4 users × 1000 / (300/20 + 20 × 3) ms = 53.3/s.
    const c = ceilingDocsPerSecond(realistic, 3);
    expect(c.jst).toBeCloseTo(83.33, 2);
    expect(c.kingdee).toBeCloseTo(53.33, 2);
    expect(c.ceiling).toBeCloseTo(53.33, 2);
    // Cheap Kingdee: JST's quota is the limit.
    expect(ceilingDocsPerSecond({ ...realistic, kingdee: { perCallMs: 20, perLineMs: 1, users: 4 } }, 3).ceiling).toBeCloseTo(83.33, 2);
  });

  it('is unbounded without quotas or latency', () => {
    expect(ceilingDocsPerSecond({ name: 'zero-latency', kingdee: { perCallMs: 0, perLineMs: 0, users: 4 }, jst: { perSecond: 0, perMinute: 0 } }, 3).ceiling).toBe(Infinity);
  });
});

describe('bench arguments', () => {
  it('reads scenarios and numbers', () => {
    expect(parseArgs(['--scenario', 'naive', '--naive-docs', '50', '--json'])).toMatchObject({ scenarios: ['naive'], naiveDocs: 50, json: true, docs: 20000 });
    expect(parseArgs(['--scenario', 'all', '--write-batch', '1']).scenarios).toEqual(['realistic', 'zero-latency', 'naive']);
  });

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/bench.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

  it.each([
    [['--scenario', 'fast'], 'unknown scenario "fast": choose realistic, zero-latency, naive or all'],
    [['--docs', '0'], '--docs needs a whole number ≥ 1, got "0"'],
    [['--workers', '1.5'], '--workers needs a whole number ≥ 1, got "1.5"'],
    [['--steady-seconds'], '--steady-seconds needs a whole number ≥ 0, got nothing'],
    [['--turbo'], 'unknown argument "--turbo"'],
  ])('refuses %j with a clear message and exit code 2, starting nothing', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`bench: ${message}`);
    expect(r.stdout).toBe('');
  });
});
