import { ciGetAny, isRecord } from './case-insensitive';
import { compareCells, evaluateFilter, filterFields, FilterSyntaxError, parseFilter, type FilterNode } from './ksql-filter';
import { messages } from './messages';

/**
 * ExecuteBillQuery semantics over any row source (bills or base data), reference §4.6: columns in
 * FieldKeys order, header values repeated per entry row when any entry-level key is involved, KSQL
 * filter, OrderString, `TopRowCount` as an absolute end row, `StartRow`/`Limit` paging with a cap.
 */
export interface QueryColumn<R> {
  level: 'head' | 'entry';
  read(row: R): unknown;
}

export interface QuerySource<R> {
  /** The column for a field key (case-insensitive; dotted `.FNumber` sub-keys); undefined = no such field. */
  column(key: string): QueryColumn<R> | undefined;
  /** One row per record, or one per entry row when `entryLevel` (inner join), in default order. */
  rows(entryLevel: boolean): R[];
}

export interface QueryParams {
  formId: string;
  fieldKeys: string[];
  filter: FilterNode;
  order: Array<{ key: string; desc: boolean }>;
  topRowCount: number;
  startRow: number;
  limit: number;
}

export type QueryFailure = { ok: false; msgCode: number; message: string };

const toInt = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : 0;
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
};

const COMPARE_WORDS = new Set(['=', '<>', '!=', '>', '<', '>=', '<=', 'like', 'not like', 'in', 'not in']);

/** The newer array form of FilterString → a KSQL string (Logic 0/AND joins with the next item, 1/OR). */
export function filterArrayToKsql(items: unknown[]): string {
  let out = '';
  items.filter(isRecord).forEach((item, i, all) => {
    const field = String(ciGetAny(item, ['FieldName']) ?? '');
    const cmpRaw = String(ciGetAny(item, ['Compare']) ?? '=').trim().toLowerCase();
    const cmp = COMPARE_WORDS.has(cmpRaw) ? cmpRaw : '=';
    const value = ciGetAny(item, ['Value']);
    const literal = cmp.endsWith('in') && typeof value === 'string' && value.trim().startsWith('(') ? value
      : typeof value === 'number' ? String(value) : `'${String(value ?? '').replace(/'/g, "''")}'`;
    out += `${String(ciGetAny(item, ['Left']) ?? '')} ${field} ${cmp} ${literal} ${String(ciGetAny(item, ['Right']) ?? '')}`;
    if (i < all.length - 1) {
      const logic = String(ciGetAny(item, ['Logic']) ?? '0').trim().toLowerCase();
      out += logic === '1' || logic === 'or' ? ' or ' : ' and ';
    }
  });
  return out;
}

/** Reads the `data` of an ExecuteBillQuery call. */
export function parseQueryParams(data: Record<string, unknown>): { ok: true; params: QueryParams } | QueryFailure {
  const formId = ciGetAny(data, ['FormId']);
  if (typeof formId !== 'string' || formId.trim() === '') return { ok: false, msgCode: 5, message: messages.formNotFound };
  const rawKeys = ciGetAny(data, ['FieldKeys']);
  const fieldKeys = (Array.isArray(rawKeys) ? rawKeys.map(String) : typeof rawKeys === 'string' ? rawKeys.split(',') : [])
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (fieldKeys.length === 0) return { ok: false, msgCode: 8, message: messages.unknownField('') };
  const rawFilter = ciGetAny(data, ['FilterString']);
  const filterText = Array.isArray(rawFilter) ? filterArrayToKsql(rawFilter) : typeof rawFilter === 'string' ? rawFilter : '';
  let filter: FilterNode;
  try {
    filter = parseFilter(filterText);
  } catch (err) {
    if (err instanceof FilterSyntaxError) return { ok: false, msgCode: 4, message: messages.badFilter(err.message) };
    throw err;
  }
  const orderText = ciGetAny(data, ['OrderString']);
  const order = (typeof orderText === 'string' ? orderText.split(',') : [])
    .map((s) => s.trim().split(/\s+/))
    .filter((p) => p[0] !== '')
    .map((p) => ({ key: p[0], desc: (p[1] ?? '').toLowerCase() === 'desc' }));
  return {
    ok: true,
    params: {
      formId: formId.trim(),
      fieldKeys,
      filter,
      order,
      topRowCount: toInt(ciGetAny(data, ['TopRowCount'])),
      startRow: toInt(ciGetAny(data, ['StartRow'])),
      limit: toInt(ciGetAny(data, ['Limit'])),
    },
  };
}

/** Runs the query; `limitCap` bounds a page (Limit 0 or above the cap → the cap). */
export function runQuery<R>(source: QuerySource<R>, params: QueryParams, limitCap: number): { ok: true; rows: unknown[][] } | QueryFailure {
  const columns = new Map<string, QueryColumn<R>>();
  for (const key of [...params.fieldKeys, ...filterFields(params.filter), ...params.order.map((o) => o.key)]) {
    const col = source.column(key);
    if (!col) return { ok: false, msgCode: 9, message: messages.unknownField(key) };
    columns.set(key, col);
  }
  const entryLevel = [...columns.values()].some((c) => c.level === 'entry');
  const read = (row: R) => (key: string): unknown => columns.get(key)?.read(row);
  let rows = source.rows(entryLevel).filter((row) => evaluateFilter(params.filter, read(row)));
  if (params.order.length) {
    const decorated = rows.map((row, i) => ({ row, i, vals: params.order.map((o) => read(row)(o.key)) }));
    decorated.sort((a, b) => {
      for (let k = 0; k < params.order.length; k++) {
        const x = a.vals[k];
        const y = b.vals[k];
        const nx = x === null || x === undefined;
        const ny = y === null || y === undefined;
        const c = nx || ny ? (nx === ny ? 0 : nx ? -1 : 1) : (compareCells(x, y) ?? 0);
        if (c !== 0) return params.order[k].desc ? -c : c;
      }
      return a.i - b.i;
    });
    rows = decorated.map((d) => d.row);
  }
  if (params.topRowCount > 0) rows = rows.slice(0, params.topRowCount);
  const limit = params.limit > 0 ? Math.min(params.limit, limitCap) : limitCap;
  rows = rows.slice(params.startRow, params.startRow + limit);
  return { ok: true, rows: rows.map((row) => params.fieldKeys.map((k) => read(row)(k) ?? null)) };
}
