import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keys } from './keyspace';

export const pollCountsSchema = z.object({
  /** Rows JST returned. */
  seen: z.number(),
  /** Valid rows in the flow's ready state. */
  ready: z.number(),
  /** Rows that failed the flow's schema but had a readable id: enqueued anyway, the worker dead-letters them. */
  invalid: z.number().default(0),
  /** New jobs. */
  enqueued: z.number(),
  /** Rows whose (id, version) job already existed. */
  duplicates: z.number(),
  /** Ready rows dated before the flow's cutover: skipped, never written. */
  beforeCutover: z.number().default(0),
});
export type PollCounts = z.infer<typeof pollCountsSchema>;

export const pollStatusSchema = z.object({
  /** ISO time of the last poll that finished without error. */
  lastSuccessAt: z.string().optional(),
  lastCounts: pollCountsSchema.optional(),
  /** The cursor after the last successful poll. */
  cursor: z.string().optional(),
  /** ISO time and classification of the last failed poll. */
  lastErrorAt: z.string().optional(),
  lastError: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type PollStatus = z.infer<typeof pollStatusSchema>;

/**
 * The last poll as the status page shows it: `lastError` as `[CODE] message` (or the text stored), counts as
 * recorded.
 */
export const pollStatusSummarySchema = z.object({
  lastSuccessAt: z.string().optional(),
  lastErrorAt: z.string().optional(),
  lastError: z
    .union([z.string(), z.object({ code: z.string(), message: z.string() }).transform((e) => `[${e.code}] ${e.message}`)])
    .optional(),
  counts: z.record(z.string(), z.number()).optional(),
});
export type PollStatusSummary = z.infer<typeof pollStatusSummarySchema>;

/** Per-flow status of the poller, for the API: last success (with counts and cursor) and last error. */
export interface PollStatusStore {
  get(flow: string): Promise<PollStatus>;
  /** What GET /flows shows of the last poll; `{}` when never polled or unreadable (either layout, see readFields). */
  summary(flow: string): Promise<PollStatusSummary>;
  recordSuccess(flow: string, s: { at: string; counts: PollCounts; cursor?: string }): Promise<void>;
  recordError(flow: string, e: { at: string; code: string; message: string }): Promise<void>;
  /** Adds documents skipped as dated before the cutover (a set of ids: a document re-read counts once). */
  addBeforeCutover(flow: string, docIds: string[]): Promise<void>;
  /** How many distinct documents were skipped as dated before the cutover. */
  beforeCutoverCount(flow: string): Promise<number>;
}

function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The stored fields of a poll status, whichever layout holds them: the hash recordSuccess / recordError write
 * (`lastError` and `lastCounts` as JSON), or one JSON string `{lastSuccessAt?, lastErrorAt?, lastError?, counts?}`
 * (an older layout). Empty when absent or of another type.
 */
async function readFields(redis: Redis, key: string): Promise<Record<string, unknown>> {
  const type = await redis.type(key);
  if (type === 'string') {
    const v = parseJson(await redis.get(key));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  }
  if (type !== 'hash') return {};
  const h = await redis.hgetall(key);
  const lastError = parseJson(h.lastError);
  return {
    lastSuccessAt: h.lastSuccessAt,
    lastErrorAt: h.lastErrorAt,
    lastError: lastError === undefined ? h.lastError : lastError,
    counts: parseJson(h.lastCounts ?? h.counts),
    cursor: h.cursor,
  };
}

export function createPollStatusStore(redis: Redis, prefix: string): PollStatusStore {
  return {
    async get(flow) {
      const f = await readFields(redis, keys.pollStatus(prefix, flow));
      const parsed = pollStatusSchema.safeParse({
        lastSuccessAt: f.lastSuccessAt,
        lastCounts: f.counts,
        cursor: f.cursor,
        lastErrorAt: f.lastErrorAt,
        lastError: f.lastError,
      });
      return parsed.success ? parsed.data : {};
    },
    async summary(flow) {
      const parsed = pollStatusSummarySchema.safeParse(await readFields(redis, keys.pollStatus(prefix, flow)));
      return parsed.success ? parsed.data : {};
    },
    async recordSuccess(flow, s) {
      const fields: Record<string, string> = { lastSuccessAt: s.at, lastCounts: JSON.stringify(s.counts) };
      if (s.cursor !== undefined) fields.cursor = s.cursor;
      await redis.hset(keys.pollStatus(prefix, flow), fields);
    },
    async addBeforeCutover(flow, docIds) {
      if (docIds.length) await redis.sadd(keys.beforeCutover(prefix, flow), ...docIds);
    },
    async beforeCutoverCount(flow) {
      return redis.scard(keys.beforeCutover(prefix, flow));
    },
    async recordError(flow, e) {
      await redis.hset(keys.pollStatus(prefix, flow), {
        lastErrorAt: e.at,
        lastError: JSON.stringify({ code: e.code, message: e.message }),
      });
    },
  };
}
