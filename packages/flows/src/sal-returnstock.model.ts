import { z } from 'zod';
import { billHead, headOwner, isoDate, ownerFields, priceFields, ref, settlementFields, stockFields, thirdBillFields } from './model-fields';

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
    ...priceFields({ taxPrice: 'FTaxPrice', taxRate: 'FEntryTaxRate' }),
    FIsFree: z.boolean(),
    FReturnType: ref,
    ...stockFields({
      stock: 'FStockId', location: 'FStocklocId', status: 'FStockstatusId', lot: 'FLot',
      produceDate: 'FProduceDate', expiryDate: 'FExpiryDate', auxProps: 'FAuxpropId',
    }),
    ...ownerFields({ type: 'FOwnerTypeId', id: 'FOwnerId' }),
    FDeliveryDate: isoDate.optional(),
    FThirdEntryId: z.string().optional(),
  })
  .strict();

export const salReturnStockModelSchema = z
  .object({
    ...billHead,
    FSaleOrgId: ref,
    FStockOrgId: ref,
    FRetcustId: ref,
    FSaledeptid: ref.optional(),
    FStockDeptId: ref.optional(),
    ...headOwner,
    FHeadNote: z.string().max(255).optional(),
    SubHeadEntity: z
      .object({
        ...settlementFields({
          settleOrg: 'FSettleOrgId', settleCurrency: 'FSettleCurrId', localCurrency: 'FLocalCurrId',
          exchangeType: 'FExchangeTypeId', exchangeRate: 'FExchangeRate',
        }),
        ...thirdBillFields({ srcType: 'FThirdSrcType', billNo: 'FThirdBillNo', billId: 'FThirdBillId' }),
      })
      .strict(),
    FEntity: z.array(salReturnStockEntrySchema).min(1),
  })
  .strict();

export type SalReturnStockModel = z.infer<typeof salReturnStockModelSchema>;
export type SalReturnStockEntry = z.infer<typeof salReturnStockEntrySchema>;
