import type { KingdeeSourceFlowSettings } from '@sync/config';
import { PermanentError, isClassified } from '@sync/errors';
import type { AnyKingdeeSourceFlow, JstUploadItem, UploadTransformResult, SyncConfig } from '@sync/flows';
import { documentJobSchema, firstIssuePath, formatZodIssues, type Ledger } from '@sync/queue';
import type { ItemUploadOutcome } from './jst-upload';
import type { UploadBatcher } from './upload-batcher';

/** What the ledger stores as `formId` for JST uploads (the ledger is keyed by sku_id for them). */
export const JST_UPLOAD_LEDGER_FORM = 'JST:itemsku';

/** Result of one Kingdee-source job: the SKUs uploaded (and those skipped as stale), or a skip. */
export type KingdeeSourceJobResult = { uploaded: string[]; stale?: string[]; notes?: string[] } | { skipped: string };

export interface KingdeeSourceProcessDeps {
  flow: AnyKingdeeSourceFlow;
  settings: KingdeeSourceFlowSettings;
  config: SyncConfig;
  ledger: Ledger;
  batcher: UploadBatcher<JstUploadItem, ItemUploadOutcome>;
  now: () => Date;
}

/** A sortable key of a Kingdee date-time (`2024-06-02T10:11:12.5` and `2024-06-02 10:11:12.500` compare equal). */
export function kingdeeDateKey(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?/.exec(value.trim());
  if (!m) return value;
  const time = m[2].length === 5 ? `${m[2]}:00` : m[2];
  return `${m[1]} ${time}.${(m[3] ?? '').padEnd(7, '0')}`;
}

function transformRecord(deps: KingdeeSourceProcessDeps, rec: unknown, docId: string): UploadTransformResult {
  const { flow } = deps;
  try {
    return flow.transform(rec, { flow: flow.name, settings: deps.settings, mappings: deps.config.mappings, now: deps.now().toISOString() });
  } catch (err) {
    if (isClassified(err)) throw err;
    throw new PermanentError('TRANSFORM_FAILED', `${flow.name} ${docId}: the transform failed unexpectedly (a bug in the flow; report it): ${err instanceof Error ? err.message : String(err)}`, { flow: flow.name, docId }, { cause: err });
  }
}

/**
 * Processes one Kingdee-source job: validates the payload and the record, transforms it (pure) into JST items,
 * validates each, drops items whose SKU the ledger shows uploaded from a newer version, submits the rest to the
 * shared batcher and waits for their own results. Uploaded SKUs are recorded in the ledger (key sku_id, version
 * = the record's modify date). Safe to run again: the upload is an upsert by sku_id.
 * Throws PermanentError JST_REJECTED naming the record, the SKUs and JST's messages when JST refused any item,
 * INVALID_SOURCE_DOCUMENT for bad payloads or records; the call's own errors (rate limit, transient) pass through.
 */
export async function processKingdeeSourceJob(deps: KingdeeSourceProcessDeps, data: unknown, jobId: string): Promise<KingdeeSourceJobResult> {
  const { flow } = deps;
  const job = documentJobSchema.safeParse(data);
  if (!job.success) {
    throw new PermanentError('INVALID_SOURCE_DOCUMENT', `${flow.name} job payload is invalid: ${formatZodIssues(job.error)}`, { field: firstIssuePath(job.error) });
  }
  const { docId, version } = job.data;
  const rec = flow.schema.safeParse(job.data.doc);
  if (!rec.success) {
    throw new PermanentError('INVALID_SOURCE_DOCUMENT', `${flow.name} ${flow.source.formId} ${docId}: invalid record: ${formatZodIssues(rec.error)}`, {
      flow: flow.name, docId, field: firstIssuePath(rec.error),
    });
  }
  const writtenAt = () => deps.now().toISOString();
  const result = transformRecord(deps, rec.data, docId);
  if (result.kind === 'skip') {
    await deps.ledger.record(flow.name, { billNo: null, docId, kingdeeId: null, number: null, status: 'skipped', reason: result.reason, version, jobId, writtenAt: writtenAt() });
    return { skipped: result.reason };
  }
  for (const item of result.items) {
    const check = flow.target.schema.safeParse(item);
    if (!check.success) {
      throw new PermanentError('TRANSFORM_FAILED', `${flow.name} ${docId}: the transform produced an invalid JST item ${item.sku_id}: ${formatZodIssues(check.error)}`, {
        flow: flow.name, docId, field: firstIssuePath(check.error),
      });
    }
  }

  const fresh: JstUploadItem[] = [];
  const stale: string[] = [];
  for (const item of result.items) {
    const prior = await deps.ledger.get(flow.name, item.sku_id);
    if (prior && prior.status !== 'skipped' && kingdeeDateKey(prior.version) > kingdeeDateKey(version)) stale.push(item.sku_id);
    else fresh.push(item);
  }
  if (!fresh.length) return { skipped: `a newer version of ${docId} was already uploaded (${stale.join(', ')})` };

  const outcomes = await deps.batcher.submit(fresh);
  for (const o of outcomes) {
    if (!o.ok) continue;
    await deps.ledger.record(flow.name, {
      billNo: o.skuId, docId, formId: JST_UPLOAD_LEDGER_FORM, kingdeeId: null, number: o.skuId, status: 'saved', version, jobId, writtenAt: writtenAt(),
    });
  }
  const rejected = outcomes.filter((o): o is Extract<ItemUploadOutcome, { ok: false }> => !o.ok);
  if (rejected.length) {
    const uploaded = outcomes.filter((o) => o.ok).map((o) => o.skuId);
    throw new PermanentError(
      'JST_REJECTED',
      `${flow.name} ${docId}: JST rejected ${rejected.map((r) => `sku_id=${r.skuId}: ${r.message}`).join('; ')}${uploaded.length ? ` (uploaded: ${uploaded.join(', ')})` : ''}`,
      { flow: flow.name, docId, rejected: rejected.map((r) => ({ skuId: r.skuId, message: r.message })), uploaded },
    );
  }
  return {
    uploaded: outcomes.map((o) => o.skuId),
    ...(stale.length ? { stale } : {}),
    ...(result.notes?.length ? { notes: result.notes } : {}),
  };
}
