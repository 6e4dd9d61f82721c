import { z } from 'zod';

/**
 * Base data (基础资料) the simulator resolves `{"FNumber": ...}` references against. Numbers match
 * case-insensitively. Kinds in `AUTO_CREATED_KINDS` are not modelled in detail: any number is accepted
 * and recorded on first use (lots are created by the bills that carry them).
 */
export const baseDataKinds = [
  'organization', 'stock', 'customer', 'supplier', 'material', 'unit', 'currency', 'exchangeRateType',
  'stockStatus', 'billType', 'returnType', 'lot', 'department', 'staff', 'assistant',
] as const;
export type BaseDataKind = (typeof baseDataKinds)[number];

/** Kinds whose unknown numbers are created on the fly instead of resolving to nothing. */
export const AUTO_CREATED_KINDS: ReadonlySet<BaseDataKind> = new Set<BaseDataKind>(['lot', 'department', 'staff', 'assistant']);

export type DocumentStatus = 'Z' | 'A' | 'B' | 'C' | 'D';

export interface MaterialAttrs {
  specification: string;
  /** Unit number, e.g. `Pcs`. */
  baseUnit: string;
  batchManaged: boolean;
  /** Shelf life in days; present = shelf-life managed (FIsKFPeriod). */
  shelfLifeDays?: number;
  /** Use organisation number. */
  useOrg: string;
}

export interface BaseDataRecord {
  kind: BaseDataKind;
  id: number;
  number: string;
  name: string;
  documentStatus: DocumentStatus;
  /** A = enabled, B = forbidden. */
  forbidStatus: 'A' | 'B';
  createdAt: number;
  modifiedAt: number;
  material?: MaterialAttrs;
  /**
   * Stocks: the location dimensions (BD_STOCK FFlexNumber, e.g. FF100001, FF100002; none = not location-managed,
   * 启用仓位 off) and the valid locations, each a code with one part per dimension joined by "." ("G.01").
   */
  stock?: { bins: string[]; flexNumbers: string[] };
  /** Currencies: ISO code (FCODE). */
  currency?: { code: string };
  /** Bill types: the FormId they belong to. */
  billType?: { formId: string };
}

const named = z.object({ number: z.string().min(1), name: z.string().default('') });
const status = z.object({
  documentStatus: z.enum(['Z', 'A', 'B', 'C', 'D']).optional(),
  forbidden: z.boolean().optional(),
});
const plainList = z.array(named.extend(status.shape)).optional();

/** Admin input for seeding/adding base data (POST /__admin/base-data, `addBaseData`). Upserts by number. */
export const baseDataInputSchema = z.object({
  /** Drop all base data first. */
  replace: z.boolean().optional(),
  organizations: plainList,
  /** `bins`: valid locations ("G.01" over two dimensions); `flexNumbers`: dimensions, default [FF100001] when bins are given. */
  stocks: z.array(named.extend(status.shape).extend({ bins: z.array(z.string()).optional(), flexNumbers: z.array(z.string()).optional() })).optional(),
  customers: plainList,
  suppliers: plainList,
  units: plainList,
  currencies: z.array(named.extend(status.shape).extend({ code: z.string().optional() })).optional(),
  exchangeRateTypes: plainList,
  stockStatuses: plainList,
  billTypes: z.array(named.extend(status.shape).extend({ formId: z.string().min(1) })).optional(),
  returnTypes: plainList,
  departments: plainList,
  staff: plainList,
  materials: z
    .array(
      named.extend(status.shape).extend({
        specification: z.string().optional(),
        baseUnit: z.string().optional(),
        batchManaged: z.boolean().optional(),
        shelfLifeDays: z.number().int().positive().optional(),
        useOrg: z.string().optional(),
      }),
    )
    .optional(),
});
export type BaseDataInput = z.input<typeof baseDataInputSchema>;

export interface BaseDataStore {
  /** Validates and upserts; a changed record gets a new modifiedAt. Returns how many records were written. */
  add(input: BaseDataInput): number;
  /** Exact lookup by number (case-insensitive), whatever the status. */
  find(kind: BaseDataKind, number: string): BaseDataRecord | undefined;
  findById(kind: BaseDataKind, id: number): BaseDataRecord | undefined;
  /** Lookup by name (for `{"FNAME": ...}` references). */
  findByName(kind: BaseDataKind, name: string): BaseDataRecord | undefined;
  /**
   * What NumberSearch finds for a bill: audited (C), not forbidden, and for bill types one of `formId`.
   * Auto-created kinds always resolve (created here unless `dryRun`, then a record with id 0 is returned).
   */
  resolve(kind: BaseDataKind, number: string, opts?: { formId?: string; dryRun?: boolean }): BaseDataRecord | undefined;
  list(kind: BaseDataKind): BaseDataRecord[];
  clear(): void;
}

export function createBaseDataStore(clock: () => number): BaseDataStore {
  const byKind = new Map<BaseDataKind, Map<string, BaseDataRecord>>();
  let nextId = 100001;
  const table = (kind: BaseDataKind): Map<string, BaseDataRecord> => {
    let t = byKind.get(kind);
    if (!t) byKind.set(kind, (t = new Map()));
    return t;
  };

  const upsert = (kind: BaseDataKind, fields: Omit<BaseDataRecord, 'kind' | 'id' | 'createdAt' | 'modifiedAt'>): void => {
    const key = fields.number.toLowerCase();
    const existing = table(kind).get(key);
    const now = clock();
    if (existing) {
      const before = JSON.stringify({ ...existing, createdAt: 0, modifiedAt: 0 });
      Object.assign(existing, fields);
      if (JSON.stringify({ ...existing, createdAt: 0, modifiedAt: 0 }) !== before) existing.modifiedAt = now;
      return;
    }
    table(kind).set(key, { kind, id: nextId++, createdAt: now, modifiedAt: now, ...fields });
  };

  const common = (r: { number: string; name?: string; documentStatus?: DocumentStatus; forbidden?: boolean }) => ({
    number: r.number,
    name: r.name ?? '',
    documentStatus: r.documentStatus ?? ('C' as const),
    forbidStatus: r.forbidden ? ('B' as const) : ('A' as const),
  });

  return {
    add(rawInput) {
      const input = baseDataInputSchema.parse(rawInput);
      if (input.replace) byKind.clear();
      let n = 0;
      const plain: Array<[BaseDataKind, typeof input.organizations]> = [
        ['organization', input.organizations], ['customer', input.customers], ['supplier', input.suppliers],
        ['unit', input.units], ['exchangeRateType', input.exchangeRateTypes], ['stockStatus', input.stockStatuses],
        ['returnType', input.returnTypes], ['department', input.departments], ['staff', input.staff],
      ];
      for (const [kind, list] of plain) for (const r of list ?? []) (upsert(kind, common(r)), n++);
      for (const r of input.stocks ?? []) {
        const bins = r.bins ?? [];
        upsert('stock', { ...common(r), stock: { bins, flexNumbers: r.flexNumbers ?? (bins.length ? ['FF100001'] : []) } });
        n++;
      }
      for (const r of input.currencies ?? []) (upsert('currency', { ...common(r), currency: { code: r.code ?? '' } }), n++);
      for (const r of input.billTypes ?? []) (upsert('billType', { ...common(r), billType: { formId: r.formId } }), n++);
      for (const r of input.materials ?? []) {
        upsert('material', {
          ...common(r),
          material: {
            specification: r.specification ?? '',
            baseUnit: r.baseUnit ?? 'Pcs',
            batchManaged: r.batchManaged ?? false,
            shelfLifeDays: r.shelfLifeDays,
            useOrg: r.useOrg ?? '100',
          },
        });
        n++;
      }
      return n;
    },
    find: (kind, number) => table(kind).get(number.toLowerCase()),
    findById: (kind, id) => [...table(kind).values()].find((r) => r.id === id),
    findByName: (kind, name) => [...table(kind).values()].find((r) => r.name === name),
    resolve(kind, number, opts = {}) {
      const found = table(kind).get(number.toLowerCase());
      if (!found && AUTO_CREATED_KINDS.has(kind)) {
        const fields = { number, name: number, documentStatus: 'C' as const, forbidStatus: 'A' as const };
        if (opts.dryRun) return { kind, id: 0, createdAt: 0, modifiedAt: 0, ...fields };
        upsert(kind, fields);
        return table(kind).get(number.toLowerCase());
      }
      if (!found || found.documentStatus !== 'C' || found.forbidStatus !== 'A') return undefined;
      if (kind === 'billType' && opts.formId && found.billType && found.billType.formId.toLowerCase() !== opts.formId.toLowerCase()) {
        return undefined;
      }
      return found;
    },
    list: (kind) => [...table(kind).values()].sort((a, b) => a.id - b.id),
    clear: () => byKind.clear(),
  };
}
