import { z } from 'zod';

/**
 * Building blocks of the Kingdee Save model schemas (reference kingdee-api.md §5). The forms share sections
 * (bill head, stock and lot of an entry, owner, keeper, settlement, third-party bill) but spell their keys
 * differently (`FSTOCKID`, `FStockId`, `FStockID`, `FStocklocId` …): a section is one set of schemas, and each
 * form names the keys it uses, so every model file still shows its form's exact spelling.
 */

/** A Kingdee number (base data, bill type, organisation …). */
export const code = z.string().min(1);
/** A base-data reference by number: `{ "FNumber": "CK001" }`. */
export const ref = z.object({ FNumber: code }).strict();
/** A date as the transforms send it. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected yyyy-MM-dd');
/** A stock location (仓位) flex value keyed `<FIELD>__FFxxxxxx`, one key per dimension (§5). */
export const locationRef = (field: 'FSTOCKLOCID' | 'FSRCSTOCKLOCID' | 'FDESTSTOCKLOCID') =>
  z.record(z.string().regex(new RegExp(`^${field}__FF\\d+$`)), ref);
/** Auxiliary properties (辅助属性) of an entry, one `FAUXPROPID__…` key per property. */
export const auxProps = z.record(z.string().regex(/^FAUXPROPID__/), ref);

type Schemas = Record<string, z.ZodType>;
/** A form's key for each role of a section. */
export type SectionKeys<S extends Schemas> = { readonly [R in keyof S]: string };
type Keyed<S extends Schemas, K extends SectionKeys<S>> = { -readonly [R in keyof S as K[R]]: S[R] };

/** The section's schemas under the form's key names, in the section's order. */
function keyed<S extends Schemas, const K extends SectionKeys<S>>(schemas: S, keys: K): Keyed<S, K> {
  return Object.fromEntries(Object.keys(schemas).map((role) => [keys[role], schemas[role]])) as Keyed<S, K>;
}

/** What every bill header starts with; `FID` is added by a writer that updates an existing bill. */
export const billHead = {
  FID: z.number().int().optional(),
  FBillTypeID: z.object({ FNUMBER: code }).strict(),
  FBillNo: code.max(80),
  FDate: isoDate,
};

/** The header's owner (货主): the same keys on every form. */
export const headOwner = {
  FOwnerTypeIdHead: z.literal('BD_OwnerOrg'),
  FOwnerIdHead: ref,
};

const stockSection = {
  stock: ref,
  location: locationRef('FSTOCKLOCID').optional(),
  status: ref,
  lot: ref.optional(),
  produceDate: isoDate.optional(),
  expiryDate: isoDate.optional(),
  auxProps: auxProps.optional(),
};
/** Where an entry's goods are: warehouse, location, stock status, lot, shelf-life dates, auxiliary properties. */
export const stockFields = <const K extends SectionKeys<typeof stockSection>>(keys: K) => keyed(stockSection, keys);

const ownerSection = { type: z.literal('BD_OwnerOrg'), id: ref };
/** An entry's owner (货主类型 is always the organisation). */
export const ownerFields = <const K extends SectionKeys<typeof ownerSection>>(keys: K) => keyed(ownerSection, keys);

const keeperSection = { type: z.literal('BD_KeeperOrg'), id: ref };
/** An entry's keeper (保管者类型 is always the organisation). */
export const keeperFields = <const K extends SectionKeys<typeof keeperSection>>(keys: K) => keyed(keeperSection, keys);

const priceSection = { taxPrice: z.number().nonnegative().optional(), taxRate: z.number().min(0).max(100) };
/** An entry's tax-inclusive unit price (optional: Kingdee may price it) and tax rate in percent. */
export const priceFields = <const K extends SectionKeys<typeof priceSection>>(keys: K) => keyed(priceSection, keys);

const settlementSection = {
  settleOrg: ref,
  settleCurrency: ref,
  localCurrency: ref,
  exchangeType: ref,
  exchangeRate: z.number().positive(),
};
/** The finance sub-header's settlement organisation, currencies and exchange rate. */
export const settlementFields = <const K extends SectionKeys<typeof settlementSection>>(keys: K) => keyed(settlementSection, keys);

const thirdBillSection = { srcType: code, billNo: code, billId: z.string().optional() };
/** The third-party source of a bill (our system name, the JST document number and id). */
export const thirdBillFields = <const K extends SectionKeys<typeof thirdBillSection>>(keys: K) => keyed(thirdBillSection, keys);
