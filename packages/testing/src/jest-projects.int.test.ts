/**
 * Every test file of the repository belongs to exactly one Jest project (jest.config.js): a file no project matches
 * would never run, a file two match would run twice.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const PROJECTS = ['unit', 'integration', 'e2e', 'reliability', 'long'];

function listTests(project: string): string[] {
  const out = execFileSync(process.execPath, [path.join(root, 'node_modules/jest/bin/jest.js'), '--selectProjects', project, '--listTests', '--json'], {
    cwd: root, encoding: 'utf8', env: { ...process.env, TEST_LONG: '1' }, stdio: ['ignore', 'pipe', 'ignore'],
  });
  return (JSON.parse(out) as string[]).map((f) => path.relative(root, f));
}

describe('Jest projects', () => {
  it('each test file of the repository runs in exactly one project', () => {
    const tracked = execFileSync('git', ['ls-files', '*.test.ts'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    const owners = new Map<string, string[]>();
    for (const project of PROJECTS) for (const file of listTests(project)) owners.set(file, [...(owners.get(file) ?? []), project]);
    const unowned = tracked.filter((f) => !owners.has(f));
    const shared = [...owners].filter(([, ps]) => ps.length > 1).map(([f, ps]) => `${f}: ${ps.join(', ')}`);
    expect(unowned).toEqual([]);
    expect(shared).toEqual([]);
    expect(owners.get('test/reliability/long/kingdee-outage.test.ts')).toEqual(['long']);
    expect(owners.get('packages/testing/src/jest-projects.int.test.ts')).toEqual(['integration']);
  });
});
