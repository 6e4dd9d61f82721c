import type { z } from 'zod';
import type { KingdeeSourceFlowSettings, Mappings } from '@sync/config';

/** What a Kingdee-source transform may read besides the record (pure: no I/O, no clock, no env). */
export interface KingdeeSourceContext {
  flow: string;
  settings: KingdeeSourceFlowSettings;
  mappings: Mappings;
  /** The clock value for this run (ISO string). */
  now: string;
}

/** The ExecuteBillQuery a Kingdee-source flow reads (the poller adds FilterString, OrderString and paging). */
export interface KingdeeSourceQuery {
  formId: string;
  /** Field keys in row order; `toRecord` zips a row with them. */
  fieldKeys: readonly string[];
  /** Field holding the record's number (the document id), e.g. FNumber. */
  numberKey: string;
  /**
   * Field holding the primary key (unique per row, e.g. FMATERIALID): the tie-breaker of the keyset paging
   * `(modifyDate, id)`, so rows changing during a scan never shift a page.
   */
  idKey: string;
  /** Field holding the modification time (the version and the cursor), e.g. FModifyDate. */
  modifyDateKey: string;
  /** KSQL conditions that make a record ready, ANDed into every FilterString, e.g. `FDocumentStatus = 'C'`. */
  readyFilter: string;
}

/** One item of a JST `/open/jushuitan/itemsku/upload` call (reference jushuitan-api §11; field names exactly as JST spells them). */
export interface JstUploadItem {
  sku_id: string;
  i_id: string;
  name: string;
  properties_value?: string;
  unit?: string;
  sku_code?: string;
  s_price?: number;
  c_price?: number;
  /** 1 enabled, 0 standby, -1 forbidden. */
  enabled?: 1 | 0 | -1;
  batch_enabled?: boolean;
  /** Shelf life in days (> 0). */
  shelf_life?: number;
  item_type?: '成品' | '半成品' | '原材料' | '包材';
  other_code?: string;
  remark?: string;
}

/** What a Kingdee-source transform returns: the JST items to upload (one per SKU of the record), or a skip with a reason. */
export type UploadTransformResult =
  | { kind: 'upload'; items: JstUploadItem[]; notes?: string[] }
  | { kind: 'skip'; reason: string };

/**
 * A Kingdee → JST flow: one file in src/<name>.flow.ts, registered in `kingdeeSourceFlows`. The poller pages
 * `query` by the modification time and enqueues one job per ready record (job id flow-number-modifyDate);
 * the worker transforms each record and uploads it to `target.path` in batches.
 */
export interface KingdeeSourceFlow<R = unknown> {
  name: string;
  /** Human title shown in logs and the README, e.g. 物料 → 商品资料. */
  title: string;
  /** The schema of `flows.<name>` in the config file, defaults included (see DocumentFlow.settings). */
  settings: z.ZodType<KingdeeSourceFlowSettings>;
  source: KingdeeSourceQuery;
  target: {
    path: string;
    schema: z.ZodType<JstUploadItem>;
    /** Extra biz keys of every upload call, e.g. `{ is_normal: true }`. */
    biz?: Record<string, unknown>;
  };
  /** zod schema of one record (the row zipped with the field keys). */
  schema: z.ZodType<R>;
  /** Pure: an ExecuteBillQuery row (values in fieldKeys order) → the record object keyed by field key. */
  toRecord(row: readonly unknown[]): Record<string, unknown>;
  /** The record's number (FNumber). */
  docId(rec: R): string;
  /** The record's version: its modification time exactly as Kingdee returned it. */
  version(rec: R): string;
  /** Audited and not forbidden: only ready records are enqueued. */
  isReady(rec: R): boolean;
  /** Pure: record → JST upload item, or a skip. Throws PermanentError on unusable data. */
  transform(rec: R, ctx: KingdeeSourceContext): UploadTransformResult;
}

/** Any Kingdee-source flow, its record type out of sight (records are `unknown` until parsed with `schema`). */
export type AnyKingdeeSourceFlow = KingdeeSourceFlow<unknown>;
