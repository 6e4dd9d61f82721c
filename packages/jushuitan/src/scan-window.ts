import { PermanentError } from '@sync/errors';
import { JST_MAX_WINDOW_DAYS, parseBeijingTime, type BeijingWindow } from './beijing-time';
import type { JstLogger } from './jst-logger';
import type { QueryPageFn } from './scan-by-ts';

/** Full passes over one window before giving up on convergence (with a warning). */
export const MAX_WINDOW_PASSES = 5;
/** Safety stop for a page sequence that never ends (has_next stuck at true). */
const MAX_PAGES_PER_PASS = 10_000;

/** Throws PermanentError('JST_REJECTED') for a window JST would refuse: unparsable end, begin after end, or > 7 days. */
export function assertJstWindow(path: string, window: BeijingWindow): void {
  const begin = parseBeijingTime(window.begin);
  const end = parseBeijingTime(window.end);
  const details = { path, field: 'modified_begin/modified_end', begin: window.begin, end: window.end };
  if (begin === undefined || end === undefined) {
    throw new PermanentError('JST_REJECTED', `window for ${path} is not two Beijing datetimes (yyyy-MM-dd HH:mm:ss): ${window.begin} .. ${window.end}`, details);
  }
  if (begin > end) throw new PermanentError('JST_REJECTED', `window for ${path} begins after it ends: ${window.begin} .. ${window.end}`, details);
  if (end - begin > JST_MAX_WINDOW_DAYS * 86_400_000) {
    throw new PermanentError(
      'JST_REJECTED',
      `window for ${path} spans more than ${JST_MAX_WINDOW_DAYS} days (${window.begin} .. ${window.end}); split it with splitBeijingWindows`,
      details,
    );
  }
}

/**
 * Every row of a modified-time window [begin, end] (Beijing-time strings `yyyy-MM-dd HH:mm:ss`, at most 7 days)
 * over `queryPage`, robust against rows shifting between pages while documents change. `filters` are extra biz
 * keys (status, date_type ...); `logger` gets the warning of a window that did not settle. Pages through with
 * `{...filters, modified_begin, modified_end, page_index, page_size}` until has_next is false, yielding each page's
 * rows whose `key` was not yet seen in this scan. When a pass needed more than one page, rows may have shifted
 * between pages while documents changed, so the whole window is read again until a pass adds no new key (at most
 * MAX_WINDOW_PASSES passes, then a warning). A single-page pass is one consistent read and needs no second pass.
 */
export async function* scanWindowWith(
  queryPage: QueryPageFn,
  logger: JstLogger,
  path: string,
  window: BeijingWindow,
  opts: {
    filters?: Record<string, unknown>;
    pageSize?: number;
    key: (row: unknown) => string;
    /** Passes at most (default MAX_WINDOW_PASSES); 1 turns the re-read off (tests prove it is needed). */
    maxPasses?: number;
  },
): AsyncGenerator<unknown[]> {
  assertJstWindow(path, window);
  const pageSize = opts.pageSize ?? 50;
  const maxPasses = opts.maxPasses ?? MAX_WINDOW_PASSES;
  const seen = new Set<string>();
  for (let pass = 1; pass <= maxPasses; pass++) {
    let added = 0;
    let pages = 0;
    for (let pageIndex = 1; ; pageIndex++) {
      if (pageIndex > MAX_PAGES_PER_PASS) {
        throw new PermanentError('INVALID_RESPONSE', `JST (${path}) kept answering has_next=true past page ${MAX_PAGES_PER_PASS}`, { path });
      }
      const page = await queryPage(path, {
        ...opts.filters,
        modified_begin: window.begin,
        modified_end: window.end,
        page_index: pageIndex,
        page_size: pageSize,
      });
      pages++;
      const fresh: unknown[] = [];
      for (const row of page.datas) {
        const k = opts.key(row);
        if (seen.has(k)) continue;
        seen.add(k);
        fresh.push(row);
      }
      added += fresh.length;
      if (fresh.length) yield fresh;
      if (!page.hasNext) break;
    }
    if (added === 0 || pages === 1) return;
    if (pass === maxPasses && maxPasses > 1) {
      logger.warn(
        { path, begin: window.begin, end: window.end, passes: pass, lastPassNewRows: added },
        'JST window scan did not settle: rows kept changing between passes; the next poll (lookback) re-reads them',
      );
    }
  }
}
