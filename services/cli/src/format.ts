import type { View } from './commands';
/** Renders rows as an aligned text table (first row = header). Pure. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

interface FlowRow {
  name: string; enabled: boolean; paused?: boolean; lastPollAt: string | null; lagSeconds?: number | null;
  writtenToday?: number; counts: Record<string, number>; lastError: string | null; beforeCutover?: number;
}
interface DeadLetterRow { flow: string; jobId: string; docId: string | null; code: string; failedAt: string | null; message: string }

interface DayRow {
  flow: string; day: string; balanced: boolean; counts: Record<string, number>;
  totals: { jst: { documents: number; qty: number }; kingdee: { documents: number; qty: number } };
  documents?: { docId: string; kind: string; detail: string }[];
}
interface RunRow { id: string; state: string; from: string; to: string; balanced?: boolean; createdAt: string; error?: string; days: DayRow[] }

const dayRows = (days: readonly DayRow[]) => days.map((d) => [
  d.flow, d.day, d.balanced ? 'yes' : 'NO', `${d.totals.jst.documents}/${d.totals.kingdee.documents}`, `${d.totals.jst.qty}/${d.totals.kingdee.qty}`,
  String(d.counts.missing), String(d.counts.extra), String(d.counts.quantity), String(d.counts.status), String(d.counts.skipped),
]);
const DAY_HEADER = ['FLOW', 'DAY', 'BALANCED', 'DOCS JST/KD', 'QTY JST/KD', 'MISSING', 'EXTRA', 'QTY DIFF', 'UNAUDITED', 'SKIPPED'];

/** The text the CLI prints for an API answer. */
export function render(view: View, body: unknown): string {
  if (view === 'reconciliations') {
    const runs = (body as { reconciliations: RunRow[] }).reconciliations;
    if (!runs.length) return 'no reconciliations';
    return table([
      ['ID', 'STATE', 'DAYS', 'BALANCED', 'CREATED', 'DIFFERENCES'],
      ...runs.map((r) => [
        r.id, r.state, r.from === r.to ? r.from : `${r.from}..${r.to}`, r.balanced === undefined ? '-' : r.balanced ? 'yes' : 'NO', r.createdAt,
        String(r.days.reduce((n, d) => n + d.counts.missing + d.counts.extra + d.counts.quantity + d.counts.status, 0)),
      ]),
    ]);
  }
  if (view === 'reconciliation') {
    const run = body as RunRow;
    const head = `${run.id}: ${run.state}${run.error ? ` (${run.error})` : ''}`;
    const diffs = run.days.flatMap((d) => (d.documents ?? []).map((x) => [d.flow, d.day, x.kind, x.docId, x.detail.slice(0, 120)]));
    return [head, table([DAY_HEADER, ...dayRows(run.days)]), ...(diffs.length ? [table([['FLOW', 'DAY', 'KIND', 'DOC', 'DETAIL'], ...diffs])] : [])].join('\n\n');
  }
  if (view === 'flows') {
    const flows = (body as { flows: FlowRow[] }).flows;
    return table([
      ['FLOW', 'STATE', 'LAST POLL', 'LAG s', 'TODAY', 'WAIT', 'ACTIVE', 'FAILED', 'PRE-CUTOVER', 'LAST ERROR'],
      ...flows.map((f) => [
        f.name, !f.enabled ? 'disabled' : f.paused ? 'paused' : 'running', f.lastPollAt ?? '-', f.lagSeconds == null ? '-' : String(f.lagSeconds),
        String(f.writtenToday ?? 0), String(f.counts.waiting ?? 0), String(f.counts.active ?? 0), String(f.counts.failed ?? 0),
        String(f.beforeCutover ?? 0), (f.lastError ?? '').slice(0, 60),
      ]),
    ]);
  }
  if (view === 'dead-letters') {
    const letters = (body as { deadLetters: DeadLetterRow[] }).deadLetters;
    if (!letters.length) return 'no dead letters';
    return table([
      ['FLOW', 'JOB', 'DOC', 'CODE', 'FAILED AT', 'MESSAGE'],
      ...letters.map((d) => [d.flow, d.jobId, d.docId ?? '-', d.code, d.failedAt ?? '-', d.message.slice(0, 80)]),
    ]);
  }
  return JSON.stringify(body, null, 2);
}
