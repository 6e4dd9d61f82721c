import type { BillFormSpec, FieldSpec } from './form-spec';
import { formatKdDateTime } from './kd-date';
import { isStoredFlex, isStoredRef, type StoredBill, type StoredValues } from './stored-bill';

/**
 * Two renderings of a stored bill: the View package (entity property names, nested references,
 * reference §3.5; the property names are the field keys without the leading `F`, an approximation of
 * the real metadata names) and the Save-format model the admin interface shows.
 */

const prop = (key: string): string => key.replace(/^F(?=[A-Z])/i, '');

function viewSection(fields: readonly FieldSpec[], values: StoredValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const v = values[field.key];
    if (v === undefined) continue;
    const name = prop(field.key);
    if (field.kind === 'ref') {
      out[`${name}_Id`] = isStoredRef(v) ? v.id : 0;
      out[name] = isStoredRef(v) ? { Id: v.id, Number: v.number, Name: [{ Key: 2052, Value: v.name }] } : null;
    } else if (isStoredFlex(v)) {
      out[name] = Object.fromEntries(Object.entries(v.values).map(([k, n]) => [k, { Number: n }]));
    } else {
      out[name] = v;
    }
  }
  return out;
}

/** The `Result.Result` package of View. */
export function viewBill(spec: BillFormSpec, doc: StoredBill): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Id: doc.id,
    BillNo: doc.billNo,
    DocumentStatus: doc.status,
    FormId: spec.formId,
    CreateDate: formatKdDateTime(doc.createdAt),
    ModifyDate: formatKdDateTime(doc.modifiedAt),
    ApproveDate: doc.approvedAt === undefined ? null : formatKdDateTime(doc.approvedAt),
    ...viewSection(spec.header, doc.header),
  };
  for (const sub of spec.subHeads) out[sub.viewName] = [{ Id: doc.id, ...viewSection(sub.fields, doc.subHeads[sub.key] ?? {}) }];
  out[spec.entry.viewName] = doc.entries.map((e, i) => ({ Id: e.entryId, Seq: i + 1, ...viewSection(spec.entry.fields, e.values) }));
  return out;
}

function modelSection(fields: readonly FieldSpec[], values: StoredValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const v = values[field.key];
    if (v === undefined || v === null) continue;
    if (isStoredRef(v)) out[field.key] = { FNumber: v.number };
    else if (isStoredFlex(v)) {
      out[field.key] = Object.fromEntries(Object.entries(v.values).map(([k, n]) => [`${field.key.toUpperCase()}__${k}`, { FNumber: n }]));
    } else out[field.key] = v;
  }
  return out;
}

/** The bill as a Save package (what Kingdee holds, with defaults and resolved numbers), for the admin API. */
export function billAsModel(spec: BillFormSpec, doc: StoredBill): Record<string, unknown> {
  const out: Record<string, unknown> = {
    FID: doc.id,
    FBillNo: doc.billNo,
    FDocumentStatus: doc.status,
    ...modelSection(spec.header, doc.header),
  };
  for (const sub of spec.subHeads) out[sub.key] = modelSection(sub.fields, doc.subHeads[sub.key] ?? {});
  out[spec.entry.key] = doc.entries.map((e) => ({ FEntryID: e.entryId, ...modelSection(spec.entry.fields, e.values), ...e.extra }));
  return { ...out, ...doc.extra };
}
