import type { BaseDataKind } from './base-data';

/**
 * The data that describes one bill form (单据) to the simulator. Adding a form is adding one
 * `BillFormSpec` to `form-specs.ts`: save validation, defaults, ExecuteBillQuery and View all read it.
 * Keys are written in their canonical case; clients may use any case.
 */
export type FieldKind =
  | 'text'
  | 'number'
  | 'date'
  | 'bool'
  /** A code string such as `BD_OwnerOrg` or `GENERAL`. */
  | 'enum'
  /** Base-data reference `{"FNumber": x}`; `ref` names the base-data kind. */
  | 'ref'
  /** Flex field (bins, auxiliary properties): `{"<KEY>__FF100001": {"FNumber": x} | "text"}`. */
  | 'flex';

/** Filled in when the client left the field empty. `copyFrom` looks in the same section, then the header. */
export type FieldDefault = { value: string | number | boolean } | { refNumber: string } | { copyFrom: string };

export interface FieldSpec {
  key: string;
  /** Chinese label used in messages (`字段“客户”是必填项`). */
  label: string;
  kind: FieldKind;
  ref?: BaseDataKind;
  required?: boolean;
  /** Quantities that must be greater than zero (checked with `required`). */
  positive?: boolean;
  default?: FieldDefault;
  /**
   * Location flex fields (仓位): the entry field holding the stock they belong to. When that stock is
   * location-managed (it has flex dimensions) the location is required and must be one of the stock's locations.
   */
  locationOf?: string;
}

export interface SectionSpec {
  /** Model key, e.g. `SubHeadEntity`, `FEntity`. */
  key: string;
  /** Label in messages, e.g. `明细信息`. */
  label: string;
  /** Property name of the section in View output (entity name, e.g. `SAL_OUTSTOCKENTRY`). */
  viewName: string;
  fields: FieldSpec[];
}

export interface BillFormSpec {
  kind: 'bill';
  formId: string;
  /** Chinese form name used in messages (`…的销售出库单，单据已经审核！`). */
  name: string;
  /** Prefix of automatic bill numbers. */
  autoNumberPrefix: string;
  header: FieldSpec[];
  /** 1:1 sub-heads such as `SubHeadEntity` (finance). Their fields are queried without a prefix. */
  subHeads: SectionSpec[];
  entry: SectionSpec;
  /** Entry field holding the material; drives the batch and shelf-life checks. */
  materialField: string;
  lotField?: string;
  produceDateField?: string;
  expiryDateField?: string;
  /** Where third-party ids are kept (section key or `head`, field key), for admin lookups. */
  thirdPartyKeys: Array<{ section: string; field: string }>;
}

/** Helpers that keep the spec table short. */
export const f = {
  text: (key: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ key, label, kind: 'text', ...extra }),
  num: (key: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ key, label, kind: 'number', ...extra }),
  date: (key: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ key, label, kind: 'date', ...extra }),
  bool: (key: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ key, label, kind: 'bool', ...extra }),
  enum: (key: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ key, label, kind: 'enum', ...extra }),
  ref: (key: string, label: string, ref: BaseDataKind, extra: Partial<FieldSpec> = {}): FieldSpec => ({ key, label, kind: 'ref', ref, ...extra }),
  flex: (key: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ key, label, kind: 'flex', ...extra }),
};
