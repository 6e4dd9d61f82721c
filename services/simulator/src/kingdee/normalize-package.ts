import type { BaseDataStore } from './base-data';
import { ciGetAny, isRecord } from './case-insensitive';
import type { BillFormSpec, FieldSpec } from './form-spec';
import { normalizeKdDate } from './kd-date';
import type { StoredFlex, StoredRef, StoredValue, StoredValues } from './stored-bill';

/**
 * Turns a client's `Model` package into canonical, typed values: keys matched case-insensitively (and
 * with the old `<FormId>__` entity prefix stripped), references resolved the way NumberSearch does (an
 * unknown number leaves the reference empty, which the required-field check then reports).
 */
export interface SectionValues {
  values: StoredValues;
  /** Canonical keys the package carried (for NeedUpDateFields merges). */
  present: Set<string>;
  extra: Record<string, unknown>;
}

export interface NormalizedEntry extends SectionValues {
  /** FEntryID sent by the client; 0 = new row. */
  entryId: number;
}

export interface NormalizedPackage {
  fid: number;
  /** FBillNo as sent; undefined when absent or blank. */
  billNo?: string;
  header: SectionValues;
  subHeads: Record<string, SectionValues>;
  /** Undefined when the package has no entry key at all. */
  entries?: NormalizedEntry[];
}

export type RefResolver = (field: FieldSpec, raw: unknown) => StoredRef | null;

/** Resolves refs against base data; auto-created kinds get provisional id 0 (materialised on commit). */
export function baseDataResolver(baseData: BaseDataStore, formId: string): RefResolver {
  return (field, raw) => {
    if (!field.ref) return null;
    let number: string | undefined;
    if (typeof raw === 'string' || typeof raw === 'number') number = String(raw);
    else if (isRecord(raw)) {
      const byNumber = ciGetAny(raw, ['FNumber', 'FCode', 'FUserID', 'FCONTACTNUMBER']);
      if (typeof byNumber === 'string' || typeof byNumber === 'number') number = String(byNumber);
      else {
        const byName = ciGetAny(raw, ['FName']);
        if (typeof byName === 'string' && byName.trim() !== '') {
          const rec = baseData.findByName(field.ref, byName.trim());
          number = rec?.number;
        }
      }
    }
    if (number === undefined || number.trim() === '') return null;
    const rec = baseData.resolve(field.ref, number.trim(), { formId, dryRun: true });
    return rec ? { ref: true, id: rec.id, number: rec.number, name: rec.name } : null;
  };
}

function toFlex(raw: unknown): StoredFlex | null {
  if (!isRecord(raw)) return null;
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    const sub = k.split('__').pop()?.toUpperCase() ?? k.toUpperCase();
    if (typeof v === 'string' || typeof v === 'number') values[sub] = String(v);
    else if (isRecord(v)) {
      const n = ciGetAny(v, ['FNumber', 'FCode']);
      if (typeof n === 'string' || typeof n === 'number') values[sub] = String(n);
    }
  }
  return Object.keys(values).length ? { flex: true, values } : null;
}

/** One client value → its stored form for `field`. */
export function convertValue(field: FieldSpec, raw: unknown, resolve: RefResolver): StoredValue {
  if (raw === undefined || raw === null) return null;
  switch (field.kind) {
    case 'text':
    case 'enum':
      return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : null;
    case 'number': {
      if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
      if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
      return null;
    }
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1' || raw === 1) return true;
      if (raw === 'false' || raw === '0' || raw === 0) return false;
      return null;
    case 'date':
      return normalizeKdDate(raw) ?? null;
    case 'ref':
      return resolve(field, raw);
    case 'flex':
      return toFlex(raw);
  }
}

const fieldMap = (fields: readonly FieldSpec[]): Map<string, FieldSpec> => new Map(fields.map((x) => [x.key.toLowerCase(), x]));

function stripPrefix(key: string, formId: string): string {
  const prefix = `${formId.toLowerCase()}__`;
  return key.toLowerCase().startsWith(prefix) ? key.slice(prefix.length) : key;
}

function section(raw: Record<string, unknown>, fields: readonly FieldSpec[], resolve: RefResolver, skip: ReadonlySet<string>, formId: string): SectionValues {
  const byKey = fieldMap(fields);
  const out: SectionValues = { values: {}, present: new Set(), extra: {} };
  for (const [rawKey, rawValue] of Object.entries(raw)) {
    const key = stripPrefix(rawKey, formId);
    if (skip.has(key.toLowerCase())) continue;
    const spec = byKey.get(key.toLowerCase());
    if (!spec) {
      out.extra[rawKey] = rawValue;
      continue;
    }
    out.values[spec.key] = convertValue(spec, rawValue, resolve);
    out.present.add(spec.key);
  }
  return out;
}

const asInt = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : 0;
  return Number.isInteger(n) && n > 0 ? n : 0;
};

/** Normalises one `Model` object for `spec`. */
export function normalizePackage(spec: BillFormSpec, model: Record<string, unknown>, resolve: RefResolver): NormalizedPackage {
  const sectionKeys = new Set([spec.entry.key, ...spec.subHeads.map((s) => s.key)].map((k) => k.toLowerCase()));
  const headerSkip = new Set(['fid', 'fbillno', 'fdocumentstatus', ...sectionKeys]);
  const formId = spec.formId;

  const lookup = (key: string): unknown => {
    for (const [k, v] of Object.entries(model)) if (stripPrefix(k, formId).toLowerCase() === key.toLowerCase()) return v;
    return undefined;
  };

  const billNoRaw = lookup('FBillNo');
  const billNo = typeof billNoRaw === 'string' || typeof billNoRaw === 'number' ? String(billNoRaw).trim() : '';
  const out: NormalizedPackage = {
    fid: asInt(lookup('FID')),
    billNo: billNo === '' ? undefined : billNo,
    header: section(model, spec.header, resolve, headerSkip, formId),
    subHeads: {},
  };
  for (const sub of spec.subHeads) {
    let raw = lookup(sub.key);
    if (Array.isArray(raw)) raw = raw[0];
    if (isRecord(raw)) out.subHeads[sub.key] = section(raw, sub.fields, resolve, new Set(), formId);
  }
  const rawEntries = lookup(spec.entry.key);
  if (Array.isArray(rawEntries)) {
    out.entries = rawEntries.filter(isRecord).map((row) => ({
      entryId: asInt(ciGetAny(row, ['FEntryID'])),
      ...section(row, spec.entry.fields, resolve, new Set(['fentryid']), formId),
    }));
  } else if (isRecord(rawEntries)) {
    const row = rawEntries;
    out.entries = [{ entryId: asInt(ciGetAny(row, ['FEntryID'])), ...section(row, spec.entry.fields, resolve, new Set(['fentryid']), formId) }];
  }
  return out;
}
