import type { BaseDataStore } from './base-data';
import type { BillFormSpec, FieldSpec } from './form-spec';
import { addDays } from './kd-date';
import { messages } from './messages';
import type { RefResolver } from './normalize-package';
import { isEmptyValue, isStoredFlex, isStoredRef, type StoredValue, type StoredValues } from './stored-bill';

/**
 * The business rules a Save runs on a bill before committing it: defaults, material-driven lot and
 * shelf-life rules, required fields. Pure over its inputs (base data is only read).
 */
export interface DraftEntry {
  entryId: number;
  values: StoredValues;
  extra: Record<string, unknown>;
}

export interface BillDraft {
  header: StoredValues;
  subHeads: Record<string, StoredValues>;
  entries: DraftEntry[];
  extra: Record<string, unknown>;
}

/** A validation failure of one package (DIndex is added by the caller). */
export interface FieldError {
  fieldName: string | null;
  message: string;
  msgCode: number;
}

function defaultFor(field: FieldSpec, own: StoredValues, draft: BillDraft, resolve: RefResolver): StoredValue | undefined {
  const d = field.default;
  if (!d) return undefined;
  if ('value' in d) return d.value;
  if ('refNumber' in d) return resolve(field, d.refNumber) ?? undefined;
  const sources = [own, draft.header, ...Object.values(draft.subHeads)];
  const lower = d.copyFrom.toLowerCase();
  for (const src of sources) {
    const key = Object.keys(src).find((k) => k.toLowerCase() === lower);
    if (key && !isEmptyValue(src[key])) return src[key];
  }
  return undefined;
}

/** Fills empty fields that have a default (owner = stock org, stock status 可用, ...). Mutates `draft`. */
export function applyDefaults(spec: BillFormSpec, draft: BillDraft, resolve: RefResolver): void {
  const fill = (fields: readonly FieldSpec[], values: StoredValues): void => {
    for (const field of fields) {
      if (!isEmptyValue(values[field.key])) continue;
      const v = defaultFor(field, values, draft, resolve);
      if (v !== undefined && v !== null) values[field.key] = v;
    }
  };
  fill(spec.header, draft.header);
  for (const sub of spec.subHeads) fill(sub.fields, (draft.subHeads[sub.key] ??= {}));
  for (const e of draft.entries) fill(spec.entry.fields, e.values);
}

/**
 * Lots are locked for materials without batch management (the value is dropped); a shelf-life material
 * with a production date and no expiry date gets expiry = production + shelf life. Mutates `draft`.
 */
export function applyMaterialRules(spec: BillFormSpec, draft: BillDraft, baseData: BaseDataStore): void {
  for (const e of draft.entries) {
    const m = e.values[spec.materialField];
    const material = isStoredRef(m) ? baseData.findById('material', m.id)?.material : undefined;
    if (!material) continue;
    if (spec.lotField && !material.batchManaged) e.values[spec.lotField] = null;
    if (material.shelfLifeDays && spec.produceDateField && spec.expiryDateField) {
      const produced = e.values[spec.produceDateField];
      if (typeof produced === 'string' && isEmptyValue(e.values[spec.expiryDateField])) {
        e.values[spec.expiryDateField] = addDays(produced, material.shelfLifeDays);
      }
    }
  }
}

const labelOf = (spec: BillFormSpec, key: string): string => spec.entry.fields.find((x) => x.key === key)?.label ?? key;

/**
 * The location code an entry gives a location-managed stock (its flex values joined with "." in the stock's
 * dimension order), or undefined when a dimension is missing. Real servers resolve each value against the
 * stock's location values; an unknown one is left empty, so both cases end in the required-field message.
 */
function locationCode(v: StoredValue | undefined, dims: readonly string[]): string | undefined {
  if (!isStoredFlex(v)) return undefined;
  const parts = dims.map((d) => v.values[d.toUpperCase()]);
  return parts.every((p): p is string => typeof p === 'string' && p.trim() !== '') ? parts.join('.') : undefined;
}

/** True when a location field of an entry is missing or not a location of its location-managed stock. */
function badLocation(field: FieldSpec, values: StoredValues, baseData: BaseDataStore): boolean {
  if (!field.locationOf) return false;
  const s = values[field.locationOf];
  const stock = isStoredRef(s) ? baseData.findById('stock', s.id)?.stock : undefined;
  if (!stock || !stock.flexNumbers.length) return false;
  const code = locationCode(values[field.key], stock.flexNumbers);
  return code === undefined || !stock.bins.some((b) => b.toLowerCase() === code.toLowerCase());
}

/** Required header, sub-head and entry fields, positive quantities, locations, lot and shelf-life requirements. */
export function validateDraft(spec: BillFormSpec, draft: BillDraft, baseData: BaseDataStore): FieldError[] {
  const errors: FieldError[] = [];
  const requireIn = (fields: readonly FieldSpec[], values: StoredValues): void => {
    for (const field of fields) {
      if (field.required && isEmptyValue(values[field.key])) {
        errors.push({ fieldName: field.key, message: messages.requiredHeader(field.label), msgCode: 11 });
      }
    }
  };
  requireIn(spec.header, draft.header);
  for (const sub of spec.subHeads) requireIn(sub.fields, draft.subHeads[sub.key] ?? {});

  if (draft.entries.length === 0) {
    errors.push({ fieldName: spec.entry.key, message: messages.noEntries(spec.entry.label), msgCode: 11 });
  }
  draft.entries.forEach((e, i) => {
    const row = i + 1;
    const entryError = (key: string, label: string): void => {
      errors.push({ fieldName: key, message: messages.requiredEntry(spec.entry.label, row, label), msgCode: 11 });
    };
    for (const field of spec.entry.fields) {
      if (!field.required) continue;
      const v = e.values[field.key];
      const bad = isEmptyValue(v) || (field.positive === true && !(typeof v === 'number' && v > 0));
      if (bad) entryError(field.key, field.label);
    }
    for (const field of spec.entry.fields) if (badLocation(field, e.values, baseData)) entryError(field.key, field.label);
    const m = e.values[spec.materialField];
    const material = isStoredRef(m) ? baseData.findById('material', m.id)?.material : undefined;
    if (!material) return;
    if (material.batchManaged && spec.lotField && isEmptyValue(e.values[spec.lotField])) {
      entryError(spec.lotField, labelOf(spec, spec.lotField));
    }
    if (material.shelfLifeDays) {
      for (const key of [spec.produceDateField, spec.expiryDateField]) {
        if (key && isEmptyValue(e.values[key])) entryError(key, labelOf(spec, key));
      }
    }
  });
  return errors;
}
