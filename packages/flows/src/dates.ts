/**
 * JST datetimes are naive Beijing-time strings (`yyyy-MM-dd HH:mm:ss`, sometimes with 'T' or '/' and
 * unpadded months). Kingdee dates are `yyyy-MM-dd`. Pure string work: no clock, no time zone shift,
 * because the JST wall-clock date is the business date Kingdee should show.
 */

const datePrefix = /^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:$|[\sT])/;

/** True when `text` starts with a calendar date JST-style (used by the source schema). */
export function looksLikeJstDate(text: string): boolean {
  return jstDatePart(text) !== undefined;
}

/**
 * The `yyyy-MM-dd` date of a JST datetime, or undefined when the text is empty, not a date, or one of the
 * "no value" placeholders JST and Kingdee use (years before 1901, e.g. 0001-01-01 or 1900-01-01).
 */
export function jstDatePart(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const m = datePrefix.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1901 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  return `${m[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const dateTime = /^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[\sT]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?/;

/**
 * `yyyy-MM-dd HH:mm:ss` (Beijing wall clock, as JST wrote it) of a JST datetime, with 00:00:00 for a bare date;
 * undefined when `jstDatePart` finds no date (empty, placeholder years, impossible dates, bad times).
 */
export function jstDateTime(text: string | null | undefined): string | undefined {
  const date = jstDatePart(text);
  if (!date || !text) return undefined;
  const m = dateTime.exec(text);
  const [h, mi, s] = [Number(m?.[4] ?? 0), Number(m?.[5] ?? 0), Number(m?.[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${date} ${p2(h)}:${p2(mi)}:${p2(s)}`;
}

/**
 * The business date-time of a raw JST row: its `field` (the flow's businessDate), else its `modified` when the
 * field is missing or no date — the same choice the transforms make for FDate. Pure; undefined when neither reads.
 */
export function businessDateTime(row: unknown, field: string): { field: string; at: string } | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const rec = row as Record<string, unknown>;
  for (const f of [field, 'modified']) {
    const v = rec[f];
    const at = typeof v === 'string' ? jstDateTime(v) : undefined;
    if (at) return { field: f, at };
  }
  return undefined;
}
