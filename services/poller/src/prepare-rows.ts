import type { DocumentFlow } from '@sync/flows';
import type { DocumentToEnqueue } from '@sync/queue';
import { rawDocId, rawVersion } from './source-ids';

// Any flow of the registry, whatever its source type.
type AnyFlow = DocumentFlow<any, any>;

export interface PreparedRows {
  docs: DocumentToEnqueue[];
  seen: number;
  /** Valid and in the flow's ready state. */
  ready: number;
  /** Failed the schema but had a readable id: enqueued for the worker to dead-letter. */
  invalid: number;
  /** Failed the schema and had no readable id: logged only. */
  unreadable: unknown[];
}

/**
 * Pure: which rows of a page to enqueue. Valid rows in the ready state are enqueued under the flow's id and
 * version; valid rows not ready yet are dropped (a later change gives them a new version); rows failing the
 * schema are enqueued under their raw id/version when one can be read. The raw row is what is enqueued.
 */
export function prepareRows(flow: AnyFlow, rows: unknown[]): PreparedRows {
  const out: PreparedRows = { docs: [], seen: rows.length, ready: 0, invalid: 0, unreadable: [] };
  for (const row of rows) {
    const parsed = flow.schema.safeParse(row);
    if (parsed.success) {
      if (!flow.isReady(parsed.data)) continue;
      out.ready += 1;
      out.docs.push({ docId: flow.docId(parsed.data), version: flow.version(parsed.data), doc: row });
      continue;
    }
    const docId = rawDocId(row);
    if (docId === undefined) {
      out.unreadable.push(row);
      continue;
    }
    out.invalid += 1;
    out.docs.push({ docId, version: rawVersion(row), doc: row });
  }
  return out;
}
