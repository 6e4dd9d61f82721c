import type { BaseDataStore } from './base-data';
import { applyDefaults, applyMaterialRules, validateDraft, type BillDraft, type DraftEntry, type FieldError } from './bill-rules';
import { isRecord } from './case-insensitive';
import { refusalOf, replacesNumber, type AccountRules } from './account-rules';
import type { DocumentStore } from './document-store';
import type { BillFormSpec } from './form-spec';
import { messages } from './messages';
import { baseDataResolver, normalizePackage, type NormalizedPackage } from './normalize-package';
import { isStoredRef, type StoredBill, type StoredValues } from './stored-bill';

/**
 * Save of one package: FID 0 creates, FID of an existing bill updates it (only while Z/A/D), FBillNo is
 * unique per form (absent → automatic number), the business rules of bill-rules.ts run, and only a
 * valid package changes the store. Not idempotent, like the real server.
 */
export interface SaveContext {
  spec: BillFormSpec;
  docs: DocumentStore;
  baseData: BaseDataStore;
  /** Epoch ms used for create/modify/approve stamps. */
  now: number;
  /** The account's coding and refusal rules (default none). */
  rules?: AccountRules;
}

export interface SaveFlags {
  /** NeedUpDateFields: when non-empty only these keys (and listed entry keys) are updated. */
  needUpdateFields: string[];
  /** IsDeleteEntry (default true): on update, drop existing entry rows the package does not carry. */
  isDeleteEntry: boolean;
  /** IsAutoSubmitAndAudit: Submit and Audit after a successful save. */
  autoSubmitAndAudit: boolean;
  /** InterationFlags accepted by the call (`;`-separated). */
  interationFlags?: string;
}

export type SaveOutcome = { ok: true; doc: StoredBill; created: boolean } | { ok: false; errors: FieldError[] };

const modifiable = new Set(['Z', 'A', 'D']);

function mergeSection(base: StoredValues, incoming: StoredValues, present: Set<string>, only?: Set<string>): StoredValues {
  const out = { ...base };
  for (const key of present) if (!only || only.has(key.toLowerCase())) out[key] = incoming[key];
  return out;
}

function draftForUpdate(spec: BillFormSpec, existing: StoredBill, pkg: NormalizedPackage, flags: SaveFlags): BillDraft {
  const only = flags.needUpdateFields.length ? new Set(flags.needUpdateFields.map((k) => k.toLowerCase())) : undefined;
  const draft: BillDraft = {
    header: mergeSection(existing.header, pkg.header.values, pkg.header.present, only),
    subHeads: {},
    entries: existing.entries.map((e) => ({ entryId: e.entryId, values: { ...e.values }, extra: { ...e.extra } })),
    extra: { ...existing.extra, ...pkg.header.extra },
  };
  for (const sub of spec.subHeads) {
    const incoming = pkg.subHeads[sub.key];
    const base = existing.subHeads[sub.key] ?? {};
    draft.subHeads[sub.key] = incoming ? mergeSection(base, incoming.values, incoming.present, only) : { ...base };
  }
  const entriesListed = !only || only.has(spec.entry.key.toLowerCase());
  if (pkg.entries && entriesListed) {
    const kept: DraftEntry[] = [];
    const byId = new Map(draft.entries.map((e) => [e.entryId, e]));
    const matched = new Set<number>();
    for (const row of pkg.entries) {
      const target = row.entryId ? byId.get(row.entryId) : undefined;
      if (target) {
        matched.add(target.entryId);
        kept.push({ entryId: target.entryId, values: mergeSection(target.values, row.values, row.present, only), extra: { ...target.extra, ...row.extra } });
      } else {
        kept.push({ entryId: 0, values: { ...row.values }, extra: { ...row.extra } });
      }
    }
    const survivors = flags.isDeleteEntry ? [] : draft.entries.filter((e) => !matched.has(e.entryId));
    draft.entries = [...survivors, ...kept];
  }
  return draft;
}

function draftForCreate(spec: BillFormSpec, pkg: NormalizedPackage): BillDraft {
  const subHeads: Record<string, StoredValues> = {};
  for (const sub of spec.subHeads) subHeads[sub.key] = { ...(pkg.subHeads[sub.key]?.values ?? {}) };
  return {
    header: { ...pkg.header.values },
    subHeads,
    entries: (pkg.entries ?? []).map((e) => ({ entryId: 0, values: { ...e.values }, extra: { ...e.extra } })),
    extra: { ...pkg.header.extra },
  };
}

/** Gives provisional references (auto-created kinds: lots, staff...) their real records. */
function materialiseRefs(spec: BillFormSpec, draft: BillDraft, baseData: BaseDataStore): void {
  const fix = (fields: BillFormSpec['header'], values: StoredValues): void => {
    for (const field of fields) {
      const v = values[field.key];
      if (field.ref && isStoredRef(v) && v.id === 0) {
        const rec = baseData.resolve(field.ref, v.number);
        values[field.key] = rec ? { ref: true, id: rec.id, number: rec.number, name: rec.name } : null;
      }
    }
  };
  fix(spec.header, draft.header);
  for (const sub of spec.subHeads) fix(sub.fields, draft.subHeads[sub.key] ?? {});
  for (const e of draft.entries) fix(spec.entry.fields, e.values);
}

/** Validates and, when valid, commits one Save package. */
export function saveBill(ctx: SaveContext, model: unknown, flags: SaveFlags): SaveOutcome {
  const { spec, docs, baseData } = ctx;
  if (!isRecord(model)) return { ok: false, errors: [{ fieldName: null, message: messages.modelMissing, msgCode: 8 }] };
  const resolve = baseDataResolver(baseData, spec.formId);
  const pkg = normalizePackage(spec, model, resolve);

  const existing = pkg.fid ? docs.byId(spec.formId, pkg.fid) : undefined;
  if (pkg.fid && !existing) {
    return { ok: false, errors: [{ fieldName: 'FID', message: messages.billNotFound(String(pkg.fid)), msgCode: 10 }] };
  }
  if (existing && !modifiable.has(existing.status)) {
    return { ok: false, errors: [{ fieldName: null, message: messages.cannotModify(existing.billNo, spec.name), msgCode: 11 }] };
  }

  const draft = existing ? draftForUpdate(spec, existing, pkg, flags) : draftForCreate(spec, pkg);
  applyDefaults(spec, draft, resolve);
  applyMaterialRules(spec, draft, baseData);
  const errors = validateDraft(spec, draft, baseData);
  // A coding rule without manual numbering replaces the number of a new bill (the one sent is not even checked).
  const renumber = !existing && !!ctx.rules && replacesNumber(ctx.rules, spec, draft.header);
  if (pkg.billNo && !renumber) {
    const holder = docs.byBillNo(spec.formId, pkg.billNo);
    if (holder && holder.id !== existing?.id) {
      errors.push({ fieldName: 'FBillNo', message: messages.duplicateBillNo(pkg.billNo), msgCode: 11 });
    }
  }
  if (errors.length) return { ok: false, errors };

  materialiseRefs(spec, draft, baseData);
  const doc: StoredBill = {
    formId: spec.formId,
    id: existing?.id ?? docs.nextBillId(),
    billNo: (renumber ? undefined : pkg.billNo) ?? existing?.billNo ?? docs.nextBillNo(spec.formId, spec.autoNumberPrefix),
    status: existing?.status === 'D' ? 'D' : 'A',
    header: draft.header,
    subHeads: draft.subHeads,
    entries: draft.entries.map((e) => ({ entryId: e.entryId || docs.nextEntryId(), values: e.values, extra: e.extra })),
    extra: draft.extra,
    createdAt: existing?.createdAt ?? ctx.now,
    modifiedAt: ctx.now,
  };
  if (flags.autoSubmitAndAudit) {
    // Save, submit and audit are one transaction: a refused submit or audit rolls the save back.
    const refusal = ctx.rules && (refusalOf(ctx.rules, spec, doc, 'submit', '') ?? refusalOf(ctx.rules, spec, doc, 'audit', flags.interationFlags ?? ''));
    if (refusal) return { ok: false, errors: [{ fieldName: null, message: refusal.message, msgCode: refusal.msgCode }] };
    doc.status = 'C';
    doc.submittedAt = ctx.now;
    doc.approvedAt = ctx.now;
  }
  docs.put(doc);
  return { ok: true, doc, created: !existing };
}
