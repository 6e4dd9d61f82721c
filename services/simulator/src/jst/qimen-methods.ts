/**
 * JST's Qimen custom query methods (jst-qimen.md §5), over the same live store as the open API: 淘系 sales
 * outbound `jushuitan.saleout.list.query` and 淘系 after-sales `jushuitan.refund.list.query`. Parameters arrive
 * as flat form strings (§2.3): start_time/end_time (≤ 7 days, together), date_type, status, shop_id, lists as
 * comma-separated strings or JSON arrays, start_ts (ts ≥ start_ts in ts order; other filters ignored, as on the
 * open API), page_index/page_size (≤ 50: the lower of the two published maxima). Only documents of shops whose
 * channel is `qimen` or `both` are served.
 */
import { z } from 'zod';
import { checkWindow } from './biz-params';
import type { JstStore, JstDoc } from './store';
import { JstRejection } from './error-codes';
import { QimenRejection } from './qimen-errors';
import { ORDERS_OUT_KIND, ORDERS_OUT_STATUSES } from './sales-outbound';
import { AFTERSALE_STATUSES, GOOD_STATUSES, REFUND_KIND } from './sales-return';
import type { QimenSimulatorSettings } from './settings';

export const QIMEN_SALEOUT_METHOD = 'jushuitan.saleout.list.query';
export const QIMEN_REFUND_METHOD = 'jushuitan.refund.list.query';
export const QIMEN_MAX_PAGE_SIZE = 50;
const DEFAULT_PAGE_SIZE = 30;

const int = z.string().regex(/^-?\d+$/, 'must be an integer').transform(Number);
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
/** "1,2,3" or "[1,2,3]" (which one JST accepts is unconfirmed, §2.3: both are taken). */
const idList = z.string().transform((v, ctx) => {
  const text = v.trim();
  if (text.startsWith('[')) {
    try {
      const arr: unknown = JSON.parse(text);
      if (Array.isArray(arr)) return arr.map(String);
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a JSON array or comma-separated ids' });
    return z.NEVER;
  }
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}).pipe(z.array(z.string()).max(50, 'at most 50 ids'));

const common = {
  page_index: int.pipe(z.number().min(1, 'must be >= 1')).optional(),
  page_size: int.pipe(z.number().min(1, 'must be >= 1').max(QIMEN_MAX_PAGE_SIZE, `must be <= ${QIMEN_MAX_PAGE_SIZE}`)).optional(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
  shop_id: int.optional(),
  so_ids: idList.optional(),
  o_ids: idList.optional(),
  start_ts: int.pipe(z.number().min(0, 'must be >= 0')).optional(),
  is_get_total: bool.optional(),
};

const saleoutSchema = z.looseObject({
  ...common,
  io_ids: idList.optional(),
  status: z.enum(['Archive', ...ORDERS_OUT_STATUSES]).optional(),
  wms_co_id: int.optional(),
  date_type: int.pipe(z.union([z.literal(0), z.literal(2)], { message: 'must be 0 (modified) or 2 (io_date)' })).optional(),
});

const refundSchema = z.looseObject({
  ...common,
  status: z.enum(AFTERSALE_STATUSES).optional(),
  good_status: z.enum(GOOD_STATUSES).optional(),
  date_type: int.pipe(z.literal(0, { message: 'must be 0 (modified)' })).optional(),
});

/** Business parameters: the form minus the TOP system parameters. */
function businessParams(form: Readonly<Record<string, string>>): Record<string, string> {
  const system = new Set(['method', 'app_key', 'target_app_key', 'customer_id', 'timestamp', 'format', 'v', 'sign_method', 'sign', 'session', 'partner_id']);
  return Object.fromEntries(Object.entries(form).filter(([k, v]) => !system.has(k) && v !== ''));
}

function parse<T extends z.ZodType>(schema: T, form: Readonly<Record<string, string>>): z.infer<T> {
  const parsed = schema.safeParse(businessParams(form));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new QimenRejection('invalidArguments', { subCode: 'isv.invalid-parameter', subMessage: `${issue.path.map(String).join('.') || 'params'}: ${issue.message}` });
}

function window(begin: string | undefined, end: string | undefined): { begin: string; end: string } | undefined {
  try {
    return checkWindow(begin, end, { begin: 'start_time', end: 'end_time' });
  } catch (e) {
    if (e instanceof JstRejection) throw new QimenRejection('invalidArguments', { subCode: 'isv.invalid-parameter', subMessage: e.message });
    throw e;
  }
}

export interface QimenMethodContext {
  store: JstStore;
  settings: QimenSimulatorSettings;
}

interface Query {
  kind: string;
  pageIndex: number;
  pageSize: number;
  withTotal: boolean;
  startTs?: number;
  window?: { begin: string; end: string };
  dateField: string;
  hasIds: boolean;
  predicate: (d: JstDoc) => boolean;
  cacheKey: string;
  render: (d: JstDoc) => Record<string, unknown>;
}

function servedByQimen(settings: QimenSimulatorSettings, shopId: unknown): boolean {
  const c = settings.shopChannels[String(shopId)];
  return c === 'qimen' || c === 'both';
}

/** One page: start_ts mode, or an ordered window / id-list scan re-evaluated on every call (rows shift as on JST). */
function run(q: Query, ctx: QimenMethodContext): Record<string, unknown> {
  const offset = (q.pageIndex - 1) * q.pageSize;
  const served = (d: JstDoc) => servedByQimen(ctx.settings, d.shop_id);
  let rows: JstDoc[];
  let total: number;
  let hasNext: boolean;
  if (q.startTs !== undefined) {
    const scan = ctx.store.scanByTs(q.kind, q.startTs, offset, q.pageSize, served);
    rows = scan.rows;
    hasNext = scan.hasMore;
    total = q.withTotal ? ctx.store.scanByTs(q.kind, q.startTs, 0, Number.MAX_SAFE_INTEGER, served).rows.length : 0;
  } else {
    if (!q.window && !q.hasIds) {
      throw new QimenRejection('missingArguments', { subCode: 'isv.missing-parameter', subMessage: 'start_time/end_time: required unless start_ts or an id list is given' });
    }
    const page = ctx.store.scanOrdered(
      q.kind,
      { field: q.dateField, from: q.window?.begin, to: q.window?.end },
      (d) => served(d) && q.predicate(d),
      offset,
      q.pageSize,
      JSON.stringify([q.cacheKey, ctx.settings.shopChannels, q.dateField, q.window]),
    );
    rows = page.rows;
    total = page.total;
    hasNext = offset + rows.length < total;
  }
  return {
    page_index: q.pageIndex,
    page_size: q.pageSize,
    data_count: q.withTotal ? total : 0,
    page_count: q.withTotal ? Math.ceil(total / q.pageSize) : 0,
    has_next: hasNext,
    datas: rows.map(q.render),
  };
}

/** The paging and cursor parameters both methods take, as `run` wants them. */
function paging(p: { page_index?: number; page_size?: number; is_get_total?: boolean; start_ts?: number; start_time?: string; end_time?: string }) {
  return {
    pageIndex: p.page_index ?? 1,
    pageSize: p.page_size ?? DEFAULT_PAGE_SIZE,
    withTotal: p.is_get_total !== false,
    startTs: p.start_ts,
    window: window(p.start_time, p.end_time),
  };
}

const setOf = (ids: string[] | undefined) => (ids?.length ? new Set(ids) : undefined);

/** The two methods by name; each returns the page object (without its envelope) or throws QimenRejection. */
export const QIMEN_METHODS: Readonly<Record<string, (form: Readonly<Record<string, string>>, ctx: QimenMethodContext) => Record<string, unknown>>> = {
  [QIMEN_SALEOUT_METHOD](form, ctx) {
    const p = parse(saleoutSchema, form);
    const [ioIds, oIds, soIds] = [setOf(p.io_ids), setOf(p.o_ids), setOf(p.so_ids)];
    return run({
      kind: ORDERS_OUT_KIND,
      ...paging(p),
      dateField: p.date_type === 2 ? 'io_date' : 'modified',
      hasIds: Boolean(ioIds || oIds || soIds),
      predicate: (d) =>
        (p.status === undefined || d.status === p.status) &&
        (!p.shop_id || d.shop_id === p.shop_id) &&
        (p.wms_co_id === undefined || d.wms_co_id === p.wms_co_id) &&
        (!ioIds || ioIds.has(String(d.io_id))) &&
        (!oIds || oIds.has(String(d.o_id))) &&
        (!soIds || soIds.has(String(d.so_id))),
      cacheKey: JSON.stringify(['saleout', p.status, p.shop_id, p.wms_co_id, p.io_ids, p.o_ids, p.so_ids]),
      render: (d) => {
        const row: Record<string, unknown> = structuredClone(d);
        if (!ctx.settings.saleoutRowsCarryTs) delete row.ts;
        return row;
      },
    }, ctx);
  },
  [QIMEN_REFUND_METHOD](form, ctx) {
    const p = parse(refundSchema, form);
    const [oIds, soIds] = [setOf(p.o_ids), setOf(p.so_ids)];
    return run({
      kind: REFUND_KIND,
      ...paging(p),
      dateField: 'modified',
      hasIds: Boolean(oIds || soIds),
      predicate: (d) =>
        (p.status === undefined || d.status === p.status) &&
        (p.good_status === undefined || d.good_status === p.good_status) &&
        (!p.shop_id || d.shop_id === p.shop_id) &&
        (!oIds || oIds.has(String(d.o_id))) &&
        (!soIds || soIds.has(String(d.so_id))),
      cacheKey: JSON.stringify(['refund', p.status, p.good_status, p.shop_id, p.o_ids, p.so_ids]),
      render: (d) => structuredClone(d),
    }, ctx);
  },
};
