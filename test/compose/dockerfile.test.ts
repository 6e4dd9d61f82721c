/**
 * The Dockerfile and .dockerignore, checked as text (no Docker engine here): multi-stage, the pinned
 * toolchain, a production-only dependency tree covering every service, a non-root runtime with a
 * healthcheck, and a build context that carries the build inputs but no secrets or local output.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerIgnores, parseDockerfile, readRepoFile, repoRoot, type DockerStage } from './deployment-files';

const dockerfile = parseDockerfile(readRepoFile('Dockerfile'));
const dockerignore = readRepoFile('.dockerignore');
const runtime = dockerfile.stages[dockerfile.stages.length - 1];

function stageArg(stage: DockerStage, name: string): string | undefined {
  for (const ins of stage.instructions) {
    const m = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S+))?/.exec(ins);
    if (m && m[1] === name) return m[2] ?? dockerfile.args.get(name);
  }
  return undefined;
}

function runs(stage: DockerStage): string[] {
  return stage.instructions.filter((i) => /^RUN\s/.test(i));
}

function servicePackageNames(): string[] {
  return readdirSync(join(repoRoot, 'services'))
    .filter((d) => existsSync(join(repoRoot, 'services', d, 'package.json')))
    .map((d) => (JSON.parse(readFileSync(join(repoRoot, 'services', d, 'package.json'), 'utf8')) as { name: string }).name);
}

describe('Dockerfile', () => {
  it('is multi-stage and runs on the Node 20 bookworm-slim image', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile.args.get('NODE_IMAGE')).toBe('node:20-bookworm-slim');
    expect(runtime.from).toBe('${NODE_IMAGE}');
    expect(runtime.name).toBe('runtime');
  });

  it('installs exactly the pnpm of package.json "packageManager", without corepack', () => {
    const rootPkg = JSON.parse(readRepoFile('package.json')) as { packageManager: string };
    const wanted = rootPkg.packageManager.replace(/^pnpm@/, '');
    const toolchain = dockerfile.stages.find((s) => s.name === 'toolchain');
    expect(toolchain).toBeDefined();
    expect(stageArg(toolchain as DockerStage, 'PNPM_VERSION')).toBe(wanted);
    const all = dockerfile.stages.flatMap(runs).join('\n');
    expect(all).toMatch(/npm install -g "pnpm@\$\{PNPM_VERSION\}"/);
    expect(all).not.toMatch(/corepack (enable|prepare)/);
  });

  it('builds from the lockfile, compiles with tsc -b, then keeps production dependencies only', () => {
    const build = dockerfile.stages.find((s) => s.name === 'build') as DockerStage;
    expect(build).toBeDefined();
    const steps = runs(build);
    const install = steps.findIndex((r) => /pnpm install --frozen-lockfile/.test(r) && !/--prod/.test(r));
    const compile = steps.findIndex((r) => /pnpm exec tsc -b/.test(r));
    const prune = steps.findIndex((r) => /pnpm install --prod --frozen-lockfile/.test(r));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(compile).toBeGreaterThan(install);
    expect(prune).toBeGreaterThan(compile);
  });

  it('keeps the production dependencies of every service', () => {
    const build = dockerfile.stages.find((s) => s.name === 'build') as DockerStage;
    const prune = runs(build).find((r) => /pnpm install --prod/.test(r)) ?? '';
    const filtered = [...prune.matchAll(/--filter "([^"]+)\.\.\."/g)].map((m) => m[1]);
    expect(filtered.sort()).toEqual(servicePackageNames().sort());
  });

  it('runs as a non-root user with a healthcheck and a default command', () => {
    const users = runtime.instructions.filter((i) => /^USER\s/.test(i)).map((i) => i.split(/\s+/)[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime.instructions.some((i) => /^HEALTHCHECK\s.*CMD\s/.test(i))).toBe(true);
    expect(runtime.instructions.find((i) => /^CMD\s/.test(i))).toMatch(/services\/\w+\/dist\/main\.js/);
    // The runtime stage copies built output only: no toolchain, no sources.
    expect(runtime.instructions.filter((i) => /^COPY\s/.test(i) && !/--from=build/.test(i) && !/^COPY\s+<</.test(i))).toEqual([]);
  });

  it('has a .dockerignore that keeps build inputs and drops secrets, installs and build output', () => {
    for (const kept of ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc', 'tsconfig.json', 'tsconfig.base.json',
      'packages/config/src/env.ts', 'packages/config/package.json', 'packages/config/tsconfig.json', 'services/api/src/main.ts',
      'config/sync.config.yaml']) {
      expect({ kept, ignored: dockerIgnores(dockerignore, kept) }).toEqual({ kept, ignored: false });
    }
    for (const dropped of ['.env', '.env.production', '.git/config', 'node_modules/x', 'packages/config/node_modules/zod/index.js',
      'services/api/dist/main.js', 'secrets/kingdee_password', 'packages/config/src/env.test.ts']) {
      expect({ dropped, ignored: dockerIgnores(dockerignore, dropped) }).toEqual({ dropped, ignored: true });
    }
  });

  it('copies into the build stage only files the context carries', () => {
    const copies = dockerfile.stages
      .flatMap((s) => s.instructions)
      .filter((i) => /^COPY\s/.test(i) && !/--from=/.test(i) && !/^COPY\s+<</.test(i));
    for (const c of copies) {
      const sources = c.split(/\s+/).slice(1, -1).filter((a) => !a.startsWith('--') && a !== '.');
      for (const src of sources) {
        expect({ src, exists: existsSync(join(repoRoot, src)), ignored: dockerIgnores(dockerignore, src) }).toEqual({
          src,
          exists: true,
          ignored: false,
        });
      }
    }
  });
});
