import { parseCommand, UsageError, USAGE } from './commands';
import { render } from './format';

export interface CliDeps {
  env: { API_URL?: string; API_TOKEN?: string };
  fetch: typeof fetch;
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Runs one CLI command against the API: 0 on a 2xx answer, 1 on an API error (its message printed), 2 on a usage
 * error. Never prints the token.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    deps.out(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  let req;
  try {
    req = parseCommand(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      deps.err(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  const base = (deps.env.API_URL ?? 'http://127.0.0.1:8700').replace(/\/+$/, '');
  if (!deps.env.API_TOKEN) {
    deps.err('set API_TOKEN (the operator or read-only token of the API)');
    return 2;
  }
  const res = await deps.fetch(`${base}${req.path}`, {
    method: req.method,
    headers: {
      authorization: `Bearer ${deps.env.API_TOKEN}`,
      ...(req.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(req.body ? { body: JSON.stringify(req.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: print as is
  }
  if (!res.ok) {
    const msg = typeof body === 'object' && body !== null && 'message' in body ? String((body as { message: unknown }).message) : text;
    deps.err(`HTTP ${res.status}: ${msg}`);
    return 1;
  }
  deps.out(render(req.view, body));
  return 0;
}
