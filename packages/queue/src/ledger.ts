import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keys } from './keyspace';

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
  /** `get` for many keys in one call (HMGET), in order. */
  getMany(flow: string, keys: readonly string[]): Promise<(LedgerEntry | undefined)[]>;
  /** `record` for many entries in one call (one HSET); throws ZodError on an invalid entry, writing none. */
  recordMany(flow: string, entries: readonly LedgerEntry[]): Promise<void>;
  /**
   * Every entry of source document `docId`: one per bill it produced (a stocktake's gain and loss bills, found
   * through the document's bill index whatever their prefixes) and its skip entry, with the field each lives
   * under. `alsoKeys` are read too: bills recorded before the index existed (their FBillNo). Unreadable entries
   * and entries of another document are left out.
   */
  entriesOf(flow: string, docId: string, alsoKeys?: readonly string[]): Promise<{ key: string; entry: LedgerEntry }[]>;
  /** Pages through the entries (HSCAN order); `cursor` '0' starts, a returned '0' means the end. */
  list(flow: string, opts?: { cursor?: string; count?: number }): Promise<{ entries: LedgerEntry[]; cursor: string }>;
  /** Number of entries of the flow. */
  count(flow: string): Promise<number>;
  /** Marks bill numbers as sent to Kingdee (call BEFORE the Save/BatchSave that carries them). */
  markSent(flow: string, billNos: readonly string[]): Promise<void>;
  /** For each bill number: whether a Save was ever sent for it (markSent). */
  sentBefore(flow: string, billNos: readonly string[]): Promise<boolean[]>;
  /**
   * Removes the entries of these bill numbers and keeps their sent markers: the next write of the bill looks it
   * up in Kingdee first and saves it again only when it is gone (a reconciliation's repair of a bill missing in
   * Kingdee). Returns how many entries there were.
   */
  forget(flow: string, billNos: readonly string[]): Promise<number>;
  /**
   * Removes the entries of `flow` whose `writtenAt` is strictly before `before` (skip entries included) and the
   * sent markers of their bill numbers, so that Redis stays bounded. Reads the hash page by page (HSCAN, `count`
   * fields a page, default 500) and removes each page in one atomic step that deletes an entry only if it still
   * holds the value read, so an entry a worker rewrites meanwhile is kept. Unreadable entries (bad JSON or
   * time) are kept and only counted in `scanned`. Sent markers of bills that never got a ledger entry (a Save
   * sent, then the document dead-lettered) are left alone. `dryRun` counts what would go and removes nothing.
   * Safe to run while workers write and to run twice. After a prune, a pruned document that comes back is saved
   * without a lookup first (nothing says it was sent); Kingdee's refusal of a taken FBillNo (MsgCode 11) then
   * makes the writer look the bill up.
   */
  prune(flow: string, opts: { before: Date; dryRun?: boolean; count?: number }): Promise<{ scanned: number; removed: number }>;
}

/** Fields of the ledger hash read per HSCAN page by `prune` (a hint to Redis). */
export const LEDGER_PRUNE_PAGE = 500;

/** Lua: removes bill ARGV[b] from the bill index (hash KEYS[3]) of document ARGV[d]; drops the field when empty. */
const UNINDEX_BILL = `
local function unindex(index, docId, billNo)
  local raw = redis.call('HGET', index, docId)
  if not raw then return end
  local kept = {}
  for _, b in ipairs(cjson.decode(raw)) do if b ~= billNo then table.insert(kept, b) end end
  if #kept == 0 then redis.call('HDEL', index, docId) else redis.call('HSET', index, docId, cjson.encode(kept)) end
end
`;

/**
 * Deletes ledger fields still holding the value read (compare-and-delete), the sent marker of each deleted bill and
 * the bill from its document's index. KEYS: ledger hash, sent set, bill index. ARGV: quadruples field, value read,
 * bill number ('' for none), document id. Returns how many went.
 */
const PRUNE_PAGE = `${UNINDEX_BILL}
local removed = 0
for i = 1, #ARGV, 4 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HDEL', KEYS[1], ARGV[i])
    if ARGV[i + 2] ~= '' then
      redis.call('SREM', KEYS[2], ARGV[i + 2])
      unindex(KEYS[3], ARGV[i + 3], ARGV[i + 2])
    end
    removed = removed + 1
  end
end
return removed
`;

/**
 * Writes ledger entries and adds each bill to its document's index, atomically. KEYS: ledger hash, bill index.
 * ARGV: triples field, value, document id ('' for a skip entry, which is keyed by the document id itself).
 */
const RECORD = `
for i = 1, #ARGV, 3 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  local docId = ARGV[i + 2]
  if docId ~= '' then
    local raw = redis.call('HGET', KEYS[2], docId)
    local bills = raw and cjson.decode(raw) or {}
    local known = false
    for _, b in ipairs(bills) do if b == ARGV[i] then known = true end end
    if not known then
      table.insert(bills, ARGV[i])
      redis.call('HSET', KEYS[2], docId, cjson.encode(bills))
    end
  end
end
return 1
`;

/** RECORD's arguments for `entries` (validated; throws ZodError on an invalid one). */
function recordArgs(entries: readonly LedgerEntry[]): string[] {
  return entries.flatMap((e) => {
    const valid = ledgerEntrySchema.parse(e);
    return [valid.billNo ?? valid.docId, JSON.stringify(valid), valid.billNo === null ? '' : valid.docId];
  });
}

const billListSchema = z.array(z.string());

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
      await redis.eval(RECORD, 2, keys.ledger(prefix, flow), keys.ledgerBills(prefix, flow), ...recordArgs([entry]));
    },
    async getMany(flow, fields) {
      if (!fields.length) return [];
      return (await redis.hmget(keys.ledger(prefix, flow), ...fields)).map(parseEntry);
    },
    async recordMany(flow, entries) {
      if (!entries.length) return;
      const args = recordArgs(entries);
      await redis.eval(RECORD, 2, keys.ledger(prefix, flow), keys.ledgerBills(prefix, flow), ...args);
    },
    async entriesOf(flow, docId, alsoKeys = []) {
      let indexed: string[] = [];
      try {
        indexed = billListSchema.parse(JSON.parse((await redis.hget(keys.ledgerBills(prefix, flow), docId)) ?? '[]'));
      } catch {
        // an unreadable index: the entries under alsoKeys and docId are still found
      }
      const fields = [...new Set([...indexed, ...alsoKeys, docId])];
      const values = await redis.hmget(keys.ledger(prefix, flow), ...fields);
      const out: { key: string; entry: LedgerEntry }[] = [];
      fields.forEach((key, i) => {
        const entry = parseEntry(values[i]);
        if (entry && entry.docId === docId) out.push({ key, entry });
      });
      return out;
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
    async forget(flow, billNos) {
      if (!billNos.length) return 0;
      return redis.hdel(keys.ledger(prefix, flow), ...billNos);
    },
    async prune(flow, opts) {
      const cutoff = opts.before.getTime();
      if (Number.isNaN(cutoff)) throw new TypeError(`prune ${flow}: before is not a valid date`);
      const ledgerKey = keys.ledger(prefix, flow);
      const sentKey = keys.sentBills(prefix, flow);
      const indexKey = keys.ledgerBills(prefix, flow);
      let scanned = 0;
      let removed = 0;
      let cursor = '0';
      do {
        const [next, flat] = await redis.hscan(ledgerKey, cursor, 'COUNT', opts.count ?? LEDGER_PRUNE_PAGE);
        cursor = next;
        const args: string[] = [];
        for (let i = 0; i < flat.length; i += 2) {
          scanned += 1;
          const entry = parseEntry(flat[i + 1]);
          const writtenAt = entry ? Date.parse(entry.writtenAt) : NaN;
          // Unreadable entries (and unreadable times) are kept: nothing says they are old.
          if (!entry || Number.isNaN(writtenAt) || writtenAt >= cutoff) continue;
          args.push(flat[i], flat[i + 1], entry.billNo ?? '', entry.docId);
        }
        if (!args.length) continue;
        if (opts.dryRun) removed += args.length / 4;
        else removed += Number(await redis.eval(PRUNE_PAGE, 3, ledgerKey, sentKey, indexKey, ...args));
      } while (cursor !== '0');
      return { scanned, removed };
    },
  };
}
