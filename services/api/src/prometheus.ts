import { CALL_LATENCY_BUCKETS_MS, type LastReconciliation, type MetricsSnapshot } from '@sync/queue';
import type { QueueGauges } from './ops';

/** Escapes a label value for the Prometheus text format (backslash, double quote, newline). */
function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/**
 * Renders the metrics in the Prometheus text exposition format 0.0.4. Pure. Counters come from the Redis
 * snapshot (every process's increments), gauges from the queues at scrape time. Latencies are in seconds.
 */
export function formatPrometheus(
  snapshot: MetricsSnapshot,
  gauges: readonly QueueGauges[],
  reconciliations?: { now: Date; last: Readonly<Record<string, LastReconciliation>> },
): string {
  const out: string[] = [];
  const family = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  };

  family('sync_documents_written_total', 'counter', 'Documents written to Kingdee, per flow.');
  for (const [flow, n] of Object.entries(snapshot.written)) out.push(`sync_documents_written_total${labels({ flow })} ${n}`);

  family('sync_documents_failed_total', 'counter', 'Documents dead-lettered, per flow and reason class.');
  for (const [flow, byCode] of Object.entries(snapshot.failed)) {
    for (const [reason, n] of Object.entries(byCode)) out.push(`sync_documents_failed_total${labels({ flow, reason })} ${n}`);
  }

  family('sync_queue_jobs', 'gauge', 'Jobs in each flow queue, per state.');
  for (const g of gauges) {
    for (const [state, n] of Object.entries(g.counts)) out.push(`sync_queue_jobs${labels({ flow: g.flow, state })} ${n}`);
  }

  family('sync_poll_lag_seconds', 'gauge', 'Seconds since the last successful poll of each flow.');
  for (const g of gauges) if (g.lagSeconds !== null) out.push(`sync_poll_lag_seconds${labels({ flow: g.flow })} ${g.lagSeconds}`);

  family('sync_flow_paused', 'gauge', '1 when an operator paused the flow.');
  for (const g of gauges) out.push(`sync_flow_paused${labels({ flow: g.flow })} ${g.paused ? 1 : 0}`);

  family('sync_client_call_duration_seconds', 'histogram', 'Latency of calls to JST and Kingdee, per system and operation.');
  for (const [key, h] of Object.entries(snapshot.calls)) {
    const [system, op] = key.split('|');
    CALL_LATENCY_BUCKETS_MS.forEach((b, i) => {
      out.push(`sync_client_call_duration_seconds_bucket${labels({ system, op, le: String(b / 1000) })} ${h.buckets[i]}`);
    });
    out.push(`sync_client_call_duration_seconds_bucket${labels({ system, op, le: '+Inf' })} ${h.buckets[CALL_LATENCY_BUCKETS_MS.length]}`);
    out.push(`sync_client_call_duration_seconds_sum${labels({ system, op })} ${h.sumMs / 1000}`);
    out.push(`sync_client_call_duration_seconds_count${labels({ system, op })} ${h.count}`);
  }

  family('sync_client_call_errors_total', 'counter', 'Failed calls to JST and Kingdee, per system, operation and error code.');
  for (const [key, h] of Object.entries(snapshot.calls)) {
    const [system, op] = key.split('|');
    for (const [code, n] of Object.entries(h.errors)) out.push(`sync_client_call_errors_total${labels({ system, op, code })} ${n}`);
  }

  family('sync_rate_limit_hits_total', 'counter', 'Rate-limit answers, per source (api = this API refused a client; jst/kingdee = the remote asked us to slow down).');
  for (const [source, n] of Object.entries(snapshot.rateLimitHits)) out.push(`sync_rate_limit_hits_total${labels({ source })} ${n}`);

  if (reconciliations) {
    const last = Object.entries(reconciliations.last);
    family('sync_reconciliation_documents', 'gauge', 'Ready JST documents of the last reconciled business day, per flow.');
    for (const [flow, r] of last) out.push(`sync_reconciliation_documents${labels({ flow, day: r.day })} ${r.documents}`);
    family('sync_reconciliation_differences', 'gauge', 'Differences (missing, extra, other quantities, not audited) of the last reconciled business day, per flow.');
    for (const [flow, r] of last) out.push(`sync_reconciliation_differences${labels({ flow, day: r.day })} ${r.differences}`);
    family('sync_reconciliation_age_seconds', 'gauge', 'Seconds since the last reconciliation of each flow finished.');
    for (const [flow, r] of last) {
      out.push(`sync_reconciliation_age_seconds${labels({ flow })} ${Math.max(0, Math.round((reconciliations.now.getTime() - Date.parse(r.finishedAt)) / 1000))}`);
    }
  }

  return `${out.join('\n')}\n`;
}
