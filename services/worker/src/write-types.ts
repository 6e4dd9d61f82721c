import type { Redis } from 'ioredis';
import type { DocumentFlowSettings } from '@sync/config';
import { TransientError } from '@sync/errors';
import type { KeyFieldDeclaration, TargetDocument } from '@sync/flows';
import type { KingdeeApi, KingdeeStatus } from '@sync/kingdee';
import type { Logger } from '@sync/logger';
import { LEDGER_STATUS_RANK, type Ledger, type LedgerStatus } from '@sync/queue';

/** What the Kingdee write path needs from the outside world. */
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

/** The flow settings the write path reads. */
export type WriteSettings = Pick<DocumentFlowSettings, 'submit' | 'audit' | 'allowNegativeStock' | 'lookupBeforeSave' | 'writeMode' | 'keyField'>;

/** One target document to write, and where it came from. */
export interface WriteRequest {
  flow: string;
  settings: WriteSettings;
  target: TargetDocument;
  /** The flow's declared key field of `target.formId` (its `target.keyFields` entry); undefined: the form has none. */
  declaredKey: KeyFieldDeclaration | undefined;
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

/** One request's outcome inside a batch: its own result or its own error. */
export type BatchOutcome = { ok: true; result: WriteResult } | { ok: false; error: unknown };

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

/** Whether `status` is at least `goal`. */
export function reached(status: LedgerStatus, goal: LedgerStatus): boolean {
  return LEDGER_STATUS_RANK[status] >= LEDGER_STATUS_RANK[goal];
}

/** The one error for "another job holds this bill's lock" (writes and reversals). */
export function docLockedError(flow: string, docId: string, billNo: string): TransientError {
  return new TransientError('DOC_LOCKED', `${flow} document ${docId}: bill ${billNo} is being written by another job; will retry`, { flow, docId, billNo });
}
