import { z } from 'zod';
import { billHead, headOwner, keeperFields, ownerFields, priceFields, ref, settlementFields, stockFields, thirdBillFields } from './model-fields';

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
    ...priceFields({ taxPrice: 'FTaxPrice', taxRate: 'FEntryTaxRate' }),
    FIsFree: z.boolean(),
    ...stockFields({
      stock: 'FStockID', location: 'FStockLocID', status: 'FStockStatusID', lot: 'FLot',
      produceDate: 'FProduceDate', expiryDate: 'FExpiryDate', auxProps: 'FAuxPropId',
    }),
    ...ownerFields({ type: 'FOwnerTypeID', id: 'FOwnerID' }),
    ...keeperFields({ type: 'FKeeperTypeID', id: 'FKeeperID' }),
    FThirdEntryId: z.string().optional(),
  })
  .strict();

export const salOutStockModelSchema = z
  .object({
    ...billHead,
    FSaleOrgId: ref,
    FStockOrgId: ref,
    FCustomerID: ref,
    ...headOwner,
    FCarriageNO: z.string().optional(),
    FNote: z.string().max(255).optional(),
    SubHeadEntity: z
      .object({
        ...settlementFields({
          settleOrg: 'FSettleOrgID', settleCurrency: 'FSettleCurrID', localCurrency: 'FLocalCurrID',
          exchangeType: 'FExchangeTypeID', exchangeRate: 'FExchangeRate',
        }),
        FIsIncludedTax: z.boolean(),
        ...thirdBillFields({ srcType: 'FThirdSrcType', billNo: 'FThirdBillNo', billId: 'FThirdBillId' }),
      })
      .strict(),
    FEntity: z.array(salOutStockEntrySchema).min(1),
  })
  .strict();

export type SalOutStockModel = z.infer<typeof salOutStockModelSchema>;
export type SalOutStockEntry = z.infer<typeof salOutStockEntrySchema>;
