import type { QimenProbe } from '@sync/jushuitan';
/**
 * What the shell gathered from Kingdee and JST for the checks (plain data, no I/O). A part that was not gathered
 * is `undefined` (not configured in this process, or skipped); a part whose gathering failed carries the error.
 */

/** The Kingdee base-data kinds the doctor checks (one form each, see kingdee-forms.ts). */
export const kingdeeKinds = ['organization', 'stock', 'customer', 'supplier', 'department', 'unit', 'currency', 'billType', 'material'] as const;
export type KingdeeKind = (typeof kingdeeKinds)[number];

/** One row of a Kingdee base-data form (a record allocated to several organisations has one row per use org). */
export interface KingdeeRecord {
  number: string;
  name: string;
  /** FDocumentStatus: Z 暂存, A 创建, B 审核中, C 已审核, D 重新审核. */
  documentStatus: string;
  /** FForbidStatus: A enabled, B forbidden. */
  forbidStatus: string;
  /** FUseOrgId.FNumber / FCreateOrgId.FNumber (stocks, materials). */
  useOrg?: string;
  createOrg?: string;
  /** Materials: FIsBatchManage, FIsKFPeriod, FBarCode. */
  batchManaged?: boolean;
  shelfLifeManaged?: boolean;
  barcode?: string;
  /** Bill types: FBillFormID (the form the type belongs to). */
  formId?: string;
}

/** The answer for one kind: every row whose FNumber was asked for, or why the query failed. */
export type KindLookup = { ok: true; rows: KingdeeRecord[] } | { ok: false; error: string };

/** What Kingdee says about the locations (仓位) of the mapped stocks. */
export type LocationFacts =
  | {
      ok: true;
      /** Every mapped stock's location dimensions (BD_STOCK FFlexNumber, batched); `missing`: stocks Kingdee lacks. */
      dimensions: Record<string, string[]>;
      missing: string[];
      /** The location values of the location-managed stocks whose default or bin locations are checked (View). */
      values: Record<string, { dimensions: string[]; values: string[][] } | undefined>;
    }
  | { ok: false; error: string };

export interface KingdeeFacts {
  /** One entry per configured integration user: did a login (and one cheap query) work. */
  logins: Array<{ user: string; ok: boolean; error?: string }>;
  /** Rows of the numbers the configuration refers to, by kind (absent kind = nothing to look up). */
  records: Partial<Record<KingdeeKind, KindLookup>>;
  /** Materials that might be what an unmapped SKU means (same number, same barcode or a close name). */
  candidates?: KindLookup;
  /** Locations of the mapped stocks (absent when not read). */
  locations?: LocationFacts;
}

export interface JstFacts {
  /** One cheap call per enabled flow's endpoint: did it answer. `auth`: refused for credentials or token. */
  endpoints: Array<{ flow: string; path: string; ok: boolean; auth?: boolean; error?: string }>;
}

export type GapKind = 'sku' | 'warehouse' | 'shop' | 'supplier' | 'department' | 'unit';

/** A mapping key that real JST documents need and the configuration lacks (SKUs: every unlisted one). */
export interface MappingGap {
  kind: GapKind;
  key: string;
  /** The config path to add, e.g. `mappings.skus.map."Z9999-NEW"`. */
  path: string;
  /** Ready JST documents of the scanned days that need it. */
  docs: number;
  sampleDocIds: string[];
  /** SKUs: JST's name and barcode (sku_code) where a document carries them. */
  name?: string;
  barcode?: string;
}

export interface FlowScan {
  flow: string;
  ok: boolean;
  error?: string;
  /** Ready documents read. */
  documents: number;
  gaps: MappingGap[];
}

export interface GapFacts {
  days: number;
  flows: FlowScan[];
}

export interface PreflightFacts {
  kingdee?: KingdeeFacts;
  /** Why Kingdee was not checked, when `kingdee` is undefined. */
  kingdeeSkipped?: string;
  jst?: JstFacts;
  jstSkipped?: string;
  /** Enabled flows that read JST only through 聚水潭·奇门 (`transport: qimen`): their documents are not scanned (their Qimen route is probed: `qimen`). */
  jstNotChecked?: string[];
  gaps?: GapFacts;
  gapsSkipped?: string;
  /** The Qimen route: one probe per distinct method of the enabled flows reading through Qimen (`transport: qimen | both`). */
  qimen?: QimenFacts;
}

/** One probe of the Qimen route and the flows that read through its method. */
export type QimenProbeFact = QimenProbe & { flows: string[] };

export type QimenFacts =
  | { probes: QimenProbeFact[] }
  /** Flows read through Qimen but there are no Qimen credentials (JST_QIMEN_* unset): what is missing. */
  | { missing: string; flows: string[] }
  /** Flows read through Qimen, credentials are set, but this process has no Qimen client to probe with. */
  | { skipped: string; flows: string[] };
