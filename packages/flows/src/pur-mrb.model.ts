import { z } from 'zod';
import { code, isoDate, ref, locationRef } from './model-fields';

/**
 * The Save `Model` of a Kingdee 采购退料单 PUR_MRB as this integration sends it (reference kingdee-api.md §6.4;
 * no official template exists, keys follow the working payloads there). Quantities are positive: the form
 * itself means "out". Strict objects, so a misspelt key fails the contract test.
 */


export const purMrbEntrySchema = z
  .object({
    FENTRYID: z.number().int().optional(),
    FRowType: z.literal('Standard'),
    FMATERIALID: ref,
    FUnitID: ref,
    FPRICEUNITID: ref,
    FRMREALQTY: z.number().positive(),
    FREPLENISHQTY: z.number().positive().optional(),
    FKEAPAMTQTY: z.number().positive().optional(),
    FTAXPRICE: z.number().nonnegative().optional(),
    FENTRYTAXRATE: z.number().min(0).max(100),
    FGiveAway: z.boolean(),
    FSTOCKID: ref,
    FStockLocId: locationRef('FSTOCKLOCID').optional(),
    FStockStatusId: ref,
    FLot: ref.optional(),
    FProduceDate: isoDate.optional(),
    FExpiryDate: isoDate.optional(),
    FAuxPropId: z.record(z.string().regex(/^FAUXPROPID__/), ref).optional(),
    FOWNERTYPEID: z.literal('BD_OwnerOrg'),
    FOWNERID: ref,
    FNOTE: z.string().max(255).optional(),
  })
  .strict();

export const purMrbModelSchema = z
  .object({
    FID: z.number().int().optional(),
    FBillTypeID: z.object({ FNUMBER: code }).strict(),
    FBusinessType: code,
    FBillNo: code.max(80),
    FDate: isoDate,
    FMRTYPE: code,
    FMRMODE: code,
    FStockOrgId: ref,
    FRequireOrgId: ref,
    FPurchaseOrgId: ref,
    FSupplierID: ref,
    FMRDeptId: ref.optional(),
    FPURCHASEDEPTID: ref.optional(),
    FOwnerTypeIdHead: z.literal('BD_OwnerOrg'),
    FOwnerIdHead: ref,
    FDESCRIPTION: z.string().max(255).optional(),
    FPURMRBFIN: z
      .object({
        FSettleOrgId: ref,
        FSettleCurrId: ref,
        FIsIncludedTax: z.boolean(),
        FPRICETIMEPOINT: code,
        FLOCALCURRID: ref,
        FEXCHANGETYPEID: ref,
        FEXCHANGERATE: z.number().positive(),
      })
      .strict(),
    FPURMRBENTRY: z.array(purMrbEntrySchema).min(1),
  })
  .strict();

export type PurMrbModel = z.infer<typeof purMrbModelSchema>;
export type PurMrbEntry = z.infer<typeof purMrbEntrySchema>;
