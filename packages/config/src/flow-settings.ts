import { z } from 'zod';
import { kingdeeCode } from './mappings';

/**
 * A date-time of the config file: `yyyy-MM-dd HH:mm:ss` (or `yyyy-MM-dd`, a `T` separator, seconds optional) read
 * as Beijing time, or ISO with an explicit `Z` / `±hh:mm` offset. Checked for shape here; the poller parses it.
 */
export const configDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i,
    'expected a Beijing date-time "yyyy-MM-dd HH:mm:ss" (or ISO with an offset, e.g. "2026-12-01T00:00:00+08:00")',
  );

/** How often a flow is polled and how far back it looks. */
export const scheduleSchema = z.object({
  /** Poll interval in milliseconds. */
  everyMs: z.number().int().min(1000).default(15000),
  /** Window mode only: how far behind "now" the window end stays, so late commits in JST are not missed (seconds). */
  lagSeconds: z.number().int().min(0).default(60),
  /** Window mode only: each poll re-reads this many seconds before the cursor (seconds). */
  lookbackSeconds: z.number().int().min(0).default(600),
  /**
   * Window mode only, expert override: where the first poll starts when no cursor exists (Beijing time if no
   * offset). Absent (the default) = at the cutover. The cutover filter applies either way.
   */
  startFrom: configDateTime.optional(),
  /**
   * ts mode only, expert override: the first `start_ts` when no cursor exists. Absent (the default) = found from the
   * cutover (a first pass over modified-time windows). The cutover filter applies either way.
   */
  startTs: z.number().int().min(0).optional(),
}).strict();

/**
 * Defaults of the optional write settings, applied where they are used (the worker) rather than by the schema, so
 * parsed configs keep their shape; documented with the others and checked by documented-defaults.test.ts.
 */
export const DEFAULT_WRITE_BATCH_SIZE = 20;
export const DEFAULT_WRITE_BATCH_WAIT_MS = 200;
export const DEFAULT_LOOKUP_BEFORE_SAVE = 'sent-before';
export const DEFAULT_WRITE_MODE = 'staged';

/** A FBillNo prefix (a flow gives its default: `billNoPrefixSchema.default('JSTSO')`). */
export const billNoPrefixSchema = z.string().min(1).max(30);

/**
 * Settings some flows implement and others do not, with the reason a flow without them refuses them: a key a flow
 * does not declare is refused (the objects are strict), and for these the message says why.
 */
const NOT_IMPLEMENTED: Readonly<Record<string, string>> = {
  reversal: 'this flow does not follow cancellations in JST (its flow has no isReversal), so there is nothing to reverse: remove it',
  transport: 'this flow has no Qimen method: it reads the open API only, remove it',
  qimen: 'this flow has no Qimen method: remove it',
  openweb: 'this flow has no Qimen method: remove it',
  currency: 'this flow\'s bills carry no currency: remove it',
  exchangeRateType: 'this flow\'s bills carry no prices, so no exchange rate: remove it',
  taxRate: 'this flow\'s bills carry no prices, so no tax rate: remove it',
};

/** zod's message for unknown keys, with the reason for keys that other flows implement. */
function unknownKeyMessage(issue: { code?: string; keys?: string[] }): string | undefined {
  if (issue.code !== 'unrecognized_keys' || !issue.keys) return undefined;
  const known = issue.keys.filter((k) => NOT_IMPLEMENTED[k] !== undefined);
  if (!known.length) return undefined;
  const keys = issue.keys.map((k) => `"${k}"`).join(', ');
  return `Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${keys} (${known.map((k) => `${k}: ${NOT_IMPLEMENTED[k]}`).join('; ')})`;
}

/** The price settings of the flows whose bills carry prices (sales and purchase); the others refuse the keys. */
export const priceSettingsShape = {
  /** Settlement and local currency number in Kingdee. */
  currency: kingdeeCode.default('PRE001'),
  /** Exchange rate type number. */
  exchangeRateType: kingdeeCode.default('HLTX01_SYS'),
  /** Tax rate (percent) put on lines when JST has none. */
  taxRate: z.number().min(0).max(100).default(13),
};

/**
 * `reversal`, for a flow that follows cancellations in JST (its `isReversal`; the other flows refuse the key): what
 * to do when a synced source document is later cancelled in JST. `record` (default) records it and raises a
 * `reversal` event; `unaudit-delete` also unaudits and deletes the Kingdee document while it is unused (a refusal,
 * e.g. referenced by a later bill, is dead-lettered).
 */
export const reversalSettingSchema = z.enum(['record', 'unaudit-delete']).default('record');
export type ReversalPolicy = z.output<typeof reversalSettingSchema>;

/**
 * Settings every JST → Kingdee document flow shares. A flow declares its own schema from it (packages/flows,
 * `settings` of the flow): `.extend` with the defaults of billType and billNoPrefix, its own keys, and the
 * optional ones it implements (`reversal: reversalSettingSchema`, `...transportSettingsShape`).
 */
export const documentFlowSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  schedule: scheduleSchema.default(() => scheduleSchema.parse({})),
  /**
   * Go-live of this flow (overrides the top-level `cutover`): documents whose business date (cutoverBy) is before
   * it are skipped, never written; a flow without a cursor starts reading there. Absent = the top-level cutover.
   */
  cutover: configDateTime.optional(),
  /**
   * Which date of a JST document is compared with the cutover: `business-date` (default) = the date the flow
   * declares (io_date, as_date ...; the document's modified time when it has none), or `modified`.
   */
  cutoverBy: z.enum(['business-date', 'modified']).default('business-date'),
  /** Kingdee bill type number, e.g. XSCKD01_SYS. */
  billType: kingdeeCode,
  /** FBillNo = billNoPrefix + JST document id: the stable idempotency key stored on the Kingdee document. */
  billNoPrefix: billNoPrefixSchema,
  /** Stock status number for lines. */
  stockStatus: kingdeeCode.default('KCZT01_SYS'),
  /** Submit the saved document. */
  submit: z.boolean().default(true),
  /** Audit the submitted document (implies submit). */
  audit: z.boolean().default(true),
  /** Pass `InterationFlags: STK_InvCheckResult` so negative stock does not block the audit. */
  allowNegativeStock: z.boolean().default(true),
  /** Retry policy: attempts before a transient failure becomes a dead letter, and the first backoff delay (ms). */
  attempts: z.number().int().min(1).max(100).default(8),
  backoffMs: z.number().int().min(10).default(2000),
  /**
   * How a bill reaches its final state. `staged` (default): BatchSave without auto-audit, then one Submit and one
   * Audit call for the saved bills by their ids, each bill's outcome read from the answer; a bill that saved but was
   * not submitted or audited stays in Kingdee and a retry resumes at the failed stage. `auto-audit`: BatchSave with
   * `IsAutoSubmitAndAudit` (one call per batch). Kingdee discourages it for bills: save, submit and audit then run
   * in one transaction that integrators see abort (事务已中止) or time out, and a refusal of the audit fails the save
   * too (kingdee-api.md §11). Only with submit and audit both on; otherwise the write is staged.
   */
  writeMode: z.enum(['staged', 'auto-audit']).optional(),
  /**
   * The field that keeps this service's key on the Kingdee bill besides FBillNo, so a bill is found again when the
   * bill type's coding rule replaced the number sent: a model path (`FNote`, `F_JST_Key`, `SubHeadEntity.F_X`),
   * filled with FBillNo by the worker. Absent: the form's third-party field that the flow fills with the JST id
   * (SAL_OUTSTOCK / SAL_RETURNSTOCK SubHeadEntity.FThirdBillNo, STK_InStock FInStockFin.FTHIRDBILLNO, transfer and
   * stocktake FThirdSrcBillNo), or the header note on forms without one (PUR_MRB FDESCRIPTION, STK_MISCELLANEOUS
   * FNOTE, STK_MisDelivery FNote), which then holds FBillNo instead of the description.
   */
  keyField: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/, 'a field key such as FNote, F_JST_Key or SubHeadEntity.F_JST_Key').optional(),
  /**
   * Documents per Kingdee write call. Above 1 the worker collects the documents of concurrent jobs of this flow
   * into one BatchSave (then one Submit and one Audit, see writeMode) of up to this many packages (Kingdee guidance:
   * ≤ 20), and raises its concurrency to 2 × writeBatchSize × Kingdee users. 1 = one Save, Submit and Audit per
   * document. Absent = 20 (the worker's DEFAULT_WRITE_BATCH_SIZE; optional rather than defaulted so parsed
   * configs keep their shape).
   */
  writeBatchSize: z.number().int().min(1).max(100).optional(),
  /** Batched path only: how long a partial batch waits for more documents before it is sent (ms); absent = 200. */
  writeBatchWaitMs: z.number().int().min(0).max(5000).optional(),
  /**
   * When the worker looks a bill up by FBillNo before saving it. `sent-before` (absent = this): only when this
   * service has sent a Save for that bill number before (a marker is written in Redis before every Save/BatchSave),
   * or the ledger knows it; a first Save goes straight out and Kingdee's FBillNo uniqueness (MsgCode 11) backs it up.
   * `always`: before every Save (one extra query per document or batch; use it after Redis lost its data).
   */
  lookupBeforeSave: z.enum(['sent-before', 'always']).optional(),
}, { error: unknownKeyMessage }).strict();
/** The shared settings as every flow's settings have them; `reversal` and the price settings only where the flow implements them. */
export type DocumentFlowSettings = z.output<typeof documentFlowSettingsSchema> & {
  reversal?: ReversalPolicy;
  currency?: string;
  exchangeRateType?: string;
  taxRate?: number;
};
