import type { Redis } from 'ioredis';
import { keys } from './keyspace';

/**
 * Counters every process writes to Redis (under the BullMQ prefix) so one `/metrics` endpoint reports the whole
 * deployment: documents written and failed per flow and reason, client call latency histograms and error counts
 * per system and operation, rate-limit hits. All writes are single HINCRBY/INCRBY commands: cheap, atomic, and
 * safe to lose on a crash (they are metrics, not the ledger).
 */

/** Upper bounds (ms) of the call latency histogram buckets; `+Inf` is implied. */
export const CALL_LATENCY_BUCKETS_MS = [50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000] as const;

/** How long a per-day written counter is kept (s): today and yesterday answer, older days expire. */
const DAY_COUNTER_TTL_S = 3 * 24 * 3600;

/** One call to JST or Kingdee as a client's `onCall` hook reports it. `code` is the error code when `ok` is false. */
export interface CallSample {
  system: 'jst' | 'kingdee';
  op: string;
  ms: number;
  ok: boolean;
  code?: string;
}

/** Everything the metrics store holds, as read for `/metrics`. */
export interface MetricsSnapshot {
  /** flow → documents written to Kingdee (all time, since the counters exist). */
  written: Record<string, number>;
  /** flow → code → documents dead-lettered. */
  failed: Record<string, Record<string, number>>;
  /** `system|op` → histogram: cumulative bucket counts (same order as CALL_LATENCY_BUCKETS_MS, then +Inf), sum ms, count, errors per code. */
  calls: Record<string, { buckets: number[]; sumMs: number; count: number; errors: Record<string, number> }>;
  /** source (`api`, `jst`, `kingdee`) → times a rate limit answered. */
  rateLimitHits: Record<string, number>;
}

export interface MetricsStore {
  /** One document written (or confirmed written) to Kingdee by `flow`; `day` is `yyyy-MM-dd` (the caller's calendar). */
  documentWritten(flow: string, day: string, count?: number): Promise<void>;
  /** One document dead-lettered by `flow` with reason `code`. */
  documentFailed(flow: string, code: string): Promise<void>;
  /** Documents written by `flow` on `day`. */
  writtenOnDay(flow: string, day: string): Promise<number>;
  call(sample: CallSample): Promise<void>;
  rateLimitHit(source: string): Promise<void>;
  snapshot(): Promise<MetricsSnapshot>;
}

/** Index of the first bucket whose bound holds `ms` (the +Inf bucket is CALL_LATENCY_BUCKETS_MS.length). */
export function latencyBucket(ms: number): number {
  const i = CALL_LATENCY_BUCKETS_MS.findIndex((b) => ms <= b);
  return i < 0 ? CALL_LATENCY_BUCKETS_MS.length : i;
}

const clean = (s: string) => s.replace(/\|/g, '_');

export function createMetricsStore(redis: Redis, prefix: string): MetricsStore {
  return {
    async documentWritten(flow, day, count = 1) {
      const dayKey = keys.metricsWrittenOnDay(prefix, flow, day);
      await redis
        .multi()
        .hincrby(keys.metricsDocs(prefix), `written|${clean(flow)}`, count)
        .incrby(dayKey, count)
        .expire(dayKey, DAY_COUNTER_TTL_S)
        .exec();
    },
    async documentFailed(flow, code) {
      await redis.hincrby(keys.metricsDocs(prefix), `failed|${clean(flow)}|${clean(code)}`, 1);
    },
    async writtenOnDay(flow, day) {
      return Number((await redis.get(keys.metricsWrittenOnDay(prefix, flow, day))) ?? 0);
    },
    async call(s) {
      const base = `${s.system}|${clean(s.op)}`;
      const m = redis
        .multi()
        .hincrby(keys.metricsCalls(prefix), `${base}|bucket|${latencyBucket(s.ms)}`, 1)
        .hincrby(keys.metricsCalls(prefix), `${base}|sum`, Math.max(0, Math.round(s.ms)))
        .hincrby(keys.metricsCalls(prefix), `${base}|count`, 1);
      if (!s.ok) m.hincrby(keys.metricsCalls(prefix), `${base}|error|${clean(s.code ?? 'UNKNOWN')}`, 1);
      await m.exec();
    },
    async rateLimitHit(source) {
      await redis.hincrby(keys.metricsRateLimitHits(prefix), clean(source), 1);
    },
    async snapshot() {
      const [docs, calls, hits] = await Promise.all([
        redis.hgetall(keys.metricsDocs(prefix)),
        redis.hgetall(keys.metricsCalls(prefix)),
        redis.hgetall(keys.metricsRateLimitHits(prefix)),
      ]);
      const out: MetricsSnapshot = { written: {}, failed: {}, calls: {}, rateLimitHits: {} };
      for (const [field, v] of Object.entries(docs)) {
        const parts = field.split('|');
        if (parts[0] === 'written' && parts.length === 2) out.written[parts[1]] = Number(v);
        if (parts[0] === 'failed' && parts.length === 3) (out.failed[parts[1]] ??= {})[parts[2]] = Number(v);
      }
      for (const [field, v] of Object.entries(calls)) {
        const [system, op, kind, arg] = field.split('|');
        if (!system || !op || !kind) continue;
        const h = (out.calls[`${system}|${op}`] ??= {
          buckets: new Array<number>(CALL_LATENCY_BUCKETS_MS.length + 1).fill(0),
          sumMs: 0,
          count: 0,
          errors: {},
        });
        if (kind === 'bucket') h.buckets[Number(arg)] = (h.buckets[Number(arg)] ?? 0) + Number(v);
        else if (kind === 'sum') h.sumMs = Number(v);
        else if (kind === 'count') h.count = Number(v);
        else if (kind === 'error' && arg) h.errors[arg] = Number(v);
      }
      // Stored per bucket; Prometheus wants cumulative counts.
      for (const h of Object.values(out.calls)) {
        for (let i = 1; i < h.buckets.length; i += 1) h.buckets[i] += h.buckets[i - 1];
      }
      for (const [field, v] of Object.entries(hits)) out.rateLimitHits[field] = Number(v);
      return out;
    },
  };
}

/** The Beijing calendar day (`yyyy-MM-dd`, UTC+8, no DST) of `at`: "documents written today" counts by it. */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
