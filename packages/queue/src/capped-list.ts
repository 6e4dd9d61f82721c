import type { Redis } from 'ioredis';
import type { z } from 'zod';

/**
 * A Redis list of JSON values, newest first, trimmed to `max` entries on every push (the alert events, the audit
 * log). Values are validated by `schema` when written; when read, entries that do not parse are skipped.
 */
export interface CappedList<T> {
  /** Prepends one value and trims the list; throws a ZodError for an invalid value, else what Redis throws. */
  push(value: T): Promise<void>;
  /**
   * Reads newest first, a page at a time, calling `visit` for each readable entry until it returns `false` or
   * the list (at most `max` entries) ends.
   */
  scan(visit: (value: T) => boolean | void): Promise<void>;
  /** The newest `limit` readable entries among the newest `limit` stored, newest first. */
  newest(limit: number): Promise<T[]>;
}

/** Entries read per LRANGE by `scan`. */
const PAGE = 500;

export function createCappedList<S extends z.ZodType>(redis: Redis, key: string, schema: S, max: number): CappedList<z.infer<S>> {
  const parse = (text: string): z.infer<S> | undefined => {
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined; // not JSON
    }
  };
  return {
    async push(value) {
      await redis.multi().lpush(key, JSON.stringify(schema.parse(value))).ltrim(key, 0, max - 1).exec();
    },
    async scan(visit) {
      for (let start = 0; start < max; start += PAGE) {
        const raw = await redis.lrange(key, start, Math.min(start + PAGE, max) - 1);
        for (const text of raw) {
          const value = parse(text);
          if (value !== undefined && visit(value) === false) return;
        }
        if (raw.length < PAGE) return;
      }
    },
    async newest(limit) {
      const out: z.infer<S>[] = [];
      for (const text of await redis.lrange(key, 0, limit - 1)) {
        const value = parse(text);
        if (value !== undefined) out.push(value);
      }
      return out;
    },
  };
}
