import { z } from 'zod';
import { PermanentError } from '@sync/errors';
import type { JstUploadItem } from '@sync/flows';
import type { JstApi } from '@sync/jushuitan';
import { formatZodIssues } from '@sync/queue';

/** One item's outcome of a JST item/SKU upload. */
export type ItemUploadOutcome = { ok: true; skuId: string } | { ok: false; skuId: string; message: string };

/**
 * `data` of the upload answer (reference jushuitan-api §11): `datas[]` with `{sku_id, is_success, msg}`;
 * is_success is a boolean in practice and a String in the official SDK, so both are accepted.
 */
const uploadAnswerSchema = z
  .object({
    datas: z
      .array(
        z.object({
          sku_id: z.union([z.string(), z.number()]).transform(String).nullish(),
          is_success: z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])]).transform((v) => v === true || v === 'true' || v === 'True'),
          msg: z.string().nullish(),
        }),
      )
      .nullish(),
  })
  .nullish();

/**
 * Pure: the answer's `data` → one outcome per sent item, in order. Results are matched by sku_id (in order for a
 * repeated sku), else by position; an empty or missing `datas` means every item succeeded (as JST clients read
 * it). Throws PermanentError INVALID_RESPONSE for an unreadable answer.
 */
export function readUploadAnswer(data: unknown, items: readonly JstUploadItem[]): ItemUploadOutcome[] {
  const parsed = uploadAnswerSchema.safeParse(data);
  if (!parsed.success) {
    throw new PermanentError('INVALID_RESPONSE', `JST itemsku upload answer is unreadable: ${formatZodIssues(parsed.error)}`);
  }
  const datas = parsed.data?.datas ?? [];
  if (!datas.length) return items.map((i) => ({ ok: true, skuId: i.sku_id }));
  const bySku = new Map<string, (typeof datas)[number][]>();
  for (const d of datas) if (d.sku_id) bySku.set(d.sku_id, [...(bySku.get(d.sku_id) ?? []), d]);
  return items.map((item, index) => {
    const own = bySku.get(item.sku_id)?.shift() ?? (datas[index]?.sku_id ? undefined : datas[index]);
    if (!own) return { ok: false, skuId: item.sku_id, message: 'JST returned no result for this item' };
    return own.is_success ? { ok: true, skuId: item.sku_id } : { ok: false, skuId: item.sku_id, message: own.msg || 'rejected without a message' };
  });
}

/**
 * One upload call of `items` to `path` (`biz = { items, ...extraBiz }`), one outcome per item. Throws the JST
 * client's classified errors for call-level failures (rate limit, transient, rejected parameters).
 */
export async function uploadItems(jst: JstApi, path: string, items: JstUploadItem[], extraBiz: Record<string, unknown> = {}): Promise<ItemUploadOutcome[]> {
  const data = await jst.call(path, { ...extraBiz, items });
  return readUploadAnswer(data, items);
}
