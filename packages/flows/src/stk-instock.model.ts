import { z } from 'zod';
import { code, isoDate, ref, locationRef } from './model-fields';

/**
 * The Save `Model` of a Kingdee 采购入库单 STK_InStock as this integration sends it (reference kingdee-api.md
 * §5, §6.3): the form's 必填 fields plus stock, lot and shelf-life fields. Objects are strict so a misspelt key
 * fails the contract test instead of being ignored by Kingdee. `FID` may be added by a writer that updates.
 */


export const stkInStockEntrySchema = z
  .object({
    FENTRYID: z.number().int().optional(),
    FMaterialId: ref,
    FUnitID: ref,
    FPriceUnitID: ref,
    FRealQty: z.number().positive(),
    FTaxPrice: z.number().nonnegative().optional(),
    FEntryTaxRate: z.number().min(0).max(100),
    FGiveAway: z.boolean(),
    FStockId: ref,
    FStockLocId: locationRef('FSTOCKLOCID').optional(),
    FStockStatusId: ref,
    FLot: ref.optional(),
    FProduceDate: isoDate.optional(),
    FExpiryDate: isoDate.optional(),
    FAuxPropId: z.record(z.string().regex(/^FAUXPROPID__/), ref).optional(),
    FOWNERTYPEID: z.literal('BD_OwnerOrg'),
    FOWNERID: ref,
    FNote: z.string().max(255).optional(),
  })
  .strict();

export const stkInStockModelSchema = z
  .object({
    FID: z.number().int().optional(),
    FBillTypeID: z.object({ FNUMBER: code }).strict(),
    FBusinessType: code,
    FBillNo: code.max(80),
    FDate: isoDate,
    FStockOrgId: ref,
    FPurchaseOrgId: ref,
    FSupplierId: ref,
    FOwnerTypeIdHead: z.literal('BD_OwnerOrg'),
    FOwnerIdHead: ref,
    FStockDeptId: ref.optional(),
    FPurchaseDeptId: ref.optional(),
    FInStockFin: z
      .object({
        FSettleOrgId: ref,
        FSettleCurrId: ref,
        FPriceTimePoint: code,
        FIsIncludedTax: z.boolean(),
        FLocalCurrId: ref,
        FExchangeTypeId: ref,
        FExchangeRate: z.number().positive(),
        FTHIRDSRCTYPE: code,
        FTHIRDBILLNO: code,
        FTHIRDBILLID: z.string().optional(),
      })
      .strict(),
    FInStockEntry: z.array(stkInStockEntrySchema).min(1),
  })
  .strict();

export type StkInStockModel = z.infer<typeof stkInStockModelSchema>;
export type StkInStockEntry = z.infer<typeof stkInStockEntrySchema>;
