/** One API request a CLI command stands for. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path with query string, e.g. `/dead-letters?flow=sales-outbound`. */
  path: string;
  body?: Record<string, unknown>;
  /** How to print the answer: a table of flows, a table of dead letters, or JSON. */
  view: View;
}

/** How an answer is printed. */
export type View = 'flows' | 'dead-letters' | 'reconciliations' | 'reconciliation' | 'json' | 'doctor' | 'doctor-json';

export const USAGE = `usage: sync-cli <command>   (env: API_URL, API_TOKEN)
  flows                                         flow status
  pause <flow> | resume <flow>                  stop / restart a flow's queue and polls
  resync --flow F --from "yyyy-MM-dd HH:mm:ss" --to "…"   resync a Beijing-time window
  resync --flow F --ids ID1,ID2                 resync documents by id
                                                (--ignore-cutover: also documents dated before the cutover)
  resync-status <id> | resync-cancel <id>
  dead-letters [--flow F] [--code C] [--since ISO] [--limit N]
  dead-letter <flow> <jobId>                    inspect one
  retry <flow> <jobId>                          retry one
  retry --flow F [--code C]                     retry every dead letter of a flow / reason class
  discard <flow> <jobId> --note "why"
  ledger-prune --older-than-days N [--flow F] [--dry-run]
                                                forget ledger entries and sent markers older than N days
                                                (every document flow unless --flow; --dry-run only counts)
  reconcile --from yyyy-MM-dd [--to yyyy-MM-dd] [--flow F]
                                                reconcile (对账) business days (Beijing) of one flow or all
  reconcile list [--limit N] | reconcile show <id> | reconcile repair <id>
                                                runs, one run's differences, resync what is missing or different
  audit [--action A] [--limit N]
  doctor [--days N] [--json]                    preflight: the config checked against Kingdee and JST, and the
                                                mapping gaps of the last N days (7) of JST documents; exit 3 on errors`;

/** A usage error: the message names what is wrong. */
export class UsageError extends Error {}

/** Options that take no value: present means `true`. */
const FLAGS: ReadonlySet<string> = new Set(['dry-run', 'ignore-cutover', 'json']);

/** Splits argv into positionals and `--name value` options (a flag such as `--dry-run` gets `true`). Pure. */
export function splitArgs(argv: readonly string[]): { positional: string[]; options: Record<string, string> } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) options[a.slice(2, eq)] = a.slice(eq + 1);
      else if (FLAGS.has(a.slice(2))) options[a.slice(2)] = 'true';
      else {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
        options[a.slice(2)] = v;
        i += 1;
      }
    } else positional.push(a);
  }
  return { positional, options };
}

const query = (o: Record<string, string | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
};
const seg = encodeURIComponent;

/** Maps a command line (without `node sync-cli`) to the API request. Pure; throws UsageError. */
export function parseCommand(argv: readonly string[]): ApiRequest {
  const { positional, options: o } = splitArgs(argv);
  const [cmd, a, b] = positional;
  const need = (v: string | undefined, what: string): string => {
    if (!v) throw new UsageError(`${cmd}: missing ${what}`);
    return v;
  };
  switch (cmd) {
    case 'flows':
      return { method: 'GET', path: '/flows', view: 'flows' };
    case 'pause':
    case 'resume':
      return { method: 'POST', path: `/flows/${seg(need(a, '<flow>'))}/${cmd}`, view: 'json' };
    case 'resync': {
      const flow = need(o.flow, '--flow');
      const ignore = o['ignore-cutover'] === 'true' ? { ignoreCutover: true } : {};
      if (o.ids !== undefined) {
        return { method: 'POST', path: '/resync', body: { flow, docIds: o.ids.split(',').map((s) => s.trim()).filter(Boolean), ...ignore }, view: 'json' };
      }
      return { method: 'POST', path: '/resync', body: { flow, from: need(o.from, '--from'), to: need(o.to, '--to'), ...ignore }, view: 'json' };
    }
    case 'resync-status':
      return { method: 'GET', path: `/resync/${seg(need(a, '<id>'))}`, view: 'json' };
    case 'resync-cancel':
      return { method: 'DELETE', path: `/resync/${seg(need(a, '<id>'))}`, view: 'json' };
    case 'dead-letters':
      return { method: 'GET', path: `/dead-letters${query({ flow: o.flow, code: o.code, since: o.since, until: o.until, limit: o.limit })}`, view: 'dead-letters' };
    case 'dead-letter':
      return { method: 'GET', path: `/dead-letters/${seg(need(a, '<flow>'))}/${seg(need(b, '<jobId>'))}`, view: 'json' };
    case 'retry':
      if (a !== undefined) return { method: 'POST', path: `/dead-letters/${seg(a)}/${seg(need(b, '<jobId>'))}/retry`, view: 'json' };
      return {
        method: 'POST',
        path: '/dead-letters/retry',
        body: { flow: need(o.flow, '--flow or <flow> <jobId>'), ...(o.code !== undefined ? { code: o.code } : {}) },
        view: 'json',
      };
    case 'discard':
      return {
        method: 'POST',
        path: `/dead-letters/${seg(need(a, '<flow>'))}/${seg(need(b, '<jobId>'))}/discard`,
        body: { note: need(o.note, '--note') },
        view: 'json',
      };
    case 'ledger-prune': {
      const days = need(o['older-than-days'], '--older-than-days');
      if (!/^[1-9]\d*$/.test(days)) throw new UsageError(`${cmd}: --older-than-days must be a whole number of days ≥ 1, not "${days}"`);
      const dryRun = o['dry-run'];
      if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false') throw new UsageError(`${cmd}: --dry-run takes no value`);
      return {
        method: 'POST',
        path: '/ledger/prune',
        body: { olderThanDays: Number(days), ...(o.flow !== undefined ? { flow: o.flow } : {}), ...(dryRun === 'true' ? { dryRun: true } : {}) },
        view: 'json',
      };
    }
    case 'doctor': {
      const days = o.days;
      if (days !== undefined && !/^\d{1,2}$/.test(days)) throw new UsageError(`${cmd}: --days must be a whole number of days (0 to 31), not "${days}"`);
      if (o.json !== undefined && o.json !== 'true') throw new UsageError(`${cmd}: --json takes no value`);
      return { method: 'GET', path: `/preflight${query({ days })}`, view: o.json === 'true' ? 'doctor-json' : 'doctor' };
    }
    case 'audit':
      return { method: 'GET', path: `/audit${query({ action: o.action, limit: o.limit })}`, view: 'json' };
    case 'reconcile':
      if (a === 'list') return { method: 'GET', path: `/reconciliations${query({ limit: o.limit })}`, view: 'reconciliations' };
      if (a === 'show') return { method: 'GET', path: `/reconciliations/${seg(need(b, '<id>'))}`, view: 'reconciliation' };
      if (a === 'repair') return { method: 'POST', path: `/reconciliations/${seg(need(b, '<id>'))}/repair`, view: 'json' };
      if (a !== undefined) throw new UsageError(`reconcile: unknown sub-command "${a}" (list, show, repair, or --from …)`);
      return {
        method: 'POST',
        path: '/reconciliations',
        body: { from: need(o.from, '--from'), ...(o.to !== undefined ? { to: o.to } : {}), ...(o.flow !== undefined ? { flow: o.flow } : {}) },
        view: 'json',
      };
    default:
      throw new UsageError(cmd ? `unknown command "${cmd}"` : 'no command');
  }
}
