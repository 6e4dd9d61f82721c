/**
 * Dates as K3Cloud shows them: local server time without a zone (`2024-06-01T00:00:00`,
 * `2024-06-02T10:11:12.123`). The simulator's server runs in Beijing time (UTC+8).
 */

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;
const DATE_RE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;

const pad = (n: number | string, w = 2): string => String(n).padStart(w, '0');

/** Epoch ms → `yyyy-MM-ddTHH:mm:ss.SSS` in Beijing time. */
export function formatKdDateTime(epochMs: number): string {
  return new Date(epochMs + BEIJING_OFFSET_MS).toISOString().slice(0, 23);
}

/**
 * A date the client sent (`2024-06-01`, `2024-06-01 10:00:00`, `2024/6/1`, ISO with `T`) →
 * `yyyy-MM-ddTHH:mm:ss[.fff]`; undefined when not a date. `1900-01-01` (the templates' "empty") → undefined.
 */
export function normalizeKdDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE_RE.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  if (y === '1900' && Number(mo) === 1 && Number(d) === 1) return undefined;
  const base = `${y}-${pad(mo)}-${pad(d)}T${pad(h ?? 0)}:${pad(mi ?? 0)}:${pad(s ?? 0)}`;
  return frac ? `${base}.${frac}` : base;
}

/**
 * A sortable key for a date-like string (`yyyy-MM-dd HH:mm:ss.fffffff`), so that `'2024-06-01'` and
 * `'2024-06-01T00:00:00'` compare equal in filters; undefined when not date-like.
 */
export function dateSortKey(value: string): string | undefined {
  const m = DATE_RE.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  return `${y}-${pad(mo)}-${pad(d)} ${pad(h ?? 0)}:${pad(mi ?? 0)}:${pad(s ?? 0)}.${(frac ?? '').padEnd(7, '0')}`;
}

/** `yyyy-MM-ddT...` plus whole days → `yyyy-MM-ddT00:00:00`. */
export function addDays(kdDate: string, days: number): string {
  const [y, m, d] = kdDate.slice(0, 10).split('-').map(Number);
  const t = Date.UTC(y, m - 1, d) + days * 86400000;
  return `${new Date(t).toISOString().slice(0, 10)}T00:00:00`;
}
