import { createHash } from 'node:crypto';
import type { DocumentToEnqueue } from '@sync/queue';
import type { AnyDocumentFlow } from '@sync/flows';
import { beforeCutover, type ResolvedCutover } from './cutover';
import { rawDocId, rawVersion } from './source-ids';


export interface PreparedRows {
  docs: DocumentToEnqueue[];
  seen: number;
  /** Valid and in the flow's ready state. */
  ready: number;
  /** Failed the schema but had a readable id: enqueued for the worker to dead-letter. */
  invalid: number;
  /**
   * Failed the schema and had no readable id: enqueued (and counted in `invalid`) under a synthetic id
   * `unreadable-<hash of the row>`, so the worker dead-letters them with the schema's reason; listed here for the log.
   */
  unreadable: { docId: string; row: unknown }[];
  /**
   * Valid rows the flow calls a reversal (`isReversal`: cancelled after shipping ...): enqueued only when the
   * caller finds the document in the ledger (jst-source.ts), so cancellations of never-synced documents cost nothing.
   */
  reversals: DocumentToEnqueue[];
  /** Rows dated before the flow's cutover: never enqueued (keyed into Kingdee by hand before go-live). */
  beforeCutover: { docId: string; field: string; at: string }[];
}

/**
 * Synthetic, deterministic id of a row with no readable document id: the same row read twice gives the same id
 * (one dead letter, not one per poll). Never all digits and free of ':' (BullMQ job id rules).
 */
export function unreadableDocId(row: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(row) ?? String(row);
  } catch {
    text = String(row);
  }
  return `unreadable-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

/**
 * Pure: which rows of a page to enqueue. Valid rows in the ready state are enqueued under the flow's id and
 * version; valid rows not ready yet are dropped (a later change gives them a new version); rows failing the
 * schema are enqueued under their raw id/version, or a synthetic `unreadable-…` id when none can be read. The raw row is what is enqueued.
 * With a `cutover`, ready rows and rows failing the schema whose date is before it are listed in `beforeCutover`
 * instead (reversals are not: they only reach documents the ledger knows).
 */
export function prepareRows(flow: AnyDocumentFlow, rows: unknown[], cutover?: ResolvedCutover): PreparedRows {
  const out: PreparedRows = { docs: [], seen: rows.length, ready: 0, invalid: 0, unreadable: [], reversals: [], beforeCutover: [] };
  const early = (row: unknown, docId: string | undefined): boolean => {
    const date = cutover && beforeCutover(row, cutover);
    if (date) out.beforeCutover.push({ docId: docId ?? unreadableDocId(row), ...date });
    return date !== undefined;
  };
  for (const row of rows) {
    const parsed = flow.schema.safeParse(row);
    if (parsed.success) {
      if (!flow.isReady(parsed.data)) {
        if (flow.isReversal?.(parsed.data)) {
          out.reversals.push({ docId: flow.docId(parsed.data), version: flow.version(parsed.data), doc: row });
        }
        continue;
      }
      if (early(row, flow.docId(parsed.data))) continue;
      out.ready += 1;
      out.docs.push({ docId: flow.docId(parsed.data), version: flow.version(parsed.data), doc: row });
      continue;
    }
    let docId = rawDocId(row, flow.source.idField);
    if (early(row, docId)) continue;
    if (docId === undefined) {
      docId = unreadableDocId(row);
      out.unreadable.push({ docId, row });
    }
    out.invalid += 1;
    out.docs.push({ docId, version: rawVersion(row), doc: row });
  }
  return out;
}
