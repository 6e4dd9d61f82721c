import type { DocumentFlowSettings } from '@sync/config';
import { PermanentError, isClassified } from '@sync/errors';
import { settingsFor, type AnyDocumentFlow, type FlowContext, type TargetDocument, type TransformResult, type SyncConfig } from '@sync/flows';
import { documentJobSchema, type DocumentJob } from '@sync/queue';
import { firstIssuePath, formatZodIssues } from '@sync/queue';
import { writeTargetDocument } from './write-executor';
import type { KingdeeWriterDeps, WriteRequest, WriteResult } from './write-types';
import { reverseDocument, type ReversalResult } from './reversal';

/**
 * The return value of a document job. Written: the first (main) document's `billNo/kingdeeId/status` at the
 * top, every document in `documents`. Skipped: the flow's reason.
 */
export type DocumentJobResult =
  | { billNo: string; kingdeeId: number | null; status: WriteResult['status']; documents: WriteResult[]; notes?: string[] }
  | { skipped: string }
  /** A cancelled source document (the flow's isReversal): see reversal.ts. */
  | ReversalResult;

export interface ProcessDeps extends KingdeeWriterDeps {
  flows: Record<string, AnyDocumentFlow>;
  config: SyncConfig;
  /** Writes one target document; default writeTargetDocument (per document). The batched path passes a WriteCollector's write. */
  writeTarget?: (req: WriteRequest) => Promise<WriteResult>;
  /** Told each validated Kingdee package before it is written (the worker keeps it in the job log for operators). */
  onPayload?: (target: TargetDocument) => Promise<void>;
}

/** Step a: the job payload and the source document, both validated. */
export function parseDocumentJob(
  data: unknown,
  flows: Record<string, AnyDocumentFlow>,
  config: SyncConfig,
): { job: DocumentJob; flow: AnyDocumentFlow; settings: DocumentFlowSettings; doc: unknown } {
  const parsedJob = documentJobSchema.safeParse(data);
  if (!parsedJob.success) {
    throw new PermanentError('INVALID_SOURCE_DOCUMENT', `document job payload is invalid: ${formatZodIssues(parsedJob.error)}`, {
      field: firstIssuePath(parsedJob.error),
    });
  }
  const job = parsedJob.data;
  const flow = flows[job.flow];
  if (!flow) {
    throw new PermanentError('CONFIG_INVALID', `document ${job.docId}: flow "${job.flow}" is not registered in this worker`, { flow: job.flow, docId: job.docId });
  }
  const settings = settingsFor(config, job.flow);
  if (!settings) {
    throw new PermanentError('CONFIG_INVALID', `document ${job.docId}: flow "${job.flow}" has no flows.${job.flow} section in the config file`, { flow: job.flow, docId: job.docId });
  }
  const doc = flow.schema.safeParse(job.doc);
  if (!doc.success) {
    throw new PermanentError(
      'INVALID_SOURCE_DOCUMENT',
      `${job.flow} document ${job.docId}: invalid source document: ${formatZodIssues(doc.error)}`,
      { flow: job.flow, docId: job.docId, field: firstIssuePath(doc.error), issues: doc.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
    );
  }
  return { job, flow, settings, doc: doc.data };
}

/**
 * Step b: the pure transform; its PermanentErrors pass through, anything else it throws (a TypeError...) is a bug in
 * the flow: TRANSFORM_FAILED, not the source document's fault.
 */
export function transformDocument(flow: AnyDocumentFlow, doc: unknown, ctx: FlowContext, docId: string): TransformResult {
  try {
    return flow.transform(doc, ctx);
  } catch (err) {
    if (isClassified(err)) throw err;
    throw new PermanentError('TRANSFORM_FAILED', `${flow.name} document ${docId}: the transform failed unexpectedly (a bug in the flow; report it): ${err instanceof Error ? err.message : String(err)}`, {
      flow: flow.name,
      docId,
    }, { cause: err });
  }
}

/** Step c (first half): our own output must satisfy the target form's schema before anything is sent (else TRANSFORM_FAILED). */
export function validateTarget(flow: AnyDocumentFlow, target: TargetDocument, docId: string): void {
  const parsed = flow.target.schema.safeParse(target.model);
  if (!parsed.success) {
    throw new PermanentError(
      'TRANSFORM_FAILED',
      `${flow.name} document ${docId}: the transform produced an invalid ${target.formId} document ${target.billNo} (a flow bug or an unusual source document): ${formatZodIssues(parsed.error)}`,
      { flow: flow.name, docId, billNo: target.billNo, field: firstIssuePath(parsed.error) },
    );
  }
}

/**
 * Processes one document job end to end: validate payload and source document; a reversal (the flow's
 * `isReversal`) applies the flow's reversal policy instead (reversal.ts); else transform (pure), validate
 * every target document, then write each idempotently (write-executor.ts). Safe to run again for the same job.
 * Throws PermanentError (dead letter naming flow, document and field) or transient kinds (retried).
 */
export async function processDocumentJob(deps: ProcessDeps, data: unknown, jobId: string): Promise<DocumentJobResult> {
  const { job, flow, settings, doc } = parseDocumentJob(data, deps.flows, deps.config);
  if (flow.isReversal?.(doc)) {
    const status = (doc as { status?: unknown }).status;
    return reverseDocument(deps, {
      flow: job.flow, settings, formId: flow.target.formId, docId: job.docId, version: job.version, jobId,
      sourceStatus: typeof status === 'string' ? status : 'cancelled',
    });
  }
  const ctx: FlowContext = { flow: job.flow, settings, mappings: deps.config.mappings, now: deps.now().toISOString() };
  const result = transformDocument(flow, doc, ctx, job.docId);

  if (result.kind === 'skip') {
    await deps.ledger.record(job.flow, {
      billNo: null,
      docId: job.docId,
      kingdeeId: null,
      number: null,
      status: 'skipped',
      reason: result.reason,
      version: job.version,
      jobId,
      writtenAt: deps.now().toISOString(),
    });
    return { skipped: result.reason };
  }
  if (result.documents.length === 0) {
    throw new PermanentError('TRANSFORM_FAILED', `${job.flow} document ${job.docId}: the transform produced no document and no skip reason`, { flow: job.flow, docId: job.docId });
  }
  for (const target of result.documents) validateTarget(flow, target, job.docId);
  if (deps.onPayload) for (const target of result.documents) await deps.onPayload(target);

  const written: WriteResult[] = [];
  for (const target of result.documents) {
    written.push(
      await (deps.writeTarget ?? ((req: WriteRequest) => writeTargetDocument(deps, req)))({
        flow: job.flow, settings, target, declaredKey: flow.target.keyFields[target.formId], docId: job.docId, version: job.version, jobId,
      }),
    );
  }
  const main = written[0];
  return {
    billNo: main.billNo,
    kingdeeId: main.kingdeeId,
    status: main.status,
    documents: written,
    ...(result.notes?.length ? { notes: result.notes } : {}),
  };
}
