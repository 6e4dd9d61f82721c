import type { z } from 'zod';
import type { DocumentFlowSettings, Mappings } from '@sync/config';

/** What a pure transform may read besides the source document (STYLE principle 1: no I/O, no clock, no env). */
export interface FlowContext<S extends DocumentFlowSettings = DocumentFlowSettings> {
  flow: string;
  settings: S;
  mappings: Mappings;
  /** The clock value for this run (ISO string). */
  now: string;
}

/**
 * Where a Kingdee form written by a document flow keeps what a reconciliation compares: the entry list, the
 * material, the lot, the quantity and (where the flow carries one) the price or amount. One table read by both
 * sides: the expected lines are taken from the flow's own Save model with these keys, and the Kingdee reader
 * builds its ExecuteBillQuery FieldKeys from the same keys (`<material>.FNumber`, `<lot>.FNumber`, ...).
 */
export interface ReconcileFormFields {
  /** Entry list key in the Save model, also the entry prefix in queries (`FEntity_FEntryId`). */
  entry: string;
  material: string;
  lot: string;
  qty: string;
  /** Unit price including tax: amount = qty × price. */
  price?: string;
  /** Line amount, when the form carries it directly. */
  amount?: string;
}

/**
 * Where a Kingdee form written by a document flow keeps the integration's key besides FBillNo (kingdee-api.md §5
 * "Third-party reference fields"), so that a bill whose number the account's coding rule replaced is still found:
 * a model path (`Section.Field` for a sub-head field) and what it holds. The writer and the reconciliation read it
 * (resolveBillKey in @sync/kingdee takes it); a flow's `keyField` setting overrides it.
 */
export interface KeyFieldDeclaration {
  path: string;
  /**
   * `source-id`: a third-party field the flow's transform fills with the JST document id (the key is that value);
   * `bill-no`: a field with no third-party meaning (the header note) that the writer fills with our FBillNo.
   */
  holds: 'source-id' | 'bill-no';
}

/** One kind of bill a flow writes, under its settings. */
export interface FlowBill {
  formId: string;
  /** Kingdee bill type number. */
  billType: string;
  /** FBillNo = billNoPrefix + the JST document id. */
  billNoPrefix: string;
  /** The settings key the bill type comes from (`billType`, `lossBillType`), for messages naming the config path. */
  billTypeKey: string;
}

/** One document to write to Kingdee. */
export interface TargetDocument {
  formId: string;
  /**
   * Stable idempotency key, stored on the Kingdee document as FBillNo: derived from the JST document id only
   * (never from its version), so every retry and every version of one JST document looks up the same bill.
   */
  billNo: string;
  /** The Save `Model` package. */
  model: Record<string, unknown>;
}

export type TransformResult =
  /** `notes`: what the transform left out on purpose (zero-quantity lines ...), for the job log and ledger. */
  | { kind: 'write'; documents: TargetDocument[]; notes?: string[] }
  | { kind: 'skip'; reason: string };

/** How the poller reads a flow's source incrementally. */
export type SourceCursor =
  /** start_ts paging on the row version (`ts`); no other filters are sent with start_ts. */
  | { kind: 'ts' }
  /** modified-time windows of at most 7 days, with `filters` (status ...) sent on each page. */
  | { kind: 'window'; filters: Record<string, unknown> };

/** How an endpoint selects given documents: the id-list filter key and the most ids one call takes. */
export interface IdFilter {
  /** e.g. `io_ids`. */
  key: string;
  /** JST's id lists take at most 50 ids; some endpoints fewer (purchasein, purchaseout: 30). */
  max: number;
}

/** Where a flow reads its documents in JST. */
export interface FlowSourceSpec {
  /** JST endpoint path. */
  path: string;
  cursor: SourceCursor;
  /**
   * The field of a raw row that holds the document id (`io_id`, `as_id`): read from rows that fail the flow's
   * schema, so they are still enqueued (and dead-lettered with the reason) under the id the flow would give them.
   */
  idField: string;
  /**
   * The endpoint's id-list filter, to read given documents (resync and reconciliation by ids, preview by id).
   * Absent: the endpoint cannot be read by id (a time range is used instead).
   */
  idFilter?: IdFilter;
  /**
   * The document's business date field (io_date ...): the date its Kingdee bill is dated with (FDate), compared
   * with the flow's cutover. A document without a readable value falls back to `modified`, as FDate does.
   */
  businessDate: string;
}

/**
 * A JST → Kingdee document flow: one file in src/<name>.flow.ts, one line in flowRegistry (registry.ts). Everything
 * the services know about a flow is here; they never look a flow up by its name in a table of their own.
 */
export interface DocumentFlow<S = unknown, Settings extends DocumentFlowSettings = DocumentFlowSettings> {
  name: string;
  /** Human title shown in the API and README, e.g. 销售出库单. */
  title: string;
  /**
   * The schema of `flows.<name>` in the config file, defaults included: documentFlowSettingsSchema (@sync/config)
   * extended with the defaults of billType and billNoPrefix, the flow's own keys and the optional settings it
   * implements (`reversal` with isReversal, the transport keys with `qimen`). The config schema is assembled from
   * these (sync-config.ts); a key the flow does not declare is refused.
   */
  settings: z.ZodType<Settings>;
  source: FlowSourceSpec;
  /**
   * Optional: the source chosen by the flow's settings, for a flow whose endpoint is selectable per deployment
   * (sales-return: `source: received | refund`). Callers use `flowSource(flow, settings)`; without it, `source`.
   */
  sourceFor?(settings: Settings): FlowSourceSpec;
  /**
   * Optional: the JST Qimen custom method serving this flow's Taobao/Tmall shops (jst-qimen.md §5), for the
   * settings `transport: qimen | both`. `filters` go with each window page (never with start_ts). Its rows use the
   * open API's field names, so the same schema, ids and transform apply: one JST document, one Kingdee bill,
   * whichever transport read it. `businessDate` and `idField` as in FlowSourceSpec, for the rows this method returns.
   */
  qimen?: { method: string; filters: Record<string, unknown>; businessDate: string; idField: string };
  /**
   * `formId`: the Kingdee form written; `otherFormIds`: further forms the same flow may write (stocktake writes
   * 盘盈单 and 盘亏单 from one JST document). `schema` validates every target document of the flow.
   */
  target: {
    formId: string;
    schema: z.ZodType;
    otherFormIds?: readonly string[];
    /** Where each form the flow writes (formId and otherFormIds, one entry each) keeps what a reconciliation compares. */
    reconcile: Readonly<Record<string, ReconcileFormFields>>;
    /**
     * The key field of each form the flow writes (one entry per form, as `reconcile`); a form without an entry has
     * none (its bills are found by FBillNo only, unless the settings' `keyField` names one).
     */
    keyFields: Readonly<Record<string, KeyFieldDeclaration>>;
    /**
     * Optional: the bills the flow writes under its settings, when it writes more than one form (stocktake: 盘盈单 and
     * 盘亏单, each with its bill type and prefix). Callers use `flowBills(flow, settings)`; without it, one bill of
     * `formId` with the settings' billType and billNoPrefix.
     */
    bills?(settings: Settings): FlowBill[];
  };
  /** zod schema of one source document, lenient on number typing (numbers or numeric strings). */
  schema: z.ZodType<S>;
  /** JST document id (io_id ...), as a string. */
  docId(doc: S): string;
  /** Version of this document: its ts, or its modified time. Goes into the BullMQ job id. */
  version(doc: S): string;
  /** The source condition (shipped, received, effective ...): only ready documents are enqueued. */
  isReady(doc: S): boolean;
  /**
   * Optional: true when this version cancels a document that may already be in Kingdee (JST status
   * Cancelled/Delete ...). The poller enqueues such versions only for documents the ledger knows; the
   * worker then applies the flow's `reversal` policy instead of the transform.
   */
  isReversal?(doc: S): boolean;
  /** Pure: source document → Kingdee documents, or a skip with a reason. Throws PermanentError on unmapped data. */
  transform(doc: S, ctx: FlowContext<Settings>): TransformResult;
}

/**
 * Any document flow, its own types out of sight: its source documents are `unknown` until parsed with `schema`,
 * and its settings are seen as the shared DocumentFlowSettings (`settingsFor(config, name)` gives them, parsed by
 * the flow's own `settings` schema). Every registered flow, and every flow a test builds, is one.
 */
export type AnyDocumentFlow = DocumentFlow<unknown, DocumentFlowSettings>;
