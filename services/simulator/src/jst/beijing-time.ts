/**
 * JST speaks naive Beijing-time (UTC+8, no DST) date-time strings `yyyy-MM-dd HH:mm:ss`, both in
 * request windows and in response fields. These helpers convert them from/to epoch milliseconds.
 */

const OFFSET_MS = 8 * 3600 * 1000;
const PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Formats epoch milliseconds as a Beijing-time `yyyy-MM-dd HH:mm:ss` string (seconds truncated). */
export function formatBeijing(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Parses a Beijing-time `yyyy-MM-dd HH:mm:ss` string to epoch milliseconds. Returns undefined for any other
 * shape or for an impossible date (2024-02-30), so callers can report the parameter by name.
 */
export function parseBeijing(text: string): number | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - OFFSET_MS;
  return formatBeijing(ms) === text ? ms : undefined;
}

/** Beijing-time date string `yyyy-MM-dd 00:00:00` of the day containing `ms` (batch production/expiry dates). */
export function beijingDay(ms: number): string {
  return `${formatBeijing(ms).slice(0, 10)} 00:00:00`;
}
