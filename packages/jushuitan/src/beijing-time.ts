/** Beijing time (UTC+8, no daylight saving): the zone of every JST request window and response datetime. */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** The longest `modified_begin`..`modified_end` span JST accepts (reference §3.2). */
export const JST_MAX_WINDOW_DAYS = 7;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Formats an instant (Date or epoch ms) as `yyyy-MM-dd HH:mm:ss` in Beijing time, whatever the host zone. */
export function formatBeijingTime(at: Date | number): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`formatBeijingTime: invalid instant ${String(at)}`);
  const d = new Date(ms + OFFSET_MS);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

const NAIVE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a JST datetime to epoch ms. Naive values (`yyyy-MM-dd HH:mm:ss`, `T` separator, optional seconds and
 * fraction, or a bare date) are read as Beijing time; an explicit `Z` / `±hh:mm` offset is honoured.
 * Returns undefined for anything else (including impossible dates such as 02-30), so the caller decides which
 * error kind a bad value is (config, source document, response).
 */
export function parseBeijingTime(text: string): number | undefined {
  const m = NAIVE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Number((frac + '000').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(utc);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  let offset = OFFSET_MS;
  if (zone) {
    if (zone.toUpperCase() === 'Z') offset = 0;
    else {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      offset = sign * (Number(digits.slice(0, 2)) * 3600_000 + Number(digits.slice(2)) * 60_000);
    }
  }
  return utc - offset;
}

/** A JST modified-time window: Beijing-time strings `yyyy-MM-dd HH:mm:ss`, both ends inclusive. */
export interface BeijingWindow {
  begin: string;
  end: string;
}

/**
 * Splits [from, to] (Beijing-time strings, Dates or epoch ms) into consecutive windows of at most `maxDays`
 * (default 7) that JST accepts. Consecutive windows share their boundary second, so nothing falls between
 * them; a document read twice is harmless (job ids are deterministic). Sub-second parts are dropped (JST
 * windows have second resolution; `to` is rounded up so its second is still covered).
 * Throws RangeError when an end does not parse or from > to.
 */
export function splitBeijingWindows(
  from: string | Date | number,
  to: string | Date | number,
  maxDays: number = JST_MAX_WINDOW_DAYS,
): BeijingWindow[] {
  const start = toMs(from, 'from');
  const end = toMs(to, 'to');
  if (start > end) throw new RangeError(`window start ${formatBeijingTime(start)} is after its end ${formatBeijingTime(end)}`);
  if (!(maxDays > 0)) throw new RangeError(`maxDays must be positive, got ${maxDays}`);
  const step = Math.floor(maxDays * DAY_MS / 1000) * 1000;
  const first = Math.floor(start / 1000) * 1000;
  const last = Math.ceil(end / 1000) * 1000;
  const out: BeijingWindow[] = [];
  let cur = first;
  do {
    const next = Math.min(cur + step, last);
    out.push({ begin: formatBeijingTime(cur), end: formatBeijingTime(next) });
    cur = next;
  } while (cur < last);
  return out;
}

function toMs(v: string | Date | number, name: string): number {
  const ms = typeof v === 'string' ? parseBeijingTime(v) : typeof v === 'number' ? v : v.getTime();
  if (ms === undefined || !Number.isFinite(ms)) throw new RangeError(`${name} is not a valid datetime: ${String(v)}`);
  return ms;
}
