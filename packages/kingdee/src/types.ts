/**
 * The Kingdee client's public contract (packages/kingdee). Worker code depends on this interface only.
 * Throws the @sync/errors kinds: TransientError (network, timeout, HTTP 5xx, `response_error:` bodies,
 * MsgCode 1 again after one re-login, MsgCode 13/14), PermanentError KINGDEE_REJECTED (IsSuccess false with
 * business errors; details.errors holds [{fieldName, message, dIndex}], details.msgCode the MsgCode),
 * AUTH_FAILED (login refused), INVALID_RESPONSE (unparseable envelope).
 */
export interface KingdeeEntityRef {
  id: number;
  number: string;
  dIndex: number;
}

export interface KingdeeFieldError {
  fieldName: string | null;
  message: string;
  dIndex: number;
}

export interface KingdeeSaveResult {
  id: number;
  number: string;
}

/** One package of a BatchSave: either saved or rejected with its own errors. */
export type KingdeeBatchItemResult =
  | { ok: true; dIndex: number; id: number; number: string }
  | { ok: false; dIndex: number; errors: KingdeeFieldError[]; msgCode?: number };

export interface KingdeeOperationResult {
  successes: KingdeeEntityRef[];
  errors: KingdeeFieldError[];
}

export interface SaveOptions {
  /** Extra `data` keys: IsAutoSubmitAndAudit, InterationFlags, IsVerifyBaseDataField, NeedReturnFields ... */
  [key: string]: unknown;
}

export interface BillQuery {
  FormId: string;
  FieldKeys: string;
  FilterString?: string;
  OrderString?: string;
  TopRowCount?: number;
  StartRow?: number;
  Limit?: number;
}

/** The bills an operation (Submit/Audit/UnAudit/Delete) applies to: bill numbers (`Numbers`) or FIDs (`Ids`, sent comma-joined). */
export type BillTargets = readonly string[] | { ids: readonly number[] };

export interface KingdeeApi {
  /** Save one package; FID 0 creates. Throws PermanentError on IsSuccess false (e.g. duplicate FBillNo, msgCode 11). */
  save(formId: string, model: Record<string, unknown>, options?: SaveOptions): Promise<KingdeeSaveResult>;
  /** BatchSave: one result per package, by DIndex; a call-level failure (session, HTTP) throws. */
  batchSave(formId: string, models: Record<string, unknown>[], options?: SaveOptions): Promise<KingdeeBatchItemResult[]>;
  /**
   * Submit / Audit / UnAudit / Delete of many bills in one call. Partial success is returned, not thrown (each
   * success by Id/Number/DIndex, each error with the DIndex of its bill in the request); throws PermanentError
   * KINGDEE_REJECTED (details.errors, details.msgCode) only when nothing succeeded.
   */
  submit(formId: string, bills: BillTargets, options?: SaveOptions): Promise<KingdeeOperationResult>;
  audit(formId: string, bills: BillTargets, options?: SaveOptions): Promise<KingdeeOperationResult>;
  unAudit(formId: string, bills: BillTargets, options?: SaveOptions): Promise<KingdeeOperationResult>;
  delete(formId: string, bills: BillTargets): Promise<KingdeeOperationResult>;
  /** The data package of one bill, or undefined when it does not exist. */
  view(formId: string, by: { number: string } | { id: number }): Promise<Record<string, unknown> | undefined>;
  /** Rows as arrays in FieldKeys order. */
  executeBillQuery(query: BillQuery): Promise<unknown[][]>;
  /** Logs out every pooled session and releases sockets. */
  close(): Promise<void>;
}
