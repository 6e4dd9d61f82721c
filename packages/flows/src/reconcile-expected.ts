import { isClassified } from '@sync/errors';
import { businessDateTime } from './dates';
import { modelLines, type BillLine } from './reconcile-forms';
import type { DocumentFlow, FlowContext } from './types';

/** A bill the flow's transform would write for a JST document (exactly what the worker would send). */
export interface ExpectedBill {
  formId: string;
  billNo: string;
  /** FDate of the model, `yyyy-MM-dd`. */
  date: string;
  lines: BillLine[];
}

/** What a reconciliation knows of one JST document: readiness, business date and the bills it should have. */
export interface JstDocFacts {
  docId: string;
  version: string;
  /** JST status as read (`Confirmed`, `Cancelled` ...). */
  status?: string;
  /** The flow's readiness rule (`flow.isReady`); false for documents that fail the flow's schema. */
  ready: boolean;
  /** Business date `yyyy-MM-dd` (Beijing): the transform's FDate, else the source's business date field or modified. */
  businessDate?: string;
  /** Set when the document is dated before the flow's cutover (the date read, e.g. `io_date 2026-11-30 18:00:00`). */
  beforeCutover?: string;
  expected:
    | { kind: 'write'; bills: ExpectedBill[] }
    /** The transform leaves the document out on purpose (no quantity to book, a type the flow does not book ...). */
    | { kind: 'skip'; reason: string }
    /** The document cannot be transformed (unmapped base data, invalid fields): it waits in the dead letters. */
    | { kind: 'error'; message: string };
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/**
 * The business date of a raw JST row when the transform cannot say (it failed or skipped): the flow source's
 * business date field (`io_date` ...), else `modified` — as the cutover reads it.
 */
export function jstRowBusinessDate(row: Record<string, unknown>, field: string): string | undefined {
  return businessDateTime(row, field)?.at.slice(0, 10);
}

/**
 * Pure: the facts of one raw JST row under `flow`, with the bills its transform would write (`ctx.now` is the
 * clock value the transform sees). `businessDateField`: the source's business date field (default the flow's
 * `source.businessDate`). Undefined when the row has no readable document id (the poller dead-letters such rows
 * under a synthetic id; there is nothing to reconcile them against).
 */
export function jstDocFacts(flow: DocumentFlow, raw: unknown, ctx: FlowContext, businessDateField: string = flow.source.businessDate): JstDocFacts | undefined {
  const row = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const parsed = flow.schema.safeParse(raw);
  const status = text(row.status);
  if (!parsed.success) {
    const docId = text(row.io_id) ?? text(row.as_id) ?? text(row.id);
    if (docId === undefined) return undefined;
    const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ');
    return {
      docId, version: text(row.ts) ?? text(row.modified) ?? 'unversioned', ...(status && { status }), ready: status === 'Confirmed',
      businessDate: jstRowBusinessDate(row, businessDateField), expected: { kind: 'error', message: `[INVALID_SOURCE_DOCUMENT] ${message}` },
    };
  }
  const doc = parsed.data;
  const base = { docId: flow.docId(doc), version: flow.version(doc), ...(status && { status }), ready: flow.isReady(doc) };
  try {
    const result = flow.transform(doc, ctx);
    if (result.kind === 'skip') return { ...base, businessDate: jstRowBusinessDate(row, businessDateField), expected: { kind: 'skip', reason: result.reason } };
    const bills = result.documents.map((d) => ({
      formId: d.formId,
      billNo: d.billNo,
      date: typeof d.model.FDate === 'string' ? d.model.FDate : '',
      lines: modelLines(d.formId, d.model),
    }));
    return { ...base, businessDate: bills[0]?.date || jstRowBusinessDate(row, businessDateField), expected: { kind: 'write', bills } };
  } catch (err) {
    const message = isClassified(err) ? `[${err.code}] ${err.message}` : err instanceof Error ? err.message : String(err);
    return { ...base, businessDate: jstRowBusinessDate(row, businessDateField), expected: { kind: 'error', message } };
  }
}
