import type { DocumentStatus } from './base-data';

/**
 * How the simulator holds a bill after Save: field values keyed by the spec's canonical key, references
 * already resolved against base data (so a later base-data change does not rewrite history).
 */

/** A resolved base-data reference; id 0 = provisional (auto-created kinds, assigned at commit). */
export interface StoredRef {
  ref: true;
  id: number;
  number: string;
  name: string;
}

/** A flex value: sub-key (upper case, e.g. `FF100001`) → number or text. */
export interface StoredFlex {
  flex: true;
  values: Record<string, string>;
}

export type StoredValue = string | number | boolean | null | StoredRef | StoredFlex;
export type StoredValues = Record<string, StoredValue>;

export interface StoredEntry {
  entryId: number;
  values: StoredValues;
  /** Keys the spec does not know, kept as sent. */
  extra: Record<string, unknown>;
}

export interface StoredBill {
  formId: string;
  id: number;
  billNo: string;
  status: DocumentStatus;
  header: StoredValues;
  /** Sub-head section key → values. */
  subHeads: Record<string, StoredValues>;
  entries: StoredEntry[];
  extra: Record<string, unknown>;
  createdAt: number;
  modifiedAt: number;
  submittedAt?: number;
  approvedAt?: number;
}

export function isStoredRef(v: unknown): v is StoredRef {
  return typeof v === 'object' && v !== null && (v as { ref?: unknown }).ref === true;
}

export function isStoredFlex(v: unknown): v is StoredFlex {
  return typeof v === 'object' && v !== null && (v as { flex?: unknown }).flex === true;
}

/** Empty in the sense of a required-field check: absent, null, '', an unresolved ref. */
export function isEmptyValue(v: StoredValue | undefined): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (isStoredFlex(v)) return Object.keys(v.values).length === 0;
  return false;
}
