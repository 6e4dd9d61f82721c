const FORMAT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * True when `s` is a real Beijing-time wall-clock value written `yyyy-MM-dd HH:mm:ss` (the format JST's
 * modified-time filters take). Rejects impossible dates such as `2026-02-30 00:00:00` or hour 24.
 * Values in this format sort as strings in time order, which callers rely on for from ≤ to.
 */
export function isBeijingDateTime(s: string): boolean {
  const m = FORMAT.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  return (
    t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d &&
    t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === se
  );
}
