import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { envSchema, type Env } from './env';

/** A configuration problem; the message names the file or variable and the path of the bad key. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function formatIssues(where: string, error: z.ZodError): string {
  const lines = error.issues.map((i) => {
    const path = i.path.length ? i.path.map(String).join('.') : '(root)';
    return `  - ${path}: ${i.message}`;
  });
  return `${where} is invalid:\n${lines.join('\n')}`;
}

/**
 * Reads the environment once. `NAME_FILE=/run/secrets/x` reads NAME from that file (trailing newline
 * stripped). Throws ConfigError naming each bad variable.
 */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const merged: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || value === '') continue;
    if (key.endsWith('_FILE')) continue;
    merged[key] = value;
  }
  for (const [key, value] of Object.entries(source)) {
    if (!key.endsWith('_FILE') || !value) continue;
    const name = key.slice(0, -'_FILE'.length);
    if (!(name in envSchema.shape)) continue;
    try {
      merged[name] = readFileSync(value, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      throw new ConfigError(`${key}: cannot read secret file ${value}: ${(e as Error).message}`);
    }
  }
  const parsed = envSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(formatIssues('environment', parsed.error));
  return parsed.data;
}

/**
 * Parses and validates a flows/mapping document (already read) with `schema` (the assembled one: @sync/flows
 * `parseSyncConfig`). `where` names it in errors. Throws ConfigError naming the path of each bad key.
 */
export function parseConfigText<T>(schema: z.ZodType<T>, text: string, where: string): T {
  let raw: unknown;
  try {
    raw = parseYaml(text); // YAML is a superset of JSON
  } catch (e) {
    throw new ConfigError(`${where}: not valid YAML/JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(formatIssues(where, parsed.error));
  return parsed.data;
}

/** Reads and validates the flows/mapping file at `path` with `schema`. Throws ConfigError naming the path of each bad key. */
export function loadConfigFile<T>(schema: z.ZodType<T>, path: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  return parseConfigText(schema, text, path);
}

/** Names of required variables that are missing for the given role, as a readable ConfigError. */
export function requireEnv(env: Env, names: (keyof Env)[], role: string): void {
  const missing = names.filter((n) => env[n] === undefined);
  if (missing.length) {
    throw new ConfigError(`${role} needs ${missing.join(', ')} (set them, or NAME_FILE pointing at a secret file)`);
  }
}
