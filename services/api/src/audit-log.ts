import type { Redis } from 'ioredis';
import { createCappedList, keys } from '@sync/queue';
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
  const list = createCappedList(redis, auditKey(prefix), auditEntrySchema, AUDIT_MAX_ENTRIES);
  return {
    record: (entry) => list.push(entry),
    async list(filter = {}) {
      const limit = filter.limit ?? 100;
      const out: AuditEntry[] = [];
      // Newest first: a filter with `after` stops at the first older entry.
      await list.scan((entry) => {
        if (filter.after !== undefined && entry.at <= filter.after) return false;
        if (matches(entry, filter)) out.push(entry);
        return out.length < limit;
      });
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
