/**
 * The benchmark's own logic (the benchmark itself runs with `pnpm bench`, never in the test suite): its ceiling
 * formula and its refusal of bad scenarios and settings.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ceilingDocsPerSecond, checkTargets, imageNodeOptions, parseArgs, type Result } from '../../scripts/bench';

const root = path.resolve(__dirname, '../..');
const realistic = { name: 'realistic' as const, kingdee: { perCallMs: 300, perLineMs: 20, users: 4 }, jst: { perSecond: 5, perMinute: 100 } };

describe('bench ceiling', () => {
  it('is the smaller of JST paging at the quota and every Kingdee user writing batches of 20 back to back (auto-audit: one BatchSave a batch)', () => {
    // JST: min(100/60, 5) pages/s × 50 rows = 83.3/s. Kingdee: 4 users × 1000 / (300/20 + 20 × 3) ms = 53.3/s.
    const c = ceilingDocsPerSecond(realistic, 3, 'auto-audit');
    expect(c.jst).toBeCloseTo(83.33, 2);
    expect(c.kingdee).toBeCloseTo(53.33, 2);
    expect(c.ceiling).toBeCloseTo(53.33, 2);
    // Cheap Kingdee: JST's quota is the limit.
    expect(ceilingDocsPerSecond({ ...realistic, kingdee: { perCallMs: 20, perLineMs: 1, users: 4 } }, 3).ceiling).toBeCloseTo(83.33, 2);
  });

  it('staged (the default): BatchSave, Submit and Audit each pay the per-call latency, the lines once', () => {
    // 4 users × 1000 / (3 × 300/20 + 20 × 3) ms = 4000 / 105 = 38.1/s.
    expect(ceilingDocsPerSecond(realistic, 3).kingdee).toBeCloseTo(38.1, 1);
    expect(ceilingDocsPerSecond(realistic, 3, 'staged').ceiling).toBeCloseTo(38.1, 1);
  });

  it('is unbounded without quotas or latency', () => {
    expect(ceilingDocsPerSecond({ name: 'zero-latency', kingdee: { perCallMs: 0, perLineMs: 0, users: 4 }, jst: { perSecond: 0, perMinute: 0 } }, 3).ceiling).toBe(Infinity);
  });
});

describe('bench arguments', () => {
  it('reads scenarios and numbers', () => {
    expect(parseArgs(['--scenario', 'naive', '--naive-docs', '50', '--json'])).toMatchObject({ scenarios: ['naive'], naiveDocs: 50, json: true, docs: 20000 });
    expect(parseArgs(['--scenario', 'all', '--write-batch', '1']).scenarios).toEqual(['realistic', 'zero-latency', 'naive']);
    expect(parseArgs([]).writeMode).toBe('staged');
    expect(parseArgs(['--write-mode', 'auto-audit']).writeMode).toBe('auto-audit');
  });

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/bench.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

  it.each([
    [['--scenario', 'fast'], 'unknown scenario "fast": choose realistic, zero-latency, naive or all'],
    [['--docs', '0'], '--docs needs a whole number ≥ 1, got "0"'],
    [['--workers', '1.5'], '--workers needs a whole number ≥ 1, got "1.5"'],
    [['--steady-seconds'], '--steady-seconds needs a whole number ≥ 0, got nothing'],
    [['--turbo'], 'unknown argument "--turbo"'],
    [['--write-mode', 'yolo'], 'unknown write mode "yolo": choose staged or auto-audit'],
  ])('refuses %j with a clear message and exit code 2, starting nothing', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`bench: ${message}`);
    expect(r.stdout).toBe('');
  });
});

describe('bench targets', () => {
  const result = (over: Partial<Result>): Result => ({
    scenario: 'realistic', write_batch: 20, write_mode: 'staged', docs: 20000, seconds: 400, docs_per_s: 48, ceiling_docs_per_s: 50, default_ceiling_docs_per_s: 50,
    mean_lines: 3, ratio_to_ceiling: 0.96, cpu_ms_per_doc: 1.2,
    lag_p50_s: 1, lag_p95_s: 2, rss_mb: { simulator: 900, worker: 150, poller: 140 }, redis_used_mb: { after_backfill: 50, end: 50.5 },
    rate_limit_errors: 0, failed_jobs: 0, duplicates: 0, missing: 0, steady_docs: 720, ...over,
  });
  const missed = (rs: Result[]) => checkTargets(rs).filter((t) => !t.ok).map((t) => t.target);

  it('passes a run that meets every target (the simulator is not one of our services)', () => {
    expect(missed([result({}), result({ scenario: 'zero-latency', docs_per_s: 1400, ceiling_docs_per_s: null, ratio_to_ceiling: 0 }), result({ scenario: 'naive', docs_per_s: 1.5, steady_docs: 0, rss_mb: {} })])).toEqual([]);
  });

  it('names each missed target', () => {
    expect(missed([result({ docs_per_s: 40 })])).toEqual(['realistic: ≥ 90 % of the ceiling of the default (staged) write mode']);
    // auto-audit has a higher ceiling of its own; the bar stays the staged one.
    expect(missed([result({ write_mode: 'auto-audit', docs_per_s: 46, ceiling_docs_per_s: 70, ratio_to_ceiling: 0.66 })])).toEqual([]);
    expect(missed([result({ rate_limit_errors: 2 })])).toEqual(['realistic: 0 rate-limit answers (199/200)']);
    expect(missed([result({ failed_jobs: 1 })])).toEqual(['realistic: no failed job']);
    expect(missed([result({ scenario: 'naive', docs_per_s: 1.5, steady_docs: 0, rss_mb: {}, rate_limit_errors: 1 })])).toEqual(['naive: 0 rate-limit answers (199/200)']);
    expect(missed([result({ scenario: 'zero-latency', docs_per_s: 1400, ceiling_docs_per_s: null, ratio_to_ceiling: 0, rate_limit_errors: 1 })])).toEqual(['zero-latency: 0 rate-limit answers (199/200)']);
    expect(missed([result({ scenario: 'zero-latency', docs_per_s: 900 })])).toEqual(['zero-latency: ≥ 1,000 documents/s']);
    expect(missed([result({}), result({ scenario: 'naive', docs_per_s: 3, steady_docs: 0 })])).toEqual(['realistic ≥ 20 × naive']);
    expect(missed([result({ lag_p95_s: 6.5 })])).toEqual(['realistic: freshness p95 ≤ 6 s at half load']);
    expect(missed([result({ redis_used_mb: { after_backfill: 50, end: 60 } })])).toEqual(['realistic: Redis flat after the backfill (≤ 1024 B per new document)']);
    expect(missed([result({ rss_mb: { simulator: 100, worker: 201, poller: 100 } })])).toEqual(['realistic: ≤ 200 MB resident per service']);
    expect(missed([result({ missing: 1 })])).toEqual(['realistic: no duplicate, nothing missing']);
  });
});

describe('bench services', () => {
  it('run with the Node options of the image (its heap cap), read from the Dockerfile', () => {
    expect(imageNodeOptions()).toMatch(/--max-old-space-size=\d+/);
    expect(imageNodeOptions('FROM x\nENV NODE_ENV=production \\\n    NODE_OPTIONS="--a --b=1"\n')).toBe('--a --b=1');
    expect(() => imageNodeOptions('FROM x\n')).toThrow('the Dockerfile sets no NODE_OPTIONS for the services');
  });
});
