import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keys } from './catalog';

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

/** Per-flow status of the poller, for the API: last success (with counts and cursor) and last error. */
export interface PollStatusStore {
  get(flow: string): Promise<PollStatus>;
  recordSuccess(flow: string, s: { at: string; counts: PollCounts; cursor?: string }): Promise<void>;
  recordError(flow: string, e: { at: string; code: string; message: string }): Promise<void>;
  /** Adds documents skipped as dated before the cutover (a set of ids: a document re-read counts once). */
  addBeforeCutover(flow: string, docIds: string[]): Promise<void>;
  /** How many distinct documents were skipped as dated before the cutover. */
  beforeCutoverCount(flow: string): Promise<number>;
}

export function createPollStatusStore(redis: Redis, prefix: string): PollStatusStore {
  return {
    async get(flow) {
      const h = await redis.hgetall(keys.pollStatus(prefix, flow));
      const json = (v: string | undefined): unknown => {
        if (v === undefined) return undefined;
        try {
          return JSON.parse(v);
        } catch {
          return undefined;
        }
      };
      const parsed = pollStatusSchema.safeParse({
        lastSuccessAt: h.lastSuccessAt,
        lastCounts: json(h.lastCounts),
        cursor: h.cursor,
        lastErrorAt: h.lastErrorAt,
        lastError: json(h.lastError),
      });
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
