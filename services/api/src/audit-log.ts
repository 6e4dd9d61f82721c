import type { Redis } from 'ioredis';
import { keys } from '@sync/queue';
import { z } from 'zod';

/** One manual action: who did what, when, and how it ended. */
export const auditEntrySchema = z.object({
  at: z.string(),
  principal: z.string(),
  role: z.string(),
  /** `retry`, `retry-all`, `discard`, `resync`, `resync-cancel`, `pause`, `resume`, `poll`, `ledger-prune`, `login-failed` (wrong credentials: details.address and .user, never the password), `cross-site-refused`, or `http` for other writes (Bull Board). */
  action: z.string(),
  method: z.string(),
  url: z.string(),
  statusCode: z.number().int(),
  /** What the action was about (flow, jobId, filter, note ...); never secrets. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Entries kept (newest first); older ones are trimmed on write. */
export const AUDIT_MAX_ENTRIES = 10000;

/** The audit list's key (keys.audit). */
export const auditKey = keys.audit;

/** Entries read per LRANGE when listing. */
const AUDIT_PAGE = 500;

const matches = (e: AuditEntry, filter: { action?: string; principal?: string; after?: string }): boolean =>
  (filter.action === undefined || e.action === filter.action) &&
  (filter.principal === undefined || e.principal === filter.principal) &&
  (filter.after === undefined || e.at > filter.after);

/** The audit trail of manual actions, a capped Redis list under the BullMQ prefix (newest first). */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first; `action` / `principal` filter, only entries later than `after` (ISO time), at most `limit`. */
  list(filter?: { action?: string; principal?: string; after?: string; limit?: number }): Promise<AuditEntry[]>;
}

export function createAuditLog(redis: Redis, prefix: string): AuditLog {
  const key = auditKey(prefix);
  return {
    async record(entry) {
      await redis.multi().lpush(key, JSON.stringify(auditEntrySchema.parse(entry))).ltrim(key, 0, AUDIT_MAX_ENTRIES - 1).exec();
    },
    async list(filter = {}) {
      const limit = filter.limit ?? 100;
      const out: AuditEntry[] = [];
      // Page by page, newest first: a filter with `after` stops at the first older entry.
      for (let start = 0; start < AUDIT_MAX_ENTRIES; start += AUDIT_PAGE) {
        const raw = await redis.lrange(key, start, Math.min(start + AUDIT_PAGE, AUDIT_MAX_ENTRIES) - 1);
        for (const text of raw) {
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            continue;
          }
          const parsed = auditEntrySchema.safeParse(value);
          if (!parsed.success) continue;
          if (filter.after !== undefined && parsed.data.at <= filter.after) return out;
          if (!matches(parsed.data, filter)) continue;
          out.push(parsed.data);
          if (out.length >= limit) return out;
        }
        if (raw.length < AUDIT_PAGE) break;
      }
      return out;
    },
  };
}

/** An AuditLog in memory, for tests and for an API without Redis. */
export function createMemoryAuditLog(): AuditLog & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    async record(entry) {
      entries.unshift(auditEntrySchema.parse(entry));
    },
    async list(filter = {}) {
      return entries.filter((e) => matches(e, filter)).slice(0, filter.limit ?? 100);
    },
  };
}
