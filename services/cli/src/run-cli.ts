import { formatReport, preflightReportSchema } from '@sync/preflight';
import { parseCommand, UsageError, USAGE } from './commands';
import { render } from './format';

/** Exit code of `doctor` when the report has an error finding (1 stays "the API refused"). */
export const DOCTOR_ERRORS_EXIT_CODE = 3;

export interface CliDeps {
  env: { API_URL?: string; API_TOKEN?: string };
  fetch: typeof fetch;
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Runs one CLI command against the API: 0 on a 2xx answer, 1 on an API error (its message printed), 2 on a usage
 * error, 3 when `doctor` found errors. Never prints the token.
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
  if (req.view === 'doctor' || req.view === 'doctor-json') {
    const report = preflightReportSchema.safeParse(body);
    if (!report.success) {
      deps.err(`the API answered GET /preflight with something that is not a doctor report: ${report.error.issues[0]?.message ?? ''}`);
      return 1;
    }
    deps.out(req.view === 'doctor-json' ? JSON.stringify(report.data, null, 2) : formatReport(report.data));
    return report.data.ok ? 0 : DOCTOR_ERRORS_EXIT_CODE;
  }
  deps.out(render(req.view, body));
  return 0;
}
