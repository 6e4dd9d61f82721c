/**
 * Readers for the deployment files (docker-compose.yml, .env.example, Dockerfile, .dockerignore) used by
 * the tests in this folder. Pure functions over text, plus `composeConfig`, which runs the real
 * `docker-compose config` (Compose v1 from Debian's docker-compose package, or `$DOCKER_COMPOSE`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';

const execFileAsync = promisify(execFile);

/** The repository root (this file lives in test/compose/). */
export const repoRoot = resolve(__dirname, '..', '..');

/** Reads a file relative to the repository root. */
export function readRepoFile(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

export interface ComposeHealthcheck {
  test?: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface ComposeDependency {
  condition?: string;
}

export interface ComposePort {
  published?: number | string;
  target?: number | string;
}

/** The part of a resolved (interpolated, merged) compose service the tests look at. */
export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  volumes?: (string | { source?: string; target?: string; type?: string })[];
  depends_on?: Record<string, ComposeDependency> | string[];
  deploy?: { replicas?: number };
  profiles?: string[];
  healthcheck?: ComposeHealthcheck;
  ports?: (string | ComposePort)[];
  restart?: string;
  stop_grace_period?: string;
  user?: string;
}

export interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses `docker-compose config` output; throws unless it has a `services` mapping. */
export function parseComposeConfig(text: string): ComposeConfig {
  const doc: unknown = parseYaml(text);
  if (!isRecord(doc) || !isRecord(doc.services)) throw new Error('compose config output has no services mapping');
  return doc as unknown as ComposeConfig;
}

export interface ComposeRun {
  config: ComposeConfig;
  /** The raw output, for messages. */
  text: string;
}

/**
 * Runs `docker-compose --env-file <tmp>/.env -f docker-compose.yml [--profile p] config` in the
 * repository root with `envFileText` as the .env, and an environment stripped of everything but PATH
 * and HOME (the test process has REDIS_URL etc. set, which would override the .env). Rejects with
 * compose's stderr when the file does not validate.
 */
export async function composeConfig(envFileText: string, profiles: string[] = []): Promise<ComposeRun> {
  const dir = mkdtempSync(join(tmpdir(), 'compose-test-'));
  try {
    const envFile = join(dir, '.env');
    writeFileSync(envFile, envFileText);
    const bin = process.env.DOCKER_COMPOSE ?? 'docker-compose';
    const args = ['--env-file', envFile, '-f', join(repoRoot, 'docker-compose.yml')];
    for (const p of profiles) args.push('--profile', p);
    args.push('config');
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };
    let stdout: string;
    try {
      ({ stdout } = await execFileAsync(bin, args, { cwd: repoRoot, env, maxBuffer: 16 * 1024 * 1024 }));
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      if (err.code === 'ENOENT') {
        throw new Error(`${bin} not found: install it (apt-get install docker-compose) or set DOCKER_COMPOSE`);
      }
      throw new Error(`${bin} ${args.join(' ')} failed:\n${err.stderr ?? err.message}`);
    }
    return { config: parseComposeConfig(stdout), text: stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One `NAME=value` line of an env file; `commented` for `# NAME=value` (documentation of a default). */
export interface EnvLine {
  name: string;
  value: string;
  commented: boolean;
}

/** The variables an env file names, active or commented out (`# NAME=value`); other comments are skipped. */
export function parseEnvFile(text: string): EnvLine[] {
  const out: EnvLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(raw.trim());
    if (!m) continue;
    out.push({ name: m[2], value: m[3].trim(), commented: m[1] !== undefined });
  }
  return out;
}

/** `${NAME}`, `${NAME:-default}`, `${NAME-default}` references in a compose file, with their defaults. */
export function composeReferences(text: string): Map<string, string | undefined> {
  const refs = new Map<string, string | undefined>();
  const re = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const previous = refs.get(m[1]);
    refs.set(m[1], previous ?? m[2]);
  }
  return refs;
}

/** Milliseconds of a compose duration such as `45s`, `1m30s`, `500ms`, `1h`; throws on anything else. */
export function durationMs(text: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  const re = /(\d+(?:\.\d+)?)(ms|us|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]];
    consumed += m[0].length;
  }
  if (consumed === 0 || consumed !== text.length) throw new Error(`not a compose duration: ${text}`);
  return total;
}

/** Command of a service as an argument list. */
export function commandArgs(service: ComposeService): string[] {
  const c = service.command;
  if (c === undefined) return [];
  return Array.isArray(c) ? c : c.split(/\s+/).filter(Boolean);
}

/** The value of `--flag value` in an argument list, if present. */
export function flagValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The container paths (targets) of a service's volumes. */
export function volumeTargets(service: ComposeService): string[] {
  return (service.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] ?? v : v.target ?? ''));
}

/** Names a service depends on, with their conditions (`undefined` for the short list syntax). */
export function dependencies(service: ComposeService): Map<string, string | undefined> {
  const deps = service.depends_on;
  if (!deps) return new Map();
  if (Array.isArray(deps)) return new Map(deps.map((d) => [d, undefined]));
  return new Map(Object.entries(deps).map(([name, d]) => [name, d.condition]));
}

/** The Dockerfile split into build stages: the FROM line, the stage name and its instructions (continuations joined). */
export interface DockerStage {
  from: string;
  name?: string;
  instructions: string[];
}

/**
 * Parses a Dockerfile into stages. Continuation lines are joined; heredoc bodies (`<<'EOF' … EOF`) are
 * kept verbatim in the instruction that opened them.
 */
export function parseDockerfile(text: string): { args: Map<string, string>; stages: DockerStage[] } {
  const lines = text.split(/\r?\n/);
  const instructions: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      if (/^\s*#/.test(lines[i])) continue;
      line = line.slice(0, -1) + ' ' + lines[i].trim();
    }
    const heredoc = /<<-?['"]?([A-Za-z_]+)['"]?/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      while (i + 1 < lines.length && lines[i + 1] !== heredoc[1]) body.push(lines[++i]);
      i += 1; // the terminator
      line = `${line}\n${body.join('\n')}\n${heredoc[1]}`;
    }
    instructions.push(line.trim());
  }
  const args = new Map<string, string>();
  const stages: DockerStage[] = [];
  for (const ins of instructions) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(ins);
    if (from) {
      stages.push({ from: from[1], name: from[2], instructions: [] });
      continue;
    }
    if (stages.length === 0) {
      const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S+))?/i.exec(ins);
      if (arg) args.set(arg[1], arg[2] ?? '');
      continue;
    }
    stages[stages.length - 1].instructions.push(ins);
  }
  return { args, stages };
}

/** The body of the heredoc that a `COPY <<'EOF' <dest>` instruction writes to `dest`. */
export function heredocBody(stage: DockerStage, dest: string): string | undefined {
  for (const ins of stage.instructions) {
    const m = /^COPY\s+<<-?['"]?([A-Za-z_]+)['"]?\s+(\S+)\n([\s\S]*)\n\1$/.exec(ins);
    if (m && m[2] === dest) return m[3] + '\n';
  }
  return undefined;
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i += 1;
      if (pattern[i + 1] === '/') i += 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Whether `.dockerignore` rules exclude `path` (relative to the context): a rule matches the path or
 * one of its parent directories; the last matching rule wins; `!rule` re-includes.
 */
export function dockerIgnores(rulesText: string, path: string): boolean {
  const rules = rulesText
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ negate: l.startsWith('!'), re: globToRegExp(l.replace(/^!/, '').replace(/^\/+|\/+$/g, '')) }));
  const parts = path.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((c) => rule.re.test(c))) ignored = !rule.negate;
  }
  return ignored;
}
