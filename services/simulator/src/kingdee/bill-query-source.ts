import type { DocumentStore } from './document-store';
import type { BillFormSpec, FieldSpec } from './form-spec';
import { formatKdDateTime } from './kd-date';
import type { QueryColumn, QuerySource } from './query-engine';
import { isStoredFlex, isStoredRef, type StoredBill, type StoredEntry, type StoredValue } from './stored-bill';

/**
 * Saved bills as an ExecuteBillQuery source. Header keys `F_xxx` are custom text fields (the account's own,
 * kept as sent). Base-data fields without a suffix give the internal id,
 * `.FNumber`/`.FName` the number/name; flex fields need a dimension (`FStockLocID.FF100001.FNumber`).
 * Empty values read like the database's NOT NULL defaults: '' for text, 0 for numbers and ids, false for
 * checkboxes, null for dates and for the number of an empty reference.
 */
export interface BillRow {
  doc: StoredBill;
  entry?: StoredEntry;
  seq: number;
}

function fieldValue(field: FieldSpec, raw: StoredValue | undefined, sub: string[]): { ok: boolean; value: unknown } {
  const v = raw ?? null;
  if (field.kind === 'ref') {
    if (sub.length === 0) return { ok: true, value: isStoredRef(v) ? v.id : 0 };
    if (sub.length === 1 && sub[0] === 'fnumber') return { ok: true, value: isStoredRef(v) ? v.number : null };
    if (sub.length === 1 && sub[0] === 'fname') return { ok: true, value: isStoredRef(v) ? v.name : null };
    return { ok: false, value: undefined };
  }
  if (field.kind === 'flex') {
    if (sub.length === 0 || !/^ff\d+$/.test(sub[0]) || sub.length > 2 || (sub[1] && sub[1] !== 'fnumber' && sub[1] !== 'fname')) {
      return { ok: false, value: undefined };
    }
    return { ok: true, value: isStoredFlex(v) ? (v.values[sub[0].toUpperCase()] ?? null) : null };
  }
  if (sub.length) return { ok: false, value: undefined };
  if (v === null || isStoredRef(v) || isStoredFlex(v)) {
    const empty = { text: '', enum: '', number: 0, bool: false, date: null } as const;
    return { ok: true, value: empty[field.kind] };
  }
  return { ok: true, value: v };
}

function customText(extra: Record<string, unknown>, lowerKey: string): string {
  const key = Object.keys(extra).find((k) => k.toLowerCase() === lowerKey);
  const v = key === undefined ? undefined : extra[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

const stamp = (ms: number | undefined): string | null => (ms === undefined ? null : formatKdDateTime(ms));

/** An ExecuteBillQuery source over the saved bills of `spec`. */
export function billQuerySource(spec: BillFormSpec, docs: DocumentStore): QuerySource<BillRow> {
  const entryKey = spec.entry.key.toLowerCase();
  const system: Record<string, QueryColumn<BillRow>> = {
    fid: { level: 'head', read: (r) => r.doc.id },
    fbillno: { level: 'head', read: (r) => r.doc.billNo },
    fdocumentstatus: { level: 'head', read: (r) => r.doc.status },
    fcreatedate: { level: 'head', read: (r) => stamp(r.doc.createdAt) },
    fmodifydate: { level: 'head', read: (r) => stamp(r.doc.modifiedAt) },
    fapprovedate: { level: 'head', read: (r) => stamp(r.doc.approvedAt) },
    [`${entryKey}_fentryid`]: { level: 'entry', read: (r) => r.entry?.entryId ?? 0 },
    fentryid: { level: 'entry', read: (r) => r.entry?.entryId ?? 0 },
    [`${entryKey}_fseq`]: { level: 'entry', read: (r) => r.seq },
  };
  const head = new Map<string, { field: FieldSpec; section?: string }>();
  for (const field of spec.header) head.set(field.key.toLowerCase(), { field });
  for (const sub of spec.subHeads) for (const field of sub.fields) head.set(field.key.toLowerCase(), { field, section: sub.key });
  const entry = new Map(spec.entry.fields.map((x) => [x.key.toLowerCase(), x]));

  return {
    column(key) {
      const lower = key.trim().toLowerCase();
      if (system[lower]) return system[lower];
      const [base, ...sub] = lower.split('.');
      const h = head.get(base);
      if (h) {
        const pick = (r: BillRow): StoredValue | undefined => (h.section ? r.doc.subHeads[h.section]?.[h.field.key] : r.doc.header[h.field.key]);
        if (!fieldValue(h.field, null, sub).ok) return undefined;
        return { level: 'head', read: (r) => fieldValue(h.field, pick(r), sub).value };
      }
      const e = entry.get(base);
      if (e) {
        if (!fieldValue(e, null, sub).ok) return undefined;
        return { level: 'entry', read: (r) => fieldValue(e, r.entry?.values[e.key], sub).value };
      }
      // A custom header text field (F_xxx, added to the form in BOS by the account): kept as sent, '' when absent.
      if (/^f_[a-z0-9_]+$/.test(base) && sub.length === 0) return { level: 'head', read: (r) => customText(r.doc.extra, base) };
      return undefined;
    },
    rows(entryLevel) {
      const all = docs.all(spec.formId);
      if (!entryLevel) return all.map((doc) => ({ doc, seq: 0 }));
      return all.flatMap((doc) => doc.entries.map((entry, i) => ({ doc, entry, seq: i + 1 })));
    },
  };
}
