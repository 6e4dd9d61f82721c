import { cloneJson } from './json-clone';
import { formatBeijing } from './beijing-time';

/**
 * The simulator's document store: one collection per document kind (orders-out today; purchasein,
 * purchaseout, other-inout, allocate, inventory-count, aftersale later), keyed by the kind's id field.
 * Every insert and mutation takes the next value of one store-wide, monotonically increasing rowversion
 * `ts` (so ts is unique across all rows of a kind, like SQL Server rowversion) and stamps `modified`
 * from the simulator clock as a Beijing-time string.
 */

/** A stored JST document: any JSON object with the bookkeeping fields. */
export type JstDoc = Record<string, unknown> & { ts: number; modified: string };

/** How to find a kind's document id. */
export interface JstKindDefinition {
  /** Store key, e.g. `orders-out`. */
  name: string;
  /** The document id field, e.g. `io_id`. */
  idKey: string;
}

export interface JstStoreOptions {
  /** Epoch ms; the source of `modified` for mutations and for inserts without a `modified`. */
  now: () => number;
  kinds: readonly JstKindDefinition[];
  /** First ts handed out (default 1000001). */
  firstTs?: number;
}

/** Thrown for unknown kinds, unknown ids and documents without an id; admin routes answer 400/404 with it. */
export class JstStoreError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404,
  ) {
    super(message);
    this.name = 'JstStoreError';
  }
}

export interface MutateChange {
  /** Shallow merge into the document (ts and the id field are ignored). */
  patch?: Record<string, unknown>;
  status?: string;
}

/** Result of an ordered, offset-paged scan. */
export interface OrderedPage {
  rows: JstDoc[];
  /** Number of rows that match in total (all pages). */
  total: number;
}

export interface JstStore {
  kinds(): string[];
  /** Registers another kind (idempotent for the same idKey). */
  defineKind(def: JstKindDefinition): void;
  idKeyOf(kind: string): string;
  /**
   * Inserts or replaces documents. Each gets a fresh ts; a document's own `modified` is kept when it is a
   * string (generated history), otherwise it is set to now. Within one call ts follows `modified` order.
   * The documents are copied unless `owned` (the caller hands them over and must not touch them again).
   * Returns the id (as a string) and ts of each document, in input order.
   */
  put(kind: string, docs: readonly Record<string, unknown>[], opts?: { owned?: boolean }): { id: string; ts: number }[];
  /** Applies `change`, bumps ts and sets modified to now. Throws JstStoreError(404) for an unknown id. */
  mutate(kind: string, id: string | number, change?: MutateChange): JstDoc;
  /** A copy of one document, or undefined. */
  get(kind: string, id: string | number): JstDoc | undefined;
  /** Copies of all documents of a kind in ts order, optionally filtered by status and ids. */
  list(kind: string, filter?: { status?: string; ids?: readonly (string | number)[] }): JstDoc[];
  /** Ids (as strings) of a kind in ts order, optionally only those with `status`; no copies. */
  ids(kind: string, filter?: { status?: string }): string[];
  count(kind: string): number;
  /** The largest id value of a kind (numeric ids only), or 0. */
  maxNumericId(kind: string): number;
  /**
   * Rows with ts >= startTs in ts order, at most `limit` after skipping `offset`, plus whether more exist.
   * Returns the stored objects (read-only for callers). With `predicate`, only matching rows count (offset included).
   */
  scanByTs(kind: string, startTs: number, offset: number, limit: number, predicate?: (doc: JstDoc) => boolean): { rows: JstDoc[]; hasMore: boolean };
  /**
   * Live ordered scan, like `SELECT ... WHERE field BETWEEN from AND to AND pred ORDER BY field, id
   * OFFSET o LIMIT l` re-evaluated against the current data. `field` other than `modified` is a full scan.
   * With `cacheKey` (a string that fully describes window and predicate), the matching rows are remembered
   * until the next change to the store, so paging an unchanged window costs O(page) per call.
   */
  scanOrdered(
    kind: string,
    window: { field: string; from?: string; to?: string },
    predicate: (doc: JstDoc) => boolean,
    offset: number,
    limit: number,
    cacheKey?: string,
  ): OrderedPage;
  /** Removes every document of every kind (ts keeps increasing). */
  clear(): void;
  /** The last ts handed out. */
  lastTs(): number;
  /** Increases on every put, mutate and clear. */
  version(): number;
}

interface ModEntry {
  m: string;
  id: string | number;
  key: string;
}

interface Collection {
  def: JstKindDefinition;
  byId: Map<string, JstDoc>;
  /** Append-only (ts, key) log; entries whose ts no longer matches the document are stale. */
  tsLog: { ts: number; key: string }[];
  stale: number;
  /** Sorted by (modified, id). */
  byModified: ModEntry[];
}

/** Compares ids numerically when both are numbers (or numeric strings), else as strings. */
export function compareIds(a: string | number, b: string | number): number {
  const na = typeof a === 'number' ? a : Number(a);
  const nb = typeof b === 'number' ? b : Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb) && String(a).trim() !== '' && String(b).trim() !== '') return na - nb;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function compareEntries(a: { m: string; id: string | number }, b: { m: string; id: string | number }): number {
  if (a.m !== b.m) return a.m < b.m ? -1 : 1;
  return compareIds(a.id, b.id);
}

/** First index whose element is not less than `probe`. */
function lowerBound<T, P>(items: readonly T[], probe: P, less: (item: T, probe: P) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (less(items[mid] as T, probe)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function idValue(doc: Record<string, unknown>, idKey: string, kind: string): string | number {
  const id = doc[idKey];
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  if (typeof id === 'string' && id !== '') return id;
  throw new JstStoreError(`${kind} document without a valid ${idKey}`, 400);
}

/** Creates an empty store. */
export function createJstStore(opts: JstStoreOptions): JstStore {
  const collections = new Map<string, Collection>();
  let ts = (opts.firstTs ?? 1_000_001) - 1;

  const defineKind = (def: JstKindDefinition): void => {
    const existing = collections.get(def.name);
    if (existing) {
      if (existing.def.idKey !== def.idKey) throw new JstStoreError(`kind ${def.name} already uses id ${existing.def.idKey}`, 400);
      return;
    }
    collections.set(def.name, { def, byId: new Map(), tsLog: [], stale: 0, byModified: [] });
  };
  for (const def of opts.kinds) defineKind(def);

  const coll = (kind: string): Collection => {
    const c = collections.get(kind);
    if (!c) throw new JstStoreError(`unknown document kind ${kind} (known: ${[...collections.keys()].join(', ')})`, 404);
    return c;
  };

  const removeModEntry = (c: Collection, doc: JstDoc, key: string): void => {
    const probe = { m: doc.modified, id: idValue(doc, c.def.idKey, c.def.name) };
    let i = lowerBound(c.byModified, probe, (e, p) => compareEntries(e, p) < 0);
    for (; i < c.byModified.length && c.byModified[i]!.m === doc.modified; i++) {
      if (c.byModified[i]!.key === key) {
        c.byModified.splice(i, 1);
        return;
      }
    }
  };

  const addModEntry = (c: Collection, doc: JstDoc, key: string): void => {
    const entry = { m: doc.modified, id: idValue(doc, c.def.idKey, c.def.name), key };
    const i = lowerBound(c.byModified, entry, (e, p) => compareEntries(e, p) < 0);
    c.byModified.splice(i, 0, entry);
  };

  const compact = (c: Collection): void => {
    if (c.stale < 1024 || c.stale * 2 < c.tsLog.length) return;
    c.tsLog = c.tsLog.filter((e) => c.byId.get(e.key)?.ts === e.ts);
    c.stale = 0;
  };

  /**
   * Stores `doc` (already stamped) under `key`, replacing any previous version in the indexes. With `bulk`,
   * the modified index is left for `rebuildModIndex` (one sort instead of n sorted insertions).
   */
  const store = (c: Collection, key: string, doc: JstDoc, bulk = false): void => {
    const previous = c.byId.get(key);
    if (previous) {
      if (!bulk) removeModEntry(c, previous, key);
      c.stale++;
    }
    c.byId.set(key, doc);
    c.tsLog.push({ ts: doc.ts, key });
    if (!bulk) addModEntry(c, doc, key);
    compact(c);
  };

  const rebuildModIndex = (c: Collection): void => {
    c.byModified = [...c.byId.entries()].map(([key, d]) => ({ m: d.modified, id: idValue(d, c.def.idKey, c.def.name), key }));
    c.byModified.sort(compareEntries);
  };

  let version = 0;
  const cache = new Map<string, { version: number; rows: JstDoc[] }>();
  const CACHE_SIZE = 16;

  const api: JstStore = {
    kinds: () => [...collections.keys()],
    defineKind,
    idKeyOf: (kind) => coll(kind).def.idKey,

    put(kind, docs, putOpts = {}) {
      const c = coll(kind);
      const now = formatBeijing(opts.now());
      const prepared = docs.map((d, i) => {
        const id = idValue(d, c.def.idKey, kind);
        const modified = typeof d.modified === 'string' && d.modified !== '' ? d.modified : now;
        return { i, id, doc: d, modified };
      });
      prepared.sort((a, b) => (a.modified !== b.modified ? (a.modified < b.modified ? -1 : 1) : a.i - b.i));
      const out: { id: string; ts: number }[] = new Array(docs.length);
      const bulk = prepared.length > 64;
      for (const p of prepared) {
        const doc = (putOpts.owned ? p.doc : cloneJson(p.doc)) as JstDoc;
        doc.modified = p.modified;
        doc.ts = ++ts;
        store(c, String(p.id), doc, bulk);
        out[p.i] = { id: String(p.id), ts: doc.ts };
      }
      if (bulk) rebuildModIndex(c);
      version++;
      return out;
    },

    mutate(kind, id, change = {}) {
      const c = coll(kind);
      const key = String(id);
      const previous = c.byId.get(key);
      if (!previous) throw new JstStoreError(`${kind} ${c.def.idKey}=${key} not found`, 404);
      const patch = { ...(change.patch ?? {}) };
      delete patch.ts;
      delete patch[c.def.idKey];
      const doc = {
        ...cloneJson(previous),
        ...cloneJson(patch),
        ...(change.status !== undefined ? { status: change.status } : {}),
        modified: formatBeijing(opts.now()),
        ts: ++ts,
      } as JstDoc;
      store(c, key, doc);
      version++;
      return cloneJson(doc);
    },

    get(kind, id) {
      const doc = coll(kind).byId.get(String(id));
      return doc ? cloneJson(doc) : undefined;
    },

    list(kind, filter = {}) {
      const c = coll(kind);
      const ids = filter.ids ? new Set(filter.ids.map(String)) : undefined;
      const out: JstDoc[] = [];
      for (const e of c.tsLog) {
        const doc = c.byId.get(e.key);
        if (!doc || doc.ts !== e.ts) continue;
        if (filter.status !== undefined && doc.status !== filter.status) continue;
        if (ids && !ids.has(e.key)) continue;
        out.push(cloneJson(doc));
      }
      return out;
    },

    ids(kind, filter = {}) {
      const c = coll(kind);
      const out: string[] = [];
      for (const e of c.tsLog) {
        const doc = c.byId.get(e.key);
        if (!doc || doc.ts !== e.ts) continue;
        if (filter.status !== undefined && doc.status !== filter.status) continue;
        out.push(e.key);
      }
      return out;
    },

    count: (kind) => coll(kind).byId.size,

    maxNumericId(kind) {
      let max = 0;
      for (const doc of coll(kind).byId.values()) {
        const id = Number(doc[coll(kind).def.idKey]);
        if (Number.isFinite(id) && id > max) max = id;
      }
      return max;
    },

    scanByTs(kind, startTs, offset, limit, predicate) {
      const c = coll(kind);
      const rows: JstDoc[] = [];
      let skipped = 0;
      for (let i = lowerBound(c.tsLog, startTs, (e, p) => e.ts < p); i < c.tsLog.length; i++) {
        const e = c.tsLog[i]!;
        const doc = c.byId.get(e.key);
        if (!doc || doc.ts !== e.ts) continue;
        if (predicate && !predicate(doc)) continue;
        if (skipped < offset) {
          skipped++;
          continue;
        }
        if (rows.length === limit) return { rows, hasMore: true };
        rows.push(doc);
      }
      return { rows, hasMore: false };
    },

    scanOrdered(kind, window, predicate, offset, limit, cacheKey) {
      const c = coll(kind);
      const fullKey = cacheKey === undefined ? undefined : `${kind}\u0000${cacheKey}`;
      const cached = fullKey === undefined ? undefined : cache.get(fullKey);
      if (cached && cached.version === version) return { rows: cached.rows.slice(offset, offset + limit), total: cached.rows.length };
      const matched: JstDoc[] = [];
      const take = (doc: JstDoc): void => {
        if (predicate(doc)) matched.push(doc);
      };
      const finish = (): OrderedPage => {
        if (fullKey !== undefined) {
          cache.delete(fullKey);
          cache.set(fullKey, { version, rows: matched });
          if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
        }
        return { rows: matched.slice(offset, offset + limit), total: matched.length };
      };
      if (window.field === 'modified') {
        const start = window.from === undefined ? 0 : lowerBound(c.byModified, window.from, (e, p) => e.m < p);
        for (let i = start; i < c.byModified.length; i++) {
          const e = c.byModified[i]!;
          if (window.to !== undefined && e.m > window.to) break;
          take(c.byId.get(e.key)!);
        }
        return finish();
      }
      const f = window.field;
      const candidates = [...c.byId.values()]
        .filter((d) => {
          const v = d[f];
          if (typeof v !== 'string') return false;
          return (window.from === undefined || v >= window.from) && (window.to === undefined || v <= window.to);
        })
        .sort((a, b) => compareEntries({ m: String(a[f]), id: idValue(a, c.def.idKey, kind) }, { m: String(b[f]), id: idValue(b, c.def.idKey, kind) }));
      for (const d of candidates) take(d);
      return finish();
    },

    clear() {
      version++;
      cache.clear();
      for (const c of collections.values()) {
        c.byId.clear();
        c.tsLog = [];
        c.stale = 0;
        c.byModified = [];
      }
    },

    lastTs: () => ts,
    version: () => version,
  };
  return api;
}
