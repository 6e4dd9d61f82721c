import { z } from 'zod';
import { looksLikeJstDate } from './dates';

/**
 * zod building blocks for JST documents, which type the same field as a number in one response and a
 * numeric string in another. Every helper yields one output type and an issue message that says what
 * was expected and what arrived, so `items.2.qty: expected a number …, got "abc"` reads on its own.
 */

function describe(input: unknown): string {
  if (input === undefined) return 'nothing (the field is missing)';
  if (input === null) return 'null';
  if (typeof input === 'string') return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  return Array.isArray(input) ? 'an array' : `a ${typeof input}`;
}

const numericString = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** A finite number, given as a JSON number or a numeric string ("2", "99.00"). */
export const lenientNumber = z.preprocess(
  (v) => (typeof v === 'string' && numericString.test(v) ? Number(v) : v),
  z.number({ error: (iss) => `expected a number or a numeric string, got ${describe(iss.input)}` }),
);

/** A non-negative integer id (io_id, shop_id, wms_co_id ...), as a number or a numeric string. */
export const lenientId = lenientNumber.pipe(
  z.number().int('expected an integer id').nonnegative('expected a non-negative id'),
);

/** A row version or other big integer kept as a decimal string (JST rowversions may exceed 2^53). */
export const lenientDigits = z.unknown().transform((v, ctx): string => {
  const text = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (/^\d+$/.test(text)) return text;
  ctx.issues.push({
    code: 'custom',
    input: v,
    message: `expected a non-negative integer (number or digit string), got ${describe(v)}`,
  });
  return z.NEVER;
});

/** A non-empty text; numbers are accepted and turned into their decimal text (batch numbers, order ids). */
export const lenientText = z
  .union([z.string(), z.number()], { error: (iss) => `expected a text, got ${describe(iss.input)}` })
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, 'expected a non-empty text'));

/** An optional text: null, missing and "" all become undefined. */
export const optionalText = z.preprocess(
  (v) => (v === null || v === '' ? undefined : v),
  z.union([z.string(), z.number()]).transform((v) => String(v)).optional(),
);

/** A boolean given as true/false, "true"/"false", 1/0 or "1"/"0"; missing or null means false. */
export const lenientFlag = z.preprocess(
  (v) => {
    if (v === null || v === undefined || v === '') return false;
    if (v === 'true' || v === '1' || v === 1) return true;
    if (v === 'false' || v === '0' || v === 0) return false;
    return v;
  },
  z.boolean({ error: (iss) => `expected true/false, got ${describe(iss.input)}` }),
);

/** An array that JST may send as null or leave out: both become []. */
export function listOrEmpty<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => v ?? [], z.array(item, { error: (iss) => `expected a list, got ${describe(iss.input)}` }));
}

/** An optional id: null and missing become undefined. */
export const optionalId = lenientId.nullish().transform((v) => v ?? undefined);

/** An optional number: null and missing become undefined. */
export const optionalNumber = lenientNumber.nullish().transform((v) => v ?? undefined);

/** A quantity that cannot be negative. */
export const nonNegativeQuantity = lenientNumber.pipe(z.number().nonnegative('a quantity cannot be negative'));

/** A JST datetime text (`yyyy-MM-dd HH:mm:ss`, Beijing time); required. */
export const jstDateTimeText = z
  .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'expected a JST datetime text') })
  .refine(looksLikeJstDate, { message: 'expected a JST datetime like 2024-05-20 15:40:11' });
