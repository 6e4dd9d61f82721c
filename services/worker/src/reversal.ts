import type { DocumentFlowSettings } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { findBills, formatFieldErrors, type FoundBill, type KingdeeOperationResult } from '@sync/kingdee';
import { keys, pushAlertEvent, withLock } from '@sync/queue';
import { z } from 'zod';
import { docLockedError, type KingdeeWriterDeps } from './write-types';

/** What became of a cancelled JST document that had been written to Kingdee. */
export const reversalOutcomeSchema = z.enum([
  /** Policy `record`: the reversal is recorded and alerted; the Kingdee document is left as it is. */
  'recorded',
  /** Policy `unaudit-delete`: the Kingdee document was unaudited (if audited) and deleted. */
  'deleted',
  /** Policy `unaudit-delete`: the Kingdee document no longer exists (deleted by hand, or by an earlier run). */
  'absent',
  /** Kingdee refused UnAudit or Delete (the document is used by a later bill ...): dead-lettered. */
  'refused',
]);
export type ReversalOutcome = z.infer<typeof reversalOutcomeSchema>;

/** One reversal record, in the hash keys.reversal under the bill number. */
export const reversalRecordSchema = z.object({
  docId: z.string(),
  billNo: z.string(),
  formId: z.string(),
  version: z.string(),
  jobId: z.string(),
  policy: z.enum(['record', 'unaudit-delete']),
  outcome: reversalOutcomeSchema,
  message: z.string(),
  at: z.string(),
});
export type ReversalRecord = z.infer<typeof reversalRecordSchema>;

/** Result of a reversal job: the record, or why there was nothing to reverse. */
export type ReversalResult = { reversal: ReversalRecord } | { reversal: null; reason: string };

/** The reversal record of `billNo`, or undefined. */
export async function getReversal(deps: Pick<KingdeeWriterDeps, 'redis' | 'prefix'>, flow: string, billNo: string): Promise<ReversalRecord | undefined> {
  const raw = await deps.redis.hget(keys.reversal(deps.prefix, flow), billNo);
  if (raw === null) return undefined;
  const parsed = reversalRecordSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : undefined;
}

export interface ReversalRequest {
  flow: string;
  settings: Pick<DocumentFlowSettings, 'billNoPrefix' | 'reversal'>;
  /** The flow's target form (used when the ledger entry has none). */
  formId: string;
  docId: string;
  version: string;
  jobId: string;
  /** The source status that made it a reversal, for the messages. */
  sourceStatus: string;
}

/** Kingdee's refusal of the operation for this bill, or undefined when its answer lists the bill as done. */
function refusalOf(result: KingdeeOperationResult, bill: FoundBill): string | undefined {
  if (result.successes.some((s) => s.id === bill.id || s.number === bill.number)) return undefined;
  return formatFieldErrors(result.errors) || 'the answer did not name the bill';
}

/** Runs UnAudit or Delete of one bill by its id; a refusal thrown by the client comes back as its text. */
async function operate(op: () => Promise<KingdeeOperationResult>, bill: FoundBill): Promise<string | undefined> {
  try {
    return refusalOf(await op(), bill);
  } catch (err) {
    if (err instanceof PermanentError && err.code === 'KINGDEE_REJECTED') return err.message;
    throw err;
  }
}

/**
 * Applies the flow's reversal policy to a JST document cancelled after it was written (FBillNo =
 * billNoPrefix + docId). Idempotent: a reversal already recorded as done is returned as is, with no new event.
 * Under the same per-bill lock as the writer. Records a reversal record and raises one `reversal` alert event
 * per outcome. `unaudit-delete` also drops the ledger entry, so a later re-confirmation is written again.
 * @throws PermanentError KINGDEE_REJECTED naming the document and bill when Kingdee refuses UnAudit or Delete
 *   (after recording and alerting); TransientError DOC_LOCKED while a write of the bill runs; client errors.
 */
export async function reverseDocument(deps: KingdeeWriterDeps, req: ReversalRequest): Promise<ReversalResult> {
  const billNo = `${req.settings.billNoPrefix}${req.docId}`;
  const outcome = await withLock(deps.redis, keys.docLock(deps.prefix, req.flow, billNo), deps.lockTtlMs ?? 120_000, () =>
    reverseLocked(deps, req, billNo),
  );
  if (!outcome.acquired) throw docLockedError(req.flow, req.docId, billNo);
  return outcome.value;
}

async function reverseLocked(deps: KingdeeWriterDeps, req: ReversalRequest, billNo: string): Promise<ReversalResult> {
  const { flow, docId } = req;
  // Only flows with isReversal get here, and they declare `reversal` (default record).
  const policy = req.settings.reversal ?? 'record';
  const previous = await getReversal(deps, flow, billNo);
  if (previous && (previous.outcome === 'deleted' || previous.outcome === 'absent' || (previous.outcome === 'recorded' && policy === 'record'))) {
    return { reversal: previous };
  }
  const known = await deps.ledger.get(flow, billNo);
  if (!known || known.status === 'skipped') {
    return { reversal: null, reason: `${flow} document ${docId} (status ${req.sourceStatus}) was never written to Kingdee: nothing to reverse` };
  }
  const formId = known.formId ?? req.formId;
  const number = known.number ?? billNo;
  const where = `${flow} document ${docId} → ${formId} ${number}`;
  const finish = async (outcome: ReversalOutcome, message: string): Promise<ReversalRecord> => {
    const at = deps.now().toISOString();
    const record: ReversalRecord = { docId, billNo, formId, version: req.version, jobId: req.jobId, policy, outcome, message, at };
    await deps.redis.hset(keys.reversal(deps.prefix, flow), billNo, JSON.stringify(record));
    await pushAlertEvent(deps.redis, deps.prefix, { type: 'reversal', flow, docId, at, message });
    deps.logger.warn({ billNo, formId, outcome, policy }, message);
    return record;
  };
  const cancelled = `${where}: cancelled in JST (status ${req.sourceStatus}) after it was written (${known.status})`;

  if (policy === 'record') {
    return { reversal: await finish('recorded', `${cancelled}; policy "record": the Kingdee document was left as it is, review it by hand`) };
  }

  // The bill by the number the ledger holds (Kingdee's own when it renumbered) or by its FID.
  const find = async (): Promise<FoundBill | undefined> => {
    const bills = await findBills(deps.kingdee, formId, { numbers: [number, billNo] });
    return bills.find((b) => b.id === known.kingdeeId) ?? bills.find((b) => b.number === number) ?? bills[0];
  };
  const bill = await find();
  if (!bill) {
    await deps.redis.hdel(keys.ledger(deps.prefix, flow), billNo);
    return { reversal: await finish('absent', `${cancelled}; the Kingdee document no longer exists, nothing to delete`) };
  }
  const refuse = async (step: string, why: string): Promise<never> => {
    const message = `${cancelled}; Kingdee refused ${step}: ${why}`;
    await finish('refused', message);
    throw new PermanentError('KINGDEE_REJECTED', message, { flow, docId, billNo, formId, field: step });
  };
  if (bill.status === 'B' || bill.status === 'C') {
    const why = await operate(() => deps.kingdee.unAudit(formId, { ids: [bill.id] }), bill);
    if (why) {
      const after = await find();
      if (!after || after.status === 'B' || after.status === 'C') await refuse('UnAudit', why);
    }
  }
  const why = await operate(() => deps.kingdee.delete(formId, { ids: [bill.id] }), bill);
  if (why && (await find())) await refuse('Delete', why);
  await deps.redis.hdel(keys.ledger(deps.prefix, flow), billNo);
  return { reversal: await finish('deleted', `${cancelled}; policy "unaudit-delete": the Kingdee document was unaudited and deleted`) };
}
