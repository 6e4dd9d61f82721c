import type { Redis } from 'ioredis';
import type { DocumentFlowSettings } from '@sync/config';
import { PermanentError, TransientError } from '@sync/errors';
import type { TargetDocument } from '@sync/flows';
import { isDuplicateBillNo, type KingdeeApi, type KingdeeOperationResult } from '@sync/kingdee';
import type { Logger } from '@sync/logger';
import { keys, LEDGER_STATUS_RANK, withLock, type Ledger, type LedgerStatus } from '@sync/queue';
import { lookupBill, type FoundBill, type KingdeeStatus } from './kingdee-bill-lookup';

/** What the writer needs from the outside world. */
export interface KingdeeWriterDeps {
  kingdee: KingdeeApi;
  redis: Redis;
  prefix: string;
  ledger: Ledger;
  logger: Logger;
  now: () => Date;
  /**
   * TTL of the per-document lock (ms); extended every TTL/3 while the write runs. Default 30 s: it is also how
   * long a killed worker blocks its documents (test/reliability/worker-sigkill).
   */
  lockTtlMs?: number;
}

/** One target document to write, and where it came from. */
export interface WriteRequest {
  flow: string;
  settings: Pick<DocumentFlowSettings, 'submit' | 'audit' | 'allowNegativeStock' | 'lookupBeforeSave'>;
  target: TargetDocument;
  docId: string;
  version: string;
  jobId: string;
}

/** The outcome of one target document; `actions` lists the Kingdee writes this run made. */
export interface WriteResult {
  billNo: string;
  formId: string;
  kingdeeId: number | null;
  number: string | null;
  status: LedgerStatus;
  actions: ('save' | 'submit' | 'audit')[];
}

/** The state the flow settings want a document to end in. */
export function finalStatus(settings: Pick<DocumentFlowSettings, 'submit' | 'audit'>): LedgerStatus {
  if (settings.audit) return 'audited';
  if (settings.submit) return 'submitted';
  return 'saved';
}

/** Ledger status of a Kingdee document status. */
export function ledgerStatusOf(status: KingdeeStatus): LedgerStatus {
  if (status === 'C') return 'audited';
  if (status === 'B') return 'submitted';
  return 'saved';
}

function reached(status: LedgerStatus, target: LedgerStatus): boolean {
  return LEDGER_STATUS_RANK[status] >= LEDGER_STATUS_RANK[target];
}

function operationErrors(result: KingdeeOperationResult): string | undefined {
  if (!result.errors.length) return undefined;
  return result.errors.map((e) => (e.fieldName ? `${e.fieldName}: ${e.message}` : e.message)).join('; ');
}

/**
 * Writes one target document idempotently, safe to run any number of times and concurrently:
 * 1. takes a per-bill Redis lock (held elsewhere → TransientError DOC_LOCKED, the job retries later);
 * 2. ledger already at the configured final state → nothing to do;
 * 3. looks the bill up by FBillNo when a Save was ever sent for it (the sent marker, written before every Save), the
 *    ledger knows it or lookupBeforeSave is `always`; absent → Save with FBillNo set; a duplicate-FBillNo
 *    rejection or an ambiguous transient failure (timeout after commit) → look up again instead of failing;
 * 4. drives the state: A/D/Z → Submit (if submit or audit), B → Audit (if audit; with
 *    `InterationFlags: STK_InvCheckResult` when allowNegativeStock); C → done. An error there is re-checked
 *    against Kingdee's actual state before it counts.
 * Records the ledger after each step. Throws TransientError / RateLimitedError (retry) or PermanentError
 * naming the flow, the document and the bill.
 */
export async function writeTargetDocument(deps: KingdeeWriterDeps, req: WriteRequest): Promise<WriteResult> {
  const { target } = req;
  const lockKey = keys.docLock(deps.prefix, req.flow, target.billNo);
  const outcome = await withLock(deps.redis, lockKey, deps.lockTtlMs ?? 30_000, () => writeLocked(deps, req));
  if (!outcome.acquired) {
    throw new TransientError('DOC_LOCKED', `${req.flow} document ${req.docId}: bill ${target.billNo} is being written by another job; will retry`, {
      flow: req.flow,
      docId: req.docId,
      billNo: target.billNo,
    });
  }
  return outcome.value;
}

async function writeLocked(deps: KingdeeWriterDeps, req: WriteRequest): Promise<WriteResult> {
  const { kingdee, ledger } = deps;
  const { target, flow, docId } = req;
  const { formId, billNo } = target;
  const goal = finalStatus(req.settings);
  const where = `${flow} document ${docId} → ${formId} ${billNo}`;
  const log = deps.logger.child({ billNo, formId });
  const actions: WriteResult['actions'] = [];

  const known = await ledger.get(flow, billNo);
  if (known && known.status !== 'skipped' && reached(known.status, goal)) {
    log.debug({ status: known.status }, 'ledger says the bill is already written');
    return { billNo, formId, kingdeeId: known.kingdeeId, number: known.number, status: known.status, actions };
  }

  const record = async (bill: FoundBill) => {
    await ledger.record(flow, {
      billNo,
      docId,
      formId,
      kingdeeId: bill.id,
      number: bill.number,
      status: ledgerStatusOf(bill.status),
      version: req.version,
      jobId: req.jobId,
      writtenAt: deps.now().toISOString(),
    });
  };
  const find = async (): Promise<FoundBill | undefined> => {
    const found = await lookupBill(kingdee, formId, billNo);
    // Kingdee may have replaced our number (coding rule without manual numbering): the ledger remembers it.
    if (!found && known?.number && known.number !== billNo) return lookupBill(kingdee, formId, known.number);
    return found;
  };
  const contextualise = (err: unknown, step: string): unknown => {
    if (err instanceof PermanentError) {
      return new PermanentError(err.code, `${where}: ${step} failed: ${err.message}`, { ...err.details, flow, docId, billNo, formId }, { cause: err });
    }
    return err;
  };

  // A bill this service never sent a Save for cannot exist under its number unless someone keyed it by hand, and
  // then Kingdee's FBillNo uniqueness rejects the Save (handled below): the lookup is only needed after a Save.
  const mayExist = req.settings.lookupBeforeSave === 'always' || !!known || (await ledger.sentBefore(flow, [billNo]))[0];
  let bill = mayExist ? await find() : undefined;
  if (!bill) {
    await ledger.markSent(flow, [billNo]);
    try {
      const saved = await kingdee.save(formId, { ...target.model, FBillNo: billNo }, { IsVerifyBaseDataField: true });
      actions.push('save');
      bill = { id: saved.id, number: saved.number || billNo, status: 'A' };
      if (bill.number !== billNo) {
        log.warn({ number: bill.number }, 'Kingdee replaced FBillNo: enable manual numbering on the bill type, or lookups by FBillNo cannot find the bill');
      }
    } catch (err) {
      const duplicate = isDuplicateBillNo(err);
      const ambiguous = err instanceof TransientError;
      if (!duplicate && !ambiguous) throw contextualise(err, 'save');
      log.warn({ err, duplicate }, 'save did not answer clearly; looking the bill up again');
      bill = await find();
      if (!bill) {
        if (ambiguous) throw err;
        throw new PermanentError('KINGDEE_REJECTED', `${where}: Kingdee says FBillNo ${billNo} is taken, but no ${formId} bill with that number is visible to the integration user`, {
          flow, docId, billNo, formId, field: 'FBillNo',
        });
      }
    }
    await record(bill);
  } else if (!known || known.status !== ledgerStatusOf(bill.status)) {
    await record(bill);
  }

  const wantSubmit = req.settings.submit || req.settings.audit;
  if ((bill.status === 'A' || bill.status === 'D' || bill.status === 'Z') && wantSubmit) {
    bill = await step(bill, 'submit', ['B', 'C'], () => kingdee.submit(formId, [bill!.number]));
    actions.push('submit');
    await record(bill);
  }
  if (bill.status === 'B' && req.settings.audit) {
    const options = req.settings.allowNegativeStock ? { InterationFlags: 'STK_InvCheckResult' } : undefined;
    bill = await step(bill, 'audit', ['C'], () => kingdee.audit(formId, [bill!.number], options));
    actions.push('audit');
    await record(bill);
  }
  log.info({ status: bill.status, actions }, 'bill written');
  return { billNo, formId, kingdeeId: bill.id, number: bill.number, status: ledgerStatusOf(bill.status), actions };

  /** Runs one state change; on any error, Kingdee's actual state decides whether it happened. */
  async function step(
    current: FoundBill,
    name: 'submit' | 'audit',
    done: KingdeeStatus[],
    op: () => Promise<KingdeeOperationResult>,
  ): Promise<FoundBill> {
    let failure: unknown;
    try {
      const result = await op();
      const rejected = operationErrors(result);
      if (!rejected) return { ...current, status: done[0] };
      failure = new PermanentError('KINGDEE_REJECTED', rejected, { errors: result.errors });
    } catch (err) {
      failure = err;
    }
    const after = await find();
    if (after && done.includes(after.status)) {
      log.warn({ err: failure, step: name }, `${name} reported a failure but the bill is ${after.status}; continuing`);
      return after;
    }
    throw contextualise(failure, name);
  }
}
