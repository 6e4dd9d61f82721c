import { z } from 'zod';

/**
 * Lenient zod schemas for Kingdee WebAPI answers (kingdee-api.md §3). Real servers send booleans and numbers,
 * documentation templates send strings ("false", "", "500"); both parse to the same normalised shape.
 */

const boolish = z.union([z.boolean(), z.string(), z.number()]).transform((v) =>
  typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : v.trim().toLowerCase() === 'true',
);

/** A number, a numeric string, '' or null: '' and null become undefined. */
const numberish = z
  .union([z.number(), z.string(), z.null()])
  .transform((v, ctx) => {
    if (v === null) return undefined;
    if (typeof v === 'number') return v;
    if (v.trim() === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `not a number: ${v}` });
      return z.NEVER;
    }
    return n;
  })
  .optional();

const textish = z
  .union([z.string(), z.number(), z.null()])
  .transform((v) => (v === null ? undefined : String(v)))
  .optional();

const fieldErrorSchema = z.object({
  FieldName: textish,
  Message: textish,
  DIndex: numberish,
});

const successEntitySchema = z.object({
  Id: numberish,
  Number: textish,
  DIndex: numberish,
});

export const responseStatusSchema = z.object({
  ErrorCode: z.union([z.number(), z.string(), z.null()]).optional(),
  IsSuccess: boolish,
  Errors: z.array(fieldErrorSchema).nullish(),
  SuccessEntitys: z.array(successEntitySchema).nullish(),
  SuccessMessages: z.array(fieldErrorSchema).nullish(),
  MsgCode: numberish,
});

/** The write/operation envelope `{Result:{ResponseStatus, Id?, Number?, NeedReturnData?, Result?}}`. */
export const operationEnvelopeSchema = z.object({
  Result: z.object({
    ResponseStatus: responseStatusSchema,
    Id: numberish,
    Number: textish,
    NeedReturnData: z.unknown().optional(),
    /** View only: the data package. */
    Result: z.unknown().optional(),
  }),
});
export type OperationEnvelope = z.infer<typeof operationEnvelopeSchema>;

/** Login answer (ValidateUser / LoginByAppSecret / LoginBySign). */
export const loginResponseSchema = z.object({
  Message: textish,
  MessageCode: textish,
  LoginResultType: numberish,
  KDSVCSessionId: textish,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** A field error as parsed: DIndex may be absent (then it applies to the whole call). */
export interface RawFieldError {
  fieldName: string | null;
  message: string;
  dIndex: number | undefined;
}

/** The normalised ResponseStatus every caller works with. */
export interface NormalizedStatus {
  isSuccess: boolean;
  msgCode: number | undefined;
  errors: RawFieldError[];
  successes: { id: number | undefined; number: string; dIndex: number | undefined }[];
}

/** Normalises a parsed ResponseStatus. Pure. */
export function normalizeStatus(s: z.infer<typeof responseStatusSchema>): NormalizedStatus {
  return {
    isSuccess: s.IsSuccess,
    msgCode: s.MsgCode,
    errors: (s.Errors ?? []).map((e) => ({
      fieldName: e.FieldName && e.FieldName !== '' ? e.FieldName : null,
      message: e.Message ?? '',
      dIndex: e.DIndex,
    })),
    successes: (s.SuccessEntitys ?? []).map((e) => ({ id: e.Id, number: e.Number ?? '', dIndex: e.DIndex })),
  };
}

/** What a response body turned out to be, before any business interpretation. */
export type ParsedBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'response-error'; message: string }
  | { kind: 'invalid'; reason: string };

const responseErrorSchema = z.object({ Message: textish, InnerExWrapper: z.unknown().optional() });

/**
 * Parses a raw response body: JSON, the `response_error:` prefix the server uses for exceptions outside the
 * business layer, or something else (HTML, truncated JSON). Pure; never throws.
 */
export function parseBody(text: string): ParsedBody {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('response_error:')) {
    const rest = trimmed.slice('response_error:'.length).trim();
    let message = rest.slice(0, 300);
    try {
      const parsed = responseErrorSchema.safeParse(JSON.parse(rest));
      if (parsed.success && parsed.data.Message) message = parsed.data.Message;
    } catch {
      // keep the raw text as the message
    }
    return { kind: 'response-error', message };
  }
  if (trimmed === '') return { kind: 'invalid', reason: 'empty body' };
  try {
    return { kind: 'json', value: JSON.parse(trimmed) };
  } catch {
    return { kind: 'invalid', reason: `not JSON: ${trimmed.slice(0, 120)}` };
  }
}

/**
 * Finds the ResponseStatus in any answer shape: the plain envelope, or the ExecuteBillQuery error form
 * `[[{Result:{ResponseStatus}}]]` (detected by the first row's first cell being an object). Returns undefined
 * for query rows and for bodies without a recognisable status. Pure.
 */
export function findResponseStatus(value: unknown): NormalizedStatus | undefined {
  let candidate: unknown = value;
  if (Array.isArray(value)) {
    const first = value[0];
    const cell: unknown = Array.isArray(first) ? first[0] : first;
    if (cell === null || typeof cell !== 'object' || Array.isArray(cell)) return undefined;
    candidate = cell;
  }
  if (candidate === null || typeof candidate !== 'object') return undefined;
  const result = z.object({ Result: z.object({ ResponseStatus: responseStatusSchema }) }).safeParse(candidate);
  return result.success ? normalizeStatus(result.data.Result.ResponseStatus) : undefined;
}

/** ExecuteBillQuery answer: rows, or the wrapped error status. */
export type QueryAnswer = { kind: 'rows'; rows: unknown[][] } | { kind: 'status'; status: NormalizedStatus } | { kind: 'invalid'; reason: string };

/** Interprets an ExecuteBillQuery JSON answer (kingdee-api.md §3.4). Pure. */
export function interpretQueryAnswer(value: unknown): QueryAnswer {
  const status = findResponseStatus(value);
  if (status) return { kind: 'status', status };
  if (!Array.isArray(value)) return { kind: 'invalid', reason: 'ExecuteBillQuery answer is not an array' };
  const rows: unknown[][] = [];
  for (const row of value) {
    if (!Array.isArray(row)) return { kind: 'invalid', reason: 'ExecuteBillQuery row is not an array' };
    rows.push(row);
  }
  return { kind: 'rows', rows };
}
