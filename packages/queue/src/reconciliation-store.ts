import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keys } from './keyspace';

/**
 * Reconciliation (对账) results in Redis: one JSON value per run (keys.reconciliation, expiring after keepDays),
 * an index by creation time (keys.reconciliationIndex, capped at maxRuns: the oldest go first), and the last
 * finished day per flow (keys.reconciliationLast) for /metrics. One writer per run (the job that runs it).
 */

const sideTotalsSchema = z.object({
  documents: z.number(),
  bills: z.number(),
  lines: z.number(),
  qty: z.number(),
  amount: z.number().optional(),
});

export const docResultKindSchema = z.enum(['missing', 'extra', 'quantity', 'status', 'skipped']);

export const docResultSchema = z.object({
  docId: z.string(),
  kind: docResultKindSchema,
  status: z.string().optional(),
  version: z.string().optional(),
  bills: z.array(z.object({ formId: z.string(), billNo: z.string(), id: z.number().optional(), status: z.string().optional() })),
  detail: z.string(),
  lines: z.array(z.object({ formId: z.string(), material: z.string(), lot: z.string(), jst: z.number(), kingdee: z.number() })).optional(),
  action: z.enum(['resync', 'person', 'none']),
});

export const dayReconciliationSchema = z.object({
  flow: z.string(),
  day: z.string(),
  balanced: z.boolean(),
  counts: z.object({ equal: z.number(), missing: z.number(), extra: z.number(), quantity: z.number(), status: z.number(), skipped: z.number() }),
  totals: z.object({ jst: sideTotalsSchema, kingdee: sideTotalsSchema }),
  documents: z.array(docResultSchema),
  /** Documents left out of `documents` to keep the record bounded (the counts include them). */
  omitted: z.number().optional(),
});
export type StoredDayReconciliation = z.infer<typeof dayReconciliationSchema>;

export const reconciliationRepairSchema = z.object({
  at: z.string(),
  by: z.string(),
  /** Per flow: the documents sent again through the normal queues, and the resync (poll job) id. */
  resyncs: z.array(z.object({ flow: z.string(), docIds: z.array(z.string()), resyncId: z.string() })),
  /** Differences left to a person (extra bills, unaudited bills). */
  forPeople: z.number(),
});

export const reconciliationRecordSchema = z.object({
  id: z.string(),
  trigger: z.enum(['api', 'schedule']),
  by: z.string(),
  /** The flows reconciled (every enabled document flow when none was named). */
  flows: z.array(z.string()),
  /** Business days `yyyy-MM-dd` (Beijing), inclusive. */
  from: z.string(),
  to: z.string(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  state: z.enum(['waiting', 'running', 'done', 'failed']),
  progress: z.object({ flowsDone: z.number(), flowsTotal: z.number(), flow: z.string().optional(), step: z.string().optional() }),
  error: z.string().optional(),
  days: z.array(dayReconciliationSchema),
  /** True when every day of every flow balanced (set when done). */
  balanced: z.boolean().optional(),
  repairs: z.array(reconciliationRepairSchema).default([]),
});
export type ReconciliationRecord = z.infer<typeof reconciliationRecordSchema>;

/** The last finished day of a flow, for /metrics. */
export const lastReconciliationSchema = z.object({
  id: z.string(),
  day: z.string(),
  finishedAt: z.string(),
  documents: z.number(),
  differences: z.number(),
  balanced: z.boolean(),
});
export type LastReconciliation = z.infer<typeof lastReconciliationSchema>;

export interface ReconciliationStore {
  /** Stores a new record and prunes: index capped at `maxRuns`, values expire after `keepDays`. */
  create(record: ReconciliationRecord): Promise<void>;
  /** Replaces a record (keeps its expiry window from now). */
  save(record: ReconciliationRecord): Promise<void>;
  /** Undefined when unknown, expired or unreadable. */
  get(id: string): Promise<ReconciliationRecord | undefined>;
  /** The newest `limit` records, newest first (expired ones are dropped from the index). */
  list(limit: number): Promise<ReconciliationRecord[]>;
  setLast(flow: string, last: LastReconciliation): Promise<void>;
  /** Flow → its last finished day. */
  lastPerFlow(): Promise<Record<string, LastReconciliation>>;
}

const DAY_S = 24 * 3600;

export function createReconciliationStore(redis: Redis, prefix: string, limits: { keepDays: number; maxRuns: number }): ReconciliationStore {
  const key = (id: string) => keys.reconciliation(prefix, id);
  const index = keys.reconciliationIndex(prefix);
  const lastKey = keys.reconciliationLast(prefix);
  const ttl = limits.keepDays * DAY_S;
  const parse = (raw: string | null): ReconciliationRecord | undefined => {
    if (raw === null) return undefined;
    try {
      const parsed = reconciliationRecordSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
  const write = (record: ReconciliationRecord) => JSON.stringify(reconciliationRecordSchema.parse(record));
  return {
    async create(record) {
      const created = Date.parse(record.createdAt);
      await redis
        .multi()
        .set(key(record.id), write(record), 'EX', ttl)
        .zadd(index, String(created), record.id)
        .zremrangebyscore(index, '-inf', `(${created - ttl * 1000}`)
        .exec();
      const extra = (await redis.zcard(index)) - limits.maxRuns;
      if (extra > 0) {
        const old = await redis.zrange(index, '0', String(extra - 1));
        if (old.length) await redis.multi().zrem(index, ...old).del(...old.map(key)).exec();
      }
    },
    async save(record) {
      await redis.set(key(record.id), write(record), 'EX', ttl);
    },
    async get(id) {
      return parse(await redis.get(key(id)));
    },
    async list(limit) {
      const ids = await redis.zrevrange(index, '0', String(Math.max(0, limit - 1)));
      if (!ids.length) return [];
      const raws = await redis.mget(...ids.map(key));
      const gone = ids.filter((_, i) => raws[i] === null);
      if (gone.length) await redis.zrem(index, ...gone);
      return raws.map(parse).filter((r): r is ReconciliationRecord => r !== undefined);
    },
    async setLast(flow, last) {
      await redis.hset(lastKey, flow, JSON.stringify(lastReconciliationSchema.parse(last)));
    },
    async lastPerFlow() {
      const all = await redis.hgetall(lastKey);
      const out: Record<string, LastReconciliation> = {};
      for (const [flow, raw] of Object.entries(all)) {
        try {
          const parsed = lastReconciliationSchema.safeParse(JSON.parse(raw));
          if (parsed.success) out[flow] = parsed.data;
        } catch {
          // unreadable: left out
        }
      }
      return out;
    },
  };
}

/** A new waiting record (created by the API or the scheduled job), with an id that sorts by creation time. */
export function newReconciliationRecord(req: { trigger: ReconciliationRecord['trigger']; by: string; flows: string[]; from: string; to: string; now: Date; random: string }): ReconciliationRecord {
  const stamp = req.now.toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
  return {
    id: `recon-${stamp}-${req.random.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`,
    trigger: req.trigger,
    by: req.by,
    flows: req.flows,
    from: req.from,
    to: req.to,
    createdAt: req.now.toISOString(),
    state: 'waiting',
    progress: { flowsDone: 0, flowsTotal: req.flows.length },
    days: [],
    repairs: [],
  };
}
