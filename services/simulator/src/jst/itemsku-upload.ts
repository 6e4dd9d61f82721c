import { z } from 'zod';
import { bizBool, parseBiz } from './biz-params';
import type { JstEndpoint } from './endpoint';

/**
 * `/open/jushuitan/itemsku/upload` (reference jushuitan-api.md §11): an upsert keyed by `sku_id`. The call
 * succeeds (code 0) as a whole while single items may fail: `data.datas` has one `{sku_id, is_success, msg}`
 * per item, in request order, `is_success` a JSON boolean. Items are kept in the `items` kind (inspect them
 * with GET /__admin/docs/items); every call is logged in the `itemsku-uploads` kind with its item count, so
 * tests can check the batch sizes a client used.
 */
export const ITEMSKU_UPLOAD_PATH = '/open/jushuitan/itemsku/upload';
/** Store kind of the uploaded items, keyed by sku_id. */
export const ITEMS_KIND = 'items';
export const ITEMS_ID_KEY = 'sku_id';
/** Store kind of the upload call log, keyed by call_id (1, 2, ...). */
export const ITEMSKU_UPLOADS_KIND = 'itemsku-uploads';
export const ITEMSKU_UPLOADS_ID_KEY = 'call_id';
/** Most items one call accepts (the one design doc that names a limit says 150; the limit is an open question). */
export const MAX_UPLOAD_ITEMS = 150;

const uploadSchema = z.looseObject({
  items: z.array(z.record(z.string(), z.unknown())).min(1, 'must not be empty').max(MAX_UPLOAD_ITEMS, `at most ${MAX_UPLOAD_ITEMS} items per call`),
  is_normal: bizBool.optional(),
});

/** One item's answer. */
export interface ItemUploadResult {
  sku_id: string;
  is_success: boolean;
  msg: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** Why JST refuses `item` (the first rule broken), or undefined when it is acceptable. */
function rejectionOf(item: Record<string, unknown>, existing: Record<string, unknown> | undefined, isNormal: boolean): string | undefined {
  const sku = text(item.sku_id);
  if (!sku) return '商品编码[sku_id]不能为空';
  if (!text(item.i_id) && !existing) return `商品编码[${sku}]款式编码[i_id]不能为空`;
  if (!text(item.name) && !existing) return `商品编码[${sku}]商品名称[name]不能为空`;
  if (item.name !== undefined && !text(item.name)) return `商品编码[${sku}]商品名称[name]不能为空`;
  if (typeof item.properties_value === 'string' && Array.from(item.properties_value).length > 100) return `商品编码[${sku}]颜色及规格[properties_value]不能超过100个字符`;
  if (item.shelf_life !== undefined && !(typeof item.shelf_life === 'number' && Number.isInteger(item.shelf_life) && item.shelf_life > 0)) {
    return `商品编码[${sku}]保质期天数[shelf_life]必须大于0`;
  }
  if (item.enabled !== undefined && ![1, 0, -1].includes(Number(item.enabled))) return `商品编码[${sku}]是否启用[enabled]只能为1,0,-1`;
  if (isNormal && existing?.is_combine === true) return `商品编码[${sku}]为组合装商品,不允许修改`;
  return undefined;
}

export const itemSkuUploadEndpoint: JstEndpoint = {
  path: ITEMSKU_UPLOAD_PATH,
  handle(biz, ctx) {
    const { items, is_normal: isNormal = false } = parseBiz(uploadSchema, biz);
    const datas: ItemUploadResult[] = items.map((item) => {
      const sku = text(item.sku_id) ?? '';
      const existing = sku ? ctx.store.get(ITEMS_KIND, sku) : undefined;
      const reason = rejectionOf(item, existing, isNormal);
      if (reason) return { sku_id: sku, is_success: false, msg: reason };
      const merged: Record<string, unknown> = { ...(existing ?? {}), ...item, sku_id: sku };
      delete merged.modified; // upsert: `modified` becomes now
      delete merged.ts;
      ctx.store.put(ITEMS_KIND, [merged]);
      return { sku_id: sku, is_success: true, msg: '' };
    });
    const callId = ctx.store.count(ITEMSKU_UPLOADS_KIND) + 1;
    ctx.store.put(ITEMSKU_UPLOADS_KIND, [{
      call_id: callId,
      item_count: items.length,
      failed: datas.filter((d) => !d.is_success).length,
      sku_ids: datas.map((d) => d.sku_id),
    }]);
    return { datas };
  },
};
