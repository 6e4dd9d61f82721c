import type { KingdeeApi } from '@sync/kingdee';
import type { KindLookup, KingdeeFacts, KingdeeKind, KingdeeRecord } from './facts';
import { candidateFieldKeys, fieldKeys, kingdeeForms, ksqlText } from './kingdee-forms';

/** How the doctor reaches Kingdee: the configured users and a client per user (or for all). The doctor closes what it opens. */
export interface KingdeeAccess {
  users: readonly string[];
  /** A client logged in as `user`, or over every user when absent. */
  client(user?: string): KingdeeApi;
}

/** Numbers per `FNumber in (...)` query: short filters, one call per 50 records (never one call per record). */
export const NUMBERS_PER_QUERY = 50;
/** Rows per ExecuteBillQuery page. */
export const QUERY_PAGE_ROWS = 500;
/** Names per `FName like` query when looking for suggestions. */
const NAMES_PER_QUERY = 10;

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const str = (v: unknown): string | undefined => (v === null || v === undefined || v === '' ? undefined : String(v));
const bool = (v: unknown): boolean | undefined => (v === null || v === undefined || v === '' ? undefined : v === true || v === 1 || String(v).toLowerCase() === 'true' || v === '1');

/** One query row read by its FieldKeys (`keys`, in the order sent). */
function rowToRecord(keys: readonly string[], row: unknown[]): KingdeeRecord {
  const at = (key: string): unknown => row[keys.indexOf(key)];
  const rec: KingdeeRecord = {
    number: str(at('FNumber')) ?? '',
    name: str(at('FName')) ?? '',
    documentStatus: str(at('FDocumentStatus')) ?? '',
    forbidStatus: str(at('FForbidStatus')) ?? '',
  };
  const extra: Partial<KingdeeRecord> = {
    useOrg: str(at('FUseOrgId.FNumber')),
    createOrg: str(at('FCreateOrgId.FNumber')),
    batchManaged: bool(at('FIsBatchManage')),
    shelfLifeManaged: bool(at('FIsKFPeriod')),
    barcode: str(at('FBarCode')),
    formId: str(at('FBillFormID')),
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) Object.assign(rec, { [k]: v });
  return rec;
}

/**
 * Every row of `filter` on the kind's form, page by page (ordered, so pages neither repeat nor skip rows); `maxPages`
 * bounds the suggestion searches.
 */
async function queryAll(
  kd: KingdeeApi, kind: KingdeeKind, filter: string, signal?: AbortSignal, keys: readonly string[] = fieldKeys(kind), maxPages = Infinity,
): Promise<KingdeeRecord[]> {
  const out: KingdeeRecord[] = [];
  for (let page = 0; page < maxPages; page++) {
    signal?.throwIfAborted();
    const rows = await kd.executeBillQuery({
      FormId: kingdeeForms[kind].formId, FieldKeys: keys.join(','), FilterString: filter,
      OrderString: 'FNumber ASC', StartRow: page * QUERY_PAGE_ROWS, Limit: QUERY_PAGE_ROWS,
    });
    for (const row of rows) if (Array.isArray(row)) out.push(rowToRecord(keys, row));
    if (rows.length < QUERY_PAGE_ROWS) break;
  }
  return out;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows whose `field` is one of `values` (deduplicated case-insensitively), in batches of NUMBERS_PER_QUERY. */
export async function lookupIn(
  kd: KingdeeApi, kind: KingdeeKind, field: string, values: readonly string[], signal?: AbortSignal, keys: readonly string[] = fieldKeys(kind),
): Promise<KingdeeRecord[]> {
  const unique = [...new Map(values.filter(Boolean).map((v) => [v.toLowerCase(), v])).values()];
  const out: KingdeeRecord[] = [];
  for (const batch of chunks(unique, NUMBERS_PER_QUERY)) {
    out.push(...(await queryAll(kd, kind, `${field} in (${batch.map(ksqlText).join(',')})`, signal, keys)));
  }
  return out;
}

/** The rows `run` reads, or why it failed; an abort (`signal`) is rethrown. */
async function lookup(run: () => Promise<KingdeeRecord[]>, signal: AbortSignal | undefined): Promise<KindLookup> {
  try {
    return { ok: true, rows: await run() };
  } catch (e) {
    if (signal?.aborted) throw e;
    return { ok: false, error: errorText(e) };
  }
}

/** One login and one cheap read per configured user (a fresh client each, closed afterwards). */
export async function checkLogins(access: KingdeeAccess, signal?: AbortSignal): Promise<KingdeeFacts['logins']> {
  return Promise.all(
    access.users.map(async (user) => {
      let kd: KingdeeApi | undefined;
      try {
        signal?.throwIfAborted();
        kd = access.client(user);
        await kd.executeBillQuery({ FormId: kingdeeForms.currency.formId, FieldKeys: 'FNumber', TopRowCount: 1 });
        return { user, ok: true };
      } catch (e) {
        if (signal?.aborted) throw e;
        return { user, ok: false, error: errorText(e) };
      } finally {
        await kd?.close().catch(() => undefined);
      }
    }),
  );
}

/** The rows of the given numbers per kind, each kind in batched `FNumber in (...)` queries. */
export async function lookupNumbers(kd: KingdeeApi, numbers: Partial<Record<KingdeeKind, string[]>>, signal?: AbortSignal): Promise<KingdeeFacts['records']> {
  const out: KingdeeFacts['records'] = {};
  for (const [kind, list] of Object.entries(numbers) as Array<[KingdeeKind, string[]]>) {
    if (list.length) out[kind] = await lookup(() => lookupIn(kd, kind, 'FNumber', list, signal), signal);
  }
  return out;
}

/** The core of a JST name for a `like` search: its first four letters, without punctuation or KSQL wildcards. */
const nameCore = (name: string): string => name.replace(/[\s%_[\]'()（）\-/;；,，]+/g, '').slice(0, 4);

/**
 * Materials that may be what unmapped SKUs are: the same number, a barcode equal to the SKU id or JST's barcode,
 * or a name sharing its first letters with JST's name (`FName like`, one page per batch of names), all in batched
 * queries. A search Kingdee refuses (e.g. an account without FBarCode) is left out; only when all fail is the
 * lookup failed.
 */
export async function findCandidates(
  kd: KingdeeApi,
  skus: ReadonlyArray<{ key: string; name?: string; barcode?: string }>,
  signal?: AbortSignal,
): Promise<KindLookup> {
  const keys = candidateFieldKeys();
  const cores = [...new Set(skus.map((s) => (s.name ? nameCore(s.name) : '')).filter((c) => c.length >= 2))];
  const searches: Array<() => Promise<KingdeeRecord[]>> = [
    () => lookupIn(kd, 'material', 'FNumber', skus.map((s) => s.key), signal, keys),
    () => lookupIn(kd, 'material', 'FBarCode', skus.flatMap((s) => [s.key, ...(s.barcode ? [s.barcode] : [])]), signal, keys),
    async () => {
      const out: KingdeeRecord[] = [];
      for (const batch of chunks(cores, NAMES_PER_QUERY)) {
        out.push(...(await queryAll(kd, 'material', batch.map((c) => `FName like ${ksqlText(`%${c}%`)}`).join(' or '), signal, keys, 1)));
      }
      return out;
    },
  ];
  const results = [];
  for (const search of searches) results.push(await lookup(search, signal));
  const ok = results.filter((r): r is { ok: true; rows: KingdeeRecord[] } => r.ok);
  if (!ok.length) return results[0];
  return { ok: true, rows: ok.flatMap((r) => r.rows) };
}
