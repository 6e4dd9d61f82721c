import { z } from 'zod';
import { code, isoDate, ref, locationRef } from './model-fields';

/**
 * The Save `Model` of a Kingdee 销售出库单 SAL_OUTSTOCK as this integration sends it (reference kingdee-api.md
 * §5, §6.1). Required fields are the form's 必填 ones plus what an outbound cannot do without (stock, real
 * quantity, owner). Objects are strict so a misspelt key in a transform fails the contract test instead of
 * being silently ignored by Kingdee. `FID` / `FENTRYID` may be added by a writer that updates an existing bill.
 */


export const salOutStockEntrySchema = z
  .object({
    FENTRYID: z.number().int().optional(),
    FRowType: z.literal('Standard'),
    FMaterialID: ref,
    FUnitID: ref,
    FRealQty: z.number().positive(),
    FTaxPrice: z.number().nonnegative().optional(),
    FEntryTaxRate: z.number().min(0).max(100),
    FIsFree: z.boolean(),
    FStockID: ref,
    FStockLocID: locationRef('FSTOCKLOCID').optional(),
    FStockStatusID: ref,
    FLot: ref.optional(),
    FProduceDate: isoDate.optional(),
    FExpiryDate: isoDate.optional(),
    FAuxPropId: z.record(z.string().regex(/^FAUXPROPID__/), ref).optional(),
    FOwnerTypeID: z.literal('BD_OwnerOrg'),
    FOwnerID: ref,
    FKeeperTypeID: z.literal('BD_KeeperOrg'),
    FKeeperID: ref,
    FThirdEntryId: z.string().optional(),
  })
  .strict();

export const salOutStockModelSchema = z
  .object({
    FID: z.number().int().optional(),
    FBillTypeID: z.object({ FNUMBER: code }).strict(),
    FBillNo: code.max(80),
    FDate: isoDate,
    FSaleOrgId: ref,
    FStockOrgId: ref,
    FCustomerID: ref,
    FOwnerTypeIdHead: z.literal('BD_OwnerOrg'),
    FOwnerIdHead: ref,
    FCarriageNO: z.string().optional(),
    FNote: z.string().max(255).optional(),
    SubHeadEntity: z
      .object({
        FSettleCurrID: ref,
        FSettleOrgID: ref,
        FLocalCurrID: ref,
        FExchangeTypeID: ref,
        FExchangeRate: z.number().positive(),
        FIsIncludedTax: z.boolean(),
        FThirdBillNo: code,
        FThirdBillId: z.string().optional(),
        FThirdSrcType: code,
      })
      .strict(),
    FEntity: z.array(salOutStockEntrySchema).min(1),
  })
  .strict();

export type SalOutStockModel = z.infer<typeof salOutStockModelSchema>;
export type SalOutStockEntry = z.infer<typeof salOutStockEntrySchema>;
