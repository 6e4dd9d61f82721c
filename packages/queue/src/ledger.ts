import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keys } from './catalog';

/** How far a Kingdee document got: saved (status A/D), submitted (B), audited (C); skipped = nothing to write. */
export const ledgerStatusSchema = z.enum(['saved', 'submitted', 'audited', 'skipped']);
export type LedgerStatus = z.infer<typeof ledgerStatusSchema>;

/** Order of the write states, for "is this far enough" checks. */
export const LEDGER_STATUS_RANK: Record<LedgerStatus, number> = { skipped: -1, saved: 0, submitted: 1, audited: 2 };

/** The record of one target document (or one skipped source document) of a flow. */
export const ledgerEntrySchema = z.object({
  /** FBillNo of the Kingdee document; null for a skipped source document (keyed by docId then). */
  billNo: z.string().nullable(),
  /** Source (JST) document id. */
  docId: z.string(),
  formId: z.string().optional(),
  /** Kingdee FID, once saved. */
  kingdeeId: z.number().nullable(),
  /** The number Kingdee returned (equals billNo when manual numbering is honoured). */
  number: z.string().nullable(),
  status: ledgerStatusSchema,
  /** Source version that was written. */
  version: z.string(),
  jobId: z.string(),
  /** ISO time of this record. */
  writtenAt: z.string(),
  /** Why the document was skipped. */
  reason: z.string().optional(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/** Durable per-flow record of what was written to Kingdee, keyed by billNo (skips: by docId). One Redis hash per flow. */
export interface Ledger {
  /** The entry under `key` (a billNo, or a docId for skips); undefined when none or unreadable. */
  get(flow: string, key: string): Promise<LedgerEntry | undefined>;
  /** Upserts the entry under its billNo (or docId when billNo is null). */
  record(flow: string, entry: LedgerEntry): Promise<void>;
  /** Pages through the entries (HSCAN order); `cursor` '0' starts, a returned '0' means the end. */
  list(flow: string, opts?: { cursor?: string; count?: number }): Promise<{ entries: LedgerEntry[]; cursor: string }>;
  /** Number of entries of the flow. */
  count(flow: string): Promise<number>;
  /** Marks bill numbers as sent to Kingdee (call BEFORE the Save/BatchSave that carries them). */
  markSent(flow: string, billNos: readonly string[]): Promise<void>;
  /** For each bill number: whether a Save was ever sent for it (markSent). */
  sentBefore(flow: string, billNos: readonly string[]): Promise<boolean[]>;
}

function parseEntry(raw: string | null): LedgerEntry | undefined {
  if (raw === null) return undefined;
  try {
    const parsed = ledgerEntrySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function createLedger(redis: Redis, prefix: string): Ledger {
  return {
    async get(flow, key) {
      return parseEntry(await redis.hget(keys.ledger(prefix, flow), key));
    },
    async record(flow, entry) {
      const valid = ledgerEntrySchema.parse(entry);
      await redis.hset(keys.ledger(prefix, flow), valid.billNo ?? valid.docId, JSON.stringify(valid));
    },
    async list(flow, opts = {}) {
      const [cursor, flat] = await redis.hscan(keys.ledger(prefix, flow), opts.cursor ?? '0', 'COUNT', opts.count ?? 100);
      const entries: LedgerEntry[] = [];
      for (let i = 1; i < flat.length; i += 2) {
        const e = parseEntry(flat[i]);
        if (e) entries.push(e);
      }
      return { entries, cursor };
    },
    async count(flow) {
      return redis.hlen(keys.ledger(prefix, flow));
    },
    async markSent(flow, billNos) {
      if (billNos.length) await redis.sadd(keys.sentBills(prefix, flow), ...billNos);
    },
    async sentBefore(flow, billNos) {
      if (!billNos.length) return [];
      const flags = await redis.smismember(keys.sentBills(prefix, flow), ...billNos);
      return flags.map((f) => f === 1);
    },
  };
}
