import { kingdeeSourceFlowSettingsSchema } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { JST_ITEMSKU_UPLOAD_PATH, MAX_PROPERTIES_VALUE, jstUploadItemSchema, truncateChars } from './jst-upload-item';
import type { JstUploadItem, KingdeeSourceContext, KingdeeSourceFlow, UploadTransformResult } from './kingdee-source-types';
import { jstUnitOf, shelfLifeDays, skusOfMaterial } from './material-skus';
import { MATERIAL_FIELD_KEYS, materialRowToRecord, materialSchema, type MaterialRecord } from './material.source';

/** Audited (审核) and not forbidden (未禁用): the only materials JST gets. */
export function isMaterialReady(m: MaterialRecord): boolean {
  return m.FDocumentStatus.toUpperCase() === 'C' && m.FForbidStatus.toUpperCase() === 'A';
}

/**
 * Pure: a Kingdee material → one JST item per SKU of it (see skusOfMaterial: the reverse of the SKU mapping,
 * else sku_id = FNumber). Every item has i_id = FNumber (the style shared by the SKUs of a multi-spec
 * material), name = FName, properties_value = the SKU's auxiliary property values joined by `;` (else
 * FSpecification), cut to 100 characters; unit from the base unit (reverse unit table, else its name);
 * batch_enabled = FIsBatchManage; shelf_life in days when FIsKFPeriod; sku_code = FBARCODE for a material with
 * one SKU only (a barcode names one SKU); enabled = 1. A material that is not ready is skipped.
 * Throws PermanentError INVALID_SOURCE_DOCUMENT when FName is empty (JST requires a name).
 */
export function transformMaterial(m: MaterialRecord, ctx: KingdeeSourceContext): UploadTransformResult {
  if (!isMaterialReady(m)) {
    return { kind: 'skip', reason: `material ${m.FNumber} is not audited and enabled (FDocumentStatus=${m.FDocumentStatus}, FForbidStatus=${m.FForbidStatus})` };
  }
  if (!m.FName) {
    throw new PermanentError('INVALID_SOURCE_DOCUMENT', `${ctx.flow} material FNumber=${m.FNumber}: FName is empty (JST requires a name)`, {
      flow: ctx.flow,
      docId: m.FNumber,
      field: 'FName',
    });
  }
  const notes: string[] = [];
  const shelfLife = m.FIsKFPeriod ? shelfLifeDays(m.FExpPeriod, m.FExpUnit) : undefined;
  if (m.FIsKFPeriod && shelfLife === undefined) notes.push(`FIsKFPeriod is on but FExpPeriod is ${m.FExpPeriod}: shelf_life not sent`);
  const unit = jstUnitOf(ctx.mappings, m['FBaseUnitId.FNumber'], m['FBaseUnitId.FName']);
  const skus = skusOfMaterial(ctx.mappings, m.FNumber);
  if (m.FBARCODE && skus.length > 1) notes.push(`FBARCODE ${m.FBARCODE} not sent: the material has ${skus.length} SKUs`);

  const items = skus.map((sku): JstUploadItem => {
    const aux = Object.values(sku.auxProps).join(';');
    const properties = truncateChars(aux || m.FSpecification, MAX_PROPERTIES_VALUE);
    return {
      sku_id: sku.skuId,
      i_id: m.FNumber,
      name: m.FName,
      ...(properties ? { properties_value: properties } : {}),
      ...(unit ? { unit } : {}),
      ...(m.FBARCODE && skus.length === 1 ? { sku_code: m.FBARCODE } : {}),
      enabled: 1,
      batch_enabled: m.FIsBatchManage,
      ...(shelfLife !== undefined ? { shelf_life: shelfLife } : {}),
    };
  });
  return notes.length ? { kind: 'upload', items, notes } : { kind: 'upload', items };
}

/** The material flow: Kingdee BD_MATERIAL (changed since the cursor, audited, enabled) → JST item/SKU upload. */
export const materialFlow: KingdeeSourceFlow<MaterialRecord> = {
  name: 'material',
  title: '物料 → 商品资料',
  settings: kingdeeSourceFlowSettingsSchema,
  source: {
    formId: 'BD_MATERIAL',
    fieldKeys: MATERIAL_FIELD_KEYS,
    numberKey: 'FNumber',
    idKey: 'FMATERIALID',
    modifyDateKey: 'FModifyDate',
    readyFilter: "FDocumentStatus = 'C' and FForbidStatus = 'A'",
  },
  // is_normal: never overwrite a JST combination SKU (组合装) that happens to share a material number.
  target: { path: JST_ITEMSKU_UPLOAD_PATH, schema: jstUploadItemSchema, biz: { is_normal: true } },
  schema: materialSchema,
  toRecord: materialRowToRecord,
  docId: (m) => m.FNumber,
  version: (m) => m.FModifyDate,
  isReady: isMaterialReady,
  transform: transformMaterial,
};
