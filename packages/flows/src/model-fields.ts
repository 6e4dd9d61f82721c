import { z } from 'zod';

/** Building blocks of the Kingdee Save model schemas (reference kingdee-api.md §5). */

/** A Kingdee number (base data, bill type, organisation …). */
export const code = z.string().min(1);
/** A base-data reference by number: `{ "FNumber": "CK001" }`. */
export const ref = z.object({ FNumber: code }).strict();
/** A date as the transforms send it. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected yyyy-MM-dd');
/** A stock location (仓位) flex value keyed `<FIELD>__FFxxxxxx`, one key per dimension (§5). */
export const locationRef = (field: 'FSTOCKLOCID' | 'FSRCSTOCKLOCID' | 'FDESTSTOCKLOCID') =>
  z.record(z.string().regex(new RegExp(`^${field}__FF\\d+$`)), ref);
