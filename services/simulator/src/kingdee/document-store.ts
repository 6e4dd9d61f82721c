import type { StoredBill } from './stored-bill';

/**
 * Saved bills per FormId, with the FBillNo uniqueness index (per form, case-insensitive like the
 * database collation) and the id/number sequences.
 */
export interface DocumentStore {
  all(formId: string): StoredBill[];
  byId(formId: string, id: number): StoredBill | undefined;
  byBillNo(formId: string, billNo: string): StoredBill | undefined;
  /** Inserts or replaces (same id); keeps the bill-number index in step. */
  put(doc: StoredBill): void;
  remove(formId: string, id: number): void;
  nextBillId(): number;
  nextEntryId(): number;
  /** `<prefix><000001>`, skipping numbers already used in the form. */
  nextBillNo(formId: string, prefix: string): string;
  clear(): void;
}

export function createDocumentStore(): DocumentStore {
  const forms = new Map<string, Map<number, StoredBill>>();
  const numbers = new Map<string, Map<string, number>>();
  let billId = 100001;
  let entryId = 1000001;
  const autoSeq = new Map<string, number>();
  const docs = (formId: string): Map<number, StoredBill> => {
    const k = formId.toLowerCase();
    let m = forms.get(k);
    if (!m) forms.set(k, (m = new Map()));
    return m;
  };
  const index = (formId: string): Map<string, number> => {
    const k = formId.toLowerCase();
    let m = numbers.get(k);
    if (!m) numbers.set(k, (m = new Map()));
    return m;
  };

  const store: DocumentStore = {
    all: (formId) => [...docs(formId).values()].sort((a, b) => a.id - b.id),
    byId: (formId, id) => docs(formId).get(id),
    byBillNo(formId, billNo) {
      const id = index(formId).get(billNo.toLowerCase());
      return id === undefined ? undefined : docs(formId).get(id);
    },
    put(doc) {
      const previous = docs(doc.formId).get(doc.id);
      if (previous) index(doc.formId).delete(previous.billNo.toLowerCase());
      docs(doc.formId).set(doc.id, doc);
      index(doc.formId).set(doc.billNo.toLowerCase(), doc.id);
    },
    remove(formId, id) {
      const doc = docs(formId).get(id);
      if (!doc) return;
      docs(formId).delete(id);
      index(formId).delete(doc.billNo.toLowerCase());
    },
    nextBillId: () => billId++,
    nextEntryId: () => entryId++,
    nextBillNo(formId, prefix) {
      const key = formId.toLowerCase();
      for (;;) {
        const n = (autoSeq.get(key) ?? 0) + 1;
        autoSeq.set(key, n);
        const candidate = `${prefix}${String(n).padStart(6, '0')}`;
        if (!store.byBillNo(formId, candidate)) return candidate;
      }
    },
    clear() {
      forms.clear();
      numbers.clear();
      autoSeq.clear();
      billId = 100001;
      entryId = 1000001;
    },
  };
  return store;
}
