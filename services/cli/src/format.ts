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

/** The text the CLI prints for an API answer. */
export function render(view: 'flows' | 'dead-letters' | 'json', body: unknown): string {
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
