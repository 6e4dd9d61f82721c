import { isClassified } from '@sync/errors';
import { flowSource, getFlow, type AnyDocumentFlow, type FlowName, type SyncConfig } from '@sync/flows';
import { formatBeijingTime, noopJstLogger, scanWindowWith, splitBeijingWindows, type JstApi } from '@sync/jushuitan';
import { documentGaps } from './document-gaps';
import type { FlowScan, JstFacts, MappingGap } from './facts';

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** Document ids kept per gap as examples. */
const SAMPLE_IDS = 5;

/** Any flow of the registry, seen through `getFlow` (its source type unknown until its schema parses a row). */
type AnyFlow = AnyDocumentFlow;

function sourceOf(name: FlowName, config: SyncConfig): { flow: AnyFlow; path: string; filters: Record<string, unknown> } {
  const flow: AnyFlow = getFlow(name);
  const { path, cursor } = flowSource(flow, config.flows[name]);
  return { flow, path, filters: cursor.kind === 'window' ? cursor.filters : {} };
}

/**
 * One cheap call per flow's endpoint (page 1 of one row over the last hour), through the client and so through
 * its call budget. A refusal for credentials (AUTH_FAILED, after the client tried to renew the token) is marked.
 */
export async function checkEndpoints(jst: JstApi, config: SyncConfig, flows: readonly FlowName[], now: Date, signal?: AbortSignal): Promise<JstFacts> {
  const end = formatBeijingTime(now);
  const begin = formatBeijingTime(now.getTime() - 3600_000);
  const endpoints = await Promise.all(
    flows.map(async (name) => {
      const { path, filters } = sourceOf(name, config);
      try {
        signal?.throwIfAborted();
        await jst.queryPage(path, { ...filters, modified_begin: begin, modified_end: end, page_index: 1, page_size: 1 });
        return { flow: name, path, ok: true };
      } catch (e) {
        const auth = isClassified(e) && e.code === 'AUTH_FAILED';
        return { flow: name, path, ok: false, ...(auth ? { auth: true } : {}), error: errorText(e) };
      }
    }),
  );
  return { endpoints };
}

/** Window-scan dedupe key: the document id and version when the row parses, else the row itself. */
function rowKey(flow: AnyFlow, row: unknown): string {
  const parsed = flow.schema.safeParse(row);
  return parsed.success ? `${flow.docId(parsed.data)}@${flow.version(parsed.data)}` : JSON.stringify(row);
}

/**
 * Reads the last `days` days (by modified time, in windows of at most 7 days, through the client's paging and call
 * budget) of one flow's JST documents and lists every mapping key its ready documents need and the config lacks,
 * with how many documents need it. Reads only; writes nothing anywhere.
 */
export async function scanFlow(jst: JstApi, config: SyncConfig, name: FlowName, days: number, now: Date, signal?: AbortSignal): Promise<FlowScan> {
  const { flow, path, filters } = sourceOf(name, config);
  const settings = config.flows[name];
  const scan: FlowScan = { flow: name, ok: true, documents: 0, gaps: [] };
  if (!settings) return scan;
  const byPath = new Map<string, MappingGap>();
  const seen = new Set<string>();
  try {
    const windows = splitBeijingWindows(formatBeijingTime(now.getTime() - days * 86_400_000), formatBeijingTime(now));
    for (const window of windows) {
      // A window whose rows keep changing is read as far as it settles: the scan counts gaps, it needs no warning.
      for await (const rows of scanWindowWith((p, b) => jst.queryPage(p, b), noopJstLogger, path, window, { filters, key: (row) => rowKey(flow, row) })) {
        signal?.throwIfAborted();
        for (const row of rows) {
          const parsed = flow.schema.safeParse(row);
          if (!parsed.success || !flow.isReady(parsed.data)) continue;
          const docId = flow.docId(parsed.data);
          if (seen.has(docId)) continue; // a document changed between windows: count it once
          seen.add(docId);
          scan.documents += 1;
          for (const g of documentGaps(flow, parsed.data, settings, config.mappings, now.toISOString(), row)) {
            const known = byPath.get(g.path);
            if (known) {
              known.docs += 1;
              if (known.sampleDocIds.length < SAMPLE_IDS) known.sampleDocIds.push(docId);
              known.name ??= g.name;
              known.barcode ??= g.barcode;
            } else byPath.set(g.path, { ...g, docs: 1, sampleDocIds: [docId] });
          }
        }
      }
    }
  } catch (e) {
    if (signal?.aborted) throw e;
    return { ...scan, ok: false, error: errorText(e), gaps: [...byPath.values()] };
  }
  return { ...scan, gaps: [...byPath.values()] };
}
