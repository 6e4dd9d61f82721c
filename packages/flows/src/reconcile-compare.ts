import { round6, type BillLine } from './reconcile-forms';
import type { JstDocFacts } from './reconcile-expected';

/** A bill read from Kingdee for the day. */
export interface KingdeeBill {
  formId: string;
  id: number;
  billNo: string;
  /** FDocumentStatus: Z draft, A created, B submitted, C audited, D re-audit. */
  status: string;
  /** FDate, `yyyy-MM-dd`. */
  date: string;
  /** The JST document id behind it: from our key field, else FBillNo minus the flow's prefix. */
  sourceId?: string;
  lines: BillLine[];
}

/** The deployment's rules for what counts. */
export interface ReconcileRules {
  /** The status every bill should reach: C (audited, default), B when the flow does not audit, A when it does not submit. */
  finalStatus: string;
  /** JST document ids left out on purpose (configured exclusions). */
  excludedDocIds?: readonly string[];
}

/**
 * The kinds of a document's result. `missing`: ready in JST, no bill in Kingdee. `extra`: a bill in Kingdee whose
 * JST document is not ready (cancelled ...), no longer exists, or belongs to another day. `quantity`: the bill's
 * quantities per material and lot differ from what the transform would write. `status`: the bill is not in the
 * final state (saved or submitted, not audited). `skipped`: left out on purpose (dated before the flow's cutover,
 * nothing to book, excluded). `equal`: counted, not listed.
 */
export type DocResultKind = 'missing' | 'extra' | 'quantity' | 'status' | 'skipped';
export const DIFFERENCE_KINDS = ['missing', 'extra', 'quantity', 'status'] as const;

export interface LineDifference {
  formId: string;
  material: string;
  lot: string;
  jst: number;
  kingdee: number;
}

export interface DocResult {
  docId: string;
  kind: DocResultKind;
  /** JST status when known. */
  status?: string;
  /** JST version (ts or modified) when known: with the flow and id it names the document's queue job. */
  version?: string;
  /** The bills involved (expected numbers for `missing`, what Kingdee holds otherwise). */
  bills: Array<{ formId: string; billNo: string; id?: number; status?: string }>;
  /** Why, in words that name the document, the bill and the value. */
  detail: string;
  lines?: LineDifference[];
  /** `resync`: the repair re-sends it through the flow's queue; `person`: someone must look (never automatic). */
  action: 'resync' | 'person' | 'none';
}

export interface SideTotals {
  documents: number;
  bills: number;
  lines: number;
  qty: number;
  /** Sum of line amounts where the flow carries prices; absent when no line has one. */
  amount?: number;
}

export interface DayReconciliation {
  flow: string;
  day: string;
  balanced: boolean;
  counts: Record<DocResultKind | 'equal', number>;
  totals: { jst: SideTotals; kingdee: SideTotals };
  /** Every document that is not `equal`, ordered by kind then id. */
  documents: DocResult[];
}

function totalsOf(lineSets: BillLine[][], documents: number, bills: number): SideTotals {
  let lines = 0;
  let qty = 0;
  let amount: number | undefined;
  for (const set of lineSets) {
    for (const l of set) {
      lines++;
      qty += l.qty;
      if (l.amount !== undefined) amount = (amount ?? 0) + l.amount;
    }
  }
  return { documents, bills, lines, qty: round6(qty), ...(amount !== undefined && { amount: round6(amount) }) };
}

/** Sums quantities per form, material and lot (a JST line shipped in several lots is several Kingdee lines). */
function quantitiesByKey(bills: Array<{ formId: string; lines: BillLine[] }>): Map<string, number> {
  const sums = new Map<string, number>();
  for (const b of bills) {
    for (const l of b.lines) {
      const key = JSON.stringify([b.formId, l.material, l.lot]);
      sums.set(key, round6((sums.get(key) ?? 0) + l.qty));
    }
  }
  return sums;
}

function lineDifferences(expected: Array<{ formId: string; lines: BillLine[] }>, actual: KingdeeBill[]): LineDifference[] {
  const want = quantitiesByKey(expected);
  const have = quantitiesByKey(actual);
  const out: LineDifference[] = [];
  for (const key of new Set([...want.keys(), ...have.keys()])) {
    const jst = want.get(key) ?? 0;
    const kingdee = have.get(key) ?? 0;
    if (jst !== kingdee) {
      const [formId, material, lot] = JSON.parse(key) as [string, string, string];
      out.push({ formId, material, lot, jst, kingdee });
    }
  }
  return out.sort((a, b) => a.formId.localeCompare(b.formId) || a.material.localeCompare(b.material) || a.lot.localeCompare(b.lot));
}

const billRef = (b: KingdeeBill) => ({ formId: b.formId, billNo: b.billNo, id: b.id, status: b.status });
const KIND_ORDER: Record<DocResultKind, number> = { missing: 0, quantity: 1, extra: 2, status: 3, skipped: 4 };

/**
 * Pure: reconciles one flow's business `day` (`yyyy-MM-dd`, Beijing). `jst` holds the facts of the documents read
 * for the day (ready or not) plus any looked up by id to explain a bill; `kingdee` the flow's bills dated that day.
 * A JST document counts on the JST side when it is ready, dated `day` and not skipped; a bill counts on the Kingdee
 * side when it is dated `day`. Each bill is explained once (a stocktake's gain and loss bills belong to one JST
 * document). Never throws on data.
 */
export function reconcileDay(input: { flow: string; day: string; jst: readonly JstDocFacts[]; kingdee: readonly KingdeeBill[]; rules: ReconcileRules }): DayReconciliation {
  const { day, rules } = input;
  const excluded = new Set(rules.excludedDocIds ?? []);
  const bySource = new Map<string, KingdeeBill[]>();
  const orphans: KingdeeBill[] = [];
  for (const b of input.kingdee) {
    if (b.sourceId === undefined) orphans.push(b);
    else bySource.set(b.sourceId, [...(bySource.get(b.sourceId) ?? []), b]);
  }
  const used = new Set<KingdeeBill>();
  const results: DocResult[] = [];
  const counts: DayReconciliation['counts'] = { equal: 0, missing: 0, extra: 0, quantity: 0, status: 0, skipped: 0 };
  const jstLines: BillLine[][] = [];
  let jstDocuments = 0;
  let jstBills = 0;
  const push = (r: DocResult) => {
    counts[r.kind]++;
    results.push(r);
  };
  const factsById = new Map(input.jst.map((f) => [f.docId, f]));

  for (const doc of factsById.values()) {
    if (doc.businessDate !== day || !doc.ready) continue;
    const bills = bySource.get(doc.docId) ?? [];
    bills.forEach((b) => used.add(b));
    const status = { ...(doc.status && { status: doc.status }), version: doc.version };
    const skippedBecause = excluded.has(doc.docId)
      ? '按配置排除 (reconciliation.exclude)'
      : doc.beforeCutover !== undefined
        ? `早于上线时间 (cutover): ${doc.beforeCutover}, 上线前已手工录入金蝶`
        : doc.expected.kind === 'skip'
          ? `转换时跳过: ${doc.expected.reason}`
          : undefined;
    if (skippedBecause !== undefined) {
      push({ docId: doc.docId, kind: 'skipped', ...status, bills: bills.map(billRef), detail: skippedBecause, action: 'none' });
      continue;
    }
    jstDocuments++;
    if (doc.expected.kind === 'error') {
      if (!bills.length) {
        // A resync would only fail the same way: the mapping is fixed first, then its dead letter is retried.
        push({ docId: doc.docId, kind: 'missing', ...status, bills: [], detail: `金蝶中没有; 转换失败: ${doc.expected.message} — 先补映射, 再重试死信`, action: 'person' });
        continue;
      }
    } else if (doc.expected.kind === 'write') {
      const expected = doc.expected.bills;
      jstBills += expected.length;
      jstLines.push(...expected.map((e) => e.lines));
      const absent = expected.filter((e) => !bills.some((b) => b.formId === e.formId));
      if (absent.length) {
        push({
          docId: doc.docId, kind: 'missing', ...status,
          bills: absent.map((e) => ({ formId: e.formId, billNo: e.billNo })),
          detail: `金蝶中没有 ${absent.map((e) => `${e.formId} ${e.billNo}`).join(', ')}: 修复时重新同步`,
          action: 'resync',
        });
        continue;
      }
      const lines = lineDifferences(expected, bills);
      if (lines.length) {
        const what = lines.map((l) => `${l.material}${l.lot ? ` 批号 ${l.lot}` : ''}: 聚水潭 ${l.jst}, 金蝶 ${l.kingdee}`).join('; ');
        push({
          docId: doc.docId, kind: 'quantity', ...status, bills: bills.map(billRef), lines, action: 'resync',
          detail: `数量不同 (${what}): 请在金蝶反审核并删除 ${bills.map((b) => b.billNo).join(', ')} (由人决定, 期间可能已结账), 再点修复按聚水潭重新写入`,
        });
        continue;
      }
    }
    const unfinished = bills.filter((b) => b.status !== rules.finalStatus);
    if (unfinished.length) {
      push({
        docId: doc.docId, kind: 'status', ...status, bills: unfinished.map(billRef),
        detail: `${unfinished.map((b) => `${b.billNo} 状态 ${b.status}`).join(', ')}, 应为 ${rules.finalStatus}: 有人在金蝶改过; 请在金蝶审核 (或查明为何反审核)`,
        action: 'person',
      });
      continue;
    }
    counts.equal++;
  }

  // Bills no ready document of the day explains.
  const unexplained = new Map<string, KingdeeBill[]>();
  for (const b of input.kingdee) {
    if (used.has(b)) continue;
    const key = b.sourceId ?? `bill:${b.billNo}`;
    unexplained.set(key, [...(unexplained.get(key) ?? []), b]);
  }
  for (const [key, bills] of unexplained) {
    const doc = bills[0].sourceId !== undefined ? factsById.get(bills[0].sourceId) : undefined;
    const why = !doc
      ? bills[0].sourceId === undefined
        ? '带有我们的单号前缀, 但读不出聚水潭单号'
        : '聚水潭中找不到这张单据 (已删除, 或不在当日的已生效单据中)'
      : !doc.ready
        ? `聚水潭单据未生效 (状态 ${doc.status ?? '未知'}), 例如写入后被取消`
        : `聚水潭单据的业务日期是 ${doc.businessDate ?? '未知'}, 不是 ${day}`;
    push({
      docId: bills[0].sourceId ?? key.slice('bill:'.length),
      kind: 'extra',
      ...(doc?.status && { status: doc.status }),
      ...(doc && { version: doc.version }),
      bills: bills.map(billRef),
      detail: `金蝶中有 ${bills.map((b) => `${b.formId} ${b.billNo}`).join(', ')}, 但${why}: 请核对, 如有误在金蝶反审核并删除 (不会自动删除)`,
      action: 'person',
    });
  }

  const kingdeeDocuments = new Set(input.kingdee.map((b) => b.sourceId ?? `bill:${b.billNo}`)).size;
  results.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.docId.localeCompare(b.docId, 'en', { numeric: true }));
  return {
    flow: input.flow,
    day,
    balanced: DIFFERENCE_KINDS.every((k) => counts[k] === 0),
    counts,
    totals: {
      jst: totalsOf(jstLines, jstDocuments, jstBills),
      kingdee: totalsOf(input.kingdee.map((b) => b.lines), kingdeeDocuments, input.kingdee.length),
    },
    documents: results,
  };
}
