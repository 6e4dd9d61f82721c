/**
 * Response envelopes of the K3Cloud WebAPI, byte-for-byte in key names, spelling (`SuccessEntitys`,
 * `DIndex`, `MsgCode`) and key order as reference/kingdee-api.md §3.1/§3.4/§3.5: `ErrorCode: 500` is
 * present only on failure, a failed Save has `Id: ""` and no `Number`, ExecuteBillQuery errors are
 * wrapped as `[[envelope]]`.
 */

export interface KdError {
  FieldName: string | null;
  Message: string;
  DIndex: number;
}

export interface KdSuccessEntity {
  Id: number;
  Number: string;
  DIndex: number;
}

export interface KdSuccessMessage {
  FieldName: string | null;
  Message: string;
  DIndex: number;
}

export interface StatusInput {
  errors?: KdError[];
  successes?: KdSuccessEntity[];
  messages?: KdSuccessMessage[];
  /** Defaults to 0 on success and 11 (validation failed) on failure. */
  msgCode?: number;
}

/** `ResponseStatus`: IsSuccess is false exactly when `errors` is non-empty. */
export function responseStatus(input: StatusInput): Record<string, unknown> {
  const errors = input.errors ?? [];
  const ok = errors.length === 0;
  const body = {
    IsSuccess: ok,
    Errors: errors,
    SuccessEntitys: input.successes ?? [],
    SuccessMessages: input.messages ?? [],
    MsgCode: input.msgCode ?? (ok ? 0 : 11),
  };
  return ok ? body : { ErrorCode: 500, ...body };
}

/** Submit/Audit/UnAudit/Delete (no Id/Number/NeedReturnData). */
export function operationEnvelope(input: StatusInput): Record<string, unknown> {
  return { Result: { ResponseStatus: responseStatus(input) } };
}

/** Save: success carries `Id`/`Number`; failure `Id: ""` and no `Number`. */
export function saveEnvelope(input: StatusInput, saved?: { id: number; number: string }): Record<string, unknown> {
  const status = responseStatus(input);
  if (saved && status.IsSuccess === true) {
    return { Result: { ResponseStatus: status, Id: saved.id, Number: saved.number, NeedReturnData: [{}] } };
  }
  return { Result: { ResponseStatus: status, Id: '', NeedReturnData: [{}] } };
}

/** BatchSave: no top-level Id/Number; one `{}` of NeedReturnData per saved package (at least one). */
export function batchSaveEnvelope(input: StatusInput): Record<string, unknown> {
  const saved = input.successes?.length ?? 0;
  const needReturn = Array.from({ length: Math.max(saved, 1) }, () => ({}));
  return { Result: { ResponseStatus: responseStatus(input), NeedReturnData: needReturn } };
}

/** A call-level failure with one error (session lost, bad FormId, call limit...). */
export function failureEnvelope(msgCode: number, message: string, fieldName: string | null = null): Record<string, unknown> {
  return operationEnvelope({ errors: [{ FieldName: fieldName, Message: message, DIndex: 0 }], msgCode });
}

/** ExecuteBillQuery answers errors as the envelope inside two arrays. */
export function wrapForQuery(envelope: Record<string, unknown>): unknown[][] {
  return [[envelope]];
}

/**
 * Body of an exception thrown outside the business layer: the literal prefix `response_error:` then a
 * JSON object (the SDKs detect the prefix and raise).
 */
export function responseErrorBody(message: string): string {
  return `response_error:${JSON.stringify({ Message: message, InnerExWrapper: null, InnerException: null })}`;
}
