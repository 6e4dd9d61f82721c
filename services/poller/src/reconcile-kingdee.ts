import { PermanentError } from '@sync/errors';
import { reconcileFormFields, round6, type KingdeeBill } from '@sync/flows';
import type { BillQuery, KingdeeApi } from '@sync/kingdee';
import { z } from 'zod';

/** Rows per ExecuteBillQuery page: the 2,000 every server accepts (newer ones allow 10,000). */
export const KINGDEE_PAGE_ROWS = 2000;

/** What to read: one form, the flow's number prefixes, a business-day range (inclusive), our key field. */
export interface KingdeeBillSelection {
  formId: string;
  /** FBillNo prefixes of the flow (stocktake has two). */
  prefixes: readonly string[];
  /** `yyyy-MM-dd`, both inclusive. */
  from: string;
  to: string;
  /**
   * Instead of the prefixes: bills whose key field (`queryField`, e.g. FThirdBillNo) holds one of `values` (key
   * value → JST document id), for bills the account's coding rule renumbered. The source id is then the map's.
   */
  byKey?: { queryField: string; values: ReadonlyMap<string, string> };
}

const ksql = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** The day after a `yyyy-MM-dd` (calendar arithmetic, no time zone). */
export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const cell = {
  id: z.coerce.number().int().positive(),
  text: z.union([z.string(), z.number()]).transform(String),
  optText: z.union([z.string(), z.number(), z.null()]).optional().transform((v) => (v === null || v === undefined ? '' : String(v))),
  num: z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number), z.null()]).transform((v) => v ?? 0),
};

/**
 * Reads the bills of one form with our prefixes (or our key) dated in [from, to], one row per entry, with
 * status, material, lot, quantity and price/amount (the fields of RECONCILE_FORMS). Keyset paging on
 * (FID, entry id) in pages of `pageRows` (default KINGDEE_PAGE_ROWS), so a bill larger than a page and rows that change during the
 * read never shift a page. Throws PermanentError INVALID_RESPONSE naming the form and the row on an unreadable
 * row, and whatever the client throws.
 */
export async function readKingdeeBills(kingdee: Pick<KingdeeApi, 'executeBillQuery'>, sel: KingdeeBillSelection, pageRows = KINGDEE_PAGE_ROWS): Promise<KingdeeBill[]> {
  const f = reconcileFormFields(sel.formId);
  const entryId = `${f.entry}_FEntryId`;
  const keys = ['FID', 'FBillNo', 'FDocumentStatus', 'FDate', entryId, `${f.material}.FNumber`, `${f.lot}.FNumber`, f.qty, f.amount ?? f.price ?? f.qty];
  if (sel.byKey) keys.push(sel.byKey.queryField);
  const ours = sel.byKey
    ? `${sel.byKey.queryField} in (${[...sel.byKey.values.keys()].map(ksql).join(',')})`
    : sel.prefixes.map((p) => `FBillNo like ${ksql(`${p}%`)}`).join(' or ');
  const base = `(${ours}) and FDate >= ${ksql(sel.from)} and FDate < ${ksql(nextDay(sel.to))}`;
  const prefixes = [...sel.prefixes].sort((a, b) => b.length - a.length);
  const bills = new Map<number, KingdeeBill>();
  let after: { fid: number; entry: number } | undefined;
  for (;;) {
    const query: BillQuery = {
      FormId: sel.formId,
      FieldKeys: keys.join(','),
      FilterString: after ? `${base} and (FID > ${after.fid} or (FID = ${after.fid} and ${entryId} > ${after.entry}))` : base,
      OrderString: `FID ASC, ${entryId} ASC`,
      StartRow: 0,
      Limit: pageRows,
      TopRowCount: pageRows,
    };
    const rows = await kingdee.executeBillQuery(query);
    for (const row of rows) {
      const parsed = z
        .tuple([cell.id, cell.text, cell.text, cell.text, cell.num, cell.optText, cell.optText, cell.num, cell.num])
        .rest(z.unknown())
        .safeParse(row);
      if (!parsed.success) {
        throw new PermanentError('INVALID_RESPONSE', `Kingdee ${sel.formId} reconciliation query returned an unreadable row: ${JSON.stringify(row).slice(0, 200)}`, { formId: sel.formId });
      }
      const [fid, billNo, status, date, entry, material, lot, qty, priceOrAmount] = parsed.data;
      const keyed = sel.byKey ? sel.byKey.values.get(String(row[keys.length - 1] ?? '').trim()) : undefined;
      const prefix = prefixes.find((p) => billNo.startsWith(p));
      const sourceId = keyed ?? (prefix !== undefined && billNo.length > prefix.length ? billNo.slice(prefix.length) : undefined);
      let bill = bills.get(fid);
      if (!bill) {
        bill = { formId: sel.formId, id: fid, billNo, status, date: date.slice(0, 10), ...(sourceId !== undefined && { sourceId }), lines: [] };
        bills.set(fid, bill);
      }
      const amount = f.amount ? priceOrAmount : f.price ? round6(qty * priceOrAmount) : undefined;
      if (entry > 0) bill.lines.push({ material, lot, qty, ...(amount !== undefined && { amount }) });
      after = { fid, entry };
    }
    if (rows.length < pageRows) break;
  }
  return [...bills.values()];
}
