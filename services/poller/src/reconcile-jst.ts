import type { DocumentFlowSettings } from '@sync/config';
import { flowSource, jstDocFacts, type AnyDocumentFlow, type FlowContext, type JstDocFacts } from '@sync/flows';
import { formatBeijingTime, parseBeijingTime, noopJstLogger, scanWindowWith, splitBeijingWindows, type JstApi, type JstLogger } from '@sync/jushuitan';
import { beforeCutover, type ResolvedCutover } from './cutover';
import { scanByIds } from './jst-resync';
import { rawRowKey } from './source-ids';

const DAY_MS = 24 * 3600 * 1000;

/** What the JST side of a reconciliation reads with. */
export interface JstSideContext {
  jst: JstApi;
  flow: AnyDocumentFlow;
  settings: DocumentFlowSettings;
  /** The transform's context (mappings, settings, clock value). */
  ctx: FlowContext;
  now: Date;
  /** Gets the warning of a window whose rows kept changing; default none. */
  logger?: JstLogger;
  /** The flow's cutover (as the poller applies it): documents dated before it are marked, the comparison skips them. */
  cutover?: ResolvedCutover;
}

/** True when version `a` is at least `b` (ts digits or yyyyMMddHHmmss: longer is later, then text order). */
function notOlder(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a >= b;
}

function collect(into: Map<string, JstDocFacts>, side: JstSideContext, rows: unknown[]): void {
  const field = flowSource(side.flow, side.settings).businessDate;
  for (const row of rows) {
    const facts = jstDocFacts(side.flow, row, side.ctx, field);
    if (!facts) continue;
    const before = side.cutover && beforeCutover(row, side.cutover);
    if (before) facts.beforeCutover = `${before.field} ${before.at} < ${side.cutover!.text} (${side.cutover!.key})`;
    const seen = into.get(facts.docId);
    if (!seen || notOlder(facts.version, seen.version)) into.set(facts.docId, facts);
  }
}

/**
 * The JST documents of business days [from, to] (`yyyy-MM-dd`, Beijing), ready or not, with the bills the flow's
 * transform would write: every document modified from `from` 00:00 to `lookaheadDays` after the end of `to` (never
 * past now), through the flow's own source, filters and modified-time windows (≤ 7 days, re-read while rows shift),
 * with the shared call budget of the client. The latest version of each document wins. Documents of other days
 * are returned too (the comparison uses them to explain a bill). Throws what the JST client throws.
 */
export async function readJstSide(side: JstSideContext, from: string, to: string, lookaheadDays: number): Promise<JstDocFacts[]> {
  const begin = parseBeijingTime(`${from} 00:00:00`)!;
  const end = Math.min(parseBeijingTime(`${to} 00:00:00`)! + (1 + lookaheadDays) * DAY_MS, side.now.getTime());
  const out = new Map<string, JstDocFacts>();
  if (end <= begin) return [];
  const source = flowSource(side.flow, side.settings);
  const filters = source.cursor.kind === 'window' ? source.cursor.filters : {};
  for (const window of splitBeijingWindows(begin, formatBeijingTime(end))) {
    for await (const rows of scanWindowWith((p, b) => side.jst.queryPage(p, b), side.logger ?? noopJstLogger, source.path, window, { filters, key: rawRowKey(source.idField) })) collect(out, side, rows);
  }
  return [...out.values()];
}

/**
 * The facts of given JST documents, read by id (whatever their status or date) where the flow's endpoint has an
 * id filter; [] where it has none. Used to say why a Kingdee bill has no ready document of its day.
 */
export async function readJstByIds(side: JstSideContext, docIds: readonly string[]): Promise<JstDocFacts[]> {
  const source = flowSource(side.flow, side.settings);
  if (!docIds.length || !source.idFilter) return [];
  const out = new Map<string, JstDocFacts>();
  for await (const rows of scanByIds(side.jst, side.flow.name, source, docIds)) collect(out, side, rows);
  return [...out.values()];
}
