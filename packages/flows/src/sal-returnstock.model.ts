import { z } from 'zod';
import { code, isoDate, ref, locationRef } from './model-fields';

/**
 * The Save `Model` of a Kingdee 销售退货单 SAL_RETURNSTOCK as this integration sends it (reference kingdee-api.md
 * §5, §6.2; key spelling as the form's template: FRetcustId, FMaterialId, FStockId, FStocklocId, FStockstatusId,
 * FAuxpropId). Quantities are positive (实退). Objects are strict so a misspelt key fails the contract test.
 * `FID` / `FENTRYID` may be added by a writer that updates an existing bill.
 */


export const salReturnStockEntrySchema = z
  .object({
    FENTRYID: z.number().int().optional(),
    FRowType: z.literal('Standard'),
    FMaterialId: ref,
    FUnitID: ref,
    FRealQty: z.number().positive(),
    FTaxPrice: z.number().nonnegative().optional(),
    FEntryTaxRate: z.number().min(0).max(100),
    FIsFree: z.boolean(),
    FReturnType: ref,
    FStockId: ref,
    FStocklocId: locationRef('FSTOCKLOCID').optional(),
    FStockstatusId: ref,
    FLot: ref.optional(),
    FProduceDate: isoDate.optional(),
    FExpiryDate: isoDate.optional(),
    FAuxpropId: z.record(z.string().regex(/^FAUXPROPID__/), ref).optional(),
    FOwnerTypeId: z.literal('BD_OwnerOrg'),
    FOwnerId: ref,
    FDeliveryDate: isoDate.optional(),
    FThirdEntryId: z.string().optional(),
  })
  .strict();

export const salReturnStockModelSchema = z
  .object({
    FID: z.number().int().optional(),
    FBillTypeID: z.object({ FNUMBER: code }).strict(),
    FBillNo: code.max(80),
    FDate: isoDate,
    FSaleOrgId: ref,
    FStockOrgId: ref,
    FRetcustId: ref,
    FSaledeptid: ref.optional(),
    FStockDeptId: ref.optional(),
    FOwnerTypeIdHead: z.literal('BD_OwnerOrg'),
    FOwnerIdHead: ref,
    FHeadNote: z.string().max(255).optional(),
    SubHeadEntity: z
      .object({
        FSettleCurrId: ref,
        FSettleOrgId: ref,
        FLocalCurrId: ref,
        FExchangeTypeId: ref,
        FExchangeRate: z.number().positive(),
        FThirdBillNo: code,
        FThirdBillId: z.string().optional(),
        FThirdSrcType: code,
      })
      .strict(),
    FEntity: z.array(salReturnStockEntrySchema).min(1),
  })
  .strict();

export type SalReturnStockModel = z.infer<typeof salReturnStockModelSchema>;
export type SalReturnStockEntry = z.infer<typeof salReturnStockEntrySchema>;
